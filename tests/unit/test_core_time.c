/*
 * Unit tests for src/core/time.c: day numbers, strict parsing of dates and date-times with their
 * error messages, canonical formatting that reads back exactly, sort keys and the UK clock
 * change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"

#include "core/error.h"
#include "core/time.h"

#define US_PER_SEC INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)

/* A fixed seed, so failures reproduce. */
static struct pw_rng rng = { UINT64_C(0x9e3779b97f4a7c15) };

/* A value in [lo, hi]. */
static int64_t
rng_range(int64_t lo, int64_t hi)
{
    return pw_rng_range(&rng, lo, hi);
}

static int32_t
ymd(int y, int m, int d)
{
    return pw_date_from_ymd(y, m, d);
}

/* Microseconds of y-m-d hh:mm:ss UTC. */
static int64_t
utc(int y, int m, int d, int hh, int mm, int ss)
{
    int64_t seconds = (int64_t)hh * 3600 + (int64_t)mm * 60 + ss;
    return (int64_t)ymd(y, m, d) * US_PER_DAY + seconds * US_PER_SEC;
}

static enum pw_status
parse_date(const char *s, int32_t *out, struct pw_error *err)
{
    pw_error_clear(err);
    return pw_date_parse(s, strlen(s), out, err);
}

static enum pw_status
parse_when(const char *s, struct pw_when *out, struct pw_error *err)
{
    pw_error_clear(err);
    return pw_when_parse(s, strlen(s), out, err);
}

/* Asserts that s is refused as a date and that the message contains want. */
static void
assert_date_refused(const char *s, const char *want)
{
    struct pw_error err;
    int32_t day = 12345;
    enum pw_status rc = parse_date(s, &day, &err);
    if (rc != PW_EINVAL || strstr(err.msg, want) == NULL) {
        print_error("input \"%s\": rc %d, message \"%s\", wanted \"%s\"\n", s, (int)rc, err.msg,
                    want);
    }
    assert_int_equal(rc, PW_EINVAL);
    assert_int_equal(err.code, PW_EINVAL);
    assert_non_null(strstr(err.msg, want));
    assert_int_equal(day, 12345); /* left alone */
}

/* Asserts that s is refused as a when and that the message contains want. */
static void
assert_when_refused(const char *s, const char *want)
{
    struct pw_error err;
    struct pw_when w = { 777, true };
    enum pw_status rc = parse_when(s, &w, &err);
    if (rc != PW_EINVAL || strstr(err.msg, want) == NULL) {
        print_error("input \"%s\": rc %d, message \"%s\", wanted \"%s\"\n", s, (int)rc, err.msg,
                    want);
    }
    assert_int_equal(rc, PW_EINVAL);
    assert_non_null(strstr(err.msg, want));
    assert_int_equal(w.us, 777);
}

/* Asserts that s parses as an instant at us. */
static void
assert_instant(const char *s, int64_t us)
{
    struct pw_error err;
    struct pw_when w = { 0, false };
    enum pw_status rc = parse_when(s, &w, &err);
    if (rc != PW_OK) {
        print_error("input \"%s\": %s\n", s, err.msg);
    }
    assert_int_equal(rc, PW_OK);
    assert_true(w.has_time);
    assert_int_equal(w.us, us);
}

static void
test_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 1, 1), 10957);
    assert_int_equal(ymd(2024, 2, 29), 19782);
    assert_int_equal(ymd(1800, 1, 1), -62091);
    assert_int_equal(ymd(2199, 12, 31), 84005);
    assert_int_equal(pw_date_weekday(ymd(1970, 1, 1)), 4);
    assert_int_equal(pw_date_weekday(ymd(1969, 12, 31)), 3);
    assert_int_equal(pw_date_weekday(ymd(2000, 1, 1)), 6);
    assert_int_equal(pw_date_weekday(ymd(1800, 1, 1)), 3);
    assert_int_equal(pw_date_weekday(ymd(2199, 12, 31)), 2);
    assert_int_equal(pw_date_weekday(ymd(2025, 12, 24)), 3);
    assert_int_equal(pw_date_weekday(ymd(2025, 12, 28)), 7);
}

