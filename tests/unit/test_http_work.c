/*
 * My work's two lists through pw_http_handle, on Lily Hart's family (examples/partnership.jsonl)
 * and a second episode on 1 July 2025: GET /api/deadlines?mine=1 lists the pathway steps not
 * yet met that the caller's agency leads or must attend (csc: the initial conference and the
 * assessment of e-hart-2025, and the strategy discussion of e-amy; police: that strategy
 * discussion only), soonest first, with the children's names, what to do and why; allocated=1
 * keeps the episodes with a child allocated to the caller (a brother need not be), and leaves
 * the others off the access log. GET /api/alerts?mine=1 says which children are the caller's
 * ("yours") and takes allocated=1 too. Bad parameters are refused by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "access/access.h"
#include "http/http.h"
#include "rules/rules.h"
#include "testdb.h"

#define NOW ((int64_t)1751371200 * 1000000) /* 2025-07-01T12:00:00Z */

/*
 * Beside the partnership: sw.t allocated to Lily (to Noah only until 20 June); Amy, a child the
 * police are allocated to, whose concern csc decided on 30 June needs a strategy discussion (due 1
 * July).
 */
static const char *const extra_facts[] = {
    "{\"type\":\"allocation.changed\",\"id\":\"t-alloc-1\",\"at\":\"2025-06-14\",\"agency\":\"csc\","
    "\"child\":\"p-lily-h\",\"user\":\"sw.t\",\"role\":\"allocated_worker\",\"since\":\"2025-06-14\"}",
    /* sw.t worked with Noah before: that allocation ended on 20 June. */
    "{\"type\":\"allocation.changed\",\"id\":\"t-alloc-0\",\"at\":\"2025-06-14\",\"agency\":\"csc\","
    "\"child\":\"p-noah-h\",\"user\":\"sw.t\",\"role\":\"lead_practitioner\",\"since\":\"2025-06-14\","
    "\"until\":\"2025-06-20\"}",
    "{\"type\":\"person.registered\",\"id\":\"t-amy\",\"at\":\"2025-06-29\",\"agency\":\"csc\","
    "\"person\":\"p-amy-t\",\"names\":[{\"given\":\"Amy\",\"family\":\"Tate\",\"kind\":\"birth\"}],"
    "\"dob\":\"2015-03-02\",\"sex\":\"female\"}",
    "{\"type\":\"allocation.changed\",\"id\":\"t-alloc-2\",\"at\":\"2025-06-29\","
    "\"agency\":\"police\",\"child\":\"p-amy-t\",\"user\":\"po.t\",\"role\":\"investigating_officer\","
    "\"since\":\"2025-06-29\"}",
    "{\"type\":\"concern.raised\",\"id\":\"t-concern\",\"at\":\"2025-06-29\",\"agency\":\"police\","
    "\"concern\":\"c-amy\",\"children\":[\"p-amy-t\"],\"source\":\"police officer\","
    "\"indicators\":[{\"code\":\"fear_of_person\"}]}",
    "{\"type\":\"referral.decided\",\"id\":\"t-decided\",\"at\":\"2025-06-30\",\"agency\":\"csc\","
    "\"concern\":\"c-amy\",\"decision\":\"strategy_discussion\",\"rationale\":\"Police concern: "
    "fear of a named adult.\",\"decided_by\":\"tm.t\",\"episode\":\"e-amy\"}",
};

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_http *h;
    struct pw_config config;
    struct pw_rules *rules; /* derives the alerts as the facts are recorded */
    char sw[96];            /* csc, allocated to Lily */
    char po[96];            /* police, allocated to Amy */
    char au[96];            /* an auditor */
};

static const struct pw_access_opts aopts = { NOW, PW_HASH_TEST_MIN };

