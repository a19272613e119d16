/*
 * The authorization matrix for the HTTP routes. First one table: every route served, by method
 * and path, with what guards it (public, signed in, or the access policy on an action). A
 * route served without a row, or a row for a route not served, fails: a new route cannot be
 * added without saying how it is guarded, and the action's own rows in test_access_matrix.c
 * (action x role x relationship) then say who gets it. Then the matrix over a real store:
 * every child-record route for users in each relationship state (none, allocated, agency
 * involvement, front door, break-glass, expired break-glass) and each role, through
 * pw_http_handle as the server calls it, with the status expected; a refused child and a child
 * that does not exist answer alike; every read is on the access log. The full grid (every
 * route, method, role and state) is tests/unit/test_http_grid.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/access.h"
#include "http/http.h"
#include "testdb.h"

#define NOW  ((int64_t)1751371200 * 1000000) /* 2025-07-01T12:00:00Z */
#define HOUR ((int64_t)3600 * 1000000)

struct route_row {
    const char *method;
    const char *pattern;
    enum pw_http_guard guard;
    enum pw_action action; /* PW_HTTP_POLICY only */
};

static const struct route_row route_rows[] = {
    { "POST", "/api/session", PW_HTTP_PUBLIC, PW_ACTION__COUNT },
    { "GET", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT },
    { "DELETE", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT },
    { "POST", "/api/facts", PW_HTTP_POLICY, PW_ACTION_WRITE_FACT },
    { "GET", "/api/facts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/people", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}/picture", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}/chronology", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}/network", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/children/{id}/access-log", PW_HTTP_POLICY, PW_ACTION_READ_ACCESS_LOG },
    { "GET", "/api/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/deadlines", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/episodes/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD },
    { "GET", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS },
    { "POST", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS },
    { "POST", "/api/users/{id}/disable", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS },
    { "GET", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_REVIEW_BREAK_GLASS },
    { "POST", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_BREAK_GLASS },
};

#define N_ROUTE_ROWS (sizeof(route_rows) / sizeof(route_rows[0]))

