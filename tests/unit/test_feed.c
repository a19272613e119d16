/*
 * The feed module: the CSV reader (quotes, CRLF, embedded line breaks, bad UTF-8, broken
 * structure), dates in both shapes, NHS numbers, person ids, and each agency's format read
 * into facts with every error named by line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "feed/feed.h"

static void
csv_quotes_crlf_newlines(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF"
                               "a,b,c\r\n"
                               "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                               "\r\n"
                               "2,\"two\nlines\",\n"
                               "3,,last";
    struct pw_feed_csv csv;
    struct pw_error err = { 0 };
    assert_int_equal(pw_feed_csv_parse(text, sizeof(text) - 1, &csv, &err), PW_OK);
    assert_int_equal(csv.count, 4);
    assert_string_equal(csv.rows[0].fields[0], "a");
    assert_string_equal(csv.rows[1].fields[1], "x, y");
    assert_string_equal(csv.rows[1].fields[2], "say \"hi\"");
    assert_int_equal(csv.rows[2].line, 4);
    assert_string_equal(csv.rows[2].fields[1], "two\nlines");
    assert_int_equal(csv.rows[2].count, 3);
    assert_string_equal(csv.rows[2].fields[2], "");
    assert_int_equal(csv.rows[3].line, 6);
    assert_string_equal(csv.rows[3].fields[2], "last");
    pw_feed_csv_release(&csv);
}

static void
csv_broken(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line;
        const char *msg;
    } cases[] = {
        { "a,b\n1,\"open\n2,3\n", 2, "not closed" },
        { "a,b\n1,\"x\"y\n", 2, "after the closing quote" },
        { "a,b\n1,x\"y\n", 2, "quote inside" },
        { "a,b\r1,2\n", 1, "carriage return" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct pw_feed_csv csv;
        struct pw_error err = { 0 };
        assert_int_equal(pw_feed_csv_parse(cases[i].text, strlen(cases[i].text), &csv, &err),
                         PW_EINVAL);
        assert_int_equal(err.line, cases[i].line);
        assert_non_null(strstr(err.msg, cases[i].msg));
        pw_feed_csv_release(&csv);
    }
}

static void
csv_bad_utf8_flagged(void **state)
{
    (void)state;
    static const char text[] = "a,b\nok,R\xe9ss\n";
    struct pw_feed_csv csv;
    struct pw_error err = { 0 };
    assert_int_equal(pw_feed_csv_parse(text, sizeof(text) - 1, &csv, &err), PW_OK);
    assert_false(csv.rows[1].bad_utf8[0]);
    assert_true(csv.rows[1].bad_utf8[1]);
    pw_feed_csv_release(&csv);
    assert_true(pw_feed_utf8_valid("Zo\xc3\xab", 4));
    assert_false(pw_feed_utf8_valid("\xc0\xaf", 2));     /* overlong */
    assert_false(pw_feed_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
    assert_false(pw_feed_utf8_valid("a\0b", 3));         /* NUL */
    assert_false(pw_feed_utf8_valid("\xe2\x82", 2));     /* cut short */
}

static void
dates(void **state)
{
    (void)state;
    int32_t day = 0;
    char text[PW_DATE_TEXT_MAX];
    struct pw_error err = { 0 };
    assert_int_equal(pw_feed_date_parse("12/09/1984", 10, PW_FEED_DATE_DMY, &day, &err), PW_OK);
    pw_date_format(day, text);
    assert_string_equal(text, "1984-09-12");
    assert_int_equal(pw_feed_date_parse("3/1/1979", 8, PW_FEED_DATE_DMY, &day, &err), PW_OK);
    pw_date_format(day, text);
    assert_string_equal(text, "1979-01-03");
    pw_error_clear(&err);
    assert_int_equal(pw_feed_date_parse("31/02/2019", 10, PW_FEED_DATE_DMY, &day, &err), PW_EINVAL);
    assert_string_equal(err.msg, "31/02/2019 is not a real date");
    pw_error_clear(&err);
    assert_int_equal(pw_feed_date_parse("2019-02-03", 10, PW_FEED_DATE_DMY, &day, &err), PW_EINVAL);
    assert_string_equal(err.msg, "expected a date as DD/MM/YYYY");
    pw_error_clear(&err);
    assert_int_equal(pw_feed_date_parse("2019-02-29", 10, PW_FEED_DATE_ISO, &day, &err), PW_EINVAL);
}

