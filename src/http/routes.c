/*
 * The route table and the handlers. Each handler reads what the request names, asks the
 * access policy (through pw__http_authorize or pw_access_record, so every read and write is on
 * the access log), calls the same library functions the CLI does (store, rules, access, link)
 * and lays the result out as JSON. No handler decides anything about a child by itself.
 *
 * What a caller may not read is never shown, counted or hinted at: a child's record refused
 * and a child that does not exist get the same 403 and message; people search leaves out
 * everyone whose record the caller may not read, says so without a number, and points to
 * break-glass; alerts ("my work") list only children the caller may read.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "core/time.h"
#include "http/http_int.h"
#include "link/link.h"
#include "link/people.h"
#include "pathway/pathway.h"

/* ---- Small helpers ---- */

static json_t *
text_or_null(const char *s)
{
    return s == NULL ? json_null() : json_string(s);
}

int32_t
pw__http_today(const struct pw__http_ctx *c)
{
    return pw_time_uk_date(c->now_us);
}

/* A required or optional string member of the body: PW_EINVAL naming it when the type is
 * wrong or (required) it is missing. */
static enum pw_status
body_string(const json_t *body, const char *name, bool required, const char **out,
            struct pw_error *err)
{
    const json_t *v = json_object_get(body, name);
    *out = NULL;
    if (v == NULL || (json_is_null(v) && !required)) {
        if (required) {
            pw_fail(err, PW_EINVAL, "%s is required", name);
            pw_error_field(err, name);
            return PW_EINVAL;
        }
        return PW_OK;
    }
    if (!json_is_string(v)) {
        pw_fail(err, PW_EINVAL, "%s must be a string", name);
        pw_error_field(err, name);
        return PW_EINVAL;
    }
    *out = json_string_value(v);
    return PW_OK;
}

/* Only the members named may be present (no mass assignment: ASVS 15.3.3). */
static enum pw_status
body_only(json_t *body, const char *const *names, struct pw_error *err)
{
    if (!json_is_object(body)) {
        pw_fail(err, PW_EINVAL, "the body must be a JSON object");
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (const char *const *n = names; *n != NULL; n++) {
            known = known || strcmp(*n, key) == 0;
        }
        if (!known) {
            pw_fail(err, PW_EINVAL, "unknown member in the body");
            pw_error_field(err, key);
            return PW_EINVAL;
        }
    }
    return PW_OK;
}

enum pw_status
pw__http_query_only(const struct pw__http_ctx *c, const char *const *names, struct pw_error *err)
{
    for (size_t i = 0; i < c->target.nparams; i++) {
        bool known = false;
        for (const char *const *n = names; n != NULL && *n != NULL; n++) {
            known = known || strcmp(*n, c->target.params[i].name) == 0;
        }
        if (!known) {
            pw_fail(err, PW_EINVAL, "unknown query parameter");
            pw_error_field(err, "query");
            return PW_EINVAL;
        }
    }
    return PW_OK;
}

static json_t *
user_json(const struct pw_user *u)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "id", u->id, "agency", u->agency, "role",
                     pw_role_name(u->role), "name", u->name);
}

static json_t *
access_json(const struct pw_access_decision *d)
{
    return json_pack("{s:s,s:s,s:s}", "basis", pw_basis_name(d->basis), "view",
                     d->view == PW_VIEW_PSEUDONYMISED ? "pseudonymised" : "full", "detail",
                     d->detail);
}

/* How the caller sees one fact body (new reference): in full, redacted or pseudonymised. */
static json_t *
viewed(struct pw__http_ctx *c, const struct pw_access_state *st, const struct pw_access_decision *d,
       json_t *body, const char *id, const char *agency, const char *sensitivity,
       struct pw_error *err)
{
    if (pw_access_fact_view(&c->user, st, id, agency, sensitivity) == PW_FACT_REDACTED) {
        return pw_access_redact(body);
    }
    if (d->view == PW_VIEW_PSEUDONYMISED) {
        return pw_access_pseudonymise(c->s, body, err);
    }
    json_incref(body);
    return body;
}

static const char *
sensitivity_of(const json_t *body)
{
    const char *s = json_string_value(json_object_get(body, "sensitivity"));
    return s != NULL ? s : "standard";
}

/* ---- Sessions ---- */

static void
set_cookie(struct pw__http_ctx *c, const char *value, bool clear)
{
    (void)snprintf(c->resp->set_cookie, sizeof(c->resp->set_cookie),
                   "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", pw__http_cookie_name(c->h),
                   value, pw_http_secure(c->h) ? "; Secure" : "", clear ? "; Max-Age=0" : "");
}

static json_t *
session_json(struct pw__http_ctx *c, const struct pw__http_session *s)
{
    json_t *o = json_object();
    (void)json_object_set_new(o, "user", user_json(&c->user));
    (void)json_object_set_new(o, "via", json_string(s != NULL ? "cookie" : "token"));
    if (s != NULL) {
        int idle = c->h->opts.idle_s > 0 ? c->h->opts.idle_s : PW_HTTP_IDLE_S;
        int abs = c->h->opts.absolute_s > 0 ? c->h->opts.absolute_s : PW_HTTP_ABSOLUTE_S;
        (void)json_object_set_new(o, "csrf_token", json_string(s->csrf));
        (void)json_object_set_new(o, "idle_timeout_s", json_integer(idle));
        (void)json_object_set_new(o, "absolute_timeout_s", json_integer(abs));
    }
    return o;
}

static enum pw_status
session_post(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "user", "password", NULL };
    const char *user = NULL;
    const char *password = NULL;
    enum pw_status rc = body_only(c->body, names, err);
    if (rc == PW_OK) {
        rc = body_string(c->body, "user", true, &user, err);
    }
    if (rc == PW_OK) {
        rc = body_string(c->body, "password", true, &password, err);
    }
    if (rc != PW_OK) {
        return rc;
    }
    size_t len = json_string_length(json_object_get(c->body, "password"));
    rc = pw_access_sign_in(c->s, &c->aopts, user, password, len, &c->user, err);
    if (rc != PW_OK) {
        return rc;
    }
    /* A new id at every sign-in; any session the browser brought is ended (fixation). */
    char old[160];
    if (pw_http_cookie_get(c->req->cookie, pw__http_cookie_name(c->h), old, sizeof(old))) {
        pw__http_session_end(c->h, old);
    }
    struct pw__http_session s;
    rc = pw__http_session_new(c->h, c->user.id, c->now_us, &s, err);
    if (rc == PW_OK) {
        set_cookie(c, s.id, false);
        c->out = session_json(c, &s);
    }
    pw_wipe(&s, sizeof(s));
    return rc;
}

static enum pw_status
session_get(struct pw__http_ctx *c, struct pw_error *err)
{
    (void)err;
    c->out = session_json(c, c->by_cookie ? &c->session : NULL);
    return PW_OK;
}

static enum pw_status
session_delete(struct pw__http_ctx *c, struct pw_error *err)
{
    if (!c->by_cookie) {
        return pw_fail(err, PW_EINVAL, "a token is not a session: nothing to sign out");
    }
    pw__http_session_end(c->h, c->session.id);
    set_cookie(c, "", true);
    c->out = json_pack("{s:b}", "signed_out", 1);
    return PW_OK;
}

/* ---- Facts ---- */

