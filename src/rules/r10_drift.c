/*
 * R10 investigation-drift. The review found investigations drifting: a suspect not interviewed
 * until four weeks after the child's disclosure, a child's achieving-best-evidence interview five
 * weeks late, devices waiting months for forensic examination, families left without news
 * (001 delays, 002 'drift and delay'). For each police investigation in one of the child's
 * episodes, while it is open, four clocks:
 *  - each alleged perpetrator (alleged in a concern behind the episode, or a suspect the
 *    investigation names) interviewed (interviewed, or a voluntary attendance, which is an
 *    interview) within r10.suspect_interview working days of the child's disclosure, or of the
 *    investigation's start when the child made none, or of when they were first named if later;
 *  - the child's achieving-best-evidence interview (abe_interview) within r10.abe_interview
 *    working days of their disclosure;
 *  - each digital_forensics_requested completed within r10.digital_forensics calendar days;
 *  - the child and family updated (family_updated) at least every r10.family_update working days
 *    from the investigation's start: each update answers the current alert and starts the clock
 *    again, so a new alert comes each time it runs out.
 * Each alert shows from the day after the limit passed, is due on the limit (so it is overdue at
 * once and goes to the police and social care managers: the escalation the finding asks for),
 * and names the police and children's social care (the note to social care).
 *
 * Judgements. A disclosure is a concern.raised naming the child with a verbal or partial
 * disclosure, behind the episode (its referral decision). The investigation starts with its first
 * investigation.updated, or a strategy discussion of the episode that decided on a police
 * investigation; it ends when closed, or when every suspect it named is charged. What was done in
 * time raises nothing. An investigation that ends before a limit passes raises nothing for that
 * limit (what was outstanding will not now happen, and rule R08 takes the closure up); one that
 * ends after resolves what is still outstanding, so nothing stays open for a closed investigation.
 * An ABE interview is only expected after the child's own disclosure; investigation.updated names
 * no child, so an ABE interview in the episode counts for each of its children.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "investigation.updated",
    "concern.raised",
    "referral.decided",
    "strategy.held",
    "enquiry.concluded",
    "person.registered",
    NULL,
};

/* Suspects named by one investigation: concerns hold at most 50. */
#define MAX_SUSPECTS 64

static const char *
event_of(const struct pw_case_fact *f)
{
    return pw__j(f->body, "event");
}

/* What the rule needs to know about one episode's investigation. */
struct inquiry {
    const char *episode;
    const struct pw_case_fact *disclosure; /* the child's first disclosure behind it, or NULL */
    const struct pw_case_fact *start;      /* where the investigation starts, or NULL */
    const struct pw_case_fact *end;        /* where it ends, or NULL */
};

/* True when the concern.raised f is behind episode (a referral decision on it names episode). */
static bool
concern_behind(const struct pw_case *c, const struct pw_case_fact *f, const char *episode)
{
    const char *concern = pw__j(f->body, "concern");
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (pw__is(g, "referral.decided") && pw__same(pw__j(g->body, "episode"), episode) &&
            pw__same(pw__j(g->body, "concern"), concern)) {
            return true;
        }
    }
    return false;
}

static void
inquiry_load(const struct pw_case *c, const char *episode, struct inquiry *q)
{
    memset(q, 0, sizeof(*q));
    q->episode = episode;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (q->disclosure == NULL && pw__is(f, "concern.raised") &&
            pw__jhas(f->body, "children", c->child) && concern_behind(c, f, episode)) {
            const char *kind = pw__j(json_object_get(f->body, "disclosure"), "kind");
            if (pw__same(kind, "verbal") || pw__same(kind, "partial")) {
                q->disclosure = f;
            }
        }
        bool decided = pw__is(f, "strategy.held") && pw__same(pw__j(f->body, "episode"), episode) &&
                       pw__jtrue(f->body, "police_investigation");
        if (q->start == NULL && (decided || pw__of_investigation(f, episode))) {
            q->start = f;
        }
        if (q->start != NULL && q->end == NULL && pw__of_investigation(f, episode) &&
            pw__investigation_ended(c, episode, i)) {
            q->end = f;
        }
    }
}

/* The first fact of the episode's investigation at or after from (a fact) that is one of events
 * about suspect (NULL: any), or NULL. */
static const struct pw_case_fact *
first_event(const struct pw_case *c, const struct pw_case_fact *from, const char *episode,
            const char *const *events, const char *suspect)
{
    for (const struct pw_case_fact *f = from; f < c->facts + c->nfacts; f++) {
        if (!pw__of_investigation(f, episode) ||
            (suspect != NULL && !pw__same(pw__j(f->body, "suspect"), suspect))) {
            continue;
        }
        for (size_t k = 0; events[k] != NULL; k++) {
            if (pw__same(event_of(f), events[k])) {
                return f;
            }
        }
    }
    return NULL;
}

