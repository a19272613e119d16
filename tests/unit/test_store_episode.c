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
#include "episode_facts.h"

/* "id,id,...," of the facts in the order they came, each checked for its fields. */
static enum pw_status
collect(void *ctx, const struct pw_log_entry *f, struct pw_error *err)
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
expect_facts(struct pw_store_fixture *fx, const char *episode, const char *ids)
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
    struct pw_store_fixture *fx = *state;
    RECORD(fx->s, PERSON("p1", "p-lily"), PERSON("p2", "p-noah"), PERSON("p3", "p-other"),
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
    struct pw_store_fixture *fx = *state;
    RECORD(fx->s, PERSON("p1", "p-lily"), CONCERN("c1", "2025-06-12", "c-lily", "\"p-lily\""),
           DECIDED("d1", "2025-06-13", "c-lily", "strategy_discussion", "e-hart"),
           MEETING("m1", "2025-07-08", "e-hart", "icpc"));
    RECORD(fx->s, FACT("meeting.held", "m1-fix",
                       "2025-07-07") "\"supersedes\":\"m1\","
                                     "\"episode\":\"e-hart\",\"kind\":\"icpc\"}");
    expect_facts(fx, "e-hart", "c1,d1,m1-fix,");
}

static void
test_unknown(void **state)
{
    struct pw_store_fixture *fx = *state;
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
        cmocka_unit_test_setup_teardown(test_episode_facts, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_correction, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unknown, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
