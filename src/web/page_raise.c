/*
 * Raise a concern about a child (GET/POST /concern): for a practitioner with a worry about a
 * child whose record they may not read (no relationship with it), or a child not on record at
 * all. /children/{id}/concern reads the child's record first, which the policy refuses them;
 * the national reviews found concerns lost that way. Anyone in a case-working role may raise a
 * concern about any child (PW_ACTION_RAISE_CONCERN), so this page asks nothing of the record.
 *
 * The form asks who the child is (given and family name, other names, date of birth or the
 * year, sex, address, school or nursery, NHS number or another identifier, ethnicity, first
 * language, interpreter, communication), then the concern as the record's own page asks it
 * (concern_form.c: when; what the child said or showed; the signs by category, with their
 * strength at the age the date of birth gives, or at every age when it is not given; what
 * happened; who raised it), and who else is involved, in words: there is no network to choose
 * from, and no record is made for anyone named there: the names go into the narrative.
 *
 * Saving records in one POST /api/facts (all or none): a person.registered for a new record of
 * the child (person "web-child-<token>"), a residence.recorded when an address is given, a
 * school.recorded when a school is given, and the concern.raised naming the child. The policy
 * allows each to a case-working role: the concern by the duty to raise one, the other facts as
 * about no one on record yet (src/access/log.c, judge_fact). Record linkage then joins the new
 * record to any the partnership holds about the child. The answer is a confirmation, not the
 * record, which the user may not be allowed to read: the concern's reference, what happens next,
 * and a link to the record only when GET /api/children/{id} lets the user read it.
 *
 * The ids are made from a token made when the form is first shown and carried in it, so the
 * same form sent twice (a double click, a retry) records once: the API treats facts sent again
 * with the same id and content as already recorded, and the confirmation is shown again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/time.h"
#include "web/concern_form.h"
#include "web/web_int.h"

#define NO_DAY      PW__CONCERN_NO_DAY
#define SHORT_MAX   PW__CONCERN_SHORT_MAX
#define OTHER_NAMES 19          /* person.registered holds at most 20 names */
#define IDENT_MAX   64          /* an identifier's value (src/model/walk.c) */
#define CHILD_MAX   18          /* the first age that is not a child's */
#define FIRST       "the child" /* the child as the messages call them */

static const struct {
    const char *value;
    const char *text;
    const char *hint;
} sexes[] = {
    { "female", "Female", NULL },
    { "male", "Male", NULL },
    { "indeterminate", "Indeterminate", "Cannot be classified as either female or male." },
    { "unknown", "Not known", NULL },
};

/* The identifiers other than the NHS number a practitioner may have (identifiers' schemes). */
static const struct {
    const char *value;
    const char *text;
} id_kinds[] = {
    { "upn", "Unique pupil number (UPN)" },
    { "la", "Local authority (social care) number" },
    { "pnc", "Police national computer (PNC) number" },
    { "other", "Another number" },
};

/* The form's own fields (the concern's are concern_form.c's): value key, then field name. */
static const struct {
    const char *key;
    const char *field;
} identity_fields[] = {
    { "given", "given" },
    { "family", "family" },
    { "other_names", "other-names" },
    { "dob_day", "dob-day" },
    { "dob_month", "dob-month" },
    { "dob_year", "dob-year" },
    { "approx_year", "approx-year" },
    { "sex", "sex" },
    { "line1", "address-line1" },
    { "town", "address-town" },
    { "postcode", "address-postcode" },
    { "school", "school" },
    { "nhs", "nhs" },
    { "id_kind", "id-kind" },
    { "id_value", "id-value" },
    { "others", "others" },
};

/* Who the child is, as far as the form says. */
struct child {
    int age;      /* today, -1 unknown */
    bool about;   /* the age is from the year born only */
    int32_t born; /* the day of birth, NO_DAY unknown */
    json_t *dob;  /* "YYYY-MM-DD", {year} or NULL (new reference) */
};

static const char *
val(const json_t *v, const char *key)
{
    return pw__concern_val(v, key);
}

