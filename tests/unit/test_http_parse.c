/*
 * The request parsing of src/http/parse.c: request targets (decoding once, refusing what could
 * mean another path), routing with {id} segments and 405 for a known path, cookies, bearer
 * tokens and the JSON body checks (UTF-8, depth, duplicates). And docs/openapi.yaml against
 * the route table: every path and method described is served, every route served is
 * described (a small line reader of the "paths:" block, which the YAML keeps in one layout).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/http.h"

static enum pw_status
target(const char *uri, struct pw_http_target *t)
{
    struct pw_error err = { 0 };
    return pw_http_target_parse(uri, t, &err);
}

static void
test_targets(void **state)
{
    (void)state;
    struct pw_http_target t;
    assert_int_equal(target("/api/people?q=J%C3%BCrgen+Hart&dob=2016-04-02", &t), PW_OK);
    assert_string_equal(t.path, "/api/people");
    assert_string_equal(pw_http_target_param(&t, "q"), "J\xc3\xbcrgen Hart");
    assert_string_equal(pw_http_target_param(&t, "dob"), "2016-04-02");
    assert_null(pw_http_target_param(&t, "id"));
    pw_http_target_release(&t);
    assert_int_equal(target("/api/children/p-1", &t), PW_OK);
    assert_string_equal(t.path, "/api/children/p-1");
    pw_http_target_release(&t);
    /* Refused: no path, bad escapes, encoded NUL, '/' or controls, dot segments, invalid
     * UTF-8 (raw and encoded, overlong), repeated parameters, fragments. */
    const char *bad[] = {
        "api/people",      "/api/%zz",           "/api/%4",        "/api/a%00b",   "/api/a%2Fb",
        "/api/../users",   "/api/./x",           "/api//x",        "/api/x?q=%00", "/api/x?q=%C3",
        "/api/x?q=%C0%AF", "/api/x?q=%ED%A0%80", "/api/x?q=1&q=2", "/api/x#frag",  "/api/x?q=\x01",
        "/api/x?=1",       "/api/\xff",          "/api/x?q=%0A",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        enum pw_status rc = target(bad[i], &t);
        if (rc == PW_OK) {
            print_error("accepted %s\n", bad[i]);
            pw_http_target_release(&t);
        }
        assert_int_not_equal(rc, PW_OK);
    }
    char longer[PW_HTTP_URI_MAX + 10];
    memset(longer, 'a', sizeof(longer));
    longer[0] = '/';
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(target(longer, &t), PW_ETOOBIG);
    char many[512] = "/api/x?";
    for (int i = 0; i <= PW_HTTP_QUERY_PARAMS; i++) {
        char p[16];
        (void)snprintf(p, sizeof(p), "p%d=1&", i);
        strcat(many, p); /* NOLINT: test scaffolding, sized above */
    }
    assert_int_equal(target(many, &t), PW_EINVAL);
}

static void
test_routes(void **state)
{
    (void)state;
    struct pw_http_match m;
    pw_http_route_match("GET", "/api/children/p-lily-h/picture", &m);
    assert_non_null(m.route);
    assert_string_equal(m.route->pattern, "/api/children/{id}/picture");
    assert_string_equal(m.ids[0], "p-lily-h");
    pw_http_route_match("PUT", "/api/children/p-lily-h", &m);
    assert_null(m.route);
    assert_true(m.path_known);
    assert_string_equal(m.allow, "GET");
    pw_http_route_match("GET", "/api/session", &m);
    assert_non_null(m.route);
    pw_http_route_match("TRACE", "/api/session", &m);
    assert_null(m.route);
    assert_string_equal(m.allow, "POST, GET, DELETE");
    pw_http_route_match("GET", "/api/nothing", &m);
    assert_null(m.route);
    assert_false(m.path_known);
    /* An {id} must be a valid id: not empty, not with spaces or quotes. */
    pw_http_route_match("GET", "/api/children/", &m);
    assert_null(m.route);
    pw_http_route_match("GET", "/api/children/a b", &m);
    assert_null(m.route);
    pw_http_route_match("GET", "/api/children/a\"b", &m);
    assert_null(m.route);
    pw_http_route_match("GET", "/api/children/p-1/picture/more", &m);
    assert_null(m.route);
}

