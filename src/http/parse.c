/*
 * Request parsing that does not need a socket: the request target (path and query, decoded
 * once, before anything looks at them: ASVS 1.1.1), the route table lookup, the session
 * cookie, the bearer token and the JSON body checks. Everything here is pure and is what
 * tests/fuzz/fuzz_http_request.c feeds with arbitrary bytes. It refuses rather than repairs:
 * a client of this API never needs an encoded NUL, a "..", an encoded '/' or invalid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "http/http.h"
#include "http/http_int.h"

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool
pw__http_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len = 0;
        unsigned min = 0;
        unsigned cp = 0;
        if (c == 0) {
            return false;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            min = 0x80;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            min = 0x800;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            min = 0x10000;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) {
            return false;
        }
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and past U+10FFFF are not UTF-8. */
        if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return false;
        }
        i += len;
    }
    return true;
}

/*
 * Decodes s[0..n) into a new string. plus_space: '+' is a space (queries, forms). Refuses a
 * bad escape, a control character (raw or encoded; a form's text may hold tab, CR and LF, as
 * a textarea sends them) and invalid UTF-8; in a path also an encoded '/', which would let
 * one segment pose as two.
 */
static char *
decode_as(const char *s, size_t n, bool plus_space, bool path, bool text)
{
    char *out = pw_xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
            int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(out);
                return NULL;
            }
            c = (unsigned char)(hi * 16 + lo);
            if (path && c == '/') {
                free(out);
                return NULL;
            }
            i += 2;
        } else if (plus_space && c == '+') {
            c = ' ';
        }
        bool line_break = text && (c == '\t' || c == '\r' || c == '\n');
        if ((c < 0x20 && !line_break) || c == 0x7F) {
            free(out);
            return NULL;
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    if (!pw__http_utf8_valid(out, o)) {
        free(out);
        return NULL;
    }
    return out;
}

static char *
decode(const char *s, size_t n, bool plus_space, bool path)
{
    return decode_as(s, n, plus_space, path, false);
}

char *
pw_http_form_decode(const char *s, size_t n)
{
    return decode_as(s, n, true, false, true);
}

void
pw_http_target_release(struct pw_http_target *t)
{
    free(t->path);
    for (size_t i = 0; i < t->nparams; i++) {
        free(t->params[i].name);
        free(t->params[i].value);
    }
    memset(t, 0, sizeof(*t));
}

const char *
pw_http_target_param(const struct pw_http_target *t, const char *name)
{
    for (size_t i = 0; i < t->nparams; i++) {
        if (strcmp(t->params[i].name, name) == 0) {
            return t->params[i].value;
        }
    }
    return NULL;
}

/* No empty, "." or ".." segment: the router never sees a path that means another path. */
static bool
path_plain(const char *path)
{
    const char *p = path;
    while (*p == '/') {
        const char *seg = p + 1;
        size_t n = strcspn(seg, "/");
        if (n == 0 && seg[n] == '/') {
            return false; /* "//" */
        }
        if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            return false;
        }
        p = seg + n;
    }
    return true;
}

static enum pw_status
parse_query(const char *q, size_t n, struct pw_http_target *t, struct pw_error *err)
{
    size_t i = 0;
    while (i < n) {
        size_t end = i;
        while (end < n && q[end] != '&') {
            end++;
        }
        if (end > i) {
            const char *eq = memchr(q + i, '=', end - i);
            size_t klen = eq != NULL ? (size_t)(eq - (q + i)) : end - i;
            if (t->nparams >= PW_HTTP_QUERY_PARAMS) {
                return pw_fail(err, PW_EINVAL, "too many query parameters (at most %d)",
                               PW_HTTP_QUERY_PARAMS);
            }
            char *name = decode(q + i, klen, true, false);
            char *value =
                eq != NULL ? decode(eq + 1, end - i - klen - 1, true, false) : pw_xstrdup("");
            if (name == NULL || value == NULL || name[0] == '\0') {
                free(name);
                free(value);
                pw_fail(err, PW_EINVAL,
                        "the query string is not valid (a bad %%-escape, a control character "
                        "or invalid UTF-8)");
                pw_error_field(err, "query");
                return PW_EINVAL;
            }
            if (pw_http_target_param(t, name) != NULL) {
                free(name);
                free(value);
                pw_fail(err, PW_EINVAL, "a query parameter is given twice");
                pw_error_field(err, "query");
                return PW_EINVAL;
            }
            t->params[t->nparams].name = name;
            t->params[t->nparams].value = value;
            t->nparams++;
        }
        i = end + 1;
    }
    return PW_OK;
}