static void
nhs_and_ids(void **state)
{
    (void)state;
    char nhs[11];
    assert_true(pw_feed_nhs_valid("943 476 5919", nhs));
    assert_string_equal(nhs, "9434765919");
    assert_false(pw_feed_nhs_valid("9434765918", NULL));
    assert_false(pw_feed_nhs_valid("943476591", NULL));
    char id[PW_FEED_PERSON_MAX + 1];
    pw_feed_person_id("csc", "LA100234", id);
    assert_string_equal(id, "csc-LA100234");
    pw_feed_person_id("police", "N/77 1", id);
    assert_string_equal(id, "police-N:2F77:201");
    char other[PW_FEED_PERSON_MAX + 1];
    pw_feed_person_id("police", "N:2F77:201", other); /* ':' itself is escaped */
    assert_string_not_equal(id, other);
    pw_feed_person_id("health", "0123456789012345678901234567890123456789012345", id);
    assert_int_equal(strncmp(id, "health-::", 9), 0);
    assert_true(strlen(id) <= PW_FEED_PERSON_MAX);
}

/* Collects errors as "line|column|message" lines. */
struct errors {
    char text[8192];
    size_t len;
    size_t count;
};

static void
collect(void *ctx, long line, const char *column, const char *msg)
{
    struct errors *e = ctx;
    int n = snprintf(e->text + e->len, sizeof(e->text) - e->len, "%ld|%s|%s\n", line,
                     column != NULL ? column : "-", msg);
    if (n > 0 && (size_t)n < sizeof(e->text) - e->len) {
        e->len += (size_t)n;
    }
    e->count++;
}

static enum pw_status
read_feed(const char *agency, const char *format, const char *text, struct pw_feed_batch *b,
          struct errors *e)
{
    struct pw_feed_opts o;
    struct pw_error err = { 0 };
    memset(&o, 0, sizeof(o));
    memset(e, 0, sizeof(*e));
    o.agency = agency;
    o.format = format;
    o.file = "t.csv";
    o.at = "2025-09-01";
    o.by = "tester";
    return pw_feed_read(&o, text, strlen(text), collect, e, b, &err);
}

static const char *
str_at(json_t *fact, const char *path)
{
    json_t *v = fact;
    char buf[128];
    (void)snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf, *next; p != NULL; p = next) {
        next = strchr(p, '.');
        if (next != NULL) {
            *next++ = '\0';
        }
        v = (*p >= '0' && *p <= '9') ? json_array_get(v, (size_t)(*p - '0'))
                                     : json_object_get(v, p);
    }
    return json_string_value(v);
}

static void
agency_csc(void **state)
{
    (void)state;
    struct pw_feed_batch b;
    struct errors e;
    assert_int_equal(
        read_feed("csc", NULL,
                  "dob,person_id,first_name,middle_names,last_name,known_as,gender,postcode,"
                  "address_since,nhs_number\n"
                  "2016-04-02,LA1,Lily,Rose,Hart,Lil,female,LS6 2AB,2019-03-01,9434765919\n",
                  &b, &e),
        PW_OK);
    assert_int_equal(b.count, 1);
    json_t *reg = b.records[0].facts[0];
    assert_string_equal(str_at(reg, "person"), "csc-LA1");
    assert_string_equal(str_at(reg, "names.0.given"), "Lily Rose");
    assert_string_equal(str_at(reg, "names.1.given"), "Lil");
    assert_string_equal(str_at(reg, "names.1.kind"), "known_as");
    assert_string_equal(str_at(reg, "dob"), "2016-04-02");
    assert_string_equal(str_at(reg, "sex"), "female");
    assert_string_equal(str_at(reg, "identifiers.nhs"), "9434765919");
    assert_string_equal(str_at(reg, "identifiers.la"), "LA1");
    assert_string_equal(str_at(reg, "source.file"), "t.csv");
    assert_int_equal(b.records[0].nfacts, 2);
    assert_string_equal(str_at(b.records[0].facts[1], "since"), "2019-03-01");
    assert_string_equal(str_at(b.records[0].facts[1], "address.postcode"), "LS6 2AB");
    pw_feed_batch_release(&b);
}