static void
test_every_route_has_a_row(void **state)
{
    (void)state;
    size_t failures = 0;
    for (size_t i = 0; i < pw_http_route_count(); i++) {
        const struct pw_http_route_info *r = pw_http_route_at(i);
        size_t found = 0;
        for (size_t k = 0; k < N_ROUTE_ROWS; k++) {
            const struct route_row *w = &route_rows[k];
            if (strcmp(w->method, r->method) != 0 || strcmp(w->pattern, r->pattern) != 0) {
                continue;
            }
            found++;
            if (w->guard != r->guard || (w->guard == PW_HTTP_POLICY && w->action != r->action)) {
                print_error("%s %s: guarded otherwise than its row says\n", r->method, r->pattern);
                failures++;
            }
        }
        if (found != 1) {
            print_error("%s %s: %zu rows in the matrix (one needed)\n", r->method, r->pattern,
                        found);
            failures++;
        }
    }
    for (size_t k = 0; k < N_ROUTE_ROWS; k++) {
        struct pw_http_match m;
        char path[128];
        (void)snprintf(path, sizeof(path), "%s", route_rows[k].pattern);
        char *brace = strstr(path, "{id}");
        if (brace != NULL) {
            memcpy(brace, "x-01", 4);
        }
        pw_http_route_match(route_rows[k].method, path, &m);
        if (m.route == NULL || strcmp(m.route->pattern, route_rows[k].pattern) != 0) {
            print_error("row %s %s is not served\n", route_rows[k].method, route_rows[k].pattern);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- Over a real store ---- */

#define PW_ENV(type, id, agency, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"agency\":\"" agency "\",\"at\":\"" at "\","

static const char *const case_facts[] = {
    PW_ENV(
        "person.registered", "r-c1", "csc",
        "2025-01-01") "\"person\":\"c1\",\"names\":[{\"family\":\"Tarrant\",\"given\":\"Ada\"}]}",
    PW_ENV("person.registered", "r-c2", "csc",
           "2025-01-01") "\"person\":\"c2\",\"names\":[{\"family\":\"Tarrant\",\"given\":\"Bo\"}]}",
    PW_ENV("person.registered", "r-c4", "csc",
           "2025-01-01") "\"person\":\"c4\",\"names\":[{\"family\":\"Tarrant\",\"given\":\"Cy\"}]}",
    PW_ENV("person.registered", "r-c5", "csc",
           "2025-01-01") "\"person\":\"c5\",\"names\":[{\"family\":\"Tarrant\",\"given\":\"Di\"}]}",
    /* c1: allocated to pr.a; an episode with police at the strategy discussion. */
    PW_ENV("allocation.changed", "a-1", "csc", "2025-02-01") "\"child\":\"c1\",\"user\":\"pr.a\","
                                                             "\"role\":\"allocated_worker\"}",
    PW_ENV("concern.raised", "k-1", "education", "2025-02-01") "\"concern\":\"k1\","
                                                               "\"children\":[\"c1\"]}",
    PW_ENV("referral.decided", "d-1", "csc", "2025-02-02") "\"concern\":\"k1\","
                                                           "\"decision\":\"strategy_discussion\","
                                                           "\"episode\":\"e1\"}",
    PW_ENV("strategy.held", "s-1", "csc", "2025-02-03") "\"episode\":\"e1\",\"children\":[\"c1\"],"
                                                        "\"attendees\":[{\"agency\":\"police\","
                                                        "\"role\":\"dc\"}]}",
    /* c2: a concern in triage. */
    PW_ENV("concern.raised", "k-2", "education", "2025-03-01") "\"concern\":\"k2\","
                                                               "\"children\":[\"c2\"]}",
    /* c4: support from health, still going. */
    PW_ENV("support.started", "u-4", "health", "2025-05-01") "\"person\":\"c4\","
                                                             "\"kind\":\"camhs\"}",
};

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_http *h;
    struct pw_config config;
};

static const struct pw_access_opts aopts = { NOW, PW_HASH_TEST_MIN };

static const struct {
    const char *id;
    const char *agency;
    enum pw_role role;
} users[] = {
    { "pr.a", "csc", PW_ROLE_PRACTITIONER },    /* allocated to c1 */
    { "pr.p", "police", PW_ROLE_PRACTITIONER }, /* involved with c1 through e1 */
    { "pr.h", "health", PW_ROLE_PRACTITIONER }, /* involved with c4 */
    { "pr.n", "yjs", PW_ROLE_PRACTITIONER },    /* no relationship; break-glass on c5 */
    { "pr.x", "yjs", PW_ROLE_PRACTITIONER },    /* a break-glass on c5 that expired */
    { "mg.a", "police", PW_ROLE_MANAGER },      /* involved with c1 */
    { "fd.a", "csc", PW_ROLE_FRONT_DOOR },      /* triaging c2 */
    { "dl.a", "csc", PW_ROLE_DATA_LEAD },
    { "au.a", "other", PW_ROLE_AUDITOR },
    { "ad.a", "other", PW_ROLE_ADMINISTRATOR },
    { "gone", "csc", PW_ROLE_PRACTITIONER }, /* disabled after its token was made */
};

#define N_USERS (sizeof(users) / sizeof(users[0]))

static char tokens[N_USERS][96];

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pw_error err = { 0 };
    if (pw_testdb_open_store(&f->db, "http_matrix", &f->s) != 0) {
        free(f);
        return -1;
    }
    if (pw_test_record(f->s, case_facts, sizeof(case_facts) / sizeof(case_facts[0]), NULL, &err) !=
        PW_OK) {
        print_error("recording: %s (%s)\n", err.msg, err.field);
        return -1;
    }
    for (size_t i = 0; i < N_USERS; i++) {
        if (pw_access_user_add(f->s, &aopts, NULL, users[i].id, users[i].agency, users[i].role,
                               "Test User", NULL, 0, &err) != PW_OK ||
            pw_http_token_new(f->s, NULL, users[i].id, tokens[i], sizeof(tokens[i]), &err) !=
                PW_OK) {
            print_error("user %s: %s\n", users[i].id, err.msg);
            return -1;
        }
    }
    struct pw_user n;
    struct pw_user x;
    char id[40];
    struct pw_access_opts past = { NOW - 30 * HOUR, PW_HASH_TEST_MIN };
    if (pw_access_user_get(f->s, "pr.n", &n, &err) != PW_OK ||
        pw_access_user_get(f->s, "pr.x", &x, &err) != PW_OK ||
        pw_access_break_glass(f->s, &aopts, &n, "c5",
                              "the child told a teacher something worrying today", 4, id,
                              &err) != PW_OK ||
        pw_access_break_glass(f->s, &past, &x, "c5",
                              "the child told a teacher something worrying then", 1, id,
                              &err) != PW_OK ||
        pw_access_user_disable(f->s, &aopts, NULL, "gone", &err) != PW_OK) {
        print_error("setup: %s\n", err.msg);
        return -1;
    }
    pw_config_defaults(&f->config);
    struct pw_http_options o = { .db = f->db.target,
                                 .config = &f->config,
                                 .threads = 2,
                                 .now_us = NOW,
                                 .hash_cost = PW_HASH_TEST_MIN };
    if (pw_http_new(&o, &f->h, &err) != PW_OK) {
        print_error("pw_http_new: %s\n", err.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    pw_http_free(f->h);
    pw_store_close(f->s);
    pw_testdb_drop(&f->db);
    free(f);
    return 0;
}

static const char *
token_of(const char *user)
{
    for (size_t i = 0; i < N_USERS; i++) {
        if (strcmp(users[i].id, user) == 0) {
            return tokens[i];
        }
    }
    return NULL;
}

/* One request as user (by token); the status, and the body into body (size bytes). */
static int
call(struct fixture *f, const char *user, const char *method, const char *uri, const char *json,
     char *body, size_t size)
{
    char auth[128] = "";
    if (user != NULL) {
        (void)snprintf(auth, sizeof(auth), "Bearer %s", token_of(user));
    }
    struct pw_http_request req = {
        .method = method,
        .uri = uri,
        .authorization = user != NULL ? auth : NULL,
        .content_type = json != NULL ? "application/json" : NULL,
        .body = json,
        .body_len = json != NULL ? strlen(json) : 0,
    };
    struct pw_http_response resp;
    pw_http_handle(f->h, &req, &resp);
    if (body != NULL) {
        (void)snprintf(body, size, "%s", resp.body != NULL ? resp.body : "");
    }
    int status = resp.status;
    pw_http_response_release(&resp);
    return status;
}

static int64_t
access_log_length(struct fixture *f)
{
    struct pw_log_head head;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_access_head(f->s, &head, &err), PW_OK);
    return head.seq;
}

/* Who asks about which child, the relationship that makes, and the answer. */
static const struct {
    const char *user;
    const char *child;
    const char *rel;
    int status;
} child_rows[] = {
    { "pr.a", "c1", "allocated", 200 },
    { "pr.p", "c1", "agency involvement (strategy discussion)", 200 },
    { "pr.h", "c4", "agency involvement (support)", 200 },
    { "mg.a", "c1", "manager, agency involvement", 200 },
    { "fd.a", "c2", "front door, triaging", 200 },
    { "fd.a", "c4", "front door, not its triage", 403 },
    { "pr.n", "c5", "break-glass", 200 },
    { "pr.x", "c5", "expired break-glass", 403 },
    { "pr.a", "c5", "none", 403 },
    { "pr.a", "c9", "none: no such child", 403 },
    { "pr.h", "c1", "none (another agency's case)", 403 },
    { "dl.a", "c1", "data lead: no case records", 403 },
    { "ad.a", "c1", "administrator: no case records", 403 },
    { "au.a", "c1", "auditor: pseudonymised", 200 },
    { "gone", "c1", "disabled user", 401 },
};

static const char *const child_routes[] = { "", "/picture", "/alerts", "/chronology", "/network" };

static void
test_child_routes(void **state)
{
    struct fixture *f = *state;
    size_t failures = 0;
    static char body[65536];
    static char refused[65536];
    refused[0] = '\0';
    for (size_t r = 0; r < sizeof(child_routes) / sizeof(child_routes[0]); r++) {
        for (size_t i = 0; i < sizeof(child_rows) / sizeof(child_rows[0]); i++) {
            char uri[128];
            (void)snprintf(uri, sizeof(uri), "/api/children/%s%s", child_rows[i].child,
                           child_routes[r]);
            int64_t before = access_log_length(f);
            int status = call(f, child_rows[i].user, "GET", uri, NULL, body, sizeof(body));
            int64_t logged = access_log_length(f) - before;
            if (status != child_rows[i].status) {
                print_error("GET %s as %s (%s): %d, expected %d: %.300s\n", uri, child_rows[i].user,
                            child_rows[i].rel, status, child_rows[i].status, body);
                failures++;
            }
            /* Allowed or refused, the look is on the log; an unauthenticated call is not a look. */
            if (status != 401 && logged != 1) {
                print_error("GET %s as %s: %lld access log entries\n", uri, child_rows[i].user,
                            (long long)logged);
                failures++;
            }
            if (status == 403 && strcmp(child_rows[i].user, "pr.a") == 0) {
                /* No existence leak: c5 (exists) and c9 (does not) get the same bytes. */
                if (refused[0] == '\0') {
                    (void)snprintf(refused, sizeof(refused), "%s", body);
                } else if (strcmp(refused, body) != 0) {
                    print_error("refusals differ: %s / %s\n", refused, body);
                    failures++;
                }
            }
            if (status == 200 && strcmp(child_rows[i].user, "au.a") == 0 &&
                strstr(body, "Tarrant") != NULL) {
                print_error("an auditor saw a name at %s\n", uri);
                failures++;
            }
        }
        refused[0] = '\0';
    }
    assert_int_equal(failures, 0);
}

static void
test_other_routes(void **state)
{
    struct fixture *f = *state;
    static char body[65536];
    /* Users: administrators only. */
    assert_int_equal(call(f, "ad.a", "GET", "/api/users", NULL, body, sizeof(body)), 200);
    assert_non_null(strstr(body, "pr.a"));
    assert_int_equal(call(f, "pr.a", "GET", "/api/users", NULL, body, sizeof(body)), 403);
    assert_int_equal(call(f, "dl.a", "GET", "/api/users", NULL, body, sizeof(body)), 403);
    assert_int_equal(call(f, "pr.a", "POST", "/api/users",
                          "{\"id\":\"new.a\",\"agency\":\"csc\",\"role\":\"practitioner\","
                          "\"name\":\"New\"}",
                          body, sizeof(body)),
                     403);
    assert_int_equal(call(f, "ad.a", "POST", "/api/users",
                          "{\"id\":\"new.a\",\"agency\":\"csc\",\"role\":\"practitioner\","
                          "\"name\":\"New\"}",
                          body, sizeof(body)),
                     201);
    assert_int_equal(call(f, "ad.a", "POST", "/api/users",
                          "{\"id\":\"new.b\",\"agency\":\"csc\",\"role\":\"practitioner\","
                          "\"name\":\"New\",\"admin\":true}",
                          body, sizeof(body)),
                     400); /* no mass assignment */
    assert_int_equal(call(f, "pr.a", "POST", "/api/users/new.a/disable", NULL, body, sizeof(body)),
                     403);
    assert_int_equal(call(f, "ad.a", "POST", "/api/users/new.a/disable", NULL, body, sizeof(body)),
                     200);
    /* Break-glass: case-working roles only. */
    const char *bg = "{\"child\":\"c4\",\"reason\":\"an urgent call from the school today\"}";
    assert_int_equal(call(f, "dl.a", "POST", "/api/break-glass", bg, body, sizeof(body)), 403);
    assert_int_equal(call(f, "ad.a", "POST", "/api/break-glass", bg, body, sizeof(body)), 403);
    assert_int_equal(call(f, "pr.a", "POST", "/api/break-glass", bg, body, sizeof(body)), 201);
    /* Search: only people whose record the caller may read. */
    assert_int_equal(call(f, "pr.p", "GET", "/api/people?q=tarrant", NULL, body, sizeof(body)),
                     200);
    assert_non_null(strstr(body, "\"c1\""));
    assert_null(strstr(body, "\"c2\""));
    assert_null(strstr(body, "\"c4\""));
    assert_null(strstr(body, "\"c5\""));
    assert_int_equal(call(f, "au.a", "GET", "/api/people?q=tarrant", NULL, body, sizeof(body)),
                     403);
    /* Facts: read as the record allows; write refused without write access. */
    assert_int_equal(call(f, "pr.a", "GET", "/api/facts?person=c1", NULL, body, sizeof(body)), 200);
    assert_int_equal(call(f, "pr.h", "GET", "/api/facts?person=c1", NULL, body, sizeof(body)), 403);
    const char *fact = "{\"type\":\"indicator.observed\",\"id\":\"i-h1\",\"agency\":\"health\","
                       "\"at\":\"2025-06-01\",\"child\":\"c1\",\"code\":\"sti\"}";
    int64_t before = access_log_length(f);
    assert_int_equal(call(f, "pr.h", "POST", "/api/facts", fact, body, sizeof(body)), 403);
    assert_int_equal(call(f, "dl.a", "GET", "/api/alerts?mine=1", NULL, body, sizeof(body)), 200);
    assert_string_equal(body, "{\"alerts\":[],\"more\":false}");
    assert_int_equal(call(f, "dl.a", "GET", "/api/deadlines?mine=1", NULL, body, sizeof(body)),
                     200);
    assert_string_equal(body, "{\"deadlines\":[],\"more\":false}");
    /* The refused write left no fact, but its refusal is not silent either. */
    bool found = true;
    int64_t seq = 0;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_fact_seq(f->s, "i-h1", &seq, &found, &err), PW_OK);
    assert_false(found);
    assert_true(access_log_length(f) >= before);
    /* Not signed in: 401, whatever the route. */
    assert_int_equal(call(f, NULL, "GET", "/api/children/c1", NULL, body, sizeof(body)), 401);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test_setup_teardown(test_child_routes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_routes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
