/*
 * Words for what the API sends as codes and ISO dates: how a practitioner reads them on a page
 * ("27 May 2025", "Children's social care", "Overdue by 3 working days").
 */
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "web/web_int.h"

void
pw__words_date(const char *iso, char *out, size_t size)
{
    static const char *const months[] = { "January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December" };
    int32_t day = 0;
    struct pw_error ignored;
    pw_error_clear(&ignored);
    if (iso == NULL || strlen(iso) < 10 || pw_date_parse(iso, 10, &day, &ignored) != PW_OK) {
        (void)snprintf(out, size, "%s", iso != NULL ? iso : "");
        return;
    }
    int y = 0;
    int m = 0;
    int d = 0;
    pw_date_to_ymd(day, &y, &m, &d);
    (void)snprintf(out, size, "%d %s %d", d, months[m - 1], y);
}

json_t *
pw__words_date_json(const char *iso)
{
    char text[64];
    if (iso == NULL) {
        return json_null();
    }
    pw__words_date(iso, text, sizeof(text));
    return json_string(text);
}

int
pw__words_age(const char *dob, int32_t today)
{
    int32_t day = 0;
    struct pw_error ignored;
    pw_error_clear(&ignored);
    if (dob == NULL || strlen(dob) < 10 || pw_date_parse(dob, 10, &day, &ignored) != PW_OK) {
        return -1;
    }
    int y0 = 0;
    int m0 = 0;
    int d0 = 0;
    int y1 = 0;
    int m1 = 0;
    int d1 = 0;
    pw_date_to_ymd(day, &y0, &m0, &d0);
    pw_date_to_ymd(today, &y1, &m1, &d1);
    int age = y1 - y0 - (m1 < m0 || (m1 == m0 && d1 < d0) ? 1 : 0);
    return age >= 0 ? age : -1;
}

void
pw__words_code(const char *code, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = code != NULL ? code : ""; *p != '\0' && n + 1 < size; p++) {
        char ch = *p;
        if (ch == '_' || ch == '-' || ch == '.') {
            ch = ' ';
        }
        if (n == 0 && ch >= 'a' && ch <= 'z') {
            ch = (char)(ch - 'a' + 'A');
        }
        out[n++] = ch;
    }
    out[n] = '\0';
}

json_t *
pw__words_code_json(const char *code)
{
    char text[256];
    pw__words_code(code, text, sizeof(text));
    return json_string(text);
}

/* The DfE's ethnicity codes (CIN census), as the census names them. */
static const struct {
    const char *code;
    const char *words;
} ethnicities[] = {
    { "WBRI", "White British" },
    { "WIRI", "White Irish" },
    { "WIRT", "Traveller of Irish heritage" },
    { "WOTH", "Any other White background" },
    { "WROM", "Gypsy or Roma" },
    { "MWBC", "White and Black Caribbean" },
    { "MWBA", "White and Black African" },
    { "MWAS", "White and Asian" },
    { "MOTH", "Any other mixed background" },
    { "AIND", "Indian" },
    { "APKN", "Pakistani" },
    { "ABAN", "Bangladeshi" },
    { "AOTH", "Any other Asian background" },
    { "BCRB", "Black Caribbean" },
    { "BAFR", "Black African" },
    { "BOTH", "Any other Black background" },
    { "CHNE", "Chinese" },
    { "OOTH", "Any other ethnic group" },
    { "REFU", "Refused" },
    { "NOBT", "Information not yet obtained" },
};

const char *
pw__words_ethnicity_code(size_t i)
{
    return i < sizeof(ethnicities) / sizeof(ethnicities[0]) ? ethnicities[i].code : NULL;
}

const char *
pw__words_ethnicity(const char *code)
{
    for (size_t i = 0; code != NULL && i < sizeof(ethnicities) / sizeof(ethnicities[0]); i++) {
        if (strcmp(ethnicities[i].code, code) == 0) {
            return ethnicities[i].words;
        }
    }
    return code;
}