static void
agency_police_health_education_probation(void **state)
{
    (void)state;
    struct pw_feed_batch b;
    struct errors e;
    assert_int_equal(read_feed("police", NULL,
                               "nominal_id,surname,forenames,dob,sex,pnc_id\n"
                               "N1,COLE,Dean,12/09/1984,m,2009/0123456X\n",
                               &b, &e),
                     PW_OK);
    assert_string_equal(str_at(b.records[0].facts[0], "dob"), "1984-09-12");
    assert_string_equal(str_at(b.records[0].facts[0], "sex"), "male");
    assert_string_equal(str_at(b.records[0].facts[0], "identifiers.pnc"), "2009/0123456X");
    pw_feed_batch_release(&b);
    assert_int_equal(read_feed("health", NULL,
                               "patient_id,given_name,family_name,sex\nG1,A,B,9\nG2,C,D,0\n", &b,
                               &e),
                     PW_OK);
    assert_string_equal(str_at(b.records[0].facts[0], "sex"), "indeterminate");
    assert_string_equal(str_at(b.records[1].facts[0], "sex"), "unknown");
    pw_feed_batch_release(&b);
    assert_int_equal(read_feed("education", NULL,
                               "pupil_id,upn,legal_forename,legal_surname,sex,school\n"
                               "P1,A123456789012,Amy,Ross,F,Oak Primary\n",
                               &b, &e),
                     PW_OK);
    assert_int_equal(b.schools, 1);
    assert_string_equal(str_at(b.records[0].facts[1], "type"), "school.recorded");
    assert_string_equal(str_at(b.records[0].facts[1], "setting"), "Oak Primary");
    assert_string_equal(str_at(b.records[0].facts[0], "identifiers.upn"), "A123456789012");
    pw_feed_batch_release(&b);
    assert_int_equal(
        read_feed("probation", NULL, "crn,first_name,surname,gender\nX1,Dean,Cole,Male\n", &b, &e),
        PW_OK);
    assert_string_equal(str_at(b.records[0].facts[0], "identifiers.crn"), "X1");
    pw_feed_batch_release(&b);
}

static void
generic_parts_and_map(void **state)
{
    (void)state;
    struct pw_feed_batch b;
    struct errors e;
    struct pw_feed_opts o;
    struct pw_error err = { 0 };
    static const char text[] =
        "rec,given_name,surname,dob_year,dob_month\nf1,Sophie,Walker,1987,6\n"
        "f2,Jack,Stone,1990,\n";
    memset(&o, 0, sizeof(o));
    memset(&e, 0, sizeof(e));
    o.agency = "other";
    o.format = "generic";
    o.file = "febrl.csv";
    o.at = "2025-09-01";
    o.by = "tester";
    o.map = "rec=record_id,given_name=given_names,surname=family_name";
    assert_int_equal(pw_feed_read(&o, text, sizeof(text) - 1, collect, &e, &b, &err), PW_OK);
    json_t *dob = json_object_get(b.records[0].facts[0], "dob");
    assert_int_equal(json_integer_value(json_object_get(dob, "year")), 1987);
    assert_int_equal(json_integer_value(json_object_get(dob, "month")), 6);
    dob = json_object_get(b.records[1].facts[0], "dob");
    assert_null(json_object_get(dob, "month"));
    pw_feed_batch_release(&b);
    o.map = "rec=nonsense";
    assert_int_equal(pw_feed_read(&o, text, sizeof(text) - 1, collect, &e, &b, &err), PW_EUSAGE);
    pw_feed_batch_release(&b);
}

