/*
 * What the two pages that record a concern share (concern_form.h): page_concern.c about a child
 * on record, page_raise.c about a child the user may not read or one not on record yet.
 */
#include "web/concern_form.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "model/model.h"

#define TOKEN_HEX 32

const struct pw__concern_communication pw__concern_communications[] = {
    { "verbal", "Speaks in words", "Can tell someone what happened, in words." },
    { "limited_verbal", "A few words",
      "Speaks a little, or finds words hard: use pictures, "
      "signs or an intermediary too." },
    { "non_verbal", "Does not speak",
      "Communicates by signs, symbols, pictures, behaviour or "
      "a device." },
    { "pre_verbal", "Not speaking yet", "A baby or young child who does not talk yet." },
};
const size_t pw__concern_communications_count =
    sizeof(pw__concern_communications) / sizeof(pw__concern_communications[0]);

static const char *const disclosure_kinds[] = { "verbal", "partial", "behavioural", "none" };
#define DISCLOSURE_KINDS (sizeof(disclosure_kinds) / sizeof(disclosure_kinds[0]))

/* ---- The values of the form ---- */

const char *
pw__concern_val(const json_t *v, const char *key)
{
    const char *s = json_string_value(json_object_get(v, key));
    return s != NULL ? s : "";
}

bool
pw__concern_in_list(const json_t *list, const char *s)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (strcmp(json_string_value(x), s) == 0) {
            return true;
        }
    }
    return false;
}

void
pw__concern_set_text(json_t *v, const char *key, const char *text)
{
    (void)json_object_set_new(v, key, json_string(text != NULL ? text : ""));
}

json_t *
pw__concern_trimmed(const char *text)
{
    size_t n = strlen(text);
    size_t lead = strspn(text, " \t\r\n");
    while (n > lead && strchr(" \t\r\n", text[n - 1]) != NULL) {
        n--;
    }
    return json_stringn(text + lead, n - lead);
}

void
pw__concern_new_token(json_t *v)
{
    char token[PW_ID_RANDOM_TEXT];
    pw_id_random(token, sizeof(token), NULL);
    pw__concern_set_text(v, "token", token);
}

