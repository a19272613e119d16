/*
 * Agency feeds: the CSV extracts each agency's own system produces (docs/feeds.md), read
 * strictly and turned into the facts Pathway records: a person.registered for every row, a
 * residence.recorded when the row has an address, a school.recorded for a pupil's school.
 *
 * Three layers, each usable alone: an RFC 4180 CSV reader (quoted fields, doubled quotes,
 * CRLF or LF, UTF-8 checked per field); the formats, one per agency plus a generic one, each a
 * table of columns and how their values map onto the model; and pw_feed_read, which checks a
 * whole file and reports every error by line and column before anything is built, so a user
 * mends an extract in one pass. The store is not touched here: the caller (pathway import)
 * decides which facts are new, unchanged or corrections.
 *
 * Thread-safety: every function works only on what it is given; none keeps state.
 */
#ifndef PW_FEED_FEED_H
#define PW_FEED_FEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/model.h"

/* ---- CSV ---- */

/** One row of a CSV file. Strings are owned by the file they came from. */
struct pw_feed_csv_row {
    long line;      /* the line the row starts on, from 1 */
    size_t count;   /* fields in the row */
    char **fields;  /* each terminated; quotes removed, doubled quotes undone */
    size_t *lens;   /* each field's length */
    bool *bad_utf8; /* the field is not valid UTF-8 (or holds a NUL byte) */
};

/** A parsed CSV file: every row, the header first. */
struct pw_feed_csv {
    struct pw_feed_csv_row *rows;
    size_t count;
    struct pw_arena *arena; /* owns every row and field */
};

/**
 * Parses data[0..len) as RFC 4180 CSV: fields separated by commas, rows by CRLF or LF, a field
 * in double quotes may hold commas, line breaks and doubled quotes. A UTF-8 byte order mark at
 * the start is skipped; blank lines are skipped. A field that is not valid UTF-8 is kept and
 * flagged (bad_utf8) so the caller can name its column. The structure itself being broken (a
 * quote never closed, text after a closing quote, a quote inside an unquoted field, a bare
 * CR) is PW_EINVAL with err->line the line it is on. New: *out released with
 * pw_feed_csv_release (also after a failure).
 */
PW_MUSTCHECK enum pw_status pw_feed_csv_parse(const char *data, size_t len, struct pw_feed_csv *out,
                                              struct pw_error *err);
/** Frees the rows. Safe on a zeroed or released file. */
void pw_feed_csv_release(struct pw_feed_csv *csv);

/** True when s[0..n) is valid UTF-8 without NUL bytes, overlong forms or surrogates. */
bool pw_feed_utf8_valid(const char *s, size_t n);

/* ---- Values ---- */

/** How a date column writes its dates. */
enum pw_feed_datefmt {
    PW_FEED_DATE_ISO, /* YYYY-MM-DD */
    PW_FEED_DATE_DMY, /* DD/MM/YYYY (a one-digit day or month is accepted) */
};

/**
 * Parses a date in the given format into a day number. Failure is PW_EINVAL with a message
 * ("31/02/2019 is not a real date", "expected DD/MM/YYYY").
 */
PW_MUSTCHECK enum pw_status pw_feed_date_parse(const char *s, size_t n, enum pw_feed_datefmt fmt,
                                               int32_t *day, struct pw_error *err);

/**
 * True when s is an NHS number: ten digits (spaces allowed between them, as printed) whose
 * modulus 11 check digit is right. When out is not NULL the ten digits are written to it
 * (11 bytes).
 */
bool pw_feed_nhs_valid(const char *s, char *out);

/* Longest person id the feeds make, leaving room for the fact ids built on it. */
#define PW_FEED_PERSON_MAX 46

/**
 * The person id for an agency's record id, into out (PW_FEED_PERSON_MAX + 1 bytes):
 * "<agency>-<record>" when the record id is made only of A-Z a-z 0-9 . _ - and fits; else
 * "<agency>-" and the record id with every other byte written as ":XX" (two upper-case hex
 * digits), which no plain id can equal since ':' is not allowed in one; and when even that is
 * too long, "<agency>-::" and 16 hex digits of a 64-bit FNV-1a hash of the record id.
 */
void pw_feed_person_id(const char *agency, const char *record, char *out);