static void
test_headers(void **state)
{
    (void)state;
    char v[64];
    assert_true(pw_http_cookie_get("a=1; pw_session=abc; b=2", "pw_session", v, sizeof(v)));
    assert_string_equal(v, "abc");
    assert_false(pw_http_cookie_get("a=1", "pw_session", v, sizeof(v)));
    assert_false(pw_http_cookie_get("pw_session=a; pw_session=b", "pw_session", v, sizeof(v)));
    assert_false(pw_http_cookie_get("pw_session=", "pw_session", v, sizeof(v)));
    assert_false(pw_http_cookie_get("xpw_session=a", "pw_session", v, sizeof(v)));
    assert_false(pw_http_cookie_get(NULL, "pw_session", v, sizeof(v)));
    assert_true(pw_http_bearer_get("Bearer pwt_0123abcd", v, sizeof(v)));
    assert_string_equal(v, "pwt_0123abcd");
    assert_false(pw_http_bearer_get("Basic dXNlcjpwYXNz", v, sizeof(v)));
    assert_false(pw_http_bearer_get("Bearer ", v, sizeof(v)));
    assert_false(pw_http_bearer_get("Bearer a b", v, sizeof(v)));
    assert_false(pw_http_bearer_get("Bearer A\r\nX: 1", v, sizeof(v)));
}

static enum pw_status
parse_json(const char *text, size_t len)
{
    json_t *j = NULL;
    struct pw_error err = { 0 };
    enum pw_status rc = pw_http_json_parse(text, len, PW_HTTP_JSON_DEPTH_MAX, &j, &err);
    json_decref(j);
    if (rc != PW_OK) {
        /* Never quotes the input back. */
        assert_null(strstr(err.msg, "SECRET"));
    }
    return rc;
}

static void
test_json(void **state)
{
    (void)state;
    assert_int_equal(parse_json("{\"a\":[1,{\"b\":\"[[[\"}]}", 21), PW_OK);
    assert_int_equal(parse_json("{\"a\":1,\"a\":2}", 13), PW_EINVAL);
    assert_int_equal(parse_json("{\"a\":\"SECRET\"", 13), PW_EINVAL);
    assert_int_equal(parse_json("{\"a\":\"\xff\"}", 9), PW_EINVAL);
    assert_int_equal(parse_json("{\"a\":\"\0\"}", 8), PW_EINVAL);
    assert_int_equal(parse_json("", 0), PW_EINVAL);
    char deep[200];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    assert_int_equal(parse_json(deep, 80), PW_EINVAL);
    assert_int_equal(parse_json(deep + 8, 64), PW_OK); /* 32 deep */
}

/* ---- docs/openapi.yaml against the route table ---- */

static void
test_openapi(void **state)
{
    (void)state;
    const char *data = getenv("PW_TEST_DATA"); /* NOLINT(concurrency-mt-unsafe) */
    char path[1024];
    assert_non_null(data);
    (void)snprintf(path, sizeof(path), "%s/../../docs/openapi.yaml", data);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    char current[256] = "";
    bool in_paths = false;
    size_t described = 0;
    size_t failures = 0;
    bool served[64] = { false };
    assert_true(pw_http_route_count() <= 64);
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strcmp(line, "paths:") == 0) {
            in_paths = true;
            continue;
        }
        if (!in_paths) {
            continue;
        }
        if (line[0] != ' ' && line[0] != '\0' && line[0] != '#') {
            break; /* the next top-level key */
        }
        if (strncmp(line, "  /", 3) == 0 && line[strlen(line) - 1] == ':') {
            (void)snprintf(current, sizeof(current), "%.*s", (int)strlen(line) - 3, line + 2);
            continue;
        }
        static const char *const methods[] = { "get",   "post", "delete", "put",
                                               "patch", "head", "options" };
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            char want[32];
            (void)snprintf(want, sizeof(want), "    %s:", methods[m]);
            if (strcmp(line, want) != 0) {
                continue;
            }
            char upper[16];
            size_t k = 0;
            for (; methods[m][k] != '\0' && k + 1 < sizeof(upper); k++) {
                upper[k] = (char)(methods[m][k] - 'a' + 'A');
            }
            upper[k] = '\0';
            described++;
            bool found = false;
            for (size_t i = 0; i < pw_http_route_count(); i++) {
                const struct pw_http_route_info *r = pw_http_route_at(i);
                if (strcmp(r->method, upper) == 0 && strcmp(r->pattern, current) == 0) {
                    served[i] = true;
                    found = true;
                }
            }
            if (!found) {
                print_error("described, not served: %s %s\n", upper, current);
                failures++;
            }
        }
    }
    (void)fclose(f);
    for (size_t i = 0; i < pw_http_route_count(); i++) {
        if (!served[i]) {
            print_error("served, not described: %s %s\n", pw_http_route_at(i)->method,
                        pw_http_route_at(i)->pattern);
            failures++;
        }
    }
    assert_int_equal(described, pw_http_route_count());
    assert_int_equal(failures, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets), cmocka_unit_test(test_routes),
        cmocka_unit_test(test_headers), cmocka_unit_test(test_json),
        cmocka_unit_test(test_openapi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
