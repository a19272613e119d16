/*
 * My work: what the user's agency must do for the children the user may read, in one list,
 * overdue first: the alerts naming the agency (GET /api/alerts?mine=1) and the pathway's
 * deadlines it leads or must attend (GET /api/deadlines?mine=1), each saying what to do, why,
 * by when and who must act. "Allocated to you" (?for=me) narrows both to the user's own
 * children. The API asks the policy and logs each child's record as read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "web/web_int.h"

/* A data lead's work: the break-glass grants waiting for review, each with its reason and a
 * way to who has seen the record. */
static void
data_lead_work(struct pw__page *pg)
{
    struct pw_error err;
    pw_error_clear(&err);
    json_t *out = NULL;
    enum pw_status rc = pw__page_api(pg, "GET", "/api/break-glass", NULL, &out, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    json_t *rows = json_array();
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(out, "grants"), i, g)
    {
        json_t *o = json_pack(
            "{s:O,s:O,s:s,s:O,s:o,s:o}", "child", json_object_get(g, "child"), "user",
            json_object_get(g, "user"), "agency",
            pw__words_agency(json_string_value(json_object_get(g, "agency"))), "reason",
            json_object_get(g, "reason"), "granted",
            pw__words_date_json(json_string_value(json_object_get(g, "granted_at"))), "expires",
            pw__words_date_json(json_string_value(json_object_get(g, "expires_at"))));
        (void)json_array_append_new(rows, o);
    }
    json_decref(out);
    pg->nav = "work";
    pw__page_render(pg, "work_data_lead", "My work", json_pack("{s:o}", "grants", rows));
}

/* One thing to do, with what orders it: overdue first (most working days first), then the
 * soonest due, none last; alerts before deadlines when equal, each list's own order kept. */
struct item {
    json_t *card; /* {"alert": card} or {"deadline": card} */
    bool overdue;
    json_int_t by;
    char due[16]; /* ISO, or "9999" when none */
    size_t order;
};

static int
item_order(const void *pa, const void *pb)
{
    const struct item *a = pa;
    const struct item *b = pb;
    if (a->overdue != b->overdue) {
        return a->overdue ? -1 : 1;
    }
    if (a->by != b->by) {
        return a->by > b->by ? -1 : 1;
    }
    int c = strcmp(a->due, b->due);
    if (c != 0) {
        return c;
    }
    return a->order < b->order ? -1 : (a->order > b->order ? 1 : 0);
}

struct tally {
    int overdue, due, consider;
    json_t *children; /* each child once */
};

static void
item_set(struct item *it, json_t *card, const char *status, json_int_t by, const char *due,
         size_t order)
{
    it->card = card;
    it->overdue = status != NULL && strcmp(status, "overdue") == 0;
    it->by = it->overdue ? by : 0;
    (void)snprintf(it->due, sizeof(it->due), "%s", due != NULL ? due : "9999");
    it->order = order;
}

/* The children of a deadline as "Hannah Jackson and Emily Jackson", each a link. */
static json_t *
children_links(const json_t *children, struct tally *t)
{
    json_t *out = json_array();
    size_t n = json_array_size(children);
    size_t i;
    const json_t *ch;
    json_array_foreach(children, i, ch)
    {
        const char *id = json_string_value(json_object_get(ch, "id"));
        const char *name = json_string_value(json_object_get(ch, "name"));
        (void)json_object_set_new(t->children, id != NULL ? id : "", json_true());
        (void)json_array_append_new(out,
                                    json_pack("{s:s,s:s,s:s}", "id", id != NULL ? id : "", "name",
                                              name != NULL ? name : (id != NULL ? id : ""), "sep",
                                              i + 2 == n ? " and " : (i + 1 < n ? ", " : "")));
    }
    return out;
}

/* A pathway step as a card like an alert's: its status in words, what to do and why, by when,
 * who must act, and how its clock started. */
static json_t *
deadline_card(const json_t *d, struct tally *t)
{
    const json_t *st = json_object_get(d, "step");
    const char *status = json_string_value(json_object_get(st, "status"));
    json_int_t by = json_integer_value(json_object_get(st, "working_days"));
    bool overdue = status != NULL && strcmp(status, "overdue") == 0;
    char status_text[64];
    if (overdue) {
        (void)snprintf(status_text, sizeof(status_text), "Overdue by %lld working day%s",
                       (long long)by, by == 1 ? "" : "s");
        t->overdue++;
    } else {
        (void)snprintf(status_text, sizeof(status_text), "Due");
        t->due++;
    }
    char title[128];
    pw__words_code(json_string_value(json_object_get(st, "name")), title, sizeof(title));
    char clock[160];
    char started[64];
    pw__words_date(json_string_value(json_object_get(json_object_get(st, "clock_started"), "date")),
                   started, sizeof(started));
    json_int_t amount = json_integer_value(json_object_get(st, "timescale"));
    const char *unit = json_string_value(json_object_get(st, "unit"));
    const char *counted = json_string_value(json_object_get(st, "counted"));
    (void)snprintf(clock, sizeof(clock), "%lld %s %s %s", (long long)amount,
                   unit != NULL ? unit : "", counted != NULL ? counted : "from", started);
    if (amount == 1 && unit != NULL && strcmp(unit, "working days") == 0) {
        (void)snprintf(clock, sizeof(clock), "1 working day %s %s",
                       counted != NULL ? counted : "from", started);
    }
    char stage[128];
    pw__words_code(json_string_value(json_object_get(d, "stage")), stage, sizeof(stage));
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:O,s:O,s:s,s:s,s:b,s:O}", "status_text", status_text,
        "tag_class", overdue ? "govuk-tag--red" : "govuk-tag--blue", "card_class",
        overdue ? "app-alert--overdue" : "app-alert--open", "title", title, "children",
        children_links(json_object_get(d, "children"), t), "due_text",
        pw__words_date_json(json_string_value(json_object_get(st, "due"))), "agencies",
        pw__words_agencies(json_object_get(st, "agencies")), "todo", json_object_get(st, "todo"),
        "why", json_object_get(st, "why"), "clock", clock, "stage", stage, "yours",
        json_is_true(json_object_get(d, "yours")), "episode", json_object_get(d, "episode"));
    return o;
}