static void
every_error_by_line_and_column(void **state)
{
    (void)state;
    struct pw_feed_batch b;
    struct errors e;
    static const char text[] = "person_id,first_name,last_name,dob,gender,nhs_number,colour\n"
                               "LA1,Amy,Ross,2019-02-31,female,,red\n";
    assert_int_equal(read_feed("csc", NULL, text, &b, &e), PW_EINVAL);
    assert_non_null(strstr(e.text, "1|colour|unknown column for the csc format"));
    assert_int_equal(b.count, 0);
    static const char rows[] = "person_id,first_name,last_name,dob,gender,nhs_number\n"
                               "LA1,Amy,Ross,2019-02-31,female,\n"
                               "LA2,Ben,Ross,2018-05-05,boy,\n"
                               ",Cal,Ross,2018-05-05,male,\n"
                               "LA4,Dee,Ross,2018-05-05,female,9434765918\n"
                               "LA1,Eve,Ross,2017-01-01,female,\n"
                               "LA6,,,2017-01-01,female,\n"
                               "LA7,Fay,Ross,2030-01-01,female,\n"
                               "LA8,Gus\n";
    assert_int_equal(read_feed("csc", NULL, rows, &b, &e), PW_EINVAL);
    assert_non_null(strstr(e.text, "2|dob|\"2019-02-31\" is not a real date"));
    assert_non_null(
        strstr(e.text, "3|gender|unknown code \"boy\" (expected male, female or unknown)"));
    assert_non_null(strstr(e.text, "4|person_id|the record id is missing"));
    assert_non_null(strstr(e.text, "5|nhs_number|is not a valid NHS number"));
    assert_non_null(strstr(e.text, "6|person_id|record id \"LA1\" is also on line 2"));
    assert_non_null(strstr(e.text, "7|-|the record has no name"));
    assert_non_null(strstr(e.text, "8|dob|is after the date of the fact"));
    assert_non_null(strstr(e.text, "9|-|the row has 2 fields; the header has 6"));
    assert_int_equal(e.count, 8);
    static const char missing[] = "first_name\nAmy\n";
    assert_int_equal(read_feed("csc", NULL, missing, &b, &e), PW_EINVAL);
    assert_non_null(strstr(e.text, "1|person_id|the required column is missing"));
}

static void
digest_ignores_envelope(void **state)
{
    (void)state;
    json_t *a = json_pack("{s:s,s:s,s:s,s:[{s:s}],s:{s:s}}", "type", "person.registered", "id", "x",
                          "at", "2025-01-01", "names", "given", "Amy", "source", "record", "1");
    json_t *b = json_pack("{s:s,s:s,s:s,s:[{s:s}],s:{s:s}}", "type", "person.registered", "id", "y",
                          "at", "2026-01-01", "names", "given", "Amy", "source", "record", "2");
    json_t *c = json_pack("{s:s,s:[{s:s}]}", "type", "person.registered", "names", "given", "Amie");
    char da[11];
    char db[11];
    char dc[11];
    pw_feed_digest(a, da);
    pw_feed_digest(b, db);
    pw_feed_digest(c, dc);
    assert_string_equal(da, db);
    assert_string_not_equal(da, dc);
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_quotes_crlf_newlines),
        cmocka_unit_test(csv_broken),
        cmocka_unit_test(csv_bad_utf8_flagged),
        cmocka_unit_test(dates),
        cmocka_unit_test(nhs_and_ids),
        cmocka_unit_test(agency_csc),
        cmocka_unit_test(agency_police_health_education_probation),
        cmocka_unit_test(generic_parts_and_map),
        cmocka_unit_test(every_error_by_line_and_column),
        cmocka_unit_test(digest_ignores_envelope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