static bool
all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && strspn(s, "0123456789") == n;
}

/* ---- The values of the form ---- */

static json_t *
default_values(const struct pw__page *pg)
{
    json_t *v = json_object();
    for (size_t i = 0; i < sizeof(identity_fields) / sizeof(identity_fields[0]); i++) {
        pw__concern_set_text(v, identity_fields[i].key, "");
    }
    static const char *const more[] = { "ethnicity", "language", "interpreter", "communication" };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
        pw__concern_set_text(v, more[i], "");
    }
    pw__concern_defaults(pg, v);
    return v;
}

static json_t *
posted_values(const struct pw__page *pg)
{
    json_t *v = json_object();
    pw__concern_posted(pg, v);
    for (size_t i = 0; i < sizeof(identity_fields) / sizeof(identity_fields[0]); i++) {
        (void)json_object_set_new(
            v, identity_fields[i].key,
            pw__concern_trimmed(pw__form_text(&pg->form, identity_fields[i].field)));
    }
    return v;
}

/* The NHS number as typed, without the spaces or hyphens people write it with. */
static void
nhs_digits(const char *typed, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = typed; *p != '\0' && n + 1 < size; p++) {
        if (*p != ' ' && *p != '-') {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* The postcode in capitals with single spaces, as the model and record linkage compare it. */
static void
postcode_of(const char *typed, char *out, size_t size)
{
    size_t n = 0;
    bool space = false;
    for (const char *p = typed; *p != '\0' && n + 1 < size; p++) {
        if (*p == ' ' || *p == '\t') {
            space = n > 0;
            continue;
        }
        if (space && n + 2 < size) {
            out[n++] = ' ';
        }
        space = false;
        out[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    }
    out[n] = '\0';
}

static bool
postcode_ok(const char *s)
{
    size_t n = strlen(s);
    bool digit = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        digit = digit || (c >= '0' && c <= '9');
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ')) {
            return false;
        }
    }
    return n >= 2 && n <= 10 && digit;
}

static bool
printable_ascii(const char *s)
{
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < 0x20 || *p > 0x7e) {
            return false;
        }
    }
    return true;
}

/* ---- Who the child is ---- */

/* The date of birth (or the year born) the form holds, into c; with check, an error for each
 * problem. What is wrong is left unknown. */
static void
read_dob(struct pw__page *pg, const json_t *v, struct child *c, bool check)
{
    c->age = -1;
    c->about = false;
    c->born = NO_DAY;
    c->dob = NULL;
    const char *d = val(v, "dob_day");
    const char *m = val(v, "dob_month");
    const char *y = val(v, "dob_year");
    const char *approx = val(v, "approx_year");
    int32_t today = pw__page_today(pg);
    int ty = 0;
    int tm = 0;
    int td = 0;
    pw_date_to_ymd(today, &ty, &tm, &td);
    bool any = d[0] != '\0' || m[0] != '\0' || y[0] != '\0';
    const char *problem = NULL;
    char msg[256];
    int yy = 0;
    if (any) {
        int mm = 0;
        int dd = 0;
        if (d[0] == '\0' || m[0] == '\0' || y[0] == '\0') {
            problem = d[0] == '\0'   ? "The date of birth must include a day"
                      : m[0] == '\0' ? "The date of birth must include a month"
                                     : "The date of birth must include a year";
        } else if (!all_digits(d, 1, 2) || !all_digits(m, 1, 2) || !all_digits(y, 4, 4)) {
            problem = "The date of birth must be a real date, for example 14 3 2017";
        } else {
            yy = (int)strtol(y, NULL, 10);
            mm = (int)strtol(m, NULL, 10);
            dd = (int)strtol(d, NULL, 10);
            if (!pw_date_valid(yy, mm, dd) || yy < 1900) {
                problem = "The date of birth must be a real date, for example 14 3 2017";
            } else if (pw_date_from_ymd(yy, mm, dd) > today) {
                problem = "The date of birth must be today or in the past";
            }
        }
        if (problem == NULL) {
            char text[PW_DATE_TEXT_MAX];
            c->born = pw_date_from_ymd(yy, mm, dd);
            pw_date_format(c->born, text);
            int age = pw__words_age(text, today);
            if (age >= CHILD_MAX) {
                (void)snprintf(msg, sizeof(msg),
                               "The date of birth must be of a child under %d: for an adult, "
                               "follow your adult safeguarding procedures",
                               CHILD_MAX);
                problem = msg;
                c->born = NO_DAY;
            } else {
                c->age = age;
                c->dob = json_string(text);
            }
        }
        if (problem != NULL && check) {
            pw__page_error(pg, "dob-day", problem);
        }
    }
    if (approx[0] == '\0') {
        return;
    }
    problem = NULL;
    int year = all_digits(approx, 4, 4) ? (int)strtol(approx, NULL, 10) : 0;
    if (year == 0) {
        problem = "The year the child was born must be 4 digits, for example 2017";
    } else if (year > ty) {
        problem = "The year the child was born must be this year or earlier";
    } else if (year < ty - CHILD_MAX) {
        (void)snprintf(msg, sizeof(msg),
                       "The year the child was born must be %d or later: this is for children "
                       "under %d",
                       ty - CHILD_MAX, CHILD_MAX);
        problem = msg;
    } else if (any && c->born != NO_DAY && year != yy) {
        problem = "The year the child was born is not the year of the date of birth: correct "
                  "one of them, or leave the year empty";
    } else if (!any) {
        /* the younger of the two possible ages, as the rules take it */
        c->age = ty - year - 1 > 0 ? ty - year - 1 : 0;
        c->about = true;
        c->dob = json_pack("{s:i}", "year", year);
    }
    if (problem != NULL && check) {
        pw__page_error(pg, "approx-year", problem);
    }
}

