/*
 * Alerts as they stand on a day, and a child's picture of concern. Whether an alert is open,
 * overdue or answered depends on the day asked about, not on when someone last looked: the
 * store keeps what the log implies (raised, due, answered by which fact on which day) and this
 * reads it against `now`, so `pathway alerts --now 2025-03-01` shows that day's picture.
 */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "core/time.h"
#include "rules/rules_int.h"

static const char *const status_names[] = { "pending", "open", "overdue", "resolved" };

const char *
pw_alert_status_name(enum pw_alert_status s)
{
    return status_names[s];
}

bool
pw_alert_status_parse(const char *name, enum pw_alert_status *out)
{
    for (size_t i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++) {
        if (strcmp(status_names[i], name) == 0) {
            *out = (enum pw_alert_status)i;
            return true;
        }
    }
    return false;
}

static int32_t
day_of(const char *text)
{
    int32_t day = PW_NO_DAY;
    struct pw_error ignored = { 0 };
    if (text != NULL && pw_date_parse(text, strlen(text), &day, &ignored) != PW_OK) {
        day = PW_NO_DAY;
    }
    return day;
}

struct listing {
    struct pw_rules *r;
    const struct pw_config *config;
    int32_t now;
    struct pw_arena *arena;
    struct pw_alert_view *views;
    size_t count, cap;
};

static void
judge(struct pw_alert_view *v, int32_t now, int escalate_after)
{
    int32_t active = day_of(v->record.active_from);
    int32_t resolved = day_of(v->record.resolved_on);
    int32_t due = day_of(v->record.due);
    if (active != PW_NO_DAY && active > now) {
        v->status = PW_ALERT_PENDING;
    } else if (v->record.resolved_by != NULL && resolved != PW_NO_DAY && resolved <= now) {
        v->status = PW_ALERT_RESOLVED;
    } else if (due != PW_NO_DAY && due < now) {
        v->status = PW_ALERT_OVERDUE;
        /* Working days after the due day, up to and including now. */
        v->overdue_by =
            pw_cal_working_days_between(due, now) - (pw_cal_is_working_day(due) ? 1 : 0);
        v->escalated = v->overdue_by >= escalate_after;
    } else {
        v->status = PW_ALERT_OPEN;
    }
}

static enum pw_status
list_row(void *ctx, const struct pw_alert_record *a, struct pw_error *err)
{
    (void)err;
    struct listing *l = ctx;
    if (l->count == l->cap) {
        l->cap = l->cap == 0 ? 32 : pw_mul_size(l->cap, 2);
        l->views = pw_xrealloc(l->views, pw_mul_size(l->cap, sizeof(l->views[0])));
    }
    struct pw_alert_view *v = &l->views[l->count];
    memset(v, 0, sizeof(*v));
    pw__alert_record_copy(l->arena, a, &v->record);
    v->rule = pw_rules_find(a->rule);
    judge(v, l->now, pw_config_get(l->config, PW_CFG_ESCALATE_AFTER));
    if (v->status != PW_ALERT_PENDING && v->rule != NULL) {
        l->count++;
    }
    return PW_OK;
}

static int
rank(const struct pw_alert_view *v)
{
    switch (v->status) {
    case PW_ALERT_OVERDUE:
        return 0;
    case PW_ALERT_OPEN:
        return 1;
    case PW_ALERT_RESOLVED:
        return 2;
    case PW_ALERT_PENDING:
        return 3;
    }
    return 3;
}

static int
by_urgency(const void *pa, const void *pb)
{
    const struct pw_alert_view *a = pa;
    const struct pw_alert_view *b = pb;
    if (rank(a) != rank(b)) {
        return rank(a) - rank(b);
    }
    if (a->status == PW_ALERT_OVERDUE && a->overdue_by != b->overdue_by) {
        return b->overdue_by - a->overdue_by;
    }
    /* Earlier due first, none last; then the child, the rule, the id. */
    const char *da = a->record.due != NULL ? a->record.due : "9999";
    const char *db = b->record.due != NULL ? b->record.due : "9999";
    int c = strcmp(da, db);
    if (c == 0) {
        c = strcmp(a->record.child, b->record.child);
    }
    if (c == 0) {
        c = strcmp(a->record.rule, b->record.rule);
    }
    return c != 0 ? c : strcmp(a->record.id, b->record.id);
}

enum pw_status
pw_rules_alerts(struct pw_rules *r, struct pw_store *s, const char *child, int32_t now,
                pw_alert_view_fn fn, void *ctx, struct pw_error *err)
{
    struct listing l = {
        .r = r, .config = pw__rules_config(r), .now = now, .arena = pw_arena_new()
    };
    enum pw_status rc = pw_store_alerts(s, child, list_row, &l, err);
    if (rc == PW_OK && l.count > 1) {
        qsort(l.views, l.count, sizeof(l.views[0]), by_urgency);
    }
    for (size_t i = 0; rc == PW_OK && i < l.count; i++) {
        rc = fn(ctx, &l.views[i], err);
    }
    free(l.views);
    pw_arena_free(l.arena);
    return rc;
}

