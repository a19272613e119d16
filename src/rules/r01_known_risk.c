/*
 * R01 known-risk-joins-household. When a person with any history of sexual harm (conviction,
 * caution, charge, allegation, intelligence, registration, civil order; spent or not; against
 * adults too) starts living with the child, or is recorded in regular contact with them (a
 * household member, regular contact, babysitter, step-parent, foster carer, or the partner of
 * one of the child's parents), a multi-agency discussion with an up-to-date risk assessment
 * is due within r01.discussion working days, and a proactive disclosure to the person best
 * placed to protect must be considered. Mark and Samantha: men with sexual-offence histories
 * moved in with children and nobody assessed it.
 *
 * The clock starts on the later of the day they began living together (or the contact began)
 * and the day the history was recorded: intelligence that arrives after a man moved in raises
 * the alert then. It is answered by a multi-agency discussion (a multi-agency or MAPPA meeting
 * of one of the child's episodes, or a strategy discussion naming the child) AND a specialist
 * sexual-risk assessment of the person, both on or after that day: the later of the two.
 */
#include <string.h>

#include "core/calendar.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "person.registered",    "relationship.recorded", "strategy.held",
    "assessment.completed", "residence.recorded",    "risk.recorded",
    "meeting.held",         "disclosure.made",       NULL,
};

/* Relationship kinds that mean regular contact with the child. */
static const char *const contact_kinds[] = {
    "household_member", "regular_contact", "babysitter", "step_parent", "foster_carer", NULL,
};
static const char *const parent_kinds[] = { "parent", NULL };

/* The current sexual-harm risks recorded about person: the earliest day one was recorded. */
static int32_t
risk_known(const struct pw_case *c, const char *person)
{
    int32_t first = PW_NO_DAY;
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "risk.recorded") && pw__jtrue(f->body, "sexual") &&
            strcmp(pw__j(f->body, "person"), person) == 0 && first == PW_NO_DAY) {
            first = f->day;
        }
    }
    return first;
}

static void
add_risks(const struct pw_case *c, struct pw__alert *a, const char *person)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (pw__is(f, "risk.recorded") && pw__jtrue(f->body, "sexual") &&
            strcmp(pw__j(f->body, "person"), person) == 0) {
            pw__alert_because(a, f->id);
            const char *by = pw__j(f->body, "managed_by");
            if (by != NULL) {
                pw__alert_agency(a, by);
            }
        }
    }
}

/* A multi-agency discussion about the child on or after day, or NULL. */
static const struct pw_case_fact *
discussion(const struct pw_case *c, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (f->day < day) {
            continue;
        }
        if (pw__is(f, "strategy.held") && pw__jhas(f->body, "children", c->child)) {
            return f;
        }
        const char *kind = pw__j(f->body, "kind");
        if (pw__is(f, "meeting.held") && kind != NULL &&
            (strcmp(kind, "multi_agency_discussion") == 0 || strcmp(kind, "mappa") == 0) &&
            pw__episode_of_child(c, pw__j(f->body, "episode"))) {
            return f;
        }
    }
    return NULL;
}

/* A specialist sexual-risk assessment of person on or after day, or NULL. */
static const struct pw_case_fact *
risk_assessment(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *who = pw__j(f->body, "person");
        const char *kind = pw__j(f->body, "kind");
        if (f->day >= day && pw__is(f, "assessment.completed") && who != NULL &&
            strcmp(who, person) == 0 && kind != NULL &&
            strcmp(kind, "sexual_risk_specialist") == 0) {
            return f;
        }
    }
    return NULL;
}

/* A proactive disclosure about person on or after day, or NULL. */
static const struct pw_case_fact *
disclosure(const struct pw_case *c, const char *person, int32_t day)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *who = pw__j(f->body, "person");
        if (f->day >= day && pw__is(f, "disclosure.made") && who != NULL &&
            strcmp(who, person) == 0) {
            return f;
        }
    }
    return NULL;
}

/* One way a person with a history came into the child's life. */
struct join {
    const char *person;
    const struct pw_case_fact *fact; /* the residence or relationship that records it */
    int32_t day;                     /* the later of joining and the history being recorded */
    const char *how;
};

struct joins {
    struct join list[64];
    size_t count;
};

/*
 * Notes that person joined the child's household or contact on joined (recorded by fact; the
 * period ended on until), their history first recorded on known.
 */
static void
note_join(const struct pw_case *c, struct joins *j, const char *person,
          const struct pw_case_fact *fact, int32_t joined, int32_t until, int32_t known,
          const char *how)
{
    int32_t day = joined > known ? joined : known;
    if (day > until || !pw__child_at(c, day) || j->count == sizeof(j->list) / sizeof(j->list[0])) {
        return; /* apart again before anyone knew, or the child was an adult by then */
    }
    j->list[j->count++] = (struct join){ person, fact, day, how };
}

/*
 * One alert for each person and day: living with the child and being their mother's partner,
 * from the same day, is one thing to act on, not two.
 */