/* The other names typed, one a line: [{given, family?}], the last word of a line the family
 * name. New reference. */
static json_t *
other_names(const char *text)
{
    json_t *names = json_array();
    const char *p = text;
    while (*p != '\0') {
        size_t n = strcspn(p, "\r\n");
        char *line = pw_xstrndup(p, n);
        json_t *t = pw__concern_trimmed(line);
        free(line);
        const char *s = json_string_value(t);
        if (s != NULL && s[0] != '\0') {
            const char *last = strrchr(s, ' ');
            json_t *name = json_object();
            if (last != NULL) {
                char *given = pw_xstrndup(s, (size_t)(last - s));
                (void)json_object_set_new(name, "given", pw__concern_trimmed(given));
                free(given);
                (void)json_object_set_new(name, "family", json_string(last + 1));
            } else {
                (void)json_object_set_new(name, "given", json_string(s));
            }
            (void)json_object_set_new(name, "kind", json_string("known_as"));
            (void)json_array_append_new(names, name);
        }
        json_decref(t);
        p += n;
        p += strspn(p, "\r\n");
    }
    return names;
}

/* Checks who the child is; an error for each problem. */
static void
check_identity(struct pw__page *pg, const json_t *v, struct child *c)
{
    const char *given = val(v, "given");
    const char *family = val(v, "family");
    bool has_id = val(v, "nhs")[0] != '\0' || val(v, "id_value")[0] != '\0';
    if (given[0] == '\0' && family[0] == '\0') {
        pw__page_error(pg, "given",
                       has_id ? "Enter the child's given name or family name: a record needs a "
                                "name, even with an identifier"
                              : "Enter the child's given name and family name, or an identifier "
                                "such as their NHS number");
    } else if (given[0] == '\0' && !has_id) {
        pw__page_error(pg, "given",
                       "Enter the child's given name, or an identifier such as their NHS number");
    } else if (family[0] == '\0' && !has_id) {
        pw__page_error(pg, "family",
                       "Enter the child's family name, or an identifier such as their NHS number");
    }
    pw__concern_check_short(pg, v, "given", "given", "The given name");
    pw__concern_check_short(pg, v, "family", "family", "The family name");
    json_t *others = other_names(val(v, "other_names"));
    size_t i;
    json_t *n;
    bool long_name = false;
    json_array_foreach(others, i, n)
    {
        long_name = long_name || strlen(val(n, "given")) > SHORT_MAX ||
                    strlen(val(n, "family")) > SHORT_MAX;
    }
    if (json_array_size(others) > OTHER_NAMES) {
        char msg[128];
        (void)snprintf(msg, sizeof(msg), "Enter up to %d other names, one a line", OTHER_NAMES);
        pw__page_error(pg, "other-names", msg);
    } else if (long_name) {
        char msg[128];
        (void)snprintf(msg, sizeof(msg), "Each other name must be %d characters or fewer",
                       SHORT_MAX);
        pw__page_error(pg, "other-names", msg);
    }
    json_decref(others);
    read_dob(pg, v, c, true);
    const char *sex = val(v, "sex");
    bool sex_ok = sex[0] == '\0';
    for (size_t k = 0; k < sizeof(sexes) / sizeof(sexes[0]); k++) {
        sex_ok = sex_ok || strcmp(sex, sexes[k].value) == 0;
    }
    if (!sex_ok) {
        pw__page_error(pg, "sex", "Select the child's sex");
    }
    char postcode[64];
    postcode_of(val(v, "postcode"), postcode, sizeof(postcode));
    if (val(v, "town")[0] != '\0' && val(v, "line1")[0] == '\0' && postcode[0] == '\0') {
        pw__page_error(pg, "address-line1",
                       "Enter the first line of the address or its postcode, or leave the town "
                       "empty");
    }
    pw__concern_check_short(pg, v, "line1", "address-line1", "Address line 1");
    pw__concern_check_short(pg, v, "town", "address-town", "The town or city");
    if (val(v, "postcode")[0] != '\0' && !postcode_ok(postcode)) {
        pw__page_error(pg, "address-postcode", "Enter a real postcode, like LS6 2AB");
    }
    pw__concern_check_short(pg, v, "school", "school", "The school, nursery or college");
    char nhs[64];
    nhs_digits(val(v, "nhs"), nhs, sizeof(nhs));
    if (val(v, "nhs")[0] != '\0' && !all_digits(nhs, 10, 10)) {
        pw__page_error(pg, "nhs", "Enter the NHS number as 10 digits, like 943 476 5919");
    }
    const char *kind = val(v, "id_kind");
    const char *value = val(v, "id_value");
    bool kind_ok = kind[0] == '\0';
    for (size_t k = 0; k < sizeof(id_kinds) / sizeof(id_kinds[0]); k++) {
        kind_ok = kind_ok || strcmp(kind, id_kinds[k].value) == 0;
    }
    if (!kind_ok || (kind[0] == '\0' && value[0] != '\0')) {
        pw__page_error(pg, "id-kind", "Select what kind of number the other identifier is");
    } else if (kind[0] != '\0' && value[0] == '\0') {
        pw__page_error(pg, "id-value", "Enter the other identifier, or select no kind of number");
    }
    if (strlen(value) > IDENT_MAX || !printable_ascii(value)) {
        char msg[160];
        (void)snprintf(msg, sizeof(msg),
                       "The other identifier must be up to %d letters, digits and symbols",
                       IDENT_MAX);
        pw__page_error(pg, "id-value", msg);
    }
    const char *eth = val(v, "ethnicity");
    if (eth[0] != '\0' && !pw__concern_is_ethnicity(eth)) {
        pw__page_error(pg, "ethnicity", "Select the child's ethnicity from the list");
    }
    pw__concern_check_short(pg, v, "language", "language", "The first language");
    const char *interp = val(v, "interpreter");
    if (interp[0] != '\0' && strcmp(interp, "yes") != 0 && strcmp(interp, "no") != 0) {
        pw__page_error(pg, "interpreter", "Select whether the child needs an interpreter");
    }
    const char *comm = val(v, "communication");
    if (comm[0] != '\0' && !pw__concern_is_communication(comm)) {
        pw__page_error(pg, "communication", "Select how the child communicates");
    }
}

