/*
 * The engine: attached to a store, it evaluates the rules inside the transaction that records
 * each fact, for every child the fact may affect, and writes the difference between the alerts
 * derived and the alerts kept; on a rebuild it derives them all; on a recheck it derives them
 * all again and reports (or mends) any difference. Also the table as the outside sees it and
 * the fingerprint of the rules and configuration the alerts were derived under.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strmap.h"
#include "rules/rules_int.h"

/*
 * Bump when what a rule derives changes, so stores derived under the old code are reported
 * stale (pathway rules recheck --apply brings them up to date).
 */
#define RULES_VERSION    "rules-2"
#define META_FINGERPRINT PW_STORE_ALERTS_FINGERPRINT

/* A set of person ids in the order they came. */
struct people {
    struct pw_strmap seen;
    char **ids;
    size_t count, cap;
};

struct pw_rules {
    struct pw_config config;
    char fingerprint[65];
    struct people pending;    /* people a correction may have disconnected (before-hook) */
    struct pw__bodies bodies; /* for one fact's judgement or one recheck, then released */
    struct pw_rules_counts counts;
};

/* ---- The table, outside ---- */

static struct pw_rule_info infos[64];
static size_t ninfos;

static void
fill_infos(void)
{
    if (ninfos > 0) {
        return;
    }
    PW_ASSERT(pw__rule_count <= sizeof(infos) / sizeof(infos[0]));
    for (size_t i = 0; i < pw__rule_count; i++) {
        const struct pw__rule *r = pw__rules[i];
        infos[i] = (struct pw_rule_info){ r->id,      r->name,   pw__strength_name(r->strength),
                                          r->finding, r->source, r->wakes };
    }
    ninfos = pw__rule_count;
}

size_t
pw_rules_count(void)
{
    return pw__rule_count;
}

const struct pw_rule_info *
pw_rules_at(size_t i)
{
    fill_infos();
    return i < ninfos ? &infos[i] : NULL;
}

const struct pw_rule_info *
pw_rules_find(const char *id)
{
    fill_infos();
    for (size_t i = 0; i < ninfos; i++) {
        if (strcmp(infos[i].id, id) == 0) {
            return &infos[i];
        }
    }
    return NULL;
}

/* ---- Sets of people ---- */

static void
people_init(struct people *p)
{
    memset(p, 0, sizeof(*p));
    pw_strmap_init(&p->seen);
}

/* Frees what p holds; p is left empty and reusable. */
static void
people_release(struct people *p)
{
    for (size_t i = 0; i < p->count; i++) {
        free(p->ids[i]);
    }
    free(p->ids);
    pw_strmap_release(&p->seen);
    people_init(p);
}

static enum pw_status
people_add(void *ctx, const char *person, struct pw_error *err)
{
    (void)err;
    struct people *p = ctx;
    if (pw_strmap_get(&p->seen, person, NULL)) {
        return PW_OK;
    }
    pw_strmap_put(&p->seen, person, 1);
    if (p->count == p->cap) {
        p->cap = p->cap == 0 ? 16 : pw_mul_size(p->cap, 2);
        p->ids = pw_xrealloc(p->ids, pw_mul_size(p->cap, sizeof(p->ids[0])));
    }
    p->ids[p->count++] = pw_xstrdup(person);
    return PW_OK;
}

/*
 * Adds the other records of the people in p (from index first on): records linked as one
 * person are judged as one, on the case of the record standing for them, which must be among
 * those judged. Nothing to do in a store where nobody is linked.
 */
static enum pw_status
people_records(struct pw_store *s, struct people *p, size_t first, struct pw_error *err)
{
    bool any = false;
    enum pw_status rc = pw_store_any_links(s, &any, err);
    size_t end = p->count;
    for (size_t i = first; rc == PW_OK && any && i < end; i++) {
        char *person = pw_xstrdup(p->ids[i]); /* p->ids may move as it grows */
        rc = pw_store_person_mates(s, person, people_add, p, err);
        free(person);
    }
    return rc;
}