/* ---- The picture of concern ---- */

static void
add_sign(struct pw_picture *p, size_t *cap, const struct pw_case *c, const struct pw_case_fact *f,
         const json_t *ind, const char *concern)
{
    const char *code = pw__j(ind, "code");
    const struct pw_indicator *indicator =
        code == NULL ? NULL : pw_taxonomy_find(c->taxonomy, code);
    if (indicator == NULL) {
        return;
    }
    int32_t day = pw__jday(ind, "observed_at");
    if (day == PW_NO_DAY) {
        day = f->day;
    }
    if (p->nsigns == *cap) {
        *cap = *cap == 0 ? 16 : pw_mul_size(*cap, 2);
        p->signs = pw_xrealloc(p->signs, pw_mul_size(*cap, sizeof(p->signs[0])));
    }
    struct pw_picture_sign *sg = &p->signs[p->nsigns++];
    memset(sg, 0, sizeof(*sg));
    sg->fact = pw_arena_strdup(p->arena, f->id);
    sg->agency = pw_arena_strdup(p->arena, f->agency);
    sg->sensitivity =
        pw_arena_strdup(p->arena, f->sensitivity != NULL ? f->sensitivity : "standard");
    sg->concern = concern == NULL ? NULL : pw_arena_strdup(p->arena, concern);
    sg->day = day;
    sg->indicator = indicator;
    sg->age = pw__age(c, c->child, day);
    sg->strength = pw__indicator_strength(c, code, day);
}

static int
sign_order(const void *pa, const void *pb)
{
    const struct pw_picture_sign *a = pa;
    const struct pw_picture_sign *b = pb;
    if (a->day != b->day) {
        return a->day < b->day ? -1 : 1;
    }
    return strcmp(a->fact, b->fact);
}

void
pw__picture_signs(const struct pw_case *c, struct pw_picture *p)
{
    size_t cap = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "concern.raised") && pw__jhas(f->body, "children", c->child)) {
            size_t k;
            const json_t *ind;
            json_array_foreach(json_object_get(f->body, "indicators"), k, ind)
            {
                add_sign(p, &cap, c, f, ind, pw__j(f->body, "concern"));
            }
        } else if (pw__is(f, "indicator.observed")) {
            const char *child = pw__j(f->body, "child");
            if (child != NULL && strcmp(child, c->child) == 0) {
                add_sign(p, &cap, c, f, f->body, pw__j(f->body, "concern"));
            }
        }
    }
    if (p->nsigns > 1) {
        qsort(p->signs, p->nsigns, sizeof(p->signs[0]), sign_order);
    }
}

int
pw__picture_score(const struct pw_case *c, const struct pw_picture_sign *signs, size_t n,
                  int32_t from, int32_t to, size_t *agencies)
{
    const char *seen[16];
    size_t nseen = 0;
    int score = 0;
    for (size_t i = 0; i < n; i++) {
        const struct pw_picture_sign *sg = &signs[i];
        if (sg->day < from || sg->day > to || sg->strength == PW_STRENGTH_NONE) {
            continue;
        }
        score += sg->strength == PW_STRENGTH_SUSPECT ? pw__cfg(c, PW_CFG_R03_WEIGHT_SUSPECT)
                                                     : pw__cfg(c, PW_CFG_R03_WEIGHT_CONSIDER);
        bool known = false;
        for (size_t k = 0; k < nseen; k++) {
            known = known || strcmp(seen[k], sg->agency) == 0;
        }
        if (!known && nseen < 16) {
            seen[nseen++] = sg->agency;
        }
    }
    if (nseen > 1) {
        score += (int)(nseen - 1) * pw__cfg(c, PW_CFG_R03_AGENCY_BONUS);
    }
    if (agencies != NULL) {
        *agencies = nseen;
    }
    return score;
}

enum pw_status
pw_rules_picture(struct pw_rules *r, struct pw_store *s, const char *child, int32_t now,
                 struct pw_picture *out, struct pw_error *err)
{
    struct pw_case c;
    memset(out, 0, sizeof(*out));
    out->arena = pw_arena_new();
    out->now = now;
    enum pw_status rc = pw__case_load(s, child, pw__rules_config(r), NULL, &c, err);
    if (rc == PW_OK) {
        pw__picture_signs(&c, out);
        /* The window: the configured months back from now, now included. */
        out->window_from = pw__add_months(now, -pw__cfg(&c, PW_CFG_R03_WINDOW)) + 1;
        out->score =
            pw__picture_score(&c, out->signs, out->nsigns, out->window_from, now, &out->agencies);
        out->threshold = pw__cfg(&c, PW_CFG_R03_THRESHOLD);
    }
    pw__case_release(&c);
    return rc;
}

