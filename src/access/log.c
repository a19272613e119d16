/*
 * The access log from the access layer's side: writing an entry, its group commit (a logger a
 * server's threads share: see "Group commit" below), authorising and recording a look at a
 * child's record in one step, break-glass grants and their review, recording facts with their
 * entries in the same transaction, and the pseudonyms auditors see.
 */
#include "access/access.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/id.h"
#include "core/time.h"

static int64_t
now_of(const struct pw_access_opts *o)
{
    return o != NULL && o->now_us != 0 ? o->now_us : pw_time_now_us();
}

/* The entry for u (NULL: "system"); strings borrowed. */
static struct pw_access_entry
entry_of(const struct pw_user *u, const char *action, const char *record_kind,
         const char *record_id, const char *child, const char *outcome, const char *basis,
         const char *reason, const char *grant)
{
    struct pw_access_entry e = {
        .user = u != NULL ? u->id : "system",
        .agency = u != NULL ? u->agency : "",
        .role = u != NULL && u->id[0] != '\0' && strcmp(u->id, "(unknown)") != 0
                    ? pw_role_name(u->role)
                    : "",
        .action = action,
        .record_kind = record_kind,
        .record_id = record_id,
        .child = child,
        .outcome = outcome,
        .basis = basis,
        .reason = reason,
        .grant = grant,
    };
    return e;
}

enum pw_status
pw_access_log(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
              const char *action, const char *record_kind, const char *record_id, const char *child,
              const char *outcome, const char *basis, const char *reason, const char *grant,
              struct pw_error *err)
{
    struct pw_access_entry e =
        entry_of(u, action, record_kind, record_id, child, outcome, basis, reason, grant);
    return pw_store_access_append(s, &e, now_of(o), NULL, err);
}

/* ---- Group commit ---- */

/*
 * One entry waiting for its batch, on its thread's stack. Read and written under the logger's
 * lock, but for e's strings, which nobody changes while it waits (the committer appends a
 * shallow copy of e with the lock released).
 */
struct waiter {
    struct pw_access_ready e;
    struct waiter *next;
    bool done;
    enum pw_status rc;
    struct pw_error err;
};

struct pw_access_logger {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a batch ended: its entries are done and the committer's place free */
    struct pw_store *s;     /* used only by the committer, one thread at a time */
    struct pw_access_logger_opts opts;
    struct waiter *first; /* the queue, oldest first */
    struct waiter **last;
    size_t queued;
    bool committing;               /* a thread is appending a batch (with the lock released) */
    bool closed;                   /* appends are refused */
    struct pw_access_ready *batch; /* the committer's: shallow copies of the entries it takes */
    struct pw_access_logger_stats stats;
};

enum pw_status
pw_access_logger_new(struct pw_store *s, const struct pw_access_logger_opts *o,
                     struct pw_access_logger **out, struct pw_error *err)
{
    *out = NULL;
    struct pw_access_logger *lg = pw_xcalloc(1, sizeof(*lg));
    if (o != NULL) {
        lg->opts = *o;
    }
    if (lg->opts.batch_max == 0) {
        lg->opts.batch_max = PW_ACCESS_BATCH_MAX;
    }
    lg->s = s;
    lg->last = &lg->first;
    lg->batch = pw_xcalloc(lg->opts.batch_max, sizeof(lg->batch[0]));
    if (pthread_mutex_init(&lg->lock, NULL) != 0) {
        free(lg->batch);
        free(lg);
        pw_store_close(s);
        return pw_fail(err, PW_EINTERNAL, "could not make the access logger's lock");
    }
    if (pthread_cond_init(&lg->changed, NULL) != 0) {
        (void)pthread_mutex_destroy(&lg->lock);
        free(lg->batch);
        free(lg);
        pw_store_close(s);
        return pw_fail(err, PW_EINTERNAL, "could not make the access logger's condition");
    }
    *out = lg;
    return PW_OK;
}

