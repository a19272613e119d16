/*
 * Record linkage over the people Pathway holds: the registered people as linkage records, a
 * run that records its links as person.linked facts and leaves uncertain pairs for review, an
 * explanation of any two people, and a practitioner's decision recorded as a fact. The
 * linkage itself (link.h) knows nothing of the store; this is where the two meet.
 */
#ifndef PW_LINK_PEOPLE_H
#define PW_LINK_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/error.h"
#include "link/link.h"
#include "store/store.h"

/** The registered people as linkage records, in person id order. */
struct pw_link_people {
    struct pw_link_record *recs; /* n records; strings owned by the set */
    char **person;               /* the person id of each record */
    char **agency;               /* the agency whose registration stands */
    char **record;               /* the record id in the agency's system (source.record), or the
                                    person id when the registration gives none */
    size_t n;
    struct pw_arena *arena;
    struct pw_strmap *index; /* person id -> index */
};

/**
 * Fills r from a person.registered body (names, date of birth, sex, identifiers), with source
 * and id as given; strings are copied into arena, identifiers into ids (room for max; *nids
 * set). Address fields are left NULL: a registration has none.
 */
void pw_link_record_from_registration(const json_t *body, const char *source, const char *id,
                                      struct pw_arena *arena, struct pw_link_id *ids, size_t max,
                                      struct pw_link_record *r);

/** Loads every registered person. *out is new: free with pw_link_people_free. */
PW_MUSTCHECK enum pw_status pw_link_people_load(struct pw_store *s, struct pw_link_people **out,
                                                struct pw_error *err);

/** Frees a set; NULL is a no-op. */
void pw_link_people_free(struct pw_link_people *p);

/** The index of person in p, or SIZE_MAX when not registered. */
size_t pw_link_people_find(const struct pw_link_people *p, const char *person);

/** What pw_link_people_run did. */
struct pw_link_run_summary {
    struct pw_link_stats stats;
    size_t decisions;      /* practitioners' and earlier runs' decisions honoured */
    size_t links_recorded; /* person.linked facts recorded by this run */
    size_t already_linked; /* link-band pairs the store already held as one person */
    size_t review_queued;  /* uncertain pairs left for review */
    size_t people_joined;  /* people now with more than one record */
};

/**
 * Links every registered person: the decisions standing (person.linked, person.distinct) are
 * honoured, each new person found is recorded as person.linked facts (method record_linkage,
 * the pair's probability as confidence and its match weight) joining their records by the
 * strongest pairs, and the review queue is replaced by the uncertain pairs not yet decided.
 * The facts are recorded as user `by` of `agency`, at day `at` (YYYY-MM-DD), in one
 * transaction with the rules the store has attached.
 */
PW_MUSTCHECK enum pw_status pw_link_people_run(struct pw_store *s,
                                               const struct pw_link_options *opt, const char *by,
                                               const char *agency, const char *at,
                                               struct pw_link_run_summary *out,
                                               struct pw_error *err);

/**
 * Explains persons a and b: a run over every registered person trains the model (nothing is
 * recorded), then the pair is scored and its parts explained. Fails with PW_ENOTFOUND naming
 * a person not registered.
 */
PW_MUSTCHECK enum pw_status pw_link_people_explain(struct pw_store *s,
                                                   const struct pw_link_options *opt, const char *a,
                                                   const char *b, struct pw_link_explanation *out,
                                                   struct pw_error *err);

/**
 * Records a practitioner's decision on persons a and b: the same person (person.linked) or
 * not (person.distinct), with the reason, which is required: the reviews found rationale too
 * often left unrecorded.
 */
PW_MUSTCHECK enum pw_status pw_link_people_decide(struct pw_store *s, const char *a, const char *b,
                                                  bool same, const char *reason, const char *by,
                                                  const char *agency, const char *at,
                                                  struct pw_error *err);

#endif
