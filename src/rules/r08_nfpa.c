/*
 * R08 nfpa-needs-discussion. The review found that 'no further action' by the police ended every
 * agency's involvement although the child's needs and the risk remained (rec. 3). So when a
 * police investigation in one of the child's episodes closes with no further police action at
 * this time, or the child's section 47 enquiry concludes, a multi-agency discussion about the
 * risk and the support the child and family need is due within r08.discussion working days
 * (the closure is day 1). The message asks the police to share the reason with the agencies
 * involved and to use the words 'no further police action at this time', never 'NFA'. The
 * child's case cannot be closed (case.closed is refused) while such a closure, dated on or
 * before the case closure, has had no discussion since.
 *
 * Judgements. The answer is a meeting.held for the episode, dated on or after the closure, of
 * kind multi_agency_discussion, or an initial child protection conference (icpc): a conference
 * after a concluded enquiry is itself the multi-agency discussion of risk and support. An
 * investigation closed with a charge or an out-of-court outcome does not trigger the rule. An
 * enquiry.concluded counts for the child it names only, not for the episode's other children.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "investigation.updated", "enquiry.concluded", "meeting.held",   "case.closed",
    "strategy.held",         "referral.decided",  "concern.raised", NULL,
};

/* True when f is a police closure with no further police action, or an enquiry concluded. */
static bool
is_closure(const struct pw_case *c, const struct pw_case_fact *f)
{
    if (pw__is(f, "investigation.updated")) {
        return pw__same(pw__j(f->body, "event"), "closed") &&
               pw__same(pw__j(f->body, "outcome"), "no_further_police_action_at_this_time") &&
               pw__episode_of_child(c, pw__j(f->body, "episode"));
    }
    return pw__is(f, "enquiry.concluded") && pw__same(pw__j(f->body, "child"), c->child);
}

static bool
is_police(const struct pw_case_fact *f)
{
    return strcmp(f->type, "investigation.updated") == 0;
}

/* The first multi-agency discussion (or conference) of the closure's episode on or after it. */
static const struct pw_case_fact *
discussion_after(const struct pw_case *c, const struct pw_case_fact *closure)
{
    const char *episode = pw__j(closure->body, "episode");
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *kind = pw__j(f->body, "kind");
        if (pw__is(f, "meeting.held") && f->day >= closure->day &&
            pw__same(pw__j(f->body, "episode"), episode) &&
            (pw__same(kind, "multi_agency_discussion") || pw__same(kind, "icpc"))) {
            return f;
        }
    }
    return NULL;
}

static void
raise_for(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    int days = pw__cfg(c, PW_CFG_R08_DUE);
    int32_t due = pw_cal_deadline(f->day, days);
    const char *episode = pw__j(f->body, "episode");
    char day[PW_DATE_TEXT_MAX];
    char by[PW_DATE_TEXT_MAX];
    pw__day_text(f->day, day);
    pw__day_text(due, by);
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_due(a, due);
    pw__alert_agency(a, "csc");
    pw__alert_because(a, f->id);
    if (is_police(f)) {
        pw__alert_agency(a, "police");
        pw__alert_subject(a, pw__j(f->body, "suspect"));
        pw__alert_message(a,
                          "The police investigation in episode %s closed on %s with no further "
                          "police action at this time. Hold a multi-agency discussion about the "
                          "risk to %s and the support the child and family need within %d "
                          "working days (r08.discussion), by %s. Police: share the reason for "
                          "the decision with the agencies involved, and write 'no further police "
                          "action at this time' in every record and letter, never 'NFA'. The "
                          "case cannot be closed until the discussion is held.",
                          episode, day, c->child, days, by);
    } else {
        pw__alert_message(a,
                          "The section 47 enquiry about %s in episode %s concluded on %s (%s). "
                          "Hold a multi-agency discussion about the risk and the support the "
                          "child and family need within %d working days (r08.discussion), by "
                          "%s, and share the outcome and its reasons with the agencies involved. "
                          "The case cannot be closed until the discussion is held.",
                          c->child, episode, day, pw__j(f->body, "outcome"), days, by);
    }
    const struct pw_case_fact *answer = discussion_after(c, f);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (is_closure(c, f) && pw__child_at(c, f->day)) {
            raise_for(ev, c, f);
        }
    }
}

/* A case.closed for the child is refused while a closure on or before it awaits discussion. */
static void
check(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    if (!pw__is(f, "case.closed") || !pw__same(pw__j(f->body, "child"), c->child)) {
        return;
    }
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (!is_closure(c, g) || g->day > f->day || !pw__child_at(c, g->day) ||
            discussion_after(c, g) != NULL) {
            continue;
        }
        char day[PW_DATE_TEXT_MAX];
        pw__day_text(g->day, day);
        pw__refuse(ev,
                   "%s's case cannot be closed: no multi-agency discussion has been held since "
                   "%s on %s (%s). Record a meeting.held of kind multi_agency_discussion for "
                   "episode %s, on or after %s, before closing the case",
                   c->child,
                   is_police(g) ? "the police investigation closed with no further police "
                                  "action at this time"
                                : "the section 47 enquiry concluded",
                   day, g->id, pw__j(g->body, "episode"), day);
        return;
    }
}

const struct pw__rule pw__rule_r08 = {
    .id = "R08",
    .name = "nfpa-needs-discussion",
    .strength = PW__ACT,
    .finding =
        "'No further action' by the police ended every agency's involvement, though the child's needs and the risk remained.",
    .source = "002 rec. 3, 000",
    .wakes = wakes,
    .derive = derive,
    .check = check,
};