/*
 * A trial (POST /api/facts?trial=1): the facts go through everything recording does (who may
 * write them, the rules' blocks, the projections) and the alerts of the children they name
 * are compared before and after; then all is rolled back. So a form shows "saving this will
 * raise..." and "this answers..." before anyone saves.
 */
struct trial_ctx {
    struct pw__http_ctx *c;
    json_t *children; /* ids named as child, children or person by the facts */
    json_t *before;   /* alert id: the alert's JSON, before */
    json_t *raised;   /* live after, and not so (or not there) before */
    json_t *answered; /* live before, resolved after */
};

static enum pw_status
alert_by_id(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    (void)json_object_set_new(ctx, a->record.id, pw_alert_view_json(a));
    return PW_OK;
}

static enum pw_status
alerts_of(struct trial_ctx *t, json_t *map, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    size_t i;
    json_t *id;
    json_array_foreach(t->children, i, id)
    {
        if (rc == PW_OK) {
            rc = pw_rules_alerts(t->c->rules, t->c->s, json_string_value(id), pw__http_today(t->c),
                                 alert_by_id, map, err);
        }
    }
    return rc == PW_ENOTFOUND ? PW_OK : rc; /* someone registered in the same batch */
}

static bool
live(const json_t *alert)
{
    const char *st = json_string_value(json_object_get(alert, "status"));
    return st != NULL && (strcmp(st, "open") == 0 || strcmp(st, "overdue") == 0);
}

static enum pw_status
trial_compare(void *ctx, struct pw_store *s, struct pw_error *err)
{
    (void)s;
    struct trial_ctx *t = ctx;
    json_t *after = json_object();
    enum pw_status rc = alerts_of(t, after, err);
    const char *id;
    json_t *a;
    json_object_foreach(after, id, a)
    {
        const json_t *b = json_object_get(t->before, id);
        const char *st = json_string_value(json_object_get(a, "status"));
        if (live(a) && (b == NULL || !live(b) ||
                        strcmp(st, json_string_value(json_object_get(b, "status"))) != 0)) {
            (void)json_array_append(t->raised, a);
        }
        if (!live(a) && b != NULL && live(b)) {
            (void)json_array_append(t->answered, a);
        }
    }
    json_decref(after);
    return rc;
}

static void
add_child_id(json_t *ids, const json_t *v)
{
    const char *id = json_string_value(v);
    if (id == NULL) {
        return;
    }
    size_t i;
    json_t *have;
    json_array_foreach(ids, i, have)
    {
        if (strcmp(json_string_value(have), id) == 0) {
            return;
        }
    }
    (void)json_array_append_new(ids, json_string(id));
}

/* The children of episode (a fact naming only its episode, an investigation update, concerns
 * them all); none when it is new in this batch or unknown. */
static void
add_episode_children(struct pw__http_ctx *c, json_t *ids, const json_t *episode)
{
    struct pw_episode_view v;
    struct pw_error ignored;
    memset(&v, 0, sizeof(v));
    pw_error_clear(&ignored);
    if (json_is_string(episode) &&
        pw_pathway_episode(c->s, c->h->opts.config, json_string_value(episode), pw__http_today(c),
                           &v, &ignored) == PW_OK) {
        for (size_t k = 0; k < v.nchildren; k++) {
            json_t *id = json_string(v.children[k]);
            add_child_id(ids, id);
            json_decref(id);
        }
    }
    pw_episode_view_release(&v);
}

static json_t *
named_children(struct pw__http_ctx *c, const json_t *list)
{
    json_t *ids = json_array();
    for (size_t i = 0; i < (json_is_array(list) ? json_array_size(list) : 1); i++) {
        const json_t *f = json_is_array(list) ? json_array_get(list, i) : list;
        add_child_id(ids, json_object_get(f, "child"));
        add_child_id(ids, json_object_get(f, "person"));
        add_episode_children(c, ids, json_object_get(f, "episode"));
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(f, "children"), k, v)
        {
            add_child_id(ids, v);
        }
    }
    return ids;
}

static enum pw_status
facts_trial(struct pw__http_ctx *c, const struct pw_fact *facts, size_t n,
            struct pw_record_outcome *out, struct pw_error *err)
{
    struct trial_ctx t = { c, named_children(c, c->body), json_object(), json_array(),
                           json_array() };
    enum pw_status rc = alerts_of(&t, t.before, err);
    if (rc == PW_OK) {
        rc = pw_access_record_trial(c->s, &c->aopts, &c->user, facts, n, out, trial_compare, &t,
                                    err);
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:b,s:I,s:O,s:O}", "trial", 1, "would_record",
                           (json_int_t)out->recorded, "raised", t.raised, "answered", t.answered);
    }
    json_decref(t.children);
    json_decref(t.before);
    json_decref(t.raised);
    json_decref(t.answered);
    return rc;
}

