/*
 * R19 release-planning. A person with a sexual-offence conviction (risk.recorded, sexual, of
 * kind conviction or registered: notification requirements follow a conviction or caution;
 * spent or not, against a child or an adult) has a planned release from custody to the
 * address where the child lives on the release date, or is in regular contact with the child.
 * A pre-release risk assessment and plan is due r19.before_release working days before the
 * release date, so that it is made before he walks through the door, not after (Mark,
 * Samantha). It is answered by an assessment.completed of kind pre_release about the person
 * released, recorded on or after the day the release was planned. The alert's subject is the
 * person released.
 *
 * Addresses are compared as households are (store/project.c): the same UPRN when both have
 * one, else the same first line with the same postcode (or town, when neither has a
 * postcode), letters and digits only, case ignored. A postcode alone is a street, not a home.
 * A release planned so late that the due day has passed is overdue at once: that is the
 * finding. A man with no recorded tie to the child (no relationship, no residence: the
 * partner he is released to lives with her children) is in the child's case all the same:
 * the store connects whoever is to be released to an address with whoever lives there.
 */
#include <ctype.h>
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "custody.release_planned",
    "risk.recorded",
    "residence.recorded",
    "relationship.recorded",
    "assessment.completed",
    "person.registered",
    NULL,
};

/* The working day n working days before day (n >= 0). */
static int32_t
working_days_before(int32_t day, int n)
{
    int32_t d = day;
    for (int k = 0; k < n;) {
        d--;
        if (pw_cal_is_working_day(d)) {
            k++;
        }
    }
    return d;
}

/* The child's current residence at address covering day, or NULL. */
static const struct pw_case_fact *
child_lives_at(const struct pw_case *c, const json_t *address, int32_t day)
{
    for (size_t i = 0; address != NULL && i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *p = pw__j(f->body, "person");
        if (!pw__is(f, "residence.recorded") || p == NULL || strcmp(p, c->child) != 0) {
            continue;
        }
        int32_t since = pw__jday(f->body, "since");
        int32_t until = pw__jday(f->body, "until");
        if ((since == PW_NO_DAY || since <= day) && (until == PW_NO_DAY || day <= until) &&
            pw__same_address(json_object_get(f->body, "address"), address)) {
            return f;
        }
    }
    return NULL;
}

/* A current regular_contact between the child and person not ended before day, or NULL. */
static const struct pw_case_fact *
visits(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "relationship.recorded")) {
            continue;
        }
        const char *from = pw__j(f->body, "from");
        const char *to = pw__j(f->body, "to");
        const char *kind = pw__j(f->body, "kind");
        int32_t until = pw__jday(f->body, "until");
        if (from == NULL || to == NULL || kind == NULL || strcmp(kind, "regular_contact") != 0 ||
            (until != PW_NO_DAY && until < day)) {
            continue;
        }
        if ((strcmp(from, c->child) == 0 && strcmp(to, person) == 0) ||
            (strcmp(from, person) == 0 && strcmp(to, c->child) == 0)) {
            return f;
        }
    }
    return NULL;
}

/* The person's current sexual-offence conviction (or registration), or NULL. */
static const struct pw_case_fact *
conviction(const struct pw_case *c, const char *person)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *p = pw__j(f->body, "person");
        const char *kind = pw__j(f->body, "kind");
        if (pw__is(f, "risk.recorded") && p != NULL && strcmp(p, person) == 0 &&
            pw__jtrue(f->body, "sexual") && kind != NULL &&
            (strcmp(kind, "conviction") == 0 || strcmp(kind, "registered") == 0)) {
            return f;
        }
    }
    return NULL;
}

/* The first pre-release assessment of person on or after day, or NULL. */
static const struct pw_case_fact *
assessed(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *p = pw__j(f->body, "person");
        const char *kind = pw__j(f->body, "kind");
        if (f->day >= day && pw__is(f, "assessment.completed") && p != NULL &&
            strcmp(p, person) == 0 && kind != NULL && strcmp(kind, "pre_release") == 0) {
            return f;
        }
    }
    return NULL;
}

static void
release(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f)
{
    const char *person = pw__j(f->body, "person");
    int32_t date = pw__jday(f->body, "date");
    if (person == NULL || strcmp(person, c->child) == 0 || date == PW_NO_DAY ||
        !pw__child_at(c, date)) {
        return;
    }
    const struct pw_case_fact *risk = conviction(c, person);
    if (risk == NULL) {
        return;
    }
    const struct pw_case_fact *home = child_lives_at(c, json_object_get(f->body, "address"), date);
    const struct pw_case_fact *contact = visits(c, person, date);
    if (home == NULL && contact == NULL) {
        return;
    }
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_subject(a, person);
    pw__alert_because(a, f->id);
    pw__alert_because(a, risk->id);
    pw__alert_because(a, home != NULL ? home->id : contact->id);
    pw__alert_agency(a, "probation");
    pw__alert_agency(a, "csc");
    pw__alert_agency(a, "police");
    int n = pw__cfg(c, PW_CFG_R19_BEFORE_RELEASE);
    int32_t due = working_days_before(date, n);
    pw__alert_due(a, due);
    char date_text[PW_DATE_TEXT_MAX];
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(date, date_text);
    pw__day_text(due, due_text);
    const char *line1 = pw__j(json_object_get(f->body, "address"), "line1");
    const char *where =
        home != NULL ? pw_arena_printf(c->arena, "to %s, where %s lives",
                                       line1 != NULL ? line1 : "the address", c->child)
                     : pw_arena_printf(c->arena, "and is in regular contact with %s", c->child);
    const char *kind = pw__j(risk->body, "kind");
    const char *history = kind != NULL && strcmp(kind, "registered") == 0
                              ? "is subject to sex offender notification requirements"
                              : "has a sexual-offence conviction";
    pw__alert_message(a,
                      "%s, who %s (%s), is to be released from "
                      "custody on %s %s. Complete a pre-release risk assessment and plan "
                      "(probation, children's social care, police) by %s (r19.before_release: "
                      "%d working days before release), and record it as an assessment of %s "
                      "of kind pre_release.",
                      person, history, risk->id, date_text, where, due_text, n, person);
    const struct pw_case_fact *answer = assessed(c, person, f->day);
    if (answer != NULL) {
        pw__alert_resolved(a, answer);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        if (pw__is(&c->facts[i], "custody.release_planned")) {
            release(ev, c, &c->facts[i]);
        }
    }
}

const struct pw__rule pw__rule_r19 = {
    .id = "R19",
    .name = "release-planning",
    .strength = PW__ACT,
    .finding =
        "Men with sexual-offence convictions were released to homes where children lived or visited without a plan made before release (Mark, Samantha).",
    .source = "001 (Mark, Samantha)",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
