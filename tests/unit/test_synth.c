/*
 * The synthetic partnership: the same options give the same files and another seed other
 * files; every feed reads cleanly with the feed module; the errors in the files come at the
 * documented rates (counted from the files themselves, within sampling tolerance).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feed/feed.h"
#include "synth/synth.h"

static char *
slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    (void)fseek(f, 0, SEEK_END);
    long n = ftell(f);
    (void)fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    p[n] = '\0';
    (void)fclose(f);
    *len = (size_t)n;
    return p;
}

static void
make(const char *dir, uint64_t children, uint64_t seed, double rate, struct pw_synth_stats *st)
{
    struct pw_synth_opts o = { children, seed, rate, pw_date_from_ymd(2025, 9, 1) };
    struct pw_error err = { 0 };
    assert_int_equal(pw_synth_write(&o, dir, st, &err), PW_OK);
}

static bool
same_file(const char *a, const char *b, const char *name)
{
    size_t la = 0;
    size_t lb = 0;
    char *x = slurp(a, name, &la);
    char *y = slurp(b, name, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void
deterministic(void **state)
{
    (void)state;
    char a[] = "/tmp/pw-synth-a-XXXXXX";
    char b[] = "/tmp/pw-synth-b-XXXXXX";
    char c[] = "/tmp/pw-synth-c-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    assert_non_null(mkdtemp(c));
    struct pw_synth_stats st;
    make(a, 300, 42, 1.0, &st);
    assert_int_equal(st.children, 300);
    make(b, 300, 42, 1.0, &st);
    make(c, 300, 43, 1.0, &st);
    static const char *const files[] = { "feeds/csc.csv",       "feeds/police.csv",
                                         "feeds/health.csv",    "feeds/education.csv",
                                         "feeds/probation.csv", "truth.csv",
                                         "facts.jsonl",         "README.md" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        assert_true(same_file(a, b, files[i]));
    }
    assert_false(same_file(a, c, "feeds/health.csv"));
    assert_false(same_file(a, c, "truth.csv"));
}

struct count {
    size_t rows, empty_dob, swapped_like;
};

static void
no_error(void *ctx, long line, const char *column, const char *msg)
{
    (void)ctx;
    fail_msg("line %ld column %s: %s", line, column != NULL ? column : "-", msg);
}

/* Every feed reads without an error, as pathway import would read it. */
static void
feeds_read_cleanly_and_rates_hold(void **state)
{
    (void)state;
    char dir[] = "/tmp/pw-synth-r-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct pw_synth_stats st;
    make(dir, 3000, 5, 1.0, &st);
    for (int a = 0; a < PW_SYNTH_AGENCIES; a++) {
        char name[64];
        size_t len = 0;
        (void)snprintf(name, sizeof(name), "feeds/%s.csv", pw_synth_agency_name(a));
        char *text = slurp(dir, name, &len);
        struct pw_feed_opts o;
        struct pw_feed_batch b;
        struct pw_error err = { 0 };
        memset(&o, 0, sizeof(o));
        o.agency = pw_synth_agency_name(a);
        o.file = name;
        o.at = "2025-09-01";
        o.by = "tester";
        assert_int_equal(pw_feed_read(&o, text, len, no_error, NULL, &b, &err), PW_OK);
        assert_int_equal(b.count, st.records[a]);
        pw_feed_batch_release(&b);
        free(text);
    }
    /* Missing dates of birth, counted in the health feed (column 5). */
    size_t len = 0;
    char *text = slurp(dir, "feeds/health.csv", &len);
    struct pw_feed_csv csv;
    struct pw_error err = { 0 };
    assert_int_equal(pw_feed_csv_parse(text, len, &csv, &err), PW_OK);
    size_t empty = 0;
    size_t no_postcode = 0;
    for (size_t i = 1; i < csv.count; i++) {
        empty += csv.rows[i].lens[4] == 0;
        no_postcode += csv.rows[i].lens[8] == 0;
    }
    double n = (double)(csv.count - 1);
    double dob_rate = 100.0 * (double)empty / n;
    /* 1.5% of about 6000 records: two and a half standard deviations either way. */
    assert_true(dob_rate > PW_SYNTH_RATE_MISSING_DOB * 0.6 &&
                dob_rate < PW_SYNTH_RATE_MISSING_DOB * 1.4);
    double pc_rate = 100.0 * (double)no_postcode / n;
    double want = PW_SYNTH_RATE_NO_POSTCODE + PW_SYNTH_RATE_NO_ADDRESS;
    assert_true(pc_rate > want * 0.7 && pc_rate < want * 1.3);
    pw_feed_csv_release(&csv);
    free(text);
    /* The counts agree with the rates too, and a higher error rate makes more. */
    double typo = 100.0 * (double)st.typos / (double)st.typo_records;
    assert_true(typo > PW_SYNTH_RATE_TYPO * 0.8 && typo < PW_SYNTH_RATE_TYPO * 1.2);
    char clean[] = "/tmp/pw-synth-z-XXXXXX";
    assert_non_null(mkdtemp(clean));
    make(clean, 3000, 5, 0.0, &st);
    assert_int_equal(st.typos + st.missing_dob + st.swapped + st.no_postcode + st.no_address, 0);
    make(clean, 3000, 5, 2.0, &st);
    typo = 100.0 * (double)st.typos / (double)st.typo_records;
    assert_true(typo > PW_SYNTH_RATE_TYPO * 2 * 0.8 && typo < PW_SYNTH_RATE_TYPO * 2 * 1.2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deterministic),
        cmocka_unit_test(feeds_read_cleanly_and_rates_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