static enum pw_status
facts_post(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const params[] = { "trial", NULL };
    const char *trial = pw_http_target_param(&c->target, "trial");
    enum pw_status qrc = pw__http_query_only(c, params, err);
    if (qrc == PW_OK && trial != NULL && strcmp(trial, "1") != 0) {
        pw_fail(err, PW_EINVAL, "trial takes 1: try the facts without recording them");
        pw_error_field(err, "trial");
        qrc = PW_EINVAL;
    }
    if (qrc != PW_OK) {
        return qrc;
    }
    json_t *list = c->body;
    size_t n = json_is_array(list) ? json_array_size(list) : 1;
    if (!json_is_array(list) && !json_is_object(list)) {
        pw_fail(err, PW_EINVAL, "the body must be a fact (an object) or an array of facts");
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    if (n == 0 || n > PW_HTTP_FACTS_MAX) {
        pw_fail(err, PW_EINVAL, "send 1 to %d facts", PW_HTTP_FACTS_MAX);
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    struct pw_fact *facts = pw_xcalloc(n, sizeof(*facts));
    struct pw_fact_parse_opts popts = { c->user.id, c->now_us };
    enum pw_status rc = PW_OK;
    size_t parsed = 0;
    for (; parsed < n && rc == PW_OK; parsed++) {
        json_t *f = json_is_array(list) ? json_array_get(list, parsed) : list;
        if (!json_is_object(f)) {
            rc = pw_fail(err, PW_EINVAL, "each fact must be a JSON object");
        } else {
            rc = pw_fact_from_json(f, &popts, &facts[parsed], err);
        }
        if (rc != PW_OK && json_is_array(list)) {
            char field[sizeof(err->field) + 32];
            (void)snprintf(field, sizeof(field), "[%zu]%.150s", parsed,
                           err->field[0] == '$' ? err->field + 1 : err->field);
            (void)snprintf(err->field, sizeof(err->field), "%.159s", field);
        }
    }
    struct pw_record_outcome out;
    memset(&out, 0, sizeof(out));
    if (rc == PW_OK) {
        rc = trial != NULL ? facts_trial(c, facts, n, &out, err)
                           : pw_access_record(c->s, &c->aopts, &c->user, facts, n, &out, err);
        if (rc != PW_OK && out.failed != SIZE_MAX && out.failed < n && err->field[0] == '\0') {
            char field[32];
            (void)snprintf(field, sizeof(field), "[%zu]", out.failed);
            pw_error_field(err, field);
        }
    }
    for (size_t i = 0; i < n; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    if (rc == PW_OK && trial != NULL) {
        c->resp->status = 200;
    } else if (rc == PW_OK) {
        c->resp->status = out.recorded > 0 ? 201 : 200;
        c->out = json_pack("{s:I,s:I,s:I}", "recorded", (json_int_t)out.recorded, "unchanged",
                           (json_int_t)out.unchanged, "last_seq", (json_int_t)out.last_seq);
    }
    return rc;
}

/* A required id parameter of the query. */
static enum pw_status
query_id(struct pw__http_ctx *c, const char *name, const char **out, struct pw_error *err)
{
    *out = pw_http_target_param(&c->target, name);
    if (*out == NULL || !pw_id_valid(*out, strlen(*out))) {
        pw_fail(err, PW_EINVAL, "%s must be a valid id", name);
        pw_error_field(err, name);
        return PW_EINVAL;
    }
    return PW_OK;
}

struct facts_ctx {
    struct pw__http_ctx *c;
    json_t *list;
};

static enum pw_status
collect_entry(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    struct facts_ctx *f = ctx;
    json_t *o = json_pack("{s:I,s:s,s:s}", "seq", (json_int_t)e->seq, "id", e->id, "recorded_at",
                          e->recorded_at);
    (void)json_object_set_new(o, "body", json_loads(e->body, 0, NULL));
    (void)json_array_append_new(f->list, o);
    return PW_OK;
}

/* Replaces each {"body"} of list by how the caller sees it, merged with seq and recorded_at. */
static enum pw_status
view_list(struct pw__http_ctx *c, const char *child, const struct pw_access_decision *d,
          json_t *list, json_t **out, struct pw_error *err)
{
    struct pw_access_state st;
    enum pw_status rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    *out = json_array();
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        if (rc != PW_OK) {
            break;
        }
        json_t *body = json_object_get(o, "body");
        if (!json_is_object(body)) {
            rc = pw_fail(err, PW_EINTEGRITY, "a log entry is not a JSON object");
            break;
        }
        json_t *shown =
            viewed(c, &st, d, body, json_string_value(json_object_get(o, "id")),
                   json_string_value(json_object_get(body, "agency")), sensitivity_of(body), err);
        if (shown == NULL) {
            rc = err->code != PW_OK ? err->code : PW_EINTERNAL;
            break;
        }
        (void)json_object_set(shown, "seq", json_object_get(o, "seq"));
        (void)json_object_set(shown, "recorded_at", json_object_get(o, "recorded_at"));
        (void)json_array_append_new(*out, shown);
    }
    pw_access_state_release(&st);
    return rc;
}

static enum pw_status
facts_get(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "person", NULL };
    const char *person = NULL;
    struct pw_access_decision d;
    enum pw_status rc = pw__http_query_only(c, names, err);
    if (rc == PW_OK) {
        rc = query_id(c, "person", &person, err);
    }
    if (rc == PW_OK) {
        rc = pw__http_authorize(c, PW_ACTION_READ_RECORD, person, "facts", NULL, &d, err);
    }
    struct facts_ctx f = { c, json_array() };
    struct pw_fact_filter filter = { person, NULL };
    if (rc == PW_OK) {
        rc = pw_store_facts(c->s, &filter, collect_entry, &f, err);
    }
    json_t *shown = NULL;
    if (rc == PW_OK) {
        rc = view_list(c, person, &d, f.list, &shown, err);
    }
    if (rc == PW_OK) {
        c->out = json_object();
        (void)json_object_set_new(c->out, "person", json_string(person));
        (void)json_object_set_new(c->out, "access", access_json(&d));
        (void)json_object_set_new(c->out, "facts", shown);
        shown = NULL;
    }
    json_decref(shown);
    json_decref(f.list);
    return rc;
}

/* ---- A child's record ---- */

/* Checks the {id} and asks the policy; every child route starts here. */
static enum pw_status
child_read(struct pw__http_ctx *c, const char *kind, struct pw_access_decision *d,
           struct pw_error *err)
{
    return pw__http_authorize(c, PW_ACTION_READ_RECORD, c->match.ids[0], kind, NULL, d, err);
}

static enum pw_status
child_summary(struct pw__http_ctx *c, struct pw_error *err)
{
    const char *child = c->match.ids[0];
    struct pw_access_decision d;
    struct pw_picture p;
    memset(&p, 0, sizeof(p));
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = child_read(c, "child", &d, err);
    }
    struct facts_ctx f = { c, json_array() };
    struct pw_fact_filter filter = { child, "person.registered" };
    if (rc == PW_OK) {
        rc = pw_store_facts(c->s, &filter, collect_entry, &f, err);
    }
    json_t *shown = NULL;
    if (rc == PW_OK) {
        rc = view_list(c, child, &d, f.list, &shown, err);
    }
    if (rc == PW_OK) {
        rc = pw_rules_picture(c->rules, c->s, child, pw__http_today(c), &p, err);
    }
    if (rc == PW_OK) {
        char ps[24];
        c->out = json_object();
        if (d.view == PW_VIEW_PSEUDONYMISED) {
            rc = pw_access_pseudonym(c->s, child, ps, sizeof(ps), err);
        }
        (void)json_object_set_new(c->out, "child",
                                  json_string(d.view == PW_VIEW_PSEUDONYMISED ? ps : child));
        (void)json_object_set_new(c->out, "access", access_json(&d));
        (void)json_object_set_new(
            c->out, "registration",
            json_array_size(shown) > 0
                ? json_incref(json_array_get(shown, json_array_size(shown) - 1))
                : json_null());
        (void)json_object_set_new(c->out, "picture",
                                  json_pack("{s:i,s:i,s:I}", "score", p.score, "threshold",
                                            p.threshold, "agencies", (json_int_t)p.agencies));
    }
    json_decref(shown);
    json_decref(f.list);
    pw_picture_release(&p);
    return rc;
}

static enum pw_status
child_picture(struct pw__http_ctx *c, struct pw_error *err)
{
    const char *child = c->match.ids[0];
    struct pw_access_decision d;
    struct pw_picture p;
    memset(&p, 0, sizeof(p));
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = child_read(c, "picture", &d, err);
    }
    if (rc == PW_OK) {
        rc = pw_rules_picture(c->rules, c->s, child, pw__http_today(c), &p, err);
    }
    struct pw_access_state st;
    memset(&st, 0, sizeof(st));
    if (rc == PW_OK) {
        rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    }
    if (rc == PW_OK) {
        pw_access_picture_view(&c->user, &st, &p);
        json_t *o = pw_picture_json(child, &p);
        if (d.view == PW_VIEW_PSEUDONYMISED) {
            (void)json_object_del(o, "child"); /* an auditor is shown no ids */
        }
        (void)json_object_set_new(o, "access", access_json(&d));
        c->out = o;
    }
    pw_access_state_release(&st);
    pw_picture_release(&p);
    return rc;
}

struct alerts_ctx {
    json_t *list;
    bool all; /* resolved too */
};

static enum pw_status
collect_alert(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct alerts_ctx *x = ctx;
    bool live = a->status == PW_ALERT_OPEN || a->status == PW_ALERT_OVERDUE;
    if (!x->all && !live) {
        return PW_OK;
    }
    json_t *o = pw_alert_view_json(a);
    (void)json_array_append_new(x->list, o);
    return PW_OK;
}

