/*
 * R20 court-application-with-risk. A private family-court application (child arrangements or
 * family time) about the child names among its adults someone with a sexual-offence history
 * (risk.recorded, sexual, of kind conviction, caution, charge, registered or civil_order,
 * spent or not) or who is a suspect in a police investigation still open (an
 * investigation.updated naming them as suspect, with no 'closed' event for that episode on or
 * before the day). Every child of the application needs a comprehensive and urgent safety
 * assessment (Cafcass, with children's social care), due within r20.safety_assessment working
 * days, answered by an assessment.completed of the child of kind court_safety on or after the
 * day the risk and the application met. Allegations and intelligence alone are left to R01
 * and R02: this rule is about convictions, sentences and live investigations (003).
 *
 * Judgements: care and supervision applications are left out (the local authority brings
 * them and its own assessments and plans are the subject of other rules). When the history is
 * recorded after the application, the clock starts on the day it was recorded, and there is
 * no alert for a child who had turned 18 by then (the arrangements no longer concern a
 * child). One alert per application and child; its subject is the first adult found, the
 * message names them all.
 * An adult named only in the application (a new partner with no other recorded tie) is in the
 * child's case: the store connects everyone named in a court application.
 */
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "court.application",
    "risk.recorded",
    "investigation.updated",
    "assessment.completed",
    "relationship.recorded",
    "person.registered",
    NULL,
};

static bool
risk_kind(const char *kind)
{
    static const char *const kinds[] = {
        "conviction", "caution", "charge", "registered", "civil_order", NULL,
    };
    for (size_t i = 0; kind != NULL && kinds[i] != NULL; i++) {
        if (strcmp(kinds[i], kind) == 0) {
            return true;
        }
    }
    return false;
}

/* True when an investigation update closed episode on or before day. */
static bool
investigation_closed(const struct pw_case *c, const char *episode, int32_t day)
{
    for (size_t i = 0; i < c->nfacts && c->facts[i].day <= day; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *e = pw__j(f->body, "episode");
        const char *event = pw__j(f->body, "event");
        if (pw__is(f, "investigation.updated") && e != NULL && strcmp(e, episode) == 0 &&
            event != NULL && strcmp(event, "closed") == 0) {
            return true;
        }
    }
    return false;
}

/*
 * The first fact making adult a risk for an application on day: a sexual-offence history
 * (any day: the clock starts when it is known), or an open investigation naming them as
 * suspect (still open on the later of day and the update's day). NULL when none.
 */
static const struct pw_case_fact *
adult_risk(const struct pw_case *c, const char *adult, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *p = pw__j(f->body, pw__is(f, "risk.recorded") ? "person" : "suspect");
        if (p == NULL || strcmp(p, adult) != 0) {
            continue;
        }
        if (pw__is(f, "risk.recorded") && pw__jtrue(f->body, "sexual") &&
            risk_kind(pw__j(f->body, "kind"))) {
            return f;
        }
        const char *episode = pw__j(f->body, "episode");
        const char *event = pw__j(f->body, "event");
        if (pw__is(f, "investigation.updated") && episode != NULL && event != NULL &&
            strcmp(event, "closed") != 0 &&
            !investigation_closed(c, episode, f->day > day ? f->day : day)) {
            return f;
        }
    }
    return NULL;
}

/* The first court safety assessment of the child on or after day, or NULL. */
static const struct pw_case_fact *
assessed(const struct pw_case *c, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *child = pw__j(f->body, "child");
        const char *kind = pw__j(f->body, "kind");
        if (f->day >= day && pw__is(f, "assessment.completed") && child != NULL &&
            strcmp(child, c->child) == 0 && kind != NULL && strcmp(kind, "court_safety") == 0) {
            return f;
        }
    }
    return NULL;
}

/* How the message words a risk fact. */
static const char *
risk_words(const struct pw_case *c, const struct pw_case_fact *risk)
{
    if (strcmp(risk->type, "risk.recorded") != 0) {
        return pw_arena_printf(c->arena, "suspect in open investigation %s",
                               pw__j(risk->body, "episode"));
    }
    static const char *const words[][2] = {
        { "conviction", "convicted of a sexual offence" },
        { "caution", "cautioned for a sexual offence" },
        { "charge", "charged with a sexual offence" },
        { "registered", "subject to sex offender notification requirements" },
        { "civil_order", "subject to a civil order for sexual risk" },
    };
    const char *kind = pw__j(risk->body, "kind");
    for (size_t i = 0; kind != NULL && i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(kind, words[i][0]) == 0) {
            return words[i][1];
        }
    }
    return "a sexual-offence history";
}

/* The adults of the application who pose a risk, and the facts that say so. */
struct risky {
    const char *adult[16];
    const struct pw_case_fact *risk[16];
    size_t n;
};

static void
application(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    const char *kind = pw__j(f->body, "kind");
    if (kind == NULL ||
        (strcmp(kind, "child_arrangements") != 0 && strcmp(kind, "family_time") != 0) ||
        !pw__jhas(f->body, "children", c->child) || !pw__child_at(c, f->day)) {
        return;
    }
    struct risky r = { .n = 0 };
    int32_t start = f->day; /* when the application and a risk first stood together on record */
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(f->body, "adults"), i, v)
    {
        const char *adult = json_string_value(v);
        const struct pw_case_fact *risk = adult == NULL ? NULL : adult_risk(c, adult, f->day);
        if (risk == NULL || r.n == sizeof(r.adult) / sizeof(r.adult[0])) {
            continue;
        }
        r.adult[r.n] = adult;
        r.risk[r.n++] = risk;
        if (r.n == 1 || risk->day < start) {
            start = risk->day > f->day ? risk->day : f->day;
        }
    }
    /* A history recorded after the child turned 18 asks nothing of a court about a child. */
    if (r.n == 0 || !pw__child_at(c, start)) {
        return;
    }
    struct pw__alert *a = pw__raise(ev, f->id, start);
    pw__alert_subject(a, r.adult[0]);
    pw__alert_because(a, f->id);
    pw__alert_agency(a, "cafcass");
    pw__alert_agency(a, "csc");
    char who[800] = "";
    size_t used = 0;
    for (size_t k = 0; k < r.n; k++) {
        const struct pw_case_fact *risk = r.risk[k];
        pw__alert_because(a, risk->id);
        int n = snprintf(who + used, sizeof(who) - used, "%s%s (%s: %s)", used > 0 ? "; " : "",
                         r.adult[k], risk_words(c, risk), risk->id);
        if (n > 0 && (size_t)n < sizeof(who) - used) {
            used += (size_t)n;
        }
    }
    int days = pw__cfg(c, PW_CFG_R20_ASSESSMENT);
    int32_t due = pw_cal_deadline(start, days);
    pw__alert_due(a, due);
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(due, due_text);
    pw__alert_message(a,
                      "A family-court application (%s, %s) about %s involves %s. Complete a "
                      "comprehensive and urgent safety assessment of %s (Cafcass with "
                      "children's social care) and record it as an assessment of kind "
                      "court_safety by %s (r20.safety_assessment: %d working days).",
                      kind, f->id, c->child, who, c->child, due_text, days);
    const struct pw_case_fact *answer = assessed(c, f->day);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        if (pw__is(&c->facts[i], "court.application")) {
            application(ev, c, &c->facts[i]);
        }
    }
}

const struct pw__rule pw__rule_r20 = {
    .id = "R20",
    .name = "court-application-with-risk",
    .strength = PW__ACT,
    .finding =
        "Family-court arrangements put children in contact with adults convicted of, or under investigation for, sexual offences without a full safety assessment.",
    .source = "003 (Cafcass)",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
