/*
 * R11 underage-pregnancy-or-sti. A sexually transmitted infection, a pregnancy or emergency
 * contraception sought, in a child under 13 when it was seen, is evidence of a sexual offence:
 * a child under 13 cannot consent in law (Sexual Offences Act 2003). A strategy discussion
 * naming the child is due within r11.strategy working day(s) of the concern or observation
 * being recorded. At 13 to 15 it is a prompt to consider abuse (no due date), unless the
 * other person is much older (an alleged person in the concern at least r11.partner_age_gap
 * years older, or a "much older boyfriend or girlfriend" recorded with it) or in the family
 * (a family relationship with the child, or living with them): then it is acted on as under
 * 13. At 16 and 17 the rule is quiet; the picture of concern (R03) still weighs the sign.
 *
 * Judgements: the infections are those the taxonomy marks 'suspect' under 13; hepatitis B and
 * anogenital warts, which can be passed on at birth or otherwise, are left to R03. Emergency
 * contraception counts with pregnancy: sought by a child under 13 it means sexual activity
 * with them. Pregnancy and emergency contraception are not read for a child recorded as male.
 * The age is taken on the day the sign was observed (observed_at, else the fact's day); the
 * clock runs from the day it was recorded. With no date of birth on record the alert is a
 * prompt asking for it. An act alert is answered by a strategy discussion naming the child on
 * or after the day; a prompt also by the referral decision on the concern that carried it.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised",   "indicator.observed",    "person.registered",  "strategy.held",
    "referral.decided", "relationship.recorded", "residence.recorded", NULL,
};

/* The signs this rule reads, and how the message names them. */
struct sign {
    const char *code;
    const char *words;
    bool pregnancy; /* pregnancy or contraception: not read for a child recorded as male */
};

static const struct sign signs[] = {
    { "sti", "a sexually transmitted infection recorded", false },
    { "sti_gonorrhoea", "gonorrhoea recorded", false },
    { "sti_chlamydia", "chlamydia recorded", false },
    { "sti_syphilis", "syphilis recorded", false },
    { "sti_genital_herpes", "genital herpes recorded", false },
    { "sti_trichomonas", "trichomonas infection recorded", false },
    { "sti_hiv_or_hepatitis_c", "HIV or hepatitis C recorded", false },
    { "pregnancy", "a pregnancy recorded", true },
    { "emergency_contraception", "emergency contraception sought", true },
};

/* Relationship kinds that put a person in the child's family. */
static const char *const family_kinds[] = {
    "parent",     "step_parent",  "parent_partner", "foster_carer",
    "sibling",    "half_sibling", "step_sibling",   "grandparent",
    "aunt_uncle", "cousin",       "other_relative", "household_member",
    NULL,
};

enum level {
    LEVEL_NONE,
    LEVEL_CONSIDER, /* 13 to 15, or the age is not known */
    LEVEL_ACT,      /* under 13, or 13 to 15 with a much older or family partner */
};

/* What one fact says about the child, as the rule reads it. */
struct finding {
    enum level level;
    const struct sign *sign;
    int age;                 /* the child's age when seen, -1 unknown */
    const char *partner;     /* the person who made it act at 13 to 15, or NULL */
    const char *partner_why; /* "in the family", "N years older" */
    const struct pw_case_fact *partner_fact;
};

static const struct sign *
find_sign(const char *code)
{
    for (size_t i = 0; code != NULL && i < sizeof(signs) / sizeof(signs[0]); i++) {
        if (strcmp(signs[i].code, code) == 0) {
            return &signs[i];
        }
    }
    return NULL;
}

static bool
child_is_male(const struct pw_case *c)
{
    const struct pw_case_fact *reg = pw__registration(c, c->child);
    const char *sex = reg == NULL ? NULL : pw__j(reg->body, "sex");
    return sex != NULL && strcmp(sex, "male") == 0;
}

/* The current concern.raised of that concern id, or NULL. */
static const struct pw_case_fact *
concern_fact(const struct pw_case *c, const char *concern)
{
    for (size_t i = 0; concern != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *id = pw__j(f->body, "concern");
        if (pw__is(f, "concern.raised") && id != NULL && strcmp(id, concern) == 0) {
            return f;
        }
    }
    return NULL;
}

