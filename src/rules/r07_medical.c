/*
 * R07 medical-considered. A strategy discussion about possible sexual abuse must record a
 * decision on a child protection medical: arranged, or not needed with the reason. The review
 * found medicals ruled out only because the forensic window had passed, when a medical also
 * reassures the child, treats, and looks for infection and pregnancy; so "not needed" needs a
 * reason a reader can weigh. The strategy discussion is refused until the decision is there.
 */
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "strategy.held",
    NULL,
};

static void
check(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    (void)c;
    const json_t *medical = json_object_get(f->body, "medical");
    const char *decision = pw__j(medical, "decision");
    if (decision == NULL) {
        pw__refuse(ev, "the strategy discussion records no decision on a child protection "
                       "medical: record medical.decision, arranged or not_needed with the reason");
    } else if (strcmp(decision, "not_needed") == 0 && pw__blank(pw__j(medical, "reason"))) {
        pw__refuse(ev, "a child protection medical is recorded as not needed without a reason: "
                       "record medical.reason (the forensic window is not the only purpose of "
                       "a medical: it also reassures, treats, and checks for infection and "
                       "pregnancy)");
    }
}

const struct pw__rule pw__rule_r07 = {
    .id = "R07",
    .name = "medical-considered",
    .strength = PW__BLOCK,
    .finding =
        "Child protection medicals were not considered, or ruled out only because the forensic window had passed.",
    .source = "001, 002 rec. 6",
    .wakes = wakes,
    .derive = NULL,
    .check = check,
};
