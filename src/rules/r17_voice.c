/*
 * R17 voice-of-child. Every assessment of a child (assessment.completed naming them as the
 * child) and every plan for them (plan.made) must rest on the child's own view, recorded as
 * child.view_recorded. For a child who does not speak, does not yet speak or speaks little
 * (registration communication non_verbal, pre_verbal or limited_verbal) or who has any
 * disability recorded, the view must have been gathered by a method that suits them: signs and
 * symbols, play, observation, an advocate or an intermediary, not a spoken or written account.
 * The reviews found disabled and non-verbal children left without a response because practice
 * relied on what a child said. An act alert is due r17.child_view working days after the
 * assessment or plan, answered by a later view gathered by a suitable method.
 *
 * Judgements. The view must belong to the same piece of work: it counts when recorded on or
 * after the start of the child's latest episode that had begun by the assessment or plan (the
 * first referral decision or strategy discussion of an episode naming the child), and on or
 * before the assessment or plan itself; with no episode on record, a view at any time before
 * counts. How the child communicates is read from their current registration (the best
 * knowledge we have of it, even when recorded after the assessment). A disability array that
 * is empty means none.
 */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "assessment.completed", "plan.made",     "child.view_recorded", "person.registered",
    "referral.decided",     "strategy.held", "concern.raised",      NULL,
};

static bool
is_child(const json_t *body, const char *key, const char *child)
{
    const char *v = pw__j(body, key);
    return v != NULL && strcmp(v, child) == 0;
}

/* The episode f opens or names for the case's child, or NULL. */
static const char *
childs_episode(const struct pw_case *c, const struct pw_case_fact *f)
{
    if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child)) {
        return pw__j(f->body, "episode");
    }
    if (pw__is(f, "referral.decided") && pw__concern_names_child(c, pw__j(f->body, "concern"))) {
        return pw__j(f->body, "episode");
    }
    return NULL;
}

/* The day episode began: the first current referral decision or strategy discussion of it. */
static int32_t
episode_began(const struct pw_case *c, const char *episode)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if ((pw__is(f, "referral.decided") || pw__is(f, "strategy.held")) &&
            is_child(f->body, "episode", episode)) {
            return f->day;
        }
    }
    return PW_NO_DAY;
}

/* The start of the child's latest episode begun by day, or PW_NO_DAY when there is none. */
static int32_t
period_start(const struct pw_case *c, int32_t day)
{
    int32_t start = PW_NO_DAY;
    for (size_t i = 0; i < c->nfacts && c->facts[i].day <= day; i++) {
        const char *episode = childs_episode(c, &c->facts[i]);
        const int32_t began = episode != NULL ? episode_began(c, episode) : PW_NO_DAY;
        if (began != PW_NO_DAY && began <= day && began > start) {
            start = began;
        }
    }
    return start;
}

/*
 * True when the child's current registration records a communication need or a disability;
 * what it records is written to out (for the message).
 */
static bool
needs_suited_method(const struct pw_case *c, char *out, size_t size)
{
    const struct pw_case_fact *reg = pw__registration(c, c->child);
    const char *how = reg != NULL ? pw__j(reg->body, "communication") : NULL;
    const json_t *list = reg != NULL ? json_object_get(reg->body, "disability") : NULL;
    const char *disability = NULL;
    size_t i;
    const json_t *v;
    json_array_foreach(list, i, v)
    {
        if (disability == NULL && !pw__blank(json_string_value(v))) {
            disability = json_string_value(v);
        }
    }
    const bool unspoken = how != NULL && strcmp(how, "verbal") != 0;
    (void)snprintf(out, size, "%s%s%s%.200s", unspoken ? how : "",
                   unspoken && disability != NULL ? "; " : "",
                   disability != NULL ? "disability: " : "", disability != NULL ? disability : "");
    return unspoken || disability != NULL;
}

/* True when f is a current view of the child gathered by a method that suits them. */
static bool
suitable_view(const struct pw_case *c, const struct pw_case_fact *f, bool suited)
{
    if (!pw__is(f, "child.view_recorded") || !is_child(f->body, "child", c->child)) {
        return false;
    }
    const char *method = pw__j(f->body, "method");
    return !suited ||
           (method != NULL && strcmp(method, "spoken") != 0 && strcmp(method, "written") != 0);
}

/* The first suitable view from..to (inclusive days), or NULL. */
static const struct pw_case_fact *
view_between(const struct pw_case *c, int32_t from, int32_t to, bool suited)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (f->day >= from && f->day <= to && suitable_view(c, f, suited)) {
            return f;
        }
    }
    return NULL;
}

/* True when f is an assessment of, or a plan for, the case's child. */
static bool
is_trigger(const struct pw_case *c, const struct pw_case_fact *f)
{
    return (pw__is(f, "assessment.completed") || pw__is(f, "plan.made")) &&
           is_child(f->body, "child", c->child);
}

static void
raise_for(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f, int32_t start,
          const char *needs)
{
    const bool suited = needs != NULL;
    const int n = pw__cfg(c, PW_CFG_R17_VIEW);
    const int32_t due = pw_cal_deadline(f->day, n);
    char due_text[PW_DATE_TEXT_MAX];
    char since[PW_DATE_TEXT_MAX] = "";
    pw__day_text(due, due_text);
    if (start != PW_NO_DAY) {
        pw__day_text(start, since);
    }
    const bool plan = strcmp(f->type, "plan.made") == 0;
    const char *kind = pw__j(f->body, "kind");

    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_due(a, due);
    pw__alert_agency(a, strcmp(f->agency, "other") == 0 ? "csc" : f->agency);
    pw__alert_because(a, f->id);
    pw__alert_message(
        a,
        "The %s %s %s has no recorded view of %s%s%s%s%s%s. %s, and record it "
        "(child.view_recorded) by %s: within %d working days (r17.child_view).",
        kind != NULL ? kind : "", plan ? "plan" : "assessment", f->id, c->child,
        suited ? " gathered by a method that suits how they communicate (recorded: " : "",
        suited ? needs : "", suited ? ")" : "",
        start != PW_NO_DAY ? " since the episode began on " : "", since,
        suited ? "Gather the child's view through signs and symbols, play, observation, an "
                 "advocate or an intermediary, not a spoken or written account alone"
               : "See the child and gather their wishes, feelings and experience",
        due_text, n);
    const struct pw_case_fact *answer = view_between(c, f->day, PW_OPEN_DAY, suited);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    char text[256];
    const bool suited = needs_suited_method(c, text, sizeof(text));
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!is_trigger(c, f) || !pw__child_at(c, f->day)) {
            continue;
        }
        const int32_t start = period_start(c, f->day);
        if (view_between(c, start, f->day, suited) == NULL) {
            raise_for(ev, c, f, start, suited ? text : NULL);
        }
    }
}

const struct pw__rule pw__rule_r17 = {
    .id = "R17",
    .name = "voice-of-child",
    .strength = PW__ACT,
    .finding =
        "Children's own views were missing from assessments and plans, above all for children who do not speak or are disabled.",
    .source = "004, 000 (non-verbal children), 001",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
