/*
 * Dates and instants without the C library's time zone machinery: day numbers come from
 * Howard Hinnant's days-from-civil arithmetic (exact for any proleptic Gregorian year, no
 * tables, no global state), and parsing is a strict hand-written RFC 3339 reader so that a
 * statutory deadline can never start from a date the user did not mean.
 */
#include "core/time.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define US_PER_SEC INT64_C(1000000)
#define US_PER_DAY INT64_C(86400000000)

/* Longest piece of user input quoted back in a message: enough to recognise it, no more. */
#define QUOTE_MAX 40

/* The quoted input, truncated and made printable, with room for the "..." and terminator. */
struct quoted {
    char text[QUOTE_MAX + 4];
};

/* A time of day and offset read from a date-time, before it is turned into microseconds. */
struct clock_parts {
    int hour;
    int minute;
    int second;
    int micro;
    int offset_minutes; /* east of UTC is positive */
};

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

/* Floor division: day numbers before 1970 must round towards minus infinity, not zero. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

static bool
is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (Hinnant's days_from_civil); works for any year. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? m - 3 : m + 9;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil (Hinnant's civil_from_days). */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

int
pw_date_days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12) {
        return 0;
    }
    if (m == 2 && is_leap(y)) {
        return 29;
    }
    return days[m - 1];
}

bool
pw_date_valid(int y, int m, int d)
{
    if (y < PW_DATE_MIN_YEAR || y > PW_DATE_MAX_YEAR) {
        return false;
    }
    return m >= 1 && m <= 12 && d >= 1 && d <= pw_date_days_in_month(y, m);
}

int32_t
pw_date_from_ymd(int y, int m, int d)
{
    /* Calendar code asks for the days around the accepted years too, so no range check here. */
    return (int32_t)days_from_civil(y, m, d);
}

void
pw_date_to_ymd(int32_t day, int *y, int *m, int *d)
{
    int64_t year = 0;
    civil_from_days(day, &year, m, d);
    *y = (int)year;
}

int
pw_date_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t r = ((int64_t)day % 7 + 7) % 7;
    return (int)((r + 3) % 7 + 1);
}

/* Copies at most QUOTE_MAX bytes of s into q, replacing anything unprintable or a quote. */
static void
quote_input(const char *s, size_t n, struct quoted *q)
{
    size_t len = n < QUOTE_MAX ? n : QUOTE_MAX;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool printable = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        q->text[i] = '?';
        if (printable) {
            q->text[i] = s[i];
        }
    }
    if (n > QUOTE_MAX) {
        memcpy(q->text + len, "...", 3);
        len += 3;
    }
    q->text[len] = '\0';
}

