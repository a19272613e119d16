/*
 * My work: what the caller's agency must do for the children the caller may read, most urgent
 * first. GET /api/alerts?mine=1 lists the open alerts naming the agency; GET
 * /api/deadlines?mine=1 the pathway's steps (pathway/episode.c) not yet met that the agency
 * leads or must attend. Each child shown is a read of their record, on the access log; one the
 * caller may not read is left out unlogged, as a search leaves them out. Each entry says whose
 * it is by name and whether the child is allocated to the caller ("yours").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strmap.h"
#include "http/http_int.h"
#include "pathway/pathway.h"

/* ---- What every work list shares ---- */

/* What a work list was asked for. */
struct work {
    long limit;                      /* the most shown */
    bool allocated_only;             /* only children allocated to the caller */
    struct pw_strmap ever_allocated; /* allocated_only: children ever allocated to the caller */
    struct pw_strmap decided;
    json_t *known; /* names found so far: id to name or null */
};

static void
work_release(struct work *w)
{
    pw_strmap_release(&w->decided);
    pw_strmap_release(&w->ever_allocated);
    json_decref(w->known);
}

/* mine=1, an optional limit (1 to PW_HTTP_WORK_LIMIT_MAX) and allocated=1. w is set up (release
 * it) whatever the answer. */
static enum pw_status
work_query(struct pw__http_ctx *c, struct work *w, struct pw_error *err)
{
    static const char *const names[] = { "mine", "limit", "allocated", NULL };
    const char *mine = pw_http_target_param(&c->target, "mine");
    const char *limit_text = pw_http_target_param(&c->target, "limit");
    const char *allocated = pw_http_target_param(&c->target, "allocated");
    long *limit = &w->limit;
    *limit = PW_HTTP_WORK_LIMIT;
    w->allocated_only = allocated != NULL && strcmp(allocated, "1") == 0;
    pw_strmap_init(&w->decided);
    pw_strmap_init(&w->ever_allocated);
    w->known = json_object();
    enum pw_status rc = pw__http_query_only(c, names, err);
    if (rc == PW_OK && (mine == NULL || strcmp(mine, "1") != 0)) {
        rc = pw_fail(err, PW_EINVAL, "ask for mine=1: the work of your agency's children");
        pw_error_field(err, "mine");
    }
    if (rc == PW_OK && allocated != NULL && !w->allocated_only && strcmp(allocated, "0") != 0) {
        rc = pw_fail(err, PW_EINVAL, "allocated takes 1 (only children allocated to you) or 0");
        pw_error_field(err, "allocated");
    }
    if (rc == PW_OK && limit_text != NULL) {
        char *end = NULL;
        *limit = strtol(limit_text, &end, 10);
        if (end == limit_text || *end != '\0' || *limit < 1 || *limit > PW_HTTP_WORK_LIMIT_MAX) {
            rc = pw_fail(err, PW_EINVAL, "limit takes a whole number from 1 to %d",
                         PW_HTTP_WORK_LIMIT_MAX);
            pw_error_field(err, "limit");
        }
    }
    if (rc == PW_OK && w->allocated_only) {
        /* Those never allocated to the caller are left out without reading their records. */
        rc = pw_access_children_allocated(c->s, c->user.id, &w->ever_allocated, err);
    }
    return rc;
}

enum {
    CHILD_HIDDEN = 0,
    CHILD_SHOWN = 1,
    CHILD_YOURS = 2
};

/* Whether a current allocation of child names the caller: asked before the read is logged,
 * so a child left out of "allocated to you" is not on the log as read. A child never
 * allocated to them is answered without reading anything. */
static enum pw_status
allocated_to_caller(struct pw__http_ctx *c, struct work *w, const char *child, bool *out,
                    struct pw_error *err)
{
    int64_t ever = 0;
    *out = false;
    if (!pw_strmap_get(&w->ever_allocated, child, &ever)) {
        return PW_OK;
    }
    struct pw_access_state st;
    enum pw_status rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    for (size_t i = 0; rc == PW_OK && i < st.nallocations; i++) {
        *out = *out || strcmp(st.allocations[i].user, c->user.id) == 0;
    }
    pw_access_state_release(&st);
    return rc;
}

