/*
 * The pages' server side: the table of pages (pages.def), the assets, and what every page
 * shares: the layout (who is signed in, the navigation, the error summary, a success banner),
 * redirects, refusals and the form's CSRF check. A page handler gathers data from the API and
 * calls pw__page_render; nothing here knows about children or alerts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/time.h"
#include "web/web_int.h"

#ifndef PW_WEB_ASSETS_DEFAULT
# define PW_WEB_ASSETS_DEFAULT "build/web"
#endif
#define ASSET_MAX ((size_t)4 * 1024 * 1024)

struct asset {
    char *path; /* "/assets/app.css" */
    char *bytes;
    size_t len;
    const char *type;
};

struct pw_web {
    struct pw__tpl_set *tpls;
    struct asset *assets;
    size_t nassets;
};

/* ---- The table ---- */

struct page_route {
    const char *method;
    const char *pattern;
    bool signed_in;
    pw__page_fn fn;
};

static const struct page_route routes[] = {
#define PAGE(m, pat, signed_in, fn) { m, pat, signed_in, fn },
#include "web/pages.def"
#undef PAGE
};

/* Matches path against pattern, copying {id} segments into ids. */
static bool
match(const char *pattern, const char *path, char ids[2][PW_ID_MAX + 1])
{
    size_t nids = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (strncmp(pattern, "{id}", 4) == 0) {
            size_t n = strcspn(path, "/");
            if (n == 0 || n > PW_ID_MAX || nids == 2) {
                return false;
            }
            memcpy(ids[nids], path, n);
            ids[nids][n] = '\0';
            nids++;
            pattern += 4;
            path += n;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

/* ---- Assets ---- */

static const char *
type_of(const char *name)
{
    static const struct {
        const char *ext;
        const char *type;
    } types[] = {
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".mjs", "text/javascript; charset=utf-8" },
        { ".ico", "image/x-icon" },
        { ".png", "image/png" },
        { ".svg", "image/svg+xml" },
        { ".woff2", "font/woff2" },
        { ".woff", "font/woff" },
        { ".json", "application/json" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return NULL;
}

static enum pw_status
load_file(const char *file, char **bytes, size_t *len, struct pw_error *err)
{
    FILE *f = fopen(file, "rb");
    struct pw_buf b;
    pw_buf_init(&b, ASSET_MAX);
    if (f == NULL) {
        char why[128];
        return pw_fail(err, PW_EIO, "cannot read %s: %s", file,
                       pw_strerror(errno, why, sizeof(why)));
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        pw_buf_add(&b, chunk, n);
    }
    bool bad = ferror(f) != 0;
    (void)fclose(f);
    enum pw_status rc =
        bad ? pw_fail(err, PW_EIO, "cannot read %s", file) : pw_buf_check(&b, "an asset", err);
    if (rc == PW_OK) {
        *bytes = pw_buf_detach(&b, len);
        if (*bytes == NULL) {
            *bytes = pw_xstrdup("");
        }
    }
    pw_buf_release(&b);
    return rc;
}

/* Every file of dir/sub with a known type becomes /assets/sub/name (one level of folders). */
static enum pw_status
load_dir(struct pw_web *w, const char *root, const char *sub, struct pw_error *err)
{
    char dir[1024];
    (void)snprintf(dir, sizeof(dir), "%s%s%s", root, sub[0] != '\0' ? "/" : "", sub);
    DIR *d = opendir(dir);
    if (d == NULL) {
        return pw_fail(err, PW_EIO,
                       "the web pages' assets are not in %s (run scripts/setup.sh, then make)",
                       dir);
    }
    enum pw_status rc = PW_OK;
    struct dirent *e;
    /* One thread reads its own directory stream, once, at start. */
    while (rc == PW_OK && (e = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        char file[2048];
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        (void)snprintf(file, sizeof(file), "%s/%s", dir, e->d_name);
        if (stat(file, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode) && sub[0] == '\0') {
            rc = load_dir(w, root, e->d_name, err);
            continue;
        }
        const char *type = type_of(e->d_name);
        if (!S_ISREG(st.st_mode) || type == NULL) {
            continue;
        }
        struct asset a = { NULL, NULL, 0, type };
        rc = load_file(file, &a.bytes, &a.len, err);
        if (rc == PW_OK) {
            char path[1024];
            (void)snprintf(path, sizeof(path), "/assets/%s%s%s", sub, sub[0] != '\0' ? "/" : "",
                           e->d_name);
            a.path = pw_xstrdup(path);
            w->assets = pw_xrealloc(w->assets, (w->nassets + 1) * sizeof(*w->assets));
            w->assets[w->nassets++] = a;
        }
    }
    (void)closedir(d);
    return rc;
}

static bool
serve_asset(const struct pw_web *w, const char *path, struct pw_http_response *resp)
{
    for (size_t i = 0; i < w->nassets; i++) {
        if (strcmp(w->assets[i].path, path) == 0) {
            resp->status = 200;
            resp->body = pw_xmalloc(w->assets[i].len + 1);
            memcpy(resp->body, w->assets[i].bytes, w->assets[i].len);
            resp->body_len = w->assets[i].len;
            resp->content_type = w->assets[i].type;
            resp->cacheable = true;
            return true;
        }
    }
    return false;
}

/* ---- Lifetime ---- */

enum pw_status
pw_web_new(const struct pw_web_options *opts, struct pw_web **out, struct pw_error *err)
{
    struct pw_web *w = pw_xcalloc(1, sizeof(*w));
    const char *assets =
        opts != NULL && opts->assets != NULL ? opts->assets : PW_WEB_ASSETS_DEFAULT;
    enum pw_status rc = pw__tpl_set_new(&w->tpls, err);
    if (rc == PW_OK && assets[0] != '\0') {
        rc = load_dir(w, assets, "", err);
    }
    if (rc == PW_OK && assets[0] != '\0') {
        static const char *const needed[] = { "/assets/app.css", "/assets/app.js", NULL };
        for (const char *const *n = needed; *n != NULL && rc == PW_OK; n++) {
            bool found = false;
            for (size_t i = 0; i < w->nassets; i++) {
                found = found || strcmp(w->assets[i].path, *n) == 0;
            }
            if (!found) {
                rc = pw_fail(err, PW_EIO, "%s is missing from %s (run make)", *n + 8, assets);
            }
        }
    }
    if (rc != PW_OK) {
        pw_web_free(w);
        return rc;
    }
    *out = w;
    return PW_OK;
}

void
pw_web_free(struct pw_web *w)
{
    if (w == NULL) {
        return;
    }
    pw__tpl_set_free(w->tpls);
    for (size_t i = 0; i < w->nassets; i++) {
        free(w->assets[i].path);
        free(w->assets[i].bytes);
    }
    free(w->assets);
    free(w);
}

/* ---- Shared by every page ---- */

static json_t *
nav_json(const struct pw__page *pg)
{
    static const struct {
        const char *key;
        const char *href;
        const char *text;
    } items[] = {
        { "work", "/work", "My work" },
        { "people", "/people", "Find a person" },
    };
    json_t *a = json_array();
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        bool current = pg->nav != NULL && strcmp(pg->nav, items[i].key) == 0;
        (void)json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "href", items[i].href, "text",
                                                 items[i].text, "current", current));
    }
    return a;
}

static const char *
role_words(enum pw_role r)
{
    switch (r) {
    case PW_ROLE_PRACTITIONER:
        return "practitioner";
    case PW_ROLE_MANAGER:
        return "manager";
    case PW_ROLE_FRONT_DOOR:
        return "front door";
    case PW_ROLE_DATA_LEAD:
        return "data lead";
    case PW_ROLE_AUDITOR:
        return "auditor";
    case PW_ROLE_ADMINISTRATOR:
        return "administrator";
    default:
        return pw_role_name(r);
    }
}

static void
answer_html(struct pw_http_response *resp, int status, struct pw_buf *b)
{
    free(resp->body);
    resp->status = status;
    resp->body = pw_buf_detach(b, &resp->body_len);
    if (resp->body == NULL) {
        resp->body = pw_xstrdup("");
        resp->body_len = 0;
    }
    resp->content_type = "text/html; charset=utf-8";
    resp->page = true;
}

/* The last resort when a template itself fails: plain words, nothing from the request. */
static void
answer_broken(struct pw_http_response *resp)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    pw_buf_adds(&b, "<!DOCTYPE html><html lang=\"en-GB\"><head><title>Sorry, there is a problem "
                    "– Pathway</title></head><body><h1>Sorry, there is a problem with the "
                    "service</h1><p>Try again later. What you typed has not been saved.</p>"
                    "</body></html>");
    answer_html(resp, 500, &b);
    pw_buf_release(&b);
}