static bool
token_ok(const char *t)
{
    if (t == NULL || strlen(t) != TOKEN_HEX) {
        return false;
    }
    for (size_t i = 0; i < TOKEN_HEX; i++) {
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

static bool
form_has(const struct pw__page *pg, const char *name, const char *value)
{
    for (size_t i = 0; i < pg->form.n; i++) {
        if (strcmp(pg->form.fields[i].name, name) == 0 &&
            strcmp(pg->form.fields[i].value, value) == 0) {
            return true;
        }
    }
    return false;
}

void
pw__concern_defaults(const struct pw__page *pg, json_t *v)
{
    int y = 0;
    int m = 0;
    int d = 0;
    pw_date_to_ymd(pw__page_today(pg), &y, &m, &d);
    char text[16];
    (void)snprintf(text, sizeof(text), "%d", d);
    pw__concern_set_text(v, "day", text);
    (void)snprintf(text, sizeof(text), "%d", m);
    pw__concern_set_text(v, "month", text);
    (void)snprintf(text, sizeof(text), "%d", y);
    pw__concern_set_text(v, "year", text);
    static const char *const empty[] = { "disclosure", "to", "words", "narrative", "source" };
    for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
        pw__concern_set_text(v, empty[i], "");
    }
    (void)json_object_set_new(v, "indicators", json_array());
    (void)json_object_set_new(v, "notes", json_object());
    pw__concern_new_token(v);
}

void
pw__concern_posted(const struct pw__page *pg, json_t *v)
{
    static const struct {
        const char *key;
        const char *field;
    } texts[] = {
        { "day", "seen-day" },
        { "month", "seen-month" },
        { "year", "seen-year" },
        { "disclosure", "disclosure" },
        { "to", "to" },
        { "words", "words" },
        { "narrative", "narrative" },
        { "source", "source" },
        { "ethnicity", "ethnicity" },
        { "language", "language" },
        { "interpreter", "interpreter" },
        { "communication", "communication" },
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        (void)json_object_set_new(v, texts[i].key,
                                  pw__concern_trimmed(pw__form_text(&pg->form, texts[i].field)));
    }
    const struct pw_taxonomy *t = pw_taxonomy_shipped();
    json_t *ticked = json_array();
    json_t *notes = json_object();
    for (size_t i = 0; i < pw_taxonomy_count(t); i++) {
        const struct pw_indicator *ind = pw_taxonomy_at(t, i);
        char field[PW_ID_MAX + 8];
        (void)snprintf(field, sizeof(field), "note-%s", ind->code);
        json_t *note = pw__concern_trimmed(pw__form_text(&pg->form, field));
        if (json_string_length(note) > 0) {
            (void)json_object_set_new(notes, ind->code, note);
        } else {
            json_decref(note);
        }
        if (form_has(pg, "indicator", ind->code)) {
            (void)json_array_append_new(ticked, json_string(ind->code));
        }
    }
    (void)json_object_set_new(v, "indicators", ticked);
    (void)json_object_set_new(v, "notes", notes);
    const char *token = pw__form_get(&pg->form, "token");
    if (token_ok(token)) {
        pw__concern_set_text(v, "token", token);
    } else {
        pw__concern_new_token(v);
    }
}

void
pw__concern_flags(json_t *v)
{
    for (size_t i = 0; i < DISCLOSURE_KINDS; i++) {
        char key[32];
        (void)snprintf(key, sizeof(key), "disclosure_%s", disclosure_kinds[i]);
        (void)json_object_set_new(
            v, key,
            json_boolean(strcmp(pw__concern_val(v, "disclosure"), disclosure_kinds[i]) == 0));
    }
    (void)json_object_set_new(v, "interpreter_yes",
                              json_boolean(strcmp(pw__concern_val(v, "interpreter"), "yes") == 0));
    (void)json_object_set_new(v, "interpreter_no",
                              json_boolean(strcmp(pw__concern_val(v, "interpreter"), "no") == 0));
}

/* ---- Choices ---- */

bool
pw__concern_is_ethnicity(const char *s)
{
    for (size_t i = 0; pw__words_ethnicity_code(i) != NULL; i++) {
        if (strcmp(pw__words_ethnicity_code(i), s) == 0) {
            return true;
        }
    }
    return false;
}

bool
pw__concern_is_communication(const char *s)
{
    for (size_t i = 0; i < pw__concern_communications_count; i++) {
        if (strcmp(s, pw__concern_communications[i].value) == 0) {
            return true;
        }
    }
    return false;
}

/* The strength of ind at every age band, in words. New reference. */
static json_t *
strength_by_age(const struct pw_taxonomy *t, const struct pw_indicator *ind)
{
    struct pw_buf b;
    pw_buf_init(&b, 0);
    for (size_t i = 0; i < pw_taxonomy_band_count(t); i++) {
        const struct pw_band *band = pw_taxonomy_band(t, i);
        pw_buf_addf(&b, "%s%s: %s", i == 0 ? "" : "; ", band->name,
                    pw_strength_name(ind->strength[i]));
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    return out;
}

/* The category of cats named code, added (empty) when it is not there yet. Borrowed. */
static json_t *
category_of(json_t *cats, const struct pw_indicator *ind)
{
    size_t k;
    json_t *c;
    json_array_foreach(cats, k, c)
    {
        if (strcmp(pw__concern_val(c, "category"), ind->category) == 0) {
            return c;
        }
    }
    c = json_pack("{s:s,s:s,s:i,s:i,s:[]}", "category", ind->category, "category_name",
                  ind->category_name, "count", 0, "ticked", 0, "signs");
    (void)json_array_append_new(cats, c);
    return c;
}

json_t *
pw__concern_categories(const struct pw__page *pg, int age, bool neutral, const json_t *v)
{
    const struct pw_taxonomy *t = pw_taxonomy_shipped();
    json_t *cats = json_array();
    json_t *cat = NULL;
    const char *current = NULL;
    bool unchosen = neutral && age < 0;
    for (size_t i = 0; i < pw_taxonomy_count(t); i++) {
        const struct pw_indicator *ind = pw_taxonomy_at(t, i);
        if (current == NULL || strcmp(current, ind->category) != 0) {
            /* a category's signs are together in the taxonomy's order; join any that are not */
            cat = category_of(cats, ind);
            current = ind->category;
        }
        enum pw_strength st = pw_taxonomy_strength(t, ind, age);
        bool checked = pw__concern_in_list(json_object_get(v, "indicators"), ind->code);
        char field[PW_ID_MAX + 8];
        (void)snprintf(field, sizeof(field), "ind-%s", ind->code);
        const json_t *error =
            pg->field_errors != NULL ? json_object_get(pg->field_errors, field) : NULL;
        const json_t *note = json_object_get(json_object_get(v, "notes"), ind->code);
        (void)json_array_append_new(
            json_object_get(cat, "signs"),
            json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:O,s:s,s:o}", "code", ind->code, "sign_name",
                      ind->name, "guidance", ind->guidance, "strength",
                      unchosen ? "" : pw_strength_name(st), "suspect",
                      !unchosen && st == PW_STRENGTH_SUSPECT, "sign_checked", checked, "sign_error",
                      error != NULL ? error : json_null(), "sign_note",
                      note != NULL ? json_string_value(note) : "", "by_age",
                      unchosen ? strength_by_age(t, ind) : json_null()));
        (void)json_object_set_new(
            cat, "count", json_integer(json_integer_value(json_object_get(cat, "count")) + 1));
        if (checked || error != NULL) {
            (void)json_object_set_new(
                cat, "ticked",
                json_integer(json_integer_value(json_object_get(cat, "ticked")) + 1));
        }
    }
    return cats;
}

