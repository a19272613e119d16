/*
 * One request from start to answer, without a socket: parse the target, find the route, check
 * the body's size and type, authenticate (bearer token or session cookie, the user re-read on
 * every request so a disabled user is out at once), check CSRF for state-changing requests
 * made with a cookie, borrow a store handle, run the handler, and write the answer or the
 * error as JSON. Also the server's lifetime: the pool of store handles, and API tokens.
 *
 * Order matters for what a caller can learn: authentication comes before the body is looked
 * at, so someone not signed in learns only "sign in" whatever they send.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/time.h"
#include "http/http_int.h"

/* ---- The pool of store handles ---- */

/*
 * The server and the access logger its threads share (group commit of the reads they log).
 * The logger lives beside struct pw_http rather than in it: h is the first member, so a
 * struct pw_http made here is also one of these.
 */
struct http_logged {
    struct pw_http h;
    struct pw_access_logger *logger; /* NULL with --bench-no-access-log */
};

static struct pw_access_logger *
logger_of(struct pw_http *h)
{
    return ((struct http_logged *)(void *)h)->logger;
}

/* The logger, with a store handle of its own for the committer. */
static enum pw_status
logger_open(struct http_logged *w, struct pw_error *err)
{
    struct pw_store *ls = NULL;
    if (w->h.opts.no_access_log) {
        return PW_OK;
    }
    enum pw_status rc = pw_store_open(w->h.opts.db, 0, &ls, err);
    if (rc == PW_OK) {
        rc = pw_access_logger_new(ls, NULL, &w->logger, err);
    }
    return rc;
}

enum pw_status
pw_http_new(const struct pw_http_options *opts, struct pw_http **out, struct pw_error *err)
{
    struct http_logged *w = pw_xcalloc(1, sizeof(*w));
    struct pw_http *h = &w->h;
    h->opts = *opts;
    h->nslots = opts->threads > 0 ? opts->threads : 4;
    h->slots = pw_xcalloc(h->nslots, sizeof(*h->slots));
    h->sessions = pw_xcalloc(PW_HTTP_SESSIONS_MAX, sizeof(*h->sessions));
    (void)pthread_mutex_init(&h->pool_lock, NULL);
    (void)pthread_cond_init(&h->pool_free, NULL);
    (void)pthread_mutex_init(&h->session_lock, NULL);
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < h->nslots && rc == PW_OK; i++) {
        rc = pw_store_open(opts->db, 0, &h->slots[i].s, err);
        if (rc == PW_OK) {
            h->slots[i].rules = pw_rules_new(opts->config);
            pw_rules_attach(h->slots[i].rules, h->slots[i].s);
        }
    }
    if (rc == PW_OK) {
        /* The pseudonym key is made on first use, a write: make it now, not inside a read. */
        char ps[24];
        rc = pw_access_pseudonym(h->slots[0].s, "p-0", ps, sizeof(ps), err);
    }
    if (rc == PW_OK) {
        rc = logger_open(w, err);
    }
    if (rc != PW_OK) {
        pw_http_free(h);
        return rc;
    }
    *out = h;
    return PW_OK;
}

void
pw_http_free(struct pw_http *h)
{
    if (h == NULL) {
        return;
    }
    pw__http_stop(h); /* no request is running now: the logger's queue is empty or draining */
    pw_access_logger_free(logger_of(h));
    for (size_t i = 0; i < h->nslots; i++) {
        pw_store_close(h->slots[i].s);
        pw_rules_free(h->slots[i].rules);
    }
    free(h->slots);
    pw_wipe(h->sessions, PW_HTTP_SESSIONS_MAX * sizeof(*h->sessions));
    free(h->sessions);
    (void)pthread_mutex_destroy(&h->pool_lock);
    (void)pthread_cond_destroy(&h->pool_free);
    (void)pthread_mutex_destroy(&h->session_lock);
    free((struct http_logged *)(void *)h);
}

bool
pw_http_secure(const struct pw_http *h)
{
    return h->opts.secure_cookies;
}

struct pw__http_slot *
pw__http_borrow(struct pw_http *h)
{
    struct pw__http_slot *got = NULL;
    (void)pthread_mutex_lock(&h->pool_lock);
    while (got == NULL) {
        for (size_t i = 0; i < h->nslots && got == NULL; i++) {
            if (!h->slots[i].busy) {
                got = &h->slots[i];
                got->busy = true;
            }
        }
        if (got == NULL) {
            (void)pthread_cond_wait(&h->pool_free, &h->pool_lock);
        }
    }
    (void)pthread_mutex_unlock(&h->pool_lock);
    return got;
}