void
pw__page_render(struct pw__page *pg, const char *name, const char *title, json_t *data)
{
    struct pw_buf body;
    struct pw_buf page;
    struct pw_error err;
    pw_error_clear(&err);
    pw_buf_init(&body, 0);
    pw_buf_init(&page, 0);
    if (data == NULL) {
        data = json_object();
    }
    (void)json_object_set_new(data, "field_errors",
                              pg->field_errors != NULL ? json_incref(pg->field_errors)
                                                       : json_object());
    if (pg->p->csrf != NULL) {
        (void)json_object_set_new(data, "csrf", json_string(pg->p->csrf));
    }
    enum pw_status rc = pw__tpl_render(pg->w->tpls, name, data, &body, &err);
    json_t *layout = json_object();
    (void)json_object_set_new(layout, "title", json_string(title));
    if (rc == PW_OK) {
        (void)json_object_set_new(layout, "body_html", json_stringn(pw_buf_cstr(&body), body.len));
    }
    const struct pw_user *u = pg->p->user;
    if (u != NULL) {
        (void)json_object_set_new(layout, "user",
                                  json_pack("{s:s,s:s,s:s,s:s,s:o,s:s}", "id", u->id, "name",
                                            u->name, "agency_name", pw__words_agency(u->agency),
                                            "role_name", role_words(u->role), "nav", nav_json(pg),
                                            "csrf", pg->p->csrf != NULL ? pg->p->csrf : ""));
    }
    if (pg->errors != NULL && json_array_size(pg->errors) > 0) {
        (void)json_object_set_new(layout, "error_summary", json_true());
        (void)json_object_set(layout, "errors", pg->errors);
    }
    if (pg->notice != NULL) {
        (void)json_object_set_new(layout, "notice", json_string(pg->notice));
    }
    json_t *back = json_object_get(data, "back");
    if (back != NULL) {
        (void)json_object_set(layout, "back", back);
    }
    if (rc == PW_OK) {
        rc = pw__tpl_render(pg->w->tpls, "layout", layout, &page, &err);
    }
    if (rc == PW_OK) {
        answer_html(pg->resp, pg->resp->status != 0 ? pg->resp->status : 200, &page);
    } else {
        (void)fprintf(stderr, "pathway serve: page %s: %s\n", name, err.msg);
        answer_broken(pg->resp);
    }
    json_decref(layout);
    json_decref(data);
    pw_buf_release(&body);
    pw_buf_release(&page);
}

