/*
 * The one walker over the field tables of schema.c. It validates a JSON object against a shape,
 * descending into objects and arrays and keeping the JSON path so every message says where the
 * problem is ("$.indicators[2].observed_at: ..."), and rewrites values into canonical form as
 * it goes (date-times to UTC, integers in real fields to reals). A second, read-only walk finds
 * the references a fact makes.
 *
 * Messages name paths, kinds, enumeration values and dates, never the content of free text:
 * a message may be shown or logged where the fact itself may not be. Only date-shaped input is
 * quoted back, and never a date of birth.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/model_int.h"

#define US_PER_DAY INT64_C(86400000000)

/* Longest key quoted in a path: keys come from input and are only there to be recognised. */
#define KEY_QUOTE_MAX 40
/* Most identifiers one person may carry, and the longest identifier value. */
#define IDMAP_MAX      32
#define IDENTIFIER_MAX 64

/* ---- Paths and failures ---- */

void
pw__path_init(struct pw__path *p)
{
    p->text[0] = '$';
    p->text[1] = '\0';
    p->len = 1;
}

static void
path_append(struct pw__path *p, const char *s, size_t n)
{
    size_t room = sizeof(p->text) - 1 - p->len;
    if (n > room) {
        n = room;
    }
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static bool
key_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

size_t
pw__path_key(struct pw__path *p, const char *key, size_t key_len)
{
    size_t old = p->len;
    char seg[KEY_QUOTE_MAX + 8];
    size_t take = key_len < KEY_QUOTE_MAX ? key_len : KEY_QUOTE_MAX;
    size_t k = 0;
    seg[k++] = '.';
    for (size_t i = 0; i < take; i++) {
        char c = key[i];
        if (!key_char_ok(c)) {
            c = '?';
        }
        seg[k++] = c;
    }
    for (size_t i = 0; key_len > take && i < 3; i++) {
        seg[k++] = '.'; /* an ellipsis: the key was longer */
    }
    path_append(p, seg, k);
    return old;
}

size_t
pw__path_index(struct pw__path *p, size_t i)
{
    size_t old = p->len;
    char seg[32];
    int k = snprintf(seg, sizeof(seg), "[%zu]", i);
    if (k > 0) {
        path_append(p, seg, (size_t)k);
    }
    return old;
}

void
pw__path_pop(struct pw__path *p, size_t len)
{
    if (len < p->len) {
        p->len = len;
        p->text[len] = '\0';
    }
}

enum pw_status
pw__fail_at(struct pw_error *err, const char *path, const char *fmt, ...)
{
    if (err == NULL || err->code != PW_OK) {
        return PW_EINVAL;
    }
    char text[384];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    /* The path goes in err->field, not the message: the CLI prints both, the API sends both. */
    pw_fail(err, PW_EINVAL, "%s", text);
    pw_error_field(err, path);
    return PW_EINVAL;
}

/* ---- What each kind expects, for messages ---- */

static const char *
kind_expects(enum pw__kind kind)
{
    switch (kind) {
    case PW__K_TYPE:
        return "a fact type (string)";
    case PW__K_STRING:
    case PW__K_TEXT:
        return "text (string)";
    case PW__K_ID:
        return "a fact id (string)";
    case PW__K_PERSON_REF:
    case PW__K_PERSON_DEF:
        return "a person id (string)";
    case PW__K_CONCERN_REF:
    case PW__K_CONCERN_DEF:
        return "a concern id (string)";
    case PW__K_EPISODE_REF:
    case PW__K_EPISODE_DEF:
        return "an episode id (string)";
    case PW__K_USER:
        return "a user id (string)";
    case PW__K_AGENCY:
        return "an agency (string)";
    case PW__K_ENUM:
        return "one of the listed values (string)";
    case PW__K_BOOL:
        return "true or false";
    case PW__K_INT:
        return "an integer";
    case PW__K_REAL:
        return "a number";
    case PW__K_DATE:
        return "a date (string YYYY-MM-DD)";
    case PW__K_WHEN:
        return "a date or date-time (string)";
    case PW__K_DOB:
        return "a date (string YYYY-MM-DD) or an object {year, month}";
    case PW__K_OBJECT:
        return "an object";
    case PW__K_ARRAY:
        return "an array";
    case PW__K_IDMAP:
        return "an object of identifiers";
    }
    return "a value";
}

static enum pw_status
wrong_type(const struct pw__walk *w, enum pw__kind kind, const json_t *v, struct pw_error *err)
{
    const char *got = pw__json_type_name(v);
    if (kind == PW__K_INT && json_is_real(v)) {
        got = "a number with a decimal point";
    }
    return pw__fail_at(err, w->path.text, "expected %s, got %s", kind_expects(kind), got);
}

/* ---- Scalars ---- */

static enum pw_status
walk_string(const struct pw__walk *w, const struct pw__field *f, const json_t *v,
            struct pw_error *err)
{
    if (!json_is_string(v)) {
        return wrong_type(w, f->kind, v, err);
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    bool text = f->kind == PW__K_TEXT;
    int64_t max = f->max != 0 ? f->max : (text ? PW__TEXT_MAX : PW__STRING_MAX);
    if ((int64_t)n > max) {
        return pw__fail_at(err, w->path.text, "is longer than %lld bytes", (long long)max);
    }
    bool blank = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        blank = blank && space;
        /* A short string is one line; free text may have lines and tabs. */
        if ((c < 0x20 || c == 0x7f) && !(text && space)) {
            return pw__fail_at(err, w->path.text, "contains a control character%s",
                               text ? "" : " (such as a line break)");
        }
    }
    if (blank) {
        return pw__fail_at(err, w->path.text, "is empty");
    }
    if (f->format != NULL && !f->format(s, n)) {
        return pw__fail_at(err, w->path.text, "expected %s", f->format_what);
    }
    return PW_OK;
}

static enum pw_status
walk_id(const struct pw__walk *w, const struct pw__field *f, const json_t *v, struct pw_error *err)
{
    if (!json_is_string(v)) {
        return wrong_type(w, f->kind, v, err);
    }
    if (!pw_id_valid(json_string_value(v), json_string_length(v))) {
        return pw__fail_at(err, w->path.text,
                           "is not a valid id (1 to %d letters, digits, '.', '_', ':' or '-', "
                           "starting with a letter or digit)",
                           PW_ID_MAX);
    }
    return PW_OK;
}

static enum pw_status
walk_enum(const struct pw__walk *w, enum pw__kind kind, const char *const *values, const json_t *v,
          struct pw_error *err)
{
    if (!json_is_string(v)) {
        return wrong_type(w, kind, v, err);
    }
    if (pw__enum_has(values, json_string_value(v), json_string_length(v))) {
        return PW_OK;
    }
    /* The value given is not quoted: it may be anything, even a name. */
    char list[320];
    size_t len = 0;
    for (size_t i = 0; values[i] != NULL; i++) {
        int k = snprintf(list + len, sizeof(list) - len, "%s%s", i == 0 ? "" : ", ", values[i]);
        if (k < 0 || (size_t)k >= sizeof(list) - len) {
            return pw__fail_at(err, w->path.text, "is not one of the allowed values");
        }
        len += (size_t)k;
    }
    return pw__fail_at(err, w->path.text, "expected one of %s", list);
}

/* True when s[0..n) holds only characters a date or date-time can have, so it may be quoted. */
static bool
date_shaped(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strchr("0123456789-:+.TZtz", s[i]) == NULL || s[i] == '\0') {
            return false;
        }
    }
    return true;
}

