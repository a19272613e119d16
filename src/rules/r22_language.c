/*
 * R22 minimising-language. Recorded free text about the child that describes abuse in words
 * that minimise it or imply consent is highlighted, with plainer wording: 'sexually active' of
 * a child, '(had) sex with', a 'relationship' or a 'boyfriend' where the other person is an
 * adult, 'consensual' or 'consented' of a child under 13, 'promiscuous', 'prostitute' or
 * 'prostitution' of a child; and a family judged 'open and honest'. A prompt (no due date),
 * one per fact and kind of phrase, answered by a correction of the fact without the phrase.
 *
 * The text read: concern narratives and indicator notes, notes of observations and
 * retractions, the child's recorded view, the rationale of referral and child decisions and
 * of closures, strategy discussion actions and medical reasons, meeting outcomes, assessment
 * outcomes and analyses, plans' and closures' risks and triggers, agreements' terms, reasons
 * support was deferred, each when the fact is about the child. An assessment of a parent or
 * carer is read for 'open and honest' only.
 *
 * Whole words, case ignored; nothing inside double quotes (a child's or anyone's own words,
 * quoted, are kept as said). Who the words are about is judged within the sentence: the
 * nearest person named before the phrase (the child's names, 'child', 'daughter'... against
 * 'Mum', 'Dad', a partner, an adult's name; 'she' or 'he' alone decide nothing, and a sentence
 * naming no one is about the child), and for 'sex with' and 'relationship with' the person
 * after 'with'. An adult partner is an alleged person of one of the child's concerns (by given
 * name), an age of 18 or more ('24-year-old', 'aged 19', '(22)'), or 'man', 'woman', 'adult',
 * 'older'; a 'relationship with' a parent, relative, teacher or friend is left alone. 'Sexually
 * active', 'sex with' and a relationship known only by an age are read as abuse when the child
 * was under 16, or an adult is alleged against them: a 17-year-old with a 19-year-old
 * boyfriend is not flagged on the words alone. A denial ('not sexually active') is not flagged.
 *
 * Corrections: each fact is read with its corrections as one record. The alert is keyed by
 * the first version holding the phrase; it stays open while the latest version holds it, and
 * is resolved by the correction that followed the last version holding it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised",
    "indicator.observed",
    "disclosure.retracted",
    "child.view_recorded",
    "referral.decided",
    "child.decision_recorded",
    "strategy.held",
    "meeting.held",
    "assessment.completed",
    "plan.made",
    "agreement.recorded",
    "support.started",
    "case.closed",
    "person.registered",
    "relationship.recorded",
    "residence.recorded",
    NULL,
};

/* ---- The phrases ---- */

enum kind {
    K_SEXUALLY_ACTIVE,
    K_SEX_WITH,
    K_RELATIONSHIP,
    K_BOYFRIEND,
    K_CONSENT,
    K_PROMISCUOUS,
    K_PROSTITUTION,
    K_OPEN_HONEST,
    K_COUNT,
};

struct kind_info {
    const char *key;   /* in the alert's key */
    const char *plain; /* the plainer wording */
};

static const struct kind_info kinds[K_COUNT] = {
    [K_SEXUALLY_ACTIVE] = { "sexually-active",
                            "say what happened and who did it, e.g. 'was sexually abused by "
                            "[name]': a child who is abused is not 'sexually active'" },
    [K_SEX_WITH] = { "sex-with", "'was raped by' or 'was sexually abused by' [name]: a child "
                                 "does not 'have sex with' the person abusing them" },
    [K_RELATIONSHIP] = { "relationship",
                         "'is being sexually abused (or exploited) by' [name]: an adult and a "
                         "child are not in a 'relationship'" },
    [K_BOYFRIEND] = { "boyfriend", "'the adult who is sexually abusing (or exploiting) them', "
                                   "by name: an adult is not a child's 'boyfriend' or "
                                   "'girlfriend'" },
    [K_CONSENT] = { "consent", "'was raped' or 'was sexually abused': a child under 13 cannot "
                               "consent to sexual activity in law" },
    [K_PROMISCUOUS] = { "promiscuous", "'is being sexually exploited' or 'is at risk of sexual "
                                       "exploitation': the word blames the child" },
    [K_PROSTITUTION] = { "prostitution", "'is a victim of child sexual exploitation': a child "
                                         "cannot be a prostitute" },
    [K_OPEN_HONEST] = { "open-and-honest",
                        "what they said, what was checked, and what it shows about the child's "
                        "safety: being open is not the same as being protective" },
};