void
pw__page_redirect(struct pw__page *pg, const char *location)
{
    free(pg->resp->body);
    pg->resp->body = pw_xstrdup("");
    pg->resp->body_len = 0;
    pg->resp->status = 303;
    pg->resp->content_type = "text/plain; charset=utf-8";
    (void)snprintf(pg->resp->location, sizeof(pg->resp->location), "%s", location);
}

void
pw__page_redirect_child(struct pw__page *pg, const char *child, const char *suffix)
{
    struct pw_buf to;
    pw_buf_init(&to, 0);
    pw_buf_adds(&to, "/children/");
    pw__url_encode(&to, child);
    pw_buf_adds(&to, suffix);
    pw__page_redirect(pg, pw_buf_cstr(&to));
    pw_buf_release(&to);
}

void
pw__page_fail(struct pw__page *pg, int status, const char *title, const char *message)
{
    pg->resp->status = status;
    pw__page_render(pg, "problem", title,
                    json_pack("{s:s,s:s}", "heading", title, "message", message));
}

void
pw__page_api_fail(struct pw__page *pg, enum pw_status rc, const struct pw_error *err)
{
    if (rc == PW_EFORBIDDEN && strcmp(pg->p->req->method, "POST") == 0) {
        /* A write refused: the user read the form, so the record is no secret to them. */
        pw__page_fail(pg, 403, "Not saved: you may not record this",
                      err->msg[0] != '\0' ? err->msg : pw_status_text(rc));
        return;
    }
    switch (rc) {
    case PW_EAUTH:
        pw__page_redirect(pg, "/sign-in");
        return;
    case PW_EFORBIDDEN:
    case PW_ENOTFOUND:
        /* The API answers both alike, so that nobody learns a record exists by being refused. */
        pw__page_fail(pg, 404, "Record not found or not yours to see",
                      "There is no record here that you may see. If a child is at risk and you "
                      "have no relationship with their record, you can look at it with a "
                      "reason that is reported (break the glass) from the record's address.");
        return;
    case PW_EDB:
    case PW_EIO:
    case PW_EINTERNAL:
        pw__page_fail(pg, 500, "Sorry, there is a problem with the service",
                      "Try again later. Nothing has been saved.");
        return;
    default:
        pw__page_fail(pg, pw_status_http(rc), "That could not be done",
                      err->msg[0] != '\0' ? err->msg : pw_status_text(rc));
        return;
    }
}

enum pw_status
pw__page_api(struct pw__page *pg, const char *method, const char *uri, json_t *body, json_t **out,
             struct pw_error *err)
{
    return pw_http_page_call(pg->p, method, uri, body, out, pg->resp, err);
}