/**
 * The digest of what a registration says about a person (its body without the envelope and
 * without source): 10 hex digits and a terminator in out. Two registrations with the same
 * names, date of birth, sex, ethnicity, language and identifiers have the same digest, so a
 * re-import can tell an unchanged record from a corrected one. Works on a stored body too.
 */
void pw_feed_digest(const json_t *body, char out[11]);

/* ---- Formats and reading a feed ---- */

/** The names of the formats: "csc", "police", "health", "education", "probation", "generic". */
size_t pw_feed_format_count(void);
const char *pw_feed_format_name(size_t i);
/** True when name is a format. */
bool pw_feed_format_known(const char *name);

/** What pw_feed_read needs to know. Strings are borrowed. */
struct pw_feed_opts {
    const char *agency; /* the facts' agency, required */
    const char *format; /* NULL: the agency's own format (an agency without one needs generic) */
    const char *file;   /* the file's base name, for source.file and messages */
    const char *at;     /* the facts' `at`, a date or date-time, required */
    const char *by;     /* the recording user, required */
    const char *ignore; /* NULL, or columns to skip, comma separated */
    const char *map;    /* NULL, or their=ours pairs, comma separated (generic renames) */
    enum pw_feed_datefmt dob_format; /* the generic format's dob column */
    size_t max_errors;               /* stop listing errors after this many (0: 50) */
    int64_t now_us;                  /* for the model's "not in the future" check; 0 skips it */
};

/** What one good row becomes. */
struct pw_feed_record {
    const char *record; /* the agency's record id */
    long line;
    char person[PW_ID_MAX + 1];
    /* Complete facts with their default ids: [0] the registration, then a residence and a
     * school when the row has them. Owned references. */
    json_t *facts[3];
    size_t nfacts;
    char digest[11]; /* pw_feed_digest of the registration */
};

/** Every good row of a feed. */
struct pw_feed_batch {
    struct pw_feed_record *records;
    size_t count;
    size_t errors;     /* errors found (all, not only those reported) */
    size_t residences; /* residence facts among the records */
    size_t schools;    /* school facts among the records */
    struct pw_arena *arena;
};

/** Called for each error in a feed: column is NULL when the error is about a whole row. */
typedef void (*pw_feed_error_fn)(void *ctx, long line, const char *column, const char *msg);

/**
 * Reads a feed: parses the CSV, checks the header against the format (unknown columns are
 * errors unless ignored, required ones must be there), then checks every row and builds its
 * facts, each validated by the model. Every error is passed to on_error (up to max_errors;
 * the count goes on) with its line and column. Returns PW_OK with out filled when there were
 * none; PW_EINVAL (message: how many errors) when there were, and then out is empty;
 * PW_EUSAGE for bad options (an unknown format or agency, a bad --map). New: out is released
 * with pw_feed_batch_release (also after a failure).
 */
PW_MUSTCHECK enum pw_status pw_feed_read(const struct pw_feed_opts *opts, const char *data,
                                         size_t len, pw_feed_error_fn on_error, void *ctx,
                                         struct pw_feed_batch *out, struct pw_error *err);
/** Frees the records and their facts. Safe on a zeroed or released batch. */
void pw_feed_batch_release(struct pw_feed_batch *b);

/* ---- Import: a batch into the store ---- */

struct pw_store;

/** What pw_feed_import did (or, with check, would do). */
struct pw_feed_import {
    size_t registered;    /* people registered for the first time */
    size_t corrected;     /* registrations superseded by a changed record */
    size_t residences;    /* residences recorded */
    size_t schools;       /* schools recorded */
    size_t unchanged;     /* records with nothing new */
    size_t recorded;      /* facts appended to the log */
    long failed_line;     /* on a refusal: the line of the row whose fact was refused, else 0 */
    bool outcome_unknown; /* the commit was sent but not confirmed: import again to settle it */
};

/**
 * Compares every record of b with the store and records what is new or changed, in one
 * transaction: all or nothing. With check, records nothing and says what it would do. po gives
 * the recording user and clock for the facts. Errors name the line (err->line) of the row
 * whose fact the store or a rule refused.
 */
PW_MUSTCHECK enum pw_status pw_feed_import(struct pw_store *s, struct pw_feed_batch *b,
                                           const struct pw_fact_parse_opts *po, bool check,
                                           struct pw_feed_import *out, struct pw_error *err);

#endif
