/*
 * England and Wales bank holidays from their rules, and working-day arithmetic on top. The
 * holidays are generated one month at a time, so that asking whether one day is a holiday costs
 * a few comparisons (Easter is only computed for March and April) and needs no cache or other
 * mutable state: every function here is pure. One-off changes by royal proclamation are data
 * in the proclamations table below.
 *
 * Years before 1971 are outside the Banking and Financial Dealings Act and not authoritative:
 * only Good Friday, Easter Monday, Christmas Day and Boxing Day are computed for them.
 */
#include "core/calendar.h"

#include "core/error.h"
#include "core/time.h"

/* Room for one month's holidays: none has had more than 3 (April 2011, May 2023, December 1999). */
#define MONTH_MAX 8

/* A one-off change: from is a rule day it replaces (0 for an extra day), on the new day. */
struct proclamation {
    int from; /* YYYYMMDD or 0 */
    int on;   /* YYYYMMDD */
    const char *name;
};

static const struct proclamation proclamations[] = {
    /* Wedding of Princess Anne and Captain Mark Phillips. */
    { 0, 19731114, "Wedding of Princess Anne" },
    /* Silver Jubilee: the spring holiday moved to Monday 6 June, Tuesday 7 June added. */
    { 19770530, 19770606, "Spring bank holiday" },
    { 0, 19770607, "Silver Jubilee bank holiday" },
    /* Wedding of the Prince of Wales and Lady Diana Spencer. */
    { 0, 19810729, "Royal wedding" },
    /* 50th anniversary of VE day: the early May holiday moved to 8 May. */
    { 19950501, 19950508, "Early May bank holiday (VE day)" },
    /* The millennium. */
    { 0, 19991231, "Millennium celebrations" },
    /* Golden Jubilee: the spring holiday moved to Tuesday 4 June, Monday 3 June added. */
    { 20020527, 20020604, "Spring bank holiday" },
    { 0, 20020603, "Queen's Golden Jubilee" },
    /* Wedding of Prince William and Catherine Middleton. */
    { 0, 20110429, "Royal wedding" },
    /* Diamond Jubilee: the spring holiday moved to Monday 4 June, Tuesday 5 June added. */
    { 20120528, 20120604, "Spring bank holiday" },
    { 0, 20120605, "Queen's Diamond Jubilee" },
    /* 75th anniversary of VE day: the early May holiday moved to Friday 8 May. */
    { 20200504, 20200508, "Early May bank holiday (VE day)" },
    /* Platinum Jubilee: the spring holiday moved to Thursday 2 June, Friday 3 June added. */
    { 20220530, 20220602, "Spring bank holiday" },
    { 0, 20220603, "Platinum Jubilee bank holiday" },
    /* The state funeral of Queen Elizabeth II. */
    { 0, 20220919, "State Funeral of Queen Elizabeth II" },
    /* The coronation of King Charles III. */
    { 0, 20230508, "Bank holiday for the coronation of King Charles III" },
};

struct holiday {
    int32_t day;
    const char *name;
};

struct month_list {
    struct holiday h[MONTH_MAX];
    size_t n;
};

static void
add(struct month_list *l, int32_t day, const char *name)
{
    PW_ASSERT(l->n < MONTH_MAX);
    l->h[l->n].day = day;
    l->h[l->n].name = name;
    l->n++;
}

static void
remove_day(struct month_list *l, int32_t day)
{
    for (size_t i = 0; i < l->n; i++) {
        if (l->h[i].day == day) {
            l->h[i] = l->h[l->n - 1];
            l->n--;
            return;
        }
    }
}

static bool
is_weekend(int32_t day)
{
    return pw_date_weekday(day) > 5;
}

int32_t
pw_cal_easter(int y)
{
    /* The anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8). */
    int a = y % 19;
    int b = y / 100;
    int c = y % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return pw_date_from_ymd(y, month, day);
}

/* The first Monday of month m. */
static int32_t
first_monday(int y, int m)
{
    int32_t first = pw_date_from_ymd(y, m, 1);
    return first + (8 - pw_date_weekday(first)) % 7;
}

/* The last Monday of month m. */
static int32_t
last_monday(int y, int m)
{
    int32_t last = pw_date_from_ymd(y, m, pw_date_days_in_month(y, m));
    return last - (pw_date_weekday(last) - 1);
}