static void
raise_joins(struct pw__eval *ev, const struct pw_case *c, const struct joins *j)
{
    for (size_t i = 0; i < j->count; i++) {
        const struct join *first = &j->list[i];
        bool done = false;
        for (size_t k = 0; k < i && !done; k++) {
            done = strcmp(j->list[k].person, first->person) == 0 && j->list[k].day == first->day;
        }
        if (done) {
            continue;
        }
        char key[PW_ID_MAX + 16];
        char day_text[PW_DATE_TEXT_MAX];
        pw__day_text(first->day, day_text);
        (void)snprintf(key, sizeof(key), "%s/%s", first->person, day_text);
        struct pw__alert *a = pw__raise(ev, key, first->day);
        pw__alert_subject(a, first->person);
        pw__alert_agency(a, "csc");
        pw__alert_agency(a, "police");
        char how[400] = "";
        size_t used = 0;
        for (size_t k = i; k < j->count; k++) {
            const struct join *x = &j->list[k];
            if (strcmp(x->person, first->person) != 0 || x->day != first->day) {
                continue;
            }
            pw__alert_because(a, x->fact->id);
            int n =
                snprintf(how + used, sizeof(how) - used, "%s%s", used > 0 ? " and " : "", x->how);
            if (n > 0 && (size_t)n < sizeof(how) - used) {
                used += (size_t)n;
            }
        }
        add_risks(c, a, first->person);
        int n = pw__cfg(c, PW_CFG_R01_DUE);
        int32_t due = pw_cal_deadline(first->day, n);
        pw__alert_due(a, due);
        char due_text[PW_DATE_TEXT_MAX];
        pw__day_text(due, due_text);
        const struct pw_case_fact *told = disclosure(c, first->person, first->day);
        pw__alert_message(a,
                          "%s, who has a recorded history of sexual harm, %s. Hold a "
                          "multi-agency discussion with an up-to-date specialist risk "
                          "assessment of %s by %s (r01.discussion: %d working days), and "
                          "consider a proactive disclosure to the person best placed to protect "
                          "the child (child sex offender disclosure scheme)%s.",
                          first->person, how, first->person, due_text, n,
                          told != NULL ? "; a disclosure has been made" : "");
        const struct pw_case_fact *met = discussion(c, first->day);
        const struct pw_case_fact *assessed = risk_assessment(c, first->person, first->day);
        if (met != NULL && assessed != NULL) {
            pw__alert_resolved(a, met->day >= assessed->day ? met : assessed);
        }
    }
}

/* The residence that began a shared period: theirs or the child's, whoever moved in. */
static const struct pw_case_fact *
join_fact(const struct pw_case *c, const struct pw_case_home *h)
{
    const char *who[] = { h->person, c->child };
    const struct pw_case_fact *any = NULL;
    for (size_t w = 0; w < 2; w++) {
        for (size_t k = 0; k < c->nfacts; k++) {
            const struct pw_case_fact *f = &c->facts[k];
            if (!pw__is(f, "residence.recorded") || strcmp(pw__j(f->body, "person"), who[w]) != 0) {
                continue;
            }
            if (pw__jday(f->body, "since") == h->since) {
                return f;
            }
            if (w == 0 && any == NULL) {
                any = f;
            }
        }
    }
    return any;
}

/* Living together: every residence period shared with someone with a history. */
static void
from_homes(const struct pw_case *c, struct joins *j)
{
    for (size_t i = 0; i < c->nhomes; i++) {
        const struct pw_case_home *h = &c->homes[i];
        int32_t known = risk_known(c, h->person);
        if (known == PW_NO_DAY) {
            continue;
        }
        const struct pw_case_fact *join = join_fact(c, h);
        if (join == NULL) {
            continue;
        }
        int32_t joined = h->since != PW_NO_DAY ? h->since : join->day;
        note_join(c, j, h->person, join, joined, h->until, known, "lives with the child");
    }
}

/* Regular contact: a relationship with the child, or a partnership with one of their parents. */
static void
from_contact(const struct pw_case *c, struct joins *j)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        if (!pw__is(f, "relationship.recorded")) {
            continue;
        }
        const char *from = pw__j(f->body, "from");
        const char *to = pw__j(f->body, "to");
        const char *kind = pw__j(f->body, "kind");
        const char *other = NULL;
        const char *how = NULL;
        bool with_child = strcmp(from, c->child) == 0 || strcmp(to, c->child) == 0;
        if (with_child && pw__relationship(c, from, to, contact_kinds) == f) {
            other = strcmp(from, c->child) == 0 ? to : from;
            how = "is recorded in regular contact with the child";
        } else if (!with_child && strcmp(kind, "parent_partner") == 0) {
            /* Either end may be the parent: facts.md leaves the direction open. */
            if (pw__relationship(c, from, c->child, parent_kinds) != NULL) {
                other = to;
            } else if (pw__relationship(c, to, c->child, parent_kinds) != NULL) {
                other = from;
            }
            how = "is the partner of one of the child's parents";
        }
        int32_t known = other == NULL ? PW_NO_DAY : risk_known(c, other);
        if (known == PW_NO_DAY) {
            continue;
        }
        int32_t since = pw__jday(f->body, "since");
        int32_t until = pw__jday(f->body, "until");
        note_join(c, j, other, f, since != PW_NO_DAY ? since : f->day,
                  until != PW_NO_DAY ? until : PW_OPEN_DAY, known, how);
    }
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    struct joins j = { .count = 0 };
    from_homes(c, &j);
    from_contact(c, &j);
    raise_joins(ev, c, &j);
}

const struct pw__rule pw__rule_r01 = {
    .id = "R01",
    .name = "known-risk-joins-household",
    .strength = PW__ACT,
    .finding =
        "Men with sexual-offence histories moved in with children, or were in regular contact with them, and nobody assessed the risk they posed (Mark, Samantha).",
    .source = "000, 002 rec. 4, 003, 001 (Mark, Samantha)",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