void
pw_access_logger_close(struct pw_access_logger *lg)
{
    (void)pthread_mutex_lock(&lg->lock);
    lg->closed = true;
    /* Every queued entry has a thread that commits it or waits for a committer: they drain. */
    while (lg->committing || lg->first != NULL) {
        (void)pthread_cond_wait(&lg->changed, &lg->lock);
    }
    (void)pthread_mutex_unlock(&lg->lock);
}

void
pw_access_logger_free(struct pw_access_logger *lg)
{
    if (lg == NULL) {
        return;
    }
    pw_access_logger_close(lg);
    pw_store_close(lg->s);
    (void)pthread_cond_destroy(&lg->changed);
    (void)pthread_mutex_destroy(&lg->lock);
    free(lg->batch);
    free(lg);
}

void
pw_access_logger_stats(struct pw_access_logger *lg, struct pw_access_logger_stats *out)
{
    (void)pthread_mutex_lock(&lg->lock);
    *out = lg->stats;
    out->queued = lg->queued;
    (void)pthread_mutex_unlock(&lg->lock);
}

/*
 * Called with the lock held, no batch in flight and the queue not empty: takes the oldest
 * entries, appends them in one transaction with the lock released, and hands each its outcome.
 * Returns with the lock held.
 */
static void
commit_batch(struct pw_access_logger *lg)
{
    struct waiter *taken = lg->first;
    size_t n = 0;
    lg->committing = true;
    while (lg->first != NULL && n < lg->opts.batch_max) {
        lg->batch[n++] = lg->first->e; /* a shallow copy: the waiter keeps ownership */
        lg->first = lg->first->next;
    }
    if (lg->first == NULL) {
        lg->last = &lg->first;
    }
    lg->queued -= n;
    (void)pthread_mutex_unlock(&lg->lock);

    struct pw_error err;
    pw_error_clear(&err);
    enum pw_status rc = pw_store_access_append_ready(lg->s, lg->batch, n, lg->opts.before_commit,
                                                     lg->opts.ctx, &err);

    (void)pthread_mutex_lock(&lg->lock);
    /* Once done is set and the lock let go, a waiter may return: touch none after that. */
    struct waiter *w = taken;
    for (size_t i = 0; i < n && w != NULL; i++) {
        struct waiter *next = w->next;
        w->e.seq = lg->batch[i].seq;
        w->rc = rc;
        if (rc != PW_OK) {
            w->err = err;
        }
        w->done = true;
        w = next;
    }
    memset(lg->batch, 0, n * sizeof(lg->batch[0]));
    lg->stats.batches++;
    lg->stats.entries += n;
    lg->stats.failed += rc != PW_OK ? n : 0;
    if (n > lg->stats.largest) {
        lg->stats.largest = n;
    }
    lg->committing = false;
    (void)pthread_cond_broadcast(&lg->changed);
}

enum pw_status
pw_access_logger_append(struct pw_access_logger *lg, const struct pw_access_entry *e,
                        int64_t now_us, int64_t *seq, struct pw_error *err)
{
    struct waiter w;
    memset(&w, 0, sizeof(w));
    enum pw_status rc = pw_store_access_ready(e, now_us, &w.e, err);
    if (rc != PW_OK) {
        pw_store_access_ready_release(&w.e);
        return rc;
    }
    (void)pthread_mutex_lock(&lg->lock);
    if (lg->closed) {
        (void)pthread_mutex_unlock(&lg->lock);
        pw_store_access_ready_release(&w.e);
        return pw_fail(err, PW_EINTERNAL, "the access log is closing: try again");
    }
    *lg->last = &w;
    lg->last = &w.next;
    lg->queued++;
    /* FIFO: whoever commits takes the oldest first, so no entry waits behind later ones. */
    while (!w.done) {
        if (!lg->committing) {
            commit_batch(lg);
        } else {
            (void)pthread_cond_wait(&lg->changed, &lg->lock);
        }
    }
    (void)pthread_mutex_unlock(&lg->lock);
    rc = w.rc;
    if (rc != PW_OK) {
        *err = w.err;
    } else if (seq != NULL) {
        *seq = w.e.seq;
    }
    pw_store_access_ready_release(&w.e);
    return rc;
}