/* Turns a failure of the time module into one at this path, quoting the input only if safe. */
static enum pw_status
bad_date(const struct pw__walk *w, enum pw__kind kind, const json_t *v, const struct pw_error *why,
         struct pw_error *err)
{
    if (kind == PW__K_DOB) {
        return pw__fail_at(err, w->path.text, "is not a real date as YYYY-MM-DD");
    }
    if (!date_shaped(json_string_value(v), json_string_length(v))) {
        return pw__fail_at(err, w->path.text, "%s",
                           kind == PW__K_WHEN ? "expected a date as YYYY-MM-DD or a date-time as "
                                                "YYYY-MM-DDTHH:MM:SS with Z or an offset"
                                              : "expected a date as YYYY-MM-DD");
    }
    return pw__fail_at(err, w->path.text, "%s", why->msg);
}

static enum pw_status
walk_date(const struct pw__walk *w, enum pw__kind kind, const json_t *v, struct pw_error *err)
{
    if (!json_is_string(v)) {
        return wrong_type(w, kind, v, err);
    }
    struct pw_error why;
    pw_error_clear(&why);
    int32_t day = 0;
    if (pw_date_parse(json_string_value(v), json_string_length(v), &day, &why) != PW_OK) {
        return bad_date(w, kind, v, &why, err);
    }
    return PW_OK;
}

