/*
 * R02 all-children-connected. When a concern names an alleged perpetrator, every other child
 * connected to that person needs a recorded decision: assess, or no action with a rationale.
 * The reviews found that the child who was referred was protected while the other children
 * around the same adult (Alex's brothers and sisters, Kyle's siblings, the children of a new
 * partner) were never considered. A child counts as connected when they lived with the alleged
 * person at any time, have any recorded relationship with them (parent, sibling, relative,
 * regular contact...), are a child of the alleged person's partner, were named with them in an
 * earlier concern, or are a brother, sister or housemate of a child the concern names. The
 * alert is the connected child's (the concern's own children are being dealt with through the
 * concern), its subject the alleged person; it is due r02.decision working days from the
 * concern, or from the day the connection began when that is later (a child who moves in with
 * the alleged person after the concern needs a decision too). It is answered by a
 * child.decision_recorded for that child about that person or that concern (a no-action
 * decision only with a rationale), or by a new concern naming the child. Past connections
 * count: the reviews' forgotten children were often from earlier relationships.
 */
#include <string.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/time.h"
#include "rules/rules_int.h"

static const char *const wakes[] = {
    "concern.raised",    "relationship.recorded",   "residence.recorded",
    "person.registered", "child.decision_recorded", NULL,
};

/* Relationships that make a child a brother, sister or housemate of a child in the concern. */
static const char *const sibling_kinds[] = {
    "sibling", "half_sibling", "step_sibling", "household_member", NULL,
};

#define MAX_LINK_FACTS 16

/* How the case's child is connected to the alleged person, and since when. */
struct link {
    bool found;
    bool direct;       /* connected to the alleged person, not only to the concern's children */
    int32_t start;     /* the earliest day the connection existed; PW_NO_DAY: no known start */
    struct pw_buf how; /* the connections, in words, "; " between them */
    const char *facts[MAX_LINK_FACTS];
    size_t nfacts;
};

static bool
kind_in(const char *kind, const char *const *kinds)
{
    if (kinds == NULL) {
        return true;
    }
    for (size_t i = 0; kinds[i] != NULL; i++) {
        if (pw__same(kind, kinds[i])) {
            return true;
        }
    }
    return false;
}

static void
add_fact(struct link *l, const char *fact)
{
    for (size_t i = 0; i < l->nfacts; i++) {
        if (strcmp(l->facts[i], fact) == 0) {
            return;
        }
    }
    if (l->nfacts < MAX_LINK_FACTS) {
        l->facts[l->nfacts++] = fact;
    }
}

/* One way the child is connected, from start (PW_NO_DAY: no known start). */
static void
note(struct link *l, int32_t start, const char *text)
{
    if (!l->found || start < l->start) {
        l->start = start;
    }
    l->found = true;
    if (l->how.len > 0) {
        pw_buf_adds(&l->how, "; ");
    }
    pw_buf_adds(&l->how, text);
}

/* The periods the child shared an address with person, as one connection. */
static void
household_link(const struct pw_case *c, const char *person, const char *text, struct link *l)
{
    bool found = false;
    int32_t start = PW_OPEN_DAY;
    for (size_t i = 0; i < c->nhomes; i++) {
        const struct pw_case_home *h = &c->homes[i];
        if (strcmp(h->person, person) == 0) {
            found = true;
            start = h->since < start ? h->since : start;
        }
    }
    if (found) {
        note(l, start, text);
    }
}

/* A relationship kind in words: "half_sibling" as "half sibling". */
static const char *
kind_words(const struct pw_case *c, const char *kind)
{
    char *words = pw_arena_strdup(c->arena, kind);
    for (char *p = words; *p != '\0'; p++) {
        if (*p == '_') {
            *p = ' ';
        }
    }
    return words;
}

