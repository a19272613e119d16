/*
 * A synthetic partnership (pathway synth): families and households of varied heritage, the
 * records each agency would hold about them in its own feed format (docs/feeds.md), with the
 * errors real records have at documented rates, the truth of which records are the same
 * person, and safeguarding histories for the rules to find. Deterministic for (children, seed,
 * error rate, as-of date): the same options give the same bytes on every machine.
 *
 * Thread-safety: none needed; one call writes one folder.
 */
#ifndef PW_SYNTH_SYNTH_H
#define PW_SYNTH_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* The agencies with a feed, in the order their counts are kept. */
enum pw_synth_agency {
    PW_SYNTH_CSC,
    PW_SYNTH_POLICE,
    PW_SYNTH_HEALTH,
    PW_SYNTH_EDUCATION,
    PW_SYNTH_PROBATION,
    PW_SYNTH_AGENCIES
};

struct pw_synth_opts {
    uint64_t children; /* children in the partnership, at least 1 */
    uint64_t seed;
    double error_rate; /* multiplies every documented error rate; 0 gives clean feeds */
    int32_t as_of;     /* the day the extracts are taken (a day number) */
};

/* The documented rates, in percent of the records an error can apply to (docs/feeds.md). */
#define PW_SYNTH_RATE_TYPO        2.0 /* a typo in the given or family name */
#define PW_SYNTH_RATE_NICKNAME    5.0 /* police forenames hold the nickname */
#define PW_SYNTH_RATE_SWAPPED_DOB 1.0 /* day and month swapped (when both are 12 or under) */
#define PW_SYNTH_RATE_MISSING_DOB 1.5 /* no date of birth */
#define PW_SYNTH_RATE_OLD_SURNAME 5.0 /* a surname from before a change (marriage, step-family) */
#define PW_SYNTH_RATE_OLD_ADDRESS \
 30.0                                 /* after a move, a feed other than health keeps the old one */
#define PW_SYNTH_RATE_NO_POSTCODE 3.0 /* the postcode left out */
#define PW_SYNTH_RATE_NO_ADDRESS  2.0 /* the address left out */
#define PW_SYNTH_RATE_NO_SEX      1.0 /* sex left out */

/* What was made. */
struct pw_synth_stats {
    size_t people, households, children, adults;
    size_t records[PW_SYNTH_AGENCIES];
    size_t facts;
    size_t concern_households, sexual_offenders;
    /* Errors made, and the records each could have been made in. */
    size_t typos, typo_records;
    size_t swapped, swap_records; /* records whose dob could be swapped */
    size_t missing_dob, dob_records;
    size_t old_surname, surname_records; /* records of people whose surname changed */
    size_t old_address, moved_records;   /* records of people who moved */
    size_t no_postcode, no_address, no_sex, field_records;
};

/** The name of agency a ("csc"...). */
const char *pw_synth_agency_name(enum pw_synth_agency a);

/**
 * Writes the partnership into dir (made when missing): feeds/{csc,police,health,education,
 * probation}.csv, truth.csv (agency,record_id,person_key), facts.jsonl (the histories, one
 * fact a line, naming only person ids the feeds register) and README.md (what was made and
 * the rates used). stats (may be NULL) gets the counts. PW_EIO when a file cannot be written,
 * PW_EUSAGE for bad options.
 */
PW_MUSTCHECK enum pw_status pw_synth_write(const struct pw_synth_opts *opts, const char *dir,
                                           struct pw_synth_stats *stats, struct pw_error *err);

#endif
