/*
 * R04 no-verbal-disclosure-needed. 'We cannot rely on children to disclose': most never do,
 * and many who do retract. A decision not to progress (a referral decided as no further
 * action, a connected child's decision of no action, a case closed) whose rationale rests
 * only on the child not having said anything, or having retracted, is refused, and the
 * refusal lists the signs on record for the child so the decision can weigh them.
 *
 * "Only": the rationale is split into clauses (at . ; : ! ? and new lines, and at ", but"
 * and " however"); it is refused when some clause gives non-disclosure or retraction as the
 * reason and no other clause of four words or more gives anything else. "Child has not
 * disclosed; GP examined and found an accidental cause, school report no further worries" is
 * accepted: it weighs something else too.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "referral.decided",
    "child.decision_recorded",
    "case.closed",
    NULL,
};

/* Phrases that give the child's silence or retraction as the reason (lower case). */
static const char *const silence[] = {
    "not disclosed",
    "no disclosure",
    "not made a disclosure",
    "not made any disclosure",
    "did not disclose",
    "didn't disclose",
    "does not disclose",
    "doesn't disclose",
    "has not said",
    "hasn't said",
    "did not say",
    "didn't say",
    "not said anything",
    "has said nothing",
    "not told anyone",
    "has not told",
    "no allegation",
    "not alleged",
    "denies",
    "denied",
    "retracted",
    "withdrew",
    "withdrawn",
    "nothing happened",
    "no verbal",
    "won't talk",
    "will not talk",
    "not spoken about",
    NULL,
};

/* Clauses that say nothing either way. */
static const char *const fillers[] = {
    "no further action",
    "no further concerns",
    "no other concerns",
    "case closed",
    "close the case",
    "nfa",
    NULL,
};

static bool
contains_any(const char *text, const char *const *phrases)
{
    for (size_t i = 0; phrases[i] != NULL; i++) {
        if (strstr(text, phrases[i]) != NULL) {
            return true;
        }
    }
    return false;
}

static size_t
words(const char *text)
{
    size_t n = 0;
    bool in_word = false;
    for (const char *p = text; *p != '\0'; p++) {
        bool letter = isalnum((unsigned char)*p) != 0;
        n += letter && !in_word ? 1 : 0;
        in_word = letter;
    }
    return n;
}

/* Judges one clause (lower case): silence, or another ground. */
static void
judge_clause(const char *clause, bool *silent, bool *other)
{
    if (contains_any(clause, silence)) {
        *silent = true;
    } else if (words(clause) >= 4 && !contains_any(clause, fillers)) {
        *other = true;
    }
}

/* True when the rationale rests only on the child not telling or retracting. */
static bool
rests_on_silence(const char *rationale)
{
    char text[4096];
    size_t n = 0;
    for (const char *p = rationale; *p != '\0' && n + 1 < sizeof(text); p++) {
        text[n++] = (char)tolower((unsigned char)*p);
    }
    text[n] = '\0';
    bool silent = false;
    bool other = false;
    char *start = text;
    for (char *p = text;; p++) {
        bool end = *p == '\0';
        bool cut = end || strchr(".;:!?\n", *p) != NULL || strncmp(p, ", but", 5) == 0 ||
                   strncmp(p, " however", 8) == 0 || strncmp(p, " but ", 5) == 0;
        if (cut) {
            char saved = *p;
            *p = '\0';
            judge_clause(start, &silent, &other);
            *p = saved;
            start = p + 1;
        }
        if (end) {
            break;
        }
    }
    return silent && !other;
}

/* The signs on record for the child, for the refusal to show. */
static void
signs_on_record(const struct pw_case *c, char *out, size_t size)
{
    struct pw_picture p = { .arena = c->arena };
    pw__picture_signs(c, &p);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < p.nsigns && used < size; i++) {
        char day[PW_DATE_TEXT_MAX];
        pw__day_text(p.signs[i].day, day);
        int k = snprintf(out + used, size - used, "%s%s %s (%s, %s)", i > 0 ? "; " : "", day,
                         p.signs[i].indicator->name, p.signs[i].agency,
                         pw_strength_name(p.signs[i].strength));
        if (k < 0 || (size_t)k >= size - used) {
            break;
        }
        used += (size_t)k;
    }
    if (p.nsigns == 0) {
        (void)snprintf(out, size, "none recorded yet");
    }
    free(p.signs);
}

static bool
not_progressed(const struct pw_case_fact *f)
{
    const char *decision = pw__j(f->body, "decision");
    if (strcmp(f->type, "referral.decided") == 0) {
        return decision != NULL &&
               (strcmp(decision, "no_further_action") == 0 || strcmp(decision, "early_help") == 0);
    }
    if (strcmp(f->type, "child.decision_recorded") == 0) {
        return decision != NULL && strcmp(decision, "no_action") == 0;
    }
    return strcmp(f->type, "case.closed") == 0;
}

static void
check(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    const char *rationale = pw__j(f->body, "rationale");
    if (!not_progressed(f) || pw__blank(rationale) || !rests_on_silence(rationale)) {
        return;
    }
    char signs[1500];
    signs_on_record(c, signs, sizeof(signs));
    pw__refuse(ev,
               "the rationale rests on %s not having said anything (or having retracted): "
               "most children never tell, so that is not a reason on its own. Weigh what is on "
               "record for %s: %s",
               c->child, c->child, signs);
}

const struct pw__rule pw__rule_r04 = {
    .id = "R04",
    .name = "no-verbal-disclosure-needed",
    .strength = PW__BLOCK,
    .finding =
        "Action waited for a child to tell, when most never do: 'we cannot rely on children to disclose'.",
    .source = "000, 002, 001",
    .wakes = wakes,
    .derive = NULL,
    .check = check,
};
