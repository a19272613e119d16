/*
 * What the store keeps for the rules: the alerts they derive (a projection like any other:
 * cleared by a rebuild, refilled by the rules' hook, compared by dump), a table of operational
 * values, and the questions the rules ask to know whose alerts a new fact may change: who is
 * connected to a person (reach), who a fact and its concern or episode name, and who has
 * anything the rules look at.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/strmap.h"

/* ---- Alerts ---- */

struct alert_rows {
    struct pw_store *s;
    pw_alert_record_fn fn;
    void *ctx;
};

static const char *
col_or_null(struct pw_store *s, const struct pw__row *row, int col)
{
    return pw__null(s, row, col) ? NULL : pw__text(s, row, col);
}

static enum pw_status
alert_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct alert_rows *r = ctx;
    struct pw_alert_record a = {
        .id = pw__text(r->s, row, 0),
        .rule = pw__text(r->s, row, 1),
        .strength = pw__text(r->s, row, 2),
        .child = pw__text(r->s, row, 3),
        .subject = col_or_null(r->s, row, 4),
        .raised_on = pw__text(r->s, row, 5),
        .active_from = pw__text(r->s, row, 6),
        .due = col_or_null(r->s, row, 7),
        .agencies = pw__text(r->s, row, 8),
        .because = pw__text(r->s, row, 9),
        .resolved_by = col_or_null(r->s, row, 10),
        .resolved_on = col_or_null(r->s, row, 11),
        .message = pw__text(r->s, row, 12),
        .escalate_to = pw__text(r->s, row, 13),
    };
    return r->fn(r->ctx, &a, err);
}

enum pw_status
pw_store_alerts(struct pw_store *s, const char *child, pw_alert_record_fn fn, void *ctx,
                struct pw_error *err)
{
    struct alert_rows r = { s, fn, ctx };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (child != NULL) {
        struct pw__param p = pw__p_text(child);
        rc = pw__q(s, PW_Q_ALERTS_OF_CHILD, &p, 1, alert_row, &r, err);
    } else {
        rc = pw__q(s, PW_Q_ALERTS_ALL, NULL, 0, alert_row, &r, err);
    }
    pw__rollback(s);
    return rc;
}

enum pw_status
pw_store_alert_put(struct pw_store *s, const struct pw_alert_record *a, struct pw_error *err)
{
    PW_ASSERT(pw__in_tx(s));
    struct pw__param p[] = {
        pw__p_text(a->id),          pw__p_text(a->rule),        pw__p_text(a->strength),
        pw__p_text(a->child),       pw__p_text(a->subject),     pw__p_text(a->raised_on),
        pw__p_text(a->active_from), pw__p_text(a->due),         pw__p_text(a->agencies),
        pw__p_text(a->because),     pw__p_text(a->resolved_by), pw__p_text(a->resolved_on),
        pw__p_text(a->message),     pw__p_text(a->escalate_to),
    };
    return pw__q(s, PW_Q_ALERT_PUT, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
}

enum pw_status
pw_store_alert_delete(struct pw_store *s, const char *id, struct pw_error *err)
{
    PW_ASSERT(pw__in_tx(s));
    struct pw__param p = pw__p_text(id);
    return pw__q(s, PW_Q_ALERT_DELETE, &p, 1, NULL, NULL, err);
}

enum pw_status
pw_store_alerts_clear(struct pw_store *s, struct pw_error *err)
{
    PW_ASSERT(pw__in_tx(s));
    return pw__q(s, PW_Q_CLEAR_ALERTS, NULL, 0, NULL, NULL, err);
}

/* ---- Operational values ---- */

struct meta_value {
    struct pw_store *s;
    char *out;
    size_t size;
    bool *found;
};

static enum pw_status
meta_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct meta_value *m = ctx;
    *m->found = true;
    (void)snprintf(m->out, m->size, "%s", pw__text(m->s, row, 0));
    return PW_OK;
}

enum pw_status
pw_store_meta_get(struct pw_store *s, const char *key, char *out, size_t size, bool *found,
                  struct pw_error *err)
{
    struct meta_value m = { s, out, size, found };
    struct pw__param p = pw__p_text(key);
    *found = false;
    if (size > 0) {
        out[0] = '\0';
    }
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_META_GET, &p, 1, meta_row, &m, err);
        pw__rollback(s);
    }
    return rc;
}

