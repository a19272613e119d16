/*
 * R15 step-down-keeps-csa-explicit. When a child for whom sexual abuse was ever a concern is
 * stepped down to early help (plan.made of kind early_help) or their case is closed
 * (case.closed), the plan or closing record must keep the sexual-abuse risk explicit: it names
 * each risk with how it is mitigated (csa_risks, each with a mitigation) and what would bring
 * the child back (re_referral_triggers). The audit found the risk dropped out of step-down
 * plans, so the next practitioner did not know what to watch for. The fact is refused, naming
 * exactly what is missing, until it is there.
 *
 * Judgements. "Sexual abuse was ever a concern" is a current concern.raised naming the child
 * (as a child of concern, or as a child alleged to have harmed: the risk they pose must stay
 * explicit too) or a current indicator.observed for them, dated on or before the step-down or
 * closure; every concern this system records is a sexual-abuse concern and every indicator of
 * its taxonomy a sign of it. Child protection, child in need and other plans are not step-downs
 * and are never refused. A trigger line or mitigation of only white space counts as missing.
 */
#include <string.h>

#include "core/buf.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "plan.made",
    "case.closed",
    NULL,
};

static bool
names_child(const json_t *body, const char *key, const char *child)
{
    const char *v = pw__j(body, key);
    return v != NULL && strcmp(v, child) == 0;
}

/* The first current fact that makes sexual abuse a concern for the child by day, or NULL. */
static const struct pw_case_fact *
csa_concern(const struct pw_case *c, int32_t day)
{
    for (size_t i = 0; i < c->nfacts && c->facts[i].day <= day; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "concern.raised") &&
            (pw__jhas(f->body, "children", c->child) || pw__jhas(f->body, "alleged", c->child))) {
            return f;
        }
        if (pw__is(f, "indicator.observed") && names_child(f->body, "child", c->child)) {
            return f;
        }
    }
    return NULL;
}

/* True when the array field holds at least one line that is not blank. */
static bool
has_line(const json_t *body, const char *key)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(body, key), i, v)
    {
        if (!pw__blank(json_string_value(v))) {
            return true;
        }
    }
    return false;
}

/* Appends to out what is missing from the record's csa_risks. */
static void
missing_risks(const json_t *body, struct pw_buf *out)
{
    const json_t *risks = json_object_get(body, "csa_risks");
    if (json_array_size(risks) == 0) {
        pw_buf_adds(out, "; no sexual-abuse risks are named: record csa_risks, each "
                         "{risk, mitigation}");
        return;
    }
    size_t i;
    const json_t *r;
    json_array_foreach(risks, i, r)
    {
        const char *risk = pw__j(r, "risk");
        if (pw__blank(risk)) {
            pw_buf_addf(out, "; csa_risks[%zu] names no risk: record what the risk is", i);
        } else if (pw__blank(pw__j(r, "mitigation"))) {
            pw_buf_addf(out,
                        "; the risk \"%.80s\" (csa_risks[%zu]) has no mitigation: record "
                        "how it is mitigated",
                        risk, i);
        }
    }
}

static void
check(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    const bool closing = strcmp(f->type, "case.closed") == 0;
    const char *kind = pw__j(f->body, "kind");
    if (!names_child(f->body, "child", c->child) || !pw__child_at(c, f->day) ||
        (!closing && (kind == NULL || strcmp(kind, "early_help") != 0))) {
        return;
    }
    const struct pw_case_fact *concern = csa_concern(c, f->day);
    if (concern == NULL) {
        return;
    }
    struct pw_buf missing;
    pw_buf_init(&missing, 0);
    missing_risks(f->body, &missing);
    if (!has_line(f->body, "re_referral_triggers")) {
        pw_buf_adds(&missing, "; no re-referral triggers: record re_referral_triggers, what "
                              "would bring the child back to children's social care");
    }
    if (missing.len > 0) {
        pw__refuse(ev,
                   "sexual abuse has been a concern for %s (%s), so the %s must keep it "
                   "explicit%s",
                   c->child, concern->id, closing ? "closing record" : "early help plan",
                   pw_buf_cstr(&missing));
    }
    pw_buf_release(&missing);
}

const struct pw__rule pw__rule_r15 = {
    .id = "R15",
    .name = "step-down-keeps-csa-explicit",
    .strength = PW__BLOCK,
    .finding =
        "Sexual-abuse risk was lost at step-down and closure: plans no longer named it, nor what should bring the child back.",
    .source = "004 learning",
    .wakes = wakes,
    .derive = NULL,
    .check = check,
};
