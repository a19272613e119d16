/*
 * The rules engine (src/rules/engine.c) on both backends: alerts are derived in the recording
 * transaction and kept; a refusing rule refuses the whole batch and nothing is written; a
 * correction that disconnects someone takes away the alerts it caused; a rebuild and a recheck
 * reproduce exactly what was recorded fact by fact; statuses follow the day asked about; the
 * managers allocated to the child are who an overdue alert goes to.
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
#include "pathway/config.h"
#include "rules/rules.h"
#include "store/store.h"
#include "testdb.h"

struct fixture {
    struct pw_testdb db;
    struct pw_store *s;
    struct pw_rules *rules;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct pw_config config;
    if (fx == NULL || pw_testdb_open_store(&fx->db, "rules", &fx->s) != 0) {
        free(fx);
        return -1;
    }
    pw_config_defaults(&config);
    fx->rules = pw_rules_new(&config);
    pw_rules_attach(fx->rules, fx->s);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    pw_store_close(fx->s);
    pw_rules_free(fx->rules);
    pw_testdb_drop(&fx->db);
    free(fx);
    return 0;
}

#define ENV(type, id, at) \
 "{\"type\":\"" type "\",\"id\":\"" id "\",\"at\":\"" at "\",\"agency\":\"csc\","

/* A mother and her daughter at 12 Mill Lane; a man with a sexual-offence history. */
static const char *const family[] = {
    ENV("person.registered", "reg-ella",
        "2024-01-02") "\"person\":\"p-ella\",\"names\":[{\"given\":"
                      "\"Ella\"}],\"dob\":\"2017-06-01\"}",
    ENV("person.registered", "reg-gina",
        "2024-01-02") "\"person\":\"p-gina\",\"names\":[{\"given\":"
                      "\"Gina\"}],\"dob\":\"1988-03-02\"}",
    ENV("person.registered", "reg-ray", "2024-01-02") "\"person\":\"p-ray\",\"names\":[{\"given\":"
                                                      "\"Ray\"}],\"dob\":\"1979-09-09\"}",
    ENV("residence.recorded", "res-ella",
        "2024-01-02") "\"person\":\"p-ella\",\"address\":{"
                      "\"line1\":\"12 Mill Lane\",\"postcode\":\"LS1 4AB\"},\"since\":\"2020-01-01\"}",
    ENV("residence.recorded", "res-gina",
        "2024-01-02") "\"person\":\"p-gina\",\"address\":{"
                      "\"line1\":\"12 Mill Lane\",\"postcode\":\"LS1 4AB\"},\"since\":\"2020-01-01\"}",
    ENV("risk.recorded", "risk-ray", "2024-11-04") "\"person\":\"p-ray\",\"kind\":\"conviction\","
                                                   "\"sexual\":true,\"against\":\"child\"}",
    ENV("allocation.changed", "alloc-tm", "2024-01-02") "\"child\":\"p-ella\",\"user\":\"u-tm\","
                                                        "\"role\":\"team_manager\"}",
};
#define FAMILY_N (sizeof(family) / sizeof(family[0]))

static const char *const moves_in[] = {
    ENV("residence.recorded", "res-ray",
        "2025-03-03") "\"person\":\"p-ray\",\"address\":{"
                      "\"line1\":\"12 Mill Lane\",\"postcode\":\"LS1 4AB\"},\"since\":\"2025-03-03\"}",
};

/* The residence was recorded at the wrong address: the correction takes Ray elsewhere. */
static const char *const corrected[] = {
    ENV("residence.recorded", "res-ray-2",
        "2025-03-03") "\"supersedes\":\"res-ray\",\"person\":"
                      "\"p-ray\",\"address\":{\"line1\":\"9 Far Street\",\"postcode\":\"LS9 1ZZ\"},\"since\":\"2025-03-03\"}",
};

struct seen {
    size_t n;
    char line[8][200];
};

static enum pw_status
collect(void *ctx, const struct pw_alert_view *a, struct pw_error *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->n < 8) {
        (void)snprintf(s->line[s->n++], sizeof(s->line[0]), "%s %s %s %s due=%s esc=%s %d",
                       a->record.rule, a->record.child, a->record.subject ? a->record.subject : "-",
                       pw_alert_status_name(a->status), a->record.due ? a->record.due : "-",
                       a->record.escalate_to, a->escalated ? 1 : 0);
    }
    return PW_OK;
}