/* Reads exactly n decimal digits; false when any of them is not a digit. */
static bool
read_digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* True when s[0..10) has the shape DDDD-DD-DD, whatever the numbers. */
static bool
has_date_shape(const char *s, size_t n)
{
    int ignored = 0;
    if (n < 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    return read_digits(s, 4, &ignored) && read_digits(s + 5, 2, &ignored) &&
           read_digits(s + 8, 2, &ignored);
}

/*
 * Checks the numbers of the date in s[0..10), already known to have the right shape, and gives
 * its day number. The whole input s[0..n) is quoted in a message.
 */
static enum pw_status
read_date(const char *s, size_t n, int32_t *out, struct pw_error *err)
{
    int y = 0;
    int m = 0;
    int d = 0;
    struct quoted q;
    (void)read_digits(s, 4, &y);
    (void)read_digits(s + 5, 2, &m);
    (void)read_digits(s + 8, 2, &d);
    quote_input(s, n, &q);
    if (m < 1 || m > 12) {
        return pw_fail(err, PW_EINVAL, "\"%s\" is not a real date: there is no month %02d", q.text,
                       m);
    }
    if (d < 1 || d > pw_date_days_in_month(y, m)) {
        if (d < 1) {
            return pw_fail(err, PW_EINVAL, "\"%s\" is not a real date: there is no day 00", q.text);
        }
        return pw_fail(err, PW_EINVAL, "\"%s\" is not a real date: %s %04d has %d days", q.text,
                       month_names[m - 1], y, pw_date_days_in_month(y, m));
    }
    if (y < PW_DATE_MIN_YEAR || y > PW_DATE_MAX_YEAR) {
        return pw_fail(err, PW_EINVAL, "\"%s\" is outside the accepted years %d to %d", q.text,
                       PW_DATE_MIN_YEAR, PW_DATE_MAX_YEAR);
    }
    *out = pw_date_from_ymd(y, m, d);
    return PW_OK;
}

enum pw_status
pw_date_parse(const char *s, size_t n, int32_t *out, struct pw_error *err)
{
    if (s == NULL) {
        s = "";
        n = 0;
    }
    if (n != 10 || !has_date_shape(s, n)) {
        struct quoted q;
        quote_input(s, n, &q);
        return pw_fail(err, PW_EINVAL, "expected a date as YYYY-MM-DD, got \"%s\"", q.text);
    }
    return read_date(s, n, out, err);
}

/* Writes value as exactly width decimal digits, zero-padded; returns the end. */
static char *
put_digits(char *p, int64_t value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    return p + width;
}

/* Writes YYYY-MM-DD without a terminator; returns the end. */
static char *
put_date(char *p, int64_t day)
{
    int64_t y = 0;
    int m = 0;
    int d = 0;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        /* Only arithmetic far outside the accepted years gets here: show it, never a wrong date. */
        memset(p, '?', 10);
        p[4] = '-';
        p[7] = '-';
        return p + 10;
    }
    p = put_digits(p, y, 4);
    *p++ = '-';
    p = put_digits(p, m, 2);
    *p++ = '-';
    return put_digits(p, d, 2);
}

void
pw_date_format(int32_t day, char *out)
{
    char *end = put_date(out, day);
    *end = '\0';
}

/* Reads the optional ":SS" and ".f{1,6}" after HH:MM at s[*pos]. */
static enum pw_status
read_seconds(const char *s, size_t n, size_t *pos, struct clock_parts *c, const char *quoted,
             struct pw_error *err)
{
    size_t i = *pos;
    if (i < n && s[i] == ':') {
        if (n - i < 3 || !read_digits(s + i + 1, 2, &c->second)) {
            return pw_fail(err, PW_EINVAL, "expected seconds as SS after HH:MM: in \"%s\"", quoted);
        }
        i += 3;
        if (i < n && s[i] == '.') {
            size_t start = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                i++;
            }
            size_t digits = i - start;
            if (digits == 0) {
                return pw_fail(err, PW_EINVAL, "expected digits after the decimal point in \"%s\"",
                               quoted);
            }
            if (digits > 6) {
                return pw_fail(err, PW_EINVAL,
                               "\"%s\" has more than 6 decimal places: the finest time kept is a "
                               "microsecond",
                               quoted);
            }
            (void)read_digits(s + start, digits, &c->micro);
            for (size_t k = digits; k < 6; k++) {
                c->micro *= 10;
            }
        }
    }
    *pos = i;
    return PW_OK;
}

