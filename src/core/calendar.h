/*
 * The working-day calendar for England and Wales. Working days exclude Saturdays, Sundays and
 * bank holidays. Bank holidays are computed from their rules, not listed: New Year's Day, Good
 * Friday and Easter Monday (from Easter), the early May bank holiday (first Monday of May), the
 * spring bank holiday (last Monday of May), the summer bank holiday (last Monday of August),
 * Christmas Day and Boxing Day, with substitute days when they fall at a weekend, plus a table
 * of one-off moves and additions by proclamation (2020-05-08, 2022-06-02, 2022-06-03,
 * 2022-09-19, 2023-05-08 and others). Valid from 1971 (the Banking and Financial Dealings Act).
 *
 * Counting follows the DfE's CIN census validator: the day the clock starts is day 1.
 * All functions are pure and thread-safe.
 */
#ifndef PW_CORE_CALENDAR_H
#define PW_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Most bank holidays any one year has (2022 had 10). */
#define PW_CAL_MAX_HOLIDAYS 16

/** The day number of Easter Sunday in year y (Gregorian computus). */
int32_t pw_cal_easter(int y);
/** True when day is a bank holiday in England and Wales. */
bool pw_cal_is_bank_holiday(int32_t day);
/** True when day is neither a weekend day nor a bank holiday. */
bool pw_cal_is_working_day(int32_t day);
/**
 * The bank holidays of year y in date order, written to out (room for PW_CAL_MAX_HOLIDAYS);
 * returns how many. When names is not NULL, names[i] gets a static English name.
 */
size_t pw_cal_bank_holidays(int y, int32_t *out, const char **names);
/**
 * The n-th working day after day (day itself not counted): Friday + 1 is the next Monday
 * (or Tuesday after a bank holiday Monday). n == 0 returns day unchanged. n must be >= 0.
 */
int32_t pw_cal_add_working_days(int32_t day, int n);
/**
 * The deadline "n working days from start" as the DfE counts it: the first working day on or
 * after start is day 1, so the result is the n-th working day counting that day. n >= 1.
 */
int32_t pw_cal_deadline(int32_t start, int n);
/**
 * Working days from a to b, both counted when they are working days (the DfE validator's
 * inclusive count). When b is before a the result is the negative of the count from b to a.
 */
int pw_cal_working_days_between(int32_t a, int32_t b);

#endif