/* The earlier (in the case's order) of two facts, either may be NULL. */
static const struct pw_case_fact *
earlier(const struct pw_case_fact *a, const struct pw_case_fact *b)
{
    if (a == NULL) {
        return b;
    }
    return b == NULL || a <= b ? a : b;
}

/*
 * One clock: started at start (a day), its limit passing after limit (a day), answered by done
 * (or NULL). Raises, unless it was done or the investigation ended by the limit, an alert keyed
 * key, shown from the day after the limit (and not before the investigation starts), resolved by
 * the earlier of done and the investigation's end. The caller sets the message.
 */
static struct pw__alert *
late(struct pw__eval *ev, const struct pw_case *c, const struct inquiry *q, const char *key,
     int32_t start, int32_t limit, const struct pw_case_fact *done)
{
    const struct pw_case_fact *end = q->end;
    if ((done != NULL && done->day <= limit) || (end != NULL && end->day <= limit) ||
        !pw__child_at(c, start)) {
        return NULL;
    }
    struct pw__alert *a = pw__raise(ev, key, start);
    pw__alert_active(a, limit + 1);
    pw__alert_active(a, q->start->day);
    pw__alert_due(a, limit);
    pw__alert_agency(a, "police");
    pw__alert_agency(a, "csc");
    const struct pw_case_fact *answer = earlier(done, end);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
    return a;
}

/* The people alleged in the concerns behind the episode, and its investigation's suspects. */
struct suspects {
    const char *id[MAX_SUSPECTS];
    const struct pw_case_fact *named[MAX_SUSPECTS]; /* the first fact naming them */
    size_t n;
};

static void
suspect_add(struct suspects *s, const char *id, const struct pw_case_fact *f)
{
    if (id == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->id[i], id) == 0) {
            return;
        }
    }
    if (s->n < MAX_SUSPECTS) {
        s->id[s->n] = id;
        s->named[s->n] = f;
        s->n++;
    }
}

static void
suspects_load(const struct pw_case *c, const char *episode, struct suspects *s)
{
    s->n = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "concern.raised") && concern_behind(c, f, episode)) {
            size_t j;
            const json_t *p;
            json_array_foreach(json_object_get(f->body, "alleged"), j, p)
            {
                suspect_add(s, json_string_value(p), f);
            }
        } else if (pw__of_investigation(f, episode)) {
            suspect_add(s, pw__j(f->body, "suspect"), f);
        }
    }
}

static void
suspect_interviews(struct pw__eval *ev, const struct pw_case *c, const struct inquiry *q)
{
    static const char *const answers[] = { "interviewed", "voluntary_attendance", "charged", NULL };
    const struct pw_case_fact *from = q->disclosure != NULL ? q->disclosure : q->start;
    int days = pw__cfg(c, PW_CFG_R10_INTERVIEW);
    struct suspects s;
    suspects_load(c, q->episode, &s);
    for (size_t i = 0; i < s.n; i++) {
        const struct pw_case_fact *clock_from = s.named[i]->day > from->day ? s.named[i] : from;
        int32_t limit = pw_cal_deadline(clock_from->day, days);
        const struct pw_case_fact *done = first_event(c, c->facts, q->episode, answers, s.id[i]);
        const char *key =
            pw_arena_printf(c->arena, "%s/%s/interview/%s", from->id, q->episode, s.id[i]);
        struct pw__alert *a = late(ev, c, q, key, clock_from->day, limit, done);
        if (a == NULL) {
            continue;
        }
        char since[PW_DATE_TEXT_MAX];
        char by[PW_DATE_TEXT_MAX];
        pw__day_text(clock_from->day, since);
        pw__day_text(limit, by);
        pw__alert_subject(a, s.id[i]);
        pw__alert_because(a, from->id);
        pw__alert_because(a, clock_from->id);
        pw__alert_message(a,
                          "%s, alleged to have abused %s, has not been interviewed by the police "
                          "within %d working days (r10.suspect_interview) of %s on %s: the "
                          "interview was due by %s. Police: escalate to the investigating "
                          "officer's manager and tell children's social care when it will be: "
                          "delay can leave the child unprotected and lose evidence.",
                          s.id[i], c->child, days,
                          clock_from == q->disclosure ? "the child's disclosure"
                          : clock_from == q->start    ? "the start of the investigation"
                                                      : "when they were named",
                          since, by);
    }
}