/* A date or date-time: checked, refused when in the future, and rewritten as UTC text. */
static enum pw_status
walk_when(const struct pw__walk *w, json_t *v, struct pw_error *err)
{
    if (!json_is_string(v)) {
        return wrong_type(w, PW__K_WHEN, v, err);
    }
    struct pw_error why;
    pw_error_clear(&why);
    struct pw_when when = { 0, false };
    if (pw_when_parse(json_string_value(v), json_string_length(v), &when, &why) != PW_OK) {
        return bad_date(w, PW__K_WHEN, v, &why, err);
    }
    char text[PW_WHEN_TEXT_MAX];
    pw_when_format(&when, text);
    /* Things that happened cannot be more than a day ahead of now: a typed 2062 for 2026. */
    int64_t now = w->opts != NULL ? w->opts->now_us : 0;
    if (now != 0 && now <= INT64_MAX - US_PER_DAY && when.us > now + US_PER_DAY) {
        return pw__fail_at(err, w->path.text, "%s is in the future", text);
    }
    if (strcmp(text, json_string_value(v)) != 0 && json_string_set(v, text) != 0) {
        return pw_fail(err, PW_EINTERNAL, "could not store a date-time");
    }
    return PW_OK;
}

static enum pw_status
walk_int(const struct pw__walk *w, const struct pw__field *f, const json_t *v, struct pw_error *err)
{
    if (!json_is_integer(v)) {
        return wrong_type(w, f->kind, v, err);
    }
    json_int_t i = json_integer_value(v);
    if (i < f->min || i > f->max) {
        return pw__fail_at(err, w->path.text, "must be from %lld to %lld", (long long)f->min,
                           (long long)f->max);
    }
    return PW_OK;
}

/*
 * A number in a real field. An integer (1) is replaced by the real (1.0), and -0.0 by 0.0, so
 * that one value has one canonical text.
 */
static enum pw_status
walk_real(const struct pw__walk *w, const struct pw__field *f, json_t *v, json_t **replace,
          struct pw_error *err)
{
    if (!json_is_number(v)) {
        return wrong_type(w, f->kind, v, err);
    }
    double d = json_number_value(v);
    if (!(d >= f->lo && d <= f->hi)) {
        return pw__fail_at(err, w->path.text, "must be from %g to %g", f->lo, f->hi);
    }
    if (json_is_integer(v) || d == 0.0) {
        *replace = json_real(d == 0.0 ? 0.0 : d);
    }
    return PW_OK;
}

/* ---- Containers ---- */

static enum pw_status walk_value(struct pw__walk *w, const struct pw__field *f, json_t *v,
                                 json_t **replace, struct pw_error *err);

static enum pw_status
walk_array(struct pw__walk *w, const struct pw__field *f, json_t *v, struct pw_error *err)
{
    if (!json_is_array(v)) {
        return wrong_type(w, f->kind, v, err);
    }
    size_t n = json_array_size(v);
    int64_t max = f->max != 0 ? f->max : PW__ARRAY_MAX;
    if ((int64_t)n < f->min) {
        return pw__fail_at(err, w->path.text, "needs at least %lld %s", (long long)f->min,
                           f->min == 1 ? "entry" : "entries");
    }
    if ((int64_t)n > max) {
        return pw__fail_at(err, w->path.text, "has more than %lld entries", (long long)max);
    }
    for (size_t i = 0; i < n; i++) {
        size_t mark = pw__path_index(&w->path, i);
        json_t *elem = json_array_get(v, i);
        json_t *replace = NULL;
        enum pw_status rc = walk_value(w, f->elem, elem, &replace, err);
        if (rc == PW_OK && replace != NULL) {
            /* Setting releases the old element: compare the new one below. */
            if (json_array_set_new(v, i, replace) != 0) {
                rc = pw_fail(err, PW_EINTERNAL, "could not store a value");
            }
            elem = json_array_get(v, i);
        }
        for (size_t j = 0; rc == PW_OK && f->unique && j < i; j++) {
            if (json_equal(json_array_get(v, j), elem)) {
                rc = pw__fail_at(err, w->path.text, "repeats entry [%zu]", j);
            }
        }
        pw__path_pop(&w->path, mark);
        if (rc != PW_OK) {
            return rc;
        }
    }
    return PW_OK;
}