/* Adds everyone connected to the people already in p (from index first on). */
static enum pw_status
people_reach(struct pw_store *s, struct people *p, size_t first, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    size_t end = p->count;
    for (size_t i = first; rc == PW_OK && i < end; i++) {
        char *person = pw_xstrdup(p->ids[i]); /* p->ids may move as it grows */
        rc = pw_store_reach(s, person, people_add, p, err);
        free(person);
    }
    return rc;
}

/* ---- Engine ---- */

static void
compute_fingerprint(struct pw_rules *r)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)RULES_VERSION, strlen(RULES_VERSION));
    for (size_t i = 0; i < pw__rule_count; i++) {
        const struct pw__rule *rule = pw__rules[i];
        char line[256];
        int n =
            snprintf(line, sizeof(line), "\n%s %s %d", rule->id, rule->name, (int)rule->strength);
        crypto_hash_sha256_update(&st, (const unsigned char *)line, (unsigned long long)n);
    }
    for (int k = 0; k < PW_CFG__COUNT; k++) {
        char line[128];
        int n = snprintf(line, sizeof(line), "\n%s=%d", pw_config_name((enum pw_config_key)k),
                         pw_config_get(&r->config, (enum pw_config_key)k));
        crypto_hash_sha256_update(&st, (const unsigned char *)line, (unsigned long long)n);
    }
    crypto_hash_sha256_final(&st, digest);
    for (size_t i = 0; i < 32; i++) {
        (void)snprintf(r->fingerprint + 2 * i, 3, "%02x", digest[i]);
    }
}

struct pw_rules *
pw_rules_new(const struct pw_config *config)
{
    struct pw_rules *r = pw_xcalloc(1, sizeof(*r));
    r->config = *config;
    people_init(&r->pending);
    pw__bodies_init(&r->bodies);
    compute_fingerprint(r);
    return r;
}

const struct pw_config *
pw__rules_config(const struct pw_rules *r)
{
    return &r->config;
}

void
pw_rules_free(struct pw_rules *r)
{
    if (r == NULL) {
        return;
    }
    people_release(&r->pending);
    pw__bodies_release(&r->bodies);
    free(r);
}

void
pw_rules_counts(const struct pw_rules *r, struct pw_rules_counts *out)
{
    *out = r->counts;
}

/* The alerts kept for one child, copied into arena. */
struct kept {
    struct pw_arena *arena;
    struct pw_alert_record *list;
    size_t count, cap;
};

static enum pw_status
keep_alert(void *ctx, const struct pw_alert_record *a, struct pw_error *err)
{
    (void)err;
    struct kept *k = ctx;
    if (k->count == k->cap) {
        k->cap = k->cap == 0 ? 8 : pw_mul_size(k->cap, 2);
        k->list = pw_xrealloc(k->list, pw_mul_size(k->cap, sizeof(k->list[0])));
    }
    pw__alert_record_copy(k->arena, a, &k->list[k->count++]);
    return PW_OK;
}

static bool
same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b;
    }
    return strcmp(a, b) == 0;
}

/* The first field in which two alerts differ, or NULL when they are the same. */
static const char *
first_difference(const struct pw_alert_record *a, const struct pw_alert_record *b)
{
    const struct {
        const char *name;
        const char *x, *y;
    } fields[] = {
        { "rule", a->rule, b->rule },
        { "strength", a->strength, b->strength },
        { "child", a->child, b->child },
        { "subject", a->subject, b->subject },
        { "raised_on", a->raised_on, b->raised_on },
        { "active_from", a->active_from, b->active_from },
        { "due", a->due, b->due },
        { "agencies", a->agencies, b->agencies },
        { "because", a->because, b->because },
        { "resolved_by", a->resolved_by, b->resolved_by },
        { "resolved_on", a->resolved_on, b->resolved_on },
        { "message", a->message, b->message },
        { "escalate_to", a->escalate_to, b->escalate_to },
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!same_text(fields[i].x, fields[i].y)) {
            return fields[i].name;
        }
    }
    return NULL;
}

/* What to do with the difference between derived and kept alerts of one child. */
struct settle {
    bool write;       /* put and delete in the store */
    pw_recheck_fn fn; /* report each difference (may be NULL) */
    void *ctx;
    size_t differences;
    size_t derived;
};

