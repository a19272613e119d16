/*
 * R13 protective-parent-realism. A plan that relies on a parent (plan.made relies_on_parent)
 * or a written agreement with a parent (agreement.recorded) to supervise the child or keep a
 * person posing sexual risk away needs an assessment of that parent's capacity to protect
 * (assessment.completed, person the parent, kind capacity_to_protect) and support for them
 * (support.started, kind parent_support). The review found over-optimism that mothers can
 * police their own homes: agreements signed by parents who did not believe the abuse had
 * happened, or who were themselves under coercive control. An act alert about the parent is
 * due r13.capacity_to_protect working days after the plan or agreement; it is answered by the
 * capacity assessment, and its message says whether support for the parent is in place.
 *
 * Judgements. One alert per parent relied on: it is raised by the first plan or agreement
 * relying on them that no assessment of their capacity to protect preceded (on or before its
 * day); later plans and agreements relying on them before the assessment join its reasons
 * rather than raising more alerts. An assessment completed before the reliance began counts:
 * the plan then stands on it. Support alone does not answer the alert (support without an
 * assessment is the over-optimism the review describes), but the message says whether it is
 * there, so that an assessment without support is visible too.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "plan.made",
    "agreement.recorded",
    "assessment.completed",
    "support.started",
    "support.ended",
    "person.registered",
    NULL,
};

static bool
is_person(const json_t *body, const char *key, const char *person)
{
    const char *v = pw__j(body, key);
    return v != NULL && person != NULL && strcmp(v, person) == 0;
}

/* The parent a plan or agreement for the case's child relies on, or NULL. */
static const char *
relied_on(const struct pw_case *c, const struct pw_case_fact *f)
{
    if (!is_person(f->body, "child", c->child)) {
        return NULL;
    }
    if (pw__is(f, "plan.made")) {
        return pw__j(f->body, "relies_on_parent");
    }
    if (pw__is(f, "agreement.recorded")) {
        return pw__j(f->body, "parent");
    }
    return NULL;
}

/* The first current assessment of parent's capacity to protect on or after from, or NULL. */
static const struct pw_case_fact *
capacity_assessment(const struct pw_case *c, const char *parent, int32_t from)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *kind = pw__j(f->body, "kind");
        if (pw__is(f, "assessment.completed") && f->day >= from &&
            is_person(f->body, "person", parent) && kind != NULL &&
            strcmp(kind, "capacity_to_protect") == 0) {
            return f;
        }
    }
    return NULL;
}

/* True when the parent's capacity to protect had been assessed by day. */
static bool
assessed_by(const struct pw_case *c, const char *parent, int32_t day)
{
    const struct pw_case_fact *a = capacity_assessment(c, parent, PW_NO_DAY);
    return a != NULL && a->day <= day;
}

static bool
is_parent_support(const struct pw_case_fact *f, const char *type, const char *parent)
{
    const char *kind = pw__j(f->body, "kind");
    return pw__is(f, type) && is_person(f->body, "person", parent) && kind != NULL &&
           strcmp(kind, "parent_support") == 0;
}

/* The parent support that started last and has not ended since, or NULL. */
static const struct pw_case_fact *
support_in_place(const struct pw_case *c, const char *parent)
{
    const struct pw_case_fact *started = NULL;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (is_parent_support(f, "support.started", parent)) {
            started = f;
        } else if (started != NULL && is_parent_support(f, "support.ended", parent)) {
            started = NULL;
        }
    }
    return started;
}

/* True when f is a plan or agreement relying on parent that no assessment preceded. */
static bool
unassessed_reliance(const struct pw_case *c, const struct pw_case_fact *f, const char *parent)
{
    const char *p = relied_on(c, f);
    return p != NULL && strcmp(p, parent) == 0 && pw__child_at(c, f->day) &&
           !assessed_by(c, parent, f->day);
}

/* True when a fact before index i already raised the alert about parent. */
static bool
earlier_trigger(const struct pw_case *c, size_t i, const char *parent)
{
    for (size_t k = 0; k < i; k++) {
        if (unassessed_reliance(c, &c->facts[k], parent)) {
            return true;
        }
    }
    return false;
}

static void
describe(struct pw__alert *a, const struct pw_case *c, const struct pw_case_fact *first,
         const char *parent)
{
    const int n = pw__cfg(c, PW_CFG_R13_ASSESSMENT);
    char due[PW_DATE_TEXT_MAX];
    pw__day_text(pw_cal_deadline(first->day, n), due);
    const bool plan = strcmp(first->type, "plan.made") == 0;
    const char *about = plan ? NULL : pw__j(first->body, "about");
    const struct pw_case_fact *support = support_in_place(c, parent);
    char since[PW_DATE_TEXT_MAX] = "";
    if (support != NULL) {
        pw__day_text(support->day, since);
    }
    pw__alert_message(
        a,
        "The %s %s for %s relies on %s to keep the child safe%s%s. A plan that relies on a "
        "parent alone to supervise or prevent contact is not a safety plan: assess %s's "
        "capacity to protect (assessment.completed, person %s, kind capacity_to_protect) by %s, "
        "within %d working days (r13.capacity_to_protect), and support them to protect "
        "(support.started, kind parent_support). Support for %s: %s%s%s.",
        plan ? "plan" : "written agreement", first->id, c->child, parent,
        about != NULL ? " from " : "", about != NULL ? about : "", parent, parent, due, n, parent,
        support != NULL ? "in place since " : "none recorded", since,
        support != NULL ? "" : "; put it in place");
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *parent = relied_on(c, f);
        if (parent == NULL || !unassessed_reliance(c, f, parent) || earlier_trigger(c, i, parent)) {
            continue;
        }
        /* f is the first unassessed reliance on parent: later ones join its reasons. */
        struct pw__alert *a = pw__raise(ev, f->id, f->day);
        pw__alert_subject(a, parent);
        pw__alert_due(a, pw_cal_deadline(f->day, pw__cfg(c, PW_CFG_R13_ASSESSMENT)));
        pw__alert_agency(a, "csc");
        for (size_t k = i; k < c->nfacts; k++) {
            if (unassessed_reliance(c, &c->facts[k], parent)) {
                pw__alert_because(a, c->facts[k].id);
            }
        }
        describe(a, c, f, parent);
        const struct pw_case_fact *answer = capacity_assessment(c, parent, f->day);
        if (answer != NULL) {
            pw__alert_resolved(a, answer);
        }
    }
}

const struct pw__rule pw__rule_r13 = {
    .id = "R13",
    .name = "protective-parent-realism",
    .strength = PW__ACT,
    .finding =
        "Plans relied on mothers to police their own homes, with over-optimism about their capacity to protect and no support to do it.",
    .source = "001, 004",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
