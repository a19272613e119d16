/*
 * The facts of an episode (src/store/episode.c), on both backends: the facts naming the
 * episode, the concern that led to it and the facts naming that concern, the assessments and
 * closures of its children (and not of other children, nor from before the episode), in the
 * order things happened rather than the order recorded, a corrected fact left out for its
 * correction, and an unknown episode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "model/model.h"
#include "store/store.h"
#include "testdb.h"

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct pw_error err = { 0 };
    if (pw_testdb_create(&fx->db, "episode") != 0) {
        return -1;
    }
    if (pw_store_open(fx->db.target, PW_STORE_CREATE | PW_STORE_NEW, &fx->s, &err) != PW_OK) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    pw_store_close(fx->s);
    pw_testdb_drop(&fx->db);
    free(fx);
    return 0;
}

static void
record(struct fixture *fx, const char *const *lines, size_t n)
{
    struct pw_fact *facts = calloc(n, sizeof(*facts));
    struct pw_fact_parse_opts opts = { "tester", 0 };
    struct pw_record_outcome out;
    struct pw_error err = { 0 };
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        rc = pw_fact_parse(lines[i], strlen(lines[i]), &opts, &facts[i], &err);
    }
    if (rc == PW_OK) {
        rc = pw_store_record(fx->s, facts, n, &out, &err);
    }
    if (rc != PW_OK) {
        fprintf(stderr, "record: %s %s\n", err.field, err.msg);
    }
    for (size_t i = 0; i < n; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    assert_int_equal(rc, PW_OK);
}

#define RECORD(fx, ...)                                     \
 do {                                                       \
  static const char *const lines_[] = { __VA_ARGS__ };      \
  record((fx), lines_, sizeof(lines_) / sizeof(lines_[0])); \
 } while (0)

#define FACT(type, id, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"at\":\"" at "\",\"agency\":\"csc\","

#define PERSON(id, pid)                      \
 FACT("person.registered", id, "2025-01-10") \
 "\"person\":\"" pid "\",\"names\":[{\"given\":\"A\",\"family\":\"B\",\"kind\":\"birth\"}]}"
#define CONCERN(id, at, cid, children) \
 FACT("concern.raised", id, at) "\"concern\":\"" cid "\",\"children\":[" children "]}"
#define DECIDED(id, at, cid, decision, ep)          \
 FACT("referral.decided", id, at)                   \
 "\"concern\":\"" cid "\",\"decision\":\"" decision \
 "\",\"rationale\":\"r\",\"decided_by\":\"tm\",\"episode\":\"" ep "\"}"
#define STRATEGY(id, at, ep, children, s47)            \
 FACT("strategy.held", id, at)                         \
 "\"episode\":\"" ep "\",\"children\":[" children "]," \
 "\"attendees\":[{\"agency\":\"csc\",\"role\":\"sw\"}],\"s47\":" s47 "}"
#define MEETING(id, at, ep, kind) \
 FACT("meeting.held", id, at) "\"episode\":\"" ep "\",\"kind\":\"" kind "\"}"
#define ASSESSED(id, at, child) \
 FACT("assessment.completed", id, at) "\"child\":\"" child "\",\"kind\":\"child_and_family\"}"
#define CLOSED(id, at, child) \
 FACT("case.closed", id, at) "\"child\":\"" child "\",\"rationale\":\"r\",\"decided_by\":\"tm\"}"

/* "id,id,...," of the facts in the order they came, each checked for its fields. */
static enum pw_status
collect(void *ctx, const struct pw_episode_fact *f, struct pw_error *err)
{
    (void)err;
    assert_true(f->seq > 0);
    assert_non_null(f->type);
    assert_non_null(f->at);
    assert_string_equal(f->agency, "csc");
    assert_string_equal(f->by, "tester");
    assert_true(f->body[0] == '{');
    pw_buf_addf(ctx, "%s,", f->id);
    return PW_OK;
}

static void
expect_facts(struct fixture *fx, const char *episode, const char *ids)
{
    struct pw_buf b;
    struct pw_error err = { 0 };
    pw_buf_init(&b, 0);
    assert_int_equal(pw_store_episode_facts(fx->s, episode, collect, &b, &err), PW_OK);
    assert_string_equal(pw_buf_cstr(&b), ids);
    pw_buf_release(&b);
}

static void
test_episode_facts(void **state)
{
    struct fixture *fx = *state;
    RECORD(fx, PERSON("p1", "p-lily"), PERSON("p2", "p-noah"), PERSON("p3", "p-other"),
           /* Before the episode: not one of its facts. */
           ASSESSED("a0", "2025-01-20", "p-lily"),
           CONCERN("c1", "2025-06-12T15:20:00+01:00", "c-lily", "\"p-lily\""),
           CONCERN("c2", "2025-06-12", "c-other", "\"p-other\""),
           DECIDED("d1", "2025-06-13", "c-lily", "strategy_discussion", "e-hart"),
           DECIDED("d2", "2025-06-13", "c-other", "assessment", "e-other"),
           /* Recorded later than what follows, but it happened first. */
           MEETING("m1", "2025-07-07", "e-hart", "icpc"),
           STRATEGY("s1", "2025-06-16", "e-hart", "\"p-lily\",\"p-noah\"", "true"),
           ASSESSED("a1", "2025-08-01", "p-noah"), ASSESSED("a2", "2025-08-01", "p-other"),
           CLOSED("x1", "2025-09-01", "p-lily"));
    expect_facts(fx, "e-hart", "c1,d1,s1,m1,a1,x1,");
    expect_facts(fx, "e-other", "c2,d2,a2,");
}

static void
test_correction(void **state)
{
    struct fixture *fx = *state;
    RECORD(fx, PERSON("p1", "p-lily"), CONCERN("c1", "2025-06-12", "c-lily", "\"p-lily\""),
           DECIDED("d1", "2025-06-13", "c-lily", "strategy_discussion", "e-hart"),
           MEETING("m1", "2025-07-08", "e-hart", "icpc"));
    RECORD(fx, FACT("meeting.held", "m1-fix",
                    "2025-07-07") "\"supersedes\":\"m1\","
                                  "\"episode\":\"e-hart\",\"kind\":\"icpc\"}");
    expect_facts(fx, "e-hart", "c1,d1,m1-fix,");
}

static void
test_unknown(void **state)
{
    struct fixture *fx = *state;
    struct pw_buf b;
    struct pw_error err = { 0 };
    pw_buf_init(&b, 0);
    assert_int_equal(pw_store_episode_facts(fx->s, "e-none", collect, &b, &err), PW_ENOTFOUND);
    assert_string_equal(pw_buf_cstr(&b), "");
    pw_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_episode_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_correction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