/* An alert for the list: its card, linked to the child, counted. */
static json_t *
alert_item(const json_t *a, struct tally *t)
{
    const char *status = json_string_value(json_object_get(a, "status"));
    const char *strength = json_string_value(json_object_get(a, "strength"));
    json_t *card = pw__alert_card(a, NULL);
    (void)json_object_set_new(card, "child_link", json_true());
    (void)json_object_set_new(card, "yours",
                              json_boolean(json_is_true(json_object_get(a, "yours"))));
    (void)json_object_set_new(t->children, json_string_value(json_object_get(a, "child")),
                              json_true());
    if (strcmp(status, "overdue") == 0) {
        t->overdue++;
    } else if (strength != NULL && strcmp(strength, "consider") == 0) {
        t->consider++;
    } else {
        t->due++;
    }
    return card;
}

/* The alerts and deadlines in one list, most urgent first. */
static json_t *
work_items(const json_t *alerts, const json_t *deadlines, bool mark_yours, struct tally *t)
{
    size_t cap = json_array_size(alerts) + json_array_size(deadlines);
    struct item *items = pw_xcalloc(cap > 0 ? cap : 1, sizeof(items[0]));
    size_t n = 0;
    size_t i;
    const json_t *a;
    json_array_foreach(alerts, i, a)
    {
        const char *status = json_string_value(json_object_get(a, "status"));
        if (status == NULL || strcmp(status, "resolved") == 0) {
            continue;
        }
        item_set(&items[n], json_pack("{s:o}", "alert", alert_item(a, t)), status,
                 json_integer_value(json_object_get(a, "overdue_by")),
                 json_string_value(json_object_get(a, "due")), n);
        n++;
    }
    json_array_foreach(deadlines, i, a)
    {
        const json_t *st = json_object_get(a, "step");
        item_set(&items[n], json_pack("{s:o}", "deadline", deadline_card(a, t)),
                 json_string_value(json_object_get(st, "status")),
                 json_integer_value(json_object_get(st, "working_days")),
                 json_string_value(json_object_get(st, "due")), n);
        n++;
    }
    qsort(items, n, sizeof(items[0]), item_order);
    json_t *out = json_array();
    for (i = 0; i < n; i++) {
        if (!mark_yours) { /* "allocated to you" on every card of that list says nothing */
            json_t *card = json_object_get(items[i].card, "alert");
            card = card != NULL ? card : json_object_get(items[i].card, "deadline");
            (void)json_object_set_new(card, "yours", json_false());
        }
        (void)json_array_append_new(out, items[i].card);
    }
    free(items);
    return out;
}

void
pw__page_work(struct pw__page *pg)
{
    if (pg->p->user->role == PW_ROLE_DATA_LEAD) {
        data_lead_work(pg);
        return;
    }
    const char *for_whom = pw__page_query(pg, "for");
    bool mine_only = for_whom != NULL && strcmp(for_whom, "me") == 0;
    const char *query = mine_only ? "?mine=1&allocated=1" : "?mine=1";
    char path[64];
    struct pw_error err;
    pw_error_clear(&err);
    json_t *alerts = NULL;
    json_t *deadlines = NULL;
    (void)snprintf(path, sizeof(path), "/api/alerts%s", query);
    enum pw_status rc = pw__page_api(pg, "GET", path, NULL, &alerts, &err);
    if (rc == PW_OK) {
        (void)snprintf(path, sizeof(path), "/api/deadlines%s", query);
        rc = pw__page_api(pg, "GET", path, NULL, &deadlines, &err);
    }
    if (rc != PW_OK) {
        json_decref(alerts);
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    struct tally t = { 0, 0, 0, json_object() };
    json_t *items = work_items(json_object_get(alerts, "alerts"),
                               json_object_get(deadlines, "deadlines"), !mine_only, &t);
    bool more = json_is_true(json_object_get(alerts, "more")) ||
                json_is_true(json_object_get(deadlines, "more"));
    pg->nav = "work";
    json_t *data = json_pack(
        "{s:o,s:i,s:i,s:i,s:I,s:s,s:b,s:b}", "items", items, "overdue", t.overdue, "due", t.due,
        "consider", t.consider, "children", (json_int_t)json_object_size(t.children), "agency_name",
        pw__words_agency(pg->p->user->agency), "more", more, "for_me", mine_only);
    json_decref(t.children);
    json_decref(alerts);
    json_decref(deadlines);
    pw__page_render(pg, "work", "My work", data);
}
