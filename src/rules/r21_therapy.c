/*
 * R21 therapy-not-on-hold. Support for a child recorded as deferred until after a trial, during
 * a police investigation or pending criminal proceedings prompts the practitioner to think
 * again: the inspections found children waiting for therapy because of a belief that it would
 * interfere with the evidence, when pre-trial therapy is possible and the child's best
 * interests decide. The deferred_reason is read for words of the criminal process (trial,
 * court case, the investigation, prosecution, police, CPS, giving evidence...),
 * case-insensitively and as whole words, so 'waiting list' or 'child unwell' stay quiet.
 * Judgements: 'court' alone is not enough (a family court hearing is another matter), nor are
 * 'investigations' (often medical tests) or 'a trial of' something (a treatment); a deferral
 * for other reasons is left to the professionals. Answered by a later start of the same kind
 * of support for the child with no deferred_reason.
 */
#include <ctype.h>
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "support.started",
    "person.registered",
    NULL,
};

/*
 * Words of the criminal process, lower case; a trailing '*' matches any ending. unless: what,
 * following the word, makes it mean something else ("a trial of medication").
 */
struct word {
    const char *word;
    const char *const *unless;
};

static const char *const trial_unless[] = { " of ", " period", " basis", " run", NULL };

static const struct word criminal_words[] = {
    { "trial", trial_unless },
    { "trials", trial_unless },
    { "court case", NULL },
    { "criminal*", NULL },
    { "crown court", NULL },
    { "magistrates", NULL },
    /* "Investigations" alone are often medical tests; the police's is "the investigation". */
    { "the investigation", NULL },
    { "an investigation", NULL },
    { "ongoing investigation", NULL },
    { "pending investigation", NULL },
    { "investigation concludes", NULL },
    { "investigation is complete", NULL },
    { "police", NULL },
    { "prosecut*", NULL },
    { "cps", NULL },
    { "charging decision", NULL },
    { "verdict", NULL },
    { "sentencing", NULL },
    { "give evidence", NULL },
    { "gives evidence", NULL },
    { "giving evidence", NULL },
    { "her evidence", NULL },
    { "his evidence", NULL },
    { "their evidence", NULL },
    { "evidential", NULL },
    { "contaminat*", NULL },
    { "abe", NULL },
    { "witness", NULL },
    { NULL, NULL },
};

static bool
word_char(char ch)
{
    return isalnum((unsigned char)ch) != 0;
}

static bool
followed_by(const char *p, const char *const *unless)
{
    for (size_t i = 0; unless != NULL && unless[i] != NULL; i++) {
        if (strncmp(p, unless[i], strlen(unless[i])) == 0) {
            return true;
        }
    }
    return false;
}

/* True when text (lower case) holds w as a whole word (or as a prefix, for "x*"). */
static bool
holds(const char *text, const struct word *w)
{
    size_t n = strlen(w->word);
    bool prefix = n > 0 && w->word[n - 1] == '*';
    if (prefix) {
        n--;
    }
    for (const char *p = text; *p != '\0'; p++) {
        if (strncmp(p, w->word, n) != 0) {
            continue;
        }
        bool starts = p == text || !word_char(p[-1]);
        bool ends = prefix || !word_char(p[n]);
        if (starts && ends && !followed_by(p + n, w->unless)) {
            return true;
        }
    }
    return false;
}

/* The first criminal-process word in reason, or NULL. */
static const char *
criminal_word(const struct pw_case *c, const char *reason)
{
    if (pw__blank(reason)) {
        return NULL;
    }
    size_t n = strlen(reason);
    char *lower = pw_arena_strdup(c->arena, reason);
    for (size_t i = 0; i < n; i++) {
        lower[i] = (char)tolower((unsigned char)lower[i]);
    }
    for (size_t i = 0; criminal_words[i].word != NULL; i++) {
        if (holds(lower, &criminal_words[i])) {
            return criminal_words[i].word;
        }
    }
    return NULL;
}

/* The first later start of the same support for the child, not deferred, or NULL. */
static const struct pw_case_fact *
answer(const struct pw_case *c, size_t at)
{
    const char *kind = pw__j(c->facts[at].body, "kind");
    for (size_t i = at + 1; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (pw__is(g, "support.started") && pw__same(pw__j(g->body, "person"), c->child) &&
            pw__same(pw__j(g->body, "kind"), kind) &&
            pw__blank(pw__j(g->body, "deferred_reason"))) {
            return g;
        }
    }
    return NULL;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "support.started") || !pw__same(pw__j(f->body, "person"), c->child) ||
            !pw__child_at(c, f->day)) {
            continue;
        }
        const char *reason = pw__j(f->body, "deferred_reason");
        if (criminal_word(c, reason) == NULL) {
            continue;
        }
        const char *provider = pw__j(f->body, "provider");
        struct pw__alert *a = pw__raise(ev, f->id, f->day);
        pw__alert_agency(a, "csc");
        if (strcmp(f->agency, "other") != 0) {
            pw__alert_agency(a, f->agency);
        }
        pw__alert_because(a, f->id);
        pw__alert_message(
            a,
            "Support for %s (%s%s%s) is deferred: \"%.200s\". Therapy before a criminal trial "
            "is possible and the child's best interests decide, not the needs of the "
            "investigation: consider with the police and the provider starting it now, and "
            "record a new start when it begins.",
            c->child, pw__j(f->body, "kind"), provider != NULL ? ", from " : "",
            provider != NULL ? provider : "", reason);
        const struct pw_case_fact *ans = answer(c, i);
        if (ans != NULL) {
            pw__alert_resolved(a, ans);
        }
    }
}

const struct pw__rule pw__rule_r21 = {
    .id = "R21",
    .name = "therapy-not-on-hold",
    .strength = PW__CONSIDER,
    .finding =
        "Children waited for therapy until after a trial, though pre-trial therapy is possible and their needs come first.",
    .source = "001 support",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