json_t *
pw__concern_ethnicities(const char *chosen, const char *recorded, const char *empty_text)
{
    json_t *eths = json_array();
    bool none = recorded == NULL || recorded[0] == '\0';
    if (chosen[0] == '\0' || none) {
        (void)json_array_append_new(eths, json_pack("{s:s,s:s,s:b}", "value", "", "text",
                                                    empty_text, "selected", chosen[0] == '\0'));
    }
    if (!none && !pw__concern_is_ethnicity(recorded)) {
        /* recorded in words rather than a code: kept as it is unless changed */
        (void)json_array_append_new(eths,
                                    json_pack("{s:s,s:s,s:b}", "value", recorded, "text", recorded,
                                              "selected", strcmp(chosen, recorded) == 0));
    }
    for (size_t i = 0; pw__words_ethnicity_code(i) != NULL; i++) {
        (void)json_array_append_new(
            eths, json_pack("{s:s,s:s,s:b}", "value", pw__words_ethnicity_code(i), "text",
                            pw__words_ethnicity(pw__words_ethnicity_code(i)), "selected",
                            strcmp(chosen, pw__words_ethnicity_code(i)) == 0));
    }
    return eths;
}

json_t *
pw__concern_communication_view(const char *chosen)
{
    json_t *comms = json_array();
    for (size_t i = 0; i < pw__concern_communications_count; i++) {
        char input_id[32] = "communication";
        if (i > 0) {
            (void)snprintf(input_id, sizeof(input_id), "communication-%zu", i + 1);
        }
        const struct pw__concern_communication *c = &pw__concern_communications[i];
        (void)json_array_append_new(comms,
                                    json_pack("{s:s,s:s,s:s,s:s,s:b}", "input_id", input_id,
                                              "value", c->value, "text", c->text, "hint", c->hint,
                                              "selected", strcmp(chosen, c->value) == 0));
    }
    return comms;
}

