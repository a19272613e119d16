/*
 * R05 retraction-is-not-closure. When a child retracts a disclosure, a prompt: explore whether
 * fear, shame, embarrassment or intimidation lies behind it, and keep the concern open. The
 * national review found retractions taken as evidence that nothing had happened, leaving
 * children at greater risk. The prompt is answered by a fact showing the retraction was
 * explored after it was made: the child's view recorded again (a later conversation with the
 * child), a strategy discussion about the child, or a child and family or specialist
 * assessment of the child. Judgements: closing the case does not answer it (a retraction is
 * not closure), nor does a new concern on its own; the child's view must be recorded on a
 * later day than the retraction, since a view of the same day is most often the retraction
 * itself written down in the child's words. The prompt has no due date.
 */
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "disclosure.retracted", "child.view_recorded", "strategy.held",
    "assessment.completed", "person.registered",   NULL,
};

/*
 * True when g, after the retraction f in the log, shows it being explored with or for the
 * child. A view of the child must be from a later day: one of the same day is most often the
 * retraction itself in the child's words.
 */
static bool
explores(const struct pw_case *c, const struct pw_case_fact *f, const struct pw_case_fact *g)
{
    if (pw__is(g, "child.view_recorded")) {
        return g->day > f->day && pw__same(pw__j(g->body, "child"), c->child);
    }
    if (pw__is(g, "strategy.held")) {
        return pw__jhas(g->body, "children", c->child);
    }
    if (pw__is(g, "assessment.completed")) {
        const char *kind = pw__j(g->body, "kind");
        return pw__same(pw__j(g->body, "child"), c->child) &&
               (pw__same(kind, "child_and_family") || pw__same(kind, "sexual_risk_specialist"));
    }
    return false;
}

/* The first fact after the retraction (facts[at]) that answers it, or NULL. */
static const struct pw_case_fact *
answer(const struct pw_case *c, size_t at)
{
    for (size_t i = at + 1; i < c->nfacts; i++) {
        if (explores(c, &c->facts[at], &c->facts[i])) {
            return &c->facts[i];
        }
    }
    return NULL;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "disclosure.retracted") || !pw__same(pw__j(f->body, "child"), c->child) ||
            !pw__child_at(c, f->day)) {
            continue;
        }
        struct pw__alert *a = pw__raise(ev, f->id, f->day);
        const char *concern = pw__j(f->body, "concern");
        pw__alert_agency(a, "csc");
        if (strcmp(f->agency, "other") != 0) {
            pw__alert_agency(a, f->agency);
        }
        pw__alert_because(a, f->id);
        pw__alert_message(
            a,
            "%s has retracted a disclosure%s%s. A retraction is not evidence that nothing "
            "happened and does not close the concern: consider, with someone %s trusts, whether "
            "fear, shame, embarrassment or intimidation (including pressure from anyone in the "
            "household) lies behind it, keep the concern open, weigh every other sign on "
            "record, and record what %s says (child.view_recorded) or take it to a strategy "
            "discussion.",
            c->child, concern != NULL ? " in concern " : "", concern != NULL ? concern : "",
            c->child, c->child);
        const struct pw_case_fact *ans = answer(c, i);
        if (ans != NULL) {
            pw__alert_resolved(a, ans);
        }
    }
}

const struct pw__rule pw__rule_r05 = {
    .id = "R05",
    .name = "retraction-is-not-closure",
    .strength = PW__CONSIDER,
    .finding =
        "Children retract out of fear, shame, embarrassment or intimidation; a retraction was taken as the end of the concern.",
    .source = "000",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
