/*
 * Unit tests for src/core/calendar.c: the computed bank holidays against the UK government's
 * published lists for England and Wales, the one-off proclamations, Easter, and working-day
 * arithmetic against a naive day-by-day count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/rng.h"

#include "core/calendar.h"
#include "core/error.h"
#include "core/time.h"

/* The published list for one year (gov.uk/bank-holidays), as text. */
struct published_year {
    int year;
    const char *dates[PW_CAL_MAX_HOLIDAYS];
};

static const struct published_year published[] = {
    { 2018,
      { "2018-01-01", "2018-03-30", "2018-04-02", "2018-05-07", "2018-05-28", "2018-08-27",
        "2018-12-25", "2018-12-26" } },
    { 2019,
      { "2019-01-01", "2019-04-19", "2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26",
        "2019-12-25", "2019-12-26" } },
    /* Early May moved to Friday 8 May for VE day; Boxing Day (Saturday) substituted Monday. */
    { 2020,
      { "2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31",
        "2020-12-25", "2020-12-28" } },
    /* Christmas Day on a Saturday: Monday 27th and Tuesday 28th. */
    { 2021,
      { "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30",
        "2021-12-27", "2021-12-28" } },
    /* Platinum Jubilee, the Queen's funeral, Christmas Day on a Sunday. */
    { 2022,
      { "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
        "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27" } },
    /* New Year's Day on a Sunday; the coronation. */
    { 2023,
      { "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
        "2023-08-28", "2023-12-25", "2023-12-26" } },
    { 2024,
      { "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
        "2024-12-25", "2024-12-26" } },
    { 2025,
      { "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26" } },
    /* Boxing Day on a Saturday: substitute Monday 28th. */
    { 2026,
      { "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28" } },
    /* Christmas Day on a Saturday again. */
    { 2027,
      { "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28" } },
};

#define PUBLISHED_YEARS (sizeof(published) / sizeof(published[0]))

/* A fixed seed, so failures reproduce. */
static struct pw_rng rng = { UINT64_C(0x2545f4914f6cdd1d) };

static int
rng_range(int lo, int hi)
{
    return (int)pw_rng_range(&rng, lo, hi);
}

static int32_t
ymd(int y, int m, int d)
{
    return pw_date_from_ymd(y, m, d);
}

static int32_t
day_of(const char *text)
{
    struct pw_error err;
    int32_t day = 0;
    pw_error_clear(&err);
    enum pw_status rc = pw_date_parse(text, strlen(text), &day, &err);
    if (rc != PW_OK) {
        fail_msg("bad test date %s: %s", text, err.msg);
    }
    return day;
}

static size_t
count_dates(const struct published_year *p)
{
    size_t n = 0;
    while (n < PW_CAL_MAX_HOLIDAYS && p->dates[n] != NULL) {
        n++;
    }
    return n;
}

/* Asserts pw_cal_bank_holidays(y) is exactly the dates given, in order. */
static void
assert_year(int y, const char *const *dates, size_t n)
{
    int32_t days[PW_CAL_MAX_HOLIDAYS];
    const char *names[PW_CAL_MAX_HOLIDAYS];
    size_t got = pw_cal_bank_holidays(y, days, names);
    if (got != n) {
        for (size_t i = 0; i < got; i++) {
            char text[PW_DATE_TEXT_MAX];
            pw_date_format(days[i], text);
            print_error("%d: got %s %s\n", y, text, names[i]);
        }
    }
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++) {
        char text[PW_DATE_TEXT_MAX];
        pw_date_format(days[i], text);
        assert_string_equal(text, dates[i]);
        assert_non_null(names[i]);
        assert_true(strlen(names[i]) > 0);
    }
}

static void
test_published_lists(void **state)
{
    (void)state;
    for (size_t i = 0; i < PUBLISHED_YEARS; i++) {
        assert_year(published[i].year, published[i].dates, count_dates(&published[i]));
    }
}

/* Day by day over 2018-2027: a holiday exactly when the published list says so. */
static void
test_published_day_by_day(void **state)
{
    (void)state;
    size_t next_year = 0;
    size_t next_date = 0;
    int holidays = 0;
    for (int32_t day = ymd(2018, 1, 1); day <= ymd(2027, 12, 31); day++) {
        const struct published_year *p = &published[next_year];
        bool listed = next_date < count_dates(p) && day_of(p->dates[next_date]) == day;
        if (pw_cal_is_bank_holiday(day) != listed) {
            char text[PW_DATE_TEXT_MAX];
            pw_date_format(day, text);
            fail_msg("%s: is_bank_holiday %d, published %d", text, !listed, listed);
        }
        assert_int_equal(pw_cal_is_working_day(day), !listed && pw_date_weekday(day) <= 5);
        if (listed) {
            holidays++;
            next_date++;
        }
        int y = 0;
        int m = 0;
        int d = 0;
        pw_date_to_ymd(day, &y, &m, &d);
        if (m == 12 && d == 31) {
            assert_int_equal(next_date, count_dates(p));
            next_year++;
            next_date = 0;
        }
    }
    assert_int_equal(holidays, 83);
}