/* Every day of the accepted years: consecutive numbers, a valid split and a 7-day week. */
static void
test_day_numbers_every_day(void **state)
{
    (void)state;
    int32_t expect = ymd(PW_DATE_MIN_YEAR, 1, 1);
    int weekday = pw_date_weekday(expect);
    for (int y = PW_DATE_MIN_YEAR; y <= PW_DATE_MAX_YEAR; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= pw_date_days_in_month(y, m); d++) {
                assert_true(pw_date_valid(y, m, d));
                assert_int_equal(ymd(y, m, d), expect);
                int gy = 0;
                int gm = 0;
                int gd = 0;
                pw_date_to_ymd(expect, &gy, &gm, &gd);
                assert_int_equal(gy, y);
                assert_int_equal(gm, m);
                assert_int_equal(gd, d);
                assert_int_equal(pw_date_weekday(expect), weekday);
                weekday = weekday % 7 + 1;
                expect++;
            }
        }
    }
}

static void
test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(pw_date_days_in_month(2024, 2), 29);
    assert_int_equal(pw_date_days_in_month(2023, 2), 28);
    assert_int_equal(pw_date_days_in_month(2000, 2), 29);
    assert_int_equal(pw_date_days_in_month(1900, 2), 28);
    assert_int_equal(pw_date_days_in_month(2100, 2), 28);
    assert_int_equal(pw_date_days_in_month(2025, 4), 30);
    assert_int_equal(pw_date_days_in_month(2025, 12), 31);
    assert_int_equal(pw_date_days_in_month(2025, 13), 0);
    assert_true(pw_date_valid(2024, 2, 29));
    assert_false(pw_date_valid(2023, 2, 29));
    assert_false(pw_date_valid(2025, 2, 30));
    assert_false(pw_date_valid(2025, 13, 1));
    assert_false(pw_date_valid(2025, 0, 1));
    assert_false(pw_date_valid(2025, 1, 0));
    assert_false(pw_date_valid(1799, 12, 31));
    assert_false(pw_date_valid(2200, 1, 1));
    assert_true(pw_date_valid(1800, 1, 1));
    assert_true(pw_date_valid(2199, 12, 31));
}

static void
test_date_parse_valid(void **state)
{
    (void)state;
    struct pw_error err;
    int32_t day = 0;
    assert_int_equal(parse_date("2024-02-29", &day, &err), PW_OK);
    assert_int_equal(day, ymd(2024, 2, 29));
    assert_int_equal(parse_date("1800-01-01", &day, &err), PW_OK);
    assert_int_equal(day, ymd(1800, 1, 1));
    assert_int_equal(parse_date("2199-12-31", &day, &err), PW_OK);
    assert_int_equal(day, ymd(2199, 12, 31));
    assert_int_equal(parse_date("1969-12-31", &day, &err), PW_OK);
    assert_int_equal(day, -1);
    /* Only the first n bytes are read. */
    assert_int_equal(pw_date_parse("2025-03-01T10:00Z", 10, &day, &err), PW_OK);
    assert_int_equal(day, ymd(2025, 3, 1));
}