/* Whether the caller may see child in a work list, decided (and logged as a read of kind)
 * once a request: CHILD_HIDDEN, CHILD_SHOWN, or CHILD_YOURS when allocated to them. An
 * auditor has no work list. */
static enum pw_status
child_in_work(struct pw__http_ctx *c, struct work *w, const char *child, const char *kind,
              bool only_allocated, int64_t *out, struct pw_error *err)
{
    if (pw_strmap_get(&w->decided, child, out)) {
        return PW_OK;
    }
    *out = CHILD_HIDDEN;
    bool wanted = true;
    enum pw_status rc = only_allocated ? allocated_to_caller(c, w, child, &wanted, err) : PW_OK;
    if (rc == PW_OK && wanted) {
        struct pw_access_decision d;
        rc = pw__http_authorize_listed(c, PW_ACTION_READ_RECORD, child, kind, &d, err);
        if (rc == PW_OK && d.allow && d.view != PW_VIEW_PSEUDONYMISED) {
            *out = d.basis == PW_BASIS_ALLOCATED ? CHILD_YOURS : CHILD_SHOWN;
        }
    }
    if (rc == PW_OK) {
        pw_strmap_put(&w->decided, child, *out);
    }
    return rc;
}

/* The latest registration's body (new reference), or NULL. */
static enum pw_status
keep_latest(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    json_t **latest = ctx;
    json_t *body = json_loads(e->body, 0, NULL);
    if (body != NULL) {
        json_decref(*latest);
        *latest = body;
    }
    return PW_OK;
}

/* The name a person is registered under ("Lily Hart"), from their latest registration: the
 * birth name, else the first recorded. NULL when none is recorded. New reference. */
static json_t *
registered_name_uncached(struct pw__http_ctx *c, const char *person)
{
    struct pw_fact_filter filter = { person, "person.registered" };
    json_t *body = NULL;
    json_t *name = NULL;
    struct pw_error ignored;
    pw_error_clear(&ignored);
    if (pw_store_facts(c->s, &filter, keep_latest, &body, &ignored) == PW_OK && body != NULL) {
        json_t *names = json_object_get(body, "names");
        json_t *pick = json_array_get(names, 0);
        size_t i;
        json_t *n;
        json_array_foreach(names, i, n)
        {
            const char *kind = json_string_value(json_object_get(n, "kind"));
            if (kind != NULL && strcmp(kind, "birth") == 0) {
                pick = n;
                break;
            }
        }
        const char *given = json_string_value(json_object_get(pick, "given"));
        const char *family = json_string_value(json_object_get(pick, "family"));
        if (given != NULL || family != NULL) {
            char text[256];
            (void)snprintf(text, sizeof(text), "%s%s%s", given != NULL ? given : "",
                           given != NULL && family != NULL ? " " : "",
                           family != NULL ? family : "");
            name = json_string(text);
        }
    }
    json_decref(body);
    return name;
}

/* registered_name_uncached, kept for the request in known (id to name or null): a list names
 * the same people again and again. */
static json_t *
registered_name(struct pw__http_ctx *c, const char *person, json_t *known)
{
    json_t *seen = json_object_get(known, person);
    if (seen != NULL) {
        return json_is_null(seen) ? NULL : json_incref(seen);
    }
    json_t *name = registered_name_uncached(c, person);
    (void)json_object_set(known, person, name != NULL ? name : json_null());
    return name;
}

static void
set_name(struct pw__http_ctx *c, json_t *o, const char *key, const char *person, json_t *known)
{
    json_t *name = person != NULL ? registered_name(c, person, known) : NULL;
    (void)json_object_set_new(o, key, name != NULL ? name : json_null());
}

static bool
in_list(const char *agencies, const char *agency)
{
    size_t n = strlen(agency);
    const char *p = agencies;
    while (p != NULL && *p != '\0') {
        size_t k = strcspn(p, " ");
        if (k == n && strncmp(p, agency, n) == 0) {
            return true;
        }
        p += k;
        p += strspn(p, " ");
    }
    return false;
}

/* ---- Alerts ---- */

struct mine_alerts {
    json_t *list;
    const char *agency;
};