static const char *
name_on(int y, const char *date)
{
    int32_t days[PW_CAL_MAX_HOLIDAYS];
    const char *names[PW_CAL_MAX_HOLIDAYS];
    size_t n = pw_cal_bank_holidays(y, days, names);
    for (size_t i = 0; i < n; i++) {
        if (days[i] == day_of(date)) {
            return names[i];
        }
    }
    return "";
}

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(name_on(2025, "2025-01-01"), "New Year's Day");
    assert_string_equal(name_on(2022, "2022-01-03"), "New Year's Day (substitute day)");
    assert_string_equal(name_on(2025, "2025-04-18"), "Good Friday");
    assert_string_equal(name_on(2025, "2025-04-21"), "Easter Monday");
    assert_string_equal(name_on(2025, "2025-05-05"), "Early May bank holiday");
    assert_string_equal(name_on(2025, "2025-05-26"), "Spring bank holiday");
    assert_string_equal(name_on(2025, "2025-08-25"), "Summer bank holiday");
    assert_string_equal(name_on(2025, "2025-12-25"), "Christmas Day");
    assert_string_equal(name_on(2025, "2025-12-26"), "Boxing Day");
    assert_string_equal(name_on(2020, "2020-05-08"), "Early May bank holiday (VE day)");
    assert_string_equal(name_on(2022, "2022-06-02"), "Spring bank holiday");
    assert_string_equal(name_on(2022, "2022-06-03"), "Platinum Jubilee bank holiday");
    assert_string_equal(name_on(2022, "2022-09-19"), "State Funeral of Queen Elizabeth II");
    assert_string_equal(name_on(2022, "2022-12-26"), "Boxing Day");
    assert_string_equal(name_on(2022, "2022-12-27"), "Christmas Day (substitute day)");
    assert_string_equal(name_on(2023, "2023-05-08"),
                        "Bank holiday for the coronation of King Charles III");
    assert_string_equal(name_on(2026, "2026-12-28"), "Boxing Day (substitute day)");
    assert_string_equal(name_on(2027, "2027-12-27"), "Christmas Day (substitute day)");
    assert_string_equal(name_on(2027, "2027-12-28"), "Boxing Day (substitute day)");
    /* names may be NULL. */
    int32_t days[PW_CAL_MAX_HOLIDAYS];
    assert_int_equal(pw_cal_bank_holidays(2022, days, NULL), 10);
}

