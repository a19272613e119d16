/*
 * The rule table: every rule of rules.def, in id order. The one place the engine learns which
 * rules there are.
 */
#include "rules/rules_int.h"

const struct pw__rule *const pw__rules[] = {
#define PW_RULE(n) &pw__rule_##n,
#include "rules/rules.def"
#undef PW_RULE
};

const size_t pw__rule_count = sizeof(pw__rules) / sizeof(pw__rules[0]);
