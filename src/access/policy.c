/*
 * The access policy: who may do what with a child's record, default deny. Two halves: reading
 * a child's record state from the facts (which relationships stand today), and the pure
 * decision over it. docs/access.md is the prose of both; tests/unit/test_access_matrix.c holds
 * the table every answer is checked against.
 *
 * What counts as a legitimate relationship, from the facts (corrected facts left out):
 *   - allocated: for each (agency, role) of the child, the latest allocation.changed stands;
 *     it is current when its `since` (else its `at`) is on or before today and its `until`
 *     is absent or not yet passed. The user it names is allocated; its agency is involved.
 *   - agency involvement: an open episode of the child (an episode named by the child's facts
 *     or opened by a referral decision on the child's concerns, unless a referral decided
 *     no_further_action for it, or a case.closed about the child comes after its last
 *     opening fact); every agency that recorded a fact in it, attended its strategy
 *     discussion or meetings, or was sent their minutes is involved. Also: a plan.made not
 *     followed by a case.closed (the plan's agency); a police investigation whose last event
 *     is not `closed` (its agencies); support.started for the child not followed by
 *     support.ended of the same kind (its agency).
 *   - front door: a concern.raised naming the child with no referral.decided on it yet.
 */
#include "access/access.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"

/* ---- Growing arrays ---- */

static void *
grow(void *p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) {
        return p;
    }
    *cap = *cap == 0 ? 8 : pw_mul_size(*cap, 2);
    return pw_xrealloc(p, pw_mul_size(*cap, elem));
}

/* Copies src (NULL: "") into dst[size], cut to fit: ids and agencies always fit. */
static void
copy(char *dst, size_t size, const char *src)
{
    size_t n = src != NULL ? strnlen(src, size - 1) : 0;
    if (n > 0) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

/* ---- Reading the state ---- */

/* One allocation fact as read, before we know whether a later one replaces it. */
struct alloc_seen {
    struct pw_access_allocation a;
    int32_t since, until; /* day numbers; until INT32_MAX when open */
};

struct episode_seen {
    char id[PW_ID_MAX + 1];
    size_t last_open; /* index of the last fact that opened or moved it */
    bool nfa;
    bool closed;
    char agencies[16][16];
    size_t nagencies;
};

struct load {
    struct pw_access_state *st;
    const char *child;
    int32_t today;
    size_t index; /* the fact being read */
    struct alloc_seen *allocs;
    size_t nallocs, allocs_cap;
    struct episode_seen *eps;
    size_t neps, eps_cap;
    size_t inv_cap, triage_cap, share_cap, alloc_cap;
    /* Concerns, plans, investigations and support, as read: open until closed. */
    struct open_item {
        char kind[24]; /* "concern", "plan", "investigation", "support" */
        char key[PW_ID_MAX + 40];
        char agency[16];
        char ref[PW_ID_MAX + 1];
        bool open;
    } * items;
    size_t nitems, items_cap;
    size_t last_closure; /* index+1 of the last case.closed about the child, 0 when none */
};

static const char *
jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int32_t
jday(const json_t *o, const char *key, int32_t absent)
{
    const char *t = jstr(o, key);
    struct pw_when w;
    if (t == NULL || pw_when_parse(t, strlen(t), &w, NULL) != PW_OK) {
        return absent;
    }
    return pw_when_day(&w);
}

static struct episode_seen *
episode(struct load *l, const char *id)
{
    for (size_t i = 0; i < l->neps; i++) {
        if (strcmp(l->eps[i].id, id) == 0) {
            return &l->eps[i];
        }
    }
    l->eps = grow(l->eps, &l->eps_cap, l->neps, sizeof(l->eps[0]));
    struct episode_seen *e = &l->eps[l->neps++];
    memset(e, 0, sizeof(*e));
    copy(e->id, sizeof(e->id), id);
    return e;
}

static void
episode_agency(struct episode_seen *e, const char *agency)
{
    if (agency == NULL || agency[0] == '\0') {
        return;
    }
    for (size_t i = 0; i < e->nagencies; i++) {
        if (strcmp(e->agencies[i], agency) == 0) {
            return;
        }
    }
    if (e->nagencies < sizeof(e->agencies) / sizeof(e->agencies[0])) {
        copy(e->agencies[e->nagencies++], sizeof(e->agencies[0]), agency);
    }
}

static struct open_item *
item(struct load *l, const char *kind, const char *key)
{
    for (size_t i = 0; i < l->nitems; i++) {
        if (strcmp(l->items[i].kind, kind) == 0 && strcmp(l->items[i].key, key) == 0) {
            return &l->items[i];
        }
    }
    l->items = grow(l->items, &l->items_cap, l->nitems, sizeof(l->items[0]));
    struct open_item *it = &l->items[l->nitems++];
    memset(it, 0, sizeof(*it));
    copy(it->kind, sizeof(it->kind), kind);
    copy(it->key, sizeof(it->key), key);
    return it;
}

static bool
names_child(const json_t *arr, const char *child)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), child) == 0) {
            return true;
        }
    }
    return false;
}

