/*
 * The facts Pathway records: their types, strict parsing, validation and canonical encoding.
 * This is the data contract of shared/design/facts.md in code. Each fact type is declared once,
 * as data (a table of fields with their kinds), and one walker validates any fact against it,
 * so the contract can be read in one place and a new type is a new table entry.
 *
 * Parsing is strict: unknown fields and types are refused, wrong types are named by JSON path
 * ("$.names[0].kind"), dates must be real, enumerations must be members. What comes out is the
 * fact in canonical form: date-times in UTC, keys sorted, no insignificant space, UTF-8 checked.
 * The canonical text is what the fact log stores and hashes.
 *
 * Thread-safety: every function is safe to call from several threads on different facts.
 */
#ifndef PW_MODEL_MODEL_H
#define PW_MODEL_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/time.h"

/* Longest id (fact, person, concern, episode, user) Pathway accepts. */
#define PW_ID_MAX 64
/* Longest line of JSON one fact may be. */
#define PW_FACT_MAX_BYTES ((size_t)1024 * 1024)

/** What kind of thing an id names, for references between facts. */
enum pw_ref_kind {
    PW_REF_PERSON,  /* a person id: defined by person.registered */
    PW_REF_CONCERN, /* a concern id: defined by concern.raised */
    PW_REF_EPISODE, /* an episode id: defined by referral.decided or strategy.held */
};

/** One fact, parsed and validated. */
struct pw_fact {
    const char *type; /* e.g. "person.registered"; borrowed from a static table */
    const char *id;   /* the caller's id; borrowed from body */
    struct pw_when at;
    char at_text[PW_WHEN_TEXT_MAX]; /* canonical text of at */
    const char *agency;             /* borrowed from body */
    const char *by;                 /* borrowed from body */
    const char *supersedes;         /* borrowed from body, NULL when absent */
    const char *sensitivity;        /* borrowed from body, "standard" when absent */
    json_t *body;                   /* owned reference: the whole fact in canonical form */
    char *canonical;                /* owned: the canonical encoding of body */
    size_t canonical_len;
};

/** Options for parsing. */
struct pw_fact_parse_opts {
    /*
     * The recording user. When not NULL it is set as `by`; a fact that already names a
     * different `by` is refused (nobody records as someone else). When NULL the fact must
     * carry `by` itself.
     */
    const char *as_user;
    /*
     * Now, in microseconds since the epoch (pw_time_now_us()). A fact whose `at`, or any other
     * date-time of something that happened (observed_at, shared_at), is more than one day
     * after now is refused: things that happened cannot be in the future (a typed 2062 for
     * 2026). Plain dates such as a planned release `date` or an order's `until` may be in the
     * future. 0 skips the check.
     */
    int64_t now_us;
};

/**
 * Parses and validates one fact from JSON text s[0..n). On success fills *out (release with
 * pw_fact_release) and returns PW_OK. On failure returns PW_EINVAL (or PW_ETOOBIG past
 * PW_FACT_MAX_BYTES, before or after canonical encoding) with err->msg saying what is wrong
 * and err->field the JSON path it is about ("$.names[0].kind"), and leaves *out zeroed. opts may be
 * NULL: no recording user, no clock.
 */
PW_MUSTCHECK enum pw_status pw_fact_parse(const char *s, size_t n,
                                          const struct pw_fact_parse_opts *opts,
                                          struct pw_fact *out, struct pw_error *err);

/**
 * As pw_fact_parse, from an already parsed object. Borrows obj and never changes it: obj is
 * encoded and parsed again as text, so it passes exactly the checks text does (UTF-8, NUL,
 * size) and the fact holds its own canonical copy.
 */
PW_MUSTCHECK enum pw_status pw_fact_from_json(json_t *obj, const struct pw_fact_parse_opts *opts,
                                              struct pw_fact *out, struct pw_error *err);

/** Frees what a parsed fact owns and zeroes it. Safe on a zeroed fact. */
void pw_fact_release(struct pw_fact *f);

/** Callback for pw_fact_each_ref: return non-PW_OK to stop (that status is returned). */
typedef enum pw_status (*pw_fact_ref_fn)(void *ctx, enum pw_ref_kind kind, const char *id,
                                         const char *path, struct pw_error *err);

/**
 * Calls fn for every id the fact refers to that some other fact defines: every person id in
 * every field that names a person (children, alleged, from, to, same_as, ...), every concern
 * and episode id it names but does not itself open. Not the ids the fact defines (see
 * pw_fact_defines). path is the JSON path of the reference, for error messages.
 */
PW_MUSTCHECK enum pw_status pw_fact_each_ref(const struct pw_fact *f, pw_fact_ref_fn fn, void *ctx,
                                             struct pw_error *err);

