/*
 * GET /api/children/{id}/network for Lily Hart's family (examples/partnership.jsonl), through
 * pw_http_handle as the server calls it: each person's sex from their registration, and the
 * relationships between the people of the network (parents, the half-sibling, the mother's
 * partner) that the genogram draws. A corrected relationship gives way to its correction; a
 * relationship the caller may see only redacted is left out; an auditor sees the same
 * relationships under the pseudonyms the people carry, and no real id.
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
#include "testdb.h"

#define NOW ((int64_t)1751371200 * 1000000) /* 2025-07-01T12:00:00Z */

/* Beside the partnership: a police-intelligence relationship (csc sees it redacted), and a
 * correction of the half-sibling relationship (the corrected one is left out). */
static const char *const extra_facts[] = {
    "{\"type\":\"relationship.recorded\",\"id\":\"pol-intel-rel\",\"at\":\"2025-06-20\","
    "\"agency\":\"police\",\"from\":\"p-dean-c\",\"to\":\"p-noah-h\","
    "\"kind\":\"regular_contact\",\"sensitivity\":\"police_intelligence\"}",
    "{\"type\":\"relationship.recorded\",\"id\":\"csc-0009-fix\",\"at\":\"2025-06-21\","
    "\"agency\":\"csc\",\"from\":\"p-lily-h\",\"to\":\"p-noah-h\",\"kind\":\"half_sibling\","
    "\"since\":\"2021-02-11\",\"supersedes\":\"csc-0009\"}",
};

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_http *h;
    struct pw_config config;
    char sw[96]; /* a csc practitioner's token (agency involvement: e-hart-2025) */
    char au[96]; /* an auditor's */
};

static const struct pw_access_opts aopts = { NOW, PW_HASH_TEST_MIN };

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pw_error err = { 0 };
    *state = f;
    if (pw_testdb_open_store(&f->db, "http_network", &f->s) != 0) {
        return -1;
    }
    enum pw_status rc = pw_test_record_partnership(f->s, &err);
    if (rc == PW_OK) {
        rc = pw_test_record(f->s, extra_facts, sizeof(extra_facts) / sizeof(extra_facts[0]), NULL,
                            &err);
    }
    if (rc != PW_OK) {
        print_error("recording: %s (%s)\n", err.msg, err.field);
        return -1;
    }
    if (pw_access_user_add(f->s, &aopts, NULL, "sw.t", "csc", PW_ROLE_PRACTITIONER, "Test User",
                           NULL, 0, &err) != PW_OK ||
        pw_access_user_add(f->s, &aopts, NULL, "au.t", "other", PW_ROLE_AUDITOR, "Test User", NULL,
                           0, &err) != PW_OK ||
        pw_http_token_new(f->s, NULL, "sw.t", f->sw, sizeof(f->sw), &err) != PW_OK ||
        pw_http_token_new(f->s, NULL, "au.t", f->au, sizeof(f->au), &err) != PW_OK) {
        print_error("users: %s\n", err.msg);
        return -1;
    }
    pw_config_defaults(&f->config);
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
    free(f);
    return 0;
}

/* GET uri with token; asserts 200 and returns the parsed body (new reference). */
static json_t *
get(struct fixture *f, const char *token, const char *uri)
{
    char auth[128];
    (void)snprintf(auth, sizeof(auth), "Bearer %s", token);
    struct pw_http_request req = { .method = "GET", .uri = uri, .authorization = auth };
    struct pw_http_response resp;
    pw_http_handle(f->h, &req, &resp);
    if (resp.status != 200) {
        print_error("%s: %d %s\n", uri, resp.status, resp.body != NULL ? resp.body : "");
    }
    assert_int_equal(resp.status, 200);
    json_t *body = json_loads(resp.body, 0, NULL);
    pw_http_response_release(&resp);
    assert_non_null(body);
    return body;
}

static const json_t *
person_named(const json_t *people, const char *id)
{
    size_t i;
    const json_t *p;
    json_array_foreach(people, i, p)
    {
        if (strcmp(json_string_value(json_object_get(p, "person")), id) == 0) {
            return p;
        }
    }
    return NULL;
}