enum pw_status
pw_http_target_parse(const char *uri, struct pw_http_target *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    if (uri == NULL || uri[0] != '/') {
        pw_fail(err, PW_EINVAL, "the request target must be a path");
        pw_error_field(err, "path");
        return PW_EINVAL;
    }
    size_t len = strnlen(uri, PW_HTTP_URI_MAX + 1);
    if (len > PW_HTTP_URI_MAX) {
        return pw_fail(err, PW_ETOOBIG, "the request target is longer than %d bytes",
                       PW_HTTP_URI_MAX);
    }
    size_t plen = strcspn(uri, "?#");
    if (uri[plen] == '#') {
        pw_fail(err, PW_EINVAL, "a request target has no fragment");
        pw_error_field(err, "path");
        return PW_EINVAL;
    }
    out->path = decode(uri, plen, false, true);
    if (out->path == NULL || !path_plain(out->path)) {
        pw_http_target_release(out);
        pw_fail(err, PW_EINVAL,
                "the path is not valid (a bad %%-escape, an encoded '/', a control character, "
                "an empty, '.' or '..' segment, or invalid UTF-8)");
        pw_error_field(err, "path");
        return PW_EINVAL;
    }
    enum pw_status rc = PW_OK;
    if (uri[plen] == '?') {
        const char *q = uri + plen + 1;
        size_t qlen = strcspn(q, "#");
        if (q[qlen] == '#') {
            rc = pw_fail(err, PW_EINVAL, "a request target has no fragment");
            pw_error_field(err, "query");
        } else {
            rc = parse_query(q, qlen, out, err);
        }
    }
    if (rc != PW_OK) {
        pw_http_target_release(out);
    }
    return rc;
}

/* ---- Routing ---- */

/*
 * Matches pattern ("/api/children/{id}/picture") against path; each {id} takes one segment,
 * which must be a valid id (model's pw_id_valid), copied into m->ids.
 */
static bool
pattern_match(const char *pattern, const char *path, struct pw_http_match *m)
{
    const char *p = pattern;
    const char *q = path;
    size_t nids = 0;
    while (*p != '\0') {
        if (strncmp(p, "{id}", 4) == 0) {
            size_t n = strcspn(q, "/");
            if (n == 0 || n > PW_ID_MAX || nids >= 2 || !pw_id_valid(q, n)) {
                return false;
            }
            memcpy(m->ids[nids], q, n);
            m->ids[nids][n] = '\0';
            nids++;
            p += 4;
            q += n;
            continue;
        }
        if (*p != *q) {
            return false;
        }
        p++;
        q++;
    }
    if (*q != '\0') {
        return false;
    }
    m->nids = nids;
    return true;
}

void
pw_http_route_match(const char *method, const char *path, struct pw_http_match *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = pw_http_route_count();
    for (size_t i = 0; i < n; i++) {
        const struct pw_http_route_info *r = pw_http_route_at(i);
        struct pw_http_match m;
        memset(&m, 0, sizeof(m));
        if (!pattern_match(r->pattern, path, &m)) {
            continue;
        }
        if (!out->path_known) {
            *out = m;
            out->route = NULL;
            out->path_known = true;
        }
        size_t used = strlen(out->allow);
        if (used + strlen(r->method) + 3 < sizeof(out->allow)) {
            (void)snprintf(out->allow + used, sizeof(out->allow) - used, "%s%s",
                           used > 0 ? ", " : "", r->method);
        }
        if (method != NULL && strcmp(r->method, method) == 0) {
            char allow[sizeof(out->allow)];
            memcpy(allow, out->allow, sizeof(allow));
            *out = m;
            memcpy(out->allow, allow, sizeof(allow));
            out->route = r;
            out->path_known = true;
        }
    }
}

/* ---- Headers ---- */

bool
pw_http_cookie_get(const char *header, const char *name, char *out, size_t size)
{
    if (header == NULL || size == 0) {
        return false;
    }
    size_t nlen = strlen(name);
    bool found = false;
    const char *p = header;
    while (*p != '\0') {
        p += strspn(p, " \t;");
        size_t n = strcspn(p, ";");
        const char *eq = memchr(p, '=', n);
        if (eq != NULL && (size_t)(eq - p) == nlen && strncmp(p, name, nlen) == 0) {
            size_t vlen = n - nlen - 1;
            const char *v = eq + 1;
            while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
                vlen--;
            }
            if (found || vlen == 0 || vlen >= size) {
                return false;
            }
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            found = true;
        }
        p += n;
    }
    return found;
}

bool
pw_http_bearer_get(const char *header, char *out, size_t size)
{
    static const char scheme[] = "Bearer ";
    if (header == NULL || strncmp(header, scheme, sizeof(scheme) - 1) != 0) {
        return false;
    }
    const char *t = header + sizeof(scheme) - 1;
    size_t n = strlen(t);
    if (n == 0 || n >= size || strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_") != n) {
        return false;
    }
    memcpy(out, t, n + 1);
    return true;
}

/* ---- JSON bodies ---- */

/* The deepest nesting of s[0..n), counting only brackets outside strings. */
static int
json_depth(const char *s, size_t n)
{
    int depth = 0;
    int max = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            depth++;
            if (depth > max) {
                max = depth;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

enum pw_status
pw_http_json_parse(const char *body, size_t len, int max_depth, json_t **out, struct pw_error *err)
{
    *out = NULL;
    if (body == NULL || len == 0) {
        pw_fail(err, PW_EINVAL, "the request needs a JSON body");
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    if (!pw__http_utf8_valid(body, len)) {
        pw_fail(err, PW_EINVAL, "the body is not valid UTF-8 (or holds a NUL byte)");
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    if (json_depth(body, len) > max_depth) {
        pw_fail(err, PW_EINVAL, "the JSON body is nested deeper than %d levels", max_depth);
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    json_error_t jerr;
    *out = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (*out == NULL) {
        /* jansson's text names the position and the kind of mistake, never the input. */
        pw_fail(err, PW_EINVAL, "the body is not valid JSON (line %d, column %d)", jerr.line,
                jerr.column);
        pw_error_field(err, "body");
        return PW_EINVAL;
    }
    return PW_OK;
}