static enum pw_status
collect_mine(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct mine_alerts *x = ctx;
    bool live = a->status == PW_ALERT_OPEN || a->status == PW_ALERT_OVERDUE;
    if (live && in_list(a->record.agencies, x->agency)) {
        (void)json_array_append_new(x->list, pw_alert_view_json(a));
    }
    return PW_OK;
}

enum pw_status
pw__http_alerts_mine(struct pw__http_ctx *c, struct pw_error *err)
{
    struct work w;
    enum pw_status rc = work_query(c, &w, err);
    struct mine_alerts x = { json_array(), c->user.agency };
    if (rc == PW_OK) {
        rc = pw_rules_alerts(c->rules, c->s, NULL, pw__http_today(c), collect_mine, &x, err);
    }
    json_t *shown = json_array();
    bool more = false;
    size_t i;
    json_t *o;
    json_array_foreach(x.list, i, o)
    {
        if (rc != PW_OK) {
            break;
        }
        if (json_array_size(shown) == (size_t)w.limit) {
            /* The most urgent first: the rest wait for another page, and every child's access
             * need not be decided to show the first of them. */
            more = true;
            break;
        }
        const char *child = json_string_value(json_object_get(o, "child"));
        int64_t seen = CHILD_HIDDEN;
        rc = child_in_work(c, &w, child, "alerts", w.allocated_only, &seen, err);
        if (rc == PW_OK && seen != CHILD_HIDDEN) {
            /* Practitioners know children by name: the work list says whose each alert is. */
            set_name(c, o, "child_name", child, w.known);
            set_name(c, o, "subject_name", json_string_value(json_object_get(o, "subject")),
                     w.known);
            (void)json_object_set_new(o, "yours", json_boolean(seen == CHILD_YOURS));
            (void)json_array_append(shown, o);
        }
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O,s:b}", "alerts", shown, "more", more);
    }
    work_release(&w);
    json_decref(shown);
    json_decref(x.list);
    return rc;
}

/* ---- Deadlines ---- */

static enum pw_status
collect_id(void *ctx, const char *id, struct pw_error *err)
{
    (void)err;
    (void)json_array_append_new(ctx, json_string(id));
    return PW_OK;
}

static bool
names_agency(const json_t *agencies, const char *agency)
{
    size_t i;
    const json_t *a;
    json_array_foreach(agencies, i, a)
    {
        if (json_is_string(a) && strcmp(json_string_value(a), agency) == 0) {
            return true;
        }
    }
    return false;
}

/* The steps of one episode the agency must act on and has not: {episode, stage, children,
 * step} each, appended to out. */
static enum pw_status
episode_work(struct pw__http_ctx *c, const char *episode, const char *agency, json_t *out,
             struct pw_error *err)
{
    struct pw_episode_view v;
    memset(&v, 0, sizeof(v));
    enum pw_status rc =
        pw_pathway_episode(c->s, c->h->opts.config, episode, pw__http_today(c), &v, err);
    if (rc != PW_OK || v.nchildren == 0) {
        pw_episode_view_release(&v);
        return rc;
    }
    json_t *view = pw_episode_view_json(&v);
    size_t i;
    json_t *step;
    json_array_foreach(json_object_get(view, "steps"), i, step)
    {
        const char *status = json_string_value(json_object_get(step, "status"));
        bool open =
            status != NULL && (strcmp(status, "overdue") == 0 || strcmp(status, "due") == 0);
        if (open && names_agency(json_object_get(step, "agencies"), agency)) {
            (void)json_array_append_new(out,
                                        json_pack("{s:s,s:O,s:O,s:O}", "episode", episode, "stage",
                                                  json_object_get(view, "stage"), "children",
                                                  json_object_get(view, "children"), "step", step));
        }
    }
    json_decref(view);
    pw_episode_view_release(&v);
    return PW_OK;
}

static bool
is_overdue(const json_t *d)
{
    const char *s = json_string_value(json_object_get(json_object_get(d, "step"), "status"));
    return s != NULL && strcmp(s, "overdue") == 0;
}

/* A deadline found, to be ordered (borrowed from the list of those found). */
struct pending {
    json_t *d;
};

