/*
 * R23 after-support-contact. When a child's support ends (support.ended naming the child as
 * the person supported), the record must name a point of contact the child and family can go
 * back to should the effects of trauma emerge later: the review found support that simply
 * stopped, leaving nobody to turn to. An ending recorded without point_of_contact raises an
 * act alert, due r23.point_of_contact working days from the day support ended.
 *
 * Judgements. A support ending and its corrections are one ending: the alert is keyed on the
 * first version that lacked a point of contact (so correcting the date or provider keeps the
 * same alert) and dated by the current version; it is answered by the correction that adds
 * point_of_contact. It is also answered by a later ending of another support for the same child
 * that names a point of contact, on or after this one: the family then has a named person to
 * go back to, which is what the finding asks for. A new support starting does not answer it:
 * when that support ends the same question arises again.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "support.ended",
    "person.registered",
    NULL,
};

/* Any version of a fact (current or corrected) with that id, or NULL. */
static const struct pw_case_fact *
any_version(const struct pw_case *c, const char *id)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        if (strcmp(c->facts[i].id, id) == 0) {
            return &c->facts[i];
        }
    }
    return NULL;
}

static bool
has_contact(const struct pw_case_fact *f)
{
    return !pw__blank(pw__j(f->body, "point_of_contact"));
}

/* True when f is a current support.ended for the case's child. */
static bool
ended_for_child(const struct pw_case *c, const struct pw_case_fact *f)
{
    const char *person = pw__j(f->body, "person");
    return pw__is(f, "support.ended") && person != NULL && strcmp(person, c->child) == 0;
}

/*
 * The earliest version of the ending whose current version is cur that recorded no point of
 * contact (the chain of corrections walked back to its first record), or NULL when every
 * version named one.
 */
static const struct pw_case_fact *
first_without_contact(const struct pw_case *c, const struct pw_case_fact *cur)
{
    const struct pw_case_fact *first = NULL;
    const struct pw_case_fact *v = cur;
    /* A chain is never longer than the case; the bound guards against a malformed log. */
    for (size_t steps = 0; v != NULL && steps <= c->nfacts; steps++) {
        if (!has_contact(v)) {
            first = v;
        }
        v = v->supersedes != NULL ? any_version(c, v->supersedes) : NULL;
    }
    return first;
}

/* A later ending of support for the child, on or after day, that names a point of contact. */
static const struct pw_case_fact *
later_contact(const struct pw_case *c, const struct pw_case_fact *cur)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (f != cur && ended_for_child(c, f) && f->day >= cur->day && has_contact(f)) {
            return f;
        }
    }
    return NULL;
}

static const char *
agency_to_act(const struct pw_case_fact *f)
{
    /* "other" (a voluntary provider) is not an agency the escalation reaches: social care. */
    return strcmp(f->agency, "other") == 0 ? "csc" : f->agency;
}

static void
raise_for(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *cur,
          const struct pw_case_fact *first)
{
    const int n = pw__cfg(c, PW_CFG_R23_CONTACT);
    const int32_t due = pw_cal_deadline(cur->day, n);
    char ended[PW_DATE_TEXT_MAX];
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(cur->day, ended);
    pw__day_text(due, due_text);
    const char *kind = pw__j(cur->body, "kind");
    const char *provider = pw__j(cur->body, "provider");

    struct pw__alert *a = pw__raise(ev, first->id, cur->day);
    pw__alert_due(a, due);
    pw__alert_agency(a, agency_to_act(cur));
    pw__alert_because(a, first->id);
    pw__alert_message(a,
                      "Support for %s (%s%s%s) ended on %s with no named point of contact. "
                      "Record who the child and family can go back to should the effects of "
                      "trauma emerge later (correct the ending with point_of_contact) by %s: "
                      "within %d working days (r23.point_of_contact).",
                      c->child, kind != NULL ? kind : "support", provider != NULL ? ", " : "",
                      provider != NULL ? provider : "", ended, due_text, n);
    if (has_contact(cur)) {
        pw__alert_resolved(a, cur);
        return;
    }
    const struct pw_case_fact *answer = later_contact(c, cur);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!ended_for_child(c, f) || !pw__child_at(c, f->day)) {
            continue;
        }
        const struct pw_case_fact *first = first_without_contact(c, f);
        if (first != NULL) {
            raise_for(ev, c, f, first);
        }
    }
}

const struct pw__rule pw__rule_r23 = {
    .id = "R23",
    .name = "after-support-contact",
    .strength = PW__ACT,
    .finding =
        "When support ended, children and families had nobody to go back to when the effects of trauma emerged later.",
    .source = "001 support",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