/*
 * At 13 to 15: is an alleged person of the concern much older, or in the family? Fills the
 * finding's partner and returns true when so.
 */
static bool
partner_raises(const struct pw_case *c, const struct pw_case_fact *concern, int32_t day,
               int child_age, struct finding *out)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(concern->body, "alleged"), i, v)
    {
        const char *p = json_string_value(v);
        if (p == NULL || strcmp(p, c->child) == 0) {
            continue;
        }
        const struct pw_case_fact *rel = pw__relationship(c, c->child, p, family_kinds);
        if (rel != NULL || pw__lived_with(c, p, day)) {
            out->partner = p;
            out->partner_why = "in the family";
            out->partner_fact = rel;
            return true;
        }
        int age = pw__age(c, p, day);
        if (age >= 0 && age - child_age >= pw__cfg(c, PW_CFG_R11_PARTNER_GAP)) {
            out->partner = p;
            out->partner_why =
                pw_arena_printf(c->arena, "%d years older (r11.partner_age_gap: %d years)",
                                age - child_age, pw__cfg(c, PW_CFG_R11_PARTNER_GAP));
            out->partner_fact = pw__registration(c, p);
            return true;
        }
    }
    size_t k;
    const json_t *ind;
    json_array_foreach(json_object_get(concern->body, "indicators"), k, ind)
    {
        const char *code = pw__j(ind, "code");
        if (code != NULL && strcmp(code, "much_older_boyfriend_girlfriend") == 0) {
            out->partner = NULL;
            out->partner_why = "recorded as a much older boyfriend or girlfriend";
            out->partner_fact = NULL;
            return true;
        }
    }
    return false;
}

/* Reads one indicator (an object with code and observed_at) seen by fact f. */
static void
read_indicator(const struct pw_case *c, const struct pw_case_fact *f, const json_t *ind,
               const struct pw_case_fact *concern, struct finding *best)
{
    const struct sign *sg = find_sign(pw__j(ind, "code"));
    if (sg == NULL || (sg->pregnancy && child_is_male(c))) {
        return;
    }
    int32_t seen = pw__jday(ind, "observed_at");
    if (seen == PW_NO_DAY) {
        seen = f->day;
    }
    if (!pw__child_at(c, seen)) {
        return;
    }
    struct finding now = { .level = LEVEL_NONE, .sign = sg, .age = pw__age(c, c->child, seen) };
    if (now.age < 0) {
        now.level = LEVEL_CONSIDER;
    } else if (now.age < 13) {
        now.level = LEVEL_ACT;
    } else if (now.age < 16) {
        now.level = concern != NULL && partner_raises(c, concern, seen, now.age, &now)
                        ? LEVEL_ACT
                        : LEVEL_CONSIDER;
    }
    if (now.level > best->level) {
        *best = now;
    }
}

/* What fact f (a concern or an indicator observed about the child) says, if anything. */
static struct finding
read_fact(const struct pw_case *c, const struct pw_case_fact *f)
{
    struct finding best = { .level = LEVEL_NONE };
    if (pw__is(f, "concern.raised") && pw__jhas(f->body, "children", c->child)) {
        size_t k;
        const json_t *ind;
        json_array_foreach(json_object_get(f->body, "indicators"), k, ind)
        {
            read_indicator(c, f, ind, f, &best);
        }
    } else if (pw__is(f, "indicator.observed")) {
        const char *child = pw__j(f->body, "child");
        if (child != NULL && strcmp(child, c->child) == 0) {
            read_indicator(c, f, f->body, concern_fact(c, pw__j(f->body, "concern")), &best);
        }
    }
    return best;
}

/* The first strategy discussion naming the child on or after day, or NULL. */
static const struct pw_case_fact *
strategy_on_or_after(const struct pw_case *c, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (f->day >= day && pw__is(f, "strategy.held") &&
            pw__jhas(f->body, "children", c->child)) {
            return f;
        }
    }
    return NULL;
}

