/*
 * Inside the model module: how a fact type is declared as data, and the pieces the files of the
 * module share. A fact type is a shape (a table of fields, each with a kind) plus an optional
 * check for what one field cannot say alone (from != to). The walker in walk.c is the only code
 * that interprets these tables, for validation and for finding references, so the contract of
 * facts.md lives in schema.c and nowhere else.
 */
#ifndef PW_MODEL_MODEL_INT_H
#define PW_MODEL_MODEL_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/time.h"
#include "model/model.h"

/* Longest short string (a name, a role) and longest free text, in bytes of UTF-8. */
#define PW__STRING_MAX 200
#define PW__TEXT_MAX   ((int64_t)64 * 1024)
/* Most entries an array may have when its field does not say. */
#define PW__ARRAY_MAX 200
/* Room for a JSON path: the same as struct pw_error's field. */
#define PW__PATH_MAX 160

/** What a field holds. Every kind names what it expects in messages (walk.c). */
enum pw__kind {
    PW__K_TYPE,        /* the envelope's type: checked before the walk */
    PW__K_STRING,      /* short text: not blank, no control characters, max bytes */
    PW__K_TEXT,        /* free text: not blank, up to PW__TEXT_MAX, newlines and tabs allowed */
    PW__K_ID,          /* an id of a fact (pw_id_valid) */
    PW__K_PERSON_REF,  /* a person id defined by another fact */
    PW__K_PERSON_DEF,  /* the person this fact defines */
    PW__K_CONCERN_REF, /* a concern id defined by another fact */
    PW__K_CONCERN_DEF, /* the concern this fact opens */
    PW__K_EPISODE_REF, /* an episode id opened by another fact */
    PW__K_EPISODE_DEF, /* the episode this fact opens */
    PW__K_USER,        /* a user id */
    PW__K_AGENCY,      /* one of the agencies of facts.md */
    PW__K_ENUM,        /* one of field->values */
    PW__K_BOOL,        /* true or false */
    PW__K_INT,         /* an integer from field->min to field->max */
    PW__K_REAL,        /* a number from field->lo to field->hi; an integer is stored as real */
    PW__K_DATE,        /* YYYY-MM-DD */
    PW__K_WHEN,        /* a date or a date-time with offset, stored as canonical UTC text */
    PW__K_DOB,         /* a date, or {year, month} when only part is known */
    PW__K_OBJECT,      /* an object of field->shape */
    PW__K_ARRAY,       /* an array of field->elem, field->min to field->max entries */
    PW__K_IDMAP,       /* identifiers: {scheme: value}, scheme [a-z][a-z0-9_]{0,31} */
};

struct pw__shape;

/** One field of a table. Tables end with an entry whose name is NULL. */
struct pw__field {
    const char *name;
    const char *const *values;     /* PW__K_ENUM: allowed values, NULL-terminated */
    const struct pw__shape *shape; /* PW__K_OBJECT: the fields of the object */
    const struct pw__field *elem;  /* PW__K_ARRAY: what each element is (name unused) */
    /* PW__K_STRING: an extra check of the form, and what it expects for the message. */
    bool (*format)(const char *s, size_t n);
    const char *format_what;
    int64_t min; /* PW__K_INT: least value; PW__K_ARRAY: fewest entries */
    int64_t max; /* PW__K_INT: greatest; PW__K_ARRAY: most entries; strings: most bytes */
    double lo;   /* PW__K_REAL: least value */
    double hi;   /* PW__K_REAL: greatest value */
    enum pw__kind kind;
    bool required;
    bool unique; /* PW__K_ARRAY of strings: no value twice */
};

/** The fields of an object, and which of them go together. */
struct pw__shape {
    const struct pw__field *fields;
    const char *const *any_of; /* when not NULL: at least one of these must be present */
    const char *const *one_of; /* when not NULL: exactly one of these must be present */
};

/** What a cross-field check is given: the validated body (canonical) and its `at`. */
struct pw__check_ctx {
    const json_t *body;
    struct pw_when at;
};

typedef enum pw_status (*pw__check_fn)(const struct pw__check_ctx *ctx, struct pw_error *err);

/** A fact type: its name, its own fields (besides the envelope) and its cross-field check. */
struct pw__type {
    const char *name;
    struct pw__shape shape;
    pw__check_fn check; /* NULL when the table says everything */
};

/* schema.c: the tables. */
extern const struct pw__shape pw__envelope;
extern const struct pw__type pw__types[];
extern const size_t pw__type_count;
extern const char *const pw__agencies[];
/** The type named name, or NULL. */
const struct pw__type *pw__type_find(const char *name);

