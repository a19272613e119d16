/*
 * An episode's stage and deadlines (src/pathway/episode.c) on real dates: the Hart family of
 * examples/partnership.jsonl (a referral decided the working day after the concern and a strategy
 * discussion the working day after the decision are on time; an ICPC due 2025-07-04, 15
 * working days counting the strategy discussion as day 1, and held 2025-07-07 is one working
 * day late), a conference
 * due across Christmas and New Year, a core group across Easter, an episode ending in no
 * further action (no conference step), overdue and not yet due as of a given day, the
 * assessment met in time for both children, core groups every six weeks, reviews at three and
 * six months, a closed case, and an unknown episode. Runs on both backends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/time.h"
#include "model/model.h"
#include "pathway/config.h"
#include "pathway/pathway.h"
#include "store/store.h"
#include "testdb.h"
#include "episode_facts.h"

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_config config;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    if (fx == NULL || pw_testdb_open_store(&fx->db, "episode", &fx->s) != 0) {
        free(fx);
        return -1;
    }
    pw_config_defaults(&fx->config);
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

static int32_t
day(const char *text)
{
    int32_t d = 0;
    assert_int_equal(pw_date_parse(text, strlen(text), &d, NULL), PW_OK);
    return d;
}

static void
view(struct fixture *fx, const char *episode, const char *now, struct pw_episode_view *v)
{
    struct pw_error err = { 0 };
    enum pw_status rc = pw_pathway_episode(fx->s, &fx->config, episode, day(now), v, &err);
    if (rc != PW_OK) {
        fprintf(stderr, "episode: %s\n", err.msg);
    }
    assert_int_equal(rc, PW_OK);
}

/* The step called name, which must be there. */
static const struct pw_step *
step(const struct pw_episode_view *v, const char *name)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        if (strcmp(v->steps[i].name, name) == 0) {
            return &v->steps[i];
        }
    }
    fail_msg("no step \"%s\"", name);
    return NULL;
}