/* For an auditor: the people in an alert as pseudonyms, no free text. */
static enum pw_status
pseudonymise_alert(struct pw__http_ctx *c, json_t *o, struct pw_error *err)
{
    static const char *const people[] = { "child", "subject", NULL };
    for (const char *const *k = people; *k != NULL; k++) {
        const char *id = json_string_value(json_object_get(o, *k));
        if (id != NULL) {
            char ps[24];
            enum pw_status rc = pw_access_pseudonym(c->s, id, ps, sizeof(ps), err);
            if (rc != PW_OK) {
                return rc;
            }
            (void)json_object_set_new(o, *k, json_string(ps));
        }
    }
    (void)json_object_del(o, "message");
    return PW_OK;
}

static enum pw_status
child_alerts(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "status", NULL };
    struct pw_access_decision d;
    struct alerts_ctx x = { json_array(), false };
    const char *status = pw_http_target_param(&c->target, "status");
    enum pw_status rc = pw__http_query_only(c, names, err);
    if (rc == PW_OK && status != NULL && strcmp(status, "all") != 0 &&
        strcmp(status, "open") != 0) {
        rc = pw_fail(err, PW_EINVAL, "status is open (the default) or all");
        pw_error_field(err, "status");
    }
    x.all = status != NULL && strcmp(status, "all") == 0;
    if (rc == PW_OK) {
        rc = child_read(c, "alerts", &d, err);
    }
    if (rc == PW_OK) {
        rc = pw_rules_alerts(c->rules, c->s, c->match.ids[0], pw__http_today(c), collect_alert, &x,
                             err);
    }
    size_t i;
    json_t *o;
    json_array_foreach(x.list, i, o)
    {
        if (rc == PW_OK && d.view == PW_VIEW_PSEUDONYMISED) {
            rc = pseudonymise_alert(c, o, err);
        }
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O,s:o}", "alerts", x.list, "access", access_json(&d));
    }
    json_decref(x.list);
    return rc;
}

struct chron_ctx {
    struct pw__http_ctx *c;
    const struct pw_access_state *st;
    const struct pw_access_decision *d;
    json_t *people;
    json_t *facts; /* NULL: people only (the network) */
    struct pw_buf text;
};

static enum pw_status
chron_person(struct chron_ctx *x, const struct pw_chronology_person *p, struct pw_error *err)
{
    json_t *o = json_object();
    if (x->d->view == PW_VIEW_PSEUDONYMISED) {
        char ps[24];
        enum pw_status rc = pw_access_pseudonym(x->c->s, p->person, ps, sizeof(ps), err);
        if (rc != PW_OK) {
            json_decref(o);
            return rc;
        }
        (void)json_object_set_new(o, "person", json_string(ps));
    } else {
        (void)json_object_set_new(o, "person", json_string(p->person));
        (void)json_object_set_new(o, "name", json_string(p->name));
        (void)json_object_set_new(o, "dob", text_or_null(p->dob));
        (void)json_object_set_new(o, "how", json_string(p->how));
        (void)json_object_set_new(o, "same_as", text_or_null(p->same_as));
        json_t *lived = json_array();
        for (size_t i = 0; i < p->lived_with_count; i++) {
            (void)json_array_append_new(
                lived, json_pack("{s:o,s:o}", "since", text_or_null(p->lived_with[i].since),
                                 "until", text_or_null(p->lived_with[i].until)));
        }
        (void)json_object_set_new(o, "lived_with", lived);
    }
    (void)json_object_set_new(o, "sexual_risk", json_boolean(p->sexual_risk));
    (void)json_array_append_new(x->people, o);
    return PW_OK;
}

static enum pw_status
chron_fact(struct chron_ctx *x, const struct pw_chronology_fact *f, struct pw_error *err)
{
    json_t *body = json_loads(f->entry.body, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        return pw_fail(err, PW_EINTEGRITY, "a log entry is not a JSON object");
    }
    json_t *shown =
        viewed(x->c, x->st, x->d, body, f->entry.id, f->entry.agency, f->sensitivity, err);
    bool full = shown == body;
    if (shown != NULL && full) {
        pw_buf_reset(&x->text);
        pw_fact_summary(body, &x->text);
        (void)json_object_set_new(shown, "summary", json_string(pw_buf_cstr(&x->text)));
        (void)json_object_set_new(shown, "superseded_by", text_or_null(f->superseded_by));
        json_t *concerns = json_array();
        for (size_t i = 0; i < f->concern_count; i++) {
            (void)json_array_append_new(concerns, json_string(f->concerns[i]));
        }
        (void)json_object_set_new(shown, "concerns", concerns);
    }
    json_decref(body);
    if (shown == NULL) {
        return err->code != PW_OK ? err->code : PW_EINTERNAL;
    }
    (void)json_object_set_new(shown, "seq", json_integer(f->entry.seq));
    (void)json_object_set_new(shown, "recorded_at", json_string(f->entry.recorded_at));
    (void)json_array_append_new(x->facts, shown);
    return PW_OK;
}

static enum pw_status
chron_item(void *ctx, const struct pw_chronology_item *item, struct pw_error *err)
{
    struct chron_ctx *x = ctx;
    if (item->person != NULL) {
        return chron_person(x, item->person, err);
    }
    return x->facts != NULL ? chron_fact(x, item->fact, err) : PW_OK;
}

static enum pw_status
chronology_of(struct pw__http_ctx *c, const char *kind, bool facts, json_t **people_out,
              json_t **facts_out, struct pw_access_decision *d, struct pw_error *err)
{
    const char *child = c->match.ids[0];
    struct pw_access_state st;
    memset(&st, 0, sizeof(st));
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = child_read(c, kind, d, err);
    }
    if (rc == PW_OK) {
        rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    }
    struct chron_ctx x = { c, &st, d, json_array(), facts ? json_array() : NULL, { 0 } };
    pw_buf_init(&x.text, 0);
    if (rc == PW_OK) {
        rc = pw_store_chronology(c->s, child, chron_item, &x, err);
    }
    pw_access_state_release(&st);
    pw_buf_release(&x.text);
    if (rc == PW_OK) {
        *people_out = x.people;
        *facts_out = x.facts;
    } else {
        json_decref(x.people);
        json_decref(x.facts);
    }
    return rc;
}

static enum pw_status
child_chronology(struct pw__http_ctx *c, struct pw_error *err)
{
    json_t *people = NULL;
    json_t *facts = NULL;
    struct pw_access_decision d;
    enum pw_status rc = chronology_of(c, "chronology", true, &people, &facts, &d, err);
    if (rc == PW_OK) {
        c->out =
            json_pack("{s:o,s:o,s:o}", "people", people, "facts", facts, "access", access_json(&d));
    }
    return rc;
}

struct house_ctx {
    json_t *list;
    bool pseudonymised;
};

