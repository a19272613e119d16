/*
 * Inside the rules: what a rule sees (the case of one child), what it can do (raise an alert,
 * refuse a fact), and the helpers rules share. Nothing outside src/rules/ includes this.
 *
 * A rule is a pure function of one child's case: every fact naming the child or anyone
 * connected to them (the chronology's reach), with the concerns and episodes those facts lead
 * to. The alerts it raises are derived state: the engine compares them with what the store
 * holds for the child and writes the difference, in the transaction that records the fact.
 * So evaluating a child twice raises the same alerts, a rebuild reproduces them, and `rules
 * recheck` can prove that recording fact by fact and deriving from the whole log agree.
 *
 * To write a rule: a file src/rules/rNN_name.c defining `const struct pw__rule pw__rule_rNN`
 * (see rules.def), whose derive() walks c->facts and calls pw__raise() for each alert, and,
 * for a rule that refuses, check() which calls pw__refuse() about the fact being recorded.
 */
#ifndef PW_RULES_RULES_INT_H
#define PW_RULES_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "model/model.h"
#include "pathway/config.h"
#include "rules/rules.h"
#include "store/store.h"

/* No day: a date that is absent or unreadable. Sorts before every real day. */
#define PW_NO_DAY INT32_MIN
/* An open end of a period. */
#define PW_OPEN_DAY INT32_MAX

/* One fact of the case. Strings live in the case's arena. */
struct pw_case_fact {
    int64_t seq;
    const char *id;
    const char *type;
    const char *agency;
    const char *by;
    const char *at;
    const char *sensitivity;
    const char *supersedes;    /* the fact this one corrects, or NULL */
    const char *superseded_by; /* the fact that corrects this one, or NULL */
    int32_t day;               /* when it happened: its `at` as a day in England */
    bool current;              /* not corrected: the latest word */
    json_t *body;              /* the fact; a reference the case holds (read only: shared) */
};

/* Someone connected to the child (the child first). What else is known of them: their facts. */
struct pw_case_person {
    const char *id;
    const char *how; /* every way they are connected, as the chronology words it */
};

/* A period the child shared an address with someone (the child's own residences too). */
struct pw_case_home {
    const char *person;
    int32_t since; /* PW_NO_DAY: from any time before */
    int32_t until; /* PW_OPEN_DAY: still */
};

/* One child's case. */
struct pw_case {
    const char *child;
    const struct pw_config *config;
    const struct pw_taxonomy *taxonomy;
    struct pw_case_person *people;
    size_t npeople;
    struct pw_case_fact *facts; /* in the order things happened (day, then log position) */
    size_t nfacts;
    struct pw_case_home *homes;
    size_t nhomes;
    bool named_as_child; /* some fact names them in a child's role (for an unknown age) */
    struct pw_arena *arena;
};

/*
 * Fact bodies parsed once for many cases (bodies.c). Valid while the log does not change under
 * it: for one fact's judgement, or one recheck.
 */
struct pw__bodies {
    struct pw_strmap index; /* log position -> index of list */
    json_t **list;
    size_t count, cap;
};

void pw__bodies_init(struct pw__bodies *b);
/* Drops every body held; b is left empty and reusable. */
void pw__bodies_release(struct pw__bodies *b);
/* The body of the fact at seq, parsed from text unless held: a new reference. b may be NULL. */
json_t *pw__bodies_parse(struct pw__bodies *b, int64_t seq, const char *text, json_error_t *jerr);

/*
 * Loads child's case from the store (inside the caller's transaction, or its own), sharing
 * parsed bodies through bodies (may be NULL). out is filled even on failure and must be
 * released.
 */
PW_MUSTCHECK enum pw_status pw__case_load(struct pw_store *s, const char *child,
                                          const struct pw_config *config, struct pw__bodies *bodies,
                                          struct pw_case *out, struct pw_error *err);
void pw__case_release(struct pw_case *c);

/* ---- Reading facts ---- */

