/*
 * R09 bail-lapse. The review found bail conditions removed, or never imposed because suspects
 * were seen by voluntary attendance, with no agency asking how the risk to children would be
 * managed without them (001 bail findings). Three alerts, all asking for a multi-agency review
 * of how the risk is managed without bail conditions, while the investigation is open:
 *  - bail (bail_set, bail_extended) about to end: shown from r09.bail_ending calendar days before
 *    its `until`, due by the day bail ends, because the review is only useful before the
 *    conditions lapse;
 *  - bail ended, or the suspect released under investigation, without that warning having come
 *    due: at once, due in r09.review working days;
 *  - a suspect who lives with the child or is in regular contact with them (a relationship of
 *    kind regular_contact, household_member or babysitter) interviewed by voluntary attendance:
 *    due in r09.review working days.
 * Each is answered by a multi-agency discussion (meeting.held) for the episode held on or after
 * the day the alert came due to be acted on (for bail ending: once the warning window opens; a
 * discussion months earlier, when the conditions were in force, did not plan for their end), or
 * made moot by the police: the suspect bailed again or bail extended (conditions continue),
 * charged, or the investigation closed (rule R08 then asks for the discussion after no further
 * police action).
 *
 * Judgements. Bail concerns the episode's children and any child living with or in regular
 * contact with the suspect; voluntary attendance only the latter, as rules.md says. The
 * investigation is open from its first event until it is closed, or every suspect it has named
 * is charged (a charge ends pre-charge bail for that suspect). Bail superseded before its warning
 * window opened (extended, ended, a charge, a closure) raises nothing for that bail; a lapse that
 * falls inside an open warning window is that warning's alert, not a second one. A second
 * voluntary attendance while the first is unanswered is the same alert.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "investigation.updated", "meeting.held",
    "residence.recorded",    "relationship.recorded",
    "strategy.held",         "referral.decided",
    "concern.raised",        "enquiry.concluded",
    "person.registered",     NULL,
};

/* Suspects named by one investigation: concerns hold at most 50. */
#define MAX_SUSPECTS 64

static const char *
event_of(const struct pw_case_fact *f)
{
    return pw__j(f->body, "event");
}

static bool
of_suspect(const struct pw_case_fact *f, const char *suspect)
{
    return pw__same(pw__j(f->body, "suspect"), suspect);
}

/* True when the investigation of the episode of fact index i is open at i. */
static bool
open_at(const struct pw_case *c, size_t i)
{
    return !pw__investigation_ended(c, pw__j(c->facts[i].body, "episode"), i);
}

/* True when person lives with the child or is in regular contact with them on day. */
static bool
in_contact(const struct pw_case *c, const char *person, int32_t day)
{
    static const char *const contact[] = { "regular_contact", "household_member", "babysitter",
                                           NULL };
    if (person == NULL) {
        return false;
    }
    if (pw__lived_with(c, person, day)) {
        return true;
    }
    if (pw__relationship(c, c->child, person, contact) == NULL) {
        return false;
    }
    /* Such a relationship is on record: was one of them current on day? */
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "relationship.recorded")) {
            continue;
        }
        const char *from = pw__j(f->body, "from");
        const char *to = pw__j(f->body, "to");
        bool pair = (pw__same(from, c->child) && pw__same(to, person)) ||
                    (pw__same(from, person) && pw__same(to, c->child));
        const char *kind = pw__j(f->body, "kind");
        bool kind_ok = false;
        for (size_t k = 0; contact[k] != NULL; k++) {
            kind_ok = kind_ok || pw__same(kind, contact[k]);
        }
        int32_t since = pw__jday(f->body, "since");
        int32_t until = pw__jday(f->body, "until");
        if (pair && kind_ok && (since == PW_NO_DAY || since <= day) &&
            (until == PW_NO_DAY || day <= until)) {
            return true;
        }
    }
    return false;
}