/* identifiers: {scheme: value}. An NHS number must pass its check digit. */
static enum pw_status
walk_identifier(const struct pw__walk *w, const char *scheme, const json_t *v, struct pw_error *err)
{
    if (!pw__scheme_valid(scheme, strlen(scheme))) {
        return pw__fail_at(err, w->path.text,
                           "is not an identifier scheme (a lower case letter, then up to 31 "
                           "lower case letters, digits or _)");
    }
    if (!json_is_string(v)) {
        return pw__fail_at(err, w->path.text, "expected an identifier (string), got %s",
                           pw__json_type_name(v));
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    bool printable = n > 0 && n <= IDENTIFIER_MAX && s[0] != ' ' && s[n - 1] != ' ';
    for (size_t i = 0; printable && i < n; i++) {
        printable = s[i] >= 0x20 && s[i] < 0x7f;
    }
    if (!printable) {
        return pw__fail_at(err, w->path.text,
                           "expected an identifier of 1 to %d printable ASCII characters",
                           IDENTIFIER_MAX);
    }
    if (strcmp(scheme, "nhs") == 0 && !pw__nhs_number_valid(s, n)) {
        bool ten_digits = n == 10 && strspn(s, "0123456789") == 10;
        return pw__fail_at(err, w->path.text, "%s",
                           ten_digits ? "is not a valid NHS number: the check digit is wrong"
                                      : "is not a valid NHS number: expected 10 digits");
    }
    return PW_OK;
}

static enum pw_status
walk_idmap(struct pw__walk *w, json_t *v, struct pw_error *err)
{
    if (!json_is_object(v)) {
        return wrong_type(w, PW__K_IDMAP, v, err);
    }
    if (json_object_size(v) > IDMAP_MAX) {
        return pw__fail_at(err, w->path.text, "has more than %d identifiers", IDMAP_MAX);
    }
    const char *key = NULL;
    json_t *value = NULL;
    json_object_foreach(v, key, value)
    {
        size_t mark = pw__path_key(&w->path, key, strlen(key));
        enum pw_status rc = walk_identifier(w, key, value, err);
        pw__path_pop(&w->path, mark);
        if (rc != PW_OK) {
            return rc;
        }
    }
    return PW_OK;
}

/* A date of birth known only in part: {"year": 2014} or {"year": 2014, "month": 3}. */
static const struct pw__field dob_fields[] = {
    { .name = "year",
      .kind = PW__K_INT,
      .required = true,
      .min = PW_DATE_MIN_YEAR,
      .max = PW_DATE_MAX_YEAR },
    { .name = "month", .kind = PW__K_INT, .min = 1, .max = 12 },
    { .name = NULL },
};
static const struct pw__shape dob_shape = { dob_fields, NULL, NULL };

static enum pw_status
walk_dob(struct pw__walk *w, json_t *v, struct pw_error *err)
{
    if (json_is_string(v)) {
        return walk_date(w, PW__K_DOB, v, err);
    }
    if (json_is_object(v)) {
        const struct pw__shape *shapes[1] = { &dob_shape };
        return pw__walk_object(w, shapes, 1, v, err);
    }
    return wrong_type(w, PW__K_DOB, v, err);
}

static enum pw_status
walk_value(struct pw__walk *w, const struct pw__field *f, json_t *v, json_t **replace,
           struct pw_error *err)
{
    switch (f->kind) {
    case PW__K_TYPE:
        return json_is_string(v) ? PW_OK : wrong_type(w, f->kind, v, err);
    case PW__K_STRING:
    case PW__K_TEXT:
        return walk_string(w, f, v, err);
    case PW__K_ID:
    case PW__K_PERSON_REF:
    case PW__K_PERSON_DEF:
    case PW__K_CONCERN_REF:
    case PW__K_CONCERN_DEF:
    case PW__K_EPISODE_REF:
    case PW__K_EPISODE_DEF:
    case PW__K_USER:
        return walk_id(w, f, v, err);
    case PW__K_AGENCY:
        return walk_enum(w, f->kind, pw__agencies, v, err);
    case PW__K_ENUM:
        return walk_enum(w, f->kind, f->values, v, err);
    case PW__K_BOOL:
        return json_is_boolean(v) ? PW_OK : wrong_type(w, f->kind, v, err);
    case PW__K_INT:
        return walk_int(w, f, v, err);
    case PW__K_REAL:
        return walk_real(w, f, v, replace, err);
    case PW__K_DATE:
        return walk_date(w, f->kind, v, err);
    case PW__K_WHEN:
        return walk_when(w, v, err);
    case PW__K_DOB:
        return walk_dob(w, v, err);
    case PW__K_OBJECT: {
        if (!json_is_object(v)) {
            return wrong_type(w, f->kind, v, err);
        }
        const struct pw__shape *shapes[1] = { f->shape };
        return pw__walk_object(w, shapes, 1, v, err);
    }
    case PW__K_ARRAY:
        return walk_array(w, f, v, err);
    case PW__K_IDMAP:
        return walk_idmap(w, v, err);
    }
    return pw_fail(err, PW_EINTERNAL, "unknown field kind");
}

/* ---- Objects ---- */

static const struct pw__field *
shapes_field(const struct pw__shape *const *shapes, size_t nshapes, const char *key)
{
    for (size_t s = 0; s < nshapes; s++) {
        for (const struct pw__field *f = shapes[s]->fields; f->name != NULL; f++) {
            if (strcmp(f->name, key) == 0) {
                return f;
            }
        }
    }
    return NULL;
}

/* Fields the store adds on write; a fact carrying them was copied from an export. */
static const char *const server_fields[] = { "seq", "recorded_at", "hash", "prev_hash", NULL };

static enum pw_status
refuse_unknown(struct pw__walk *w, const struct pw__shape *const *shapes, size_t nshapes,
               json_t *obj, struct pw_error *err)
{
    const char *key = NULL;
    json_t *value = NULL;
    bool top = w->path.len == 1;
    json_object_foreach(obj, key, value)
    {
        if (shapes_field(shapes, nshapes, key) != NULL) {
            continue;
        }
        size_t n = strlen(key);
        size_t mark = pw__path_key(&w->path, key, n);
        enum pw_status rc =
            top && pw__enum_has(server_fields, key, n)
                ? pw__fail_at(err, w->path.text, "is added by the server, not part of a fact")
                : pw__fail_at(err, w->path.text, "unknown field");
        pw__path_pop(&w->path, mark);
        return rc;
    }
    return PW_OK;
}

/* Validates each field the shapes name, replacing values in obj by their canonical form. */
static enum pw_status
walk_fields(struct pw__walk *w, const struct pw__shape *shape, json_t *obj, struct pw_error *err)
{
    for (const struct pw__field *f = shape->fields; f->name != NULL; f++) {
        json_t *v = json_object_get(obj, f->name);
        size_t mark = pw__path_key(&w->path, f->name, strlen(f->name));
        enum pw_status rc = PW_OK;
        if (v == NULL) {
            if (f->required) {
                rc = pw__fail_at(err, w->path.text, "is required");
            }
        } else {
            json_t *replace = NULL;
            rc = walk_value(w, f, v, &replace, err);
            if (rc == PW_OK && replace != NULL && json_object_set_new(obj, f->name, replace)) {
                rc = pw_fail(err, PW_EINTERNAL, "could not store a value");
            }
        }
        pw__path_pop(&w->path, mark);
        if (rc != PW_OK) {
            return rc;
        }
    }
    return PW_OK;
}

static size_t
count_present(const json_t *obj, const char *const *names)
{
    size_t n = 0;
    for (size_t i = 0; names[i] != NULL; i++) {
        n += json_object_get(obj, names[i]) != NULL;
    }
    return n;
}

/* Writes names as "a, b or c" into out. */
static void
join_names(const char *const *names, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; names[i] != NULL; i++) {
        const char *sep = i == 0 ? "" : (names[i + 1] == NULL ? " or " : ", ");
        int k = snprintf(out + len, size - len, "%s%s", sep, names[i]);
        if (k < 0 || (size_t)k >= size - len) {
            return;
        }
        len += (size_t)k;
    }
}