/* The child's name as typed ("Maya Okafor"), or "the child" when no name is given (false). */
static bool
child_name(const json_t *v, char *out, size_t size)
{
    const char *given = val(v, "given");
    const char *family = val(v, "family");
    if (given[0] == '\0' && family[0] == '\0') {
        (void)snprintf(out, size, "%s", FIRST);
        return false;
    }
    (void)snprintf(out, size, "%s%s%s", given, given[0] != '\0' && family[0] != '\0' ? " " : "",
                   family);
    return true;
}

/* ---- The page ---- */

static json_t *
sex_list(const json_t *v)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < sizeof(sexes) / sizeof(sexes[0]); i++) {
        char input_id[16] = "sex";
        if (i > 0) {
            (void)snprintf(input_id, sizeof(input_id), "sex-%zu", i + 1);
        }
        json_t *row =
            json_pack("{s:s,s:s,s:s,s:b}", "input_id", input_id, "value", sexes[i].value, "text",
                      sexes[i].text, "selected", strcmp(val(v, "sex"), sexes[i].value) == 0);
        if (sexes[i].hint != NULL) {
            (void)json_object_set_new(row, "hint", json_string(sexes[i].hint));
        }
        (void)json_array_append_new(rows, row);
    }
    return rows;
}

static json_t *
id_kind_list(const json_t *v)
{
    json_t *rows = json_array();
    (void)json_array_append_new(rows, json_pack("{s:s,s:s,s:b}", "value", "", "text",
                                                "Select the kind of number", "selected",
                                                val(v, "id_kind")[0] == '\0'));
    for (size_t i = 0; i < sizeof(id_kinds) / sizeof(id_kinds[0]); i++) {
        (void)json_array_append_new(
            rows, json_pack("{s:s,s:s,s:b}", "value", id_kinds[i].value, "text", id_kinds[i].text,
                            "selected", strcmp(val(v, "id_kind"), id_kinds[i].value) == 0));
    }
    return rows;
}