static enum pw_status
collect_housemate(void *ctx, const struct pw_housemate *m, struct pw_error *err)
{
    (void)err;
    struct house_ctx *x = ctx;
    json_t *o = json_object();
    (void)json_object_set_new(o, "person", json_string(m->person));
    if (!x->pseudonymised) {
        (void)json_object_set_new(o, "name", text_or_null(m->name));
        (void)json_object_set_new(o, "dob", text_or_null(m->dob));
        (void)json_object_set_new(o, "line1", text_or_null(m->line1));
        (void)json_object_set_new(o, "postcode", text_or_null(m->postcode));
    }
    (void)json_object_set_new(o, "town", text_or_null(m->town));
    (void)json_object_set_new(o, "since", text_or_null(m->since));
    (void)json_object_set_new(o, "until", text_or_null(m->until));
    (void)json_object_set_new(o, "is_self", json_boolean(m->is_self));
    (void)json_object_set_new(o, "sexual_risk", json_boolean(m->sexual_risk));
    (void)json_array_append_new(x->list, o);
    return PW_OK;
}

/*
 * The network gathers what a genogram needs from the chronology: each person (as
 * chron_person shows them), their sex from their registration, and every relationship recorded
 * between two of them. Facts the caller may see only redacted are left out, and so are facts
 * corrected by a later one: the latest word counts. ids maps each person's id to the id the
 * caller is shown (a pseudonym for an auditor), so relationships name people as people do.
 */
struct net_ctx {
    struct chron_ctx chron;
    json_t *ids;           /* person id -> the person's object in chron.people (shared) */
    json_t *sex;           /* person id -> their registration's sex, or null */
    json_t *relationships; /* {from, to, kind, since, until}, in the order things happened */
};

/* A string member of a fact body, or JSON null. New reference. */
static json_t *
member_or_null(const json_t *body, const char *name)
{
    const char *s = json_string_value(json_object_get(body, name));
    return text_or_null(s);
}

static void
net_fact(struct net_ctx *n, const struct pw_chronology_fact *f, const json_t *body)
{
    if (strcmp(f->entry.type, "person.registered") == 0) {
        const char *person = json_string_value(json_object_get(body, "person"));
        if (person != NULL && json_object_get(n->ids, person) != NULL) {
            (void)json_object_set_new(n->sex, person, member_or_null(body, "sex"));
        }
        return;
    }
    json_t *from = json_object_get(n->ids, json_string_value(json_object_get(body, "from")));
    json_t *to = json_object_get(n->ids, json_string_value(json_object_get(body, "to")));
    if (from == NULL || to == NULL) {
        return; /* someone outside the network */
    }
    json_t *r = json_object();
    (void)json_object_set(r, "from", json_object_get(from, "person"));
    (void)json_object_set(r, "to", json_object_get(to, "person"));
    (void)json_object_set_new(r, "kind", member_or_null(body, "kind"));
    (void)json_object_set_new(r, "since", member_or_null(body, "since"));
    (void)json_object_set_new(r, "until", member_or_null(body, "until"));
    (void)json_array_append_new(n->relationships, r);
}

static enum pw_status
net_item(void *ctx, const struct pw_chronology_item *item, struct pw_error *err)
{
    struct net_ctx *n = ctx;
    if (item->person != NULL) {
        enum pw_status rc = chron_person(&n->chron, item->person, err);
        if (rc == PW_OK) {
            json_t *people = n->chron.people;
            (void)json_object_set(n->ids, item->person->person,
                                  json_array_get(people, json_array_size(people) - 1));
        }
        return rc;
    }
    const struct pw_chronology_fact *f = item->fact;
    if (f->superseded_by != NULL || (strcmp(f->entry.type, "person.registered") != 0 &&
                                     strcmp(f->entry.type, "relationship.recorded") != 0)) {
        return PW_OK;
    }
    struct pw__http_ctx *c = n->chron.c;
    if (pw_access_fact_view(&c->user, n->chron.st, f->entry.id, f->entry.agency, f->sensitivity) ==
        PW_FACT_REDACTED) {
        return PW_OK;
    }
    json_t *body = json_loads(f->entry.body, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        return pw_fail(err, PW_EINTEGRITY, "a log entry is not a JSON object");
    }
    net_fact(n, f, body);
    json_decref(body);
    return PW_OK;
}

/* The people and relationships of the child's network, as the caller may see them. */
static enum pw_status
network_of(struct pw__http_ctx *c, struct net_ctx *n, struct pw_access_decision *d,
           struct pw_error *err)
{
    const char *child = c->match.ids[0];
    struct pw_access_state st;
    memset(&st, 0, sizeof(st));
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = child_read(c, "network", d, err);
    }
    if (rc == PW_OK) {
        rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    }
    n->chron.c = c;
    n->chron.st = &st;
    n->chron.d = d;
    pw_buf_init(&n->chron.text, 0);
    if (rc == PW_OK) {
        rc = pw_store_chronology(c->s, child, net_item, n, err);
    }
    pw_access_state_release(&st);
    pw_buf_release(&n->chron.text);
    const char *person;
    json_t *o;
    json_object_foreach(n->ids, person, o)
    {
        json_t *sex = json_object_get(n->sex, person);
        (void)json_object_set(o, "sex", sex != NULL ? sex : json_null());
    }
    return rc;
}

static enum pw_status
child_network(struct pw__http_ctx *c, struct pw_error *err)
{
    struct pw_access_decision d;
    memset(&d, 0, sizeof(d));
    struct net_ctx n;
    memset(&n, 0, sizeof(n));
    n.chron.people = json_array();
    n.ids = json_object();
    n.sex = json_object();
    n.relationships = json_array();
    enum pw_status rc = network_of(c, &n, &d, err);
    struct house_ctx h = { json_array(), d.view == PW_VIEW_PSEUDONYMISED };
    if (rc == PW_OK) {
        rc = pw_store_household(c->s, c->match.ids[0], pw__http_today(c), true, collect_housemate,
                                &h, err);
    }
    size_t i;
    json_t *o;
    json_array_foreach(h.list, i, o)
    {
        if (rc == PW_OK && h.pseudonymised) {
            char ps[24];
            rc = pw_access_pseudonym(c->s, json_string_value(json_object_get(o, "person")), ps,
                                     sizeof(ps), err);
            (void)json_object_set_new(o, "person", json_string(ps));
        }
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O,s:O,s:O,s:o}", "people", n.chron.people, "relationships",
                           n.relationships, "households", h.list, "access", access_json(&d));
    }
    json_decref(n.chron.people);
    json_decref(n.ids);
    json_decref(n.sex);
    json_decref(n.relationships);
    json_decref(h.list);
    return rc;
}

/* ---- People search ---- */

#define SEARCH_CANDIDATES 50
#define SEARCH_MIN_SCORE  0.85

struct candidate {
    char person[PW_ID_MAX + 1];
    double score;
    json_t *registration;
};

struct search_ctx {
    char given[128];  /* normalised first token of q, or "" */
    char family[128]; /* normalised last token of q, or "" (one token: both the same) */
    bool one_token;
    int dob_y, dob_m, dob_d; /* 0: not asked */
    const char *id;          /* an identifier, or NULL */
    struct candidate cand[SEARCH_CANDIDATES];
    size_t ncand;
};

static double
name_score(const struct search_ctx *x, const struct pw_link_record *r)
{
    char given[128] = "";
    char family[128] = "";
    char alt[128] = "";
    pw_link_normalise(r->given != NULL ? r->given : "", given, sizeof(given));
    given[strcspn(given, " ")] = '\0';
    pw_link_normalise(r->family != NULL ? r->family : "", family, sizeof(family));
    pw_link_normalise(r->family_alt != NULL ? r->family_alt : "", alt, sizeof(alt));
    double fam = fmax(pw_link_jaro_winkler(x->family, family),
                      alt[0] != '\0' ? pw_link_jaro_winkler(x->family, alt) : 0.0);
    if (x->one_token) {
        double giv =
            pw_link_nickname_equal(x->given, given) ? 1.0 : pw_link_jaro_winkler(x->given, given);
        return fmax(fam, giv);
    }
    double giv =
        pw_link_nickname_equal(x->given, given) ? 1.0 : pw_link_jaro_winkler(x->given, given);
    return 0.6 * fam + 0.4 * giv;
}