static bool
has_step(const struct pw_episode_view *v, const char *name)
{
    for (size_t i = 0; i < v->nsteps; i++) {
        if (strcmp(v->steps[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static void
expect_step(const struct pw_episode_view *v, const char *name, const char *due,
            enum pw_step_status status, int by)
{
    const struct pw_step *st = step(v, name);
    char text[PW_DATE_TEXT_MAX];
    pw_date_format(st->due, text);
    assert_string_equal(text, due);
    assert_int_equal(st->status, status);
    assert_int_equal(st->by, by);
}

static void
record_hart(struct fixture *fx)
{
    RECORD(
        fx->s, PERSON("p1", "p-lily-h"), PERSON("p2", "p-noah-h"),
        CONCERN("edu-0002", "2025-06-12T15:20:00+01:00", "c-lily-2025-06", "\"p-lily-h\""),
        DECIDED("csc-0010", "2025-06-13", "c-lily-2025-06", "strategy_discussion", "e-hart-2025"),
        STRATEGY("csc-0011", "2025-06-16", "e-hart-2025", "\"p-lily-h\",\"p-noah-h\"", "true"));
}

/* The example as recorded: the counting of one working day, and what is overdue on 10 July. */
static void
test_hart_as_recorded(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    record_hart(fx);
    view(fx, "e-hart-2025", "2025-07-10", &v);
    assert_int_equal(v.nchildren, 2);
    assert_string_equal(v.children[0], "p-lily-h");
    assert_string_equal(v.children[1], "p-noah-h");
    assert_int_equal(v.stage, PW_STAGE_S47);
    assert_int_equal(v.nsteps, 4);
    /* Within one working day: by the next working day after the concern, so on time. */
    expect_step(&v, "referral decision", "2025-06-13", PW_STEP_MET, 0);
    assert_string_equal(step(&v, "referral decision")->clock_fact, "edu-0002");
    assert_string_equal(step(&v, "referral decision")->met_fact, "csc-0010");
    /* Decided on Friday 13 June: due the next working day, Monday 16th, and held then. */
    expect_step(&v, "strategy discussion", "2025-06-16", PW_STEP_MET, 0);
    /* 15 working days from Monday 16 June: Friday 4 July; on Thursday 10th, 4 days over. */
    expect_step(&v, "initial child protection conference", "2025-07-04", PW_STEP_OVERDUE, 4);
    expect_step(&v, "child and family assessment", "2025-08-14", PW_STEP_DUE, 0);
    /* Most urgent first. */
    assert_string_equal(v.steps[0].id, "icpc");
    assert_string_equal(v.steps[1].id, "assessment");
    assert_false(has_step(&v, "first core group"));
    pw_episode_view_release(&v);

    /* Not yet due on the day itself. */
    view(fx, "e-hart-2025", "2025-07-04", &v);
    expect_step(&v, "initial child protection conference", "2025-07-04", PW_STEP_DUE, 0);
    pw_episode_view_release(&v);
}

/* The ICPC a working day late; core groups every six weeks; reviews; assessments in time. */
static void
test_hart_plan(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    record_hart(fx);
    RECORD(fx->s, MEETING("m1", "2025-07-07", "e-hart-2025", "icpc"),
           MEETING("m2", "2025-07-18", "e-hart-2025", "core_group"),
           ASSESSED("a1", "2025-08-01", "p-lily-h"), ASSESSED("a2", "2025-08-14", "p-noah-h"),
           MEETING("m3", "2025-08-28", "e-hart-2025", "core_group"),
           MEETING("m4", "2025-10-06", "e-hart-2025", "review_conference"));
    view(fx, "e-hart-2025", "2025-10-20", &v);
    assert_int_equal(v.stage, PW_STAGE_PLAN);
    expect_step(&v, "initial child protection conference", "2025-07-04", PW_STEP_MET_LATE, 1);
    /* Met when the second child's assessment is done: the 45th working day. */
    expect_step(&v, "child and family assessment", "2025-08-14", PW_STEP_MET, 0);
    assert_string_equal(step(&v, "child and family assessment")->met_fact, "a2");
    expect_step(&v, "first core group", "2025-07-18", PW_STEP_MET, 0);
    /* Six weeks from 18 July is 29 August: met on the 28th. */
    expect_step(&v, "core group 2", "2025-08-29", PW_STEP_MET, 0);
    /* Six weeks from 28 August is 9 October: on Monday 20th, 7 working days over. */
    expect_step(&v, "core group 3", "2025-10-09", PW_STEP_OVERDUE, 7);
    /* Three months from 7 July. */
    expect_step(&v, "first review conference", "2025-10-07", PW_STEP_MET, 0);
    /* Six months from 6 October: 6 April 2026, which is Easter Monday (calendar months). */
    expect_step(&v, "review conference 2", "2026-04-06", PW_STEP_DUE, 0);
    assert_string_equal(v.steps[0].name, "core group 3");
    pw_episode_view_release(&v);

    /* Closed for both children: nothing is due any more. */
    RECORD(fx->s, CLOSED("x1", "2025-10-21", "p-lily-h"), CLOSED("x2", "2025-10-21", "p-noah-h"));
    view(fx, "e-hart-2025", "2025-12-01", &v);
    assert_int_equal(v.stage, PW_STAGE_CLOSED);
    expect_step(&v, "core group 3", "2025-10-09", PW_STEP_NA, 0);
    expect_step(&v, "review conference 2", "2026-04-06", PW_STEP_NA, 0);
    for (size_t i = 0; i < v.nsteps; i++) {
        assert_true(v.steps[i].status != PW_STEP_OVERDUE && v.steps[i].status != PW_STEP_DUE);
    }
    pw_episode_view_release(&v);
}

/* 15 working days from Monday 15 December 2025 skip Christmas, Boxing Day and New Year. */
static void
test_christmas(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    RECORD(fx->s, PERSON("p1", "p-c"), CONCERN("c1", "2025-12-12", "c-x", "\"p-c\""),
           DECIDED("d1", "2025-12-12", "c-x", "strategy_discussion", "e-x"),
           STRATEGY("s1", "2025-12-15", "e-x", "\"p-c\"", "true"),
           MEETING("m1", "2026-01-07", "e-x", "icpc"));
    view(fx, "e-x", "2026-01-08", &v);
    /* A concern on Friday 12 December: decided by Monday 15th. */
    expect_step(&v, "referral decision", "2025-12-15", PW_STEP_MET, 0);
    expect_step(&v, "initial child protection conference", "2026-01-07", PW_STEP_MET, 0);
    /* The conference starts the first core group's clock: 10 working days from 7 January. */
    expect_step(&v, "first core group", "2026-01-20", PW_STEP_DUE, 0);
    assert_string_equal(step(&v, "first core group")->clock_fact, "m1");
    pw_episode_view_release(&v);
}

/* 10 working days from Monday 30 March 2026 skip Good Friday and Easter Monday. */
static void
test_easter(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    RECORD(fx->s, PERSON("p1", "p-e"), CONCERN("c1", "2026-03-09", "c-e", "\"p-e\""),
           DECIDED("d1", "2026-03-09", "c-e", "strategy_discussion", "e-e"),
           STRATEGY("s1", "2026-03-09", "e-e", "\"p-e\"", "true"),
           MEETING("m1", "2026-03-30", "e-e", "icpc"),
           MEETING("m2", "2026-04-15", "e-e", "core_group"));
    view(fx, "e-e", "2026-04-15", &v);
    expect_step(&v, "strategy discussion", "2026-03-10", PW_STEP_MET, 0);
    expect_step(&v, "first core group", "2026-04-14", PW_STEP_MET_LATE, 1);
    /* Three months from 30 March: 30 June. */
    expect_step(&v, "first review conference", "2026-06-30", PW_STEP_DUE, 0);
    pw_episode_view_release(&v);
}

/* No further action: the decision is the only step; no conference, no assessment. */
static void
test_no_further_action(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    RECORD(fx->s, PERSON("p1", "p-n"), CONCERN("c1", "2025-09-01", "c-n", "\"p-n\""),
           DECIDED("d1", "2025-09-01", "c-n", "no_further_action", "e-n"), PERSON("p2", "p-m"),
           CONCERN("c2", "2025-09-01", "c-m", "\"p-m\""),
           DECIDED("d2", "2025-09-01", "c-m", "strategy_discussion", "e-m"),
           STRATEGY("s2", "2025-09-01", "e-m", "\"p-m\"", "false"));
    view(fx, "e-n", "2025-12-01", &v);
    assert_int_equal(v.stage, PW_STAGE_NFA);
    assert_int_equal(v.nsteps, 1);
    expect_step(&v, "referral decision", "2025-09-02", PW_STEP_MET, 0);
    pw_episode_view_release(&v);
    /* A strategy discussion that started no section 47 enquiry: no conference step. */
    view(fx, "e-m", "2025-09-02", &v);
    assert_int_equal(v.stage, PW_STAGE_ASSESSMENT);
    assert_false(has_step(&v, "initial child protection conference"));
    expect_step(&v, "strategy discussion", "2025-09-02", PW_STEP_MET, 0);
    /* 45 working days from 1 September 2025. */
    expect_step(&v, "child and family assessment", "2025-10-31", PW_STEP_DUE, 0);
    pw_episode_view_release(&v);
}

/* A partnership's own timescale is the one applied. */
static void
test_configured_timescale(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    record_hart(fx);
    fx->config.value[PW_CFG_ICPC] = 10;
    view(fx, "e-hart-2025", "2025-06-30", &v);
    expect_step(&v, "initial child protection conference", "2025-06-27", PW_STEP_OVERDUE, 1);
    assert_int_equal(step(&v, "initial child protection conference")->amount, 10);
    pw_episode_view_release(&v);
}

static void
test_unknown_episode(void **state)
{
    struct fixture *fx = *state;
    struct pw_episode_view v;
    struct pw_error err = { 0 };
    assert_int_equal(pw_pathway_episode(fx->s, &fx->config, "e-none", 0, &v, &err), PW_ENOTFOUND);
    assert_int_equal(v.nsteps, 0);
    pw_episode_view_release(&v);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hart_as_recorded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hart_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_christmas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_easter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_further_action, setup, teardown),
        cmocka_unit_test_setup_teardown(test_configured_timescale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_episode, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