/* Renders the form with v (stolen) and, after a trial, what saving would do (stolen). */
static void
render_form(struct pw__page *pg, json_t *v, json_t *trial)
{
    struct child c;
    read_dob(pg, v, &c, false);
    json_decref(c.dob);
    pw__concern_flags(v);
    json_t *data = json_object();
    /* The shared sections name the child: by the child's name once known, on record. */
    (void)json_object_set_new(data, "first", json_string("the child"));
    (void)json_object_set_new(data, "identity_optional", json_true());
    (void)json_object_set_new(data, "First", json_string("The child"));
    (void)json_object_set_new(data, "age_known", json_boolean(c.age >= 0));
    (void)json_object_set_new(data, "age", json_integer(c.age >= 0 ? c.age : 0));
    (void)json_object_set_new(data, "age_about", json_boolean(c.about));
    (void)json_object_set_new(data, "categories", pw__concern_categories(pg, c.age, true, v));
    (void)json_object_set_new(data, "sexes", sex_list(v));
    (void)json_object_set_new(data, "id_kinds", id_kind_list(v));
    (void)json_object_set_new(data, "ethnicities",
                              pw__concern_ethnicities(val(v, "ethnicity"), NULL, "Not known"));
    (void)json_object_set_new(data, "communications",
                              pw__concern_communication_view(val(v, "communication")));
    (void)json_object_set_new(data, "trial", trial != NULL ? trial : json_null());
    (void)json_object_set_new(data, "v", v);
    pw__page_render(pg, "raise", "Raise a concern about a child", data);
}

/* ---- Saving ---- */

/* The new record's person id: "web-child-<token>". */
static void
child_id(const json_t *v, char *out, size_t size)
{
    (void)snprintf(out, size, "web-child-%s", val(v, "token"));
}

/* A fact's envelope: type, id "web-<token>-<suffix>", today, the user's agency. New. */
static json_t *
envelope(const struct pw__page *pg, const json_t *v, const char *type, const char *suffix)
{
    char id[PW_ID_MAX + 1];
    char today[PW_DATE_TEXT_MAX];
    (void)snprintf(id, sizeof(id), "web-%s-%s", val(v, "token"), suffix);
    pw_date_format(pw__page_today(pg), today);
    return json_pack("{s:s,s:s,s:s,s:s}", "type", type, "id", id, "at", today, "agency",
                     pg->p->user->agency);
}