enum pw_status
pw__page_get(struct pw__page *pg, const char *prefix, const char *id, const char *suffix,
             json_t **out, struct pw_error *err)
{
    struct pw_buf uri;
    pw_buf_init(&uri, 0);
    pw_buf_adds(&uri, prefix);
    pw__url_encode(&uri, id);
    pw_buf_adds(&uri, suffix);
    enum pw_status rc = pw__page_api(pg, "GET", pw_buf_cstr(&uri), NULL, out, err);
    pw_buf_release(&uri);
    return rc;
}

void
pw__page_error(struct pw__page *pg, const char *field, const char *message)
{
    if (pg->errors == NULL) {
        pg->errors = json_array();
        pg->field_errors = json_object();
    }
    /* The API's messages start in lower case; a GOV.UK error message is a sentence. */
    char text[sizeof(((struct pw_error *)NULL)->msg)];
    (void)snprintf(text, sizeof(text), "%s", message);
    if (text[0] >= 'a' && text[0] <= 'z') {
        text[0] = (char)(text[0] - 'a' + 'A');
    }
    (void)json_array_append_new(pg->errors,
                                json_pack("{s:s,s:s}", "field", field, "message", text));
    if (json_object_get(pg->field_errors, field) == NULL) {
        (void)json_object_set_new(pg->field_errors, field, json_string(text));
    }
}

bool
pw__page_csrf(struct pw__page *pg)
{
    if (pw_http_page_csrf_ok(pg->p, pw__form_get(&pg->form, "csrf"))) {
        return true;
    }
    pw__page_fail(pg, 403, "This form has expired",
                  "Go back, reload the page and send it again. Nothing has been saved.");
    return false;
}

const char *
pw__page_query(const struct pw__page *pg, const char *name)
{
    return pw_http_target_param(pg->p->target, name);
}

int32_t
pw__page_today(const struct pw__page *pg)
{
    return pw_time_uk_date(pg->p->now_us);
}

void
pw__url_encode(struct pw_buf *b, const char *s)
{
    static const char digits[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            pw_buf_addc(b, (char)*p);
        } else {
            pw_buf_addc(b, '%');
            pw_buf_addc(b, digits[*p >> 4]);
            pw_buf_addc(b, digits[*p & 15]);
        }
    }
}

const char *
pw__words_agency(const char *code)
{
    static const struct {
        const char *code;
        const char *words;
    } agencies[] = {
        { "csc", "Children's social care" },
        { "police", "Police" },
        { "health", "Health" },
        { "probation", "Probation" },
        { "education", "Education" },
        { "yjs", "Youth justice" },
        { "cafcass", "Cafcass" },
        { "early_help", "Early help" },
        { "other", "Other" },
    };
    for (size_t i = 0; code != NULL && i < sizeof(agencies) / sizeof(agencies[0]); i++) {
        if (strcmp(agencies[i].code, code) == 0) {
            return agencies[i].words;
        }
    }
    return code != NULL ? code : "";
}

/* ---- Dispatch ---- */

static void
handle(void *ctx, struct pw_http_page *p, struct pw_http_response *resp)
{
    struct pw_web *w = ctx;
    const char *path = p->target->path;
    const char *method = strcmp(p->req->method, "HEAD") == 0 ? "GET" : p->req->method;
    if (strncmp(path, "/assets/", 8) == 0 && strcmp(method, "GET") == 0 &&
        serve_asset(w, path, resp)) {
        return;
    }
    struct pw__page pg;
    memset(&pg, 0, sizeof(pg));
    pg.w = w;
    pg.p = p;
    pg.resp = resp;
    const struct page_route *route = NULL;
    bool path_known = false;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && route == NULL; i++) {
        if (match(routes[i].pattern, path, pg.ids)) {
            path_known = true;
            if (strcmp(routes[i].method, method) == 0) {
                route = &routes[i];
            }
        }
    }
    if (route == NULL) {
        pw__page_fail(&pg, path_known ? 405 : 404, "Page not found",
                      "If you typed the web address, check it is correct.");
    } else if (route->signed_in && p->user == NULL) {
        pw__page_redirect(&pg, "/sign-in");
    } else if (strcmp(method, "POST") == 0) {
        struct pw_error err;
        pw_error_clear(&err);
        if (pw__form_parse(p->req->body, p->req->body_len, &pg.form, &err) != PW_OK) {
            pw__page_fail(&pg, 400, "The form could not be read", err.msg);
        } else if (!route->signed_in || pw__page_csrf(&pg)) {
            route->fn(&pg);
        }
    } else {
        route->fn(&pg);
    }
    pw__form_release(&pg.form);
    json_decref(pg.errors);
    json_decref(pg.field_errors);
}

void
pw_web_attach(struct pw_web *w, struct pw_http *h)
{
    pw_http_set_pages(h, handle, w);
}