static int
add_user(struct fixture *f, const char *id, const char *agency, enum pw_role role, char *token,
         size_t size)
{
    struct pw_error err = { 0 };
    if (pw_access_user_add(f->s, &aopts, NULL, id, agency, role, "Test User", NULL, 0, &err) !=
            PW_OK ||
        pw_http_token_new(f->s, NULL, id, token, size, &err) != PW_OK) {
        print_error("user %s: %s\n", id, err.msg);
        return -1;
    }
    return 0;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pw_error err = { 0 };
    *state = f;
    if (pw_testdb_open_store(&f->db, "http_work", &f->s) != 0) {
        return -1;
    }
    pw_config_defaults(&f->config);
    f->rules = pw_rules_new(&f->config);
    pw_rules_attach(f->rules, f->s);
    enum pw_status rc = pw_test_record_partnership(f->s, &err);
    if (rc == PW_OK) {
        rc = pw_test_record(f->s, extra_facts, sizeof(extra_facts) / sizeof(extra_facts[0]), NULL,
                            &err);
    }
    if (rc != PW_OK) {
        print_error("recording: %s (%s)\n", err.msg, err.field);
        return -1;
    }
    if (add_user(f, "sw.t", "csc", PW_ROLE_PRACTITIONER, f->sw, sizeof(f->sw)) != 0 ||
        add_user(f, "po.t", "police", PW_ROLE_PRACTITIONER, f->po, sizeof(f->po)) != 0 ||
        add_user(f, "au.t", "other", PW_ROLE_AUDITOR, f->au, sizeof(f->au)) != 0) {
        return -1;
    }
    struct pw_http_options o = { .db = f->db.target,
                                 .config = &f->config,
                                 .threads = 1,
                                 .now_us = NOW,
                                 .hash_cost = PW_HASH_TEST_MIN };
    if (pw_http_new(&o, &f->h, &err) != PW_OK) {
        print_error("pw_http_new: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    pw_http_free(f->h);
    if (f->s != NULL) {
        pw_store_close(f->s);
        pw_testdb_drop(&f->db);
    }
    pw_rules_free(f->rules);
    free(f);
    return 0;
}

/* GET uri with token: the status, and the parsed body in *out (new reference). */
static int
get(struct fixture *f, const char *token, const char *uri, json_t **out)
{
    char auth[128];
    (void)snprintf(auth, sizeof(auth), "Bearer %s", token);
    struct pw_http_request req = { .method = "GET", .uri = uri, .authorization = auth };
    struct pw_http_response resp;
    pw_http_handle(f->h, &req, &resp);
    *out = json_loads(resp.body != NULL ? resp.body : "", 0, NULL);
    int status = resp.status;
    pw_http_response_release(&resp);
    assert_non_null(*out);
    return status;
}

/* "episode/step" for each deadline, in order, joined by spaces. */
static void
deadline_keys(const json_t *body, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(body, "deadlines"), i, d)
    {
        int n = snprintf(out + used, size - used, "%s%s/%s", i > 0 ? " " : "",
                         json_string_value(json_object_get(d, "episode")),
                         json_string_value(json_object_get(json_object_get(d, "step"), "id")));
        assert_true(n > 0 && (size_t)n < size - used);
        used += (size_t)n;
    }
}

static const json_t *
deadline(const json_t *body, const char *episode, const char *step)
{
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(body, "deadlines"), i, d)
    {
        if (strcmp(json_string_value(json_object_get(d, "episode")), episode) == 0 &&
            strcmp(json_string_value(json_object_get(json_object_get(d, "step"), "id")), step) ==
                0) {
            return d;
        }
    }
    return NULL;
}

static int64_t log_entries_about(struct fixture *f, const char *child);

static void
test_deadlines_for_social_care(void **state)
{
    struct fixture *f = *state;
    json_t *body = NULL;
    assert_int_equal(get(f, f->sw, "/api/deadlines?mine=1", &body), 200);
    char keys[512];
    deadline_keys(body, keys, sizeof(keys));
    /* Soonest first: Amy's strategy discussion today, the conference by 4 July, the Harts'
     * assessment by 14 August and Amy's after it. The met steps (the referral decisions,
     * e-hart's discussion) are not work. */
    assert_string_equal(keys, "e-amy/strategy_discussion e-hart-2025/icpc e-hart-2025/assessment "
                              "e-amy/assessment");
    assert_false(json_is_true(json_object_get(body, "more")));

    const json_t *icpc = deadline(body, "e-hart-2025", "icpc");
    const json_t *step = json_object_get(icpc, "step");
    assert_string_equal(json_string_value(json_object_get(step, "status")), "due");
    assert_string_equal(json_string_value(json_object_get(step, "due")), "2025-07-04");
    assert_non_null(strstr(json_string_value(json_object_get(step, "todo")),
                           "initial child protection conference"));
    assert_non_null(strstr(json_string_value(json_object_get(step, "why")), "15 working days"));
    assert_string_equal(json_string_value(json_array_get(json_object_get(step, "agencies"), 0)),
                        "csc");
    /* Both children, by name; Lily is allocated to the caller. */
    const json_t *children = json_object_get(icpc, "children");
    assert_int_equal(json_array_size(children), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(children, 0), "name")),
                        "Lily Hart");
    assert_string_equal(json_string_value(json_object_get(json_array_get(children, 1), "name")),
                        "Noah Hart");
    assert_true(json_is_true(json_object_get(icpc, "yours")));
    const json_t *amy = deadline(body, "e-amy", "strategy_discussion");
    assert_false(json_is_true(json_object_get(amy, "yours")));
    assert_int_equal(json_array_size(json_object_get(json_object_get(amy, "step"), "agencies")), 3);
    json_decref(body);

    /* The most urgent first, and a word that there is more. */
    assert_int_equal(get(f, f->sw, "/api/deadlines?mine=1&limit=1", &body), 200);
    deadline_keys(body, keys, sizeof(keys));
    assert_string_equal(keys, "e-amy/strategy_discussion");
    assert_true(json_is_true(json_object_get(body, "more")));
    json_decref(body);
}

