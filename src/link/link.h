/*
 * Record linkage: which of the person records that reach Pathway from police, health, school,
 * probation and social care are the same person, despite nicknames, typos, missing or slipped
 * dates of birth, changed surnames and moved addresses.
 *
 * The method is Fellegi-Sunter: candidate pairs from several blocking rules (union, each pair
 * once), a discrete agreement level per field, m and u probabilities per level learnt without
 * labels by EM, a match weight of log2 prior odds plus the sum of log2(m/u) with a
 * term-frequency adjustment for exact name agreement, and bands by probability. Link-band pairs
 * become people by merging in descending weight order, refusing merges that would chain
 * strangers (hard conflicts, or cross pairs that on average do not reach the link threshold),
 * and honouring practitioners' accept and reject decisions.
 *
 * Everything is deterministic: the same records in the same order give the same result, with
 * any number of threads. This module knows nothing of the store; it works on plain records.
 */
#ifndef PW_LINK_LINK_H
#define PW_LINK_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/** An identifier a record carries: scheme "nhs", "pnc", "upn", "la", "ssn", "email", ... */
struct pw_link_id {
    const char *scheme; /* borrowed */
    const char *value;  /* borrowed */
};

/** One person record as an agency recorded it. All strings borrowed; NULL or "" is unknown. */
struct pw_link_record {
    const char *source;               /* the agency or list it came from: "police", "febrl4a" */
    const char *id;                   /* its id there; unique within source */
    const char *given;                /* all given names, space separated */
    const char *family;               /* family name(s); may be double-barrelled or hyphenated */
    const char *family_alt;           /* another family name known (birth name, alias) */
    int dob_year, dob_month, dob_day; /* 0 when that part is unknown */
    char sex;                         /* 'm', 'f', or 0 when unknown */
    const char *line1;                /* first address line including the house number */
    const char *town;
    const char *postcode;
    const struct pw_link_id *ids; /* borrowed array of nids */
    size_t nids;
};

/** A practitioner's decision on records a and b (indexes into the records): same or not. */
struct pw_link_decision {
    size_t a, b;
    bool same; /* true: must be one person (overrides the model); false: never one cluster */
};

struct pw_link_options {
    double link_at;             /* probability at or above which a pair links; default 0.90 */
    double review_at;           /* at or above this and below link_at: review; default 0.50 */
    bool across_sources_only;   /* compare only records from different sources; default false */
    int threads;                /* comparison threads, 1..64; default 2 */
    unsigned max_em_iterations; /* default 100; stops earlier when parameters settle */
    double em_tolerance;        /* largest parameter change that counts as settled; 1e-5 */
    size_t max_block;           /* a blocking key shared by more records is skipped; 2000 */
    double tf_cap_bits;         /* term-frequency adjustments limited to +-this; default 4 */
    int dob_conflict_years;     /* dates of birth further apart than this are a hard conflict
                                   when clustering, unless a slip explains them; default 2 */
    const char *const *strict_schemes; /* schemes where any difference is a hard conflict;
                                          default NULL means {"nhs","pnc","upn"} */
    size_t nstrict;
    unsigned long long seed; /* for the random pairs u is estimated from; default fixed */
};

/** Fills o with the documented defaults. */
void pw_link_options_default(struct pw_link_options *o);

enum pw_link_band {
    PW_LINK_NONE = 0,
    PW_LINK_REVIEW = 1,
    PW_LINK_LINK = 2,
};

/** A scored pair in the link or review band (or one a decision named). a < b. */
struct pw_link_pair {
    size_t a, b;
    double weight;      /* match weight in bits */
    double probability; /* 2^w / (1 + 2^w) */
    enum pw_link_band band;
    bool decided; /* a decision set its band: accepted pairs LINK, rejected NONE */
};

/** Counts and wall-clock seconds per phase of a run. */
struct pw_link_stats {
    size_t records;
    size_t candidate_pairs; /* distinct pairs blocking produced and that were compared */
    size_t skipped_blocks;  /* blocking keys over max_block records, left out */
    size_t link_pairs, review_pairs;
    size_t clusters;       /* people found, singletons included */
    size_t refused_merges; /* merges clustering refused as chaining strangers */
    unsigned em_iterations;
    double prior; /* EM's proportion of matches among the candidate pairs */
    double t_prepare, t_block, t_compare, t_train, t_score, t_cluster, t_total;
};

struct pw_link_result;
struct pw_link_model;