static void
test_date_parse_invalid(void **state)
{
    (void)state;
    assert_date_refused("2023-02-29", "\"2023-02-29\" is not a real date");
    assert_date_refused("2023-02-29", "February 2023 has 28 days");
    assert_date_refused("2025-02-30", "\"2025-02-30\" is not a real date");
    assert_date_refused("2025-04-31", "April 2025 has 30 days");
    assert_date_refused("2025-13-01", "month 13");
    assert_date_refused("2025-00-10", "month 00");
    assert_date_refused("2025-01-00", "day 00");
    assert_date_refused("1799-12-31", "outside the accepted years 1800 to 2199");
    assert_date_refused("2200-01-01", "outside the accepted years");
    assert_date_refused("2025-1-01", "expected a date as YYYY-MM-DD, got \"2025-1-01\"");
    assert_date_refused("20250101", "expected a date as YYYY-MM-DD");
    assert_date_refused("2025/01/01", "expected a date as YYYY-MM-DD");
    assert_date_refused("2025-01-011", "expected a date as YYYY-MM-DD");
    assert_date_refused(" 2025-01-01", "expected a date as YYYY-MM-DD");
    assert_date_refused("2025-01-0a", "expected a date as YYYY-MM-DD");
    assert_date_refused("+025-01-01", "expected a date as YYYY-MM-DD");
    assert_date_refused("2025-01-01T00:00Z", "expected a date as YYYY-MM-DD");
    assert_date_refused("", "got \"\"");
    /* Long input is cut short; unprintable bytes and quotes are not echoed. */
    assert_date_refused("0123456789012345678901234567890123456789abcdef",
                        "got \"0123456789012345678901234567890123456789...\"");
    assert_date_refused("20\"5-\n1-01", "got \"20?5-?1-01\"");

    struct pw_error err;
    int32_t day = 99;
    pw_error_clear(&err);
    assert_int_equal(pw_date_parse(NULL, 0, &day, &err), PW_EINVAL);
    assert_int_equal(day, 99);
    /* A NULL err is allowed. */
    assert_int_equal(pw_date_parse("2025-02-30", 10, &day, NULL), PW_EINVAL);
}

static void
test_date_format(void **state)
{
    (void)state;
    char text[PW_DATE_TEXT_MAX];
    pw_date_format(ymd(2025, 3, 1), text);
    assert_string_equal(text, "2025-03-01");
    pw_date_format(ymd(1800, 1, 1), text);
    assert_string_equal(text, "1800-01-01");
    pw_date_format(-1, text);
    assert_string_equal(text, "1969-12-31");
    for (int32_t day = ymd(1800, 1, 1); day <= ymd(2199, 12, 31); day += 17) {
        struct pw_error err;
        int32_t back = 0;
        pw_date_format(day, text);
        assert_int_equal(strlen(text), 10);
        assert_int_equal(parse_date(text, &back, &err), PW_OK);
        assert_int_equal(back, day);
    }
}

static void
test_when_parse_date(void **state)
{
    (void)state;
    struct pw_error err;
    struct pw_when w = { 1, true };
    assert_int_equal(parse_when("2025-03-01", &w, &err), PW_OK);
    assert_false(w.has_time);
    assert_int_equal(w.us, (int64_t)ymd(2025, 3, 1) * US_PER_DAY);
    assert_int_equal(pw_when_day(&w), ymd(2025, 3, 1));
    assert_int_equal(parse_when("1800-01-01", &w, &err), PW_OK);
    assert_int_equal(w.us, (int64_t)ymd(1800, 1, 1) * US_PER_DAY);
    assert_when_refused("2025-02-30", "is not a real date");
    assert_when_refused("2025-02-30T10:00Z", "\"2025-02-30T10:00Z\" is not a real date");
    assert_when_refused("1799-12-31T10:00Z", "outside the accepted years");
    assert_when_refused("yesterday", "expected a date as YYYY-MM-DD or a date-time");
    assert_when_refused("", "expected a date");
}

static void
test_when_parse_utc(void **state)
{
    (void)state;
    assert_instant("2025-03-01T14:05:00Z", utc(2025, 3, 1, 14, 5, 0));
    assert_instant("2025-03-01T14:05Z", utc(2025, 3, 1, 14, 5, 0));
    assert_instant("2025-03-01t14:05:07z", utc(2025, 3, 1, 14, 5, 7));
    assert_instant("2025-03-01 14:05:07Z", utc(2025, 3, 1, 14, 5, 7));
    assert_instant("2025-03-01T00:00:00Z", utc(2025, 3, 1, 0, 0, 0));
    assert_instant("2025-03-01T23:59:59Z", utc(2025, 3, 1, 23, 59, 59));
    assert_instant("1800-01-01T00:00:00Z", utc(1800, 1, 1, 0, 0, 0));
    assert_instant("2199-12-31T23:59:59.999999Z", utc(2200, 1, 1, 0, 0, 0) - 1);
    assert_instant("1969-12-31T23:59:59Z", -US_PER_SEC);
    assert_instant("2025-03-01T14:05:00-00:00", utc(2025, 3, 1, 14, 5, 0));
}