static enum pw_status
report(struct settle *st, const char *what, const struct pw_alert_record *kept,
       const struct pw_alert_record *derived, const char *field, struct pw_error *err)
{
    st->differences++;
    if (st->fn == NULL) {
        return PW_OK;
    }
    struct pw_recheck_diff d = { what, kept, derived, field };
    return st->fn(st->ctx, &d, err);
}

static enum pw_status
settle_child(struct pw_store *s, const struct pw_case *c, const struct pw__eval *ev,
             struct settle *st, struct pw_error *err)
{
    struct kept k = { .arena = c->arena };
    enum pw_status rc = pw_store_alerts(s, c->child, keep_alert, &k, err);
    bool *matched = pw_xcalloc(k.count + 1, sizeof(bool));
    for (size_t i = 0; rc == PW_OK && i < ev->nalerts; i++) {
        struct pw_alert_record d;
        pw__alert_record(c, ev->alerts[i], &d);
        st->derived++;
        const struct pw_alert_record *old = NULL;
        for (size_t j = 0; j < k.count; j++) {
            if (!matched[j] && strcmp(k.list[j].id, d.id) == 0) {
                matched[j] = true;
                old = &k.list[j];
                break;
            }
        }
        const char *field = old != NULL ? first_difference(old, &d) : NULL;
        if (old != NULL && field == NULL) {
            continue;
        }
        rc = report(st, old == NULL ? "missing" : "changed", old, &d, field, err);
        if (rc == PW_OK && st->write) {
            rc = pw_store_alert_put(s, &d, err);
        }
    }
    for (size_t j = 0; rc == PW_OK && j < k.count; j++) {
        if (!matched[j]) {
            rc = report(st, "extra", &k.list[j], NULL, NULL, err);
            if (rc == PW_OK && st->write) {
                rc = pw_store_alert_delete(s, k.list[j].id, err);
            }
        }
    }
    free(matched);
    free(k.list);
    return rc;
}

/*
 * Evaluates every rule for person. When checked is not NULL (the fact being recorded, which
 * names person), the refusing rules judge it first.
 */
static enum pw_status evaluate(struct pw_rules *r, struct pw_store *s, const char *person,
                               const struct pw_fact *checked, int64_t checked_seq,
                               struct settle *st, struct pw_error *err);

/*
 * Another record of a person linked to others holds no alerts: the record standing for them
 * (the least id of the records, pw_store_person_cluster) holds them all, judged on the case of
 * every record together. The fact being recorded is judged there.
 */
static enum pw_status
evaluate_record(struct pw_rules *r, struct pw_store *s, const char *person, const char *standing,
                const struct pw_fact *checked, int64_t checked_seq, struct settle *st,
                struct pw_error *err)
{
    struct pw_case none = { .child = person, .config = &r->config, .arena = pw_arena_new() };
    struct pw__eval ev;
    pw__eval_init(&ev, &none);
    enum pw_status rc = settle_child(s, &none, &ev, st, err);
    pw__eval_release(&ev);
    pw_arena_free(none.arena);
    if (rc == PW_OK && checked != NULL) {
        rc = evaluate(r, s, standing, checked, checked_seq, st, err);
    }
    return rc;
}