static void
set_if(json_t *o, const char *key, const char *text)
{
    if (text[0] != '\0') {
        (void)json_object_set_new(o, key, json_string(text));
    }
}

/* The child's registration: a new record. New. */
static json_t *
registration(const struct pw__page *pg, const json_t *v, const struct child *c, const char *child)
{
    json_t *reg = envelope(pg, v, "person.registered", "reg");
    (void)json_object_set_new(reg, "person", json_string(child));
    json_t *names = json_array();
    json_t *name = json_object();
    set_if(name, "given", val(v, "given"));
    set_if(name, "family", val(v, "family"));
    (void)json_array_append_new(names, name);
    json_t *others = other_names(val(v, "other_names"));
    (void)json_array_extend(names, others);
    json_decref(others);
    (void)json_object_set_new(reg, "names", names);
    if (c->dob != NULL) {
        (void)json_object_set(reg, "dob", c->dob);
    }
    set_if(reg, "sex", val(v, "sex"));
    set_if(reg, "ethnicity", val(v, "ethnicity"));
    set_if(reg, "language", val(v, "language"));
    if (val(v, "interpreter")[0] != '\0') {
        (void)json_object_set_new(reg, "interpreter_needed",
                                  json_boolean(strcmp(val(v, "interpreter"), "yes") == 0));
    }
    set_if(reg, "communication", val(v, "communication"));
    json_t *ids = json_object();
    char nhs[64];
    nhs_digits(val(v, "nhs"), nhs, sizeof(nhs));
    set_if(ids, "nhs", nhs);
    if (val(v, "id_kind")[0] != '\0') {
        set_if(ids, val(v, "id_kind"), val(v, "id_value"));
    }
    if (json_object_size(ids) > 0) {
        (void)json_object_set_new(reg, "identifiers", ids);
    } else {
        json_decref(ids);
    }
    return reg;
}

/* The facts to record, in the order the rules need them (the child before the concern about
 * them); places gets the index of the residence, of the school (SIZE_MAX when not sent) and of
 * the concern. New reference. */
static json_t *
build_facts(const struct pw__page *pg, const json_t *v, const struct child *c, int32_t day,
            size_t places[3])
{
    char child[PW_ID_MAX + 1];
    child_id(v, child, sizeof(child));
    json_t *facts = json_array();
    (void)json_array_append_new(facts, registration(pg, v, c, child));
    places[0] = SIZE_MAX;
    places[1] = SIZE_MAX;
    char postcode[64];
    postcode_of(val(v, "postcode"), postcode, sizeof(postcode));
    if (val(v, "line1")[0] != '\0' || postcode[0] != '\0') {
        json_t *res = envelope(pg, v, "residence.recorded", "res");
        json_t *address = json_object();
        set_if(address, "line1", val(v, "line1"));
        set_if(address, "town", val(v, "town"));
        set_if(address, "postcode", postcode);
        (void)json_object_set_new(res, "person", json_string(child));
        (void)json_object_set_new(res, "address", address);
        places[0] = json_array_size(facts);
        (void)json_array_append_new(facts, res);
    }
    if (val(v, "school")[0] != '\0') {
        json_t *school = envelope(pg, v, "school.recorded", "sch");
        (void)json_object_set_new(school, "child", json_string(child));
        (void)json_object_set_new(school, "setting", json_string(val(v, "school")));
        places[1] = json_array_size(facts);
        (void)json_array_append_new(facts, school);
    }
    /* Who else is involved goes into the narrative, before the child's words. */
    json_t *vc = json_copy((json_t *)(uintptr_t)v);
    const char *others = val(v, "others");
    if (others[0] != '\0') {
        struct pw_buf b;
        pw_buf_init(&b, 0);
        pw_buf_adds(&b, val(v, "narrative"));
        pw_buf_adds(&b, val(v, "narrative")[0] != '\0' ? "\n\n" : "");
        pw_buf_adds(&b, "Who else is involved: ");
        pw_buf_adds(&b, others);
        (void)json_object_set_new(vc, "narrative", json_stringn(pw_buf_cstr(&b), b.len));
        pw_buf_release(&b);
    }
    places[2] = json_array_size(facts);
    (void)json_array_append_new(facts, pw__concern_fact(pg, vc, day, child, NULL));
    json_decref(vc);
    return facts;
}

