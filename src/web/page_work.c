/*
 * My work: the alerts of the children the user's agency works with and the user may read (GET
 * /api/alerts?mine=1, which asks the policy and logs each child's record as read), overdue
 * first, each saying what to do, why, by when and who must act.
 */
#include <string.h>

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

void
pw__page_work(struct pw__page *pg)
{
    if (pg->p->user->role == PW_ROLE_DATA_LEAD) {
        data_lead_work(pg);
        return;
    }
    struct pw_error err;
    pw_error_clear(&err);
    json_t *out = NULL;
    enum pw_status rc = pw__page_api(pg, "GET", "/api/alerts?mine=1", NULL, &out, &err);
    if (rc != PW_OK) {
        pw__page_api_fail(pg, rc, &err);
        return;
    }
    json_t *cards = json_array();
    json_t *children = json_object();
    int overdue = 0;
    int open = 0;
    int consider = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(out, "alerts"), i, a)
    {
        const char *status = json_string_value(json_object_get(a, "status"));
        const char *strength = json_string_value(json_object_get(a, "strength"));
        if (status == NULL || strcmp(status, "resolved") == 0) {
            continue;
        }
        json_t *card = pw__alert_card(a, NULL);
        (void)json_object_set_new(card, "child_link", json_true());
        (void)json_array_append_new(cards, card);
        (void)json_object_set_new(children, json_string_value(json_object_get(a, "child")),
                                  json_true());
        if (strcmp(status, "overdue") == 0) {
            overdue++;
        } else if (strength != NULL && strcmp(strength, "consider") == 0) {
            consider++;
        } else {
            open++;
        }
    }
    pg->nav = "work";
    json_t *data =
        json_pack("{s:o,s:i,s:i,s:i,s:I,s:s}", "alerts", cards, "overdue", overdue, "open", open,
                  "consider", consider, "children", (json_int_t)json_object_size(children),
                  "agency_name", pw__words_agency(pg->p->user->agency));
    (void)json_object_set_new(data, "more",
                              json_boolean(json_is_true(json_object_get(out, "more"))));
    json_decref(children);
    json_decref(out);
    pw__page_render(pg, "work", "My work", data);
}