/* What one version of a fact says, kind by kind. */
struct hit {
    bool found;
    char quote[120];   /* the phrase */
    char context[240]; /* the words around it, in its sentence */
    const char *field;
};

/* ---- Words ---- */

enum cat {
    CAT_NONE,
    CAT_CHILD,   /* the child by name, or 'child', 'daughter', 'girl'... */
    CAT_PRONOUN, /* she, he, her, him...: decides nothing on its own */
    CAT_FAMILY,  /* mum, dad, gran, brother...: family, adults by default */
    CAT_ROLE,    /* teacher, worker, friend: others in the child's life */
    CAT_ADULT,   /* an adult connected to the child, by given name, not alleged */
    CAT_PARTNER, /* boyfriend, partner, man, adult */
    CAT_ALLEGED, /* an adult alleged against the child, by given name */
};

struct tok {
    size_t start, end; /* in the text */
    char w[40];        /* lower case, without a possessive 's */
    bool poss;
    bool quoted;
    size_t sent;
    enum cat cat;
};

/* The names that matter, on one day. */
struct names {
    const char *child[16];
    size_t nchild;
    const char *alleged[32];
    size_t nalleged;
    const char *adult[32];
    size_t nadult;
};

static bool
in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(w, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool
in_names(const char *w, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(w, names[i]) == 0) {
            return true;
        }
    }
    return false;
}

static enum cat
categorise(const char *w, const struct names *nm)
{
    static const char *const child_words[] = {
        "child",        "yp",      "daughter", "son",   "girl", "boy",
        "stepdaughter", "stepson", "teenager", "pupil", NULL,
    };
    static const char *const pronouns[] = {
        "she",  "he",    "her", "him", "his", "hers", "herself", "himself", "they",
        "them", "their", "i",   "me",  "my",  "we",   "us",      "our",     NULL,
    };
    static const char *const family[] = {
        "mum",         "mother",  "mummy",      "mom",         "dad",          "father",
        "daddy",       "stepdad", "stepfather", "stepmum",     "stepmother",   "parent",
        "parents",     "nan",     "nana",       "gran",        "granny",       "grandma",
        "grandmother", "grandad", "granddad",   "grandfather", "grandparents", "grandparent",
        "aunt",        "auntie",  "aunty",      "uncle",       "brother",      "brothers",
        "sister",      "sisters", "sibling",    "siblings",    "cousin",       "carer",
        "carers",      "family",  NULL,
    };
    static const char *const roles[] = {
        "teacher", "teachers",  "worker",     "staff",  "friend",        "friends", "peer",
        "peers",   "classmate", "classmates", "school", "professionals", NULL,
    };
    static const char *const partners[] = {
        "boyfriend", "girlfriend", "partner", "man",         "men",    "woman",    "women", "adult",
        "adults",    "male",       "female",  "perpetrator", "abuser", "offender", NULL,
    };
    if (in_names(w, nm->child, nm->nchild)) {
        return CAT_CHILD;
    }
    if (in_names(w, nm->alleged, nm->nalleged)) {
        return CAT_ALLEGED;
    }
    if (in_names(w, nm->adult, nm->nadult)) {
        return CAT_ADULT;
    }
    if (in_list(w, child_words)) {
        return CAT_CHILD;
    }
    if (in_list(w, pronouns)) {
        return CAT_PRONOUN;
    }
    if (in_list(w, family)) {
        return CAT_FAMILY;
    }
    if (in_list(w, roles)) {
        return CAT_ROLE;
    }
    return in_list(w, partners) ? CAT_PARTNER : CAT_NONE;
}

/* The UTF-8 curly quotes: 1 opening double, 2 closing double, 3 apostrophe, else 0. */
static int
curly(const unsigned char *p)
{
    if (p[0] != 0xE2 || p[1] != 0x80) {
        return 0;
    }
    return p[2] == 0x9C ? 1 : p[2] == 0x9D ? 2 : p[2] == 0x99 ? 3 : 0;
}

static bool
word_byte(unsigned char ch)
{
    return isalnum(ch) || ch >= 0x80;
}