static void
test_when_parse_offsets(void **state)
{
    (void)state;
    assert_instant("2025-03-01T14:05:00+01:00", utc(2025, 3, 1, 13, 5, 0));
    assert_instant("2025-03-01T14:05:00-05:30", utc(2025, 3, 1, 19, 35, 0));
    assert_instant("2025-03-01T14:05+0100", utc(2025, 3, 1, 13, 5, 0));
    assert_instant("2025-03-01T14:05-0100", utc(2025, 3, 1, 15, 5, 0));
    /* Across midnight, both ways. */
    assert_instant("2025-03-01T00:30+01:00", utc(2025, 2, 28, 23, 30, 0));
    assert_instant("2025-02-28T23:30:00-02:00", utc(2025, 3, 1, 1, 30, 0));
    assert_instant("2024-03-01T00:30+01:00", utc(2024, 2, 29, 23, 30, 0));
    /* Across a year boundary, both ways. */
    assert_instant("2024-12-31T23:30:00-01:00", utc(2025, 1, 1, 0, 30, 0));
    assert_instant("2025-01-01T00:15:00+0100", utc(2024, 12, 31, 23, 15, 0));
    assert_instant("2025-01-01T05:00:00+14:00", utc(2024, 12, 31, 15, 0, 0));
    assert_instant("2024-12-31T20:00:00-14:00", utc(2025, 1, 1, 10, 0, 0));
    /* Before 1970. */
    assert_instant("1969-12-31T23:30:00-01:00", utc(1970, 1, 1, 0, 30, 0));
    assert_instant("1900-06-15T12:00:00+05:45", utc(1900, 6, 15, 6, 15, 0));
}

static void
test_when_parse_fraction(void **state)
{
    (void)state;
    int64_t base = utc(2025, 3, 1, 14, 5, 7);
    assert_instant("2025-03-01T14:05:07.5Z", base + 500000);
    assert_instant("2025-03-01T14:05:07.05Z", base + 50000);
    assert_instant("2025-03-01T14:05:07.123Z", base + 123000);
    assert_instant("2025-03-01T14:05:07.123456Z", base + 123456);
    assert_instant("2025-03-01T14:05:07.000001Z", base + 1);
    assert_instant("2025-03-01T14:05:07.000000Z", base);
    assert_instant("2025-03-01T14:05:07.25+01:00", base - 3600 * US_PER_SEC + 250000);
    assert_instant("1969-12-31T23:59:59.999999Z", -1);
    assert_when_refused("2025-03-01T14:05:07.1234567Z", "more than 6 decimal places");
    assert_when_refused("2025-03-01T14:05:07.Z", "digits after the decimal point");
    assert_when_refused("2025-03-01T14:05:07,5Z", "expected Z or an offset");
    assert_when_refused("2025-03-01T14:05.5Z", "expected Z or an offset");
}

static void
test_when_parse_missing_offset(void **state)
{
    (void)state;
    assert_when_refused("2025-03-01T14:05:00", "has no time zone");
    assert_when_refused("2025-03-01T14:05:00", "add Z");
    assert_when_refused("2025-03-01T14:05:00", "offset like +01:00");
    assert_when_refused("2025-03-01T14:05", "has no time zone");
    assert_when_refused("2025-03-01T14:05:00.5", "has no time zone");
}