static void
read_allocation(struct load *l, const struct pw_access_fact *f, const json_t *b)
{
    if (!pw_id_valid(jstr(b, "user"), strlen(jstr(b, "user") ? jstr(b, "user") : "")) ||
        !json_is_string(json_object_get(b, "child")) || strcmp(jstr(b, "child"), l->child) != 0) {
        return;
    }
    const char *agency = jstr(b, "agency") != NULL ? jstr(b, "agency") : f->agency;
    const char *role = jstr(b, "role") != NULL ? jstr(b, "role") : "";
    /* The latest for the same agency and role replaces the one before. */
    for (size_t i = 0; i < l->nallocs; i++) {
        if (strcmp(l->allocs[i].a.agency, agency) == 0 && strcmp(l->allocs[i].a.role, role) == 0) {
            l->allocs[i] = l->allocs[--l->nallocs];
            break;
        }
    }
    l->allocs = grow(l->allocs, &l->allocs_cap, l->nallocs, sizeof(l->allocs[0]));
    struct alloc_seen *a = &l->allocs[l->nallocs++];
    memset(a, 0, sizeof(*a));
    copy(a->a.user, sizeof(a->a.user), jstr(b, "user"));
    copy(a->a.agency, sizeof(a->a.agency), agency);
    copy(a->a.role, sizeof(a->a.role), role);
    copy(a->a.fact, sizeof(a->a.fact), f->id);
    a->since = jday(b, "since", jday(b, "at", INT32_MIN));
    a->until = jday(b, "until", INT32_MAX);
}

static void
add_attendees(struct episode_seen *e, const json_t *b)
{
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(b, "attendees"), i, v)
    {
        episode_agency(e, jstr(v, "agency"));
    }
    json_array_foreach(json_object_get(b, "minutes_shared_with"), i, v)
    {
        episode_agency(e, json_string_value(v));
    }
}

static void
read_share(struct load *l, const struct pw_access_fact *f, const json_t *b)
{
    struct pw_access_state *st = l->st;
    st->shares = grow(st->shares, &l->share_cap, st->nshares, sizeof(st->shares[0]));
    struct pw_access_share *sh = &st->shares[st->nshares++];
    memset(sh, 0, sizeof(*sh));
    copy(sh->fact, sizeof(sh->fact), jstr(b, "fact"));
    copy(sh->agency, sizeof(sh->agency), f->agency);
    copy(sh->episode, sizeof(sh->episode), jstr(b, "episode"));
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(b, "with"), i, v)
    {
        if (json_is_string(v) && sh->nwith < sizeof(sh->with) / sizeof(sh->with[0])) {
            copy(sh->with[sh->nwith++], sizeof(sh->with[0]), json_string_value(v));
        }
    }
}