/* The string field key of o, or NULL. */
const char *pw__j(const json_t *o, const char *key);
/* True when the field is JSON true. */
bool pw__jtrue(const json_t *o, const char *key);
/* The date field key of o ("YYYY-MM-DD", or a date-time: its day in England), or PW_NO_DAY. */
int32_t pw__jday(const json_t *o, const char *key);
/* True when the array field key of o holds the string value. */
bool pw__jhas(const json_t *o, const char *key, const char *value);
/* True when both are strings and equal (a missing field equals nothing). */
bool pw__same(const char *a, const char *b);
/* True when text is absent or only white space. */
bool pw__blank(const char *text);
/* True when f is current and of type. */
bool pw__is(const struct pw_case_fact *f, const char *type);
/* The current fact with that id, or NULL. */
const struct pw_case_fact *pw__fact(const struct pw_case *c, const char *id);
/* The current registration of person, or NULL. */
const struct pw_case_fact *pw__registration(const struct pw_case *c, const char *person);
/* The day in England a date or date-time falls on, or PW_NO_DAY (absent or unreadable). */
int32_t pw__text_day(const char *text);
/*
 * Age in whole years on day of someone born on born, or (born PW_NO_DAY) in born_year (the
 * younger of the two possible ages); -1 when neither is known or day is PW_NO_DAY.
 */
int pw__age_of(int32_t born, int born_year, int32_t day);
/* person's age in whole years on day, or -1 when their date of birth is not known. */
int pw__age(const struct pw_case *c, const char *person, int32_t day);
/* True when the case's child was under 18 on day (an unknown age: when named as a child). */
bool pw__child_at(const struct pw_case *c, int32_t day);
/* True when the child and person shared an address on day. */
bool pw__lived_with(const struct pw_case *c, const char *person, int32_t day);
/* True when the child and person shared an address at any time on or after day. */
bool pw__lived_with_since(const struct pw_case *c, const char *person, int32_t day);
/*
 * The current relationship.recorded between a and b, either way round, whose kind is one of
 * kinds (NULL-terminated; NULL: any), or NULL.
 */
const struct pw_case_fact *pw__relationship(const struct pw_case *c, const char *a, const char *b,
                                            const char *const *kinds);
/* True when a current concern.raised with that concern id names the child among its children. */
bool pw__concern_names_child(const struct pw_case *c, const char *concern);
/*
 * True when the episode concerns the child: a current fact naming the episode names the child
 * (children, child, person), or is the referral decision on a concern naming the child.
 */
bool pw__episode_of_child(const struct pw_case *c, const char *episode);
/*
 * True when f is about the case's child: it names them (child, person, children), or names a
 * concern or an episode of theirs. Refusing rules are asked about a fact only when this holds.
 */
bool pw__about_child(const struct pw_case *c, const struct pw_case_fact *f);
/* True when person is in the child's connected people. */
bool pw__connected(const struct pw_case *c, const char *person);
/* The strength of an indicator for the child on day (their age then); NONE when unknown code. */
enum pw_strength pw__indicator_strength(const struct pw_case *c, const char *code, int32_t day);
/* True when f is a current investigation.updated of episode. */
bool pw__of_investigation(const struct pw_case_fact *f, const char *episode);
/*
 * True when, by fact index last (inclusive), the investigation of episode has ended: closed,
 * or every suspect it named charged. An "opened" after a closure starts it again.
 */
bool pw__investigation_ended(const struct pw_case *c, const char *episode, size_t last);
/*
 * True when two address objects are one home, as households are matched: the same uprn, or
 * the same first line with the same postcode (else town), letters and digits compared.
 */
bool pw__same_address(const json_t *x, const json_t *y);
/* The configured value. */
int pw__cfg(const struct pw_case *c, enum pw_config_key k);

/* ---- Dates ---- */

/* "YYYY-MM-DD" into out (PW_DATE_TEXT_MAX). */
void pw__day_text(int32_t day, char *out);
/* The day n months after day (the same date, or the month's last day). */
int32_t pw__add_months(int32_t day, int n);

/* ---- Raising and refusing ---- */

enum pw__strength {
    PW__BLOCK,
    PW__ACT,
    PW__CONSIDER,
};

struct pw__eval;
struct pw__alert;

