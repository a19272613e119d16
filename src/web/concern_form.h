/*
 * What the two pages that record a concern share (page_concern.c: a concern about a child on
 * record; page_raise.c: a concern about a child the user may not read, or one not on record):
 * the form's values kept as typed (v, an object of the form's texts, the signs ticked and their
 * notes, the token the facts' ids are made from), the signs and indicators grouped by category
 * with their strength at the child's age, the ethnicity and communication choices, the checks
 * of the concern's part of the form, the concern.raised fact, and the API's complaints put back
 * on the form. Not an interface outside src/web/.
 */
#ifndef PW_WEB_CONCERN_FORM_H
#define PW_WEB_CONCERN_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/id.h"
#include "web/web_int.h"

#define PW__CONCERN_NO_DAY    INT32_MIN /* a date not given or not real */
#define PW__CONCERN_SHORT_MAX 200 /* a short string of the fact model (source, to, language) */

/* How a child communicates (person.registered's communication), in words. */
struct pw__concern_communication {
    const char *value;
    const char *text;
    const char *hint;
};
extern const struct pw__concern_communication pw__concern_communications[];
extern const size_t pw__concern_communications_count;

/* ---- The values of the form ---- */

/* v's text at key, or "" (never NULL). Borrowed. */
const char *pw__concern_val(const json_t *v, const char *key);
/* Whether list (an array of strings) holds s. */
bool pw__concern_in_list(const json_t *list, const char *s);
/* Sets v's key to text ("" for NULL). */
void pw__concern_set_text(json_t *v, const char *key, const char *text);
/* text without the spaces and line ends around it: a box of only new lines is empty. New. */
json_t *pw__concern_trimmed(const char *text);
/* Sets v's token to a new random one: the facts' ids are made from it. */
void pw__concern_new_token(json_t *v);
/* The concern's part of a form first shown: today's date, empty texts, no signs, a token. */
void pw__concern_defaults(const struct pw__page *pg, json_t *v);
/*
 * The concern's part of the form as sent, into v: the date seen (day, month, year), disclosure,
 * to, words, narrative, source, ethnicity, language, interpreter and communication, trimmed; the
 * signs ticked (indicators) in the taxonomy's order and their notes; the token sent, or a new
 * one when it is not one of ours.
 */
void pw__concern_posted(const struct pw__page *pg, json_t *v);
/* Adds the flags the templates check radios by: disclosure_<kind>, interpreter_yes/_no. */
void pw__concern_flags(json_t *v);

/* ---- Choices ---- */

bool pw__concern_is_ethnicity(const char *s);
bool pw__concern_is_communication(const char *s);
/*
 * The signs and indicators by category, for the template: [{category, category_name, count,
 * ticked, signs: [{code, sign_name, guidance, strength, suspect, sign_checked, sign_error,
 * sign_note, by_age}]}], ticked and noted as v says, errors from pg->field_errors. strength is
 * at age (years; negative when unknown: the strongest of any age), except that with neutral
 * and an unknown age no strength is chosen: strength is "" and by_age says the strength at
 * every age ("under 13: suspect; 13 to 15: consider; 16 to 17: consider"). New reference.
 */
json_t *pw__concern_categories(const struct pw__page *pg, int age, bool neutral, const json_t *v);
/*
 * The ethnicity options: an empty one (empty_text, selected when chosen is "") when chosen or
 * recorded is empty, recorded itself when it is not a code (words kept as they are), then the
 * census's codes in words; selected as chosen says. recorded may be NULL. New reference.
 */
json_t *pw__concern_ethnicities(const char *chosen, const char *recorded, const char *empty_text);
/* The communication radios: [{input_id, value, text, hint, selected}]. New reference. */
json_t *pw__concern_communication_view(const char *chosen);

/* ---- Checks ---- */

/* Adds an error on field when v's key is longer than PW__CONCERN_SHORT_MAX bytes. */
void pw__concern_check_short(struct pw__page *pg, const json_t *v, const char *key,
                             const char *field, const char *what);
/*
 * Checks the concern's part of the form: the date seen (real, not in the future, not before
 * born unless born is PW__CONCERN_NO_DAY), how the child told or showed it, notes on signs not
 * ticked, that the concern says something, and the lengths of the short texts; an error for
 * each problem, the child called first ("Lily", or "the child"). The day seen, or
 * PW__CONCERN_NO_DAY when the date is wrong.
 */
int32_t pw__concern_check(struct pw__page *pg, const json_t *v, int32_t born, const char *first);

/* ---- Saving ---- */

/* The narrative as recorded: what happened, then the child's words in quotes, as said (the
 * rules read text in quotes as someone's own words, R22); NULL when both are empty. New. */
json_t *pw__concern_narrative(const json_t *v);
/*
 * The concern.raised about child, seen on day, as v says: id "web-<token>", concern
 * "c-web-<token>", the agency the user's; alleged (person ids) when not NULL and not empty.
 * New reference.
 */
json_t *pw__concern_fact(const struct pw__page *pg, const json_t *v, int32_t day, const char *child,
                         const json_t *alleged);

/* Where on the form an API complaint about a field belongs: the input's id, and words for it
 * to begin the message with (the model's messages are about the field: "is empty"). */
struct pw__concern_place {
    const char *id;
    char words[160];
    char id_buf[PW_ID_MAX + 8];
};
/*
 * The place of field ("[2].indicators[0].note") when it is in the concern.raised sent as the
 * index-th fact: its date, how the child told, who raised it, the narrative, a sign or its note
 * (v's indicators). True when found; otherwise out is the narrative ("The concern").
 */
bool pw__concern_place_of(const char *field, size_t index, const json_t *v,
                          struct pw__concern_place *out);

/* What a trial answered, for the banner: raised alerts as cards (names: person id to name),
 * how many, whether it answers any, and correction as given. New reference. */
json_t *pw__concern_trial(const json_t *out, const json_t *names, bool correction);

#endif