static enum pw_status
check_groups(const struct pw__walk *w, const struct pw__shape *shape, const json_t *obj,
             struct pw_error *err)
{
    char names[200];
    if (shape->any_of != NULL && count_present(obj, shape->any_of) == 0) {
        join_names(shape->any_of, names, sizeof(names));
        return pw__fail_at(err, w->path.text, "needs at least one of %s", names);
    }
    if (shape->one_of != NULL && count_present(obj, shape->one_of) != 1) {
        join_names(shape->one_of, names, sizeof(names));
        return pw__fail_at(err, w->path.text, "needs exactly one of %s", names);
    }
    return PW_OK;
}

/*
 * since <= until wherever an object has both. Both are YYYY-MM-DD with four-digit years by
 * now, so text order is date order.
 */
static enum pw_status
check_since_until(struct pw__walk *w, const json_t *obj, struct pw_error *err)
{
    const char *since = json_string_value(json_object_get(obj, "since"));
    const char *until = json_string_value(json_object_get(obj, "until"));
    if (since == NULL || until == NULL || strcmp(since, until) <= 0) {
        return PW_OK;
    }
    size_t mark = pw__path_key(&w->path, "until", 5);
    enum pw_status rc = pw__fail_at(err, w->path.text, "%s is before since %s", until, since);
    pw__path_pop(&w->path, mark);
    return rc;
}