/* The word of t: lower case, an apostrophe-s (straight or curly) taken off as possessive. */
static void
set_word(struct tok *t, const char *text)
{
    size_t n = 0;
    for (size_t i = t->start; i < t->end && n + 1 < sizeof(t->w); i++) {
        t->w[n++] = (char)tolower((unsigned char)text[i]);
    }
    t->w[n] = '\0';
    if (n >= 2 && strcmp(t->w + n - 2, "'s") == 0) {
        t->w[n - 2] = '\0';
        t->poss = true;
    } else if (n >= 4 && strcmp(t->w + n - 4, "\xe2\x80\x99s") == 0) {
        t->w[n - 4] = '\0';
        t->poss = true;
    } else if (n >= 1 && t->w[n - 1] == '\'') {
        t->w[n - 1] = '\0';
        t->poss = true;
    }
}

/* Splits text into words, with sentences and quotes; *n gets how many. Free the result. */
static struct tok *
tokenise(const char *text, const struct names *nm, size_t *n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text);
    size_t cap = 0;
    struct tok *toks = NULL;
    size_t count = 0;
    size_t sent = 0;
    bool quoted = false;
    for (size_t i = 0; i < len;) {
        int q = curly(s + i);
        if (q == 1 || q == 2 || s[i] == '"') {
            quoted = q == 1 ? true : q == 2 ? false : !quoted;
            i += q != 0 ? 3 : 1;
            continue;
        }
        if (!word_byte(s[i])) {
            if (s[i] == '.' || s[i] == '!' || s[i] == '?' || s[i] == ';' || s[i] == '\n') {
                sent++;
            }
            if (s[i] == '\n') {
                quoted = false;
            }
            i++;
            continue;
        }
        if (count == cap) {
            cap = cap == 0 ? 64 : pw_mul_size(cap, 2);
            toks = pw_xrealloc(toks, pw_mul_size(cap, sizeof(*toks)));
        }
        struct tok *t = &toks[count++];
        memset(t, 0, sizeof(*t));
        t->start = i;
        while (i < len) {
            int c3 = curly(s + i);
            if (c3 == 3 || (s[i] == '\'' && i + 1 < len && word_byte(s[i + 1]))) {
                i += c3 == 3 ? 3 : 1; /* an apostrophe inside a word */
            } else if (s[i] == '\'' && t->start < i && (s[i - 1] == 's' || s[i - 1] == 'S')) {
                i++; /* parents' */
                break;
            } else if (word_byte(s[i]) && c3 == 0) {
                i++;
            } else {
                break;
            }
        }
        t->end = i;
        t->quoted = quoted;
        t->sent = sent;
        set_word(t, text);
        t->cat = categorise(t->w, nm);
    }
    *n = count;
    return toks;
}

static bool
is(const struct tok *t, size_t n, size_t i, const char *w)
{
    return i < n && strcmp(t[i].w, w) == 0;
}

static bool
same_sentence(const struct tok *t, size_t n, size_t i, size_t j)
{
    return i < n && j < n && t[i].sent == t[j].sent;
}

static bool
all_digits(const char *w, size_t *len)
{
    size_t k = 0;
    while (isdigit((unsigned char)w[k])) {
        k++;
    }
    *len = k;
    return k > 0;
}

/* True when token i gives an age of 18 or more: 24-year-old, aged 19, (22), 24yo. */
static bool
adult_age(const char *text, const struct tok *t, size_t n, size_t i)
{
    size_t digits;
    if (!all_digits(t[i].w, &digits) || digits > 2) {
        return false;
    }
    int age = 0;
    for (size_t k = 0; k < digits; k++) {
        age = age * 10 + (t[i].w[k] - '0');
    }
    if (age < 18) {
        return false;
    }
    static const char *const units[] = { "year", "years", "yr", "yrs", "yo", "y", NULL };
    if (t[i].w[digits] != '\0') {
        return in_list(t[i].w + digits, units);
    }
    if (same_sentence(t, n, i, i + 1) && in_list(t[i + 1].w, units)) {
        return true;
    }
    if (i > 0 && same_sentence(t, n, i - 1, i) &&
        (is(t, n, i - 1, "aged") || is(t, n, i - 1, "age"))) {
        return true;
    }
    return t[i].start > 0 && text[t[i].start - 1] == '(' && text[t[i].end] == ')';
}

/* True when tokens [from, to) of one sentence show an adult partner. */
static bool
adult_evidence(const char *text, const struct tok *t, size_t n, size_t from, size_t to)
{
    static const char *const words[] = {
        "man", "men", "woman", "women", "adult", "adults", "older", NULL,
    };
    for (size_t i = from; i < to && i < n; i++) {
        if (t[i].cat == CAT_ALLEGED || in_list(t[i].w, words) || adult_age(text, t, n, i)) {
            return true;
        }
    }
    return false;
}