void
pw__http_give_back(struct pw_http *h, struct pw__http_slot *slot)
{
    (void)pthread_mutex_lock(&h->pool_lock);
    slot->busy = false;
    (void)pthread_cond_signal(&h->pool_free);
    (void)pthread_mutex_unlock(&h->pool_lock);
}

/* ---- API tokens ---- */

struct token_tx {
    const char *actor;
    const char *user;
    const char *key;
    const struct pw_access_opts *o;
};

static enum pw_status
token_store(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct token_tx *t = ctx;
    struct pw_user actor;
    bool have_actor = false;
    if (t->actor != NULL) {
        enum pw_status rc = pw_access_user_get(s, t->actor, &actor, err);
        if (rc != PW_OK) {
            return rc;
        }
        have_actor = true;
    }
    enum pw_status rc = pw_store_meta_set(s, t->key, t->user, err);
    if (rc == PW_OK) {
        rc = pw_access_log(s, t->o, have_actor ? &actor : NULL, "token.create", "user", t->user,
                           NULL, "done", "role", "an API token was made", NULL, err);
    }
    return rc;
}

enum pw_status
pw_http_token_new(struct pw_store *s, const char *actor, const char *user, char *token, size_t size,
                  struct pw_error *err)
{
    struct pw_user u;
    char a[PW_ID_RANDOM_TEXT];
    char b[PW_ID_RANDOM_TEXT];
    char key[128];
    struct pw_access_opts o = { 0 };
    enum pw_status rc = pw_access_user_get(s, user, &u, err);
    if (rc == PW_OK && u.disabled) {
        rc = pw_fail(err, PW_EINVAL, "user %s is disabled", user);
    }
    if (rc == PW_OK && size < sizeof(PW_HTTP_TOKEN_PREFIX) + 64) {
        rc = pw_fail(err, PW_EINTERNAL, "no room for the token");
    }
    if (rc != PW_OK) {
        return rc;
    }
    /* 256 random bits: a token lives longer than a session and may sit in a config file. */
    pw_id_random(a, sizeof(a), NULL);
    pw_id_random(b, sizeof(b), NULL);
    (void)snprintf(token, size, "%s%s%s", PW_HTTP_TOKEN_PREFIX, a, b);
    pw__http_token_key(token, key, sizeof(key));
    struct token_tx t = { actor, user, key, &o };
    rc = pw_store_transact(s, token_store, &t, err);
    pw_wipe(a, sizeof(a));
    pw_wipe(b, sizeof(b));
    if (rc != PW_OK) {
        pw_wipe(token, size);
    }
    return rc;
}

/* ---- Answers ---- */

json_t *
pw__http_error_doc(const char *code, const char *message)
{
    json_t *e = json_object();
    (void)json_object_set_new(e, "code", json_string(code));
    (void)json_object_set_new(e, "message", json_string(message));
    (void)json_object_set_new(e, "field", json_null());
    json_t *doc = json_object();
    (void)json_object_set_new(doc, "error", e);
    return doc;
}

static void
answer_json(struct pw_http_response *resp, int status, json_t *doc)
{
    size_t len = 0;
    char *text = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
    len = text != NULL ? strlen(text) : 0;
    if (text == NULL) {
        text = pw_xstrdup("{\"error\":{\"code\":\"EINTERNAL\",\"message\":\"internal error\","
                          "\"field\":null}}");
        len = strlen(text);
        status = 500;
    }
    free(resp->body);
    resp->status = status;
    resp->body = text;
    resp->body_len = len;
}

/*
 * {"error": {"code", "message", "field"}}. The message is err's, which is safe to show by
 * contract (no personal data); JSON_ENSURE_ASCII escapes whatever it holds. The detail, for
 * the operator, is never sent.
 */
void
pw__http_answer_error(struct pw_http_response *resp, enum pw_status rc, const struct pw_error *err)
{
    json_t *e = json_object();
    const char *msg = err->code != PW_OK && err->msg[0] != '\0' ? err->msg : pw_status_text(rc);
    if (rc == PW_EDB || rc == PW_EIO || rc == PW_EINTERNAL) {
        msg = pw_status_text(rc); /* no storage or internal detail to a client */
    }
    (void)json_object_set_new(e, "code", json_string(pw_status_name(rc)));
    (void)json_object_set_new(e, "message", json_string(msg));
    (void)json_object_set_new(e, "field",
                              err->field[0] != '\0' ? json_string(err->field) : json_null());
    json_t *doc = json_object();
    (void)json_object_set_new(doc, "error", e);
    answer_json(resp, pw_status_http(rc), doc);
    json_decref(doc);
}