static void
new_year(int y, struct month_list *l)
{
    if (y < 1974) {
        return;
    }
    int32_t day = pw_date_from_ymd(y, 1, 1);
    int weekday = pw_date_weekday(day);
    if (weekday <= 5) {
        add(l, day, "New Year's Day");
    } else {
        /* Saturday moves to Monday 3rd, Sunday to Monday 2nd. */
        add(l, day + (8 - weekday), "New Year's Day (substitute day)");
    }
}

static void
easter_holidays(int y, int m, struct month_list *l)
{
    int32_t easter = pw_cal_easter(y);
    int32_t days[2] = { easter - 2, easter + 1 };
    const char *names[2] = { "Good Friday", "Easter Monday" };
    for (size_t i = 0; i < 2; i++) {
        int hy = 0;
        int hm = 0;
        int hd = 0;
        pw_date_to_ymd(days[i], &hy, &hm, &hd);
        /* Good Friday can be in March while Easter Monday is in April. */
        if (hm == m) {
            add(l, days[i], names[i]);
        }
    }
}

static void
may_holidays(int y, struct month_list *l)
{
    if (y >= 1978) {
        add(l, first_monday(y, 5), "Early May bank holiday");
    }
    if (y >= 1971) {
        add(l, last_monday(y, 5), "Spring bank holiday");
    }
}

static void
summer_holiday(int y, struct month_list *l)
{
    if (y >= 1971) {
        add(l, last_monday(y, 8), "Summer bank holiday");
    }
}

/*
 * Christmas Day and Boxing Day, each on the next free weekday when it falls at a weekend. The
 * published lists name each day after the holiday it stands for.
 */
static void
christmas(int y, struct month_list *l)
{
    int32_t dec25 = pw_date_from_ymd(y, 12, 25);
    switch (pw_date_weekday(dec25)) {
    case 5:
        /* Friday: Boxing Day is a Saturday, so Monday 28th stands for it. */
        add(l, dec25, "Christmas Day");
        add(l, dec25 + 3, "Boxing Day (substitute day)");
        break;
    case 6:
        /* Saturday: Monday 27th for Christmas Day, Tuesday 28th for Boxing Day. */
        add(l, dec25 + 2, "Christmas Day (substitute day)");
        add(l, dec25 + 3, "Boxing Day (substitute day)");
        break;
    case 7:
        /* Sunday: Boxing Day is Monday 26th, so Tuesday 27th stands for Christmas Day. */
        add(l, dec25 + 1, "Boxing Day");
        add(l, dec25 + 2, "Christmas Day (substitute day)");
        break;
    default:
        add(l, dec25, "Christmas Day");
        add(l, dec25 + 1, "Boxing Day");
        break;
    }
}

static void
rule_holidays(int y, int m, struct month_list *l)
{
    switch (m) {
    case 1:
        new_year(y, l);
        break;
    case 3:
    case 4:
        easter_holidays(y, m, l);
        break;
    case 5:
        may_holidays(y, l);
        break;
    case 8:
        summer_holiday(y, l);
        break;
    case 12:
        christmas(y, l);
        break;
    default:
        break;
    }
}

static int32_t
day_of_yyyymmdd(int v)
{
    return pw_date_from_ymd(v / 10000, v / 100 % 100, v % 100);
}

/* Applies the rows of the proclamations table that take away or add a day in month m. */
static void
apply_proclamations(int y, int m, struct month_list *l)
{
    int month_key = y * 100 + m;
    size_t rows = sizeof(proclamations) / sizeof(proclamations[0]);
    for (size_t i = 0; i < rows; i++) {
        const struct proclamation *p = &proclamations[i];
        if (p->from != 0 && p->from / 100 == month_key) {
            remove_day(l, day_of_yyyymmdd(p->from));
        }
        if (p->on / 100 == month_key) {
            add(l, day_of_yyyymmdd(p->on), p->name);
        }
    }
}

/* Insertion sort: a month has at most a handful of holidays. */
static void
sort_by_day(struct month_list *l)
{
    for (size_t i = 1; i < l->n; i++) {
        struct holiday h = l->h[i];
        size_t j = i;
        while (j > 0 && l->h[j - 1].day > h.day) {
            l->h[j] = l->h[j - 1];
            j--;
        }
        l->h[j] = h;
    }
}

/* The bank holidays of month m of year y in date order. */
static void
month_holidays(int y, int m, struct month_list *l)
{
    l->n = 0;
    rule_holidays(y, m, l);
    apply_proclamations(y, m, l);
    sort_by_day(l);
}