static void
test_when_parse_invalid(void **state)
{
    (void)state;
    assert_when_refused("2025-03-01T24:00:00Z", "hour 24");
    assert_when_refused("2025-03-01T23:60:00Z", "minute 60");
    assert_when_refused("2016-12-31T23:59:60Z", "leap second");
    assert_when_refused("2025-03-01T23:59:61Z", "second 61");
    assert_when_refused("2025-03-01T14:05:00+14:01", "offsets run from -14:00 to +14:00");
    assert_when_refused("2025-03-01T14:05:00+15:00", "impossible offset");
    assert_when_refused("2025-03-01T14:05:00+01:60", "impossible offset");
    assert_when_refused("2025-03-01T14:05:00+1:00", "expected an offset as +HH:MM");
    assert_when_refused("2025-03-01T14:05:00+01", "expected an offset as +HH:MM");
    assert_when_refused("2025-03-01T14:05:00+01:00x", "expected an offset as +HH:MM");
    assert_when_refused("2025-03-01T14:05:00+0100x", "expected an offset as +HH:MM");
    assert_when_refused("2025-03-01T14:05:00Zx", "unexpected text after the time zone");
    assert_when_refused("2025-03-01T14:05:00 Z", "expected Z or an offset");
    assert_when_refused("2025-03-01T14:05:00UTC", "expected Z or an offset");
    assert_when_refused("2025-03-01X14:05:00Z", "expected T between the date and the time");
    assert_when_refused("2025-03-01T", "expected the time as HH:MM");
    assert_when_refused("2025-03-01T14", "expected the time as HH:MM");
    assert_when_refused("2025-03-01T1405Z", "expected the time as HH:MM");
    assert_when_refused("2025-03-01T14:5Z", "expected the time as HH:MM");
    assert_when_refused("2025-03-01T14:05:0Z", "expected seconds as SS");
    assert_when_refused("2025-03-01T14:05:Z", "expected seconds as SS");
    /* Within the accepted years locally but not in UTC. */
    assert_when_refused("1800-01-01T00:30+01:00", "in UTC is outside the accepted years");
    assert_when_refused("2199-12-31T23:30-01:00", "in UTC is outside the accepted years");
}

static void
assert_format(int64_t us, bool has_time, const char *want)
{
    struct pw_when w = { us, has_time };
    char text[PW_WHEN_TEXT_MAX];
    pw_when_format(&w, text);
    assert_string_equal(text, want);
}

static void
test_when_format(void **state)
{
    (void)state;
    int64_t base = utc(2025, 1, 31, 23, 59, 59);
    assert_format(utc(2025, 3, 1, 0, 0, 0), false, "2025-03-01");
    assert_format(base, true, "2025-01-31T23:59:59Z");
    assert_format(base + 123000, true, "2025-01-31T23:59:59.123Z");
    assert_format(base + 100000, true, "2025-01-31T23:59:59.100Z");
    assert_format(base + 123456, true, "2025-01-31T23:59:59.123456Z");
    assert_format(base + 1, true, "2025-01-31T23:59:59.000001Z");
    assert_format(base + 1000, true, "2025-01-31T23:59:59.001Z");
    assert_format(0, true, "1970-01-01T00:00:00Z");
    assert_format(0, false, "1970-01-01");
    assert_format(-1, true, "1969-12-31T23:59:59.999999Z");
    assert_format(-1000, true, "1969-12-31T23:59:59.999Z");
    assert_format(-US_PER_SEC, true, "1969-12-31T23:59:59Z");
    assert_format(-US_PER_DAY, true, "1969-12-31T00:00:00Z");
    assert_format(-US_PER_DAY, false, "1969-12-31");
    assert_format(utc(1800, 1, 1, 0, 0, 0), true, "1800-01-01T00:00:00Z");
    assert_format(utc(2200, 1, 1, 0, 0, 0) - 1, true, "2199-12-31T23:59:59.999999Z");
    /* The longest text fits PW_WHEN_TEXT_MAX. */
    char text[PW_WHEN_TEXT_MAX];
    struct pw_when w = { base + 123456, true };
    pw_when_format(&w, text);
    assert_true(strlen(text) < PW_WHEN_TEXT_MAX);
}