/* ---- Checks ---- */

static bool
all_digits(const char *s)
{
    if (s[0] == '\0') {
        return false;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
    }
    return true;
}

/* The date seen, checked: PW__CONCERN_NO_DAY (with the error added) when it is not a real past
 * date on or after the child's birth. */
static int32_t
check_date(struct pw__page *pg, const json_t *v, int32_t born, const char *first)
{
    const char *d = pw__concern_val(v, "day");
    const char *m = pw__concern_val(v, "month");
    const char *y = pw__concern_val(v, "year");
    if (d[0] == '\0' && m[0] == '\0' && y[0] == '\0') {
        pw__page_error(pg, "seen-day", "Enter the date it was seen or heard");
        return PW__CONCERN_NO_DAY;
    }
    if (d[0] == '\0' || m[0] == '\0' || y[0] == '\0') {
        pw__page_error(pg, "seen-day",
                       d[0] == '\0'   ? "The date it was seen or heard must include a day"
                       : m[0] == '\0' ? "The date it was seen or heard must include a month"
                                      : "The date it was seen or heard must include a year");
        return PW__CONCERN_NO_DAY;
    }
    if (!all_digits(d) || !all_digits(m) || !all_digits(y) || strlen(d) > 2 || strlen(m) > 2 ||
        strlen(y) != 4) {
        pw__page_error(pg, "seen-day",
                       "The date it was seen or heard must be a real date, for example 27 5 2025");
        return PW__CONCERN_NO_DAY;
    }
    int yy = (int)strtol(y, NULL, 10);
    int mm = (int)strtol(m, NULL, 10);
    int dd = (int)strtol(d, NULL, 10);
    if (!pw_date_valid(yy, mm, dd) || yy < 1900) {
        pw__page_error(pg, "seen-day",
                       "The date it was seen or heard must be a real date, for example 27 5 2025");
        return PW__CONCERN_NO_DAY;
    }
    int32_t day = pw_date_from_ymd(yy, mm, dd);
    if (day > pw__page_today(pg)) {
        pw__page_error(pg, "seen-day",
                       "The date it was seen or heard must be today or in the past");
        return PW__CONCERN_NO_DAY;
    }
    if (born != PW__CONCERN_NO_DAY && day < born) {
        char text[PW_DATE_TEXT_MAX];
        char words[64];
        char msg[512];
        pw_date_format(born, text);
        pw__words_date(text, words, sizeof(words));
        (void)snprintf(msg, sizeof(msg),
                       "The date it was seen or heard must be on or after %s's date of birth, %s",
                       first, words);
        pw__page_error(pg, "seen-day", msg);
        return PW__CONCERN_NO_DAY;
    }
    return day;
}

void
pw__concern_check_short(struct pw__page *pg, const json_t *v, const char *key, const char *field,
                        const char *what)
{
    if (strlen(pw__concern_val(v, key)) > PW__CONCERN_SHORT_MAX) {
        char msg[512];
        (void)snprintf(msg, sizeof(msg), "%s must be %d characters or fewer", what,
                       PW__CONCERN_SHORT_MAX);
        pw__page_error(pg, field, msg);
    }
}