/**
 * The id the fact defines of the given kind, or NULL: person.registered defines its `person`;
 * concern.raised its `concern`; referral.decided its `episode` when it names one; strategy.held
 * always its `episode` (required there), also when a referral.decided opened it before, so
 * defining an episode twice must be accepted. Borrowed from f->body.
 */
const char *pw_fact_defines(const struct pw_fact *f, enum pw_ref_kind kind);

struct pw_buf;

/**
 * Appends to out one plain-English line saying what the fact body (a recorded fact, as JSON)
 * says, for a reader going down a chronology: "risk recorded about p-dean-c: conviction,
 * sexual, against an adult, 2009-11-03 (spent) (summary recorded)". People are named by id.
 * Free text (notes, narrative, rationale, summary, terms...) is never copied: the line says
 * "(note recorded)". Every type of facts.md has its own line; a type without one gets its name
 * and the people it names. Never fails: a field missing from an invalid body reads "?".
 */
void pw_fact_summary(const json_t *body, struct pw_buf *out);

/** Number of fact types, and the i-th type name (for --help and listings). */
size_t pw_fact_type_count(void);
const char *pw_fact_type_name(size_t i);
/** True when name is a known fact type. */
bool pw_fact_type_known(const char *name);
/** True when s is one of the agencies of facts.md (csc, police, health, ...). */
bool pw_agency_valid(const char *s);

/**
 * True when s[0..n) is a valid id: 1 to PW_ID_MAX characters from [A-Za-z0-9._:-], starting
 * with a letter or digit.
 */
bool pw_id_valid(const char *s, size_t n);

/* ---- The indicator taxonomy (data/indicators.json, built in) ---- */

#define PW_MAX_BANDS 8

/** How strongly a sign points to sexual abuse at a given age (NICE: consider, suspect). */
enum pw_strength {
    PW_STRENGTH_NONE = 0, /* not a child's age (18 or over) */
    PW_STRENGTH_CONSIDER = 1,
    PW_STRENGTH_SUSPECT = 2,
};

/** An age band: ages from..to inclusive. Strings borrowed from the taxonomy. */
struct pw_band {
    const char *code; /* "under_13" */
    const char *name; /* "under 13" */
    int from;
    int to;
};

/** One sign or indicator. Strings borrowed from the taxonomy. */
struct pw_indicator {
    const char *code;          /* "sti" */
    const char *name;          /* "Sexually transmitted infection" */
    const char *category;      /* "physical_medical" */
    const char *category_name; /* "Physical and medical" */
    const char *guidance;      /* plain guidance for a practitioner */
    const char *source;        /* where it comes from (NICE CG89, the national review...) */
    enum pw_strength strength[PW_MAX_BANDS]; /* by band, in the taxonomy's band order */
};

struct pw_taxonomy;

/**
 * Parses a taxonomy from JSON text, strictly: unknown keys, missing fields, unknown
 * categories, repeated codes, bands that do not run 0 to 17 without gaps, and strengths other
 * than 'consider' or 'suspect' are PW_EINVAL. New: free with pw_taxonomy_free.
 */
PW_MUSTCHECK enum pw_status pw_taxonomy_parse(const char *text, size_t len,
                                              struct pw_taxonomy **out, struct pw_error *err);
void pw_taxonomy_free(struct pw_taxonomy *t);
/** The taxonomy Pathway ships, parsed on first use. Borrowed, lives as long as the process. */
const struct pw_taxonomy *pw_taxonomy_shipped(void);
size_t pw_taxonomy_count(const struct pw_taxonomy *t);
/** The i-th indicator in the taxonomy's order, or NULL past the end. */
const struct pw_indicator *pw_taxonomy_at(const struct pw_taxonomy *t, size_t i);
/** The indicator with that code, or NULL. */
const struct pw_indicator *pw_taxonomy_find(const struct pw_taxonomy *t, const char *code);
const struct pw_indicator *pw_taxonomy_find_n(const struct pw_taxonomy *t, const char *code,
                                              size_t n);
size_t pw_taxonomy_band_count(const struct pw_taxonomy *t);
const struct pw_band *pw_taxonomy_band(const struct pw_taxonomy *t, size_t i);
/**
 * The indicator's strength for a child of age years: NONE for 18 and over; for an unknown age
 * (negative) the strongest of any band, so a child whose age nobody recorded is not under-read.
 */
enum pw_strength pw_taxonomy_strength(const struct pw_taxonomy *t, const struct pw_indicator *ind,
                                      int age);
/** "consider", "suspect" or "none". */
const char *pw_strength_name(enum pw_strength s);

/**
 * The canonical encoding of any JSON value: object keys sorted by byte order, no insignificant
 * space, non-ASCII kept as UTF-8, reals with 15 significant digits. New (caller frees with
 * free()); NULL when v is NULL or holds a string that is not UTF-8. *len (if not NULL) gets the
 * length.
 */
char *pw_json_canonical(const json_t *v, size_t *len);

#endif