/* ---- Authentication ---- */

enum pw_status
pw__http_load_user(struct pw__http_ctx *c, const char *id, struct pw_error *err)
{
    struct pw_error ignored;
    pw_error_clear(&ignored);
    if (pw_access_user_get(c->s, id, &c->user, &ignored) != PW_OK || c->user.disabled) {
        return pw_fail(err, PW_EAUTH, "sign in again: the session or token is no longer valid");
    }
    c->signed_in = true;
    return PW_OK;
}

static enum pw_status
authenticate(struct pw__http_ctx *c, struct pw_error *err)
{
    const struct pw_http_request *req = c->req;
    char value[160];
    if (req->authorization != NULL) {
        char key[128];
        char user[PW_ID_MAX + 1];
        bool found = false;
        if (!pw_http_bearer_get(req->authorization, value, sizeof(value))) {
            return pw_fail(err, PW_EAUTH, "the Authorization header must be \"Bearer TOKEN\"");
        }
        pw__http_token_key(value, key, sizeof(key));
        pw_wipe(value, sizeof(value));
        enum pw_status rc = pw_store_meta_get(c->s, key, user, sizeof(user), &found, err);
        if (rc != PW_OK) {
            return rc;
        }
        if (!found) {
            return pw_fail(err, PW_EAUTH, "sign in again: the session or token is no longer valid");
        }
        return pw__http_load_user(c, user, err);
    }
    if (!pw_http_cookie_get(req->cookie, pw__http_cookie_name(c->h), value, sizeof(value)) ||
        !pw__http_session_find(c->h, value, c->now_us, &c->session)) {
        return pw_fail(err, PW_EAUTH, "sign in first (POST /api/session)");
    }
    c->by_cookie = true;
    enum pw_status rc = pw__http_load_user(c, c->session.user, err);
    if (rc != PW_OK) {
        pw__http_session_end_user(c->h, c->session.user);
    }
    return rc;
}

/*
 * A state-changing request carried by a cookie must show the session's CSRF token, which a
 * page of another site cannot read (ASVS 3.5.1). Bearer requests are exempt: a browser never
 * adds an Authorization header by itself.
 */
static enum pw_status
check_csrf(struct pw__http_ctx *c, struct pw_error *err)
{
    if (!c->by_cookie || strcmp(c->req->method, "GET") == 0) {
        return PW_OK;
    }
    const char *t = c->req->csrf;
    if (t == NULL || strlen(t) != PW_ID_RANDOM_TEXT - 1 ||
        sodium_memcmp(t, c->session.csrf, PW_ID_RANDOM_TEXT - 1) != 0) {
        return pw_fail(err, PW_EFORBIDDEN,
                       "the X-CSRF-Token header is missing or wrong (GET /api/session gives it)");
    }
    return PW_OK;
}

static enum pw_status
check_body(struct pw__http_ctx *c, struct pw_error *err)
{
    const struct pw_http_route_info *r = c->match.route;
    const struct pw_http_request *req = c->req;
    if (req->body_too_big || req->body_len > (r->body_max > 0 ? r->body_max : 0) ||
        (r->body_max == 0 && req->body_len > 0)) {
        if (r->body_max == 0) {
            pw_fail(err, PW_EINVAL, "this request takes no body");
            pw_error_field(err, "body");
            return PW_EINVAL;
        }
        return pw_fail(err, PW_ETOOBIG, "the body is larger than %zu bytes", r->body_max);
    }
    if (r->body_max == 0) {
        return PW_OK;
    }
    const char *ct = req->content_type;
    static const char json_type[] = "application/json";
    size_t n = sizeof(json_type) - 1;
    if (ct == NULL || strncasecmp(ct, json_type, n) != 0 || (ct[n] != '\0' && ct[n] != ';')) {
        pw_fail(err, PW_EINVAL, "the body must be JSON (Content-Type: application/json)");
        pw_error_field(err, "Content-Type");
        return PW_EINVAL;
    }
    return pw_http_json_parse(req->body, req->body_len, PW_HTTP_JSON_DEPTH_MAX, &c->body, err);
}