size_t
pw_cal_bank_holidays(int y, int32_t *out, const char **names)
{
    size_t n = 0;
    for (int m = 1; m <= 12; m++) {
        struct month_list l;
        month_holidays(y, m, &l);
        for (size_t i = 0; i < l.n; i++) {
            PW_ASSERT(n < PW_CAL_MAX_HOLIDAYS);
            out[n] = l.h[i].day;
            if (names != NULL) {
                names[n] = l.h[i].name;
            }
            n++;
        }
    }
    return n;
}

bool
pw_cal_is_bank_holiday(int32_t day)
{
    /* Every bank holiday is a weekday (weekend ones get substitutes): most days stop here. */
    if (is_weekend(day)) {
        return false;
    }
    int y = 0;
    int m = 0;
    int d = 0;
    pw_date_to_ymd(day, &y, &m, &d);
    struct month_list l;
    month_holidays(y, m, &l);
    for (size_t i = 0; i < l.n; i++) {
        if (l.h[i].day == day) {
            return true;
        }
    }
    return false;
}

bool
pw_cal_is_working_day(int32_t day)
{
    return !is_weekend(day) && !pw_cal_is_bank_holiday(day);
}

/* Weekdays (Monday to Friday) on days before day, counted from a fixed Monday. */
static int64_t
weekdays_before(int64_t day)
{
    /* Day 4 is Monday 1970-01-05; floor division keeps earlier days consistent. */
    int64_t t = day - 4;
    int64_t weeks = t / 7;
    if (t % 7 < 0) {
        weeks--;
    }
    int64_t rest = t - weeks * 7;
    return weeks * 5 + (rest < 5 ? rest : 5);
}

/* The k-th weekday after day, ignoring holidays. */
static int64_t
add_weekdays(int64_t day, int64_t k)
{
    int weekday = pw_date_weekday((int32_t)day);
    if (weekday > 5) {
        /* From a weekend the next weekday is Monday, as it is from the Friday before. */
        day -= weekday - 5;
        weekday = 5;
    }
    int64_t result = day + k / 5 * 7 + k % 5;
    if (weekday + k % 5 > 5) {
        result += 2;
    }
    return result;
}

/* Bank holidays on weekdays in [a, b], looking only at the months the range touches. */
static int64_t
weekday_holidays_in(int32_t a, int32_t b)
{
    int y = 0;
    int m = 0;
    int last_y = 0;
    int last_m = 0;
    int ignored = 0;
    pw_date_to_ymd(a, &y, &m, &ignored);
    pw_date_to_ymd(b, &last_y, &last_m, &ignored);
    int64_t count = 0;
    while (y < last_y || (y == last_y && m <= last_m)) {
        struct month_list l;
        month_holidays(y, m, &l);
        for (size_t i = 0; i < l.n; i++) {
            if (l.h[i].day >= a && l.h[i].day <= b && !is_weekend(l.h[i].day)) {
                count++;
            }
        }
        m++;
        if (m > 12) {
            m = 1;
            y++;
        }
    }
    return count;
}

static int32_t
to_day(int64_t day)
{
    PW_ASSERT(day >= INT32_MIN && day <= INT32_MAX);
    return (int32_t)day;
}

int32_t
pw_cal_add_working_days(int32_t day, int n)
{
    PW_ASSERT(n >= 0);
    /*
     * Jump n weekdays at once, then as many more as the holidays passed over: each jump lands on
     * a weekday, and the loop ends when a jump passes no holiday, so the last one landed on a
     * working day. Two or three jumps whatever n is.
     */
    int64_t at = day;
    int64_t remaining = n;
    while (remaining > 0) {
        int64_t target = add_weekdays(at, remaining);
        remaining = weekday_holidays_in(to_day(at + 1), to_day(target));
        at = target;
    }
    return to_day(at);
}

int32_t
pw_cal_deadline(int32_t start, int n)
{
    PW_ASSERT(n >= 1);
    int32_t day = start;
    while (!pw_cal_is_working_day(day)) {
        day++;
    }
    return pw_cal_add_working_days(day, n - 1);
}

int
pw_cal_working_days_between(int32_t a, int32_t b)
{
    if (b < a) {
        return -pw_cal_working_days_between(b, a);
    }
    int64_t weekdays = weekdays_before((int64_t)b + 1) - weekdays_before(a);
    return (int)(weekdays - weekday_holidays_in(a, b));
}