static bool
has_alleged(const struct tok *t, size_t n, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < n; i++) {
        if (t[i].cat == CAT_ALLEGED) {
            return true;
        }
    }
    return false;
}

/* The end of i's sentence (one past its last token). */
static size_t
sentence_end(const struct tok *t, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && t[j].sent == t[i].sent) {
        j++;
    }
    return j;
}

static bool
is_person(enum cat k)
{
    return k != CAT_NONE && k != CAT_PRONOUN;
}

/*
 * Who the words at i are about: the nearest person named before them in the sentence. For a
 * 'boyfriend', the partner is the boyfriend himself, not his owner: skip = true passes over
 * them ("Chloe describes Dean as her boyfriend").
 */
static enum cat
subject_of(const struct tok *t, size_t n, size_t i, bool skip_partners)
{
    for (size_t j = i; j-- > 0 && same_sentence(t, n, j, i);) {
        if (skip_partners && !t[j].poss && (t[j].cat == CAT_ALLEGED || t[j].cat == CAT_PARTNER)) {
            continue;
        }
        if (is_person(t[j].cat)) {
            return t[j].cat;
        }
    }
    return CAT_NONE;
}

static enum cat
subject(const struct tok *t, size_t n, size_t i)
{
    return subject_of(t, n, i, false);
}

/*
 * "A and B ... <i>": true when the nearest person before i is joined by 'and' to another, whose
 * kind goes to *other. Words that are not people (an age in brackets) may stand between.
 */
static bool
paired_with(const struct tok *t, size_t n, size_t i, enum cat *other)
{
    size_t j = i;
    while (j-- > 0 && same_sentence(t, n, j, i) && !is_person(t[j].cat)) {
    }
    if (j >= i || !same_sentence(t, n, j, i) || !is_person(t[j].cat)) {
        return false;
    }
    size_t k = j;
    while (k-- > 0 && j - k <= 2 && same_sentence(t, n, k, j) && !is(t, n, k, "and")) {
        if (is_person(t[k].cat)) {
            return false;
        }
    }
    if (k >= j || !is(t, n, k, "and")) {
        return false;
    }
    for (size_t m = k; m-- > 0 && k - m <= 3 && same_sentence(t, n, m, k);) {
        if (is_person(t[m].cat)) {
            *other = t[m].cat;
            return true;
        }
    }
    return false;
}

/* True when the words at i are denied: "not sexually active", "has never had sex with". */
static bool
negated(const struct tok *t, size_t n, size_t i)
{
    static const char *const nots[] = {
        "not",    "never",  "no",     "nor",    "isn't", "wasn't",
        "hasn't", "hadn't", "denies", "denied", NULL,
    };
    for (size_t j = i; j-- > 0 && i - j <= 2 && same_sentence(t, n, j, i);) {
        if (in_list(t[j].w, nots)) {
            return true;
        }
    }
    return false;
}

/* The person after i (a 'with'): the first named within five words, else a pronoun, else none. */
static enum cat
object(const struct tok *t, size_t n, size_t i)
{
    bool pronoun = false;
    for (size_t j = i + 1; j < n && j <= i + 5 && same_sentence(t, n, i, j); j++) {
        if (t[j].poss && t[j].cat != CAT_PRONOUN) {
            continue; /* Mum's partner: the partner */
        }
        if (is_person(t[j].cat)) {
            return t[j].cat;
        }
        pronoun = pronoun || t[j].cat == CAT_PRONOUN;
    }
    return pronoun ? CAT_PRONOUN : CAT_NONE;
}

static bool
about_child_subject(enum cat k)
{
    return k == CAT_CHILD || k == CAT_NONE;
}

static bool
outsider(enum cat k)
{
    return k == CAT_ALLEGED || k == CAT_PARTNER || k == CAT_ROLE;
}

/* ---- Reading one text ---- */

/* What the reading of a text needs to know about the child on the fact's day. */
struct ctx {
    const struct names *nm;
    int age;            /* the child's age, -1 unknown */
    bool adult_alleged; /* an adult is alleged against the child */
    bool carer_text;    /* the text is about a parent or carer: 'open and honest' only */
};

static bool
abuse_context(const struct ctx *x)
{
    return (x->age >= 0 && x->age < 16) || x->adult_alleged;
}

static void
copy_span(char *out, size_t cap, const char *text, size_t a, size_t b)
{
    size_t len = b - a < cap - 1 ? b - a : cap - 1;
    memcpy(out, text + a, len);
    out[len] = '\0';
}

