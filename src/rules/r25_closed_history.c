/*
 * R25 alerts-on-closed-records. A new concern about the child is raised, and someone linked to
 * the child appears in an earlier closed record of sexual-abuse concerns: the history must be
 * put in front of the practitioner deciding on the new concern at once, due within
 * r25.history_shown working day(s), and is answered by the referral decision on the new
 * concern (made with the history in view) or a strategy discussion naming the child, on or
 * after the day it was raised.
 *
 * A closed record is an earlier concern (every concern in Pathway is about possible sexual
 * abuse) closed before the new one came in: by the first case.closed of a child it names
 * recorded after it, by a decision of no further action on it, or by an enquiry concluded
 * with next 'close' on the episode it opened. People linked to it: its children, its alleged,
 * and anyone who lived with one of its children up to the closure. They are looked for among
 * the child themself, the alleged of the new concern, and the people connected to the child
 * when the new concern came in (living with them, a relationship not ended, the partner of a
 * parent). The message names the closed record: whose, when, which concern, how the person is
 * linked. One alert per new concern; its subject is the first linked person other than the
 * child.
 *
 * Limit: the case holds a closure only when it names someone connected to the child. A closed
 * case about another child whose only link is the new concern's alleged person (two steps
 * away) shows here only when it was closed by a referral decision or an enquiry (those name
 * the concern or its episode); a case.closed of that other child needs a store query.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised",        "referral.decided",  "case.closed",
    "enquiry.concluded",     "strategy.held",     "residence.recorded",
    "relationship.recorded", "person.registered", NULL,
};

#define MAX_LINKS 8

/* An earlier concern and the fact that closed it. */
struct closed {
    const struct pw_case_fact *concern;
    size_t concern_index;
    const struct pw_case_fact *closure;
    size_t closure_index;
};

/* Someone of the new concern's world found in a closed record. */
struct link {
    const char *person;
    const char *how;
    const struct closed *record;
};

/* What every new concern is weighed against, read once per case. */
struct world {
    const struct pw_case *c;
    const struct pw_case_fact **homes; /* the current residences in the case */
    size_t nhomes;
    struct closed *records; /* every concern that was closed, in order */
    size_t nrecords;
};

/* ---- Addresses (compared as households are: store/project.c) ---- */

static bool
is_residence_of(const struct pw_case_fact *f, const char *person)
{
    const char *p = pw__j(f->body, "person");
    return p != NULL && strcmp(p, person) == 0;
}

/*
 * True when a and b had residences at one address over a common period beginning on or
 * before day (open ends open), from the residences in the case.
 */
static bool
lived_together_by(const struct world *w, const char *a, const char *b, int32_t day)
{
    for (size_t i = 0; i < w->nhomes; i++) {
        const struct pw_case_fact *x = w->homes[i];
        if (!is_residence_of(x, a)) {
            continue;
        }
        for (size_t k = 0; k < w->nhomes; k++) {
            const struct pw_case_fact *y = w->homes[k];
            if (!is_residence_of(y, b) || !pw__same_address(json_object_get(x->body, "address"),
                                                            json_object_get(y->body, "address"))) {
                continue;
            }
            int32_t xs = pw__jday(x->body, "since");
            int32_t ys = pw__jday(y->body, "since");
            int32_t xu = pw__jday(x->body, "until");
            int32_t yu = pw__jday(y->body, "until");
            int32_t since = xs > ys ? xs : ys; /* PW_NO_DAY sorts first: open */
            int32_t until = xu == PW_NO_DAY ? yu : (yu == PW_NO_DAY || xu < yu ? xu : yu);
            if (since <= day && (until == PW_NO_DAY || since <= until)) {
                return true;
            }
        }
    }
    return false;
}

/* ---- Closed records ---- */

static bool
referral_opened(const struct pw_case *c, const char *concern, const char *episode)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *k = pw__j(f->body, "concern");
        const char *e = pw__j(f->body, "episode");
        if (pw__is(f, "referral.decided") && k != NULL && e != NULL && strcmp(k, concern) == 0 &&
            strcmp(e, episode) == 0) {
            return true;
        }
    }
    return false;
}