/* Overdue first (most working days first), then the soonest due; then by episode and step. */
static int
deadline_order(const void *pa, const void *pb)
{
    const json_t *a = ((const struct pending *)pa)->d;
    const json_t *b = ((const struct pending *)pb)->d;
    const json_t *sa = json_object_get(a, "step");
    const json_t *sb = json_object_get(b, "step");
    if (is_overdue(a) != is_overdue(b)) {
        return is_overdue(a) ? -1 : 1;
    }
    json_int_t la = json_integer_value(json_object_get(sa, "working_days"));
    json_int_t lb = json_integer_value(json_object_get(sb, "working_days"));
    if (la != lb) {
        return la > lb ? -1 : 1;
    }
    int k = strcmp(json_string_value(json_object_get(sa, "due")),
                   json_string_value(json_object_get(sb, "due")));
    if (k == 0) {
        k = strcmp(json_string_value(json_object_get(a, "episode")),
                   json_string_value(json_object_get(b, "episode")));
    }
    return k != 0 ? k
                  : strcmp(json_string_value(json_object_get(sa, "name")),
                           json_string_value(json_object_get(sb, "name")));
}

/* Shown only when the caller may read every child of the episode (as GET /api/episodes/{id});
 * then the children get their names. */
static enum pw_status
deadline_shown(struct pw__http_ctx *c, struct work *w, json_t *d, bool *shown, struct pw_error *err)
{
    bool yours = false;
    size_t i;
    json_t *child;
    enum pw_status rc = PW_OK;
    /* "Allocated to you": an episode with any child allocated to the caller (a brother or
     * sister need not be), read as any other. */
    *shown = !w->allocated_only;
    json_array_foreach(json_object_get(d, "children"), i, child)
    {
        if (rc == PW_OK && !*shown) {
            rc = allocated_to_caller(c, w, json_string_value(child), shown, err);
        }
    }
    json_array_foreach(json_object_get(d, "children"), i, child)
    {
        if (rc != PW_OK || !*shown) {
            return rc;
        }
        int64_t seen = CHILD_HIDDEN;
        rc = child_in_work(c, w, json_string_value(child), "deadlines", false, &seen, err);
        if (rc != PW_OK) {
            return rc;
        }
        *shown = *shown && seen != CHILD_HIDDEN;
        yours = yours || seen == CHILD_YOURS;
    }
    if (*shown) {
        json_t *named = json_array();
        json_array_foreach(json_object_get(d, "children"), i, child)
        {
            json_t *o = json_pack("{s:O}", "id", child);
            set_name(c, o, "name", json_string_value(child), w->known);
            (void)json_array_append_new(named, o);
        }
        (void)json_object_set_new(d, "children", named);
        (void)json_object_set_new(d, "yours", json_boolean(yours));
    }
    return PW_OK;
}

enum pw_status
pw__http_deadlines_mine(struct pw__http_ctx *c, struct pw_error *err)
{
    struct work w;
    enum pw_status rc = work_query(c, &w, err);
    json_t *episodes = json_array();
    json_t *found = json_array();
    if (rc == PW_OK) {
        rc = pw_store_episode_ids(c->s, collect_id, episodes, err);
    }
    size_t i;
    json_t *e;
    json_array_foreach(episodes, i, e)
    {
        if (rc != PW_OK) {
            break;
        }
        rc = episode_work(c, json_string_value(e), c->user.agency, found, err);
    }
    size_t n = json_array_size(found);
    struct pending *order = pw_xcalloc(n > 0 ? n : 1, sizeof(order[0]));
    for (i = 0; rc == PW_OK && i < n; i++) {
        order[i].d = json_array_get(found, i);
    }
    if (rc == PW_OK && n > 1) {
        qsort(order, n, sizeof(order[0]), deadline_order);
    }
    json_t *shown = json_array();
    bool more = false;
    for (i = 0; rc == PW_OK && i < n; i++) {
        if (json_array_size(shown) == (size_t)w.limit) {
            more = true;
            break;
        }
        bool show = false;
        rc = deadline_shown(c, &w, order[i].d, &show, err);
        if (rc == PW_OK && show) {
            (void)json_array_append(shown, order[i].d);
        }
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O,s:b}", "deadlines", shown, "more", more);
    }
    work_release(&w);
    free(order);
    json_decref(shown);
    json_decref(found);
    json_decref(episodes);
    return rc;
}