/* Years with one-off proclamations, and the rules' first years. */
static void
test_proclamations(void **state)
{
    (void)state;
    static const char *const y1973[] = { "1973-04-20", "1973-04-23", "1973-05-28", "1973-08-27",
                                         "1973-11-14", "1973-12-25", "1973-12-26" };
    static const char *const y1977[] = { "1977-01-03", "1977-04-08", "1977-04-11", "1977-06-06",
                                         "1977-06-07", "1977-08-29", "1977-12-26", "1977-12-27" };
    static const char *const y1978[] = { "1978-01-02", "1978-03-24", "1978-03-27", "1978-05-01",
                                         "1978-05-29", "1978-08-28", "1978-12-25", "1978-12-26" };
    static const char *const y1981[] = { "1981-01-01", "1981-04-17", "1981-04-20",
                                         "1981-05-04", "1981-05-25", "1981-07-29",
                                         "1981-08-31", "1981-12-25", "1981-12-28" };
    static const char *const y1995[] = { "1995-01-02", "1995-04-14", "1995-04-17", "1995-05-08",
                                         "1995-05-29", "1995-08-28", "1995-12-25", "1995-12-26" };
    static const char *const y1999[] = { "1999-01-01", "1999-04-02", "1999-04-05",
                                         "1999-05-03", "1999-05-31", "1999-08-30",
                                         "1999-12-27", "1999-12-28", "1999-12-31" };
    static const char *const y2000[] = { "2000-01-03", "2000-04-21", "2000-04-24", "2000-05-01",
                                         "2000-05-29", "2000-08-28", "2000-12-25", "2000-12-26" };
    static const char *const y2002[] = { "2002-01-01", "2002-03-29", "2002-04-01",
                                         "2002-05-06", "2002-06-03", "2002-06-04",
                                         "2002-08-26", "2002-12-25", "2002-12-26" };
    static const char *const y2011[] = { "2011-01-03", "2011-04-22", "2011-04-25",
                                         "2011-04-29", "2011-05-02", "2011-05-30",
                                         "2011-08-29", "2011-12-26", "2011-12-27" };
    static const char *const y2012[] = { "2012-01-02", "2012-04-06", "2012-04-09",
                                         "2012-05-07", "2012-06-04", "2012-06-05",
                                         "2012-08-27", "2012-12-25", "2012-12-26" };
    assert_year(1973, y1973, sizeof(y1973) / sizeof(y1973[0]));
    assert_year(1977, y1977, sizeof(y1977) / sizeof(y1977[0]));
    assert_year(1978, y1978, sizeof(y1978) / sizeof(y1978[0]));
    assert_year(1981, y1981, sizeof(y1981) / sizeof(y1981[0]));
    assert_year(1995, y1995, sizeof(y1995) / sizeof(y1995[0]));
    assert_year(1999, y1999, sizeof(y1999) / sizeof(y1999[0]));
    assert_year(2000, y2000, sizeof(y2000) / sizeof(y2000[0]));
    assert_year(2002, y2002, sizeof(y2002) / sizeof(y2002[0]));
    assert_year(2011, y2011, sizeof(y2011) / sizeof(y2011[0]));
    assert_year(2012, y2012, sizeof(y2012) / sizeof(y2012[0]));
    /* The rule days the proclamations moved are ordinary working days. */
    assert_false(pw_cal_is_bank_holiday(day_of("1977-05-30")));
    assert_false(pw_cal_is_bank_holiday(day_of("1995-05-01")));
    assert_false(pw_cal_is_bank_holiday(day_of("2002-05-27")));
    assert_false(pw_cal_is_bank_holiday(day_of("2012-05-28")));
    assert_false(pw_cal_is_bank_holiday(day_of("2020-05-04")));
    assert_false(pw_cal_is_bank_holiday(day_of("2022-05-30")));
    assert_true(pw_cal_is_working_day(day_of("2020-05-04")));
}

/* Every year: sorted, within the year, on weekdays, 8 to 10 of them, and is_bank_holiday agrees. */
static void
test_every_year_consistent(void **state)
{
    (void)state;
    for (int y = 1971; y <= PW_DATE_MAX_YEAR; y++) {
        int32_t days[PW_CAL_MAX_HOLIDAYS];
        const char *names[PW_CAL_MAX_HOLIDAYS];
        size_t n = pw_cal_bank_holidays(y, days, names);
        if (y >= 1978) {
            assert_in_range(n, 8, 10);
        } else {
            assert_in_range(n, 6, 8);
        }
        for (size_t i = 0; i < n; i++) {
            int hy = 0;
            int hm = 0;
            int hd = 0;
            pw_date_to_ymd(days[i], &hy, &hm, &hd);
            assert_int_equal(hy, y);
            assert_true(pw_date_weekday(days[i]) <= 5);
            assert_non_null(names[i]);
            if (i > 0) {
                assert_true(days[i - 1] < days[i]);
            }
        }
        size_t seen = 0;
        for (int32_t day = ymd(y, 1, 1); day <= ymd(y, 12, 31); day++) {
            if (pw_cal_is_bank_holiday(day)) {
                assert_true(seen < n);
                assert_int_equal(day, days[seen]);
                seen++;
            }
        }
        assert_int_equal(seen, n);
    }
}

/* Oudin's algorithm (1940), an independent computus to check the Meeus one against. */
static int32_t
easter_oudin(int y)
{
    int c = y / 100;
    int n = y - 19 * (y / 19);
    int k = (c - 17) / 25;
    int i = c - c / 4 - (c - k) / 3 + 19 * n + 15;
    i = i - 30 * (i / 30);
    i = i - (i / 28) * (1 - (i / 28) * (29 / (i + 1)) * ((21 - n) / 11));
    int j = y + y / 4 + i + 2 - c + c / 4;
    j = j - 7 * (j / 7);
    int l = i - j;
    int m = 3 + (l + 40) / 44;
    int d = l + 28 - 31 * (m / 4);
    return ymd(y, m, d);
}