/* True when f, a fact after the concern, closes it. */
static bool
closes(const struct pw_case *c, const struct pw_case_fact *f, const struct pw_case_fact *concern)
{
    const char *id = pw__j(concern->body, "concern");
    if (id == NULL) {
        return false;
    }
    if (pw__is(f, "case.closed")) {
        const char *child = pw__j(f->body, "child");
        return child != NULL && pw__jhas(concern->body, "children", child);
    }
    if (pw__is(f, "referral.decided")) {
        const char *k = pw__j(f->body, "concern");
        const char *decision = pw__j(f->body, "decision");
        return k != NULL && decision != NULL && strcmp(k, id) == 0 &&
               strcmp(decision, "no_further_action") == 0;
    }
    if (pw__is(f, "enquiry.concluded")) {
        const char *next = pw__j(f->body, "next");
        const char *episode = pw__j(f->body, "episode");
        return next != NULL && episode != NULL && strcmp(next, "close") == 0 &&
               referral_opened(c, id, episode);
    }
    return false;
}

/* The first closure of the concern at index ci; false when it was never closed. */
static bool
closed_record(const struct pw_case *c, size_t ci, struct closed *out)
{
    const struct pw_case_fact *concern = &c->facts[ci];
    for (size_t i = ci + 1; i < c->nfacts; i++) {
        if (closes(c, &c->facts[i], concern)) {
            *out = (struct closed){ concern, ci, &c->facts[i], i };
            return true;
        }
    }
    return false;
}

/* How person is linked to the closed record, or NULL. */
static const char *
linked(const struct world *w, const char *person, const struct closed *r)
{
    const struct pw_case *c = w->c;
    const json_t *body = r->concern->body;
    const char *concern = pw__j(body, "concern");
    if (pw__jhas(body, "children", person)) {
        return pw_arena_printf(c->arena, "a child in concern %s", concern);
    }
    if (pw__jhas(body, "alleged", person)) {
        return pw_arena_printf(c->arena, "alleged in concern %s", concern);
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(body, "children"), i, v)
    {
        const char *child = json_string_value(v);
        if (child != NULL && lived_together_by(w, person, child, r->closure->day)) {
            return pw_arena_printf(c->arena, "lived with %s, a child in concern %s", child,
                                   concern);
        }
    }
    return NULL;
}

/* ---- Who the new concern brings in ---- */

static bool
relationship_open(const struct pw_case_fact *f, int32_t day)
{
    int32_t until = pw__jday(f->body, "until");
    return until == PW_NO_DAY || until >= day;
}

/* True when person is connected to the child on day, as the new concern sees them. */
static bool
connected_on(const struct pw_case *c, const char *person, int32_t day)
{
    if (pw__lived_with(c, person, day)) {
        return true;
    }
    const struct pw_case_fact *rel = pw__relationship(c, c->child, person, NULL);
    if (rel != NULL && relationship_open(rel, day)) {
        return true;
    }
    /* The partner of one of the child's parents. */
    static const char *const parent[] = { "parent", "step_parent", NULL };
    static const char *const partner[] = { "parent_partner", NULL };
    for (size_t i = 0; i < c->npeople; i++) {
        const char *p = c->people[i].id;
        const struct pw_case_fact *pr = pw__relationship(c, c->child, p, parent);
        const struct pw_case_fact *pp = pw__relationship(c, p, person, partner);
        if (pr != NULL && pp != NULL && relationship_open(pp, day)) {
            return true;
        }
    }
    return false;
}

static void
add_link(struct link *links, size_t *n, const char *person, const char *how, const struct closed *r)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(links[i].person, person) == 0 && links[i].record->concern == r->concern) {
            return;
        }
    }
    if (*n < MAX_LINKS) {
        links[(*n)++] = (struct link){ person, how, r };
    }
}

/* Looks for person in every record closed before index end. */
static void
look_for(const struct world *w, const char *person, size_t end, struct link *links, size_t *n)
{
    for (size_t k = 0; k < w->nrecords; k++) {
        const struct closed *r = &w->records[k];
        const char *how = r->closure_index < end ? linked(w, person, r) : NULL;
        if (how != NULL) {
            add_link(links, n, person, how, r);
        }
    }
}

/* The referral decision on the concern, or a strategy discussion naming the child, from day. */
static const struct pw_case_fact *
answer(const struct pw_case *c, const char *concern, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *k = pw__j(f->body, "concern");
        if (f->day < day) {
            continue;
        }
        if (pw__is(f, "referral.decided") && k != NULL && strcmp(k, concern) == 0) {
            return f;
        }
        if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child)) {
            return f;
        }
    }
    return NULL;
}