static bool
id_matches(const struct pw_link_record *r, const char *id)
{
    for (size_t i = 0; i < r->nids; i++) {
        if (r->ids[i].value != NULL && strcasecmp(r->ids[i].value, id) == 0) {
            return true;
        }
    }
    return false;
}

static void
keep(struct search_ctx *x, const char *person, double score, json_t *registration)
{
    size_t at = x->ncand;
    if (at == SEARCH_CANDIDATES) {
        /* Full: replace the weakest if this one is stronger. */
        size_t weakest = 0;
        for (size_t i = 1; i < x->ncand; i++) {
            weakest = x->cand[i].score < x->cand[weakest].score ? i : weakest;
        }
        if (x->cand[weakest].score >= score) {
            return;
        }
        json_decref(x->cand[weakest].registration);
        at = weakest;
    } else {
        x->ncand++;
    }
    (void)snprintf(x->cand[at].person, sizeof(x->cand[at].person), "%s", person);
    x->cand[at].score = score;
    x->cand[at].registration = json_incref(registration);
}

static enum pw_status
score_person(void *ctx, const struct pw_link_person *p, struct pw_error *err)
{
    (void)err;
    struct search_ctx *x = ctx;
    json_t *body = json_loads(p->registration, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        return PW_OK;
    }
    struct pw_arena *arena = pw_arena_new();
    struct pw_link_id ids[16];
    struct pw_link_record r;
    pw_link_record_from_registration(body, p->agency, p->person, arena, ids, 16, &r);
    double score = 1.0;
    bool match = true;
    if (x->id != NULL) {
        match = id_matches(&r, x->id);
    }
    if (match && x->family[0] != '\0') {
        score = name_score(x, &r);
        match = score >= SEARCH_MIN_SCORE;
    }
    if (match && x->dob_y != 0) {
        match = r.dob_year == x->dob_y && (r.dob_month == 0 || r.dob_month == x->dob_m) &&
                (r.dob_day == 0 || r.dob_day == x->dob_d);
    }
    if (match) {
        keep(x, p->person, score, body);
    }
    pw_arena_free(arena);
    json_decref(body);
    return PW_OK;
}

static int
by_score(const void *a, const void *b)
{
    const struct candidate *x = a;
    const struct candidate *y = b;
    if (x->score != y->score) {
        return x->score < y->score ? 1 : -1;
    }
    return strcmp(x->person, y->person);
}

static enum pw_status
search_terms(struct pw__http_ctx *c, struct search_ctx *x, struct pw_error *err)
{
    const char *q = pw_http_target_param(&c->target, "q");
    const char *dob = pw_http_target_param(&c->target, "dob");
    const char *id = pw_http_target_param(&c->target, "id");
    if ((q == NULL || q[0] == '\0') && (dob == NULL || dob[0] == '\0') &&
        (id == NULL || id[0] == '\0')) {
        pw_fail(err, PW_EINVAL, "search by q (a name), dob (YYYY-MM-DD) or id (an identifier)");
        pw_error_field(err, "q");
        return PW_EINVAL;
    }
    if (q != NULL && q[0] != '\0') {
        char norm[256];
        if (strlen(q) > 200) {
            pw_fail(err, PW_EINVAL, "q is longer than 200 bytes");
            pw_error_field(err, "q");
            return PW_EINVAL;
        }
        pw_link_normalise(q, norm, sizeof(norm));
        size_t first = strcspn(norm, " ");
        const char *last = strrchr(norm, ' ');
        if (norm[0] == '\0') {
            pw_fail(err, PW_EINVAL, "q holds no letters to search by");
            pw_error_field(err, "q");
            return PW_EINVAL;
        }
        (void)snprintf(x->given, sizeof(x->given), "%.*s", (int)(first < 127 ? first : 127), norm);
        (void)snprintf(x->family, sizeof(x->family), "%.127s", last != NULL ? last + 1 : norm);
        x->one_token = last == NULL;
    }
    if (dob != NULL && dob[0] != '\0') {
        int32_t day = 0;
        struct pw_error ignored;
        pw_error_clear(&ignored);
        if (pw_date_parse(dob, strlen(dob), &day, &ignored) != PW_OK) {
            pw_fail(err, PW_EINVAL, "dob must be a date, YYYY-MM-DD");
            pw_error_field(err, "dob");
            return PW_EINVAL;
        }
        pw_date_to_ymd(day, &x->dob_y, &x->dob_m, &x->dob_d);
    }
    if (id != NULL && id[0] != '\0') {
        if (strlen(id) > 64) {
            pw_fail(err, PW_EINVAL, "id is longer than 64 bytes");
            pw_error_field(err, "id");
            return PW_EINVAL;
        }
        x->id = id;
    }
    return PW_OK;
}

static enum pw_status
people_search(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "q", "dob", "id", NULL };
    struct search_ctx *x = pw_xcalloc(1, sizeof(*x));
    enum pw_status rc = pw__http_query_only(c, names, err);
    if (rc == PW_OK && c->user.role != PW_ROLE_PRACTITIONER && c->user.role != PW_ROLE_MANAGER &&
        c->user.role != PW_ROLE_FRONT_DOOR) {
        /* Auditors read pseudonyms; a search by name would tell them who is on record. */
        rc = pw_fail(err, PW_EFORBIDDEN, "your role does not search case records by name");
    }
    if (rc == PW_OK) {
        rc = search_terms(c, x, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_link_people(c->s, score_person, x, err);
    }
    qsort(x->cand, x->ncand, sizeof(x->cand[0]), by_score);
    json_t *results = json_array();
    for (size_t i = 0; i < x->ncand && rc == PW_OK; i++) {
        if (json_array_size(results) >= PW_HTTP_SEARCH_RESULTS) {
            break;
        }
        /* Each person shown is a read of their record: on the access log. */
        struct pw_access_decision d;
        rc = pw__http_authorize_listed(c, PW_ACTION_READ_RECORD, x->cand[i].person, "search", &d,
                                       err);
        if (rc != PW_OK || !d.allow) {
            continue;
        }
        const json_t *reg = x->cand[i].registration;
        json_t *o = json_object();
        (void)json_object_set_new(o, "person", json_string(x->cand[i].person));
        (void)json_object_set_new(o, "score", json_real(round(x->cand[i].score * 1000) / 1000));
        (void)json_object_set(o, "names", json_object_get(reg, "names"));
        (void)json_object_set(o, "dob", json_object_get(reg, "dob"));
        (void)json_object_set(o, "agency", json_object_get(reg, "agency"));
        (void)json_array_append_new(results, o);
    }
    for (size_t i = 0; i < x->ncand; i++) {
        json_decref(x->cand[i].registration);
    }
    free(x);
    if (rc == PW_OK) {
        c->out = json_pack("{s:O,s:s}", "results", results, "note",
                           "only people whose record you may read are listed; if a child may be "
                           "at risk and you have no relationship with their record, break-glass "
                           "(POST /api/break-glass) gives access with a recorded reason");
    }
    json_decref(results);
    return rc;
}