static bool
is_disclosure_kind(const char *s)
{
    for (size_t i = 0; i < DISCLOSURE_KINDS; i++) {
        if (strcmp(s, disclosure_kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}

int32_t
pw__concern_check(struct pw__page *pg, const json_t *v, int32_t born, const char *first)
{
    int32_t day = check_date(pg, v, born, first);
    const char *kind = pw__concern_val(v, "disclosure");
    char msg[512];
    if (kind[0] != '\0' && !is_disclosure_kind(kind)) {
        (void)snprintf(msg, sizeof(msg), "Select whether %s told or showed anyone", first);
        pw__page_error(pg, "disclosure", msg);
    } else if ((pw__concern_val(v, "words")[0] != '\0' || pw__concern_val(v, "to")[0] != '\0') &&
               (kind[0] == '\0' || strcmp(kind, "none") == 0)) {
        (void)snprintf(msg, sizeof(msg),
                       "You have written what %s said or showed, or who they told: select how "
                       "%s told or showed it",
                       first, first);
        pw__page_error(pg, "disclosure", msg);
    }
    pw__concern_check_short(pg, v, "to", "disclosure-to", "Who the child told or showed");
    /* notes on signs not ticked (with JavaScript off every note box shows) */
    const struct pw_taxonomy *t = pw_taxonomy_shipped();
    const char *code;
    json_t *note;
    json_object_foreach((json_t *)(uintptr_t)json_object_get(v, "notes"), code, note)
    {
        if (!pw__concern_in_list(json_object_get(v, "indicators"), code)) {
            const struct pw_indicator *ind = pw_taxonomy_find(t, code);
            char field[PW_ID_MAX + 8];
            (void)snprintf(field, sizeof(field), "ind-%s", code);
            (void)snprintf(msg, sizeof(msg),
                           "Tick ‘%s’ to record your note about it, or delete the note",
                           ind != NULL ? ind->name : code);
            pw__page_error(pg, field, msg);
        }
    }
    bool says = json_array_size(json_object_get(v, "indicators")) > 0 ||
                (kind[0] != '\0' && strcmp(kind, "none") != 0) ||
                pw__concern_val(v, "narrative")[0] != '\0' ||
                pw__concern_val(v, "words")[0] != '\0';
    if (!says) {
        (void)snprintf(msg, sizeof(msg),
                       "Say what the concern is: what happened, what %s said or showed, or tick a "
                       "sign or indicator",
                       first);
        pw__page_error(pg, "narrative", msg);
    }
    pw__concern_check_short(pg, v, "source", "source", "Who raised the concern");
    return day;
}

/* ---- Saving ---- */

json_t *
pw__concern_narrative(const json_t *v)
{
    const char *narrative = pw__concern_val(v, "narrative");
    const char *words = pw__concern_val(v, "words");
    if (words[0] == '\0') {
        return narrative[0] != '\0' ? json_string(narrative) : NULL;
    }
    struct pw_buf b;
    pw_buf_init(&b, 0);
    if (narrative[0] != '\0') {
        pw_buf_adds(&b, narrative);
        pw_buf_adds(&b, "\n\n");
    }
    if (strcmp(pw__concern_val(v, "disclosure"), "behavioural") == 0) {
        pw_buf_adds(&b, "What the child showed: ");
        pw_buf_adds(&b, words);
    } else {
        pw_buf_adds(&b, "What the child said, in their words: \"");
        pw_buf_adds(&b, words);
        pw_buf_adds(&b, "\"");
    }
    json_t *out = json_stringn(pw_buf_cstr(&b), b.len);
    pw_buf_release(&b);
    return out;
}

json_t *
pw__concern_fact(const struct pw__page *pg, const json_t *v, int32_t day, const char *child,
                 const json_t *alleged)
{
    const char *token = pw__concern_val(v, "token");
    char at[PW_DATE_TEXT_MAX];
    pw_date_format(day, at);
    char fact_id[PW_ID_MAX + 1];
    char concern_id[PW_ID_MAX + 1];
    (void)snprintf(fact_id, sizeof(fact_id), "web-%s", token);
    (void)snprintf(concern_id, sizeof(concern_id), "c-web-%s", token);
    json_t *indicators = json_array();
    size_t i;
    json_t *code;
    json_array_foreach(json_object_get(v, "indicators"), i, code)
    {
        json_t *ind = json_pack("{s:O,s:s}", "code", code, "observed_at", at);
        const json_t *note = json_object_get(json_object_get(v, "notes"), json_string_value(code));
        if (note != NULL) {
            (void)json_object_set(ind, "note", (json_t *)(uintptr_t)note);
        }
        (void)json_array_append_new(indicators, ind);
    }
    json_t *concern =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s]}", "type", "concern.raised", "id", fact_id, "at", at,
                  "agency", pg->p->user->agency, "concern", concern_id, "children", child);
    if (json_array_size(indicators) > 0) {
        (void)json_object_set_new(concern, "indicators", indicators);
    } else {
        json_decref(indicators);
    }
    if (json_array_size(alleged) > 0) {
        (void)json_object_set(concern, "alleged", (json_t *)(uintptr_t)alleged);
    }
    const char *kind = pw__concern_val(v, "disclosure");
    if (kind[0] != '\0') {
        json_t *d = json_pack("{s:s}", "kind", kind);
        if (strcmp(kind, "none") != 0 && pw__concern_val(v, "to")[0] != '\0') {
            (void)json_object_set_new(d, "to", json_string(pw__concern_val(v, "to")));
        }
        (void)json_object_set_new(concern, "disclosure", d);
    }
    json_t *narrative = pw__concern_narrative(v);
    if (narrative != NULL) {
        (void)json_object_set_new(concern, "narrative", narrative);
    }
    if (pw__concern_val(v, "source")[0] != '\0') {
        (void)json_object_set_new(concern, "source", json_string(pw__concern_val(v, "source")));
    }
    return concern;
}