/*
 * A new alert of the running rule about the case's child. key tells apart alerts of one rule
 * for one child (usually the id of the fact that raised it, with more where one fact raises
 * several): the alert's id is derived from the rule, the child and key, so it is stable.
 * raised is the day the condition arose; the alert shows from then.
 */
struct pw__alert *pw__raise(struct pw__eval *ev, const char *key, int32_t raised);
/* This alert's strength, where the rule's differs by case (R11: act under 13, consider at 13-15).
 */
void pw__alert_strength(struct pw__alert *a, enum pw__strength strength);
void pw__alert_subject(struct pw__alert *a, const char *person);
/* The day it shows from, when later than raised (a time limit passing). */
void pw__alert_active(struct pw__alert *a, int32_t day);
void pw__alert_due(struct pw__alert *a, int32_t day);
void pw__alert_agency(struct pw__alert *a, const char *agency);
void pw__alert_because(struct pw__alert *a, const char *fact_id);
/* Answered by fact (its id and day). */
void pw__alert_resolved(struct pw__alert *a, const struct pw_case_fact *fact);
void pw__alert_message(struct pw__alert *a, const char *fmt, ...) PW_PRINTF(2, 3);
/* Refuses the fact being recorded (check() only), saying what is missing. */
void pw__refuse(struct pw__eval *ev, const char *fmt, ...) PW_PRINTF(2, 3);

/* ---- The table ---- */

struct pw__rule {
    const char *id;             /* "R01" */
    const char *name;           /* "known-risk-joins-household" */
    enum pw__strength strength; /* what it mostly does */
    const char *finding;        /* the finding, in a sentence a practitioner reads */
    const char *source;         /* where in the source documents */
    const char *const *wakes;   /* the fact types that can change what it says */
    void (*derive)(struct pw__eval *ev, const struct pw_case *c);
    /* For a rule that refuses: f is the fact being recorded, already in c. */
    void (*check)(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f);
};

/* ---- Evaluation (eval.c) ---- */

/* One evaluation of the rules over one case. */
struct pw__eval {
    const struct pw_case *c;
    struct pw_arena *arena;      /* the case's */
    const struct pw__rule *rule; /* the rule running */
    struct pw__alert **alerts;   /* what the rules raised */
    size_t nalerts, alerts_cap;
    const struct pw__rule *refused_by; /* the first rule that refused, or NULL */
    char refusal[1024];                /* what it said */
};

void pw__eval_init(struct pw__eval *ev, const struct pw_case *c);
void pw__eval_release(struct pw__eval *ev);
/* True when some refusing rule wakes on facts of type. */
bool pw__eval_may_refuse(const char *type);
/* Runs every refusing rule woken by f's type over the case (f is in it). */
void pw__eval_check(struct pw__eval *ev, const struct pw_case_fact *f);
/* Runs every rule's derive over the case. */
void pw__eval_derive(struct pw__eval *ev);
/* The alert as the store keeps it (strings in the case's arena). */
void pw__alert_record(const struct pw_case *c, const struct pw__alert *a,
                      struct pw_alert_record *out);
const char *pw__strength_name(enum pw__strength s);
/* A copy of in whose strings live in arena (the store's are borrowed for a callback only). */
void pw__alert_record_copy(struct pw_arena *arena, const struct pw_alert_record *in,
                           struct pw_alert_record *out);
/* The configuration the engine runs under. */
const struct pw_config *pw__rules_config(const struct pw_rules *r);

/* ---- The picture of concern (view.c), shared with R03 ---- */

/* Every sign on record for the case's child, in date order, into p (p->arena must be set). */
void pw__picture_signs(const struct pw_case *c, struct pw_picture *p);
/*
 * The weighted score of signs[0..n) observed from..to (days, inclusive): each 'consider' and
 * 'suspect' sign its weight, each agency beyond the first the bonus. *agencies (may be NULL)
 * gets the number of agencies.
 */
int pw__picture_score(const struct pw_case *c, const struct pw_picture_sign *signs, size_t n,
                      int32_t from, int32_t to, size_t *agencies);

#define PW_RULE(n) extern const struct pw__rule pw__rule_##n;
#include "rules/rules.def"
#undef PW_RULE

extern const struct pw__rule *const pw__rules[];
extern const size_t pw__rule_count;

#endif
