/*
 * Pages: every path outside /api/ goes to the web module's hook, with the caller signed in by
 * their session cookie or not at all (pages take no bearer tokens), a store handle, and a way
 * to call the API's own handlers as that caller (pw_http_page_call). So a page reads and
 * writes through exactly the code a client of the API does: the same policy, the same access
 * log entries, the same redaction. What http decides here is only transport: the form's size
 * and that a browser did not send it from another site.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "http/http_int.h"

bool
pw__http_is_api(const char *path)
{
    return strcmp(path, "/api") == 0 || strncmp(path, "/api/", 5) == 0;
}

void
pw_http_set_pages(struct pw_http *h, pw_http_page_fn fn, void *ctx)
{
    h->page_fn = fn;
    h->page_ctx = ctx;
}

static void
answer_text(struct pw_http_response *resp, int status, const char *text)
{
    free(resp->body);
    resp->status = status;
    resp->body = pw_xstrdup(text);
    resp->body_len = resp->body != NULL ? strlen(text) : 0;
    resp->content_type = "text/plain; charset=utf-8";
}

/* The caller of a page by their session cookie: signed in, or not (never an error). */
static void
page_user(struct pw__http_ctx *c)
{
    char value[160];
    struct pw_error ignored;
    pw_error_clear(&ignored);
    if (pw_http_cookie_get(c->req->cookie, pw__http_cookie_name(c->h), value, sizeof(value)) &&
        pw__http_session_find(c->h, value, c->now_us, &c->session)) {
        c->by_cookie = true;
        if (pw__http_load_user(c, c->session.user, &ignored) != PW_OK) {
            pw__http_session_end_user(c->h, c->session.user);
            c->by_cookie = false;
        }
    }
    pw_wipe(value, sizeof(value));
}

void
pw__http_page(struct pw__http_ctx *c)
{
    const struct pw_http_request *req = c->req;
    bool reads = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
    if (req->body_too_big || req->body_len > PW_HTTP_BODY_MAX_PAGE) {
        answer_text(c->resp, 413, "The form is too large to send.\n");
        return;
    }
    /*
     * A form posted from another site is refused before anything reads it: the session cookie
     * is SameSite=Strict and every signed-in form carries a CSRF token, but the sign-in form has
     * no session yet, and browsers say where a request came from (ASVS 3.5.3).
     */
    const char *site = req->sec_fetch_site;
    if (!reads && site != NULL && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0) {
        answer_text(c->resp, 403, "A form from another site was refused.\n");
        return;
    }
    struct pw__http_slot *slot = pw__http_borrow(c->h);
    c->s = slot->s;
    c->rules = slot->rules;
    page_user(c);
    struct pw_http_page p = {
        .h = c->h,
        .s = c->s,
        .rules = c->rules,
        .req = req,
        .target = &c->target,
        .user = c->signed_in ? &c->user : NULL,
        .csrf = c->by_cookie ? c->session.csrf : NULL,
        .now_us = c->now_us,
        .internal = c,
    };
    c->h->page_fn(c->h->page_ctx, &p, c->resp);
    pw__http_give_back(c->h, slot);
    pw_wipe(&c->session, sizeof(c->session));
}

bool
pw_http_page_csrf_ok(const struct pw_http_page *p, const char *token)
{
    return p->csrf != NULL && token != NULL && strlen(token) == PW_ID_RANDOM_TEXT - 1 &&
           sodium_memcmp(token, p->csrf, PW_ID_RANDOM_TEXT - 1) == 0;
}

enum pw_status
pw_http_page_call(struct pw_http_page *p, const char *method, const char *uri, json_t *body,
                  json_t **out, struct pw_http_response *resp, struct pw_error *err)
{
    const struct pw__http_ctx *pc = p->internal;
    struct pw_http_request req = { .method = method, .uri = uri };
    struct pw_http_response scratch;
    struct pw__http_ctx c;
    memset(&scratch, 0, sizeof(scratch));
    memset(&c, 0, sizeof(c));
    c.h = pc->h;
    c.s = pc->s;
    c.rules = pc->rules;
    c.req = &req;
    c.user = pc->user;
    c.signed_in = pc->signed_in;
    c.by_cookie = pc->by_cookie;
    c.session = pc->session;
    c.aopts = pc->aopts;
    c.now_us = pc->now_us;
    c.resp = &scratch;
    *out = NULL;
    enum pw_status rc = pw_http_target_parse(uri, &c.target, err);
    if (rc == PW_OK) {
        pw_http_route_match(method, c.target.path, &c.match);
        if (c.match.route == NULL) {
            rc = pw_fail(err, PW_EINTERNAL, "a page called an API path that is not there");
        }
    }
    if (rc == PW_OK && c.match.route != NULL && c.match.route->guard != PW_HTTP_PUBLIC &&
        !c.signed_in) {
        rc = pw_fail(err, PW_EAUTH, "sign in first");
    }
    if (rc == PW_OK) {
        c.body = json_incref(body);
        rc = pw__http_handler_for(c.match.route)(&c, err);
    }
    if (rc == PW_OK) {
        *out = c.out != NULL ? c.out : json_object();
        c.out = NULL;
    }
    if (resp != NULL && scratch.set_cookie[0] != '\0') {
        (void)snprintf(resp->set_cookie, sizeof(resp->set_cookie), "%s", scratch.set_cookie);
    }
    json_decref(c.out);
    json_decref(c.body);
    pw_http_target_release(&c.target);
    pw_http_response_release(&scratch);
    pw_wipe(&c.session, sizeof(c.session));
    return rc;
}