enum pw_status
pw_store_meta_set(struct pw_store *s, const char *key, const char *value, struct pw_error *err)
{
    PW_ASSERT(pw__in_tx(s));
    struct pw__param p[] = { pw__p_text(key), pw__p_text(value) };
    return pw__q(s, PW_Q_META_SET, p, 2, NULL, NULL, err);
}

struct fact_seq {
    struct pw_store *s;
    int64_t *seq;
    bool *found;
};

static enum pw_status
fact_seq_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct fact_seq *f = ctx;
    *f->found = true;
    *f->seq = pw__int(f->s, row, 0);
    return PW_OK;
}

enum pw_status
pw_store_fact_seq(struct pw_store *s, const char *id, int64_t *seq, bool *found,
                  struct pw_error *err)
{
    struct fact_seq f = { s, seq, found };
    struct pw__param p = pw__p_text(id);
    *found = false;
    *seq = 0;
    return pw__q(s, PW_Q_LOG_BY_ID, &p, 1, fact_seq_row, &f, err);
}

/* ---- Who may be affected ---- */

/* Hands each person to fn once. */
struct people_once {
    struct pw_store *s;
    struct pw_strmap seen;
    pw_person_fn fn;
    void *ctx;
};

static enum pw_status
once(struct people_once *o, const char *person, struct pw_error *err)
{
    if (pw_strmap_get(&o->seen, person, NULL)) {
        return PW_OK;
    }
    pw_strmap_put(&o->seen, person, 1);
    return o->fn(o->ctx, person, err);
}

static enum pw_status
person_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct people_once *o = ctx;
    return once(o, pw__text(o->s, row, 0), err);
}

enum pw_status
pw_store_reach_through(struct pw_store *s, const char *person, unsigned ways, pw_person_fn fn,
                       void *ctx, struct pw_error *err)
{
    static const struct {
        enum pw_reach_way way;
        enum pw__query query;
    } all[] = {
        { PW_REACH_RELATIONS, PW_Q_REACH_RELATIONS },
        { PW_REACH_HOUSEMATES, PW_Q_REACH_HOUSEMATES },
        { PW_REACH_PARTNERS_CHILDREN, PW_Q_REACH_PARTNERS_CHILDREN },
        { PW_REACH_PARENTS_PARTNERS, PW_Q_REACH_PARENTS_PARTNERS },
        { PW_REACH_CONCERN_CO, PW_Q_REACH_CONCERN_CO },
        { PW_REACH_RELEASED_TO, PW_Q_REACH_RELEASED_TO },
        { PW_REACH_RELEASED_HERE, PW_Q_REACH_RELEASED_HERE },
        { PW_REACH_COURT_CO, PW_Q_REACH_COURT_CO },
        { PW_REACH_LINKED, PW_Q_CLUSTER_MATES },
    };
    struct people_once o = { .s = s, .fn = fn, .ctx = ctx };
    pw_strmap_init(&o.seen);
    pw_strmap_put(&o.seen, person, 1); /* not the person themself */
    struct pw__param p = pw__p_text(person);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        for (size_t i = 0; rc == PW_OK && i < sizeof(all) / sizeof(all[0]); i++) {
            if ((ways & (unsigned)all[i].way) != 0) {
                rc = pw__q(s, all[i].query, &p, 1, person_row, &o, err);
            }
        }
        pw__rollback(s);
    }
    pw_strmap_release(&o.seen);
    return rc;
}

enum pw_status
pw_store_reach(struct pw_store *s, const char *person, pw_person_fn fn, void *ctx,
               struct pw_error *err)
{
    return pw_store_reach_through(s, person, PW_REACH_ALL, fn, ctx, err);
}

/* The refs of facts to follow, "kind\tid", each once; and the facts seen, by seq. */
struct closure {
    struct pw_store *s;
    struct pw_strmap seen;
    char (*refs)[2][PW_ID_MAX + 1];
    size_t nrefs, cap;
    int64_t *seqs;
    size_t nseqs, seqs_cap;
};

static void
add_seq(struct closure *c, int64_t seq)
{
    char key[32];
    (void)snprintf(key, sizeof(key), "#%lld", (long long)seq);
    if (pw_strmap_get(&c->seen, key, NULL)) {
        return;
    }
    pw_strmap_put(&c->seen, key, 1);
    if (c->nseqs == c->seqs_cap) {
        c->seqs_cap = c->seqs_cap == 0 ? 16 : pw_mul_size(c->seqs_cap, 2);
        c->seqs = pw_xrealloc(c->seqs, pw_mul_size(c->seqs_cap, sizeof(c->seqs[0])));
    }
    c->seqs[c->nseqs++] = seq;
}

