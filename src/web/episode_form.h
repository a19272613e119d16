/*
 * What the two pages that record a fact about an episode share (page_strategy.c: the strategy
 * discussion; page_investigation.c: the police investigation's updates): reading the episode
 * with its children named, the first child's network and chronology; the GOV.UK date input;
 * the episode's deadlines as rows; and a safeguarding rule's block in words. Only those pages
 * include it.
 */
#ifndef PW_WEB_EPISODE_FORM_H
#define PW_WEB_EPISODE_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "web/web_int.h"

/* An episode as the pages show it. Every member is a new reference, released together. */
struct pw__ep {
    json_t *episode;    /* GET /api/episodes/{id}: children, stage, steps */
    json_t *children;   /* [{id, name}] in the episode's order, each named */
    json_t *names;      /* person id to name: the first child's network and the children */
    json_t *network;    /* GET /api/children/{first}/network */
    json_t *chronology; /* GET /api/children/{first}/chronology */
    json_t *alleged;    /* [person id]: alleged in the episode's concerns, or its suspects */
    const char *first;  /* the first child's id (borrowed from episode) */
    char heading[512];  /* the children's names: "Lily Hart and Noah Hart" */
};

/*
 * Reads episode id as the page's user: the episode, the first child's network and chronology,
 * and a summary for any child of the episode the network does not name. Each read is the API's
 * (asked of the policy, logged). On failure nothing is held and err says why (the page answers
 * with pw__page_api_fail). Release with pw__ep_release, also after a failure.
 */
PW_MUSTCHECK enum pw_status pw__ep_read(struct pw__page *pg, const char *id, struct pw__ep *out,
                                        struct pw_error *err);
void pw__ep_release(struct pw__ep *e);

/* The name of person id from the episode's names, or the id itself. Borrowed. */
const char *pw__ep_name(const struct pw__ep *e, const char *id);

/* How a GOV.UK date input was filled in. */
enum pw__date_state {
    PW__DATE_EMPTY,   /* all three parts empty */
    PW__DATE_OK,      /* a real date: *day set */
    PW__DATE_PARTIAL, /* some parts missing */
    PW__DATE_UNREAL,  /* all there, not a real date */
};

/* Reads the date input of fields prefix-day, prefix-month and prefix-year. */
enum pw__date_state pw__ep_date(const struct pw__form *f, const char *prefix, int32_t *day);
/* The three parts as typed, for the form shown again: {day, month, year}. New reference. */
json_t *pw__ep_date_typed(const struct pw__form *f, const char *prefix);
/* The three parts of a day number: {day, month, year}. New reference. */
json_t *pw__ep_date_parts(int32_t day);
/*
 * Checks a date input that must be filled in with a real date, not after today (future false)
 * or any date (future true): on a problem adds an error for prefix-day saying what to fix,
 * what naming the date ("the date the discussion was held"), and returns false.
 */
bool pw__ep_date_check(struct pw__page *pg, const char *prefix, const char *what, bool future,
                       int32_t *day);

/* The episode's steps as rows {name, due, status, tag, met, open} (words, not codes). New. */
json_t *pw__ep_steps(const json_t *episode);

/*
 * A safeguarding rule's refusal (PW_EBLOCKED; err->msg begins with the rule's id and name) as
 * an error for the summary and for field: what (the page's own words for what is missing, or
 * NULL for the rule's message), then the rule named, then why it matters (the rule's finding).
 */
void pw__ep_block(struct pw__page *pg, const char *field, const struct pw_error *err,
                  const char *what);

/* A fact id of ours: "web-" and 16 random hex digits, into out (at least 21 bytes). */
void pw__ep_fact_id(char *out, size_t size);

#endif