static void
raise_history(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *f,
              const struct link *links, size_t n)
{
    struct pw__alert *a = pw__raise(ev, f->id, f->day);
    pw__alert_because(a, f->id);
    pw__alert_agency(a, "csc");
    char text[1400] = "";
    size_t used = 0;
    bool subject = false;
    for (size_t i = 0; i < n; i++) {
        const struct link *l = &links[i];
        if (!subject && strcmp(l->person, c->child) != 0) {
            pw__alert_subject(a, l->person);
            subject = true;
        }
        pw__alert_because(a, l->record->concern->id);
        pw__alert_because(a, l->record->closure->id);
        char closed_text[PW_DATE_TEXT_MAX];
        pw__day_text(l->record->closure->day, closed_text);
        const struct pw_case_fact *cl = l->record->closure;
        const char *by =
            strcmp(cl->type, "case.closed") == 0
                ? pw_arena_printf(c->arena, "the case of %s closed", pw__j(cl->body, "child"))
            : strcmp(cl->type, "referral.decided") == 0 ? "no further action"
                                                        : "the enquiry closed";
        int w = snprintf(text + used, sizeof(text) - used, "%s%s was %s, closed on %s (%s, %s)",
                         used > 0 ? "; " : "", l->person, l->how, closed_text, by, cl->id);
        if (w > 0 && (size_t)w < sizeof(text) - used) {
            used += (size_t)w;
        }
    }
    int days = pw__cfg(c, PW_CFG_R25_SHOW);
    int32_t due = pw_cal_add_working_days(f->day, days);
    pw__alert_due(a, due);
    char due_text[PW_DATE_TEXT_MAX];
    pw__day_text(due, due_text);
    pw__alert_message(a,
                      "New concern %s about %s links to closed sexual-abuse records: %s. Put "
                      "this history in front of whoever decides on the new concern, and weigh "
                      "it in the decision, by %s (r25.history_shown: %d working day%s).",
                      pw__j(f->body, "concern"), c->child, text, due_text, days,
                      days == 1 ? "" : "s");
    const struct pw_case_fact *ans = answer(c, pw__j(f->body, "concern"), f->day);
    if (ans != NULL) {
        pw__alert_resolved(a, ans);
    }
}

/* The new concern at index ni: who of its world links to a record closed before it. */
static void
new_concern(struct pw__eval *ev, const struct world *w, size_t ni)
{
    const struct pw_case *c = w->c;
    const struct pw_case_fact *f = &c->facts[ni];
    struct link links[MAX_LINKS];
    size_t n = 0;
    look_for(w, c->child, ni, links, &n);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(f->body, "alleged"), i, v)
    {
        const char *p = json_string_value(v);
        if (p != NULL) {
            look_for(w, p, ni, links, &n);
        }
    }
    for (size_t k = 0; k < c->npeople; k++) {
        const char *p = c->people[k].id;
        if (strcmp(p, c->child) != 0 && connected_on(c, p, f->day)) {
            look_for(w, p, ni, links, &n);
        }
    }
    if (n > 0) {
        raise_history(ev, c, f, links, n);
    }
}

/* The residences and closed records of the case. */
static void
read_world(const struct pw_case *c, struct world *w)
{
    w->c = c;
    w->homes =
        pw_arena_alloc(c->arena, pw_mul_size(c->nfacts, sizeof(const struct pw_case_fact *)));
    w->records = pw_arena_alloc(c->arena, pw_mul_size(c->nfacts, sizeof(*w->records)));
    w->nhomes = 0;
    w->nrecords = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "residence.recorded")) {
            w->homes[w->nhomes++] = f;
        } else if (pw__is(f, "concern.raised") && closed_record(c, i, &w->records[w->nrecords])) {
            w->nrecords++;
        }
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    struct world w = { .c = NULL };
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "concern.raised") || !pw__jhas(f->body, "children", c->child) ||
            !pw__child_at(c, f->day)) {
            continue;
        }
        if (w.c == NULL) {
            read_world(c, &w);
            if (w.nrecords == 0) {
                return;
            }
        }
        new_concern(ev, &w, i);
    }
}

const struct pw__rule pw__rule_r25 = {
    .id = "R25",
    .name = "alerts-on-closed-records",
    .strength = PW__ACT,
    .finding =
        "People linked to closed sexual-abuse cases came back in new contacts and nobody saw the history.",
    .source = "004 coding and alerts",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
