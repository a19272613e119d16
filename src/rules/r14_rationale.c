/*
 * R14 rationale-when-not-progressed. A concern closed or stepped down without going to a
 * strategy discussion must say why and who decided: a referral decision of no further action
 * or early help, and a case closure for a child who never had a strategy discussion after
 * their latest concern, are refused without a rationale and a decision-maker (decided_by).
 * The review found closures nobody could later explain.
 */
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "referral.decided",
    "case.closed",
    NULL,
};

/* True when a strategy discussion named the child after their latest concern, up to f. */
static bool
went_to_strategy(const struct pw_case *c, const struct pw_case_fact *f)
{
    bool went = false;
    for (size_t i = 0; i < c->nfacts && &c->facts[i] != f; i++) {
        const struct pw_case_fact *x = &c->facts[i];
        if (pw__is(x, "concern.raised") && pw__jhas(x->body, "children", c->child)) {
            went = false;
        } else if (pw__is(x, "strategy.held") && pw__jhas(x->body, "children", c->child)) {
            went = true;
        }
    }
    return went;
}

static void
require(struct pw__eval *ev, const struct pw_case_fact *f, const char *what)
{
    bool no_rationale = pw__blank(pw__j(f->body, "rationale"));
    bool no_decider = pw__blank(pw__j(f->body, "decided_by"));
    if (no_rationale || no_decider) {
        pw__refuse(ev, "%s without a strategy discussion needs %s%s%s: record why, and who decided",
                   what, no_rationale ? "a rationale" : "",
                   no_rationale && no_decider ? " and " : "",
                   no_decider ? "the decision-maker (decided_by)" : "");
    }
}

static void
check(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    if (strcmp(f->type, "referral.decided") == 0) {
        const char *decision = pw__j(f->body, "decision");
        if (strcmp(decision, "no_further_action") == 0) {
            require(ev, f, "a decision of no further action");
        } else if (strcmp(decision, "early_help") == 0) {
            require(ev, f, "stepping a concern down to early help");
        }
    } else if (strcmp(f->type, "case.closed") == 0 && !went_to_strategy(c, f)) {
        require(ev, f, "closing the case");
    }
}

const struct pw__rule pw__rule_r14 = {
    .id = "R14",
    .name = "rationale-when-not-progressed",
    .strength = PW__BLOCK,
    .finding =
        "Concerns were closed or stepped down without a strategy discussion and without a recorded reason or decision-maker.",
    .source = "004 learning",
    .wakes = wakes,
    .derive = NULL,
    .check = check,
};
