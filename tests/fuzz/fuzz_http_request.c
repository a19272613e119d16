/*
 * libFuzzer target for the request parsing of src/http/parse.c: the input is split at the
 * first two newlines into a method, a request target and a "header" line used as both a
 * Cookie and an Authorization header, and the rest is a JSON body. Each part goes through the
 * parser that sees it in the server (target decoding, routing, cookies, bearer tokens, the
 * JSON body checks); the sanitizers catch what goes wrong, and the invariants below what
 * parses but should not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
take_line(const uint8_t **p, size_t *n)
{
    const uint8_t *nl = memchr(*p, '\n', *n);
    size_t len = nl != NULL ? (size_t)(nl - *p) : *n;
    char *s = malloc(len + 1);
    memcpy(s, *p, len);
    s[len] = '\0';
    *p += nl != NULL ? len + 1 : len;
    *n -= nl != NULL ? len + 1 : len;
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t n = size;
    char *method = take_line(&p, &n);
    char *uri = take_line(&p, &n);
    char *header = take_line(&p, &n);
    struct pw_error err = { 0 };
    struct pw_http_target t;
    if (pw_http_target_parse(uri, &t, &err) == PW_OK) {
        /* A decoded path never holds a NUL, a control character, "//" or a dot segment. */
        if (strstr(t.path, "/../") != NULL || strstr(t.path, "//") != NULL) {
            abort();
        }
        struct pw_http_match m;
        pw_http_route_match(method, t.path, &m);
        if (m.route != NULL && strcmp(m.route->method, method) != 0) {
            abort();
        }
        for (size_t i = 0; i < m.nids; i++) {
            if (!pw_id_valid(m.ids[i], strlen(m.ids[i]))) {
                abort();
            }
        }
        (void)pw_http_target_param(&t, "q");
        pw_http_target_release(&t);
    }
    char value[160];
    if (pw_http_cookie_get(header, "pw_session", value, sizeof(value)) &&
        (value[0] == '\0' || strchr(value, ';') != NULL)) {
        abort();
    }
    if (pw_http_bearer_get(header, value, sizeof(value)) && strchr(value, ' ') != NULL) {
        abort();
    }
    json_t *j = NULL;
    pw_error_clear(&err);
    if (pw_http_json_parse((const char *)p, n, PW_HTTP_JSON_DEPTH_MAX, &j, &err) == PW_OK &&
        j == NULL) {
        abort();
    }
    json_decref(j);
    free(method);
    free(uri);
    free(header);
    return 0;
}