static void
abe_interview(struct pw__eval *ev, const struct pw_case *c, const struct inquiry *q)
{
    static const char *const answers[] = { "abe_interview", NULL };
    if (q->disclosure == NULL) {
        return;
    }
    int days = pw__cfg(c, PW_CFG_R10_ABE);
    int32_t limit = pw_cal_deadline(q->disclosure->day, days);
    const struct pw_case_fact *done = first_event(c, c->facts, q->episode, answers, NULL);
    const char *key = pw_arena_printf(c->arena, "%s/abe/%s", q->disclosure->id, q->episode);
    struct pw__alert *a = late(ev, c, q, key, q->disclosure->day, limit, done);
    if (a == NULL) {
        return;
    }
    char since[PW_DATE_TEXT_MAX];
    char by[PW_DATE_TEXT_MAX];
    pw__day_text(q->disclosure->day, since);
    pw__day_text(limit, by);
    pw__alert_because(a, q->disclosure->id);
    pw__alert_message(a,
                      "No achieving-best-evidence interview of %s has been held within %d "
                      "working days (r10.abe_interview) of their disclosure on %s: it was due by "
                      "%s. Police: escalate to the investigating officer's manager, tell "
                      "children's social care, and tell the child and family when it will be.",
                      c->child, days, since, by);
}

static void
forensics(struct pw__eval *ev, const struct pw_case *c, const struct inquiry *q)
{
    static const char *const answers[] = { "digital_forensics_completed", NULL };
    int days = pw__cfg(c, PW_CFG_R10_FORENSICS);
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__of_investigation(f, q->episode) ||
            !pw__same(event_of(f), "digital_forensics_requested") ||
            pw__investigation_ended(c, q->episode, i)) {
            continue;
        }
        int32_t limit = f->day + days;
        const struct pw_case_fact *done = first_event(c, f + 1, q->episode, answers, NULL);
        struct pw__alert *a = late(ev, c, q, f->id, f->day, limit, done);
        if (a == NULL) {
            continue;
        }
        char since[PW_DATE_TEXT_MAX];
        char by[PW_DATE_TEXT_MAX];
        pw__day_text(f->day, since);
        pw__day_text(limit, by);
        pw__alert_because(a, f->id);
        pw__alert_message(a,
                          "Digital forensics requested on %s in episode %s are still outstanding "
                          "after %d days (r10.digital_forensics; due by %s). Police: escalate to "
                          "the investigating officer's manager, tell children's social care, and "
                          "tell %s and the family what the delay is and when it will end.",
                          since, q->episode, days, by, c->child);
    }
}

static void
family_updates(struct pw__eval *ev, const struct pw_case *c, const struct inquiry *q)
{
    static const char *const answers[] = { "family_updated", NULL };
    int days = pw__cfg(c, PW_CFG_R10_FAMILY_UPDATE);
    const struct pw_case_fact *from = q->start;
    while (from != NULL && (q->end == NULL || from < q->end)) {
        int32_t limit = pw_cal_deadline(from->day, days);
        const struct pw_case_fact *done = first_event(c, from + 1, q->episode, answers, NULL);
        const char *key = pw_arena_printf(c->arena, "%s/family", from->id);
        struct pw__alert *a = late(ev, c, q, key, from->day, limit, done);
        if (a != NULL) {
            char since[PW_DATE_TEXT_MAX];
            char by[PW_DATE_TEXT_MAX];
            pw__day_text(from->day, since);
            pw__day_text(limit, by);
            pw__alert_because(a, from->id);
            pw__alert_message(a,
                              "%s and their family have had no update on the police "
                              "investigation in episode %s for %d working days "
                              "(r10.family_update) since %s: an update was due by %s. Police: "
                              "update them now (record family_updated), tell children's social "
                              "care, and escalate to the investigating officer's manager.",
                              c->child, q->episode, days, since, by);
        }
        from = done;
    }
}

/* True when fact index i is the first current fact naming its episode. */
static bool
first_of_episode(const struct pw_case *c, size_t i, const char **episode)
{
    *episode = c->facts[i].current ? pw__j(c->facts[i].body, "episode") : NULL;
    if (*episode == NULL) {
        return false;
    }
    for (size_t k = 0; k < i; k++) {
        if (c->facts[k].current && pw__same(pw__j(c->facts[k].body, "episode"), *episode)) {
            return false;
        }
    }
    return true;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const char *episode = NULL;
        if (!first_of_episode(c, i, &episode) || !pw__episode_of_child(c, episode)) {
            continue;
        }
        struct inquiry q;
        inquiry_load(c, episode, &q);
        if (q.start == NULL) {
            continue; /* no police investigation in this episode */
        }
        suspect_interviews(ev, c, &q);
        abe_interview(ev, c, &q);
        forensics(ev, c, &q);
        family_updates(ev, c, &q);
    }
}

const struct pw__rule pw__rule_r10 = {
    .id = "R10",
    .name = "investigation-drift",
    .strength = PW__ACT,
    .finding =
        "Investigations drifted: suspects not interviewed, interviews of the child delayed, devices waiting months, families left without news.",
    .source = "001 delays, 002 'drift and delay'",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