static void
read_fact(struct load *l, const struct pw_access_fact *f, const json_t *b)
{
    const char *type = f->type;
    const char *ep = jstr(b, "episode");
    char key[PW_ID_MAX + 40];
    if (ep != NULL) {
        struct episode_seen *e = episode(l, ep);
        episode_agency(e, f->agency);
        add_attendees(e, b);
        if (strcmp(type, "referral.decided") == 0 || strcmp(type, "strategy.held") == 0) {
            e->last_open = l->index + 1;
        }
        if (strcmp(type, "referral.decided") == 0) {
            e->nfa = json_is_string(json_object_get(b, "decision")) &&
                     strcmp(jstr(b, "decision"), "no_further_action") == 0;
        }
        if (e->last_open == 0) {
            e->last_open = l->index + 1;
        }
    }
    if (strcmp(type, "allocation.changed") == 0) {
        read_allocation(l, f, b);
    } else if (strcmp(type, "concern.raised") == 0 &&
               names_child(json_object_get(b, "children"), l->child) &&
               jstr(b, "concern") != NULL) {
        struct open_item *it = item(l, "concern", jstr(b, "concern"));
        it->open = true;
    } else if (strcmp(type, "referral.decided") == 0 && jstr(b, "concern") != NULL) {
        item(l, "concern", jstr(b, "concern"))->open = false;
    } else if (strcmp(type, "plan.made") == 0 && jstr(b, "child") != NULL &&
               strcmp(jstr(b, "child"), l->child) == 0) {
        struct open_item *it = item(l, "plan", f->id);
        it->open = true;
        copy(it->agency, sizeof(it->agency), f->agency);
        copy(it->ref, sizeof(it->ref), f->id);
    } else if (strcmp(type, "case.closed") == 0 && jstr(b, "child") != NULL &&
               strcmp(jstr(b, "child"), l->child) == 0) {
        l->last_closure = l->index + 1;
        for (size_t i = 0; i < l->nitems; i++) {
            if (strcmp(l->items[i].kind, "plan") == 0) {
                l->items[i].open = false;
            }
        }
    } else if (strcmp(type, "investigation.updated") == 0 && ep != NULL) {
        struct open_item *it = item(l, "investigation", ep);
        const char *event = jstr(b, "event");
        it->open = event == NULL || strcmp(event, "closed") != 0;
        copy(it->agency, sizeof(it->agency), f->agency);
        copy(it->ref, sizeof(it->ref), ep);
    } else if ((strcmp(type, "support.started") == 0 || strcmp(type, "support.ended") == 0) &&
               jstr(b, "person") != NULL && strcmp(jstr(b, "person"), l->child) == 0) {
        (void)snprintf(key, sizeof(key), "%s/%s", jstr(b, "kind") ? jstr(b, "kind") : "",
                       f->agency);
        struct open_item *it = item(l, "support", key);
        it->open = strcmp(type, "support.started") == 0;
        copy(it->agency, sizeof(it->agency), f->agency);
        copy(it->ref, sizeof(it->ref), f->id);
    } else if (strcmp(type, "information.shared") == 0) {
        read_share(l, f, b);
    } else if (strcmp(type, "person.registered") == 0 && jstr(b, "person") != NULL &&
               strcmp(jstr(b, "person"), l->child) == 0) {
        l->st->known = true;
    }
}

static enum pw_status
fact_in(void *ctx, const struct pw_access_fact *f, struct pw_error *err)
{
    struct load *l = ctx;
    json_t *b = json_loads(f->body, 0, NULL);
    if (!json_is_object(b)) {
        json_decref(b);
        return pw_fail(err, PW_EINTEGRITY,
                       "log entry %lld is not a JSON object: run pathway audit verify",
                       (long long)f->seq);
    }
    read_fact(l, f, b);
    l->index++;
    json_decref(b);
    return PW_OK;
}

static void
involve(struct load *l, const char *agency, const char *what, const char *ref)
{
    struct pw_access_state *st = l->st;
    for (size_t i = 0; i < st->ninvolvements; i++) {
        if (strcmp(st->involvements[i].agency, agency) == 0 &&
            strcmp(st->involvements[i].what, what) == 0 &&
            strcmp(st->involvements[i].ref, ref) == 0) {
            return;
        }
    }
    st->involvements =
        grow(st->involvements, &l->inv_cap, st->ninvolvements, sizeof(st->involvements[0]));
    struct pw_access_involvement *v = &st->involvements[st->ninvolvements++];
    copy(v->agency, sizeof(v->agency), agency);
    copy(v->what, sizeof(v->what), what);
    copy(v->ref, sizeof(v->ref), ref);
}

