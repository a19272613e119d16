/*
 * Dates and instants. A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before). An instant is microseconds since 1970-01-01T00:00:00Z. Parsing is
 * strict ISO 8601 (RFC 3339 profile): 2025-02-30 is refused, a date-time must carry Z or an
 * offset (a local time without one is ambiguous across the clock change), and what is stored
 * is always UTC. Dates accepted: 1800-01-01 to 2199-12-31 (grandparents' births to long orders).
 */
#ifndef PW_CORE_TIME_H
#define PW_CORE_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define PW_DATE_MIN_YEAR 1800
#define PW_DATE_MAX_YEAR 2199

/* Longest text pw_when_format writes, with the terminator: 2025-01-31T23:59:59.123456Z */
#define PW_WHEN_TEXT_MAX 32
#define PW_DATE_TEXT_MAX 11

/** A moment something happened: a whole date, or an instant with a time of day. */
struct pw_when {
    int64_t us;    /* the instant; for a date, midnight UTC at its start */
    bool has_time; /* false: only the date is known */
};

/** True when y-m-d is a real calendar date within the accepted years. */
bool pw_date_valid(int y, int m, int d);
/** The day number of y-m-d (which must be valid). */
int32_t pw_date_from_ymd(int y, int m, int d);
/** Splits a day number into year, month (1-12) and day (1-31). */
void pw_date_to_ymd(int32_t day, int *y, int *m, int *d);
/** ISO weekday: 1 Monday ... 7 Sunday. */
int pw_date_weekday(int32_t day);
/** Days in month m of year y. */
int pw_date_days_in_month(int y, int m);

/**
 * Parses exactly "YYYY-MM-DD" from s[0..n). On success sets *out; on failure returns PW_EINVAL
 * with a message saying what is wrong ("2025-02-30 is not a real date", "expected YYYY-MM-DD")
 * and leaves *out alone.
 */
PW_MUSTCHECK enum pw_status pw_date_parse(const char *s, size_t n, int32_t *out,
                                          struct pw_error *err);
/** Writes "YYYY-MM-DD" and a terminator into out (PW_DATE_TEXT_MAX bytes). */
void pw_date_format(int32_t day, char *out);

/**
 * Parses a date ("2025-03-01") or a date-time with seconds optional and a fraction of up to
 * 6 digits, ending in Z, z, +HH:MM, -HH:MM, +HHMM or -HHMM ("2025-03-01T14:05:00+01:00").
 * The offset is applied so out->us is UTC. Errors as pw_date_parse.
 */
PW_MUSTCHECK enum pw_status pw_when_parse(const char *s, size_t n, struct pw_when *out,
                                          struct pw_error *err);
/**
 * Writes the canonical text into out (PW_WHEN_TEXT_MAX bytes): "YYYY-MM-DD" for a date;
 * "YYYY-MM-DDTHH:MM:SSZ" for an instant, with ".mmm" or ".uuuuuu" only when the fraction is
 * not zero. Parsing the result gives back the same value.
 */
void pw_when_format(const struct pw_when *w, char *out);
/** Writes "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" always: a fixed-width key that sorts in time order. */
void pw_when_sort_key(const struct pw_when *w, char *out);
/** The day number (UTC) of an instant. */
int32_t pw_when_day(const struct pw_when *w);

/** Now, from the real-time clock, in microseconds since the epoch. */
int64_t pw_time_now_us(void);
/** The UK civil offset from UTC in seconds at instant us: 3600 during British Summer Time. */
int pw_time_uk_offset(int64_t us);
/** The date in England at instant us (UTC plus the UK offset). */
int32_t pw_time_uk_date(int64_t us);

#endif