/* Where on the form an API complaint about field belongs. */
static void
place_of(const char *field, const json_t *v, const size_t places[3], struct pw__concern_place *out)
{
    if (pw__concern_place_of(field, places[2], v, out)) {
        return;
    }
    static const struct {
        size_t fact; /* 0 the registration, 1 the residence, 2 the school */
        const char *suffix;
        const char *id;
        const char *words;
    } map[] = {
        { 0, ".names", "given", "The child's name" },
        { 0, ".dob", "dob-day", "The date of birth" },
        { 0, ".sex", "sex", "The child's sex" },
        { 0, ".ethnicity", "ethnicity", "The ethnicity" },
        { 0, ".language", "language", "The first language" },
        { 0, ".interpreter_needed", "interpreter", "Whether an interpreter is needed" },
        { 0, ".communication", "communication", "How the child communicates" },
        { 0, ".identifiers.nhs", "nhs", "The NHS number" },
        { 0, ".identifiers", "id-value", "The other identifier" },
        { 0, "", "given", "The child's details" },
        { 1, ".address.postcode", "address-postcode", "The postcode" },
        { 1, ".address.town", "address-town", "The town or city" },
        { 1, "", "address-line1", "The address" },
        { 2, "", "school", "The school, nursery or college" },
    };
    size_t index[3] = { 0, places[0], places[1] };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        char prefix[64];
        if (index[map[i].fact] == SIZE_MAX) {
            continue;
        }
        (void)snprintf(prefix, sizeof(prefix), "[%zu]%s", index[map[i].fact], map[i].suffix);
        if (strncmp(field, prefix, strlen(prefix)) == 0) {
            out->id = map[i].id;
            (void)snprintf(out->words, sizeof(out->words), "%s", map[i].words);
            return;
        }
    }
}

/* The confirmation: the reference, what happens next, and the record if the user may read it. */
static void
render_done(struct pw__page *pg, const json_t *v, const struct child *c)
{
    char child[PW_ID_MAX + 1];
    char name[512];
    char reference[PW_ID_MAX + 1];
    child_id(v, child, sizeof(child));
    bool named = child_name(v, name, sizeof(name));
    (void)snprintf(reference, sizeof(reference), "c-web-%s", val(v, "token"));
    json_t *summary = NULL;
    struct pw_error err;
    pw_error_clear(&err);
    /* asked of the policy and logged, as every read of a record is: a refusal only means no
     * link */
    bool readable = pw__page_get(pg, "/api/children/", child, "", &summary, &err) == PW_OK;
    json_decref(summary);
    json_t *born = json_null();
    if (json_is_string(c->dob)) {
        born = pw__words_date_json(json_string_value(c->dob));
    } else if (c->dob != NULL) {
        char year[32];
        (void)snprintf(year, sizeof(year), "about %lld",
                       (long long)json_integer_value(json_object_get(c->dob, "year")));
        born = json_string(year);
    }
    json_t *data =
        json_pack("{s:s,s:s,s:s,s:b,s:o,s:b}", "reference", reference, "child", child, "name",
                  named ? name : "the child", "named", named, "born", born, "readable", readable);
    pw__page_render(pg, "raise_done", "Your concern has been recorded", data);
}