/* checks.c: cross-field checks used by the type table. */
enum pw_status pw__check_person_registered(const struct pw__check_ctx *ctx, struct pw_error *err);
enum pw_status pw__check_person_linked(const struct pw__check_ctx *ctx, struct pw_error *err);
enum pw_status pw__check_person_distinct(const struct pw__check_ctx *ctx, struct pw_error *err);
enum pw_status pw__check_relationship(const struct pw__check_ctx *ctx, struct pw_error *err);
enum pw_status pw__check_disclosure_made(const struct pw__check_ctx *ctx, struct pw_error *err);
enum pw_status pw__check_investigation(const struct pw__check_ctx *ctx, struct pw_error *err);

/* ids.c: the forms of strings. */
/** True when s[0..n) is one of the NULL-terminated values. */
bool pw__enum_has(const char *const *values, const char *s, size_t n);
/** True when s[0..n) is 10 digits whose last is the modulus 11 check digit of the others. */
bool pw__nhs_number_valid(const char *s, size_t n);
/** True when s[0..n) is a lower-case code: [a-z][a-z0-9_]{0,63}. */
bool pw__code_valid(const char *s, size_t n);
/* True when s[0..n) is a code of the shipped indicator taxonomy (indicators.c). */
bool pw__indicator_known(const char *s, size_t n);
/* The taxonomy's JSON, built in from data/indicators.json (generated indicators_data.c). */
extern const unsigned char pw__indicators_json[];
extern const size_t pw__indicators_json_len;
/** True when s[0..n) is an identifier scheme: [a-z][a-z0-9_]{0,31}. */
bool pw__scheme_valid(const char *s, size_t n);
/** True when s[0..n) is 1 to 12 digits (a UPRN). */
bool pw__uprn_valid(const char *s, size_t n);
/** True when s[0..n) is 2 to 10 letters, digits and spaces, with a digit (a UK postcode). */
bool pw__postcode_valid(const char *s, size_t n);

/** A JSON path being built as the walker descends: "$.names[0].kind". */
struct pw__path {
    char text[PW__PATH_MAX];
    size_t len;
};

/** Resets p to "$". */
void pw__path_init(struct pw__path *p);
/** Appends ".key" (made printable and short: keys come from input); returns the old length. */
size_t pw__path_key(struct pw__path *p, const char *key, size_t key_len);
/** Appends "[i]"; returns the old length. */
size_t pw__path_index(struct pw__path *p, size_t i);
/** Cuts the path back to a length that push returned. */
void pw__path_pop(struct pw__path *p, size_t len);

/* walk.c: the one walker over the tables. */
/** Records PW_EINVAL with the message "path: ..." and path as err's field; returns PW_EINVAL. */
enum pw_status pw__fail_at(struct pw_error *err, const char *path, const char *fmt, ...)
    PW_PRINTF(3, 4);
/** How a walk validates: the parse options and where it is. */
struct pw__walk {
    const struct pw_fact_parse_opts *opts;
    struct pw__path path;
};

/**
 * Validates the object obj against the given shapes (the envelope and the type), refusing
 * fields no shape names, and rewrites values into canonical form in place (date-times to UTC,
 * integers in real fields to reals). Fails with PW_EINVAL and the path of the first problem.
 */
enum pw_status pw__walk_object(struct pw__walk *w, const struct pw__shape *const *shapes,
                               size_t nshapes, json_t *obj, struct pw_error *err);

/**
 * Calls fn for every reference in obj (already validated against shape), in table order,
 * with its JSON path.
 */
enum pw_status pw__walk_refs(const struct pw__shape *shape, const json_t *obj, pw_fact_ref_fn fn,
                             void *ctx, struct pw_error *err);

/* json.c: loading with messages that never quote the input. */
/**
 * Loads s[0..n) strictly (duplicate keys refused); on failure returns NULL and sets err with a
 * message and the JSON path where the input went wrong.
 */
json_t *pw__json_load(const char *s, size_t n, struct pw_error *err);
/**
 * Encodes v compactly into at most max bytes. New (caller frees); NULL when it does not fit
 * (*too_big set) or cannot be encoded (a string that is not UTF-8).
 */
char *pw__json_encode(const json_t *v, size_t max, size_t *len, bool *too_big);
/** The name of v's JSON type for messages: "string", "number", "object", ... */
const char *pw__json_type_name(const json_t *v);

#endif