/*
 * The first fact after index i, dated on or after from, that answers a review about suspect in
 * the episode: a multi-agency discussion of the episode, the suspect bailed again, bail
 * extended or charged, or the investigation closed.
 */
static const struct pw_case_fact *
answer_after(const struct pw_case *c, size_t i, const char *episode, const char *suspect,
             int32_t from)
{
    for (size_t k = i + 1; k < c->nfacts; k++) {
        const struct pw_case_fact *f = &c->facts[k];
        if (f->day < from) {
            continue;
        }
        if (pw__is(f, "meeting.held") && pw__same(pw__j(f->body, "episode"), episode) &&
            pw__same(pw__j(f->body, "kind"), "multi_agency_discussion")) {
            return f;
        }
        if (!pw__of_investigation(f, episode)) {
            continue;
        }
        const char *event = event_of(f);
        bool own = pw__same(event, "charged") || pw__same(event, "bail_set") ||
                   pw__same(event, "bail_extended");
        if (pw__same(event, "closed") || (own && of_suspect(f, suspect))) {
            return f;
        }
    }
    return NULL;
}

/*
 * The first event after index i that ends the bail of fact i: the suspect bailed again, bail
 * extended or ended, released under investigation, charged, or the investigation closed.
 */
static const struct pw_case_fact *
bail_stop(const struct pw_case *c, size_t i, const char *episode, const char *suspect)
{
    static const char *const own[] = { "bail_set",   "bail_extended",
                                       "bail_ended", "released_under_investigation",
                                       "charged",    NULL };
    for (size_t k = i + 1; k < c->nfacts; k++) {
        const struct pw_case_fact *f = &c->facts[k];
        if (!pw__of_investigation(f, episode)) {
            continue;
        }
        const char *event = event_of(f);
        bool mine = false;
        for (size_t j = 0; own[j] != NULL; j++) {
            mine = mine || pw__same(event, own[j]);
        }
        if ((mine && of_suspect(f, suspect)) || pw__investigation_ended(c, episode, k)) {
            return f;
        }
    }
    return NULL;
}

/* The day the warning for bail ending on until opens. */
static int32_t
warning_day(const struct pw_case *c, int32_t until)
{
    return until - (int32_t)pw__cfg(c, PW_CFG_R09_WARNING);
}

static bool
is_bail(const struct pw_case_fact *f)
{
    return pw__same(event_of(f), "bail_set") || pw__same(event_of(f), "bail_extended");
}

static bool
is_lapse(const struct pw_case_fact *f)
{
    return pw__same(event_of(f), "bail_ended") ||
           pw__same(event_of(f), "released_under_investigation");
}