static void
settle(struct load *l)
{
    struct pw_access_state *st = l->st;
    for (size_t i = 0; i < l->nallocs; i++) {
        const struct alloc_seen *a = &l->allocs[i];
        if (a->since <= l->today && a->until >= l->today) {
            st->allocations =
                grow(st->allocations, &l->alloc_cap, st->nallocations, sizeof(st->allocations[0]));
            st->allocations[st->nallocations++] = a->a;
            involve(l, a->a.agency, "allocation", a->a.fact);
        }
    }
    for (size_t i = 0; i < l->neps; i++) {
        const struct episode_seen *e = &l->eps[i];
        bool open = !e->nfa && !(l->last_closure > 0 && l->last_closure >= e->last_open);
        for (size_t k = 0; open && k < e->nagencies; k++) {
            involve(l, e->agencies[k], "episode", e->id);
        }
    }
    for (size_t i = 0; i < l->nitems; i++) {
        const struct open_item *it = &l->items[i];
        if (!it->open) {
            continue;
        }
        if (strcmp(it->kind, "concern") == 0) {
            st->triage = grow(st->triage, &l->triage_cap, st->ntriage, sizeof(st->triage[0]));
            copy(st->triage[st->ntriage++], sizeof(st->triage[0]), it->key);
        } else {
            involve(l, it->agency, it->kind, it->ref);
        }
    }
}

struct grant_load {
    struct pw_access_state *st;
    size_t cap;
};

static int64_t
instant(const char *text)
{
    struct pw_when w;
    if (text == NULL || pw_when_parse(text, strlen(text), &w, NULL) != PW_OK) {
        return 0;
    }
    return w.us;
}

static enum pw_status
grant_in(void *ctx, const struct pw_grant_row *g, struct pw_error *err)
{
    (void)err;
    struct grant_load *gl = ctx;
    struct pw_access_state *st = gl->st;
    st->grants = grow(st->grants, &gl->cap, st->ngrants, sizeof(st->grants[0]));
    struct pw_access_grant *out = &st->grants[st->ngrants++];
    copy(out->id, sizeof(out->id), g->id);
    copy(out->user, sizeof(out->user), g->user);
    out->granted_us = instant(g->granted_at);
    out->expires_us = instant(g->expires_at);
    return PW_OK;
}

struct state_tx {
    struct load *l;
    const char *child;
};

static enum pw_status
load_all(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct state_tx *t = ctx;
    struct grant_load gl = { t->l->st, 0 };
    bool exists = false;
    enum pw_status rc = pw_store_person_exists(s, t->child, &exists, err);
    if (rc == PW_OK) {
        t->l->st->known = exists;
        rc = pw_store_access_facts(s, t->child, fact_in, t->l, err);
    }
    if (rc == PW_OK) {
        rc = pw_store_grants(s, PW_GRANTS_OF_CHILD, t->child, grant_in, &gl, err);
    }
    return rc;
}

enum pw_status
pw_access_state_load(struct pw_store *s, const char *child, int64_t now_us,
                     struct pw_access_state *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    if (child == NULL || !pw_id_valid(child, strlen(child))) {
        return pw_fail(err, PW_EINVAL, "not a valid child id");
    }
    copy(out->child, sizeof(out->child), child);
    struct load l = { .st = out, .child = child, .today = pw_time_uk_date(now_us) };
    struct state_tx t = { &l, child };
    enum pw_status rc = pw_store_read(s, load_all, &t, err);
    if (rc == PW_OK && out->known) {
        settle(&l);
    }
    free(l.allocs);
    free(l.eps);
    free(l.items);
    return rc;
}

void
pw_access_state_release(struct pw_access_state *st)
{
    if (st == NULL) {
        return;
    }
    free(st->allocations);
    free(st->involvements);
    free(st->triage);
    free(st->grants);
    free(st->shares);
    memset(st, 0, sizeof(*st));
}

/* ---- The decision ---- */

static const char *const action_names[PW_ACTION__COUNT] = {
    "read_record",  "write_fact",      "raise_concern",      "break_glass",
    "manage_users", "read_access_log", "review_break_glass",
};

const char *
pw_action_name(enum pw_action a)
{
    return (unsigned)a < PW_ACTION__COUNT ? action_names[a] : "?";
}

bool
pw_action_parse(const char *name, enum pw_action *out)
{
    for (int i = 0; name != NULL && i < PW_ACTION__COUNT; i++) {
        if (strcmp(name, action_names[i]) == 0) {
            *out = (enum pw_action)i;
            return true;
        }
    }
    return false;
}

const char *
pw_basis_name(enum pw_basis b)
{
    switch (b) {
    case PW_BASIS_NONE:
        return "none";
    case PW_BASIS_ALLOCATED:
        return "allocated";
    case PW_BASIS_INVOLVEMENT:
        return "agency_involvement";
    case PW_BASIS_FRONT_DOOR:
        return "front_door";
    case PW_BASIS_BREAK_GLASS:
        return "break_glass";
    case PW_BASIS_AUDIT:
        return "audit";
    case PW_BASIS_ROLE:
        return "role";
    case PW_BASIS_DUTY:
        return "duty";
    }
    return "none";
}

