/*
 * R06 strategy-discussion-membership. A strategy discussion about the child must have police,
 * children's social care and a health representative with child sexual abuse expertise
 * (national review rec. 6; 001 found health not involved); probation too when an alleged
 * perpetrator is known to it, and the child's school or early-years setting when the child
 * attends one. Each strategy.held naming the child that lacks one of them raises an alert naming
 * the missing agencies and marking the discussion incomplete, due r06.reconvene working days
 * after it (counted as the pathway counts its one-working-day steps: the next working day is
 * 1). It is answered by a later strategy discussion, or a multi-agency discussion, for the same
 * episode attended by every agency that was missing.
 *
 * Judgements. What was known on the day of the discussion decides what it needed: an alleged
 * person (named in a concern behind the episode, or a suspect of the episode's investigation
 * recorded by then) is known to probation when a risk record about them dated by then says
 * probation manages them or gives a MAPPA category (and had not ended), or probation had
 * allocated them an offender manager then. A school counts when a school.recorded for the child
 * covers the day (from its `since`, or from when it was recorded). A health attendee without
 * csa_expertise does not meet the health requirement.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "strategy.held",     "meeting.held",
    "risk.recorded",     "allocation.changed",
    "school.recorded",   "concern.raised",
    "referral.decided",  "investigation.updated",
    "person.registered", NULL,
};

/* The agencies a strategy discussion may need, in the order the message names them. */
enum need {
    NEED_POLICE,
    NEED_CSC,
    NEED_HEALTH,
    NEED_PROBATION,
    NEED_EDUCATION,
    NEED_COUNT,
};

static const char *const need_agency[NEED_COUNT] = {
    "police", "csc", "health", "probation", "education",
};

static const char *const need_words[NEED_COUNT] = {
    "police",
    "children's social care",
    "a health representative with child sexual abuse expertise",
    "probation",
    "the child's school or early-years setting",
};

/* Alleged people of an episode: concerns hold at most 50, suspects add a few. */
#define MAX_ALLEGED 64

struct alleged {
    const char *ids[MAX_ALLEGED];
    size_t n;
};

static void
alleged_add(struct alleged *a, const char *id)
{
    if (id == NULL) {
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (strcmp(a->ids[i], id) == 0) {
            return;
        }
    }
    if (a->n < MAX_ALLEGED) {
        a->ids[a->n++] = id;
    }
}

/* True when the fact is current, of type, and names episode. */
static bool
of_episode(const struct pw_case_fact *f, const char *type, const char *episode)
{
    return pw__is(f, type) && pw__same(pw__j(f->body, "episode"), episode);
}

/*
 * The people alleged in the concerns behind episode (the referral decisions that opened or
 * joined it), and the suspects its investigation had named by day.
 */
static void
episode_alleged(const struct pw_case *c, const char *episode, int32_t day, struct alleged *out)
{
    out->n = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (of_episode(f, "investigation.updated", episode) && f->day <= day) {
            alleged_add(out, pw__j(f->body, "suspect"));
        }
        if (!of_episode(f, "referral.decided", episode)) {
            continue;
        }
        const char *concern = pw__j(f->body, "concern");
        for (size_t k = 0; k < c->nfacts; k++) {
            const struct pw_case_fact *g = &c->facts[k];
            if (pw__is(g, "concern.raised") && pw__same(pw__j(g->body, "concern"), concern)) {
                size_t j;
                const json_t *p;
                json_array_foreach(json_object_get(g->body, "alleged"), j, p)
                {
                    alleged_add(out, json_string_value(p));
                }
            }
        }
    }
}

/* True when a period from since (PW_NO_DAY: from) to until (PW_NO_DAY: open) covers day. */
static bool
covers(int32_t since, int32_t from, int32_t until, int32_t day)
{
    int32_t start = since != PW_NO_DAY ? since : from;
    return start <= day && (until == PW_NO_DAY || day <= until);
}

/* The fact that shows person known to probation on day, or NULL. */
static const struct pw_case_fact *
probation_record(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "risk.recorded") && pw__same(pw__j(f->body, "person"), person) &&
            f->day <= day) {
            int32_t until = pw__jday(f->body, "until");
            bool managed = pw__same(pw__j(f->body, "managed_by"), "probation") ||
                           json_object_get(f->body, "mappa") != NULL;
            if (managed && (until == PW_NO_DAY || day <= until)) {
                return f;
            }
        }
        if (pw__is(f, "allocation.changed") && pw__same(f->agency, "probation") &&
            pw__same(pw__j(f->body, "role"), "offender_manager") &&
            pw__same(pw__j(f->body, "child"), person) &&
            covers(pw__jday(f->body, "since"), f->day, pw__jday(f->body, "until"), day)) {
            return f;
        }
    }
    return NULL;
}