static enum pw_status
evaluate(struct pw_rules *r, struct pw_store *s, const char *person, const struct pw_fact *checked,
         int64_t checked_seq, struct settle *st, struct pw_error *err)
{
    char standing[PW_ID_MAX + 1];
    struct pw_case c;
    struct pw__eval ev;
    enum pw_status rc = pw_store_person_cluster(s, person, standing, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (strcmp(standing, person) != 0) {
        return evaluate_record(r, s, person, standing, checked, checked_seq, st, err);
    }
    rc = pw__case_load(s, person, &r->config, &r->bodies, &c, err);
    pw__eval_init(&ev, &c);
    if (rc == PW_OK && checked != NULL) {
        for (size_t i = 0; i < c.nfacts; i++) {
            if (c.facts[i].seq == checked_seq && pw__about_child(&c, &c.facts[i])) {
                pw__eval_check(&ev, &c.facts[i]);
                break;
            }
        }
        if (ev.refused_by != NULL) {
            rc = pw_fail(err, PW_EBLOCKED, "%s %s: %s", ev.refused_by->id, ev.refused_by->name,
                         ev.refusal);
        }
    }
    if (rc == PW_OK) {
        pw__eval_derive(&ev);
        rc = settle_child(s, &c, &ev, st, err);
    }
    pw__eval_release(&ev);
    pw__case_release(&c);
    return rc;
}

/* ---- Hooks ---- */

/* The fact being corrected may have connected people the correction disconnects. */
static enum pw_status
hook_before(void *ctx, struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    struct pw_rules *r = ctx;
    if (f->supersedes == NULL) {
        return PW_OK;
    }
    int64_t seq = 0;
    bool found = false;
    enum pw_status rc = pw_store_fact_seq(s, f->supersedes, &seq, &found, err);
    if (rc == PW_OK && found) {
        size_t first = r->pending.count;
        rc = pw_store_fact_people(s, seq, people_add, &r->pending, err);
        if (rc == PW_OK) {
            rc = people_reach(s, &r->pending, first, err);
        }
    }
    return rc;
}

/* The earliest day in a fact's body: every string that reads as a date or a date-time. */
static int32_t
earliest_in(json_t *v, int32_t earliest)
{
    const char *key;
    size_t i;
    json_t *item;
    if (json_is_string(v)) {
        int32_t day = pw__text_day(json_string_value(v));
        return day != PW_NO_DAY && day < earliest ? day : earliest;
    }
    if (json_is_object(v)) {
        json_object_foreach(v, key, item)
        {
            earliest = earliest_in(item, earliest);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            earliest = earliest_in(item, earliest);
        }
    }
    return earliest;
}

static enum pw_status
count_alert(void *ctx, const struct pw_alert_record *a, struct pw_error *err)
{
    (void)a;
    (void)err;
    (*(size_t *)ctx)++;
    return PW_OK;
}

static enum pw_status
count_record(void *ctx, const char *person, struct pw_error *err)
{
    (void)person;
    (void)err;
    (*(size_t *)ctx)++;
    return PW_OK;
}

/*
 * Whose case a fact may change on any day, beyond what it says. A case is the chronology of
 * the child's connections (store/chronology.c): a fact that gives someone a new connection
 * brings that person's whole history, however old, into their case (a relationship recorded
 * in 2026 makes a 2009 concern about one of them matter to the other). It gives new
 * connections to those it names, and to those reached from them through `ways`: a partner
 * recorded gives the children of each a parent's partner; a home recorded gives its
 * housemates a housemate and those to be released there a resident; a release planned gives
 * the residents there someone to be released to them. Everyone it reaches is judged after a
 * registration or a link (they may give the date of birth that makes someone a child on
 * earlier days, or join two histories) and after a history recorded late (a conviction, a
 * suspect named), which completes what an older release plan or court application needed
 * (R19, R20).
 */
struct connects {
    const char *type;
    bool everyone;
    unsigned ways;
};

static const struct connects connecting[] = {
    { "relationship.recorded", false, PW_REACH_PARTNERS_CHILDREN | PW_REACH_PARENTS_PARTNERS },
    { "residence.recorded", false, PW_REACH_HOUSEMATES | PW_REACH_RELEASED_HERE },
    { "custody.release_planned", false, PW_REACH_RELEASED_TO | PW_REACH_RELEASED_HERE },
    { "concern.raised", false, 0 },    /* everyone it connects, it names */
    { "court.application", false, 0 }, /* likewise */
    { "person.registered", true, 0 },
    { "person.linked", true, 0 },
    { "person.distinct", true, 0 },
    { "risk.recorded", true, 0 },
    { "investigation.updated", true, 0 },
};

/* What f connects: NULL when it connects nobody; everyone after a correction (what it takes
 * away can reach any day). */
static const struct connects *
connects_of(const struct pw_fact *f)
{
    static const struct connects corrected = { "", true, 0 };
    if (f->supersedes != NULL) {
        return &corrected;
    }
    for (size_t i = 0; i < sizeof(connecting) / sizeof(connecting[0]); i++) {
        if (strcmp(f->type, connecting[i].type) == 0) {
            return &connecting[i];
        }
    }
    return NULL;
}

/* Into changed: the first `named` of affected, and whom they reach through c's ways. */
static enum pw_status
connections_changed(struct pw_store *s, const struct connects *c, const struct people *affected,
                    size_t named, struct people *changed, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    for (size_t i = 0; rc == PW_OK && i < named; i++) {
        rc = people_add(changed, affected->ids[i], err);
    }
    for (size_t i = 0; rc == PW_OK && c->ways != 0 && i < named; i++) {
        rc = pw_store_reach_through(s, affected->ids[i], c->ways, people_add, changed, err);
    }
    return rc;
}

/*
 * True when the rules need not look at person's case after a fact that gave them no new
 * connection (connects_of). Every rule judges a child on the days of the facts it reads and
 * only while they were under 18 (pw__child_at), so such a fact can give a child an alert only
 * on or after the earliest day it speaks of. Someone whose recorded date of birth made them
 * an adult by that day, and who holds no alert the fact might answer, is left alone: in a
 * household most of those a fact reaches are adults, and loading their cases was most of the
 * cost of recording a fact. `rules recheck` proves the two ways agree
 * (tests/unit/test_rules_random.c).
 */
static enum pw_status
beyond_reach(struct pw_store *s, int32_t earliest, const char *person, bool *skip,
             struct pw_error *err)
{
    *skip = false;
    struct pw_person_dob dob;
    size_t records = 0; /* their other records: each may give another date of birth */
    enum pw_status rc = pw_store_person_dob(s, person, &dob, err);
    if (rc != PW_OK) {
        return rc;
    }
    int32_t born = pw__text_day(dob.dob);
    int age = pw__age_of(born, dob.year, earliest);
    if (age < 18) {
        return PW_OK; /* a child then, or no date of birth known */
    }
    size_t held = 0;
    rc = pw_store_alerts(s, person, count_alert, &held, err);
    if (rc == PW_OK && held == 0) {
        rc = pw_store_person_mates(s, person, count_record, &records, err);
    }
    *skip = rc == PW_OK && held == 0 && records == 0;
    return rc;
}

/* Whether person (affected->ids[i]) must be judged whatever their age: see beyond_reach. */
static bool
must_judge(const struct connects *c, const struct people *changed, const struct people *affected,
           size_t i, size_t judge_all)
{
    if (i < judge_all) {
        return true; /* named, and a refusing rule may be about them */
    }
    if (c == NULL) {
        return false;
    }
    return c->everyone || pw_strmap_get(&changed->seen, affected->ids[i], NULL);
}

static enum pw_status
hook_after(void *ctx, struct pw_store *s, const struct pw_fact *f, int64_t seq,
           struct pw_error *err)
{
    struct pw_rules *r = ctx;
    struct people affected, changed;
    people_init(&affected);
    people_init(&changed);
    enum pw_status rc = pw_store_fact_people(s, seq, people_add, &affected, err);
    if (rc == PW_OK) {
        rc = people_records(s, &affected, 0, err); /* what names one record names them all */
    }
    size_t named = affected.count; /* those the fact (or its concern, its episode) names */
    const struct connects *c = connects_of(f);
    if (rc == PW_OK && c != NULL && !c->everyone) {
        rc = connections_changed(s, c, &affected, named, &changed, err);
    }
    if (rc == PW_OK) {
        rc = people_reach(s, &affected, 0, err);
    }
    for (size_t i = 0; rc == PW_OK && i < r->pending.count; i++) {
        rc = people_add(&affected, r->pending.ids[i], err);
    }
    if (rc == PW_OK) {
        rc = people_records(s, &affected, named, err);
    }
    struct settle st = { .write = true };
    r->counts.facts++;
    /* Those it names are judged whatever their age when a refusing rule may be about them. */
    size_t judge_all = pw__eval_may_refuse(f->type) ? named : 0;
    int32_t earliest = earliest_in(f->body, pw__text_day(f->at_text)); /* what f speaks of */
    for (size_t i = 0; rc == PW_OK && i < affected.count; i++) {
        bool skip = false;
        if (!must_judge(c, &changed, &affected, i, judge_all)) {
            rc = beyond_reach(s, earliest, affected.ids[i], &skip, err);
        }
        r->counts.skipped += skip ? 1 : 0;
        r->counts.judged += skip ? 0 : 1;
        if (rc == PW_OK && !skip) {
            /* The refusing rules judge the fact for each child it is about (pw__about_child). */
            rc = evaluate(r, s, affected.ids[i], f, seq, &st, err);
        }
    }
    people_release(&affected);
    people_release(&changed);
    people_release(&r->pending);
    pw__bodies_release(&r->bodies);
    return rc;
}

/* Everyone the rules could concern: those with case facts, and everyone connected to them. */
static enum pw_status
candidates(struct pw_store *s, struct people *out, struct pw_error *err)
{
    enum pw_status rc = pw_store_case_people(s, people_add, out, err);
    if (rc == PW_OK) {
        rc = people_records(s, out, 0, err);
    }
    if (rc == PW_OK) {
        rc = people_reach(s, out, 0, err);
    }
    if (rc == PW_OK) {
        rc = people_records(s, out, 0, err);
    }
    return rc;
}

static enum pw_status
derive_all(struct pw_rules *r, struct pw_store *s, struct settle *st, struct people *everyone,
           struct pw_error *err)
{
    enum pw_status rc = candidates(s, everyone, err);
    if (rc == PW_OK) {
        /* Children whose alerts are kept but whom nothing concerns any more. */
        rc = pw_store_alert_children(s, people_add, everyone, err);
    }
    for (size_t i = 0; rc == PW_OK && i < everyone->count; i++) {
        rc = evaluate(r, s, everyone->ids[i], NULL, 0, st, err);
    }
    pw__bodies_release(&r->bodies);
    if (rc == PW_OK && st->write) {
        rc = pw_store_meta_set(s, META_FINGERPRINT, r->fingerprint, err);
    }
    return rc;
}

static enum pw_status
hook_rebuilt(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct people everyone;
    people_init(&everyone);
    struct settle st = { .write = true };
    enum pw_status rc = derive_all(ctx, s, &st, &everyone, err);
    people_release(&everyone);
    return rc;
}

void
pw_rules_attach(struct pw_rules *r, struct pw_store *s)
{
    struct pw_store_hook hook = {
        .before = hook_before,
        .after = hook_after,
        .rebuilt = hook_rebuilt,
        .ctx = r,
    };
    pw_store_set_hook(s, &hook);
}

enum pw_status
pw_rules_stale(struct pw_rules *r, struct pw_store *s, bool *stale, struct pw_error *err)
{
    char kept[80];
    bool found = false;
    struct pw_log_head head;
    *stale = false;
    enum pw_status rc = pw_store_meta_get(s, META_FINGERPRINT, kept, sizeof(kept), &found, err);
    if (rc == PW_OK) {
        rc = pw_store_head(s, &head, err);
    }
    if (rc == PW_OK) {
        *stale = found ? strcmp(kept, r->fingerprint) != 0 : head.seq > 0;
    }
    return rc;
}

static enum pw_status
set_fingerprint(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct pw_rules *r = ctx;
    return pw_store_meta_set(s, META_FINGERPRINT, r->fingerprint, err);
}

enum pw_status
pw_rules_init_store(struct pw_rules *r, struct pw_store *s, struct pw_error *err)
{
    return pw_store_transact(s, set_fingerprint, r, err);
}

/* ---- Recheck ---- */

struct recheck {
    struct pw_rules *r;
    struct settle st;
    struct people everyone;
};

static enum pw_status
recheck_tx(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct recheck *rc = ctx;
    return derive_all(rc->r, s, &rc->st, &rc->everyone, err);
}

enum pw_status
pw_rules_recheck(struct pw_rules *r, struct pw_store *s, bool apply, pw_recheck_fn fn, void *ctx,
                 struct pw_recheck_result *out, struct pw_error *err)
{
    struct recheck rk = { .r = r, .st = { .write = apply, .fn = fn, .ctx = ctx } };
    people_init(&rk.everyone);
    memset(out, 0, sizeof(*out));
    enum pw_status rc =
        apply ? pw_store_transact(s, recheck_tx, &rk, err) : pw_store_read(s, recheck_tx, &rk, err);
    out->people = rk.everyone.count;
    out->alerts = rk.st.derived;
    out->differences = rk.st.differences;
    people_release(&rk.everyone);
    return rc;
}