/* Notes the phrase t[from..to] (one sentence), with up to five words either side. */
static void
note_hit(struct hit *h, const char *text, const struct tok *t, size_t n, size_t from, size_t to,
         const char *field)
{
    if (h->found) {
        return;
    }
    h->found = true;
    h->field = field;
    copy_span(h->quote, sizeof(h->quote), text, t[from].start, t[to].end);
    size_t first = from;
    while (first > 0 && from - first < 5 && same_sentence(t, n, first - 1, from)) {
        first--;
    }
    size_t last = to;
    while (last + 1 < n && last - to < 5 && same_sentence(t, n, last + 1, to)) {
        last++;
    }
    copy_span(h->context, sizeof(h->context), text, t[first].start, t[last].end);
}

/* 'had sex with' and its kin at i: the last token of the phrase into *last, or false. */
static bool
sex_with_at(const struct tok *t, size_t n, size_t i, size_t *last)
{
    static const char *const have[] = { "have", "has", "had", "having", NULL };
    if (!in_list(t[i].w, have)) {
        return false;
    }
    for (size_t skip = 0; skip <= 1; skip++) {
        size_t j = i + 1 + skip;
        if (skip == 1 && (is(t, n, i + 1, "no") || is(t, n, i + 1, "not"))) {
            break;
        }
        size_t k = j;
        if (is(t, n, k, "sexual") &&
            (is(t, n, k + 1, "intercourse") || is(t, n, k + 1, "relations"))) {
            k++;
        } else if (!is(t, n, k, "sex")) {
            continue;
        }
        if (is(t, n, k + 1, "with") && same_sentence(t, n, i, k + 1)) {
            *last = k + 1;
            return true;
        }
    }
    return false;
}

static bool
sex_with_fires(const struct tok *t, size_t n, size_t i, size_t with, const struct ctx *x)
{
    enum cat subj = subject(t, n, i);
    enum cat obj = object(t, n, with);
    if (!abuse_context(x)) {
        return false;
    }
    if (obj == CAT_CHILD || subj == CAT_CHILD) {
        return true;
    }
    if (subj == CAT_NONE) {
        return obj != CAT_FAMILY && obj != CAT_ADULT;
    }
    return outsider(subj) && (obj == CAT_PRONOUN || obj == CAT_NONE);
}

/* 'relationship' at i. */
static bool
relationship_fires(const char *text, const struct tok *t, size_t n, size_t i, const struct ctx *x)
{
    size_t end = sentence_end(t, n, i);
    enum cat subj = subject(t, n, i);
    if (is(t, n, i + 1, "with") && same_sentence(t, n, i, i + 1)) {
        enum cat obj = object(t, n, i + 1);
        if (about_child_subject(subj)) {
            if (obj == CAT_ALLEGED) {
                return true;
            }
            if (obj == CAT_FAMILY || obj == CAT_ADULT || obj == CAT_ROLE || obj == CAT_CHILD) {
                return false;
            }
            return abuse_context(x) && adult_evidence(text, t, n, i + 2, end);
        }
        return (subj == CAT_ALLEGED || subj == CAT_PARTNER) && obj == CAT_CHILD;
    }
    if (is(t, n, i + 1, "between") && same_sentence(t, n, i, i + 1)) {
        bool child = false;
        for (size_t j = i + 2; j < end; j++) {
            child = child || t[j].cat == CAT_CHILD;
        }
        return child && (has_alleged(t, n, i + 2, end) ||
                         (abuse_context(x) && adult_evidence(text, t, n, i + 2, end)));
    }
    size_t first = i;
    while (first > 0 && same_sentence(t, n, first - 1, i)) {
        first--;
    }
    enum cat other = CAT_NONE;
    if (paired_with(t, n, i, &other) && other == CAT_CHILD) {
        /* "Chloe and Dean are in a relationship": the child and the person nearest. */
        subj = subj == CAT_CHILD ? CAT_NONE : subj;
        return subj == CAT_ALLEGED || subj == CAT_NONE ||
               (subj == CAT_PARTNER && abuse_context(x) && adult_evidence(text, t, n, first, end));
    }
    if (!about_child_subject(subj)) {
        return false;
    }
    return has_alleged(t, n, first, end) ||
           (abuse_context(x) && adult_evidence(text, t, n, first, end));
}