static void
test_easter(void **state)
{
    (void)state;
    assert_int_equal(pw_cal_easter(2019), day_of("2019-04-21"));
    assert_int_equal(pw_cal_easter(2024), day_of("2024-03-31"));
    assert_int_equal(pw_cal_easter(2025), day_of("2025-04-20"));
    assert_int_equal(pw_cal_easter(2038), day_of("2038-04-25"));
    assert_int_equal(pw_cal_easter(2000), day_of("2000-04-23"));
    assert_int_equal(pw_cal_easter(2008), day_of("2008-03-23"));
    assert_int_equal(pw_cal_easter(1818), day_of("1818-03-22"));
    assert_int_equal(pw_cal_easter(1943), day_of("1943-04-25"));
    assert_int_equal(pw_cal_easter(2285), ymd(2285, 3, 22));
    for (int y = PW_DATE_MIN_YEAR; y <= PW_DATE_MAX_YEAR; y++) {
        int32_t e = pw_cal_easter(y);
        assert_int_equal(e, easter_oudin(y));
        assert_int_equal(pw_date_weekday(e), 7);
        assert_in_range(e, ymd(y, 3, 22), ymd(y, 4, 25));
    }
}

static void
test_add_working_days(void **state)
{
    (void)state;
    /* Friday + 1 is Monday; before a bank holiday Monday it is Tuesday. */
    assert_int_equal(pw_cal_add_working_days(day_of("2025-03-07"), 1), day_of("2025-03-10"));
    assert_int_equal(pw_cal_add_working_days(day_of("2025-05-02"), 1), day_of("2025-05-06"));
    /* From a weekend. */
    assert_int_equal(pw_cal_add_working_days(day_of("2025-03-08"), 1), day_of("2025-03-10"));
    assert_int_equal(pw_cal_add_working_days(day_of("2025-03-09"), 5), day_of("2025-03-14"));
    /* n == 0 is the day itself, working or not. */
    assert_int_equal(pw_cal_add_working_days(day_of("2025-12-25"), 0), day_of("2025-12-25"));
    assert_int_equal(pw_cal_add_working_days(day_of("2025-03-08"), 0), day_of("2025-03-08"));
    /* Over Easter 2025 (Good Friday 18, Easter Monday 21 April). */
    assert_int_equal(pw_cal_add_working_days(day_of("2025-04-17"), 1), day_of("2025-04-22"));
    assert_int_equal(pw_cal_add_working_days(day_of("2025-04-16"), 2), day_of("2025-04-22"));
    /* Over Christmas and New Year 2025-26. */
    assert_int_equal(pw_cal_add_working_days(day_of("2025-12-24"), 1), day_of("2025-12-29"));
    assert_int_equal(pw_cal_add_working_days(day_of("2025-12-24"), 4), day_of("2026-01-02"));
    /* Over the 2022 jubilee: Thursday and Friday holidays. */
    assert_int_equal(pw_cal_add_working_days(day_of("2022-05-31"), 2), day_of("2022-06-06"));
    /* Christmas on a Saturday (2021): Monday 27 and Tuesday 28 are holidays. */
    assert_int_equal(pw_cal_add_working_days(day_of("2021-12-24"), 1), day_of("2021-12-29"));
    /* A whole year: 2025 has 253 working days. */
    assert_int_equal(pw_cal_add_working_days(day_of("2024-12-31"), 253), day_of("2025-12-31"));
}

static void
test_deadline(void **state)
{
    (void)state;
    /* Wed 24 Dec 2025 is day 1; 25, 26 holidays; 27, 28 weekend; Mon 29 day 2; Tue 30 day 3. */
    assert_int_equal(pw_cal_deadline(day_of("2025-12-24"), 3), day_of("2025-12-30"));
    assert_int_equal(pw_cal_deadline(day_of("2025-12-24"), 1), day_of("2025-12-24"));
    /* A start on a holiday: the first working day after it is day 1. */
    assert_int_equal(pw_cal_deadline(day_of("2025-12-25"), 1), day_of("2025-12-29"));
    assert_int_equal(pw_cal_deadline(day_of("2025-03-08"), 1), day_of("2025-03-10"));
    /* Child and family assessment: 45 working days from a referral on Monday 3 March 2025,
     * across Good Friday, Easter Monday and the early May bank holiday. */
    assert_int_equal(pw_cal_deadline(day_of("2025-03-03"), 45), day_of("2025-05-07"));
    /* Referral on 20 November 2025: across Christmas and New Year. */
    assert_int_equal(pw_cal_deadline(day_of("2025-11-20"), 45), day_of("2026-01-26"));
    /* ICPC: 15 working days from a strategy discussion on Monday 14 April 2025, across Easter
     * and the early May bank holiday. */
    assert_int_equal(pw_cal_deadline(day_of("2025-04-14"), 15), day_of("2025-05-07"));
    /* ICPC from 15 December 2026, across Christmas (Boxing Day substitute 28th) and New Year. */
    assert_int_equal(pw_cal_deadline(day_of("2026-12-15"), 15), day_of("2027-01-07"));
    /* ICPC from 12 September 2022, across the Queen's funeral. */
    assert_int_equal(pw_cal_deadline(day_of("2022-09-12"), 15), day_of("2022-10-03"));
    /* 1 working day from the Thursday before Easter is that Thursday; 2 is the Tuesday. */
    assert_int_equal(pw_cal_deadline(day_of("2025-04-17"), 1), day_of("2025-04-17"));
    assert_int_equal(pw_cal_deadline(day_of("2025-04-17"), 2), day_of("2025-04-22"));
    /* Across the VE day Friday in 2020. */
    assert_int_equal(pw_cal_deadline(day_of("2020-05-06"), 3), day_of("2020-05-11"));
}