void
pw_picture_release(struct pw_picture *p)
{
    free(p->signs);
    pw_arena_free(p->arena);
    memset(p, 0, sizeof(*p));
}

/* ---- JSON ---- */

static json_t *
text_or_null(const char *s)
{
    return s == NULL ? json_null() : json_string(s);
}

static json_t *
agencies_json(const char *agencies)
{
    json_t *a = json_array();
    const char *p = agencies;
    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, " ");
        if (n > 0) {
            (void)json_array_append_new(a, json_stringn(p, n));
        }
        p += n;
        p += strspn(p, " ");
    }
    return a;
}

json_t *
pw_alert_list_json(const char *text)
{
    json_t *v = text == NULL ? NULL : json_loads(text, 0, NULL);
    if (json_is_array(v)) {
        return v;
    }
    json_decref(v);
    return json_array();
}

json_t *
pw_alert_view_json(const struct pw_alert_view *a)
{
    const struct pw_alert_record *r = &a->record;
    json_t *o = json_object();
    (void)json_object_set_new(o, "id", json_string(r->id));
    (void)json_object_set_new(o, "rule", json_string(r->rule));
    (void)json_object_set_new(o, "name", json_string(a->rule->name));
    (void)json_object_set_new(o, "strength", json_string(r->strength));
    (void)json_object_set_new(o, "child", json_string(r->child));
    (void)json_object_set_new(o, "subject", text_or_null(r->subject));
    (void)json_object_set_new(o, "status", json_string(pw_alert_status_name(a->status)));
    (void)json_object_set_new(o, "due", text_or_null(r->due));
    (void)json_object_set_new(o, "agencies", agencies_json(r->agencies));
    (void)json_object_set_new(o, "because", pw_alert_list_json(r->because));
    (void)json_object_set_new(o, "resolved_by", text_or_null(r->resolved_by));
    (void)json_object_set_new(o, "message", json_string(r->message));
    (void)json_object_set_new(o, "finding", json_string(a->rule->finding));
    (void)json_object_set_new(o, "raised_on", json_string(r->raised_on));
    (void)json_object_set_new(o, "active_from", json_string(r->active_from));
    (void)json_object_set_new(o, "resolved_on", text_or_null(r->resolved_on));
    (void)json_object_set_new(o, "overdue_by", json_integer(a->overdue_by));
    (void)json_object_set_new(o, "escalated", json_boolean(a->escalated));
    (void)json_object_set_new(o, "escalate_to", pw_alert_list_json(r->escalate_to));
    return o;
}

json_t *
pw_picture_json(const char *child, const struct pw_picture *p)
{
    char text[PW_DATE_TEXT_MAX];
    json_t *o = json_object();
    json_t *signs = json_array();
    (void)json_object_set_new(o, "child", json_string(child));
    pw_date_format(p->now, text);
    (void)json_object_set_new(o, "as_of", json_string(text));
    pw_date_format(p->window_from, text);
    (void)json_object_set_new(o, "window_from", json_string(text));
    (void)json_object_set_new(o, "score", json_integer(p->score));
    (void)json_object_set_new(o, "threshold", json_integer(p->threshold));
    (void)json_object_set_new(o, "agencies", json_integer((json_int_t)p->agencies));
    for (size_t i = 0; i < p->nsigns; i++) {
        const struct pw_picture_sign *sg = &p->signs[i];
        json_t *s = json_object();
        pw_date_format(sg->day, text);
        (void)json_object_set_new(s, "observed", json_string(text));
        (void)json_object_set_new(s, "agency", json_string(sg->agency));
        if (sg->restricted) {
            /* That it exists, when, and whom to ask; not what it is. */
            (void)json_object_set_new(s, "fact", json_string(sg->fact));
            (void)json_object_set_new(s, "restricted", json_true());
            (void)json_object_set_new(s, "ask", json_string(sg->agency));
            (void)json_array_append_new(signs, s);
            continue;
        }
        (void)json_object_set_new(s, "code", json_string(sg->indicator->code));
        (void)json_object_set_new(s, "name", json_string(sg->indicator->name));
        (void)json_object_set_new(s, "category", json_string(sg->indicator->category));
        (void)json_object_set_new(s, "strength", json_string(pw_strength_name(sg->strength)));
        (void)json_object_set_new(s, "age", sg->age < 0 ? json_null() : json_integer(sg->age));
        (void)json_object_set_new(s, "fact", json_string(sg->fact));
        (void)json_object_set_new(s, "concern",
                                  sg->concern != NULL ? json_string(sg->concern) : json_null());
        (void)json_array_append_new(signs, s);
    }
    (void)json_object_set_new(o, "signs", signs);
    return o;
}