/* Relationships recorded between the child and person (either way round) of one of kinds. */
static void
relationship_links(const struct pw_case *c, const char *person, const char *const *kinds,
                   const char *suffix, struct link *l)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        const char *kind = pw__j(f->body, "kind");
        if (!pw__is(f, "relationship.recorded") || kind == NULL || !kind_in(kind, kinds)) {
            continue;
        }
        const char *from = pw__j(f->body, "from");
        const char *to = pw__j(f->body, "to");
        if ((pw__same(from, c->child) && pw__same(to, person)) ||
            (pw__same(from, person) && pw__same(to, c->child))) {
            /* "p-dean is p-kai's parent": from is the to's kind. */
            note(l, pw__jday(f->body, "since"),
                 pw_arena_printf(c->arena, "%s is %s's %s%s", from, to, kind_words(c, kind),
                                 suffix));
            add_fact(l, f->id);
        }
    }
}

static int32_t
later_of(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

/* The child's parent is a partner of person: the child is a child of person's partner. */
static void
partner_links(const struct pw_case *c, const char *person, struct link *l)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *pp = &c->facts[i];
        if (!pw__is(pp, "relationship.recorded") ||
            !pw__same(pw__j(pp->body, "kind"), "parent_partner")) {
            continue;
        }
        const char *from = pw__j(pp->body, "from");
        const char *to = pw__j(pp->body, "to");
        const char *partner = pw__same(from, person) ? to : pw__same(to, person) ? from : NULL;
        if (partner == NULL || pw__same(partner, c->child)) {
            continue;
        }
        for (size_t k = 0; k < c->nfacts; k++) {
            const struct pw_case_fact *par = &c->facts[k];
            if (pw__is(par, "relationship.recorded") &&
                pw__same(pw__j(par->body, "kind"), "parent") &&
                pw__same(pw__j(par->body, "from"), partner) &&
                pw__same(pw__j(par->body, "to"), c->child)) {
                note(l, later_of(pw__jday(pp->body, "since"), pw__jday(par->body, "since")),
                     pw_arena_printf(c->arena, "child of %s's partner %s", person, partner));
                add_fact(l, pp->id);
                add_fact(l, par->id);
            }
        }
    }
}

/* An earlier concern named the child with person as alleged. */
static void
earlier_concern_links(const struct pw_case *c, const struct pw_case_fact *concern,
                      const char *person, struct link *l)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (g == concern || !pw__is(g, "concern.raised") || g->day > concern->day ||
            !pw__jhas(g->body, "children", c->child) || !pw__jhas(g->body, "alleged", person)) {
            continue;
        }
        note(l, g->day,
             pw_arena_printf(c->arena, "named with %s in concern %s", person,
                             pw__j(g->body, "concern")));
        add_fact(l, g->id);
    }
}

/* Every way the case's child is connected to the alleged person of concern. */
static void
find_links(const struct pw_case *c, const struct pw_case_fact *concern, const char *alleged,
           struct link *l)
{
    household_link(c, alleged, pw_arena_printf(c->arena, "lived with %s", alleged), l);
    relationship_links(c, alleged, NULL, "", l);
    partner_links(c, alleged, l);
    earlier_concern_links(c, concern, alleged, l);
    l->direct = l->found;
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(concern->body, "children"), i, v)
    {
        const char *named = json_string_value(v);
        if (named == NULL || pw__same(named, c->child)) {
            continue;
        }
        relationship_links(c, named, sibling_kinds, ", a child in the concern", l);
        const char *text =
            pw_arena_printf(c->arena, "lived with %s, a child in the concern", named);
        household_link(c, named, text, l);
    }
}

/* A decision for the child that answers the concern about alleged. */
static bool
decision_answers(const struct pw_case *c, const struct pw_case_fact *g, const char *concern,
                 const char *alleged)
{
    if (!pw__is(g, "child.decision_recorded") || !pw__same(pw__j(g->body, "child"), c->child)) {
        return false;
    }
    const char *about = pw__j(g->body, "about");
    const char *which = pw__j(g->body, "concern");
    /* It must name this concern or this person, and name no other. */
    if ((about == NULL && which == NULL) || (which != NULL && !pw__same(which, concern)) ||
        (about != NULL && !pw__same(about, alleged))) {
        return false;
    }
    const char *decision = pw__j(g->body, "decision");
    return pw__same(decision, "assess") ||
           (pw__same(decision, "no_action") && !pw__blank(pw__j(g->body, "rationale")));
}

