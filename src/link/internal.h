/*
 * What the files of src/link share and nobody else sees: the prepared (normalised) record, the
 * comparison fields and their levels, the packed comparison vector, the model's layout, and the
 * internal entry points of each phase. One header so the phases agree on one layout.
 */
#ifndef PW_LINK_INTERNAL_H
#define PW_LINK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "link/link.h"

#define PW__LINK_GIVEN_MAX  4 /* given names kept per record */
#define PW__LINK_PARTS_MAX  3 /* family name parts kept */
#define PW__LINK_GROUPS_MAX 3 /* nickname groups kept per given name */
#define PW__LINK_CODE       8 /* NYSIIS code buffer */
#define PW__LINK_NAME       64

/* The comparisons, in the order of the packed vector and of an explanation. */
enum pw__link_field {
    PW__F_GIVEN,
    PW__F_FAMILY,
    PW__F_DOB,
    PW__F_SEX,
    PW__F_ADDRESS, /* first line, postcode and town as one comparison: see compare.c */
    PW__F_NHS,
    PW__F_IDS,
    PW__NFIELDS
};

#define PW__LINK_MAXLEVELS 15
#define PW__LINK_NULL      15u /* the 4-bit level meaning "missing on either side" */
#define PW__LINK_BITS      4u

/* A pattern is every field's level, 4 bits each: 28 bits. */
static inline unsigned
pw__link_level(uint32_t pattern, unsigned f)
{
    return (pattern >> (f * PW__LINK_BITS)) & 15u;
}

/* An identifier of a prepared record; scheme interned to a small number. */
struct pw__link_pid {
    uint32_t scheme;
    bool strict;       /* differing values are a hard conflict */
    bool nhs;          /* compared on its own, as "NHS number" */
    const char *value; /* normalised: letters and digits, lower case */
};

/* A record normalised once, so comparing a pair does no parsing. Strings live in an arena. */
struct pw__link_prec {
    const char *given[PW__LINK_GIVEN_MAX];
    int32_t groups[PW__LINK_GIVEN_MAX][PW__LINK_GROUPS_MAX]; /* nickname groups, -1 padded */
    const char *family;                                      /* whole, parts joined by space */
    const char *fparts[PW__LINK_PARTS_MAX];                  /* parts when more than one */
    const char *family_alt;
    const struct pw__link_pid *ids;
    const char *line1, *town;
    uint32_t source;
    uint32_t tf_given, tf_family; /* how many records share the first given / family name */
    char given_code[PW__LINK_CODE], family_code[PW__LINK_CODE], alt_code[PW__LINK_CODE];
    char postcode[12]; /* upper case letters and digits only */
    int16_t year;
    int8_t month, day;
    uint8_t ngiven, nfparts, nids;
    char sex;
};

/* The trained model: m and u per field and level, the prior, term frequencies. */
struct pw_link_model {
    double m[PW__NFIELDS][PW__LINK_MAXLEVELS];
    double u[PW__NFIELDS][PW__LINK_MAXLEVELS];
    double lambda; /* proportion of matches among candidate pairs */
    double link_at, review_at, tf_cap;
    /* Term frequencies: counts of each value and the chance two random records agree. */
    struct pw_strmap tf_given, tf_family;
    double tf_given_n, tf_family_n;         /* records with the field */
    double tf_given_agree, tf_family_agree; /* sum of squared frequencies */
    struct pw_strmap schemes;               /* scheme -> number */
    const char *const *strict;
    size_t nstrict;
    char **strict_copy;
};

/* ---- normalise.c ---- */
/* Prepares rec into p, copying strings into a. Identifier schemes are interned in intern when
 * it is not NULL (training), else looked up in m->schemes (explaining new records). */
void pw__link_prepare(const struct pw_link_record *rec, struct pw__link_prec *p, struct pw_arena *a,
                      const struct pw_link_model *m, struct pw_strmap *intern);
/* Normalised postcode of s into out (upper-case letters and digits). */
void pw__link_postcode(const char *s, char *out, size_t size);

/* ---- nickname.c ---- */
/* The nickname groups name (normalised) belongs to, up to max; returns how many. Thread-safe
 * after the first call (the table is built once). */
size_t pw__link_nick_groups(const char *name, int32_t *groups, size_t max);

/* ---- compare.c ---- */
/* The comparison vector of a pair. */
uint32_t pw__link_compare(const struct pw__link_prec *a, const struct pw__link_prec *b);
/* The level's name in words for field f. */
const char *pw__link_level_name(unsigned f, unsigned level);
const char *pw__link_field_name(unsigned f);
unsigned pw__link_nlevels(unsigned f);
/* True when a and b conflict hard: they can never be one person. */
bool pw__link_conflict(const struct pw__link_prec *a, const struct pw__link_prec *b, int dob_years);

/* ---- model.c ---- */
/* Trains m's m, u and lambda by EM over the distinct patterns and their counts. */
unsigned pw__link_train(struct pw_link_model *m, const uint32_t *patterns, const double *counts,
                        size_t npat, const double *u_random, unsigned max_iter, double tol);
/* Match weight of a pair with pattern pat, with the term-frequency adjustments; fills ex when
 * not NULL. */
double pw__link_score(const struct pw_link_model *m, const struct pw__link_prec *a,
                      const struct pw__link_prec *b, uint32_t pat, struct pw_link_explanation *ex);
/* Band of a probability. */
enum pw_link_band pw__link_band(const struct pw_link_model *m, double probability);
double pw__link_probability(double weight);

/* ---- block.c ---- */
/* Candidate pairs as (a << 32 | b), a < b, sorted and distinct. New: free(). */
uint64_t *pw__link_block(const struct pw__link_prec *p, size_t n, bool across, size_t max_block,
                         size_t *npairs, size_t *skipped);

/* ---- cluster.c ---- */
struct pw__link_cluster_in {
    const struct pw__link_prec *recs;
    size_t n;
    const struct pw_link_model *model;
    const struct pw_link_pair *links; /* link-band pairs */
    size_t nlinks;
    const struct pw_link_decision *decisions;
    size_t ndecisions;
    int dob_years;
};
/* Cluster number per record into cluster (n entries); returns the number of clusters. */
enum pw_status pw__link_cluster(const struct pw__link_cluster_in *in, size_t *cluster,
                                size_t *nclusters, size_t *refused, struct pw_error *err);

#endif