void
pw_http_handle(struct pw_http *h, const struct pw_http_request *req, struct pw_http_response *resp)
{
    struct pw__http_ctx c;
    struct pw_error err;
    struct pw__http_slot *slot = NULL;
    memset(&c, 0, sizeof(c));
    memset(resp, 0, sizeof(*resp));
    pw_error_clear(&err);
    c.h = h;
    c.req = req;
    c.resp = resp;
    c.now_us = h->opts.now_us != 0 ? h->opts.now_us : pw_time_now_us();
    c.aopts.now_us = c.now_us;
    c.aopts.hash_cost = h->opts.hash_cost;
    enum pw_status rc = pw_http_target_parse(req->uri, &c.target, &err);
    if (rc == PW_OK && h->page_fn != NULL && !pw__http_is_api(c.target.path)) {
        pw__http_page(&c);
        pw_http_target_release(&c.target);
        return;
    }
    if (rc == PW_OK) {
        pw_http_route_match(req->method, c.target.path, &c.match);
        if (c.match.route == NULL && c.match.path_known) {
            (void)snprintf(resp->allow, sizeof(resp->allow), "%s", c.match.allow);
            json_t *doc = pw__http_error_doc("EMETHOD", "this path does not take that method");
            answer_json(resp, 405, doc);
            json_decref(doc);
            pw_http_target_release(&c.target);
            return;
        }
        if (c.match.route == NULL) {
            rc = pw_fail(&err, PW_ENOTFOUND, "there is no such API path");
        }
    }
    if (rc == PW_OK) {
        slot = pw__http_borrow(h);
        c.s = slot->s;
        c.rules = slot->rules;
    }
    if (rc == PW_OK && c.match.route != NULL && c.match.route->guard != PW_HTTP_PUBLIC) {
        rc = authenticate(&c, &err);
        resp->www_authenticate = rc == PW_EAUTH;
    }
    if (rc == PW_OK) {
        rc = check_csrf(&c, &err);
    }
    if (rc == PW_OK) {
        rc = check_body(&c, &err);
    }
    if (rc == PW_OK) {
        rc = pw__http_handler_for(c.match.route)(&c, &err);
    }
    if (slot != NULL) {
        pw__http_give_back(h, slot);
    }
    if (rc == PW_OK) {
        if (c.out == NULL) {
            c.out = json_object();
        }
        answer_json(resp, resp->status != 0 ? resp->status : 200, c.out);
    } else {
        pw__http_answer_error(resp, rc, &err);
    }
    json_decref(c.out);
    json_decref(c.body);
    pw_http_target_release(&c.target);
}

void
pw_http_response_release(struct pw_http_response *resp)
{
    free(resp->body);
    memset(resp, 0, sizeof(*resp));
}

static enum pw_status
authorize(struct pw__http_ctx *c, enum pw_action a, const char *child, const char *kind,
          const char *record, bool listed, struct pw_access_decision *d, struct pw_error *err)
{
    if (!c->h->opts.no_access_log) {
        /* Group commit: the entry is committed, with those of other threads, before this
         * returns; a failed batch fails this request (fail closed). */
        return (listed ? pw_access_authorize_listed : pw_access_authorize_grouped)(
            c->s, logger_of(c->h), &c->aopts, &c->user, a, child, kind,
            record != NULL ? record : child, d, err);
    }
    struct pw_access_state st;
    enum pw_status rc = pw_access_state_load(c->s, child, c->now_us, &st, err);
    if (rc == PW_OK) {
        *d = pw_access_decide(&c->user, a, &st, c->now_us);
        if (!d->allow && !listed) {
            rc = pw_fail(err, PW_EFORBIDDEN, "%s", d->reason);
        }
    }
    pw_access_state_release(&st);
    return rc;
}

enum pw_status
pw__http_authorize(struct pw__http_ctx *c, enum pw_action a, const char *child, const char *kind,
                   const char *record, struct pw_access_decision *d, struct pw_error *err)
{
    return authorize(c, a, child, kind, record, false, d, err);
}

enum pw_status
pw__http_authorize_listed(struct pw__http_ctx *c, enum pw_action a, const char *child,
                          const char *kind, struct pw_access_decision *d, struct pw_error *err)
{
    return authorize(c, a, child, kind, NULL, true, d, err);
}