/* The first decision on concern on or after day, or NULL. */
static const struct pw_case_fact *
decision_on_or_after(const struct pw_case *c, const char *concern, int32_t day)
{
    for (size_t i = 0; concern != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *id = pw__j(f->body, "concern");
        if (f->day >= day && pw__is(f, "referral.decided") && id != NULL &&
            strcmp(id, concern) == 0) {
            return f;
        }
    }
    return NULL;
}

static struct pw__alert *
raise_act(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f,
          const struct finding *fd)
{
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_because(a, f->id);
    pw__alert_agency(a, "csc");
    pw__alert_agency(a, "police");
    pw__alert_agency(a, "health");
    int n = pw__cfg(c, PW_CFG_R11_STRATEGY);
    int32_t due = pw_cal_add_working_days(f->day, n);
    pw__alert_due(a, due);
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(due, due_text);
    if (fd->age < 13) {
        pw__alert_message(a,
                          "%s, aged %d when seen: %s. A child under 13 cannot consent "
                          "to sexual activity in law: this is evidence of a sexual offence. Hold "
                          "a strategy discussion (children's social care, police, health) by %s "
                          "(r11.strategy: %d working day%s).",
                          c->child, fd->age, fd->sign->words, due_text, n, n == 1 ? "" : "s");
        return a;
    }
    if (fd->partner != NULL) {
        pw__alert_subject(a, fd->partner);
    }
    if (fd->partner_fact != NULL) {
        pw__alert_because(a, fd->partner_fact->id);
    }
    pw__alert_message(a,
                      "%s, aged %d when seen: %s, and the other person%s%s%s is %s. Treat it "
                      "as possible sexual abuse: hold a strategy discussion (children's social "
                      "care, police, health) by %s (r11.strategy: %d working day%s).",
                      c->child, fd->age, fd->sign->words, fd->partner != NULL ? " (alleged, " : "",
                      fd->partner != NULL ? fd->partner : "", fd->partner != NULL ? ")" : "",
                      fd->partner_why, due_text, n, n == 1 ? "" : "s");
    return a;
}

static struct pw__alert *
raise_consider(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f,
               const struct finding *fd)
{
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_strength(a, PW__CONSIDER);
    pw__alert_because(a, f->id);
    pw__alert_agency(a, "csc");
    pw__alert_agency(a, "health");
    int n = pw__cfg(c, PW_CFG_R11_STRATEGY);
    if (fd->age < 0) {
        pw__alert_message(a,
                          "%s: %s, and the child's date of birth is not on record. "
                          "Record it: under 13 this is evidence of a sexual offence and a "
                          "strategy discussion is due within %d working day%s (r11.strategy); "
                          "at 13 to 15, consider sexual abuse.",
                          c->child, fd->sign->words, n, n == 1 ? "" : "s");
        return a;
    }
    pw__alert_message(a,
                      "%s, aged %d when seen: %s. Consider sexual abuse or "
                      "exploitation: who is the other person, how old, are they in the family "
                      "or in a position of trust, was there any coercion? Record who it is: a "
                      "partner %d or more years older (r11.partner_age_gap) or in the family "
                      "calls for a strategy discussion.",
                      c->child, fd->age, fd->sign->words, pw__cfg(c, PW_CFG_R11_PARTNER_GAP));
    return a;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        struct finding fd = read_fact(c, f);
        if (fd.level == LEVEL_NONE) {
            continue;
        }
        const struct pw_case_fact *answer = strategy_on_or_after(c, f->day);
        struct pw__alert *a;
        if (fd.level == LEVEL_ACT) {
            a = raise_act(ev, c, f, &fd);
        } else {
            a = raise_consider(ev, c, f, &fd);
            if (answer == NULL) {
                answer = decision_on_or_after(c, pw__j(f->body, "concern"), f->day);
            }
        }
        if (answer != NULL) {
            pw__alert_resolved(a, answer);
        }
    }
}

const struct pw__rule pw__rule_r11 = {
    .id = "R11",
    .name = "underage-pregnancy-or-sti",
    .strength = PW__ACT,
    .finding =
        "A pregnancy or infection in a child under 13 is evidence of a sexual offence (a child under 13 cannot consent in law), yet was not always treated as one.",
    .source = "000 (signs), 001 (Sexual Offences Act 2003)",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