/* 'boyfriend' or 'girlfriend' at i. */
static bool
boyfriend_fires(const char *text, const struct tok *t, size_t n, size_t i, const struct ctx *x)
{
    if (!about_child_subject(subject_of(t, n, i, true))) {
        return false;
    }
    size_t first = i;
    while (first > 0 && same_sentence(t, n, first - 1, i)) {
        first--;
    }
    size_t end = sentence_end(t, n, i);
    return has_alleged(t, n, first, end) ||
           (abuse_context(x) && adult_evidence(text, t, n, first, end));
}

/* 'consented' at i, unless to something a child may consent to (a medical, an interview). */
static bool
consented_benign(const struct tok *t, size_t n, size_t i)
{
    static const char *const skip[] = {
        "the", "a", "an", "her", "his", "their", "this", "being", "any", NULL,
    };
    static const char *const benign[] = {
        "medical",  "examination", "exam",        "assessment",  "interview",   "abe",
        "referral", "information", "sharing",     "share",       "data",        "treatment",
        "test",     "tests",       "testing",     "vaccination", "photographs", "photos",
        "contact",  "support",     "counselling", "therapy",     "plan",        "meeting",
        "visit",    "home",        "samples",     "swabs",       "police",      "statement",
        NULL,
    };
    if (!is(t, n, i + 1, "to") || !same_sentence(t, n, i, i + 1)) {
        return false;
    }
    size_t j = i + 2;
    while (j < n && same_sentence(t, n, i, j) && in_list(t[j].w, skip)) {
        j++;
    }
    return j < n && same_sentence(t, n, i, j) && in_list(t[j].w, benign);
}

/* Reads text (field of a fact), noting each kind of phrase found. */
static void
read_text(const char *text, const char *field, const struct ctx *x, struct hit *hits)
{
    size_t n = 0;
    struct tok *t = tokenise(text, x->nm, &n);
    for (size_t i = 0; i < n; i++) {
        if (t[i].quoted) {
            continue;
        }
        const char *w = t[i].w;
        size_t last = i;
        if (is(t, n, i, "open") && is(t, n, i + 1, "and") && is(t, n, i + 2, "honest") &&
            same_sentence(t, n, i, i + 2)) {
            note_hit(&hits[K_OPEN_HONEST], text, t, n, i, i + 2, field);
        }
        if (x->carer_text) {
            continue;
        }
        if (is(t, n, i, "sexually") && is(t, n, i + 1, "active") && same_sentence(t, n, i, i + 1) &&
            abuse_context(x) && about_child_subject(subject(t, n, i)) && !negated(t, n, i)) {
            note_hit(&hits[K_SEXUALLY_ACTIVE], text, t, n, i, i + 1, field);
        }
        if (sex_with_at(t, n, i, &last) && !negated(t, n, i) && sex_with_fires(t, n, i, last, x)) {
            note_hit(&hits[K_SEX_WITH], text, t, n, i, last, field);
        }
        if ((strcmp(w, "relationship") == 0 || strcmp(w, "relationships") == 0) &&
            relationship_fires(text, t, n, i, x)) {
            note_hit(&hits[K_RELATIONSHIP], text, t, n, i, i, field);
        }
        if ((strcmp(w, "boyfriend") == 0 || strcmp(w, "girlfriend") == 0) &&
            boyfriend_fires(text, t, n, i, x)) {
            note_hit(&hits[K_BOYFRIEND], text, t, n, i, i, field);
        }
        /* 'consensual' describes the act, whoever is named nearest; 'consented' a person. */
        bool consensual = strcmp(w, "consensual") == 0 || strcmp(w, "consensually") == 0;
        bool consent =
            consensual || ((strcmp(w, "consented") == 0 || strcmp(w, "consenting") == 0) &&
                           !consented_benign(t, n, i));
        bool promiscuous = strcmp(w, "promiscuous") == 0 || strcmp(w, "promiscuity") == 0 ||
                           strcmp(w, "promiscuously") == 0;
        bool prostitution = strncmp(w, "prostitut", 9) == 0;
        if (!consent && !promiscuous && !prostitution) {
            continue;
        }
        enum cat subj = subject(t, n, i);
        if (consent && x->age >= 0 && x->age < 13 &&
            (consensual || (subj != CAT_FAMILY && subj != CAT_ADULT && subj != CAT_ROLE))) {
            note_hit(&hits[K_CONSENT], text, t, n, i, i, field);
        }
        if (promiscuous && about_child_subject(subj) && !negated(t, n, i)) {
            note_hit(&hits[K_PROMISCUOUS], text, t, n, i, i, field);
        }
        if (prostitution && about_child_subject(subj)) {
            note_hit(&hits[K_PROSTITUTION], text, t, n, i, i, field);
        }
    }
    free(t);
}

