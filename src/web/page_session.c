/*
 * Signing in and out, through the API's own session handlers (POST and DELETE /api/session),
 * so a page's sign-in has the same timing, lock-out and logging as the API's. A refused
 * sign-in keeps the username typed and never says which of the two was wrong.
 */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

#include "web/web_int.h"

void
pw__page_home(struct pw__page *pg)
{
    pw__page_redirect(pg, pg->p->user != NULL ? "/work" : "/sign-in");
}

static void
sign_in_form(struct pw__page *pg, const char *user)
{
    pw__page_render(pg, "sign_in", "Sign in", json_pack("{s:s}", "user", user));
}

void
pw__page_sign_in(struct pw__page *pg)
{
    if (pg->p->user != NULL) {
        pw__page_redirect(pg, "/work");
        return;
    }
    sign_in_form(pg, "");
}

void
pw__page_sign_in_post(struct pw__page *pg)
{
    const char *user = pw__form_text(&pg->form, "user");
    const char *password = pw__form_get(&pg->form, "password");
    if (user[0] == '\0') {
        pw__page_error(pg, "user", "Enter your username");
    }
    if (password == NULL || password[0] == '\0') {
        pw__page_error(pg, "password", "Enter your password");
    }
    if (pg->errors != NULL) {
        pg->resp->status = 400;
        sign_in_form(pg, user);
        return;
    }
    struct pw_error err;
    pw_error_clear(&err);
    json_t *body = json_pack("{s:s,s:s}", "user", user, "password", password);
    json_t *out = NULL;
    enum pw_status rc = pw__page_api(pg, "POST", "/api/session", body, &out, &err);
    json_t *pw = json_object_get(body, "password");
    if (pw != NULL) {
        /* jansson holds a copy of the password: wipe it before the body is freed */
        pw_wipe((char *)(uintptr_t)json_string_value(pw), json_string_length(pw));
    }
    json_decref(body);
    json_decref(out);
    if (rc == PW_OK) {
        pw__page_redirect(pg, "/work");
    } else if (rc == PW_EAUTH || rc == PW_EINVAL || rc == PW_EFORBIDDEN) {
        pw__page_error(pg, "user", err.msg[0] != '\0' ? err.msg : "Sign-in failed");
        pg->resp->status = 401;
        sign_in_form(pg, user);
    } else {
        pw__page_api_fail(pg, rc, &err);
    }
}

void
pw__page_sign_out(struct pw__page *pg)
{
    struct pw_error err;
    pw_error_clear(&err);
    json_t *out = NULL;
    /* Signed out or not (the session may have ended already), the page to go to is sign-in. */
    enum pw_status rc = pw__page_api(pg, "DELETE", "/api/session", NULL, &out, &err);
    (void)rc;
    json_decref(out);
    pw__page_redirect(pg, "/sign-in");
}
