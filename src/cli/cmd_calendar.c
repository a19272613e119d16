/* `pathway calendar`: bank holidays, working days and deadlines as Pathway counts them. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"

static const char usage[] =
    "usage: pathway calendar holidays YEAR\n"
    "       pathway calendar deadline DATE DAYS\n"
    "       pathway calendar between DATE DATE\n"
    "\n"
    "The working-day calendar for England and Wales that every deadline uses.\n"
    "holidays  the bank holidays of YEAR\n"
    "deadline  the date DAYS working days from DATE, counting DATE as day 1 (as the DfE\n"
    "          counts: a 45-working-day assessment from a referral)\n"
    "between   the working days from one date to another, both counted\n";

static enum pw_status
parse_int(const char *s, long lo, long hi, const char *what, long *out, struct pw_error *err)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        return pw_fail(err, PW_EUSAGE, "%s must be a whole number from %ld to %ld", what, lo, hi);
    }
    *out = v;
    return PW_OK;
}

static enum pw_status
holidays(struct pw__cli *cli, const char *year_text, struct pw_error *err)
{
    long year = 0;
    int32_t days[PW_CAL_MAX_HOLIDAYS];
    const char *names[PW_CAL_MAX_HOLIDAYS];
    enum pw_status rc = parse_int(year_text, 1971, PW_DATE_MAX_YEAR, "YEAR", &year, err);
    if (rc != PW_OK) {
        return rc;
    }
    size_t n = pw_cal_bank_holidays((int)year, days, names);
    for (size_t i = 0; i < n; i++) {
        char text[PW_DATE_TEXT_MAX];
        pw_date_format(days[i], text);
        (void)fprintf(cli->out, "%s  %s\n", text, names[i]);
    }
    return PW_OK;
}

static enum pw_status
parse_day(const char *s, int32_t *out, struct pw_error *err)
{
    return pw_date_parse(s, strlen(s), out, err);
}

enum pw_status
pw__cmd_calendar(struct pw__cli *cli, int argc, char **argv, struct pw_error *err)
{
    if (pw__cli_wants_help(cli, argc, argv, usage)) {
        return PW_OK;
    }
    const char *pos[3];
    int npos = 0;
    int32_t a = 0;
    int32_t b = 0;
    long n = 0;
    char text[PW_DATE_TEXT_MAX];
    enum pw_status rc = pw__cli_parse(cli, argc, argv, NULL, pos, 3, &npos, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (npos == 2 && strcmp(pos[0], "holidays") == 0) {
        return holidays(cli, pos[1], err);
    }
    if (npos == 3 && strcmp(pos[0], "deadline") == 0) {
        rc = parse_day(pos[1], &a, err);
        if (rc == PW_OK) {
            rc = parse_int(pos[2], 1, 10000, "DAYS", &n, err);
        }
        if (rc == PW_OK) {
            pw_date_format(pw_cal_deadline(a, (int)n), text);
            (void)fprintf(cli->out, "%s\n", text);
        }
        return rc;
    }
    if (npos == 3 && strcmp(pos[0], "between") == 0) {
        rc = parse_day(pos[1], &a, err);
        if (rc == PW_OK) {
            rc = parse_day(pos[2], &b, err);
        }
        if (rc == PW_OK) {
            (void)fprintf(cli->out, "%d\n", pw_cal_working_days_between(a, b));
        }
        return rc;
    }
    return pw_fail(err, PW_EUSAGE, "see pathway calendar --help");
}