enum pw_status
pw_access_logger_log(struct pw_access_logger *lg, const struct pw_access_opts *o,
                     const struct pw_user *u, const char *action, const char *record_kind,
                     const char *record_id, const char *child, const char *outcome,
                     const char *basis, const char *reason, const char *grant, struct pw_error *err)
{
    struct pw_access_entry e =
        entry_of(u, action, record_kind, record_id, child, outcome, basis, reason, grant);
    return pw_access_logger_append(lg, &e, now_of(o), NULL, err);
}

/* What the log says of a decision: the relationship relied on, or the refusal. */
static const char *
decision_reason(const struct pw_access_decision *d)
{
    return d->allow ? d->detail : d->reason;
}

/* Decides, and logs the look; a refusal is logged only when log_refused (a list skips what the
 * caller may not see: nothing is shown, and asking was not a look at that record). */
static enum pw_status
authorize(struct pw_store *s, struct pw_access_logger *lg, const struct pw_access_opts *o,
          const struct pw_user *u, enum pw_action a, const char *child, const char *record_kind,
          const char *record_id, bool log_refused, struct pw_access_decision *out,
          struct pw_error *err)
{
    struct pw_access_state st;
    int64_t now = now_of(o);
    enum pw_status rc = PW_OK;
    bool about_child = child != NULL;
    memset(out, 0, sizeof(*out));
    if (about_child) {
        rc = pw_access_state_load(s, child, now, &st, err);
    } else {
        memset(&st, 0, sizeof(st));
    }
    if (rc == PW_OK) {
        *out = pw_access_decide(u, a, about_child ? &st : NULL, now);
    }
    if (rc == PW_OK && (out->allow || log_refused)) {
        /* The look goes on the record before anything is shown; no entry, no answer. */
        struct pw_access_entry e =
            entry_of(u, pw_action_name(a), record_kind, record_id, child,
                     out->allow ? "allowed" : "denied", pw_basis_name(out->basis),
                     decision_reason(out), out->grant[0] != '\0' ? out->grant : NULL);
        rc = lg != NULL ? pw_access_logger_append(lg, &e, now, NULL, err)
                        : pw_store_access_append(s, &e, now, NULL, err);
        if (rc != PW_OK) {
            out->allow = false;
        }
    }
    pw_access_state_release(&st);
    if (rc == PW_OK && !out->allow && log_refused) {
        rc = pw_fail(err, PW_EFORBIDDEN, "%s", out->reason);
    }
    return rc;
}

enum pw_status
pw_access_authorize_grouped(struct pw_store *s, struct pw_access_logger *lg,
                            const struct pw_access_opts *o, const struct pw_user *u,
                            enum pw_action a, const char *child, const char *record_kind,
                            const char *record_id, struct pw_access_decision *out,
                            struct pw_error *err)
{
    return authorize(s, lg, o, u, a, child, record_kind, record_id, true, out, err);
}

enum pw_status
pw_access_authorize_listed(struct pw_store *s, struct pw_access_logger *lg,
                           const struct pw_access_opts *o, const struct pw_user *u,
                           enum pw_action a, const char *child, const char *record_kind,
                           const char *record_id, struct pw_access_decision *out,
                           struct pw_error *err)
{
    return authorize(s, lg, o, u, a, child, record_kind, record_id, false, out, err);
}

enum pw_status
pw_access_authorize(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                    enum pw_action a, const char *child, const char *record_kind,
                    const char *record_id, struct pw_access_decision *out, struct pw_error *err)
{
    return pw_access_authorize_grouped(s, NULL, o, u, a, child, record_kind, record_id, out, err);
}

/* ---- Break-glass ---- */