/* The school.recorded placing the child in a school or setting on day, or NULL. */
static const struct pw_case_fact *
school_on(const struct pw_case *c, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "school.recorded") && pw__same(pw__j(f->body, "child"), c->child) &&
            covers(pw__jday(f->body, "since"), f->day, pw__jday(f->body, "until"), day)) {
            return f;
        }
    }
    return NULL;
}

/* True when attendees include the agency needed (health: with csa_expertise). */
static bool
attended(const json_t *attendees, enum need n)
{
    size_t i;
    const json_t *a;
    json_array_foreach(attendees, i, a)
    {
        if (pw__same(pw__j(a, "agency"), need_agency[n]) &&
            (n != NEED_HEALTH || pw__jtrue(a, "csa_expertise"))) {
            return true;
        }
    }
    return false;
}

/* A later strategy or multi-agency discussion of the episode attended by every missing agency. */
static const struct pw_case_fact *
reconvened(const struct pw_case *c, size_t after, const char *episode, const bool *missing)
{
    for (size_t i = after + 1; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        bool discussion = of_episode(f, "strategy.held", episode) ||
                          (of_episode(f, "meeting.held", episode) &&
                           pw__same(pw__j(f->body, "kind"), "multi_agency_discussion"));
        if (!discussion) {
            continue;
        }
        const json_t *attendees = json_object_get(f->body, "attendees");
        bool all = true;
        for (int n = 0; n < NEED_COUNT; n++) {
            all = all && (!missing[n] || attended(attendees, (enum need)n));
        }
        if (all) {
            return f;
        }
    }
    return NULL;
}

static void
judge(struct pw__eval *ev, const struct pw_case *c, size_t at)
{
    const struct pw_case_fact *s = &c->facts[at];
    const char *episode = pw__j(s->body, "episode");
    const json_t *attendees = json_object_get(s->body, "attendees");
    bool missing[NEED_COUNT] = { false };
    bool any = false;
    for (int n = NEED_POLICE; n <= NEED_HEALTH; n++) {
        missing[n] = !attended(attendees, (enum need)n);
    }
    const char *known = NULL;
    const struct pw_case_fact *known_by = NULL;
    if (!attended(attendees, NEED_PROBATION)) {
        struct alleged people;
        episode_alleged(c, episode, s->day, &people);
        for (size_t i = 0; i < people.n && known_by == NULL; i++) {
            known_by = probation_record(c, people.ids[i], s->day);
            known = people.ids[i];
        }
        missing[NEED_PROBATION] = known_by != NULL;
    }
    const struct pw_case_fact *school = school_on(c, s->day);
    missing[NEED_EDUCATION] = school != NULL && !attended(attendees, NEED_EDUCATION);
    for (int n = 0; n < NEED_COUNT; n++) {
        any = any || missing[n];
    }
    if (!any) {
        return;
    }

    int reconvene = pw__cfg(c, PW_CFG_R06_RECONVENE);
    int32_t due = pw_cal_add_working_days(s->day, reconvene);
    struct pw__alert *a = pw__raise(ev, s->id, s->day);
    pw__alert_due(a, due);
    pw__alert_agency(a, "csc");
    pw__alert_because(a, s->id);
    struct pw_buf words;
    pw_buf_init(&words, 0);
    bool first = true;
    for (int n = 0; n < NEED_COUNT; n++) {
        if (!missing[n]) {
            continue;
        }
        pw__alert_agency(a, need_agency[n]);
        pw_buf_addf(&words, "%s%s", first ? "" : "; ", need_words[n]);
        first = false;
        if (n == NEED_PROBATION) {
            pw__alert_subject(a, known);
            pw__alert_because(a, known_by->id);
            pw_buf_addf(&words, " (%s is known to probation: %s)", known, known_by->id);
        } else if (n == NEED_EDUCATION) {
            pw__alert_because(a, school->id);
            pw_buf_addf(&words, " (%s attends %s)", c->child, pw__j(school->body, "setting"));
        }
    }
    char day[PW_DATE_TEXT_MAX];
    char by[PW_DATE_TEXT_MAX];
    pw__day_text(s->day, day);
    pw__day_text(due, by);
    pw__alert_message(a,
                      "The strategy discussion %s on %s about %s was held without: %s. The "
                      "discussion is incomplete: reconvene it with them within %d working "
                      "day%s (r06.reconvene), by %s, and record who attended.",
                      s->id, day, c->child, pw_buf_cstr(&words), reconvene,
                      reconvene == 1 ? "" : "s", by);
    pw_buf_release(&words);

    const struct pw_case_fact *answer = reconvened(c, at, episode, missing);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child) &&
            pw__child_at(c, f->day)) {
            judge(ev, c, i);
        }
    }
}

const struct pw__rule pw__rule_r06 = {
    .id = "R06",
    .name = "strategy-discussion-membership",
    .strength = PW__ACT,
    .finding =
        "Strategy discussions were held without health, without probation when it knew the alleged perpetrator, or without the child's school.",
    .source = "001 'health not involved', 002 rec. 6, 004 escalation",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