static const char no_relationship[] =
    "you have no recorded relationship with this child's record; if a child may be at risk "
    "now, use break-glass with a written reason (it is reviewed by the data lead)";
static const char not_your_role[] = "your role does not allow this";
static const char disabled_user[] = "this account is disabled";

static struct pw_access_decision
deny(const char *reason)
{
    struct pw_access_decision d;
    memset(&d, 0, sizeof(d));
    d.basis = PW_BASIS_NONE;
    d.reason = reason;
    return d;
}

static struct pw_access_decision
allow(enum pw_basis basis, const char *detail)
{
    struct pw_access_decision d;
    memset(&d, 0, sizeof(d));
    d.allow = true;
    d.basis = basis;
    d.view = basis == PW_BASIS_AUDIT ? PW_VIEW_PSEUDONYMISED : PW_VIEW_FULL;
    copy(d.detail, sizeof(d.detail), detail);
    return d;
}

static bool
case_worker(enum pw_role r)
{
    return r == PW_ROLE_PRACTITIONER || r == PW_ROLE_MANAGER || r == PW_ROLE_FRONT_DOOR;
}

/* The first ground a case worker has on the record, in the order of strength. */
static struct pw_access_decision
relationship(const struct pw_user *u, const struct pw_access_state *st, int64_t now)
{
    char detail[200];
    if (!st->known) {
        return deny(no_relationship);
    }
    for (size_t i = 0; i < st->nallocations; i++) {
        if (strcmp(st->allocations[i].user, u->id) == 0) {
            (void)snprintf(detail, sizeof(detail), "%s for %s (fact %s)", st->allocations[i].role,
                           st->allocations[i].agency, st->allocations[i].fact);
            return allow(PW_BASIS_ALLOCATED, detail);
        }
    }
    if (u->role != PW_ROLE_FRONT_DOOR) {
        for (size_t i = 0; i < st->ninvolvements; i++) {
            if (strcmp(st->involvements[i].agency, u->agency) == 0) {
                (void)snprintf(detail, sizeof(detail), "%s: open %s %s", u->agency,
                               st->involvements[i].what, st->involvements[i].ref);
                return allow(PW_BASIS_INVOLVEMENT, detail);
            }
        }
    } else if (st->ntriage > 0) {
        (void)snprintf(detail, sizeof(detail), "concern %s awaiting a referral decision",
                       st->triage[0]);
        return allow(PW_BASIS_FRONT_DOOR, detail);
    }
    /* The latest unexpired grant of this user. */
    const struct pw_access_grant *best = NULL;
    for (size_t i = 0; i < st->ngrants; i++) {
        const struct pw_access_grant *g = &st->grants[i];
        if (strcmp(g->user, u->id) == 0 && g->granted_us <= now && now < g->expires_us &&
            (best == NULL || g->expires_us > best->expires_us)) {
            best = g;
        }
    }
    if (best != NULL) {
        struct pw_when w = { best->expires_us, true };
        char until[PW_WHEN_TEXT_MAX];
        pw_when_format(&w, until);
        (void)snprintf(detail, sizeof(detail), "break-glass %s until %s", best->id, until);
        struct pw_access_decision d = allow(PW_BASIS_BREAK_GLASS, detail);
        copy(d.grant, sizeof(d.grant), best->id);
        return d;
    }
    return deny(no_relationship);
}