/* ---- Episodes: the stage and every deadline (as `pathway episode ID`) ---- */

/*
 * An episode concerns the children its facts name, and its view (the stage, every step with
 * the facts that started and met its clock) is about all of them: the caller must be allowed
 * to read every one of those children's records (docs/access.md). Each child's decision is on
 * the access log as a read of the episode; the first refusal ends it. An episode that does
 * not exist, or names no child, is refused as a child that does not exist is: the same
 * status and message, by role, and the attempt is logged.
 */
static enum pw_status
episode_child(struct pw__http_ctx *c, const char *episode, const char *child,
              struct pw_access_decision *d, struct pw_error *err)
{
    return pw__http_authorize(c, PW_ACTION_READ_RECORD, child, "episode", episode, d, err);
}

/* No episode (or none with a child): the refusal a child that does not exist gets. */
static enum pw_status
episode_unknown(struct pw__http_ctx *c, const char *episode, struct pw_error *err)
{
    struct pw_access_state none;
    memset(&none, 0, sizeof(none));
    struct pw_access_decision d =
        pw_access_decide(&c->user, PW_ACTION_READ_RECORD, &none, c->now_us);
    enum pw_status rc = PW_OK;
    if (!c->h->opts.no_access_log) {
        rc = pw_access_log(c->s, &c->aopts, &c->user, pw_action_name(PW_ACTION_READ_RECORD),
                           "episode", episode, NULL, "denied", pw_basis_name(d.basis), d.reason,
                           NULL, err);
    }
    return rc == PW_OK ? pw_fail(err, PW_EFORBIDDEN, "%s", d.reason) : rc;
}

static enum pw_status
episode_get(struct pw__http_ctx *c, struct pw_error *err)
{
    const char *episode = c->match.ids[0];
    struct pw_episode_view v;
    struct pw_access_decision d;
    memset(&v, 0, sizeof(v));
    memset(&d, 0, sizeof(d));
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        struct pw_error lookup;
        pw_error_clear(&lookup);
        rc = pw_pathway_episode(c->s, c->h->opts.config, episode, pw__http_today(c), &v, &lookup);
        if (rc == PW_ENOTFOUND || (rc == PW_OK && v.nchildren == 0)) {
            rc = episode_unknown(c, episode, err);
        } else if (rc != PW_OK) {
            *err = lookup;
        }
    }
    /* Every child, or nothing: the first refusal is the answer. */
    for (size_t i = 0; rc == PW_OK && i < v.nchildren; i++) {
        rc = episode_child(c, episode, v.children[i], &d, err);
    }
    json_t *children = json_array();
    for (size_t i = 0; rc == PW_OK && i < v.nchildren; i++) {
        char ps[24];
        if (d.view == PW_VIEW_PSEUDONYMISED) {
            rc = pw_access_pseudonym(c->s, v.children[i], ps, sizeof(ps), err);
        }
        (void)json_array_append_new(
            children, json_string(d.view == PW_VIEW_PSEUDONYMISED ? ps : v.children[i]));
    }
    if (rc == PW_OK) {
        c->out = pw_episode_view_json(&v);
        (void)json_object_set(c->out, "children", children); /* pseudonyms for an auditor */
        (void)json_object_set_new(c->out, "access", access_json(&d));
    }
    json_decref(children);
    pw_episode_view_release(&v);
    return rc;
}

/* ---- Users (administrators) ---- */

static enum pw_status
manage_users(struct pw__http_ctx *c, const char *kind, const char *id, struct pw_error *err)
{
    struct pw_access_decision d;
    return pw_access_authorize(c->s, &c->aopts, &c->user, PW_ACTION_MANAGE_USERS, NULL, kind, id,
                               &d, err);
}

static enum pw_status
collect_user(void *ctx, const struct pw_user *u, struct pw_error *err)
{
    (void)err;
    json_t *o = user_json(u);
    (void)json_object_set_new(o, "disabled", json_boolean(u->disabled));
    (void)json_object_set_new(o, "has_password", json_boolean(u->has_password));
    (void)json_array_append_new(ctx, o);
    return PW_OK;
}

static enum pw_status
users_get(struct pw__http_ctx *c, struct pw_error *err)
{
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = manage_users(c, "users", "", err);
    }
    json_t *list = json_array();
    if (rc == PW_OK) {
        rc = pw_access_users(c->s, collect_user, list, err);
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O}", "users", list);
    }
    json_decref(list);
    return rc;
}

static enum pw_status
users_post(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "id", "agency", "role", "name", "password", NULL };
    const char *id = NULL, *agency = NULL, *role = NULL, *name = NULL, *password = NULL;
    enum pw_role r = PW_ROLE_PRACTITIONER;
    enum pw_status rc = body_only(c->body, names, err);
    rc = rc == PW_OK ? body_string(c->body, "id", true, &id, err) : rc;
    rc = rc == PW_OK ? body_string(c->body, "agency", true, &agency, err) : rc;
    rc = rc == PW_OK ? body_string(c->body, "role", true, &role, err) : rc;
    rc = rc == PW_OK ? body_string(c->body, "name", true, &name, err) : rc;
    rc = rc == PW_OK ? body_string(c->body, "password", false, &password, err) : rc;
    if (rc == PW_OK) {
        rc = manage_users(c, "user", id, err);
    }
    if (rc == PW_OK && !pw_role_parse(role, &r)) {
        rc = pw_fail(err, PW_EINVAL, "unknown role");
        pw_error_field(err, "role");
    }
    if (rc == PW_OK) {
        size_t plen =
            password != NULL ? json_string_length(json_object_get(c->body, "password")) : 0;
        rc = pw_access_user_add(c->s, &c->aopts, c->user.id, id, agency, r, name, password, plen,
                                err);
    }
    if (rc == PW_OK) {
        struct pw_user u;
        rc = pw_access_user_get(c->s, id, &u, err);
        if (rc == PW_OK) {
            c->resp->status = 201;
            c->out = user_json(&u);
        }
    }
    return rc;
}

static enum pw_status
users_disable(struct pw__http_ctx *c, struct pw_error *err)
{
    const char *id = c->match.ids[0];
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        rc = manage_users(c, "user", id, err);
    }
    if (rc == PW_OK) {
        rc = pw_access_user_disable(c->s, &c->aopts, c->user.id, id, err);
    }
    if (rc == PW_OK) {
        pw__http_session_end_user(c->h, id); /* out at once, not at their next request */
        c->out = json_pack("{s:s,s:b}", "id", id, "disabled", 1);
    }
    return rc;
}

/* ---- Break-glass ---- */