/* parse(format(w)) == w. */
static void
assert_round_trip(int64_t us, bool has_time)
{
    struct pw_when w = { us, has_time };
    struct pw_when back = { 0, !has_time };
    struct pw_error err;
    char text[PW_WHEN_TEXT_MAX];
    pw_when_format(&w, text);
    enum pw_status rc = parse_when(text, &back, &err);
    if (rc != PW_OK || back.us != us || back.has_time != has_time) {
        print_error("value %lld formatted as \"%s\": %s\n", (long long)us, text, err.msg);
    }
    assert_int_equal(rc, PW_OK);
    assert_int_equal(back.us, us);
    assert_int_equal(back.has_time, has_time);
}

static void
test_when_round_trip(void **state)
{
    (void)state;
    int64_t lo = utc(1800, 1, 1, 0, 0, 0);
    int64_t hi = utc(2200, 1, 1, 0, 0, 0) - 1;
    assert_round_trip(lo, true);
    assert_round_trip(hi, true);
    assert_round_trip(0, true);
    assert_round_trip(-1, true);
    assert_round_trip(1, true);
    for (int i = 0; i < 20000; i++) {
        int64_t us = rng_range(lo, hi);
        /* Whole seconds, whole milliseconds and arbitrary microseconds in turn. */
        switch (i % 3) {
        case 0:
            us -= us % US_PER_SEC;
            if (us < lo) {
                us += US_PER_SEC;
            }
            break;
        case 1:
            us -= us % 1000;
            if (us < lo) {
                us += 1000;
            }
            break;
        default:
            break;
        }
        assert_round_trip(us, true);
        int64_t day = rng_range(lo / US_PER_DAY, hi / US_PER_DAY);
        assert_round_trip(day * US_PER_DAY, false);
    }
}

static void
test_sort_key(void **state)
{
    (void)state;
    char a[PW_WHEN_TEXT_MAX];
    char b[PW_WHEN_TEXT_MAX];
    struct pw_when w = { utc(2025, 1, 31, 23, 59, 59) + 123000, true };
    pw_when_sort_key(&w, a);
    assert_string_equal(a, "2025-01-31T23:59:59.123000Z");
    w.us = utc(2025, 3, 1, 0, 0, 0);
    w.has_time = false;
    pw_when_sort_key(&w, a);
    assert_string_equal(a, "2025-03-01T00:00:00.000000Z");
    w.us = -1;
    w.has_time = true;
    pw_when_sort_key(&w, a);
    assert_string_equal(a, "1969-12-31T23:59:59.999999Z");

    int64_t lo = utc(1800, 1, 1, 0, 0, 0);
    int64_t hi = utc(2200, 1, 1, 0, 0, 0) - 1;
    for (int i = 0; i < 20000; i++) {
        struct pw_when x = { rng_range(lo, hi), true };
        /* Half the pairs are close together, to test the fraction digits. */
        int64_t near = x.us + rng_range(-2000000, 2000000);
        struct pw_when y = { i % 2 == 0 ? rng_range(lo, hi) : near, true };
        if (y.us < lo || y.us > hi) {
            y.us = x.us;
        }
        pw_when_sort_key(&x, a);
        pw_when_sort_key(&y, b);
        assert_int_equal(strlen(a), 27);
        assert_int_equal(strlen(b), 27);
        int cmp = strcmp(a, b);
        if (x.us < y.us) {
            assert_true(cmp < 0);
        } else if (x.us > y.us) {
            assert_true(cmp > 0);
        } else {
            assert_int_equal(cmp, 0);
        }
    }
}