/* Whether the user's role may raise a concern at all; if not, the page says so. */
static bool
may_raise(struct pw__page *pg)
{
    struct pw_access_decision d =
        pw_access_decide(pg->p->user, PW_ACTION_RAISE_CONCERN, NULL, pg->p->now_us);
    if (!d.allow) {
        char msg[512];
        (void)snprintf(msg, sizeof(msg),
                       "Your role cannot record a concern (%.300s). If you are worried about a "
                       "child, tell a practitioner or your safeguarding lead today, or call 999 "
                       "if the child is in immediate danger.",
                       d.reason);
        pw__page_fail(pg, 403, "You cannot raise a concern", msg);
    }
    return d.allow;
}

void
pw__page_raise(struct pw__page *pg)
{
    if (may_raise(pg)) {
        render_form(pg, default_values(pg), NULL);
    }
}

void
pw__page_raise_post(struct pw__page *pg)
{
    if (!may_raise(pg)) {
        return;
    }
    json_t *v = posted_values(pg);
    struct child c;
    check_identity(pg, v, &c);
    int32_t day = pw__concern_check(pg, v, c.born, FIRST);
    if (pg->errors != NULL) {
        json_decref(c.dob);
        pg->resp->status = 400;
        render_form(pg, v, NULL);
        return;
    }
    bool trial = strcmp(pw__form_text(&pg->form, "action"), "check") == 0;
    size_t places[3];
    json_t *facts = build_facts(pg, v, &c, day, places);
    json_t *out = NULL;
    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc =
        pw__page_api(pg, "POST", trial ? "/api/facts?trial=1" : "/api/facts", facts, &out, &err);
    json_decref(facts);
    if (rc == PW_OK && !trial) {
        render_done(pg, v, &c);
        json_decref(v);
    } else if (rc == PW_OK) {
        /* the new child is not on record yet: the alerts name them as typed */
        char child[PW_ID_MAX + 1];
        char name[512];
        child_id(v, child, sizeof(child));
        (void)child_name(v, name, sizeof(name));
        json_t *names = json_pack("{s:s}", child, name);
        render_form(pg, v, pw__concern_trial(out, names, false));
        json_decref(names);
    } else if (rc == PW_EBLOCKED || rc == PW_EINVAL || rc == PW_ECONFLICT) {
        struct pw__concern_place at;
        place_of(err.field, v, places, &at);
        char msg[512];
        if (rc == PW_ECONFLICT) {
            (void)snprintf(msg, sizeof(msg),
                           "This concern was saved already (reference c-web-%s), with something "
                           "different: save again if you mean to record another concern",
                           val(v, "token"));
            pw__page_error(pg, "narrative", msg);
            pw__concern_new_token(v); /* a second save records a new concern */
        } else if (rc == PW_EINVAL && strcmp(at.id, "nhs") == 0) {
            /* the model's words: "is not a valid NHS number: the check digit is wrong" */
            const char *why = strstr(err.msg, ": ");
            (void)snprintf(msg, sizeof(msg),
                           "The NHS number is not valid (%.200s): check it and enter it again",
                           why != NULL ? why + 2 : err.msg);
            pw__page_error(pg, at.id, msg);
        } else if (rc == PW_EINVAL && err.field[0] == '[' && strchr(err.field, '.') != NULL) {
            (void)snprintf(msg, sizeof(msg), "%s %.300s", at.words, err.msg);
            pw__page_error(pg, at.id, msg);
        } else {
            pw__page_error(pg, at.id, err.msg);
        }
        pg->resp->status = rc == PW_EBLOCKED ? 422 : (rc == PW_ECONFLICT ? 409 : 400);
        render_form(pg, v, NULL);
    } else if (rc == PW_EFORBIDDEN) {
        /* The policy refused: said in its words, with everything typed kept. */
        const char *why = strstr(err.msg, ": ");
        char msg[512];
        (void)snprintf(msg, sizeof(msg),
                       "Your concern could not be recorded (%.300s). Nothing has been saved: "
                       "copy what you wrote and give it to your safeguarding lead today",
                       why != NULL ? why + 2 : err.msg);
        pw__page_error(pg, "narrative", msg);
        pg->resp->status = 403;
        render_form(pg, v, NULL);
    } else {
        json_decref(v);
        pw__page_api_fail(pg, rc, &err);
    }
    json_decref(c.dob);
    json_decref(out);
}