static enum pw_status
break_glass(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "child", "reason", "hours", NULL };
    const char *child = NULL;
    const char *reason = NULL;
    json_int_t hours = 0;
    enum pw_status rc = body_only(c->body, names, err);
    rc = rc == PW_OK ? body_string(c->body, "child", true, &child, err) : rc;
    rc = rc == PW_OK ? body_string(c->body, "reason", true, &reason, err) : rc;
    const json_t *h = json_object_get(c->body, "hours");
    if (rc == PW_OK && h != NULL) {
        if (!json_is_integer(h) || json_integer_value(h) < 1 ||
            json_integer_value(h) > PW_BREAK_GLASS_HOURS_MAX) {
            rc = pw_fail(err, PW_EINVAL, "hours must be a whole number from 1 to %d",
                         PW_BREAK_GLASS_HOURS_MAX);
            pw_error_field(err, "hours");
        } else {
            hours = json_integer_value(h);
        }
    }
    if (rc == PW_OK && !pw_id_valid(child, strlen(child))) {
        rc = pw_fail(err, PW_EINVAL, "child must be a valid id");
        pw_error_field(err, "child");
    }
    char id[40];
    if (rc == PW_OK) {
        rc = pw_access_break_glass(c->s, &c->aopts, &c->user, child, reason, (int)hours, id, err);
    }
    if (rc == PW_OK) {
        c->resp->status = 201;
        c->out = json_pack("{s:s,s:s,s:i}", "grant", id, "child", child, "hours",
                           hours > 0 ? (int)hours : PW_BREAK_GLASS_HOURS);
    }
    return rc;
}

/* ---- Break-glass grants for the data lead to review ---- */

static enum pw_status
collect_grant(void *ctx, const struct pw_grant_row *g, struct pw_error *err)
{
    (void)err;
    json_t *o = json_object();
    (void)json_object_set_new(o, "id", text_or_null(g->id));
    (void)json_object_set_new(o, "user", text_or_null(g->user));
    (void)json_object_set_new(o, "agency", text_or_null(g->agency));
    (void)json_object_set_new(o, "child", text_or_null(g->child));
    (void)json_object_set_new(o, "reason", text_or_null(g->reason));
    (void)json_object_set_new(o, "granted_at", text_or_null(g->granted_at));
    (void)json_object_set_new(o, "expires_at", text_or_null(g->expires_at));
    (void)json_object_set_new(o, "reviewed_by", text_or_null(g->reviewed_by));
    (void)json_object_set_new(o, "review_outcome", text_or_null(g->review_outcome));
    (void)json_array_append_new(ctx, o);
    return PW_OK;
}

static enum pw_status
break_glass_list(struct pw__http_ctx *c, struct pw_error *err)
{
    static const char *const names[] = { "all", NULL };
    const char *all = pw_http_target_param(&c->target, "all");
    bool every = all != NULL && strcmp(all, "1") == 0;
    struct pw_access_decision d;
    enum pw_status rc = pw__http_query_only(c, names, err);
    if (rc == PW_OK) {
        rc = pw_access_authorize(c->s, &c->aopts, &c->user, PW_ACTION_REVIEW_BREAK_GLASS, NULL,
                                 "break_glass", every ? "all" : "unreviewed", &d, err);
    }
    json_t *list = json_array();
    if (rc == PW_OK) {
        rc = pw_store_grants(c->s, every ? PW_GRANTS_ALL : PW_GRANTS_UNREVIEWED, NULL,
                             collect_grant, list, err);
    }
    if (rc == PW_OK) {
        c->out = json_pack("{s:O}", "grants", list);
    }
    json_decref(list);
    return rc;
}

/* ---- Who has seen a child's record (the access log about it) ---- */

static enum pw_status
collect_look(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)err;
    json_t *list = ctx;
    json_t *o = json_object();
    (void)json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
    (void)json_object_set_new(o, "at", text_or_null(e->at));
    (void)json_object_set_new(o, "user", text_or_null(e->user));
    (void)json_object_set_new(o, "agency", text_or_null(e->agency));
    (void)json_object_set_new(o, "role", text_or_null(e->role));
    (void)json_object_set_new(o, "action", text_or_null(e->action));
    (void)json_object_set_new(o, "record_kind", text_or_null(e->record_kind));
    (void)json_object_set_new(o, "record", text_or_null(e->record_id));
    (void)json_object_set_new(o, "outcome", text_or_null(e->outcome));
    (void)json_object_set_new(o, "basis", text_or_null(e->basis));
    (void)json_object_set_new(o, "reason", text_or_null(e->reason));
    (void)json_object_set_new(o, "grant", text_or_null(e->grant));
    (void)json_array_append_new(list, o);
    return PW_OK;
}

static enum pw_status
child_access_log(struct pw__http_ctx *c, struct pw_error *err)
{
    const char *child = c->match.ids[0];
    struct pw_access_decision d;
    enum pw_status rc = pw__http_query_only(c, NULL, err);
    if (rc == PW_OK) {
        /* Asking who looked is itself a look at the record of who looked: logged first. */
        rc = pw__http_authorize(c, PW_ACTION_READ_ACCESS_LOG, child, "access_log", child, &d, err);
    }
    json_t *list = json_array();
    if (rc == PW_OK) {
        rc = pw_store_access_entries(c->s, child, collect_look, list, err);
    }
    if (rc == PW_OK) {
        c->out =
            json_pack("{s:s,s:O,s:o}", "child", child, "entries", list, "access", access_json(&d));
    }
    json_decref(list);
    return rc;
}

/* ---- The table ---- */

struct route {
    struct pw_http_route_info info;
    pw__http_handler handler;
};

#define SMALL PW_HTTP_BODY_MAX_SMALL

static const struct route routes[] = {
    { { "POST", "/api/session", PW_HTTP_PUBLIC, PW_ACTION__COUNT, SMALL }, session_post },
    { { "GET", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT, 0 }, session_get },
    { { "DELETE", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT, 0 }, session_delete },
    { { "POST", "/api/facts", PW_HTTP_POLICY, PW_ACTION_WRITE_FACT, PW_HTTP_BODY_MAX_FACTS },
      facts_post },
    { { "GET", "/api/facts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 }, facts_get },
    { { "GET", "/api/people", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 }, people_search },
    { { "GET", "/api/children/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 }, child_summary },
    { { "GET", "/api/children/{id}/picture", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 },
      child_picture },
    { { "GET", "/api/children/{id}/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 },
      child_alerts },
    { { "GET", "/api/children/{id}/chronology", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 },
      child_chronology },
    { { "GET", "/api/children/{id}/network", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 },
      child_network },
    { { "GET", "/api/children/{id}/access-log", PW_HTTP_POLICY, PW_ACTION_READ_ACCESS_LOG, 0 },
      child_access_log },
    { { "GET", "/api/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 }, pw__http_alerts_mine },
    { { "GET", "/api/deadlines", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 },
      pw__http_deadlines_mine },
    { { "GET", "/api/episodes/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, 0 }, episode_get },
    { { "GET", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, 0 }, users_get },
    { { "POST", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, SMALL }, users_post },
    { { "POST", "/api/users/{id}/disable", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, 0 },
      users_disable },
    { { "GET", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_REVIEW_BREAK_GLASS, 0 },
      break_glass_list },
    { { "POST", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_BREAK_GLASS, SMALL }, break_glass },
};

#define ROUTE_COUNT (sizeof(routes) / sizeof(routes[0]))

size_t
pw_http_route_count(void)
{
    return ROUTE_COUNT;
}

const struct pw_http_route_info *
pw_http_route_at(size_t i)
{
    return i < ROUTE_COUNT ? &routes[i].info : NULL;
}

pw__http_handler
pw__http_handler_for(const struct pw_http_route_info *r)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (&routes[i].info == r) {
            return routes[i].handler;
        }
    }
    return NULL;
}