static void
test_uk_offset(void **state)
{
    (void)state;
    /* 2025: BST from 30 March 01:00 UTC to 26 October 01:00 UTC. */
    assert_int_equal(pw_time_uk_offset(utc(2025, 1, 15, 12, 0, 0)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2025, 3, 30, 1, 0, 0) - 1), 0);
    assert_int_equal(pw_time_uk_offset(utc(2025, 3, 30, 1, 0, 0)), 3600);
    assert_int_equal(pw_time_uk_offset(utc(2025, 3, 29, 12, 0, 0)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2025, 7, 1, 0, 0, 0)), 3600);
    assert_int_equal(pw_time_uk_offset(utc(2025, 10, 26, 0, 59, 59)), 3600);
    assert_int_equal(pw_time_uk_offset(utc(2025, 10, 26, 1, 0, 0)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2025, 12, 31, 23, 59, 59)), 0);
    /* 2026: 29 March and 25 October. */
    assert_int_equal(pw_time_uk_offset(utc(2026, 3, 29, 0, 59, 59)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2026, 3, 29, 1, 0, 0)), 3600);
    assert_int_equal(pw_time_uk_offset(utc(2026, 3, 22, 12, 0, 0)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2026, 10, 25, 0, 59, 59)), 3600);
    assert_int_equal(pw_time_uk_offset(utc(2026, 10, 25, 1, 0, 0)), 0);
    assert_int_equal(pw_time_uk_offset(utc(2026, 10, 18, 12, 0, 0)), 3600);
    /* Before 1970 the same arithmetic holds (1969 is outside the modern rule, but consistent). */
    assert_int_equal(pw_time_uk_offset(utc(1960, 7, 1, 0, 0, 0)), 3600);
}

static void
test_uk_date(void **state)
{
    (void)state;
    /* 23:30 UTC in summer is already tomorrow in England; in winter it is not. */
    assert_int_equal(pw_time_uk_date(utc(2025, 6, 30, 23, 30, 0)), ymd(2025, 7, 1));
    assert_int_equal(pw_time_uk_date(utc(2025, 6, 30, 22, 59, 59)), ymd(2025, 6, 30));
    assert_int_equal(pw_time_uk_date(utc(2025, 12, 31, 23, 30, 0)), ymd(2025, 12, 31));
    assert_int_equal(pw_time_uk_date(utc(2026, 1, 1, 0, 0, 0)), ymd(2026, 1, 1));
    assert_int_equal(pw_time_uk_date(utc(2025, 10, 25, 23, 30, 0)), ymd(2025, 10, 26));
    assert_int_equal(pw_time_uk_date(utc(2025, 10, 26, 23, 30, 0)), ymd(2025, 10, 26));
    assert_int_equal(pw_time_uk_date(-1), -1);
}

static void
test_when_day(void **state)
{
    (void)state;
    struct pw_when w = { -1, true };
    assert_int_equal(pw_when_day(&w), -1);
    w.us = 0;
    assert_int_equal(pw_when_day(&w), 0);
    w.us = US_PER_DAY - 1;
    assert_int_equal(pw_when_day(&w), 0);
    w.us = -US_PER_DAY;
    assert_int_equal(pw_when_day(&w), -1);
    w.us = -US_PER_DAY - 1;
    assert_int_equal(pw_when_day(&w), -2);
    w.us = utc(1800, 1, 1, 12, 0, 0);
    assert_int_equal(pw_when_day(&w), ymd(1800, 1, 1));
}

static void
test_now(void **state)
{
    (void)state;
    int64_t a = pw_time_now_us();
    int64_t b = pw_time_now_us();
    assert_true(a > utc(2024, 1, 1, 0, 0, 0));
    assert_true(a < utc(2199, 1, 1, 0, 0, 0));
    assert_true(b >= a);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_numbers),
        cmocka_unit_test(test_day_numbers_every_day),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_date_parse_valid),
        cmocka_unit_test(test_date_parse_invalid),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_when_parse_date),
        cmocka_unit_test(test_when_parse_utc),
        cmocka_unit_test(test_when_parse_offsets),
        cmocka_unit_test(test_when_parse_fraction),
        cmocka_unit_test(test_when_parse_missing_offset),
        cmocka_unit_test(test_when_parse_invalid),
        cmocka_unit_test(test_when_format),
        cmocka_unit_test(test_when_round_trip),
        cmocka_unit_test(test_sort_key),
        cmocka_unit_test(test_uk_offset),
        cmocka_unit_test(test_uk_date),
        cmocka_unit_test(test_when_day),
        cmocka_unit_test(test_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