/**
 * Links n records (n < 2^32): blocks, compares, trains the model by EM, scores, clusters.
 * decisions may be NULL when ndecisions is 0; opt NULL means the defaults. On success *out is
 * new (free with pw_link_result_free) and independent of recs. Fails with PW_EINVAL for bad
 * options, a decision naming a record out of range or both accepting and rejecting one pair,
 * and PW_ECONFLICT when accepted decisions join records a rejection keeps apart.
 * Thread-safe for distinct outputs.
 */
PW_MUSTCHECK enum pw_status pw_link_run(const struct pw_link_record *recs, size_t n,
                                        const struct pw_link_decision *decisions, size_t ndecisions,
                                        const struct pw_link_options *opt,
                                        struct pw_link_result **out, struct pw_error *err);

/** Frees a result and its model. NULL is a no-op. */
void pw_link_result_free(struct pw_link_result *r);

/** The link- and review-band pairs (and decided pairs), sorted by (a, b). Borrowed from r. */
const struct pw_link_pair *pw_link_result_pairs(const struct pw_link_result *r, size_t *n);
/** The cluster (person) index of each record, numbered 0.. in order of first record.
 *  Borrowed from r; *n is the number of records. */
const size_t *pw_link_result_clusters(const struct pw_link_result *r, size_t *n);
/** Counts and timings. Borrowed from r. */
const struct pw_link_stats *pw_link_result_stats(const struct pw_link_result *r);
/** The trained model. Borrowed from r, lives as long as r. */
const struct pw_link_model *pw_link_result_model(const struct pw_link_result *r);

#define PW_LINK_MAX_PARTS 12

/** One comparison's contribution to a pair's weight. Strings are static. */
struct pw_link_part {
    const char *field; /* "family name" */
    const char *level; /* "nickname or alias"; "missing" when either side lacks the field */
    double m, u;       /* 0 when missing */
    double weight;     /* log2(m/u), 0 when missing */
    double tf_adjust;  /* term-frequency adjustment in bits, 0 when none */
};

/** Why a pair scores as it does: prior + the parts' weights and adjustments = weight. */
struct pw_link_explanation {
    struct pw_link_part parts[PW_LINK_MAX_PARTS];
    size_t nparts;
    double prior_weight; /* log2 of the prior odds */
    double weight;
    double probability;
    enum pw_link_band band;
};

/**
 * Explains records a and b of r's run with r's model, whether or not they were a candidate
 * pair. Fails with PW_EINVAL when a or b is out of range or a == b. Thread-safe.
 */
PW_MUSTCHECK enum pw_status pw_link_explain(const struct pw_link_result *r, size_t a, size_t b,
                                            struct pw_link_explanation *out, struct pw_error *err);

/**
 * Explains two records that need not be in the run, with a trained model (the term
 * frequencies are the run's). Thread-safe.
 */
PW_MUSTCHECK enum pw_status pw_link_model_explain(const struct pw_link_model *m,
                                                  const struct pw_link_record *a,
                                                  const struct pw_link_record *b,
                                                  struct pw_link_explanation *out,
                                                  struct pw_error *err);

/** How many comparisons the model has (fields) and how many levels field f has. */
size_t pw_link_model_fields(const struct pw_link_model *m);
size_t pw_link_model_levels(const struct pw_link_model *m, size_t f);
/** The name of field f and of its level l, and their m and u. False when out of range. */
bool pw_link_model_level(const struct pw_link_model *m, size_t f, size_t l, const char **field,
                         const char **level, double *mp, double *up);

/* ---- Comparators, public so the CLI and tests can show and check them ---- */

/** Jaro-Winkler similarity of two byte strings, 0..1 (prefix scale 0.1, up to 4). */
double pw_link_jaro_winkler(const char *a, const char *b);
/** Damerau-Levenshtein (optimal string alignment) distance, or max + 1 when it exceeds max. */
unsigned pw_link_damerau(const char *a, const char *b, unsigned max);
/** NYSIIS phonetic code of a name into out (always terminated); letters only are used. */
void pw_link_nysiis(const char *name, char *out, size_t size);
/** Name normalised into out: UTF-8 Latin letters folded to ASCII lower case, apostrophes and
 *  punctuation dropped, runs of spaces and hyphens kept as one space. Always terminated. */
void pw_link_normalise(const char *s, char *out, size_t size);
/** True when two normalised given names are the same name by the nickname table (the same
 *  name counts too). */
bool pw_link_nickname_equal(const char *a, const char *b);

#endif