static enum pw_status
closure_ref_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct closure *c = ctx;
    const char *kind = pw__text(c->s, row, 0);
    const char *id = pw__text(c->s, row, 1);
    char key[PW_ID_MAX + 16];
    (void)snprintf(key, sizeof(key), "%s\t%s", kind, id);
    if (pw_strmap_get(&c->seen, key, NULL)) {
        return PW_OK;
    }
    pw_strmap_put(&c->seen, key, 1);
    if (c->nrefs == c->cap) {
        c->cap = c->cap == 0 ? 8 : pw_mul_size(c->cap, 2);
        c->refs = pw_xrealloc(c->refs, pw_mul_size(c->cap, sizeof(c->refs[0])));
    }
    (void)snprintf(c->refs[c->nrefs][0], sizeof(c->refs[0][0]), "%s", kind);
    (void)snprintf(c->refs[c->nrefs][1], sizeof(c->refs[0][1]), "%s", id);
    c->nrefs++;
    return PW_OK;
}

static enum pw_status
closure_seq_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct closure *c = ctx;
    add_seq(c, pw__int(c->s, row, 0));
    return PW_OK;
}

/* From the fact at seq, out through its concerns and episodes to every fact naming them. */
static enum pw_status
follow(struct closure *c, int64_t seq, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    size_t facts_done = 0;
    size_t refs_done = 0;
    add_seq(c, seq);
    while (rc == PW_OK && (facts_done < c->nseqs || refs_done < c->nrefs)) {
        if (facts_done < c->nseqs) {
            struct pw__param p = pw__p_int(c->seqs[facts_done++]);
            rc = pw__q(c->s, PW_Q_CHRONOLOGY_FACT_REFS, &p, 1, closure_ref_row, c, err);
            continue;
        }
        struct pw__param p[] = { pw__p_text(c->refs[refs_done][0]),
                                 pw__p_text(c->refs[refs_done][1]) };
        refs_done++;
        rc = pw__q(c->s, PW_Q_FACT_SEQS_OF_REF, p, 2, closure_seq_row, c, err);
    }
    return rc;
}

enum pw_status
pw_store_fact_people(struct pw_store *s, int64_t seq, pw_person_fn fn, void *ctx,
                     struct pw_error *err)
{
    struct closure c = { .s = s };
    struct people_once o = { .s = s, .fn = fn, .ctx = ctx };
    pw_strmap_init(&c.seen);
    pw_strmap_init(&o.seen);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = follow(&c, seq, err);
        for (size_t i = 0; rc == PW_OK && i < c.nseqs; i++) {
            struct pw__param p = pw__p_int(c.seqs[i]);
            rc = pw__q(s, PW_Q_FACT_SUBJECTS_OF, &p, 1, person_row, &o, err);
        }
        pw__rollback(s);
    }
    free(c.refs);
    free(c.seqs);
    pw_strmap_release(&c.seen);
    pw_strmap_release(&o.seen);
    return rc;
}

static enum pw_status
people_query(struct pw_store *s, enum pw__query q, pw_person_fn fn, void *ctx, struct pw_error *err)
{
    struct people_once o = { .s = s, .fn = fn, .ctx = ctx };
    pw_strmap_init(&o.seen);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, q, NULL, 0, person_row, &o, err);
        pw__rollback(s);
    }
    pw_strmap_release(&o.seen);
    return rc;
}

enum pw_status
pw_store_case_people(struct pw_store *s, pw_person_fn fn, void *ctx, struct pw_error *err)
{
    return people_query(s, PW_Q_CASE_PEOPLE, fn, ctx, err);
}

enum pw_status
pw_store_alert_children(struct pw_store *s, pw_person_fn fn, void *ctx, struct pw_error *err)
{
    return people_query(s, PW_Q_ALERT_CHILDREN, fn, ctx, err);
}

enum pw_status
pw_store_episode_ids(struct pw_store *s, pw_person_fn fn, void *ctx, struct pw_error *err)
{
    return people_query(s, PW_Q_EPISODE_IDS, fn, ctx, err);
}
