/*
 * The full authorization grid of the JSON API, on both backends: every route and method the
 * server serves x each of the six roles x each relationship state (none, allocated, agency
 * involvement, front door, break-glass, expired break-glass), through pw_http_handle as the
 * server calls it, on one real store built once.
 *
 * Two declarative tables make the grid, and nothing is asked of the policy to know what to
 * expect:
 *   - `expect`: what the policy must answer for each action x role x state ('F' allowed with
 *     the full view, 'P' allowed pseudonymised, '.' refused), as docs/access.md says it;
 *   - `grid_routes`: every route, how its answer follows from its action's row (it decides
 *     the status, it filters a list, or anyone signed in gets it), how to call it for a cell,
 *     and what its allowed answer must show (names, restricted facts redacted).
 * A route served without a row, or a row for a route not served, fails the suite.
 *
 * The store holds one child per relationship state, and every user (one per role, all of the
 * police) stands in that state to that child: allocated (an allocation naming each user),
 * agency involvement (a strategy discussion police attended), front door (a concern awaiting
 * a decision), break-glass and expired break-glass (grants of each user, written straight to
 * the store so that roles which may not ask for one still have the state). Each child also has
 * an episode, a police intelligence fact (shown to police in full) and a confidential health
 * fact (police see it redacted). Break-glass requests change the state they are made in, so
 * they run after every other cell.
 *
 * Also here: the session cookie behind TLS (__Host- and Secure), and sign-in taking the same
 * time and giving the same bytes for an unknown user, a wrong password and a disabled user.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "access/access.h"
#include "http/http.h"
#include "testdb.h"

#define NOW  ((int64_t)1751371200 * 1000000) /* 2025-07-01T12:00:00Z */
#define HOUR ((int64_t)3600 * 1000000)

static const char password[] = "correct horse battery";

/* ---- What the policy must answer: action x role x state ---- */

enum rel {
    REL_NONE,
    REL_ALLOCATED,
    REL_INVOLVEMENT,
    REL_FRONT_DOOR,
    REL_BG,
    REL_BG_EXPIRED,
    REL_N
};

static const char *const rel_names[REL_N] = {
    "none", "allocated", "agency involvement", "front door", "break-glass", "expired break-glass",
};

/* The child in each state, and its episode. */
static const char *const rel_child[REL_N] = {
    "c-none", "c-alloc", "c-inv", "c-fd", "c-bg", "c-xbg"
};
static const char *const rel_episode[REL_N] = { "e-none", "e-alloc", "e-inv",
                                                "e-fd",   "e-bg",    "e-xbg" };

/* One user a role, in the order of enum pw_role. */
static const char *const role_user[PW_ROLE__COUNT] = { "u-pr", "u-mg", "u-fd",
                                                       "u-dl", "u-au", "u-ad" };

/*
 * expect[action][role]: one letter a state, in the order of enum rel. The front door reads by
 * allocation or triage, not by its agency's involvement; auditors read everything,
 * pseudonymised, and write nothing; data leads and administrators read no case records.
 */
static const char *const expect[PW_ACTION__COUNT][PW_ROLE__COUNT] = {
    [PW_ACTION_READ_RECORD] = { ".FF.F.", ".FF.F.", ".F.FF.", "......", "PPPPPP", "......" },
    [PW_ACTION_WRITE_FACT] = { ".FF.F.", ".FF.F.", ".F.FF.", "......", "......", "......" },
    [PW_ACTION_RAISE_CONCERN] = { "FFFFFF", "FFFFFF", "FFFFFF", "......", "......", "......" },
    [PW_ACTION_BREAK_GLASS] = { "FFFFFF", "FFFFFF", "FFFFFF", "......", "......", "......" },
    [PW_ACTION_MANAGE_USERS] = { "......", "......", "......", "......", "......", "FFFFFF" },
    [PW_ACTION_READ_ACCESS_LOG] = { "......", "......", "......", "FFFFFF", "......", "......" },
    [PW_ACTION_REVIEW_BREAK_GLASS] = { "......", "......", "......", "FFFFFF", "......", "......" },
};

/* ---- The routes ---- */

enum shape {
    ANYONE,  /* public or any signed-in user: the answer does not depend on the policy */
    DECIDES, /* the policy's answer on the action is the status: ok, or 403 */
    FILTERS, /* a list: ok for the roles in `roles`, else 403; the cell's child is listed
                exactly when the policy gives the full view */
};

#define SHOWS_NAME  1u /* the full view names the child ("Tarrant"); pseudonymised never */
#define SHOWS_FACTS 2u /* fact bodies: police intelligence shown, the health fact redacted */
#define BY_COOKIE   4u /* signed in with a password, the session cookie and its CSRF token */
#define ECHOES_ID   8u /* the answer repeats the id asked about (pseudonymised or not) */

#define ALL_ROLES  0x3fu
#define CASE_ROLES 0x07u /* practitioner, manager, front door */

