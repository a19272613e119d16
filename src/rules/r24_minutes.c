/*
 * R24 minutes-shared. Hackney's review (004) found that minutes and written outcomes of
 * multi-agency meetings were not routinely shared with the agencies engaged with the family. For
 * each meeting.held (any kind) of one of the child's episodes, the minutes must be shared with
 * every agency engaged with the family within r24.minutes_shared working days (the meeting's day
 * is day 1). If they were not, an alert shows from the day after that limit, due on it (so
 * overdue at once), naming the agencies not yet sent them, for the agency that recorded the
 * meeting to act on.
 *
 * Engaged: the meeting's attendees, and every agency that recorded a fact naming the episode, a
 * concern behind it, the child, or (other than a register: who, where, related to whom) someone
 * living with the child then, from the episode's first fact to the day of the meeting; not the
 * agency that holds the minutes (the one that recorded the meeting).
 *
 * Judgements. Sharing is recorded the way this data model corrects a fact: a meeting.held that
 * supersedes the meeting with minutes_shared_with and shared_at. The alert is keyed on the
 * meeting as first recorded, so its correction resolves the same alert (on shared_at) rather than
 * raising a new one; shared with every engaged agency within the limit, nothing is raised. A
 * record of minutes_shared_with without shared_at is taken as shared on the meeting's day: the
 * recorder says they went out and did not say late. Meetings naming no episode (MAPPA, MARAC
 * about adults) are not about a child. Strategy discussions are meetings too: strategy.held
 * carries minutes_shared_with and shared_at as meeting.held does.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

/* The meetings, and every fact that can make an agency engaged with the family. */
static const char *const wakes[] = {
    "meeting.held",
    "strategy.held",
    "concern.raised",
    "referral.decided",
    "indicator.observed",
    "disclosure.retracted",
    "child.view_recorded",
    "child.decision_recorded",
    "allocation.changed",
    "investigation.updated",
    "enquiry.concluded",
    "assessment.completed",
    "plan.made",
    "agreement.recorded",
    "support.started",
    "support.ended",
    "court.application",
    "case.closed",
    "school.recorded",
    "residence.recorded",
    "relationship.recorded",
    "risk.recorded",
    "person.registered",
    NULL,
};

/* Agencies (schema.c knows nine). */
#define MAX_AGENCIES 16

struct agencies {
    const char *name[MAX_AGENCIES];
    size_t n;
};

static bool
agencies_has(const struct agencies *s, const char *agency)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->name[i], agency) == 0) {
            return true;
        }
    }
    return false;
}

static void
agencies_add(struct agencies *s, const char *agency)
{
    if (agency != NULL && !agencies_has(s, agency) && s->n < MAX_AGENCIES) {
        s->name[s->n++] = agency;
    }
}

/* True when the fact names the child: child, person or children. */
static bool
names_child(const struct pw_case *c, const struct pw_case_fact *f)
{
    return pw__same(pw__j(f->body, "child"), c->child) ||
           pw__same(pw__j(f->body, "person"), c->child) || pw__jhas(f->body, "children", c->child);
}

/*
 * True when f is an agency's work with someone who lived with the child on its day (a risk
 * recorded by probation about the mother's partner, support for the mother): that agency is
 * engaged with the family too. Not the records that only say who someone is, where they live,
 * whom they are related to or which school they attend: keeping a register is not working
 * with a family.
 */
static bool
about_household(const struct pw_case *c, const struct pw_case_fact *f)
{
    static const char *const registers[] = {
        "person.registered",  "person.linked",   "relationship.recorded",
        "residence.recorded", "school.recorded", NULL,
    };
    for (size_t i = 0; registers[i] != NULL; i++) {
        if (strcmp(f->type, registers[i]) == 0) {
            return false;
        }
    }
    const char *person = pw__j(f->body, "person");
    return person != NULL && strcmp(person, c->child) != 0 && pw__lived_with(c, person, f->day);
}

/* True when f names the episode, or is a concern (or the decision on one) behind it. */
static bool
of_episode(const struct pw_case *c, const struct pw_case_fact *f, const char *episode)
{
    if (pw__same(pw__j(f->body, "episode"), episode)) {
        return true;
    }
    const char *concern = pw__j(f->body, "concern");
    for (size_t i = 0; concern != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (pw__is(g, "referral.decided") && pw__same(pw__j(g->body, "episode"), episode) &&
            pw__same(pw__j(g->body, "concern"), concern)) {
            return true;
        }
    }
    return false;
}

/* The agencies engaged with the family by the meeting m of episode (see the top). */
static void
engaged(const struct pw_case *c, const struct pw_case_fact *m, const char *episode,
        struct agencies *out)
{
    out->n = 0;
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(m->body, "attendees"), i, a)
    {
        agencies_add(out, pw__j(a, "agency"));
    }
    int32_t began = PW_OPEN_DAY;
    for (size_t k = 0; k < c->nfacts; k++) {
        const struct pw_case_fact *f = &c->facts[k];
        if (f->current && f->day <= m->day && of_episode(c, f, episode)) {
            began = f->day < began ? f->day : began;
            agencies_add(out, f->agency);
        }
    }
    for (size_t k = 0; k < c->nfacts; k++) {
        const struct pw_case_fact *f = &c->facts[k];
        if (f->current && began <= f->day && f->day <= m->day &&
            (names_child(c, f) || about_household(c, f))) {
            agencies_add(out, f->agency);
        }
    }
}