static void
test_deadlines_allocated_to_you(void **state)
{
    struct fixture *f = *state;
    json_t *body = NULL;
    int64_t amy_before = log_entries_about(f, "p-amy-t");
    int64_t noah_before = log_entries_about(f, "p-noah-h");
    assert_int_equal(get(f, f->sw, "/api/deadlines?mine=1&allocated=1", &body), 200);
    char keys[512];
    deadline_keys(body, keys, sizeof(keys));
    /* e-hart-2025 through Lily (Noah, her brother, is not allocated to anyone); not Amy's. */
    assert_string_equal(keys, "e-hart-2025/icpc e-hart-2025/assessment");
    json_decref(body);
    /* Amy was left out before her record was read: not on the access log; Noah was shown. */
    assert_int_equal(log_entries_about(f, "p-amy-t"), amy_before);
    assert_true(log_entries_about(f, "p-noah-h") > noah_before);

    /* The alerts the same way: only Lily's, each marked as the caller's; not Noah's, whose
     * allocation to the caller has ended. */
    assert_int_equal(get(f, f->sw, "/api/alerts?mine=1&allocated=1", &body), 200);
    const json_t *alerts = json_object_get(body, "alerts");
    assert_true(json_array_size(alerts) > 0);
    size_t i;
    const json_t *a;
    json_array_foreach(alerts, i, a)
    {
        assert_string_equal(json_string_value(json_object_get(a, "child")), "p-lily-h");
        assert_true(json_is_true(json_object_get(a, "yours")));
    }
    json_decref(body);
    /* Without allocated=1 Noah's alerts come too, not marked as the caller's. */
    assert_int_equal(get(f, f->sw, "/api/alerts?mine=1", &body), 200);
    bool noah = false;
    json_array_foreach(json_object_get(body, "alerts"), i, a)
    {
        if (strcmp(json_string_value(json_object_get(a, "child")), "p-noah-h") == 0) {
            noah = true;
            assert_false(json_is_true(json_object_get(a, "yours")));
        }
    }
    assert_true(noah);
    json_decref(body);
}

static void
test_deadlines_for_police(void **state)
{
    struct fixture *f = *state;
    json_t *body = NULL;
    /* Police attend a strategy discussion; they do not convene conferences or assess. */
    assert_int_equal(get(f, f->po, "/api/deadlines?mine=1", &body), 200);
    char keys[512];
    deadline_keys(body, keys, sizeof(keys));
    assert_string_equal(keys, "e-amy/strategy_discussion");
    const json_t *amy = deadline(body, "e-amy", "strategy_discussion");
    assert_true(json_is_true(json_object_get(amy, "yours")));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(amy, "children"), 0), "name")),
                        "Amy Tate");
    json_decref(body);
    /* An auditor has no work list. */
    assert_int_equal(get(f, f->au, "/api/deadlines?mine=1", &body), 200);
    assert_int_equal(json_array_size(json_object_get(body, "deadlines")), 0);
    json_decref(body);
}

static void
test_work_refuses_bad_parameters(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *uri;
        const char *field;
    } bad[] = {
        { "/api/deadlines", "mine" },
        { "/api/deadlines?mine=2", "mine" },
        { "/api/deadlines?mine=1&limit=0", "limit" },
        { "/api/deadlines?mine=1&limit=1001", "limit" },
        { "/api/deadlines?mine=1&allocated=yes", "allocated" },
        { "/api/alerts?mine=1&allocated=2", "allocated" },
        { "/api/deadlines?mine=1&status=due", "query" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *body = NULL;
        assert_int_equal(get(f, f->sw, bad[i].uri, &body), 400);
        const char *field =
            json_string_value(json_object_get(json_object_get(body, "error"), "field"));
        if (field == NULL || strcmp(field, bad[i].field) != 0) {
            print_error("%s: field %s, expected %s\n", bad[i].uri, field != NULL ? field : "none",
                        bad[i].field);
        }
        assert_non_null(field);
        assert_string_equal(field, bad[i].field);
        json_decref(body);
    }
}

static enum pw_status
count_entry(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)e;
    (void)err;
    (*(int64_t *)ctx)++;
    return PW_OK;
}

static int64_t
log_entries_about(struct fixture *f, const char *child)
{
    int64_t n = 0;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_access_entries(f->s, child, count_entry, &n, &err), PW_OK);
    return n;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_deadlines_for_social_care, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadlines_allocated_to_you, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadlines_for_police, setup, teardown),
        cmocka_unit_test_setup_teardown(test_work_refuses_bad_parameters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