/* ---- Which text, of which fact ---- */

/*
 * The text fields of each type: "a" a string field, "a[].b" a field of each element of array
 * a, "a[]" each string of array a, "a.b" a field of object a.
 */
struct source {
    const char *type;
    const char *paths[5];
};

static const struct source sources[] = {
    { "concern.raised", { "narrative", "indicators[].note", NULL } },
    { "indicator.observed", { "note", NULL } },
    { "disclosure.retracted", { "note", NULL } },
    { "child.view_recorded", { "text", NULL } },
    { "referral.decided", { "rationale", NULL } },
    { "child.decision_recorded", { "rationale", NULL } },
    { "strategy.held", { "medical.reason", "actions[].action", NULL } },
    { "meeting.held", { "outcome", NULL } },
    { "assessment.completed", { "outcome", "analysis", NULL } },
    { "plan.made", { "csa_risks[].risk", "csa_risks[].mitigation", "re_referral_triggers[]" } },
    { "agreement.recorded", { "terms", NULL } },
    { "support.started", { "deferred_reason", NULL } },
    { "case.closed",
      { "rationale", "csa_risks[].risk", "csa_risks[].mitigation", "re_referral_triggers[]" } },
};

static const struct source *
source_of(const char *type)
{
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
        if (strcmp(sources[i].type, type) == 0) {
            return &sources[i];
        }
    }
    return NULL;
}

static void
read_path(const json_t *body, const char *path, const struct ctx *x, struct hit *hits)
{
    const char *br = strstr(path, "[]");
    const char *dot = strchr(path, '.');
    if (br == NULL && dot == NULL) {
        const char *text = pw__j(body, path);
        if (text != NULL) {
            read_text(text, path, x, hits);
        }
        return;
    }
    if (br == NULL) {
        char head[32];
        (void)snprintf(head, sizeof(head), "%.*s", (int)(dot - path), path);
        const char *text = pw__j(json_object_get(body, head), dot + 1);
        if (text != NULL) {
            read_text(text, path, x, hits);
        }
        return;
    }
    char head[32];
    (void)snprintf(head, sizeof(head), "%.*s", (int)(br - path), path);
    const char *rest = br[2] == '.' ? br + 3 : NULL;
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(body, head), i, v)
    {
        const char *text = rest != NULL ? pw__j(v, rest) : json_string_value(v);
        if (text != NULL) {
            read_text(text, path, x, hits);
        }
    }
}

/* The given names of person (each word of each name), lower case, into out. */
static void
given_names(const struct pw_case *c, const char *person, const char **out, size_t *n, size_t cap)
{
    const struct pw_case_fact *reg = pw__registration(c, person);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(reg == NULL ? NULL : reg->body, "names"), i, v)
    {
        const char *given = pw__j(v, "given");
        for (const char *p = given; p != NULL && *p != '\0';) {
            while (*p != '\0' && !word_byte((unsigned char)*p)) {
                p++;
            }
            const char *start = p;
            while (word_byte((unsigned char)*p)) {
                p++;
            }
            size_t len = (size_t)(p - start);
            if (len >= 2 && *n < cap) {
                char *w = pw_arena_strndup(c->arena, start, len);
                for (char *q = w; *q != '\0'; q++) {
                    *q = (char)tolower((unsigned char)*q);
                }
                out[(*n)++] = w;
            }
        }
    }
}

/* True when person is alleged in a current concern naming the child. */
static bool
alleged_against_child(const struct pw_case *c, const char *person)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "concern.raised") && pw__jhas(f->body, "children", c->child) &&
            pw__jhas(f->body, "alleged", person)) {
            return true;
        }
    }
    return false;
}

/* The names and the child's circumstances on day. */
static void
context_on(const struct pw_case *c, int32_t day, struct names *nm, struct ctx *x)
{
    memset(nm, 0, sizeof(*nm));
    given_names(c, c->child, nm->child, &nm->nchild, 16);
    x->nm = nm;
    x->age = pw__age(c, c->child, day);
    x->adult_alleged = false;
    x->carer_text = false;
    for (size_t i = 0; i < c->npeople; i++) {
        const char *p = c->people[i].id;
        if (strcmp(p, c->child) == 0) {
            continue;
        }
        int age = pw__age(c, p, day);
        if (alleged_against_child(c, p)) {
            if (age < 0 || age >= 18) {
                x->adult_alleged = true;
                given_names(c, p, nm->alleged, &nm->nalleged, 32);
            }
        } else if (age >= 18) {
            given_names(c, p, nm->adult, &nm->nadult, 32);
        }
    }
}