/*
 * The first fact from raised on that answers: a decision about the child, or a new concern
 * naming the child and the same alleged person.
 */
static const struct pw_case_fact *
answer(const struct pw_case *c, const struct pw_case_fact *concern, const char *alleged,
       int32_t raised)
{
    const char *id = pw__j(concern->body, "concern");
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *g = &c->facts[i];
        if (g->day < raised || g == concern) {
            continue;
        }
        /*
         * A new concern answers only when it is about the same person: a concern about the
         * child's school attendance is not a decision about the risk from this man.
         */
        bool concern_about_them = pw__is(g, "concern.raised") &&
                                  pw__jhas(g->body, "children", c->child) &&
                                  pw__jhas(g->body, "alleged", alleged);
        if (decision_answers(c, g, id, alleged) || concern_about_them) {
            return g;
        }
    }
    return NULL;
}

static void
raise_one(struct pw__eval *ev, const struct pw_case *c, const struct pw_case_fact *concern,
          const char *alleged)
{
    struct link l = { .found = false, .direct = false, .start = PW_NO_DAY };
    pw_buf_init(&l.how, 1000);
    find_links(c, concern, alleged, &l);
    int32_t raised = later_of(concern->day, l.start);
    if (l.found && pw__child_at(c, raised)) {
        int days = pw__cfg(c, PW_CFG_R02_DECISION);
        int32_t due = pw_cal_deadline(raised, days);
        char due_text[PW_DATE_TEXT_MAX];
        pw__day_text(due, due_text);
        struct pw__alert *a =
            pw__raise(ev, pw_arena_printf(c->arena, "%s/%s", concern->id, alleged), raised);
        pw__alert_subject(a, alleged);
        pw__alert_due(a, due);
        pw__alert_agency(a, "csc");
        pw__alert_because(a, concern->id);
        for (size_t i = 0; i < l.nfacts; i++) {
            pw__alert_because(a, l.facts[i]);
        }
        pw__alert_message(
            a,
            "Concern %s names %s as alleged. %s is a child connected to %s (%s) but is not "
            "named in the concern, and may be at risk from the same person: record a decision "
            "for %s (child.decision_recorded: assess, or no action with a rationale) within %d "
            "working days (r02.decision), by %s.",
            pw__j(concern->body, "concern"), alleged, c->child,
            l.direct ? alleged : "the children of the concern", pw_buf_cstr(&l.how), c->child, days,
            due_text);
        const struct pw_case_fact *ans = answer(c, concern, alleged, raised);
        if (ans != NULL) {
            pw__alert_resolved(a, ans);
        }
    }
    pw_buf_release(&l.how);
}

static void
derive(struct pw__eval *ev, const struct pw_case *c)
{
    for (size_t i = 0; i < c->nfacts; i++) {
        const struct pw_case_fact *f = &c->facts[i];
        /* The concern's own children and anyone it names as alleged are not "other" children. */
        if (!pw__is(f, "concern.raised") || pw__jhas(f->body, "children", c->child) ||
            pw__jhas(f->body, "alleged", c->child)) {
            continue;
        }
        size_t k;
        const json_t *v;
        json_array_foreach(json_object_get(f->body, "alleged"), k, v)
        {
            const char *alleged = json_string_value(v);
            if (alleged != NULL) {
                raise_one(ev, c, f, alleged);
            }
        }
    }
}

const struct pw__rule pw__rule_r02 = {
    .id = "R02",
    .name = "all-children-connected",
    .strength = PW__ACT,
    .finding =
        "When a concern named an adult, the other children around that adult were forgotten (Alex, Kyle).",
    .source = "004 learning, 001 (Alex, Kyle), 002 rec. 3",
    .wakes = wakes,
    .derive = derive,
    .check = NULL,
};