struct pw_access_decision
pw_access_decide(const struct pw_user *u, enum pw_action a, const struct pw_access_state *state,
                 int64_t now_us)
{
    if (u == NULL || u->disabled) {
        return deny(disabled_user);
    }
    switch (a) {
    case PW_ACTION_MANAGE_USERS:
        return u->role == PW_ROLE_ADMINISTRATOR ? allow(PW_BASIS_ROLE, "administrator")
                                                : deny(not_your_role);
    case PW_ACTION_READ_ACCESS_LOG:
    case PW_ACTION_REVIEW_BREAK_GLASS:
        return u->role == PW_ROLE_DATA_LEAD ? allow(PW_BASIS_ROLE, "data lead")
                                            : deny(not_your_role);
    case PW_ACTION_RAISE_CONCERN:
        return case_worker(u->role) ? allow(PW_BASIS_DUTY, "anyone may raise a concern")
                                    : deny(not_your_role);
    case PW_ACTION_BREAK_GLASS:
        return case_worker(u->role) && state != NULL && state->known
                   ? allow(PW_BASIS_ROLE, "a case-working role may break glass")
                   : deny(case_worker(u->role) ? no_relationship : not_your_role);
    case PW_ACTION_READ_RECORD:
        if (state == NULL) {
            return deny(no_relationship);
        }
        if (u->role == PW_ROLE_AUDITOR) {
            return state->known ? allow(PW_BASIS_AUDIT, "auditor: pseudonymised")
                                : deny(no_relationship);
        }
        return case_worker(u->role) ? relationship(u, state, now_us) : deny(not_your_role);
    case PW_ACTION_WRITE_FACT:
        if (state == NULL) {
            return deny(no_relationship);
        }
        return case_worker(u->role) ? relationship(u, state, now_us) : deny(not_your_role);
    case PW_ACTION__COUNT:
        break;
    }
    return deny(not_your_role);
}

/* ---- Sensitive facts ---- */

static bool
restricted(const char *sensitivity)
{
    return sensitivity != NULL && (strcmp(sensitivity, "police_intelligence") == 0 ||
                                   strcmp(sensitivity, "health_confidential") == 0);
}

enum pw_fact_view
pw_access_fact_view(const struct pw_user *u, const struct pw_access_state *st, const char *fact_id,
                    const char *agency, const char *sensitivity)
{
    if (!restricted(sensitivity)) {
        return PW_FACT_SHOWN;
    }
    if (u == NULL || u->role == PW_ROLE_AUDITOR || agency == NULL) {
        return PW_FACT_REDACTED;
    }
    if (strcmp(u->agency, agency) == 0) {
        return PW_FACT_SHOWN;
    }
    for (size_t i = 0; st != NULL && fact_id != NULL && i < st->nshares; i++) {
        const struct pw_access_share *sh = &st->shares[i];
        if (strcmp(sh->fact, fact_id) != 0 || strcmp(sh->agency, agency) != 0) {
            continue; /* only the fact's own agency can share it */
        }
        for (size_t k = 0; k < sh->nwith; k++) {
            if (strcmp(sh->with[k], u->agency) == 0) {
                return PW_FACT_SHOWN;
            }
        }
    }
    return PW_FACT_REDACTED;
}

json_t *
pw_access_redact(const json_t *body)
{
    static const char *const kept[] = { "id", "at", "agency", "by", "sensitivity" };
    json_t *out = json_object();
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        json_t *v = json_object_get(body, kept[i]);
        if (v != NULL) {
            (void)json_object_set(out, kept[i], v);
        }
    }
    (void)json_object_set_new(out, "redacted", json_true());
    const char *agency = jstr(body, "agency");
    const char *by = jstr(body, "by");
    char ask[200];
    (void)snprintf(ask, sizeof(ask), "%s (recorded by %s)", agency != NULL ? agency : "?",
                   by != NULL ? by : "?");
    (void)json_object_set_new(out, "ask", json_string(ask));
    return out;
}

void
pw_access_picture_view(const struct pw_user *u, const struct pw_access_state *st,
                       struct pw_picture *p)
{
    for (size_t i = 0; i < p->nsigns; i++) {
        struct pw_picture_sign *sg = &p->signs[i];
        sg->restricted =
            pw_access_fact_view(u, st, sg->fact, sg->agency, sg->sensitivity) == PW_FACT_REDACTED;
    }
}

/* ---- Whose children a user has been allocated ---- */

struct allocated {
    const char *user;
    struct pw_strmap *children;
};

static enum pw_status
note_allocation(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    struct allocated *a = ctx;
    json_t *b = json_loads(e->body, 0, NULL);
    const char *user = jstr(b, "user");
    const char *child = jstr(b, "child");
    if (user != NULL && child != NULL && strcmp(user, a->user) == 0) {
        pw_strmap_put(a->children, child, 1);
    }
    json_decref(b);
    return PW_OK;
}

enum pw_status
pw_access_children_allocated(struct pw_store *s, const char *user, struct pw_strmap *out,
                             struct pw_error *err)
{
    struct allocated a = { user, out };
    struct pw_fact_filter filter = { NULL, "allocation.changed" };
    return pw_store_facts(s, &filter, note_allocation, &a, err);
}
