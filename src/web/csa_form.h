/*
 * What the plan page and the step-down-or-close page share (page_plan.c, page_closure.c):
 * the sexual-abuse risks typed as rows of a risk and its mitigation, re-referral triggers typed
 * one a line, a date typed in three boxes, the child's name, and the API's refusals put into
 * the error summary in a practitioner's words. Not an interface outside src/web/.
 */
#ifndef PW_WEB_CSA_FORM_H
#define PW_WEB_CSA_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "web/web_int.h"

/* How many risk rows a form may hold, and the longest risk, mitigation or trigger (bytes):
 * the schema's limits for csa_risks and re_referral_triggers (src/model/schema.c). */
#define PW__CSA_ROWS_MAX 50
#define PW__CSA_TEXT_MAX 1000
/* Empty rows a new form shows: enough for most plans without script. */
#define PW__CSA_ROWS_MIN 3

/* The risk-N and mitigation-N fields (N from 1) up to the last row typed in, each where it
 * was (rows left empty kept, so what was typed is shown where it was typed), as
 * [{risk, mitigation}] ("" for a box left empty; text as typed). New reference. */
json_t *pw__csa_rows_read(const struct pw__form *f);
/* How many of the rows have anything typed in them. */
size_t pw__csa_rows_filled(const json_t *rows);
/* Adds an error for each row with only one half, or a half too long, on risk-N or
 * mitigation-N (rows[N-1]). Rows left empty are ignored. */
void pw__csa_rows_check(struct pw__page *pg, const json_t *rows);
/* The rows typed in as a fact's csa_risks: each box's line breaks and tabs made single
 * spaces, an empty mitigation left out (rule R15 names it). New reference. */
json_t *pw__csa_rows_fact(const json_t *rows);
/* The rows as the templates show them: rows, then empty ones up to shown rows in all and at
 * least one empty; each {n, risk, mitigation, risk_error, mitigation_error} with the errors of
 * pg->field_errors. New reference. */
json_t *pw__csa_rows_view(const struct pw__page *pg, const json_t *rows, size_t shown);
/* How many rows the form showed (its hidden "rows" field), PW__CSA_ROWS_MIN when absent. */
size_t pw__csa_rows_shown(const struct pw__form *f);

/* The lines of text, each trimmed with tabs made spaces, blank ones left out. New reference. */
json_t *pw__csa_lines(const char *text);
/* Adds an error on field when a line is too long or there are too many lines. */
void pw__csa_lines_check(struct pw__page *pg, const char *field, const char *label,
                         const json_t *lines);

/* Reads PREFIX-day, PREFIX-month and PREFIX-year: a real date, not after today, into out
 * ("YYYY-MM-DD", PW_DATE_TEXT_MAX bytes). Otherwise adds an error on PREFIX-day saying what is
 * wrong, the date named by what ("The date the plan was agreed"), and returns false. */
bool pw__csa_date_read(struct pw__page *pg, const char *prefix, const char *what, char *out);
/* The date boxes for a template: {day, month, year} as typed, or today's when form is NULL. */
json_t *pw__csa_date_view(const struct pw__page *pg, const struct pw__form *form,
                          const char *prefix);

/* What the plan and closure pages read of the child (pg->ids[0]), each through the API. */
struct pw__csa_child {
    json_t *summary;    /* GET /api/children/{id} */
    json_t *network;    /* .../network */
    json_t *picture;    /* .../picture */
    json_t *alerts;     /* .../alerts: with_history only, else NULL */
    json_t *chronology; /* .../chronology: with_history only, else NULL */
    json_t *names;      /* person id to name, from the network */
    char name[256];     /* the child's name ("Lily Hart"), else the id */
};

/* Reads the child into out (zeroed here); with_history adds the alerts and the chronology. On
 * failure err says why (answer with pw__page_api_fail). Release out either way. */
PW_MUSTCHECK enum pw_status pw__csa_read_child(struct pw__page *pg, bool with_history,
                                               struct pw__csa_child *out, struct pw_error *err);
void pw__csa_child_release(struct pw__csa_child *c);

/* Person id to name, from GET /api/children/{id}/network's people. New reference. */
json_t *pw__csa_names(const json_t *network);
/* The child's name ("Lily Hart") from GET /api/children/{id}'s registration, else the id. */
void pw__csa_child_name(const json_t *summary, const char *child, char *out, size_t size);
/* The path /children/ID plus suffix ("#alerts" or ""), with ID percent-encoded. */
void pw__csa_child_path(const char *child, const char *suffix, char *out, size_t size);

/* What a refusal is about, so that it can be said in words and linked to the right box. */
struct pw__csa_refusal {
    const char *name;      /* the child's name */
    const char *record;    /* "closing record" or "early help plan" (rule R15's words) */
    const json_t *rows;    /* the rows sent (pw__csa_rows_read's) */
    const json_t *lines;   /* the triggers sent */
    const json_t *names;   /* person id to name, for the rule's own words */
    const char *first;     /* the field to link an error that names no field of the form */
    const char *record_id; /* the id of the part of the page showing the record (R08), or NULL */
};

/*
 * Puts the API's refusal of the facts sent into the error summary: a safeguarding rule's block
 * (PW_EBLOCKED) in words naming the rule and linked to what to fill in (R15 to the risks or
 * the triggers, R14 to the rationale or the decision-maker, R08 to what the record says), a
 * fact the API finds invalid (PW_EINVAL) linked to its box. True when it was put on the form
 * (render it again, with what was typed); false for any other failure (pw__page_api_fail).
 */
bool pw__csa_refused(struct pw__page *pg, enum pw_status rc, const struct pw_error *err,
                     const struct pw__csa_refusal *r);

/* The API's alerts (a trial's raised or answered) as alert cards. New reference. */
json_t *pw__csa_cards(const json_t *alerts, const json_t *names);

#endif