static long
chars(const char *s)
{
    long n = 0;
    for (; *s != '\0'; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

struct glass {
    const struct pw_access_opts *o;
    const struct pw_user *u;
    struct pw_grant_row row;
};

static enum pw_status
write_grant(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct glass *g = ctx;
    enum pw_status rc = pw_store_grant_add(s, &g->row, err);
    if (rc == PW_OK) {
        rc = pw_access_log(s, g->o, g->u, "break_glass", "break_glass", g->row.id, g->row.child,
                           "allowed", "break_glass", g->row.reason, g->row.id, err);
    }
    return rc;
}

enum pw_status
pw_access_break_glass(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                      const char *child, const char *reason, int hours, char *id,
                      struct pw_error *err)
{
    struct pw_access_state st;
    int64_t now = now_of(o);
    if (hours == 0) {
        hours = PW_BREAK_GLASS_HOURS;
    }
    if (hours < 1 || hours > PW_BREAK_GLASS_HOURS_MAX) {
        return pw_fail(err, PW_EINVAL, "break-glass lasts 1 to %d hours", PW_BREAK_GLASS_HOURS_MAX);
    }
    long n = reason != NULL ? chars(reason) : 0;
    if (n < PW_BREAK_GLASS_REASON_MIN || n > PW_BREAK_GLASS_REASON_MAX) {
        return pw_fail(err, PW_EINVAL,
                       "write why you need this record now, in %d to %d characters (it is read "
                       "by the data lead)",
                       PW_BREAK_GLASS_REASON_MIN, PW_BREAK_GLASS_REASON_MAX);
    }
    enum pw_status rc = pw_access_state_load(s, child, now, &st, err);
    if (rc == PW_OK) {
        struct pw_access_decision d = pw_access_decide(u, PW_ACTION_BREAK_GLASS, &st, now);
        struct pw_access_decision role_only =
            pw_access_decide(u, PW_ACTION_RAISE_CONCERN, NULL, now);
        if (!d.allow && role_only.allow && !st.known) {
            rc = pw_fail(err, PW_ENOTFOUND, "no child %s", child);
        } else if (!d.allow) {
            rc = pw_fail(err, PW_EFORBIDDEN, "%s", d.reason);
        }
    }
    pw_access_state_release(&st);
    if (rc != PW_OK) {
        /* The refused attempt is on the record too. */
        struct pw_error ignored = { 0 };
        enum pw_status logged = pw_access_log(s, o, u, "break_glass", "child", child, NULL,
                                              "denied", "none", err->msg, NULL, &ignored);
        (void)logged; /* the refusal stands whether or not its entry could be written */
        return rc;
    }
    char granted[PW_WHEN_TEXT_MAX];
    char expires[PW_WHEN_TEXT_MAX];
    struct pw_when w = { now, true };
    pw_when_sort_key(&w, granted);
    w.us = now + (int64_t)hours * 3600 * 1000000;
    pw_when_sort_key(&w, expires);
    pw_id_random(id, 40, "bg-");
    struct glass g = { o,
                       u,
                       { .id = id,
                         .user = u->id,
                         .agency = u->agency,
                         .child = child,
                         .reason = reason,
                         .granted_at = granted,
                         .expires_at = expires } };
    return pw_store_transact(s, write_grant, &g, err);
}

struct review {
    const struct pw_access_opts *o;
    const struct pw_user *reviewer;
    const char *id;
    bool justified;
    const char *note;
    char child[PW_ID_MAX + 1];
    char owner[PW_ID_MAX + 1];
};

static enum pw_status
grant_owner(void *ctx, const struct pw_grant_row *g, struct pw_error *err)
{
    (void)err;
    struct review *r = ctx;
    (void)snprintf(r->child, sizeof(r->child), "%s", g->child);
    (void)snprintf(r->owner, sizeof(r->owner), "%s", g->user);
    return PW_OK;
}

static enum pw_status
write_review(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct review *r = ctx;
    bool found = false;
    char at[PW_WHEN_TEXT_MAX];
    struct pw_when w = { now_of(r->o), true };
    pw_when_sort_key(&w, at);
    enum pw_status rc = pw_store_grant_get(s, r->id, grant_owner, r, &found, err);
    if (rc == PW_OK && !found) {
        rc = pw_fail(err, PW_ENOTFOUND, "no break-glass grant %s", r->id);
    }
    if (rc == PW_OK && strcmp(r->owner, r->reviewer->id) == 0) {
        rc = pw_fail(err, PW_EFORBIDDEN, "nobody reviews their own break-glass");
    }
    const char *outcome = r->justified ? "justified" : "not_justified";
    if (rc == PW_OK) {
        rc = pw_store_grant_review(s, r->id, r->reviewer->id, at, outcome, r->note, err);
    }
    if (rc == PW_OK) {
        rc = pw_access_log(s, r->o, r->reviewer, "break_glass.review", "break_glass", r->id,
                           r->child, outcome, "role", r->note != NULL ? r->note : "", r->id, err);
    }
    return rc;
}

enum pw_status
pw_access_break_glass_review(struct pw_store *s, const struct pw_access_opts *o,
                             const struct pw_user *reviewer, const char *id, bool justified,
                             const char *note, struct pw_error *err)
{
    struct pw_access_decision d =
        pw_access_decide(reviewer, PW_ACTION_REVIEW_BREAK_GLASS, NULL, now_of(o));
    if (!d.allow) {
        return pw_fail(err, PW_EFORBIDDEN, "only the data lead reviews break-glass");
    }
    if (note != NULL && strlen(note) > PW_BREAK_GLASS_REASON_MAX) {
        return pw_fail(err, PW_EINVAL, "the note is longer than %d bytes",
                       PW_BREAK_GLASS_REASON_MAX);
    }
    struct review r = { o, reviewer, id, justified, note, "", "" };
    return pw_store_transact(s, write_review, &r, err);
}

/* ---- Recording facts with their access log entries ---- */

struct rec {
    struct pw_store *s;
    const struct pw_access_opts *o;
    const struct pw_user *u;
    struct pw_store_hook inner; /* the hook in place before (the rules) */
    const struct pw_fact *facts;
    size_t n;
    /* Per fact: the child whose record it writes, the basis and the relationship relied on. */
    struct grounds {
        char child[PW_ID_MAX + 1];
        const char *basis;
        char detail[200];
        char grant[40];
    } * grounds;
};

static enum pw_status
rec_before(void *ctx, struct pw_store *s, const struct pw_fact *f, struct pw_error *err)
{
    struct rec *r = ctx;
    return r->inner.before != NULL ? r->inner.before(r->inner.ctx, s, f, err) : PW_OK;
}

static enum pw_status
rec_after(void *ctx, struct pw_store *s, const struct pw_fact *f, int64_t seq, struct pw_error *err)
{
    struct rec *r = ctx;
    enum pw_status rc =
        r->inner.after != NULL ? r->inner.after(r->inner.ctx, s, f, seq, err) : PW_OK;
    size_t i = (size_t)(f - r->facts);
    if (rc == PW_OK && i < r->n) {
        const struct grounds *g = &r->grounds[i];
        rc = pw_access_log(s, r->o, r->u, "write", "fact", f->id,
                           g->child[0] != '\0' ? g->child : NULL, "allowed", g->basis, g->detail,
                           g->grant[0] != '\0' ? g->grant : NULL, err);
    }
    return rc;
}

static enum pw_status
rec_rebuilt(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct rec *r = ctx;
    return r->inner.rebuilt != NULL ? r->inner.rebuilt(r->inner.ctx, s, err) : PW_OK;
}

struct person_refs {
    struct pw_store *s;
    const struct pw_access_opts *o;
    const struct pw_user *u;
    struct grounds *g;
    bool named_any; /* the fact names someone already registered */
    char refused[PW_ID_MAX + 1];
};

static enum pw_status
judge_ref(void *ctx, enum pw_ref_kind kind, const char *id, const char *path, struct pw_error *err)
{
    (void)path;
    struct person_refs *p = ctx;
    struct pw_access_state st;
    if (kind != PW_REF_PERSON || p->g->child[0] != '\0') {
        return PW_OK; /* one ground suffices */
    }
    int64_t now = now_of(p->o);
    enum pw_status rc = pw_access_state_load(p->s, id, now, &st, err);
    if (rc == PW_OK && st.known) {
        p->named_any = true;
        struct pw_access_decision d = pw_access_decide(p->u, PW_ACTION_WRITE_FACT, &st, now);
        if (d.allow) {
            (void)snprintf(p->g->child, sizeof(p->g->child), "%s", id);
            p->g->basis = pw_basis_name(d.basis);
            (void)snprintf(p->g->detail, sizeof(p->g->detail), "%s", d.detail);
            (void)snprintf(p->g->grant, sizeof(p->g->grant), "%s", d.grant);
        } else if (p->refused[0] == '\0') {
            (void)snprintf(p->refused, sizeof(p->refused), "%s", id);
        }
    }
    pw_access_state_release(&st);
    return rc;
}

/* Decides whether u may record f, filling g. */
static enum pw_status
judge_fact(struct rec *r, const struct pw_fact *f, struct grounds *g, struct pw_error *err)
{
    int64_t now = now_of(r->o);
    memset(g, 0, sizeof(*g));
    if (strcmp(f->type, "concern.raised") == 0) {
        struct pw_access_decision d = pw_access_decide(r->u, PW_ACTION_RAISE_CONCERN, NULL, now);
        if (!d.allow) {
            return pw_fail(err, PW_EFORBIDDEN, "fact %s: %s", f->id, d.reason);
        }
        g->basis = pw_basis_name(d.basis);
        (void)snprintf(g->detail, sizeof(g->detail), "%s", d.detail);
        /* The write is about the (first) child: "who has seen this record" shows who raised
         * it, though the duty, not a relationship, allowed it. */
        const char *child =
            json_string_value(json_array_get(json_object_get(f->body, "children"), 0));
        if (child != NULL) {
            (void)snprintf(g->child, sizeof(g->child), "%s", child);
        }
        return PW_OK;
    }
    struct person_refs p = { r->s, r->o, r->u, g, false, "" };
    enum pw_status rc = pw_fact_each_ref(f, judge_ref, &p, err);
    if (rc != PW_OK) {
        return rc;
    }
    if (g->child[0] != '\0') {
        return PW_OK;
    }
    if (p.named_any) {
        return pw_fail(err, PW_EFORBIDDEN,
                       "fact %s: you have no recorded relationship with the record it is about",
                       f->id);
    }
    /* About nobody on record yet (a new person, a new episode's first word): the role. */
    struct pw_access_decision d = pw_access_decide(r->u, PW_ACTION_RAISE_CONCERN, NULL, now);
    if (!d.allow) {
        return pw_fail(err, PW_EFORBIDDEN, "fact %s: %s", f->id, d.reason);
    }
    g->basis = "role";
    (void)snprintf(g->detail, sizeof(g->detail), "%s", "a new record");
    const char *person = json_string_value(json_object_get(f->body, "person"));
    if (person == NULL) {
        person = json_string_value(json_object_get(f->body, "child"));
    }
    if (person != NULL) {
        (void)snprintf(g->child, sizeof(g->child), "%s", person); /* logged against it */
    }
    return PW_OK;
}

static enum pw_status
access_record(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
              const struct pw_fact *facts, size_t n, struct pw_record_outcome *out,
              pw_store_tx_fn trial, void *trial_ctx, struct pw_error *err)
{
    struct rec r = { s, o, u, *pw_store_hook(s), facts, n, NULL };
    enum pw_status rc = PW_OK;
    memset(out, 0, sizeof(*out));
    out->failed = SIZE_MAX;
    if (u == NULL || u->disabled) {
        return pw_fail(err, PW_EFORBIDDEN, "this account is disabled");
    }
    r.grounds = calloc(n > 0 ? n : 1, sizeof(r.grounds[0]));
    if (r.grounds == NULL) {
        return pw_fail(err, PW_EINTERNAL, "out of memory");
    }
    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        if (facts[i].by == NULL || strcmp(facts[i].by, u->id) != 0) {
            rc = pw_fail(err, PW_EFORBIDDEN, "fact %s: recorded by someone else", facts[i].id);
        } else {
            rc = judge_fact(&r, &facts[i], &r.grounds[i], err);
        }
        if (rc != PW_OK) {
            out->failed = i;
            /* The refusal is on the record; the facts are not. */
            struct pw_error ignored = { 0 };
            enum pw_status logged = pw_access_log(s, o, u, "write", "fact", facts[i].id, NULL,
                                                  "denied", "none", err->msg, NULL, &ignored);
            (void)logged; /* the refusal stands whether or not its entry could be written */
        }
    }
    if (rc == PW_OK) {
        struct pw_store_hook h = { rec_before, rec_after, rec_rebuilt, &r };
        pw_store_set_hook(s, &h);
        rc = trial != NULL ? pw_store_record_trial(s, facts, n, out, trial, trial_ctx, err)
                           : pw_store_record(s, facts, n, out, err);
        pw_store_set_hook(s, &r.inner);
    }
    if (rc == PW_OK && trial != NULL && n > 0) {
        /* The trial's own entries went with it; what it showed is on the record here. */
        const struct grounds *g = &r.grounds[0];
        rc = pw_access_log(s, o, u, "trial", "fact", facts[0].id,
                           g->child[0] != '\0' ? g->child : NULL, "done", g->basis,
                           "what recording would raise was shown; nothing was recorded",
                           g->grant[0] != '\0' ? g->grant : NULL, err);
    }
    free(r.grounds);
    return rc;
}

enum pw_status
pw_access_record(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                 const struct pw_fact *facts, size_t n, struct pw_record_outcome *out,
                 struct pw_error *err)
{
    return access_record(s, o, u, facts, n, out, NULL, NULL, err);
}

enum pw_status
pw_access_record_trial(struct pw_store *s, const struct pw_access_opts *o, const struct pw_user *u,
                       const struct pw_fact *facts, size_t n, struct pw_record_outcome *out,
                       pw_store_tx_fn fn, void *ctx, struct pw_error *err)
{
    return access_record(s, o, u, facts, n, out, fn, ctx, err);
}

/* ---- Pseudonyms ---- */

#define PSEUDONYM_KEY "access.pseudonym_key"

struct key_tx {
    char hex[crypto_auth_hmacsha256_KEYBYTES * 2 + 1];
};

static enum pw_status
key_get_or_make(void *ctx, struct pw_store *s, struct pw_error *err)
{
    struct key_tx *k = ctx;
    bool found = false;
    enum pw_status rc = pw_store_meta_get(s, PSEUDONYM_KEY, k->hex, sizeof(k->hex), &found, err);
    if (rc == PW_OK && !found) {
        unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
        randombytes_buf(key, sizeof(key));
        sodium_bin2hex(k->hex, sizeof(k->hex), key, sizeof(key));
        sodium_memzero(key, sizeof(key));
        rc = pw_store_meta_set(s, PSEUDONYM_KEY, k->hex, err);
    }
    return rc;
}

enum pw_status
pw_access_pseudonym(struct pw_store *s, const char *person, char *out, size_t size,
                    struct pw_error *err)
{
    struct key_tx k;
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    bool found = false;
    if (size < 20 || sodium_init() < 0) {
        return pw_fail(err, PW_EINTERNAL, "no room for a pseudonym");
    }
    memset(&k, 0, sizeof(k));
    enum pw_status rc = pw_store_meta_get(s, PSEUDONYM_KEY, k.hex, sizeof(k.hex), &found, err);
    if (rc == PW_OK && !found) {
        rc = pw_store_transact(s, key_get_or_make, &k, err);
    }
    if (rc == PW_OK &&
        (strlen(k.hex) != sizeof(key) * 2 ||
         sodium_hex2bin(key, sizeof(key), k.hex, strlen(k.hex), NULL, NULL, NULL) != 0)) {
        rc = pw_fail(err, PW_EINTEGRITY, "the pseudonym key in the store is not valid");
    }
    if (rc == PW_OK) {
        crypto_auth_hmacsha256(mac, (const unsigned char *)person, strlen(person), key);
        char hex[17];
        sodium_bin2hex(hex, sizeof(hex), mac, 8);
        (void)snprintf(out, size, "ps-%s", hex);
    }
    sodium_memzero(key, sizeof(key));
    sodium_memzero(&k, sizeof(k));
    return rc;
}

struct pseudo_ctx {
    struct pw_store *s;
    json_t *body; /* a copy we change */
};

/* Sets the value at a JSON path "$.a[0].b" to a pseudonym. */
static enum pw_status
replace_ref(void *ctx, enum pw_ref_kind kind, const char *id, const char *path,
            struct pw_error *err)
{
    struct pseudo_ctx *p = ctx;
    char ps[24];
    if (kind != PW_REF_PERSON) {
        return PW_OK;
    }
    enum pw_status rc = pw_access_pseudonym(p->s, id, ps, sizeof(ps), err);
    if (rc != PW_OK) {
        return rc;
    }
    json_t *parent = p->body;
    const char *c = path[0] == '$' ? path + 1 : path;
    char key[128];
    while (*c != '\0' && parent != NULL) {
        if (*c == '.') {
            size_t n = strcspn(c + 1, ".[");
            (void)snprintf(key, sizeof(key), "%.*s", (int)n, c + 1);
            c += 1 + n;
            if (*c == '\0') {
                (void)json_object_set_new(parent, key, json_string(ps));
                return PW_OK;
            }
            parent = json_object_get(parent, key);
        } else if (*c == '[') {
            char *end = NULL;
            long i = strtol(c + 1, &end, 10);
            if (end == NULL || *end != ']' || i < 0) {
                break;
            }
            c = end + 1;
            if (*c == '\0') {
                (void)json_array_set_new(parent, (size_t)i, json_string(ps));
                return PW_OK;
            }
            parent = json_array_get(parent, (size_t)i);
        } else {
            break;
        }
    }
    return pw_fail(err, PW_EINTERNAL, "a reference path could not be followed");
}

json_t *
pw_access_pseudonymise(struct pw_store *s, const json_t *body, struct pw_error *err)
{
    struct pw_fact f;
    char *text = pw_json_canonical(body, NULL);
    if (text == NULL) {
        pw_fail(err, PW_EINTEGRITY, "a fact could not be encoded");
        return NULL;
    }
    enum pw_status rc = pw_fact_parse(text, strlen(text), NULL, &f, err);
    free(text);
    if (rc != PW_OK) {
        return NULL;
    }
    struct pseudo_ctx p = { s, json_deep_copy(f.body) };
    rc = pw_fact_each_ref(&f, replace_ref, &p, err);
    const char *defined = pw_fact_defines(&f, PW_REF_PERSON);
    if (rc == PW_OK && defined != NULL) {
        char ps[24];
        rc = pw_access_pseudonym(s, defined, ps, sizeof(ps), err);
        if (rc == PW_OK) {
            (void)json_object_set_new(p.body, "person", json_string(ps));
        }
    }
    json_t *out = NULL;
    if (rc == PW_OK) {
        /* No names, identifiers or full dates of birth; an address only by its town. */
        json_t *dob = json_object_get(p.body, "dob");
        if (json_is_string(dob)) {
            char year[5];
            (void)snprintf(year, sizeof(year), "%.4s", json_string_value(dob));
            json_t *y = json_object();
            (void)json_object_set_new(y, "year", json_integer(strtol(year, NULL, 10)));
            (void)json_object_set_new(p.body, "dob", y);
        } else if (json_is_object(dob)) {
            (void)json_object_del(dob, "month");
        }
        json_t *address = json_object_get(p.body, "address");
        if (json_is_object(address)) {
            (void)json_object_del(address, "line1");
            (void)json_object_del(address, "postcode");
            (void)json_object_del(address, "uprn");
        }
        struct pw_buf summary;
        pw_buf_init(&summary, 0);
        pw_fact_summary(p.body, &summary);
        out = json_object();
        (void)json_object_set_new(out, "id", json_string(f.id));
        (void)json_object_set_new(out, "type", json_string(f.type));
        (void)json_object_set_new(out, "at", json_string(f.at_text));
        (void)json_object_set_new(out, "agency", json_string(f.agency));
        (void)json_object_set_new(out, "summary", json_string(pw_buf_cstr(&summary)));
        (void)json_object_set_new(out, "pseudonymised", json_true());
        pw_buf_release(&summary);
    }
    json_decref(p.body);
    pw_fact_release(&f);
    return out;
}
