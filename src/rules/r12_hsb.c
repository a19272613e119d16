/*
 * R12 hsb-child-may-be-victim. A child recorded as showing harmful sexual behaviour (the
 * indicator harmful_sexual_behaviour observed for them or given in a concern about them, or
 * named as alleged in a concern while a child) must be assessed as a possible victim of sexual
 * abuse too, within r12.victim_assessment working days, and plans must cover the child who
 * harmed, the child harmed and the other children in the family. The inspections found these
 * children treated solely as a risk (Kyle), though their behaviour is often the first sign of
 * their own abuse. Answered by a child and family or specialist sexual-risk assessment of the
 * child on or after the first sign: an HSB assessment alone looks at the harm they cause, not
 * the harm done to them. Judgements: signs that follow while an alert is unanswered join it
 * (one assessment answers them all); a sign after the assessment starts a new alert. The
 * indicator in a concern that names a child as alleged describes that child, so it is not read
 * as the behaviour of the children the concern is about.
 */
#include <string.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/time.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised", "indicator.observed", "assessment.completed", "person.registered", NULL,
};

#define HSB "harmful_sexual_behaviour"

/* True when the concern names as alleged someone known to be a child on its day. */
static bool
alleges_a_child(const struct pw_case *c, const struct pw_case_fact *f)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(f->body, "alleged"), i, v)
    {
        const char *person = json_string_value(v);
        int age = person == NULL ? -1 : pw__age(c, person, f->day);
        if (age >= 0 && age < 18) {
            return true;
        }
    }
    return false;
}

static bool
has_hsb_indicator(const json_t *concern)
{
    size_t i;
    const json_t *ind;
    json_array_foreach(json_object_get(concern, "indicators"), i, ind)
    {
        if (pw__same(pw__j(ind, "code"), HSB)) {
            return true;
        }
    }
    return false;
}

/* True when f records the case's child as showing harmful sexual behaviour. */
static bool
shows_hsb(const struct pw_case *c, const struct pw_case_fact *f)
{
    if (pw__is(f, "indicator.observed")) {
        return pw__same(pw__j(f->body, "child"), c->child) && pw__same(pw__j(f->body, "code"), HSB);
    }
    if (!pw__is(f, "concern.raised")) {
        return false;
    }
    if (pw__jhas(f->body, "alleged", c->child)) {
        return true;
    }
    return pw__jhas(f->body, "children", c->child) && has_hsb_indicator(f->body) &&
           !alleges_a_child(c, f);
}

/* The first assessment of the child as a possible victim on or after from, or NULL. */
static const struct pw_case_fact *
answer(const struct pw_case *c, int32_t from)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        const char *kind = pw__j(g->body, "kind");
        if (pw__is(g, "assessment.completed") && g->day >= from &&
            pw__same(pw__j(g->body, "child"), c->child) &&
            (pw__same(kind, "child_and_family") || pw__same(kind, "sexual_risk_specialist"))) {
            return g;
        }
    }
    return NULL;
}

/* The children of a concern naming the case's child as alleged, into harmed. */
static void
add_harmed(const struct pw_case *c, const struct pw_case_fact *f, struct pw_buf *harmed)
{
    if (!pw__is(f, "concern.raised") || !pw__jhas(f->body, "alleged", c->child)) {
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(f->body, "children"), i, v)
    {
        const char *child = json_string_value(v);
        if (child == NULL || pw__same(child, c->child)) {
            continue;
        }
        /* Each child once. */
        const char *seen = pw_buf_cstr(harmed);
        size_t n = strlen(child);
        bool known = false;
        for (const char *p = strstr(seen, child); p != NULL && !known; p = strstr(p + 1, child)) {
            known = (p == seen || p[-1] == ' ') && (p[n] == '\0' || p[n] == ',');
        }
        if (!known) {
            pw_buf_adds(harmed, harmed->len > 0 ? ", " : "");
            pw_buf_adds(harmed, child);
        }
    }
}

/* The alert being gathered: the first sign raised it; later ones join it until it is answered. */
struct open_alert {
    struct pw__alert *alert;
    int32_t due;
    int32_t until; /* the answer's day: signs up to it join this alert */
    int32_t last;  /* the day of its latest sign */
};

static void
start_alert(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f,
            struct open_alert *o)
{
    const struct pw_case_fact *ans = answer(c, f->day);
    o->alert = pw__raise(ev, f->id, f->day);
    o->due = pw_cal_deadline(f->day, pw__cfg(c, PW_CFG_R12_ASSESSMENT));
    o->until = ans != NULL ? ans->day : PW_OPEN_DAY;
    pw__alert_due(o->alert, o->due);
    pw__alert_agency(o->alert, "csc");
    if (ans != NULL) {
        pw__alert_resolved(o->alert, ans);
    }
}

static void
finish_alert(const struct pw_case *c, struct open_alert *o)
{
    if (o->alert == NULL) {
        return;
    }
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(o->due, due_text);
    /* The children harmed: those of every concern naming the child as alleged by then. */
    struct pw_buf harmed;
    pw_buf_init(&harmed, 1000);
    for (size_t i = 0; i < c->nfacts; i++) {
        if (c->facts[i].day <= o->last) {
            add_harmed(c, &c->facts[i], &harmed);
        }
    }
    pw__alert_message(
        o->alert,
        "%s has been recorded as showing harmful sexual behaviour. Children who harm others are "
        "often victims themselves, and the behaviour can be the first sign: assess %s as a "
        "possible victim of sexual abuse (a child and family or specialist sexual-risk "
        "assessment, not only an assessment of the behaviour) within %d working days "
        "(r12.victim_assessment), by %s. Plans must cover %s, the child harmed (%s) and the "
        "other children in the family.",
        c->child, c->child, pw__cfg(c, PW_CFG_R12_ASSESSMENT), due_text, c->child,
        harmed.len > 0 ? pw_buf_cstr(&harmed) : "not yet named");
    pw_buf_release(&harmed);
    o->alert = NULL;
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    struct open_alert o = { .alert = NULL };
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!shows_hsb(c, f) || !pw__child_at(c, f->day)) {
            continue;
        }
        if (o.alert == NULL || f->day > o.until) {
            finish_alert(c, &o);
            start_alert(ev, c, f, &o);
        }
        pw__alert_because(o.alert, f->id);
        o.last = f->day;
    }
    finish_alert(c, &o);
}

const struct pw__rule pw__rule_r12 = {
    .id = "R12",
    .name = "hsb-child-may-be-victim",
    .strength = PW__ACT,
    .finding =
        "Children who showed harmful sexual behaviour were treated only as a risk, not as possible victims themselves.",
    .source = "001 HSB, 002 rec. 3",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