/* A meeting's kind in words; a strategy.held has none. */
static const char *
kind_words(const char *kind)
{
    static const char *const words[][2] = {
        { "multi_agency_discussion", "multi-agency discussion" },
        { "icpc", "initial child protection conference" },
        { "review_conference", "review child protection conference" },
        { "core_group", "core group" },
        { "cin_review", "child in need review" },
        { "mappa", "MAPPA meeting" },
        { "marac", "MARAC" },
    };
    for (size_t i = 0; kind != NULL && i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(kind, words[i][0]) == 0) {
            return words[i][1];
        }
    }
    return kind != NULL ? kind : "strategy discussion";
}

/* The fact as first recorded: the start of m's chain of corrections. */
static const struct pw_case_fact *
first_version(const struct pw_case *c, const struct pw_case_fact *m)
{
    const struct pw_case_fact *f = m;
    for (size_t guard = 0; f->supersedes != NULL && guard < c->nfacts; guard++) {
        const struct pw_case_fact *older = NULL;
        for (size_t i = 0; i < c->nfacts && older == NULL; i++) {
            if (strcmp(c->facts[i].id, f->supersedes) == 0) {
                older = &c->facts[i];
            }
        }
        if (older == NULL) {
            break;
        }
        f = older;
    }
    return f;
}

static void
judge(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *m)
{
    const char *episode = pw__j(m->body, "episode");
    struct agencies need;
    engaged(c, m, episode, &need);
    int days = pw__cfg(c, PW_CFG_R24_MINUTES);
    int32_t limit = pw_cal_deadline(m->day, days);
    int32_t shared = pw__jday(m->body, "shared_at");
    if (shared == PW_NO_DAY) {
        shared = m->day;
    }
    struct pw_buf missing;
    pw_buf_init(&missing, 0);
    size_t nmissing = 0;
    for (size_t i = 0; i < need.n; i++) {
        if (!pw__same(need.name[i], m->agency) &&
            !pw__jhas(m->body, "minutes_shared_with", need.name[i])) {
            pw_buf_addf(&missing, "%s%s", nmissing > 0 ? ", " : "", need.name[i]);
            nmissing++;
        }
    }
    if (nmissing == 0 && shared <= limit) {
        pw_buf_release(&missing);
        return;
    }
    const struct pw_case_fact *first = first_version(c, m);
    char day[PW_DATE_TEXT_MAX];
    char by[PW_DATE_TEXT_MAX];
    pw__day_text(m->day, day);
    pw__day_text(limit, by);
    struct pw__alert *a = pw__raise(ev, first->id, m->day);
    pw__alert_active(a, limit + 1);
    pw__alert_due(a, limit);
    pw__alert_agency(a, m->agency);
    pw__alert_because(a, m->id);
    const char *kind = kind_words(pw__j(m->body, "kind"));
    if (nmissing > 0) {
        pw__alert_message(a,
                          "The minutes and outcomes of the %s %s on %s (episode %s) have not "
                          "been shared with every agency engaged with %s's family within %d "
                          "working days (r24.minutes_shared), by %s: not yet shared with %s. "
                          "Send them, and record it by correcting the meeting record with "
                          "minutes_shared_with and shared_at.",
                          kind, first->id, day, episode, c->child, days, by, pw_buf_cstr(&missing));
    } else {
        char on[PW_DATE_TEXT_MAX];
        pw__day_text(shared, on);
        pw__alert_message(a,
                          "The minutes and outcomes of the %s %s on %s (episode %s) were shared "
                          "with the agencies engaged with %s's family on %s, after the %d "
                          "working days (r24.minutes_shared) that ended on %s.",
                          kind, first->id, day, episode, c->child, on, days, by);
    }
    pw_buf_release(&missing);
    if (nmissing == 0) {
        /* Answered by the record of sharing, on the day they were shared. */
        struct pw_case_fact answer = *m;
        answer.day = shared;
        pw__alert_resolved(a, &answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *episode = pw__j(f->body, "episode");
        bool meeting = pw__is(f, "meeting.held") && pw__episode_of_child(c, episode);
        bool strategy = pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child);
        if ((meeting || strategy) && episode != NULL && pw__child_at(c, f->day)) {
            judge(ev, c, f);
        }
    }
}

const struct pw__rule pw__rule_r24 = {
    .id = "R24",
    .name = "minutes-shared",
    .strength = PW__ACT,
    .finding =
        "Minutes and outcomes of multi-agency meetings were not shared with every agency working with the family.",
    .source = "004 learning",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
