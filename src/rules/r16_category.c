/*
 * R16 category-matches-concern. A child protection or child in need plan made without the
 * sexual abuse category, while sexual-abuse indicators or a concern about the child are on
 * record, prompts the practitioner to consider recording that category: the inspections found
 * only 20% of children known to the police as victims had plans under it, so their plans did
 * not address it. Judgements: every indicator of the shipped taxonomy counts (it is a taxonomy
 * of signs of sexual abuse), in a concern about the child or observed for them, when the fact
 * is dated on or before the plan's day; so does any concern naming the child as one of its
 * children (not as alleged). Other kinds of plan (early help, safety, looked after) carry no
 * categories in the sense of Working Together and are left alone. Answered by a later plan for
 * the child with the sexual category.
 */
#include <string.h>

#include "rules/rules_int.h"

static const char *const wakes[] = {
    "plan.made", "concern.raised", "indicator.observed", "person.registered", NULL,
};

/* What is on record about the child by a day. */
struct record {
    int indicators;
    int concerns;
};

/* Counts an indicator when its code is one of the taxonomy's. */
static void
count_indicator(const struct pw_case *c, const struct pw_case_fact *f, const json_t *ind,
                struct record *r)
{
    int32_t seen = pw__jday(ind, "observed_at");
    if (pw__indicator_strength(c, pw__j(ind, "code"), seen != PW_NO_DAY ? seen : f->day) !=
        PW_STRENGTH_NONE) {
        r->indicators++;
    }
}

/* What was on record about the child by day: facts dated on or before it. */
static struct record
on_record(const struct pw_case *c, int32_t day)
{
    struct record r = { 0, 0 };
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (f->day > day) {
            continue;
        }
        if (pw__is(f, "concern.raised") && pw__jhas(f->body, "children", c->child)) {
            r.concerns++;
            size_t k;
            const json_t *ind;
            json_array_foreach(json_object_get(f->body, "indicators"), k, ind)
            {
                count_indicator(c, f, ind, &r);
            }
        } else if (pw__is(f, "indicator.observed") && pw__same(pw__j(f->body, "child"), c->child)) {
            count_indicator(c, f, f->body, &r);
        }
    }
    return r;
}

/* A plan for the case's child of kind child protection or child in need. */
static bool
categorised_plan(const struct pw_case *c, const struct pw_case_fact *f)
{
    const char *kind = pw__j(f->body, "kind");
    return pw__is(f, "plan.made") && pw__same(pw__j(f->body, "child"), c->child) &&
           (pw__same(kind, "child_protection") || pw__same(kind, "child_in_need"));
}

/* The first plan for the child after facts[at] with the sexual category, or NULL. */
static const struct pw_case_fact *
answer(const struct pw_case *c, size_t at)
{
    for (size_t i = at + 1; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (pw__is(g, "plan.made") && pw__same(pw__j(g->body, "child"), c->child) &&
            pw__jhas(g->body, "categories", "sexual")) {
            return g;
        }
    }
    return NULL;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!categorised_plan(c, f) || pw__jhas(f->body, "categories", "sexual") ||
            !pw__child_at(c, f->day)) {
            continue;
        }
        struct record r = on_record(c, f->day);
        if (r.indicators == 0 && r.concerns == 0) {
            continue;
        }
        struct pw__alert *a = pw__raise(ev, f->id, f->day);
        pw__alert_agency(a, "csc");
        pw__alert_because(a, f->id);
        pw__alert_message(
            a,
            "The %s plan for %s does not record sexual abuse as a category, while %d "
            "indicator%s of sexual abuse and %d concern%s about %s are on record: consider "
            "whether sexual abuse should be a category of the plan, so that the plan addresses "
            "it (only 20%% of children known to the police as victims had plans under that "
            "category).",
            pw__same(pw__j(f->body, "kind"), "child_protection") ? "child protection"
                                                                 : "child in need",
            c->child, r.indicators, r.indicators == 1 ? "" : "s", r.concerns,
            r.concerns == 1 ? "" : "s", c->child);
        const struct pw_case_fact *ans = answer(c, i);
        if (ans != NULL) {
            pw__alert_resolved(a, ans);
        }
    }
}

const struct pw__rule pw__rule_r16 = {
    .id = "R16",
    .name = "category-matches-concern",
    .strength = PW__CONSIDER,
    .finding =
        "Only 20% of children known to the police as victims had plans under the sexual abuse category.",
    .source = "001 identification",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