/* Reads Z, z, +HH:MM, -HH:MM, +HHMM or -HHMM, which must end the input. */
static enum pw_status
read_offset(const char *s, size_t n, size_t pos, struct clock_parts *c, const char *quoted,
            struct pw_error *err)
{
    if (pos == n) {
        return pw_fail(err, PW_EINVAL,
                       "\"%s\" has no time zone: add Z for UTC or an offset like +01:00 (a local "
                       "time alone is ambiguous across the clock change)",
                       quoted);
    }
    if (s[pos] == 'Z' || s[pos] == 'z') {
        if (pos + 1 != n) {
            return pw_fail(err, PW_EINVAL, "unexpected text after the time zone in \"%s\"", quoted);
        }
        c->offset_minutes = 0;
        return PW_OK;
    }
    if (s[pos] != '+' && s[pos] != '-') {
        return pw_fail(err, PW_EINVAL,
                       "expected Z or an offset like +01:00 after the time in \"%s\"", quoted);
    }
    size_t rest = n - pos;
    int hours = 0;
    int minutes = 0;
    bool ok = false;
    if (rest == 6 && s[pos + 3] == ':') {
        ok = read_digits(s + pos + 1, 2, &hours) && read_digits(s + pos + 4, 2, &minutes);
    } else if (rest == 5) {
        ok = read_digits(s + pos + 1, 2, &hours) && read_digits(s + pos + 3, 2, &minutes);
    }
    if (!ok) {
        return pw_fail(err, PW_EINVAL, "expected an offset as +HH:MM or +HHMM in \"%s\"", quoted);
    }
    if (minutes > 59 || hours > 14 || (hours == 14 && minutes > 0)) {
        return pw_fail(err, PW_EINVAL,
                       "\"%s\" has an impossible offset: offsets run from -14:00 to +14:00",
                       quoted);
    }
    c->offset_minutes = (hours * 60 + minutes) * (s[pos] == '-' ? -1 : 1);
    return PW_OK;
}