static struct seen
alerts_on(struct fixture *fx, const char *day)
{
    struct seen s = { 0 };
    struct pw_error err = { 0 };
    int32_t now = 0;
    assert_int_equal(pw_date_parse(day, strlen(day), &now, &err), PW_OK);
    assert_int_equal(pw_rules_alerts(fx->rules, fx->s, NULL, now, collect, &s, &err), PW_OK);
    return s;
}

static size_t
recheck(struct fixture *fx)
{
    struct pw_recheck_result r;
    struct pw_error err = { 0 };
    assert_int_equal(pw_rules_recheck(fx->rules, fx->s, false, NULL, NULL, &r, &err), PW_OK);
    return r.differences;
}

static void
an_alert_is_raised_in_the_recording_transaction_and_kept(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(pw_test_record(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(alerts_on(fx, "2025-03-04").n, 0);
    assert_int_equal(pw_test_record(fx->s, moves_in, 1, NULL, &err), PW_OK);
    /* Not before the day it arose; open until its due date; then overdue and escalated. */
    assert_int_equal(alerts_on(fx, "2025-03-02").n, 0);
    struct seen s = alerts_on(fx, "2025-03-07");
    assert_int_equal(s.n, 1);
    assert_string_equal(s.line[0], "R01 p-ella p-ray open due=2025-03-07 esc=[\"u-tm\"] 0");
    s = alerts_on(fx, "2025-03-10");
    assert_string_equal(s.line[0], "R01 p-ella p-ray overdue due=2025-03-07 esc=[\"u-tm\"] 1");
    assert_int_equal(recheck(fx), 0);
}

static void
a_refusal_refuses_the_whole_batch(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    struct pw_log_head before;
    struct pw_log_head after;
    static const char *const batch[] = {
        ENV("concern.raised", "c1", "2025-03-05") "\"concern\":\"c-1\",\"children\":[\"p-ella\"]}",
        ENV("strategy.held", "sd1", "2025-03-06") "\"episode\":\"e-1\",\"children\":[\"p-ella\"],"
                                                  "\"attendees\":[{\"agency\":\"csc\"}]}",
    };
    assert_int_equal(pw_test_record(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(pw_store_head(fx->s, &before, &err), PW_OK);
    assert_int_equal(pw_test_record(fx->s, batch, 2, &out, &err), PW_EBLOCKED);
    assert_int_equal(out.failed, 1);
    assert_non_null(strstr(err.msg, "R07 medical-considered"));
    assert_int_equal(pw_store_head(fx->s, &after, &err), PW_OK);
    assert_int_equal(after.seq, before.seq);
}

static void
a_correction_takes_away_what_it_caused(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    assert_int_equal(pw_test_record(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(pw_test_record(fx->s, moves_in, 1, NULL, &err), PW_OK);
    assert_int_equal(alerts_on(fx, "2025-03-07").n, 1);
    assert_int_equal(pw_test_record(fx->s, corrected, 1, NULL, &err), PW_OK);
    assert_int_equal(alerts_on(fx, "2025-03-07").n, 0);
    assert_int_equal(recheck(fx), 0);
}

static void
rebuild_and_recheck_reproduce_the_alerts(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    int64_t replayed = 0;
    struct pw_recheck_result r;
    assert_int_equal(pw_test_record(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(pw_test_record(fx->s, moves_in, 1, NULL, &err), PW_OK);
    assert_int_equal(pw_store_rebuild(fx->s, &replayed, &err), PW_OK);
    assert_int_equal(alerts_on(fx, "2025-03-07").n, 1);
    assert_int_equal(recheck(fx), 0);
    /* Damage the kept alerts behind the engine's back: the recheck finds it and mends it. */
    assert_int_equal(pw_testdb_exec(&fx->db, "UPDATE alerts SET due = '2030-01-01'", true), 0);
    assert_int_equal(recheck(fx), 1);
    assert_int_equal(pw_rules_recheck(fx->rules, fx->s, true, NULL, NULL, &r, &err), PW_OK);
    assert_int_equal(r.differences, 1);
    assert_int_equal(recheck(fx), 0);
    bool stale = true;
    assert_int_equal(pw_rules_stale(fx->rules, fx->s, &stale, &err), PW_OK);
    assert_false(stale);
}

static void
another_configuration_is_stale_and_gives_other_due_dates(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_config config;
    assert_int_equal(pw_test_record(fx->s, family, FAMILY_N, NULL, &err), PW_OK);
    assert_int_equal(pw_test_record(fx->s, moves_in, 1, NULL, &err), PW_OK);
    assert_int_equal(pw_rules_recheck(fx->rules, fx->s, true, NULL, NULL,
                                      &(struct pw_recheck_result){ 0 }, &err),
                     PW_OK);
    pw_config_defaults(&config);
    assert_int_equal(
        pw_config_parse(&config, "r01.discussion = 2\n", strlen("r01.discussion = 2\n"), &err),
        PW_OK);
    struct pw_rules *other = pw_rules_new(&config);
    bool stale = false;
    assert_int_equal(pw_rules_stale(other, fx->s, &stale, &err), PW_OK);
    assert_true(stale);
    pw_rules_attach(other, fx->s);
    struct pw_recheck_result r;
    assert_int_equal(pw_rules_recheck(other, fx->s, true, NULL, NULL, &r, &err), PW_OK);
    assert_int_equal(r.differences, 1);
    pw_rules_free(fx->rules);
    fx->rules = other;
    struct seen s = alerts_on(fx, "2025-03-04");
    assert_string_equal(s.line[0], "R01 p-ella p-ray open due=2025-03-04 esc=[\"u-tm\"] 0");
}

/*
 * An address many have lived at over the years (a flat let year after year; a hostel): a fact
 * about today's tenant reaches only those whose time there overlapped theirs, not everyone who
 * ever lived there, so recording stays quick however long the address's history.
 */
static void
a_long_history_at_one_address_is_not_one_household(void **state)
{
    struct fixture *fx = *state;
    struct pw_error err = { 0 };
    enum {
        TENANTS = 40
    };
    for (int i = 0; i < TENANTS; i++) {
        /* Tenant i, a child of 10, lived there for the year 1985 + i. */
        char reg[400];
        char res[400];
        const char *lines[2] = { reg, res };
        (void)snprintf(reg, sizeof(reg),
                       ENV("person.registered", "t-reg-%d",
                           "2024-01-02") "\"person\":\"p-t%d\",\"names\":[{\"given\":\"T\"}],"
                                         "\"dob\":\"%d-01-01\"}",
                       i, i, 1975 + i);
        (void)snprintf(res, sizeof(res),
                       ENV("residence.recorded", "t-res-%d",
                           "2024-01-02") "\"person\":\"p-t%d\",\"address\":{\"line1\":\"Flat 1\","
                                         "\"postcode\":\"LS2 9ZZ\"},\"since\":\"%d-01-01\","
                                         "\"until\":\"%d-12-31\"}",
                       i, i, 1985 + i, 1985 + i);
        assert_int_equal(pw_test_record(fx->s, lines, 2, NULL, &err), PW_OK);
    }
    struct pw_rules_counts before;
    struct pw_rules_counts after;
    pw_rules_counts(fx->rules, &before);
    /* A sign about the last tenant, there in 2024 alone. */
    static const char *const sign[] = {
        ENV("indicator.observed", "t-ind", "2024-06-03") "\"child\":\"p-t39\","
                                                         "\"code\":\"withdrawn\"}",
    };
    assert_int_equal(pw_test_record(fx->s, sign, 1, NULL, &err), PW_OK);
    pw_rules_counts(fx->rules, &after);
    assert_int_equal(after.facts - before.facts, 1);
    /* The child themself: nobody else lived there with them (without periods: all 40). */
    assert_int_equal((after.judged - before.judged) + (after.skipped - before.skipped), 1);
    assert_int_equal(recheck(fx), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_alert_is_raised_in_the_recording_transaction_and_kept,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_refusal_refuses_the_whole_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(a_correction_takes_away_what_it_caused, setup, teardown),
        cmocka_unit_test_setup_teardown(rebuild_and_recheck_reproduce_the_alerts, setup, teardown),
        cmocka_unit_test_setup_teardown(another_configuration_is_stale_and_gives_other_due_dates,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_long_history_at_one_address_is_not_one_household, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