static void
test_working_days_between(void **state)
{
    (void)state;
    int32_t a = day_of("2025-12-24");
    int32_t b = day_of("2025-12-30");
    assert_int_equal(pw_cal_working_days_between(a, b), 3);
    assert_int_equal(pw_cal_working_days_between(b, a), -3);
    assert_int_equal(pw_cal_working_days_between(a, a), 1);
    assert_int_equal(pw_cal_working_days_between(day_of("2025-12-25"), day_of("2025-12-25")), 0);
    assert_int_equal(pw_cal_working_days_between(day_of("2025-03-08"), day_of("2025-03-09")), 0);
    assert_int_equal(pw_cal_working_days_between(day_of("2025-03-08"), day_of("2025-03-10")), 1);
    assert_int_equal(pw_cal_working_days_between(day_of("2025-01-01"), day_of("2025-12-31")), 253);
    assert_int_equal(pw_cal_working_days_between(day_of("2022-01-01"), day_of("2022-12-31")), 250);
    assert_int_equal(pw_cal_working_days_between(day_of("2018-01-01"), day_of("2027-12-31")), 2527);
    assert_int_equal(pw_cal_working_days_between(day_of("2027-12-31"), day_of("2018-01-01")),
                     -2527);
    /* The deadline is the n-th working day: counting back from it gives n. */
    assert_int_equal(pw_cal_working_days_between(day_of("2025-03-03"), day_of("2025-05-07")), 45);
    assert_int_equal(pw_cal_working_days_between(day_of("2025-04-14"), day_of("2025-05-07")), 15);
}

/* The n-th working day after day, one day at a time. */
static int32_t
naive_add(int32_t day, int n)
{
    while (n > 0) {
        day++;
        if (pw_cal_is_working_day(day)) {
            n--;
        }
    }
    return day;
}

static int
naive_between(int32_t a, int32_t b)
{
    int sign = 1;
    if (b < a) {
        int32_t t = a;
        a = b;
        b = t;
        sign = -1;
    }
    int count = 0;
    for (int32_t day = a; day <= b; day++) {
        count += pw_cal_is_working_day(day) ? 1 : 0;
    }
    return sign * count;
}

static void
test_against_naive(void **state)
{
    (void)state;
    int32_t lo = ymd(1990, 1, 1);
    int32_t hi = ymd(2030, 12, 31);
    for (int i = 0; i < 5000; i++) {
        int32_t day = rng_range(lo, hi);
        /* Mostly statutory sizes, sometimes years. */
        int n = i % 10 == 0 ? rng_range(0, 2000) : rng_range(0, 70);
        int32_t fast = pw_cal_add_working_days(day, n);
        int32_t slow = naive_add(day, n);
        if (fast != slow) {
            char text[PW_DATE_TEXT_MAX];
            pw_date_format(day, text);
            fail_msg("add_working_days(%s, %d): %d, naive %d", text, n, (int)fast, (int)slow);
        }
        if (n >= 1) {
            int32_t deadline = pw_cal_deadline(day, n);
            assert_int_equal(pw_cal_working_days_between(day, deadline), n);
            assert_true(pw_cal_is_working_day(deadline));
        }
        int32_t other = i % 2 == 0 ? rng_range(lo, hi) : day + rng_range(-60, 60);
        assert_int_equal(pw_cal_working_days_between(day, other), naive_between(day, other));
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_lists),
        cmocka_unit_test(test_published_day_by_day),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_proclamations),
        cmocka_unit_test(test_every_year_consistent),
        cmocka_unit_test(test_easter),
        cmocka_unit_test(test_add_working_days),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_working_days_between),
        cmocka_unit_test(test_against_naive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