static void
bail_ending(struct pw__eval *ev, const struct pw_case *c, size_t i)
{
    const struct pw_case_fact *f = &c->facts[i];
    const char *episode = pw__j(f->body, "episode");
    const char *suspect = pw__j(f->body, "suspect");
    int32_t until = pw__jday(f->body, "until");
    if (until == PW_NO_DAY || until < f->day) {
        return;
    }
    int32_t warn = warning_day(c, until);
    int32_t active = warn > f->day ? warn : f->day;
    const struct pw_case_fact *stop = bail_stop(c, i, episode, suspect);
    if ((stop != NULL && stop->day < active) || !pw__child_at(c, active)) {
        return;
    }
    char ends[PW_DATE_TEXT_MAX];
    pw__day_text(until, ends);
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_active(a, active);
    pw__alert_due(a, until);
    pw__alert_subject(a, suspect);
    pw__alert_agency(a, "police");
    pw__alert_agency(a, "csc");
    pw__alert_because(a, f->id);
    pw__alert_message(a,
                      "Bail for %s in episode %s ends on %s (warning from %d days before, "
                      "r09.bail_ending) and the investigation is still open. Police: decide "
                      "whether bail should be extended. Hold a multi-agency review of how the "
                      "risk to %s will be managed without bail conditions before they lapse, by "
                      "%s.",
                      suspect, episode, ends, pw__cfg(c, PW_CFG_R09_WARNING), c->child, ends);
    const struct pw_case_fact *answer = answer_after(c, i, episode, suspect, active);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

/* True when the lapse at index i falls inside the warning window of the bail before it. */
static bool
warned(const struct pw_case *c, size_t i, const char *episode, const char *suspect)
{
    for (size_t k = i; k-- > 0;) {
        const struct pw_case_fact *f = &c->facts[k];
        if (pw__of_investigation(f, episode) && of_suspect(f, suspect) && is_bail(f)) {
            int32_t until = pw__jday(f->body, "until");
            return until != PW_NO_DAY && c->facts[i].day >= warning_day(c, until);
        }
    }
    return false;
}

/* An alert asking for the review at once, due in r09.review working days; what says why. */
static void
raise_review(struct pw__eval *ev, const struct pw_case *c, size_t i, const char *what)
{
    const struct pw_case_fact *f = &c->facts[i];
    const char *episode = pw__j(f->body, "episode");
    const char *suspect = pw__j(f->body, "suspect");
    int days = pw__cfg(c, PW_CFG_R09_REVIEW);
    int32_t due = pw_cal_deadline(f->day, days);
    char day[PW_DATE_TEXT_MAX];
    char by[PW_DATE_TEXT_MAX];
    pw__day_text(f->day, day);
    pw__day_text(due, by);
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_due(a, due);
    pw__alert_subject(a, suspect);
    pw__alert_agency(a, "police");
    pw__alert_agency(a, "csc");
    pw__alert_because(a, f->id);
    pw__alert_message(a,
                      "On %s %s %s, in episode %s. The investigation is still open and no bail "
                      "conditions protect %s: hold a multi-agency review of how the risk is "
                      "managed without them within %d working days (r09.review), by %s.",
                      day, suspect, what, episode, c->child, days, by);
    const struct pw_case_fact *answer = answer_after(c, i, episode, suspect, f->day);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

/* True when an earlier voluntary attendance of the suspect is still unanswered at index i. */
static bool
attendance_pending(const struct pw_case *c, size_t i, const char *episode, const char *suspect)
{
    for (size_t k = 0; k < i; k++) {
        const struct pw_case_fact *f = &c->facts[k];
        if (pw__of_investigation(f, episode) && of_suspect(f, suspect) &&
            pw__same(event_of(f), "voluntary_attendance")) {
            const struct pw_case_fact *answer = answer_after(c, k, episode, suspect, f->day);
            if (answer == NULL || answer >= &c->facts[i]) {
                return true;
            }
        }
    }
    return false;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "investigation.updated") || !open_at(c, i)) {
            continue;
        }
        const char *episode = pw__j(f->body, "episode");
        const char *suspect = pw__j(f->body, "suspect");
        if (suspect == NULL) {
            continue;
        }
        bool contact = in_contact(c, suspect, f->day);
        bool ours = contact || pw__episode_of_child(c, episode);
        if (is_bail(f) && ours) {
            bail_ending(ev, c, i);
        } else if (is_lapse(f) && ours && pw__child_at(c, f->day) &&
                   !warned(c, i, episode, suspect)) {
            raise_review(ev, c, i,
                         pw__same(event_of(f), "bail_ended")
                             ? "was released from bail"
                             : "was released under investigation, without bail");
        } else if (pw__same(event_of(f), "voluntary_attendance") && contact &&
                   pw__child_at(c, f->day) && !attendance_pending(c, i, episode, suspect)) {
            raise_review(ev, c, i,
                         "attended a police interview voluntarily, not under arrest, and lives "
                         "with or is in regular contact with the child");
        }
    }
}

const struct pw__rule pw__rule_r09 = {
    .id = "R09",
    .name = "bail-lapse",
    .strength = PW__ACT,
    .finding =
        "Bail lapsed, or suspects were interviewed by voluntary attendance, and nobody reviewed how the risk to children was managed without conditions.",
    .source = "001 bail findings",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