/* True when person is a parent or carer of the child, or lived with them on day. */
static bool
carer(const struct pw_case *c, const char *person, int32_t day)
{
    static const char *const carer_kinds[] = {
        "parent", "step_parent", "parent_partner", "foster_carer", "grandparent", NULL,
    };
    return pw__relationship(c, c->child, person, carer_kinds) != NULL ||
           pw__lived_with(c, person, day);
}

/* Reads one version of a fact: hits[k] for each kind it holds. */
static void
read_version(const struct pw_case *c, const struct pw_case_fact *f, struct hit *hits)
{
    memset(hits, 0, sizeof(struct hit) * K_COUNT);
    const struct source *src = source_of(f->type);
    if (src == NULL || !pw__child_at(c, f->day)) {
        return;
    }
    struct names nm;
    struct ctx x;
    bool about = pw__about_child(c, f);
    const char *person = pw__j(f->body, "person");
    if (!about && strcmp(f->type, "assessment.completed") == 0 && person != NULL &&
        carer(c, person, f->day)) {
        context_on(c, f->day, &nm, &x);
        x.carer_text = true;
    } else if (about) {
        context_on(c, f->day, &nm, &x);
    } else {
        return;
    }
    for (size_t k = 0; k < sizeof(src->paths) / sizeof(src->paths[0]); k++) {
        if (src->paths[k] != NULL) {
            read_path(f->body, src->paths[k], &x, hits);
        }
    }
}

/* ---- Records and their corrections ---- */

/* The fact with that id, current or not, or NULL. */
static const struct pw_case_fact *
any_version(const struct pw_case *c, const char *id)
{
    for (size_t i = 0; id != NULL && i < c->nfacts; i++) {
        if (strcmp(c->facts[i].id, id) == 0) {
            return &c->facts[i];
        }
    }
    return NULL;
}

#define MAX_VERSIONS 32

static void
raise_kind(struct pw__eval *ev, const struct pw_case *c, enum kind k,
           const struct pw_case_fact *const *v, struct hit (*hits)[K_COUNT], size_t nv)
{
    size_t first = nv;
    size_t last = nv;
    for (size_t i = 0; i < nv; i++) {
        if (hits[i][k].found) {
            first = first == nv ? i : first;
            last = i;
        }
    }
    if (first == nv) {
        return;
    }
    const struct pw_case_fact *key_fact = v[first];
    const struct hit *h = &hits[last][k];
    char key[PW_ID_MAX + 32];
    (void)snprintf(key, sizeof(key), "%s/%s", key_fact->id, kinds[k].key);
    struct pw__alert *a = pw__raise(ev, key, key_fact->day);
    pw__alert_because(a, key_fact->id);
    pw__alert_because(a, v[last]->id);
    pw__alert_agency(a, v[last]->agency);
    pw__alert_message(a,
                      "The %s of %s (%s) about %s says \"%s\" (\"%s\"). Consider plainer "
                      "words: %s. Correct the record with a fact superseding %s.",
                      h->field, v[last]->id, v[last]->type, c->child, h->quote, h->context,
                      kinds[k].plain, v[last]->id);
    if (last + 1 < nv) {
        pw__alert_resolved(a, v[last + 1]);
    }
}

/* One record: the fact at head and its corrections, in order. */
static void
record(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *head)
{
    const struct pw_case_fact *v[MAX_VERSIONS];
    size_t nv = 0;
    for (const struct pw_case_fact *f = head; f != NULL && nv < MAX_VERSIONS;
         f = any_version(c, f->superseded_by)) {
        v[nv++] = f;
    }
    struct hit(*hits)[K_COUNT] = pw_arena_alloc(c->arena, pw_mul_size(nv, sizeof(*hits)));
    for (size_t i = 0; i < nv; i++) {
        read_version(c, v[i], hits[i]);
    }
    for (int k = 0; k < K_COUNT; k++) {
        raise_kind(ev, c, (enum kind)k, v, hits, nv);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (source_of(f->type) != NULL && any_version(c, f->supersedes) == NULL) {
            record(ev, c, f);
        }
    }
}

const struct pw__rule pw__rule_r22 = {
    .id = "R22",
    .name = "minimising-language",
    .strength = PW__CONSIDER,
    .finding =
        "Records described abuse in words that minimised it or implied a child's consent, or judged a family 'open and honest'.",
    .source = "001, 004",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