/* Reads "HH:MM[:SS[.f]]" and the offset from s[11..n). */
static enum pw_status
read_clock(const char *s, size_t n, struct clock_parts *c, const char *quoted, struct pw_error *err)
{
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
        return pw_fail(err, PW_EINVAL, "expected T between the date and the time in \"%s\"",
                       quoted);
    }
    if (n < 16 || s[13] != ':' || !read_digits(s + 11, 2, &c->hour) ||
        !read_digits(s + 14, 2, &c->minute)) {
        return pw_fail(err, PW_EINVAL, "expected the time as HH:MM after the date in \"%s\"",
                       quoted);
    }
    size_t pos = 16;
    enum pw_status rc = read_seconds(s, n, &pos, c, quoted, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = read_offset(s, n, pos, c, quoted, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (c->hour > 23) {
        return pw_fail(err, PW_EINVAL, "\"%s\" has hour %02d: hours run 00 to 23", quoted, c->hour);
    }
    if (c->minute > 59) {
        return pw_fail(err, PW_EINVAL, "\"%s\" has minute %02d: minutes run 00 to 59", quoted,
                       c->minute);
    }
    if (c->second == 60) {
        return pw_fail(err, PW_EINVAL,
                       "\"%s\" is a leap second, which is not supported: use second 59", quoted);
    }
    if (c->second > 59) {
        return pw_fail(err, PW_EINVAL, "\"%s\" has second %02d: seconds run 00 to 59", quoted,
                       c->second);
    }
    return PW_OK;
}

enum pw_status
pw_when_parse(const char *s, size_t n, struct pw_when *out, struct pw_error *err)
{
    if (s == NULL) {
        s = "";
        n = 0;
    }
    struct quoted q;
    quote_input(s, n, &q);
    if (!has_date_shape(s, n)) {
        return pw_fail(err, PW_EINVAL,
                       "expected a date as YYYY-MM-DD or a date-time as YYYY-MM-DDTHH:MM:SSZ, got "
                       "\"%s\"",
                       q.text);
    }
    int32_t day = 0;
    enum pw_status rc = read_date(s, n, &day, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (n == 10) {
        out->us = (int64_t)day * US_PER_DAY;
        out->has_time = false;
        return PW_OK;
    }
    struct clock_parts c = { 0, 0, 0, 0, 0 };
    rc = read_clock(s, n, &c, q.text, err);
    if (rc != PW_OK) {
        return rc;
    }
    int64_t seconds =
        (int64_t)c.hour * 3600 + (int64_t)c.minute * 60 + c.second - (int64_t)c.offset_minutes * 60;
    int64_t us = (int64_t)day * US_PER_DAY + seconds * US_PER_SEC + c.micro;
    /* An offset can carry 1800-01-01 back into 1799 UTC, which could then not be read back. */
    int64_t utc_day = floor_div(us, US_PER_DAY);
    if (utc_day < pw_date_from_ymd(PW_DATE_MIN_YEAR, 1, 1) ||
        utc_day > pw_date_from_ymd(PW_DATE_MAX_YEAR, 12, 31)) {
        return pw_fail(err, PW_EINVAL, "\"%s\" in UTC is outside the accepted years %d to %d",
                       q.text, PW_DATE_MIN_YEAR, PW_DATE_MAX_YEAR);
    }
    out->us = us;
    out->has_time = true;
    return PW_OK;
}

/* Writes "YYYY-MM-DDTHH:MM:SS" for instant us without a terminator; returns the end. */
static char *
put_date_time(char *p, int64_t us)
{
    int64_t day = floor_div(us, US_PER_DAY);
    int64_t second_of_day = (us - day * US_PER_DAY) / US_PER_SEC;
    p = put_date(p, day);
    *p++ = 'T';
    p = put_digits(p, second_of_day / 3600, 2);
    *p++ = ':';
    p = put_digits(p, second_of_day / 60 % 60, 2);
    *p++ = ':';
    return put_digits(p, second_of_day % 60, 2);
}

/* The microseconds within the second, 0 to 999999, also before 1970. */
static int64_t
micro_of_second(int64_t us)
{
    return us - floor_div(us, US_PER_SEC) * US_PER_SEC;
}

void
pw_when_format(const struct pw_when *w, char *out)
{
    if (!w->has_time) {
        pw_date_format(pw_when_day(w), out);
        return;
    }
    char *p = put_date_time(out, w->us);
    int64_t micro = micro_of_second(w->us);
    if (micro != 0) {
        *p++ = '.';
        if (micro % 1000 == 0) {
            p = put_digits(p, micro / 1000, 3);
        } else {
            p = put_digits(p, micro, 6);
        }
    }
    *p++ = 'Z';
    *p = '\0';
}

void
pw_when_sort_key(const struct pw_when *w, char *out)
{
    char *p = put_date_time(out, w->us);
    *p++ = '.';
    p = put_digits(p, micro_of_second(w->us), 6);
    *p++ = 'Z';
    *p = '\0';
}

int32_t
pw_when_day(const struct pw_when *w)
{
    return (int32_t)floor_div(w->us, US_PER_DAY);
}

int64_t
pw_time_now_us(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        /* POSIX lets CLOCK_REALTIME fail only for a bad clock id: there is no sane fallback. */
        pw_abort(__FILE__, __LINE__, "clock_gettime(CLOCK_REALTIME) failed");
    }
    return (int64_t)ts.tv_sec * US_PER_SEC + (int64_t)ts.tv_nsec / 1000;
}

/* The day number of the last Sunday of month m in year y. */
static int64_t
last_sunday(int64_t y, int m)
{
    int64_t last = days_from_civil(y, m, pw_date_days_in_month((int)y, m));
    int back = pw_date_weekday((int32_t)last) % 7; /* Sunday is 7: no step back */
    return last - back;
}

int
pw_time_uk_offset(int64_t us)
{
    int64_t y = 0;
    int m = 0;
    int d = 0;
    civil_from_days(floor_div(us, US_PER_DAY), &y, &m, &d);
    /* British Summer Time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
     * Sunday of October (Summer Time Order 2002, the EU rule). */
    int64_t start = last_sunday(y, 3) * US_PER_DAY + 3600 * US_PER_SEC;
    int64_t end = last_sunday(y, 10) * US_PER_DAY + 3600 * US_PER_SEC;
    return us >= start && us < end ? 3600 : 0;
}

int32_t
pw_time_uk_date(int64_t us)
{
    int64_t local = us + (int64_t)pw_time_uk_offset(us) * US_PER_SEC;
    return (int32_t)floor_div(local, US_PER_DAY);
}