/* How many relationships from -> to of kind there are; since, when not NULL, must match. */
static size_t
count_rel(const json_t *rels, const char *from, const char *to, const char *kind, const char *since)
{
    size_t found = 0;
    size_t i;
    const json_t *r;
    json_array_foreach(rels, i, r)
    {
        const char *s = json_string_value(json_object_get(r, "since"));
        if (strcmp(json_string_value(json_object_get(r, "from")), from) == 0 &&
            strcmp(json_string_value(json_object_get(r, "to")), to) == 0 &&
            strcmp(json_string_value(json_object_get(r, "kind")), kind) == 0 &&
            (since == NULL || (s != NULL && strcmp(s, since) == 0))) {
            found++;
        }
    }
    return found;
}

static void
test_network_sex_and_relationships(void **state)
{
    struct fixture *f = *state;
    json_t *body = get(f, f->sw, "/api/children/p-lily-h/network");
    const json_t *people = json_object_get(body, "people");
    const json_t *rels = json_object_get(body, "relationships");
    assert_true(json_is_array(rels));

    static const char *const sexes[][2] = {
        { "p-lily-h", "female" },
        { "p-kerry-h", "female" },
        { "p-noah-h", "male" },
        { "p-dean-c", "male" },
    };
    for (size_t i = 0; i < sizeof(sexes) / sizeof(sexes[0]); i++) {
        const json_t *p = person_named(people, sexes[i][0]);
        assert_non_null(p);
        assert_string_equal(json_string_value(json_object_get(p, "sex")), sexes[i][1]);
    }
    assert_true(json_is_true(json_object_get(person_named(people, "p-dean-c"), "sexual_risk")));

    assert_int_equal(count_rel(rels, "p-kerry-h", "p-lily-h", "parent", NULL), 1);
    assert_int_equal(count_rel(rels, "p-kerry-h", "p-noah-h", "parent", NULL), 1);
    assert_int_equal(count_rel(rels, "p-dean-c", "p-kerry-h", "parent_partner", "2024-12-01"), 1);
    /* The correction, not what it corrected. */
    assert_int_equal(count_rel(rels, "p-lily-h", "p-noah-h", "half_sibling", NULL), 1);
    assert_int_equal(count_rel(rels, "p-lily-h", "p-noah-h", "half_sibling", "2021-02-11"), 1);
    /* Police intelligence: social care may know it exists (the chronology), not draw it. */
    assert_int_equal(count_rel(rels, "p-dean-c", "p-noah-h", "regular_contact", NULL), 0);
    assert_int_equal(json_array_size(rels), 4);

    size_t i;
    const json_t *r;
    json_array_foreach(rels, i, r)
    {
        assert_non_null(person_named(people, json_string_value(json_object_get(r, "from"))));
        assert_non_null(person_named(people, json_string_value(json_object_get(r, "to"))));
        assert_true(json_is_null(json_object_get(r, "until")));
    }
    json_decref(body);
}

static void
test_network_pseudonymised(void **state)
{
    struct fixture *f = *state;
    json_t *full = get(f, f->sw, "/api/children/p-lily-h/network");
    json_t *body = get(f, f->au, "/api/children/p-lily-h/network");
    const json_t *people = json_object_get(body, "people");
    const json_t *rels = json_object_get(body, "relationships");
    assert_string_equal(json_string_value(json_object_get(json_object_get(body, "access"), "view")),
                        "pseudonymised");
    assert_int_equal(json_array_size(people), json_array_size(json_object_get(full, "people")));
    assert_int_equal(json_array_size(rels), 4);
    size_t i;
    const json_t *r;
    json_array_foreach(rels, i, r)
    {
        const char *from = json_string_value(json_object_get(r, "from"));
        const char *to = json_string_value(json_object_get(r, "to"));
        assert_non_null(person_named(people, from));
        assert_non_null(person_named(people, to));
        assert_int_equal(strncmp(from, "ps-", 3), 0);
        assert_int_equal(strncmp(to, "ps-", 3), 0);
    }
    const json_t *p;
    size_t females = 0;
    json_array_foreach(people, i, p)
    {
        assert_null(json_object_get(p, "name"));
        const char *sex = json_string_value(json_object_get(p, "sex"));
        females += sex != NULL && strcmp(sex, "female") == 0;
    }
    assert_int_equal(females, 2);
    char *text = json_dumps(body, 0);
    assert_null(strstr(text, "p-lily-h"));
    assert_null(strstr(text, "p-dean-c"));
    free(text);
    json_decref(body);
    json_decref(full);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_sex_and_relationships),
        cmocka_unit_test(test_network_pseudonymised),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