bool
pw__concern_place_of(const char *field, size_t index, const json_t *v,
                     struct pw__concern_place *out)
{
    static const struct {
        const char *suffix;
        const char *id;
        const char *words;
    } map[] = {
        { ".at", "seen-day", "The date it was seen or heard" },
        { ".disclosure.to", "disclosure-to", "Who the child told or showed" },
        { ".disclosure", "disclosure", "Whether the child told or showed anyone" },
        { ".alleged", "alleged", "Who is alleged" },
        { ".source", "source", "Who raised the concern" },
        { ".narrative", "narrative", "What happened" },
    };
    out->id = "narrative";
    (void)snprintf(out->words, sizeof(out->words), "%s", "The concern");
    char prefix[64];
    int n = snprintf(prefix, sizeof(prefix), "[%zu]", index);
    size_t plen = n > 0 ? (size_t)n : 0;
    if (strncmp(field, prefix, plen) != 0) {
        return false;
    }
    const char *rest = field + plen;
    if (strncmp(rest, ".indicators[", 12) == 0) {
        size_t k = strtoul(rest + 12, NULL, 10);
        const char *code = json_string_value(json_array_get(json_object_get(v, "indicators"), k));
        const struct pw_indicator *ind =
            code != NULL ? pw_taxonomy_find(pw_taxonomy_shipped(), code) : NULL;
        if (ind != NULL) {
            bool note = strstr(rest, ".note") != NULL;
            (void)snprintf(out->id_buf, sizeof(out->id_buf), "%s-%s", note ? "note" : "ind", code);
            out->id = out->id_buf;
            (void)snprintf(out->words, sizeof(out->words), "%s ‘%s’",
                           note ? "The note on" : "The sign", ind->name);
        }
        return true;
    }
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strncmp(rest, map[i].suffix, strlen(map[i].suffix)) == 0) {
            out->id = map[i].id;
            (void)snprintf(out->words, sizeof(out->words), "%s", map[i].words);
            return true;
        }
    }
    return false;
}

json_t *
pw__concern_trial(const json_t *out, const json_t *names, bool correction)
{
    json_t *raised = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(out, "raised"), i, a)
    {
        (void)json_array_append_new(raised, pw__alert_card(a, names));
    }
    size_t answered = json_array_size(json_object_get(out, "answered"));
    return json_pack("{s:o,s:i,s:b,s:b,s:i,s:b,s:b}", "raised", raised, "raised_count",
                     (int)json_array_size(raised), "raised_one", json_array_size(raised) == 1,
                     "answered", answered > 0, "answered_count", (int)answered, "answered_one",
                     answered == 1, "correction", correction);
}