enum pw_status
pw__walk_object(struct pw__walk *w, const struct pw__shape *const *shapes, size_t nshapes,
                json_t *obj, struct pw_error *err)
{
    enum pw_status rc = refuse_unknown(w, shapes, nshapes, obj, err);
    for (size_t s = 0; rc == PW_OK && s < nshapes; s++) {
        rc = walk_fields(w, shapes[s], obj, err);
    }
    for (size_t s = 0; rc == PW_OK && s < nshapes; s++) {
        rc = check_groups(w, shapes[s], obj, err);
    }
    if (rc == PW_OK) {
        rc = check_since_until(w, obj, err);
    }
    return rc;
}

/* ---- References ---- */

struct refs {
    pw_fact_ref_fn fn;
    void *ctx;
    struct pw__path path;
};

static enum pw_status refs_shape(struct refs *r, const struct pw__shape *shape, const json_t *obj,
                                 struct pw_error *err);

static enum pw_status
refs_value(struct refs *r, const struct pw__field *f, const json_t *v, struct pw_error *err)
{
    switch (f->kind) {
    case PW__K_PERSON_REF:
        return r->fn(r->ctx, PW_REF_PERSON, json_string_value(v), r->path.text, err);
    case PW__K_CONCERN_REF:
        return r->fn(r->ctx, PW_REF_CONCERN, json_string_value(v), r->path.text, err);
    case PW__K_EPISODE_REF:
        return r->fn(r->ctx, PW_REF_EPISODE, json_string_value(v), r->path.text, err);
    case PW__K_OBJECT:
        return refs_shape(r, f->shape, v, err);
    case PW__K_ARRAY:
        for (size_t i = 0; i < json_array_size(v); i++) {
            size_t mark = pw__path_index(&r->path, i);
            enum pw_status rc = refs_value(r, f->elem, json_array_get(v, i), err);
            pw__path_pop(&r->path, mark);
            if (rc != PW_OK) {
                return rc;
            }
        }
        return PW_OK;
    default:
        return PW_OK;
    }
}

static enum pw_status
refs_shape(struct refs *r, const struct pw__shape *shape, const json_t *obj, struct pw_error *err)
{
    for (const struct pw__field *f = shape->fields; f->name != NULL; f++) {
        const json_t *v = json_object_get(obj, f->name);
        if (v == NULL) {
            continue;
        }
        size_t mark = pw__path_key(&r->path, f->name, strlen(f->name));
        enum pw_status rc = refs_value(r, f, v, err);
        pw__path_pop(&r->path, mark);
        if (rc != PW_OK) {
            return rc;
        }
    }
    return PW_OK;
}

enum pw_status
pw__walk_refs(const struct pw__shape *shape, const json_t *obj, pw_fact_ref_fn fn, void *ctx,
              struct pw_error *err)
{
    struct refs r = { .fn = fn, .ctx = ctx };
    pw__path_init(&r.path);
    return refs_shape(&r, shape, obj, err);
}