struct grid_route {
    const char *method;
    const char *pattern;
    enum pw_http_guard guard;
    enum pw_action action;
    enum shape shape;
    unsigned roles;   /* FILTERS: the roles that may use it at all (bit i: enum pw_role i) */
    const char *uri;  /* {C} the child, {E} the episode, {N} the cell's number, {U} the user */
    const char *body; /* the same, or NULL */
    int ok;           /* the status when allowed */
    unsigned flags;
    const char *missing; /* DECIDES on a record: the same request for what does not exist */
};

static const struct grid_route grid_routes[] = {
    { "POST", "/api/session", PW_HTTP_PUBLIC, PW_ACTION__COUNT, ANYONE, 0, "/api/session",
      "{\"user\":\"{U}\",\"password\":\"correct horse battery\"}", 200, 0, NULL },
    { "GET", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT, ANYONE, 0, "/api/session", NULL,
      200, 0, NULL },
    { "DELETE", "/api/session", PW_HTTP_SIGNED_IN, PW_ACTION__COUNT, ANYONE, 0, "/api/session",
      NULL, 200, BY_COOKIE, NULL },
    { "POST", "/api/facts", PW_HTTP_POLICY, PW_ACTION_WRITE_FACT, DECIDES, 0, "/api/facts",
      "{\"type\":\"indicator.observed\",\"id\":\"w-{N}\",\"agency\":\"police\","
      "\"at\":\"2025-06-20\",\"child\":\"{C}\",\"code\":\"sti\"}",
      201, 0, NULL },
    { "GET", "/api/facts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/facts?person={C}", NULL, 200, SHOWS_NAME | SHOWS_FACTS | ECHOES_ID,
      "/api/facts?person=c-nobody" },
    { "GET", "/api/people", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, FILTERS, CASE_ROLES,
      "/api/people?q=tarrant", NULL, 200, 0, NULL },
    { "GET", "/api/children/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/children/{C}", NULL, 200, SHOWS_NAME, "/api/children/c-nobody" },
    { "GET", "/api/children/{id}/picture", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/children/{C}/picture", NULL, 200, 0, "/api/children/c-nobody/picture" },
    { "GET", "/api/children/{id}/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/children/{C}/alerts?status=all", NULL, 200, 0,
      "/api/children/c-nobody/alerts?status=all" },
    { "GET", "/api/children/{id}/chronology", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/children/{C}/chronology", NULL, 200, SHOWS_NAME | SHOWS_FACTS,
      "/api/children/c-nobody/chronology" },
    { "GET", "/api/children/{id}/network", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/children/{C}/network", NULL, 200, SHOWS_NAME, "/api/children/c-nobody/network" },
    { "GET", "/api/children/{id}/access-log", PW_HTTP_POLICY, PW_ACTION_READ_ACCESS_LOG, DECIDES, 0,
      "/api/children/{C}/access-log", NULL, 200, 0, NULL },
    { "GET", "/api/alerts", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, FILTERS, ALL_ROLES,
      "/api/alerts?mine=1", NULL, 200, 0, NULL },
    { "GET", "/api/deadlines", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, FILTERS, ALL_ROLES,
      "/api/deadlines?mine=1", NULL, 200, 0, NULL },
    { "GET", "/api/episodes/{id}", PW_HTTP_POLICY, PW_ACTION_READ_RECORD, DECIDES, 0,
      "/api/episodes/{E}", NULL, 200, 0, "/api/episodes/e-nobody" },
    { "GET", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, DECIDES, 0, "/api/users", NULL,
      200, 0, NULL },
    { "POST", "/api/users", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, DECIDES, 0, "/api/users",
      "{\"id\":\"n-{N}\",\"agency\":\"csc\",\"role\":\"practitioner\",\"name\":\"New\"}", 201, 0,
      NULL },
    { "POST", "/api/users/{id}/disable", PW_HTTP_POLICY, PW_ACTION_MANAGE_USERS, DECIDES, 0,
      "/api/users/t-{N}/disable", NULL, 200, 0, NULL },
    { "GET", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_REVIEW_BREAK_GLASS, DECIDES, 0,
      "/api/break-glass?all=1", NULL, 200, 0, NULL },
    { "POST", "/api/break-glass", PW_HTTP_POLICY, PW_ACTION_BREAK_GLASS, DECIDES, 0,
      "/api/break-glass",
      "{\"child\":\"{C}\",\"reason\":\"the school rang about an urgent disclosure today\","
      "\"hours\":1}",
      201, 0, NULL },
};

#define N_ROUTES (sizeof(grid_routes) / sizeof(grid_routes[0]))

/* Every route served has exactly one row guarded as served; every row is served. */
static void
test_every_route_has_a_row(void **state)
{
    (void)state;
    size_t failures = 0;
    for (size_t i = 0; i < pw_http_route_count(); i++) {
        const struct pw_http_route_info *r = pw_http_route_at(i);
        size_t found = 0;
        for (size_t k = 0; k < N_ROUTES; k++) {
            const struct grid_route *g = &grid_routes[k];
            if (strcmp(g->method, r->method) != 0 || strcmp(g->pattern, r->pattern) != 0) {
                continue;
            }
            found++;
            if (g->guard != r->guard || (g->guard == PW_HTTP_POLICY && g->action != r->action)) {
                print_error("%s %s: guarded otherwise than its row says\n", r->method, r->pattern);
                failures++;
            }
        }
        if (found != 1) {
            print_error("%s %s: %zu rows in the grid (one needed)\n", r->method, r->pattern, found);
            failures++;
        }
    }
    for (size_t k = 0; k < N_ROUTES; k++) {
        struct pw_http_match m;
        char path[128];
        (void)snprintf(path, sizeof(path), "%s", grid_routes[k].pattern);
        char *brace = strstr(path, "{id}");
        if (brace != NULL) {
            memcpy(brace, "x-01", 4);
        }
        pw_http_route_match(grid_routes[k].method, path, &m);
        if (m.route == NULL || strcmp(m.route->pattern, grid_routes[k].pattern) != 0) {
            print_error("row %s %s is not served\n", grid_routes[k].method, grid_routes[k].pattern);
            failures++;
        }
    }
    /* Every action a route is guarded by has a full row of expectations. */
    for (int a = 0; a < PW_ACTION__COUNT; a++) {
        for (int r = 0; r < PW_ROLE__COUNT; r++) {
            if (expect[a][r] == NULL || strlen(expect[a][r]) != REL_N) {
                print_error("expect[%s][%s] is not one letter a state\n",
                            pw_action_name((enum pw_action)a), pw_role_name((enum pw_role)r));
                failures++;
            }
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- The store ---- */

#define PW_ENV(type, id, agency, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"agency\":\"" agency "\",\"at\":\"" at "\","

static const char *const alloc_roles[] = { "allocated_worker", "team_manager", "lead_practitioner",
                                           "offender_manager", "investigating_officer" };

struct grid {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_http *h;
    struct pw_config config;
    char tokens[PW_ROLE__COUNT][96];
};

static enum pw_status
record_json(struct pw_store *s, const char *line, struct pw_error *err)
{
    const char *lines[1] = { line };
    return pw_test_record(s, lines, 1, NULL, err);
}

/* The facts of one child in state r. */
static enum pw_status
build_child(struct pw_store *s, enum rel r, struct pw_error *err)
{
    const char *c = rel_child[r];
    const char *e = rel_episode[r];
    char f[1024];
    static const char *const given[REL_N] = { "Ada", "Bo", "Cy", "Di", "Ed", "Flo" };
    (void)snprintf(f, sizeof(f),
                   PW_ENV("person.registered", "r-%s", "csc", "2025-01-01") "\"person\":\"%s\","
                                                                            "\"names\":[{"
                                                                            "\"family\":"
                                                                            "\"Tarrant\","
                                                                            "\"given\":\"%s\"}]}",
                   c, c, given[r]);
    enum pw_status rc = record_json(s, f, err);
    /* An episode: a concern education raised, decided by children's social care. */
    if (rc == PW_OK) {
        (void)snprintf(f, sizeof(f),
                       PW_ENV("concern.raised", "k-%s", "education",
                              "2025-02-01") "\"concern\":\"k-%s\",\"children\":[\"%s\"]}",
                       c, c, c);
        rc = record_json(s, f, err);
    }
    if (rc == PW_OK) {
        (void)snprintf(f, sizeof(f),
                       PW_ENV("referral.decided", "d-%s", "csc",
                              "2025-02-03") "\"concern\":\"k-%s\",\"decision\":\"%s\","
                                            "\"episode\":\"%s\"}",
                       c, c, r == REL_INVOLVEMENT ? "strategy_discussion" : "assessment", e);
        rc = record_json(s, f, err);
    }
    /* A police intelligence fact (police see it) and a confidential health one (they do not). */
    if (rc == PW_OK) {
        (void)snprintf(f, sizeof(f),
                       PW_ENV("indicator.observed", "pi-%s", "police",
                              "2025-02-04") "\"child\":\"%s\",\"code\":\"sti\","
                                            "\"sensitivity\":\"police_intelligence\","
                                            "\"note\":\"zz-police-note\"}",
                       c, c);
        rc = record_json(s, f, err);
    }
    if (rc == PW_OK) {
        (void)snprintf(f, sizeof(f),
                       PW_ENV("indicator.observed", "hc-%s", "health",
                              "2025-02-05") "\"child\":\"%s\",\"code\":\"sti\","
                                            "\"sensitivity\":\"health_confidential\","
                                            "\"note\":\"zz-health-note\"}",
                       c, c);
        rc = record_json(s, f, err);
    }
    switch (r) {
    case REL_ALLOCATED:
        /* Each user allocated: the latest per (agency, role) stands, so one pair each. */
        for (int u = 0; rc == PW_OK && u < PW_ROLE__COUNT; u++) {
            (void)snprintf(f, sizeof(f),
                           PW_ENV("allocation.changed", "a-%d", "%s",
                                  "2025-02-10") "\"child\":\"%s\",\"user\":\"%s\","
                                                "\"role\":\"%s\"}",
                           u, u < 5 ? "csc" : "health", c, role_user[u], alloc_roles[u % 5]);
            rc = record_json(s, f, err);
        }
        break;
    case REL_INVOLVEMENT:
        (void)snprintf(f, sizeof(f),
                       PW_ENV("strategy.held", "s-%s", "csc",
                              "2025-02-05") "\"episode\":\"%s\",\"children\":[\"%s\"],"
                                            "\"attendees\":[{\"agency\":\"police\","
                                            "\"role\":\"dc\"}]}",
                       c, e, c);
        rc = record_json(s, f, err);
        break;
    case REL_FRONT_DOOR:
        (void)snprintf(f, sizeof(f),
                       PW_ENV("concern.raised", "kt-%s", "education",
                              "2025-06-30") "\"concern\":\"kt-%s\",\"children\":[\"%s\"]}",
                       c, c, c);
        rc = record_json(s, f, err);
        break;
    case REL_BG:
    case REL_BG_EXPIRED:
        for (int u = 0; rc == PW_OK && u < PW_ROLE__COUNT; u++) {
            char id[40];
            (void)snprintf(id, sizeof(id), "bg-%s-%d", c, u);
            struct pw_grant_row g = {
                .id = id,
                .user = role_user[u],
                .agency = "police",
                .child = c,
                .reason = "a grant for the authorization grid of the tests",
                .granted_at = r == REL_BG ? "2025-07-01T11:00:00Z" : "2025-06-30T06:00:00Z",
                .expires_at = r == REL_BG ? "2025-07-01T15:00:00Z" : "2025-06-30T10:00:00Z",
            };
            rc = pw_store_grant_add(s, &g, err);
        }
        break;
    case REL_NONE:
    case REL_N:
        break;
    }
    return rc;
}

static struct grid *
grid_of(void **state)
{
    return *state;
}

static int
grid_setup(void **state)
{
    struct grid *g = calloc(1, sizeof(*g));
    struct pw_error err = { 0 };
    struct pw_access_opts o = { NOW, PW_HASH_TEST_MIN };
    if (g == NULL || pw_testdb_open_store(&g->db, "http_grid", &g->s) != 0) {
        free(g);
        return -1;
    }
    enum pw_status rc = PW_OK;
    for (int u = 0; rc == PW_OK && u < PW_ROLE__COUNT; u++) {
        rc = pw_access_user_add(g->s, &o, NULL, role_user[u], "police", (enum pw_role)u,
                                "Grid User", password, strlen(password), &err);
        if (rc == PW_OK) {
            rc = pw_http_token_new(g->s, NULL, role_user[u], g->tokens[u], sizeof(g->tokens[u]),
                                   &err);
        }
    }
    /* Users for administrators to disable, one a cell. */
    for (int n = 0; rc == PW_OK && n < PW_ROLE__COUNT * REL_N; n++) {
        char id[16];
        (void)snprintf(id, sizeof(id), "t-%d", n);
        rc = pw_access_user_add(g->s, &o, NULL, id, "csc", PW_ROLE_PRACTITIONER, "Target", NULL, 0,
                                &err);
    }
    for (int r = 0; rc == PW_OK && r < REL_N; r++) {
        rc = build_child(g->s, (enum rel)r, &err);
    }
    pw_config_defaults(&g->config);
    struct pw_http_options ho = { .db = g->db.target,
                                  .config = &g->config,
                                  .threads = 1,
                                  .now_us = NOW,
                                  .hash_cost = PW_HASH_TEST_MIN };
    if (rc == PW_OK) {
        rc = pw_http_new(&ho, &g->h, &err);
    }
    *state = g;
    if (rc != PW_OK) {
        print_error("grid setup: %s (%s)\n", err.msg, err.field);
        return -1;
    }
    return 0;
}

static int
grid_teardown(void **state)
{
    struct grid *g = *state;
    if (g == NULL) {
        return 0;
    }
    pw_http_free(g->h);
    pw_store_close(g->s);
    pw_testdb_drop(&g->db);
    free(g);
    return 0;
}

/* ---- Calling ---- */

struct answer {
    int status;
    char body[65536];
    char set_cookie[256];
};

static void
call(struct pw_http *h, const struct pw_http_request *req, struct answer *a)
{
    struct pw_http_response resp;
    pw_http_handle(h, req, &resp);
    a->status = resp.status;
    (void)snprintf(a->body, sizeof(a->body), "%s", resp.body != NULL ? resp.body : "");
    (void)snprintf(a->set_cookie, sizeof(a->set_cookie), "%s", resp.set_cookie);
    pw_http_response_release(&resp);
}

/* text with {C}, {E}, {N} and {U} replaced, into out. */
static void
expand(const char *text, enum rel r, int n, const char *user, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = text; p != NULL && *p != '\0' && o + 1 < size;) {
        char sub[64] = "";
        if (strncmp(p, "{C}", 3) == 0) {
            (void)snprintf(sub, sizeof(sub), "%s", rel_child[r]);
        } else if (strncmp(p, "{E}", 3) == 0) {
            (void)snprintf(sub, sizeof(sub), "%s", rel_episode[r]);
        } else if (strncmp(p, "{N}", 3) == 0) {
            (void)snprintf(sub, sizeof(sub), "%d", n);
        } else if (strncmp(p, "{U}", 3) == 0) {
            (void)snprintf(sub, sizeof(sub), "%s", user);
        } else {
            out[o++] = *p++;
            out[o] = '\0';
            continue;
        }
        o += (size_t)snprintf(out + o, size - o, "%s", sub);
        p += 3;
    }
}

/* Signs user in with the password: the cookie header to send and the CSRF token. */
static void
sign_in(struct pw_http *h, const char *user, char *cookie, size_t csize, char *csrf, size_t tsize)
{
    static struct answer a;
    char body[256];
    (void)snprintf(body, sizeof(body), "{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
    struct pw_http_request req = { .method = "POST",
                                   .uri = "/api/session",
                                   .content_type = "application/json",
                                   .body = body,
                                   .body_len = strlen(body) };
    call(h, &req, &a);
    assert_int_equal(a.status, 200);
    (void)snprintf(cookie, csize, "%.*s", (int)strcspn(a.set_cookie, ";"), a.set_cookie);
    const char *t = strstr(a.body, "\"csrf_token\":\"");
    assert_non_null(t);
    t += strlen("\"csrf_token\":\"");
    (void)snprintf(csrf, tsize, "%.*s", (int)strcspn(t, "\""), t);
}

static int64_t
log_length(struct pw_store *s)
{
    struct pw_log_head head;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_access_head(s, &head, &err), PW_OK);
    return head.seq;
}

/* The answer to route k for role (by its token) on what does not exist, kept per role. */
static char missing[N_ROUTES][PW_ROLE__COUNT][1024];

static size_t
check_cell(struct grid *g, size_t k, int role, enum rel r, size_t *cells)
{
    const struct grid_route *gr = &grid_routes[k];
    const char *user = role_user[role];
    int n = role * REL_N + (int)r;
    char uri[256];
    char body[512];
    char auth[128];
    char cookie[160] = "";
    char csrf[64] = "";
    static struct answer a;
    size_t failures = 0;
    char letter = 'F';
    if (gr->action < PW_ACTION__COUNT) {
        letter = expect[gr->action][role][r];
    }
    expand(gr->uri, r, n, user, uri, sizeof(uri));
    expand(gr->body, r, n, user, body, sizeof(body));
    (void)snprintf(auth, sizeof(auth), "Bearer %s", g->tokens[role]);
    struct pw_http_request req = {
        .method = gr->method,
        .uri = uri,
        .authorization = gr->guard == PW_HTTP_PUBLIC ? NULL : auth,
        .content_type = gr->body != NULL ? "application/json" : NULL,
        .body = gr->body != NULL ? body : NULL,
        .body_len = gr->body != NULL ? strlen(body) : 0,
    };
    if ((gr->flags & BY_COOKIE) != 0) {
        sign_in(g->h, user, cookie, sizeof(cookie), csrf, sizeof(csrf));
        req.authorization = NULL;
        req.cookie = cookie;
        req.csrf = csrf;
    }
    int expected = gr->ok;
    switch (gr->shape) {
    case ANYONE:
        break;
    case DECIDES:
        expected = letter != '.' ? gr->ok : 403;
        break;
    case FILTERS:
        expected = (gr->roles & (1u << role)) != 0 ? gr->ok : 403;
        break;
    }
    int64_t before = log_length(g->s);
    call(g->h, &req, &a);
    int64_t logged = log_length(g->s) - before;
    (*cells)++;
    const char *what = rel_names[r];
    if (a.status != expected) {
        print_error("%s %s as %s, %s: %d, expected %d: %.300s\n", gr->method, uri,
                    pw_role_name((enum pw_role)role), what, a.status, expected, a.body);
        return 1;
    }
    /* A refused look at a record is on the access log like an allowed one. */
    if (gr->action == PW_ACTION_READ_RECORD && gr->shape == DECIDES && logged < 1) {
        print_error("%s %s as %s: not on the access log\n", gr->method, uri, user);
        failures++;
    }
    /* Refused: the very bytes a record that does not exist gets, and nothing of the record. */
    if (a.status == 403) {
        if (gr->missing != NULL && strcmp(a.body, missing[k][role]) != 0) {
            print_error("%s %s as %s, %s: refused otherwise than the missing record: %s / %s\n",
                        gr->method, uri, user, what, a.body, missing[k][role]);
            failures++;
        }
        if (strstr(a.body, "Tarrant") != NULL || strstr(a.body, "zz-") != NULL) {
            print_error("%s %s as %s: a refusal shows the record\n", gr->method, uri, user);
            failures++;
        }
        return failures;
    }
    if (gr->shape == FILTERS) {
        char quoted[64];
        (void)snprintf(quoted, sizeof(quoted), "\"%s\"", rel_child[r]);
        bool listed = strstr(a.body, quoted) != NULL;
        /* The search lists every child the caller may read; my work lists none it may not. */
        bool must = gr->action == PW_ACTION_READ_RECORD && (gr->roles & ~CASE_ROLES) == 0;
        if ((listed && letter != 'F') || (must && listed != (letter == 'F'))) {
            print_error("%s %s as %s, %s: the child is %slisted\n", gr->method, uri, user, what,
                        listed ? "" : "not ");
            failures++;
        }
        return failures;
    }
    if (gr->action != PW_ACTION_READ_RECORD) {
        if (gr->action == PW_ACTION_WRITE_FACT) {
            /* The fact is there, recorded as the caller. */
            char id[32];
            bool found = false;
            int64_t seq = 0;
            struct pw_error err = { 0 };
            (void)snprintf(id, sizeof(id), "w-%d", n);
            assert_int_equal(pw_store_fact_seq(g->s, id, &seq, &found, &err), PW_OK);
            if (!found) {
                print_error("POST /api/facts as %s: %s not recorded\n", user, id);
                failures++;
            }
        }
        return failures;
    }
    /* An allowed read: the view the policy's letter says. */
    bool names = strstr(a.body, "Tarrant") != NULL;
    bool police = strstr(a.body, "zz-police-note") != NULL;
    bool health = strstr(a.body, "zz-health-note") != NULL;
    const char *view = letter == 'P' ? "\"view\":\"pseudonymised\"" : "\"view\":\"full\"";
    if (strstr(a.body, view) == NULL) {
        print_error("%s %s as %s: not the %s view: %.200s\n", gr->method, uri, user,
                    letter == 'P' ? "pseudonymised" : "full", a.body);
        failures++;
    }
    if (health) {
        print_error("%s %s as %s: another agency's confidential fact shown\n", gr->method, uri,
                    user);
        failures++;
    }
    char quoted[64];
    (void)snprintf(quoted, sizeof(quoted), "\"%s\"", rel_child[r]);
    if (letter == 'P' &&
        (names || police || ((gr->flags & ECHOES_ID) == 0 && strstr(a.body, quoted) != NULL) ||
         ((gr->flags & SHOWS_NAME) != 0 && strstr(a.body, "\"ps-") == NULL))) {
        print_error("%s %s as an auditor: a name, an id, restricted text or no pseudonym\n",
                    gr->method, uri);
        failures++;
    }
    if (letter == 'F' && (gr->flags & SHOWS_NAME) != 0 && !names) {
        print_error("%s %s as %s: the full view has no name\n", gr->method, uri, user);
        failures++;
    }
    if ((gr->flags & SHOWS_FACTS) != 0 &&
        ((letter == 'F' && !police) || strstr(a.body, "\"redacted\":true") == NULL)) {
        print_error("%s %s as %s: own agency's fact not shown or the other not redacted\n",
                    gr->method, uri, user);
        failures++;
    }
    return failures;
}

static void
test_grid(void **state)
{
    struct grid *g = grid_of(state);
    size_t failures = 0;
    size_t cells = 0;
    static struct answer a;
    /* What each role gets for a record that does not exist. */
    for (size_t k = 0; k < N_ROUTES; k++) {
        for (int role = 0; grid_routes[k].missing != NULL && role < PW_ROLE__COUNT; role++) {
            char auth[128];
            (void)snprintf(auth, sizeof(auth), "Bearer %s", g->tokens[role]);
            struct pw_http_request req = { .method = grid_routes[k].method,
                                           .uri = grid_routes[k].missing,
                                           .authorization = auth };
            call(g->h, &req, &a);
            assert_int_equal(a.status, 403);
            assert_true(strlen(a.body) < sizeof(missing[k][role]));
            (void)snprintf(missing[k][role], sizeof(missing[k][role]), "%.1000s", a.body);
        }
    }
    /* Break-glass changes the state it is asked in: those cells come last. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < N_ROUTES; k++) {
            if ((grid_routes[k].action == PW_ACTION_BREAK_GLASS) != (pass == 1)) {
                continue;
            }
            for (int role = 0; role < PW_ROLE__COUNT; role++) {
                for (int r = 0; r < REL_N; r++) {
                    failures += check_cell(g, k, role, (enum rel)r, &cells);
                }
            }
        }
    }
    assert_int_equal(cells, N_ROUTES * PW_ROLE__COUNT * REL_N);
    assert_int_equal(failures, 0);
}

/* An episode of two children: read only with both (docs/access.md). */
static enum pw_status
episode_of_two(struct pw_store *s, const char *e, const char *c1, const char *c2,
               struct pw_error *err)
{
    char f[512];
    (void)snprintf(f, sizeof(f),
                   PW_ENV("concern.raised", "k-%s", "education",
                          "2025-03-01") "\"concern\":\"k-%s\",\"children\":[\"%s\",\"%s\"]}",
                   e, e, c1, c2);
    enum pw_status rc = record_json(s, f, err);
    if (rc == PW_OK) {
        (void)snprintf(f, sizeof(f),
                       PW_ENV("referral.decided", "d-%s", "csc",
                              "2025-03-02") "\"concern\":\"k-%s\",\"decision\":\"assessment\","
                                            "\"episode\":\"%s\"}",
                       e, e, e);
        rc = record_json(s, f, err);
    }
    return rc;
}

static void
test_episode_every_child(void **state)
{
    struct grid *g = grid_of(state);
    struct pw_error err = { 0 };
    static struct answer a;
    static struct answer none;
    /* The practitioner reads c-inv (involvement) and c-bg (break-glass), not c-none. */
    assert_int_equal(episode_of_two(g->s, "e-two", "c-inv", "c-bg", &err), PW_OK);
    assert_int_equal(episode_of_two(g->s, "e-half", "c-inv", "c-none", &err), PW_OK);
    char auth[128];
    (void)snprintf(auth, sizeof(auth), "Bearer %s", g->tokens[PW_ROLE_PRACTITIONER]);
    struct pw_http_request req = { .method = "GET",
                                   .uri = "/api/episodes/e-two",
                                   .authorization = auth };
    int64_t before = log_length(g->s);
    call(g->h, &req, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"children\":[\"c-inv\",\"c-bg\"]"));
    assert_non_null(strstr(a.body, "\"stage\":\"child and family assessment\""));
    assert_non_null(strstr(a.body, "\"steps\":[{"));
    assert_int_equal(log_length(g->s) - before, 2); /* one look a child */
    /* One child refused refuses the episode, as an episode that does not exist is. */
    req.uri = "/api/episodes/e-half";
    before = log_length(g->s);
    call(g->h, &req, &a);
    assert_int_equal(a.status, 403);
    assert_true(log_length(g->s) - before >= 1);
    assert_null(strstr(a.body, "c-inv"));
    req.uri = "/api/episodes/e-nobody";
    before = log_length(g->s);
    call(g->h, &req, &none);
    assert_int_equal(log_length(g->s) - before, 1); /* the attempt is logged too */
    assert_string_equal(a.body, none.body);
    /* An auditor reads it with the children as pseudonyms. */
    (void)snprintf(auth, sizeof(auth), "Bearer %s", g->tokens[PW_ROLE_AUDITOR]);
    req.uri = "/api/episodes/e-two";
    call(g->h, &req, &a);
    assert_int_equal(a.status, 200);
    assert_null(strstr(a.body, "c-inv"));
    assert_non_null(strstr(a.body, "\"children\":[\"ps-"));
}

/* ---- The session cookie behind TLS ---- */

static void
test_tls_cookie(void **state)
{
    struct grid *g = grid_of(state);
    struct pw_error err = { 0 };
    struct pw_http_options ho = { .db = g->db.target,
                                  .config = &g->config,
                                  .threads = 1,
                                  .secure_cookies = true,
                                  .now_us = NOW,
                                  .hash_cost = PW_HASH_TEST_MIN };
    struct pw_http *tls = NULL;
    assert_int_equal(pw_http_new(&ho, &tls, &err), PW_OK);
    assert_true(pw_http_secure(tls));
    char cookie[160];
    char csrf[64];
    sign_in(tls, "u-pr", cookie, sizeof(cookie), csrf, sizeof(csrf));
    static struct answer a;
    char body[256];
    (void)snprintf(body, sizeof(body), "{\"user\":\"u-pr\",\"password\":\"%s\"}", password);
    struct pw_http_request req = { .method = "POST",
                                   .uri = "/api/session",
                                   .content_type = "application/json",
                                   .body = body,
                                   .body_len = strlen(body) };
    call(tls, &req, &a);
    assert_int_equal(a.status, 200);
    /* __Host-: Secure, Path=/ and no Domain, or a browser drops it (RFC 6265bis 4.1.3.2). */
    assert_true(strncmp(a.set_cookie, "__Host-pw_session=", 18) == 0);
    assert_int_equal(strspn(a.set_cookie + 18, "0123456789abcdef"), 32);
    assert_non_null(strstr(a.set_cookie, "; Path=/; HttpOnly; SameSite=Strict; Secure"));
    assert_null(strstr(a.set_cookie, "Domain"));
    /* The session works under its own name only. */
    req = (struct pw_http_request){ .method = "GET", .uri = "/api/session", .cookie = cookie };
    call(tls, &req, &a);
    assert_int_equal(a.status, 200);
    char plain[160];
    (void)snprintf(plain, sizeof(plain), "pw_session=%s", cookie + strlen("__Host-pw_session="));
    req.cookie = plain;
    call(tls, &req, &a);
    assert_int_equal(a.status, 401);
    /* Signing out clears it with the same attributes. */
    req = (struct pw_http_request){
        .method = "DELETE", .uri = "/api/session", .cookie = cookie, .csrf = csrf
    };
    call(tls, &req, &a);
    assert_int_equal(a.status, 200);
    assert_true(strncmp(a.set_cookie, "__Host-pw_session=; Path=/", 26) == 0);
    assert_non_null(strstr(a.set_cookie, "; Secure; Max-Age=0"));
    pw_http_free(tls);
    /* Without TLS: no Secure and no prefix (a browser would refuse __Host- over http). */
    req = (struct pw_http_request){ .method = "POST",
                                    .uri = "/api/session",
                                    .content_type = "application/json",
                                    .body = body,
                                    .body_len = strlen(body) };
    call(g->h, &req, &a);
    assert_int_equal(a.status, 200);
    assert_true(strncmp(a.set_cookie, "pw_session=", 11) == 0);
    assert_null(strstr(a.set_cookie, "Secure"));
}

/* ---- Sign-in: the same bytes and about the same time whoever it is ---- */

#define TIMING_SAMPLES 60 /* of each kind */
#define TIMING_WRONG   12 /* users for wrong passwords: each fails 5 times, under the lock-out */
#define TIMING_RATIO   4.0

static int
by_value(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof(v[0]), by_value);
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
seconds(void)
{
    struct timespec t;
    (void)clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Many samples of each kind, interleaved (unknown, wrong, disabled, unknown, ...) so that load
 * from elsewhere on the machine falls on all three alike, compared by their medians, which a
 * few slow samples do not move. The bound is deliberately loose (4x): at the test hash cost
 * each attempt is a store transaction and a microsecond hash, so it catches a path that skips
 * the work the others do (the hash, the store, the access log entry), not microseconds; on a
 * loaded 2-core machine a tight bound would fail for reasons that are not the code's. What an
 * attacker reads for sure, the answer, is held to byte identity: status, body and no cookie.
 */
static void
test_sign_in_same_answer_same_time(void **state)
{
    struct grid *g = grid_of(state);
    struct pw_error err = { 0 };
    struct pw_access_opts o = { NOW, PW_HASH_TEST_MIN };
    for (int i = 0; i < TIMING_WRONG; i++) {
        char id[16];
        (void)snprintf(id, sizeof(id), "tw-%d", i);
        assert_int_equal(pw_access_user_add(g->s, &o, NULL, id, "csc", PW_ROLE_PRACTITIONER, "W",
                                            password, strlen(password), &err),
                         PW_OK);
    }
    assert_int_equal(pw_access_user_add(g->s, &o, NULL, "tw-gone", "csc", PW_ROLE_PRACTITIONER, "G",
                                        password, strlen(password), &err),
                     PW_OK);
    assert_int_equal(pw_access_user_disable(g->s, &o, NULL, "tw-gone", &err), PW_OK);
    static double t[3][TIMING_SAMPLES];
    static struct answer a;
    static char first[1024];
    first[0] = '\0';
    for (int i = 0; i < TIMING_SAMPLES; i++) {
        for (int kind = 0; kind < 3; kind++) {
            char body[256];
            char wrong[16];
            (void)snprintf(wrong, sizeof(wrong), "tw-%d", i % TIMING_WRONG);
            const char *user = kind == 0 ? "tw-nobody" : kind == 1 ? wrong : "tw-gone";
            (void)snprintf(body, sizeof(body),
                           "{\"user\":\"%s\",\"password\":\"not the password at all\"}", user);
            struct pw_http_request req = { .method = "POST",
                                           .uri = "/api/session",
                                           .content_type = "application/json",
                                           .body = body,
                                           .body_len = strlen(body) };
            double start = seconds();
            call(g->h, &req, &a);
            t[kind][i] = seconds() - start;
            assert_int_equal(a.status, 401);
            assert_string_equal(a.set_cookie, "");
            if (first[0] == '\0') {
                assert_true(strlen(a.body) < sizeof(first));
                (void)snprintf(first, sizeof(first), "%.1000s", a.body);
            } else if (strcmp(first, a.body) != 0) {
                print_error("sign-in answers differ: %s / %s\n", first, a.body);
                fail();
            }
        }
    }
    /* Each wrong-password user failed 5 times: the fifth locked them, none before. */
    struct pw_user u;
    assert_int_equal(pw_access_user_get(g->s, "tw-0", &u, &err), PW_OK);
    assert_int_equal(u.failures, TIMING_SAMPLES / TIMING_WRONG);
    double m[3];
    for (int kind = 0; kind < 3; kind++) {
        m[kind] = median(t[kind], TIMING_SAMPLES);
    }
    double lo = m[0] < m[1] ? (m[0] < m[2] ? m[0] : m[2]) : (m[1] < m[2] ? m[1] : m[2]);
    double hi = m[0] > m[1] ? (m[0] > m[2] ? m[0] : m[2]) : (m[1] > m[2] ? m[1] : m[2]);
    if (hi > lo * TIMING_RATIO) {
        print_error("sign-in medians: unknown %.6f s, wrong %.6f s, disabled %.6f s\n", m[0], m[1],
                    m[2]);
    }
    assert_true(lo > 0);
    assert_true(hi <= lo * TIMING_RATIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test_setup_teardown(test_grid, grid_setup, grid_teardown),
        cmocka_unit_test_setup_teardown(test_episode_every_child, grid_setup, grid_teardown),
        cmocka_unit_test_setup_teardown(test_tls_cookie, grid_setup, grid_teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_same_answer_same_time, grid_setup,
                                        grid_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
