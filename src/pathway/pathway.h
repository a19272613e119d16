/*
 * The pathway of one episode (shared/design/pathway.md): from the facts recorded about it, the
 * children it concerns, the stage it has reached (concern, referral decision, strategy
 * discussion, section 47 enquiry or assessment, initial conference, plan, core groups and
 * reviews, closed; or the early help and no further action branches), and every statutory or
 * local step its course has made applicable, each with what started its clock, when it is due
 * (working days as the DfE counts them, the start being day 1; weeks or months for core groups
 * and reviews), whether and when it was met, and how late or overdue it is.
 *
 * Every timescale comes from the configuration (pathway/config.def). Nothing here reads SQL:
 * the facts come from pw_store_episode_facts. Computing a view is pure given the facts, the
 * configuration and the day asked about; it is thread-safe with one store handle per thread.
 */
#ifndef PW_PATHWAY_PATHWAY_H
#define PW_PATHWAY_PATHWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/model.h"
#include "pathway/config.h"
#include "store/store.h"

/* Where an episode is. Names from pw_pathway_stage_name. */
enum pw_stage {
    PW_STAGE_CONCERN,    /* a concern raised, no decision yet */
    PW_STAGE_REFERRAL,   /* a referral decided (already open, or nothing more known) */
    PW_STAGE_STRATEGY,   /* a strategy discussion decided on, not yet held */
    PW_STAGE_ASSESSMENT, /* a child and family assessment (no section 47 enquiry) */
    PW_STAGE_S47,        /* a section 47 enquiry under way */
    PW_STAGE_ICPC,       /* the enquiry concluded for an initial conference, not yet held */
    PW_STAGE_PLAN,       /* a conference held or a protection plan made: core groups, reviews */
    PW_STAGE_CIN,        /* a child in need plan */
    PW_STAGE_EARLY_HELP, /* early help */
    PW_STAGE_NFA,        /* no further action */
    PW_STAGE_CLOSED,     /* every child's case closed */
};

enum pw_step_status {
    PW_STEP_OVERDUE,  /* not met, and the due date has passed */
    PW_STEP_DUE,      /* not met, not yet overdue */
    PW_STEP_MET_LATE, /* met after the due date */
    PW_STEP_MET,      /* met on time */
    PW_STEP_NA,       /* no longer needed: the case closed, or the course went another way */
};

/** Who must act on a step, what to do and why: static. */
struct pw_step_guide {
    const char *const *agencies; /* NULL-terminated: "csc", "police"... the first leads */
    const char *todo;            /* "Hold the initial child protection conference..." */
    const char *why;             /* what the timescale protects, and where it comes from */
};

/** One step of the pathway, as it stands on the day asked about. */
struct pw_step {
    const char *id;                 /* "icpc", "core_group"... Static. */
    char name[64];                  /* "initial child protection conference", "core group 2" */
    int occurrence;                 /* 1; for core groups and reviews after the first, 2, 3... */
    int amount;                     /* the timescale from the configuration ... */
    const char *unit;               /* ... in "working days", "weeks" or "months". Static. */
    const char *counted;            /* "from" (its start is day 1) or "after" (the next day is
                                       day 1): how the amount is counted. Static. */
    char clock_fact[PW_ID_MAX + 1]; /* the fact that started the clock */
    int32_t clock_day;              /* its date in England (a day number) */
    int32_t due;                    /* the last day it is on time */
    bool met;
    char met_fact[PW_ID_MAX + 1]; /* the fact that met it, "" when not met */
    int32_t met_day;
    enum pw_step_status status;
    int by;           /* working days late (MET_LATE) or overdue (OVERDUE), else 0 */
    const char *note; /* why not applicable, else NULL. Static. */
    const struct pw_step_guide *guide;
};

/** An episode as the pathway sees it. Owned: release with pw_episode_view_release. */
struct pw_episode_view {
    char episode[PW_ID_MAX + 1];
    char (*children)[PW_ID_MAX + 1]; /* in the order the facts name them */
    size_t nchildren;
    enum pw_stage stage;
    int32_t now; /* the day the statuses are as of */
    /* Most urgent first: overdue (most overdue first), due (soonest first), met, not needed. */
    struct pw_step *steps;
    size_t nsteps;
};

/**
 * Computes the view of episode as of now_day (a day number in England) under config. out is
 * filled on success and must then be released; on failure it is left empty (release is still
 * safe). An unknown episode is PW_ENOTFOUND; a fact body that is not JSON is PW_EINTEGRITY;
 * store errors pass through.
 */
PW_MUSTCHECK enum pw_status pw_pathway_episode(struct pw_store *s, const struct pw_config *config,
                                               const char *episode, int32_t now_day,
                                               struct pw_episode_view *out, struct pw_error *err);

/** Frees what a view holds and empties it. Safe on a zeroed or already released view. */
void pw_episode_view_release(struct pw_episode_view *v);

/**
 * The episode as one JSON object (episode, children, stage, as_of, steps: each with id, name,
 * timescale, unit, counted, clock_started, due, met, status, working_days, note, agencies, todo,
 * why): the form
 * `pathway episode --json` prints and the API sends. New reference.
 */
json_t *pw_episode_view_json(const struct pw_episode_view *v);

/** "section 47 enquiry", "closed"... Static. */
const char *pw_pathway_stage_name(enum pw_stage stage);
/** "overdue", "due", "met_late", "met", "not_applicable": the JSON names. Static. */
const char *pw_pathway_status_name(enum pw_step_status status);

#endif
