/*
 * The access log's group commit (pw_access_logger, src/access/log.c), on both backends:
 *
 *   - many threads logging at once through one logger, beside a thread appending on its own
 *     handle the old way, give a chain that verifies (what `pathway audit verify` checks) with
 *     every entry exactly once, at the position its thread was told, each thread's entries in
 *     the order it wrote them, and entries really shared transactions;
 *   - a commit that fails (injected inside the batch's transaction, just before the commit)
 *     fails every waiter of that batch: each authorisation is refused (nothing would be
 *     shown), none of their entries is on the log, and the logger goes on working after;
 *   - closing drains the queue (every entry waiting is committed) and refuses what comes after.
 *
 * cmocka is not thread-safe: threads assert nothing and keep what they saw; the main thread
 * checks after joining.
 */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "access/access.h"
#include "store/store.h"
#include "testdb.h"

#define NOW ((int64_t)1751371200 * 1000000)

#define LOGGERS    8   /* threads logging through the logger */
#define PER_LOGGER 150 /* entries each */
#define DIRECT     40  /* entries the thread on its own handle appends */
#define TOTAL      (LOGGERS * PER_LOGGER + DIRECT)
#define QUEUED     6 /* threads queued behind a paused batch */

static const struct pw_access_opts opts = { NOW, PW_HASH_TEST_MIN };

static void
sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    (void)nanosleep(&t, NULL);
}

static struct pw_access_logger *
new_logger(const struct pw_store_fixture *fx, const struct pw_access_logger_opts *o)
{
    struct pw_store *ls = NULL;
    struct pw_access_logger *lg = NULL;
    struct pw_error err = { 0 };
    assert_int_equal(pw_store_open(fx->db.target, 0, &ls, &err), PW_OK);
    assert_int_equal(pw_access_logger_new(ls, o, &lg, &err), PW_OK);
    return lg;
}

static void
user_named(struct pw_user *u, const char *id, enum pw_role role)
{
    memset(u, 0, sizeof(*u));
    (void)snprintf(u->id, sizeof(u->id), "%s", id);
    (void)snprintf(u->agency, sizeof(u->agency), "%s", "csc");
    u->role = role;
}

/* ---- Many threads at once ---- */

struct logger_thread {
    struct pw_access_logger *lg;
    struct pw_store *own; /* the direct thread's handle; NULL for the others */
    int64_t seq[PER_LOGGER];
    int t;
    enum pw_status rc;
    char msg[sizeof(((struct pw_error *)0)->msg) + 80];
};

static void *
log_many(void *arg)
{
    struct logger_thread *x = arg;
    struct pw_user u;
    char id[32];
    char reason[64];
    (void)snprintf(id, sizeof(id), "u.%d", x->t);
    user_named(&u, id, PW_ROLE_PRACTITIONER);
    int n = x->own != NULL ? DIRECT : PER_LOGGER;
    for (int i = 0; i < n && x->rc == PW_OK; i++) {
        struct pw_error err = { 0 };
        (void)snprintf(reason, sizeof(reason), "t%d-%d", x->t, i);
        if (x->own != NULL) {
            x->rc = pw_access_log(x->own, &opts, &u, "read", "child", "c-1", "c-1", "allowed",
                                  "allocated", reason, NULL, &err);
        } else {
            struct pw_access_entry e = { .user = u.id,
                                         .agency = u.agency,
                                         .role = "practitioner",
                                         .action = "read",
                                         .record_kind = "child",
                                         .record_id = "c-1",
                                         .child = "c-1",
                                         .outcome = "allowed",
                                         .basis = "allocated",
                                         .reason = reason };
            x->rc = pw_access_logger_append(x->lg, &e, NOW + i, &x->seq[i], &err);
        }
        if (x->rc != PW_OK) {
            (void)snprintf(x->msg, sizeof(x->msg), "%s: %s", reason, err.msg);
        }
    }
    return NULL;
}

/* Where each reason "tT-I" was found on the log. */
struct seen {
    int64_t at[LOGGERS + 1][PER_LOGGER];
    int count[LOGGERS + 1][PER_LOGGER];
    int64_t last_seq;
    int stray;
    int switches; /* how often one entry's thread differs from the one before */
    long last_t;
};

static enum pw_status
seen_entry(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)err;
    struct seen *s = ctx;
    char *end = NULL;
    long t = -1;
    long i = -1;
    if (e->reason != NULL && e->reason[0] == 't') {
        t = strtol(e->reason + 1, &end, 10);
        i = end != NULL && *end == '-' ? strtol(end + 1, &end, 10) : -1;
    }
    if (end == NULL || *end != '\0' || t < 0 || t > LOGGERS || i < 0 || i >= PER_LOGGER) {
        s->stray++;
        return PW_OK;
    }
    s->at[t][i] = e->seq;
    s->count[t][i]++;
    s->switches += t != s->last_t;
    s->last_t = t;
    s->last_seq = e->seq;
    return PW_OK;
}

static void
test_many_threads_one_chain(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct pw_access_logger *lg = new_logger(fx, NULL);
    struct pw_store *own = NULL;
    assert_int_equal(pw_store_open(fx->db.target, 0, &own, &err), PW_OK);
    static struct logger_thread x[LOGGERS + 1];
    pthread_t tid[LOGGERS + 1];
    memset(x, 0, sizeof(x));
    for (int t = 0; t <= LOGGERS; t++) {
        x[t].lg = lg;
        x[t].own = t == LOGGERS ? own : NULL;
        x[t].t = t;
        assert_int_equal(pthread_create(&tid[t], NULL, log_many, &x[t]), 0);
    }
    for (int t = 0; t <= LOGGERS; t++) {
        (void)pthread_join(tid[t], NULL);
    }
    for (int t = 0; t <= LOGGERS; t++) {
        if (x[t].rc != PW_OK) {
            print_message("thread %d: %s\n", t, x[t].msg);
        }
        assert_int_equal(x[t].rc, PW_OK);
    }
    struct pw_access_logger_stats st;
    pw_access_logger_stats(lg, &st);
    print_message("%d entries through the logger in %" PRIu64 " transactions (largest %zu)\n",
                  LOGGERS * PER_LOGGER, st.batches, st.largest);
    assert_int_equal(st.entries, LOGGERS * PER_LOGGER);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.queued, 0);
    assert_true(st.batches < st.entries); /* some entries shared a commit */
    assert_true(st.largest > 1);

    /* What `pathway audit verify` checks: the chain, whole, with every entry. */
    struct pw_verify_result r;
    assert_int_equal(pw_store_access_verify(fx->s, &r, &err), PW_OK);
    assert_int_equal(r.broken_seq, 0);
    assert_int_equal(r.count, TOTAL);
    struct pw_log_head head;
    assert_int_equal(pw_store_access_head(fx->s, &head, &err), PW_OK);
    assert_int_equal(head.seq, TOTAL);

    static struct seen s;
    memset(&s, 0, sizeof(s));
    s.last_t = -1;
    assert_int_equal(pw_store_access_entries(fx->s, NULL, seen_entry, &s, &err), PW_OK);
    assert_int_equal(s.stray, 0);
    assert_int_equal(s.last_seq, TOTAL);
    for (int t = 0; t <= LOGGERS; t++) {
        int n = t == LOGGERS ? DIRECT : PER_LOGGER;
        for (int i = 0; i < n; i++) {
            assert_int_equal(s.count[t][i], 1); /* exactly once */
            if (t < LOGGERS) {
                assert_int_equal(s.at[t][i], x[t].seq[i]); /* where its thread was told */
            }
            if (i > 0) {
                assert_true(s.at[t][i] > s.at[t][i - 1]); /* in its thread's order */
            }
        }
    }
    assert_true(s.switches > LOGGERS + 1); /* the threads really overlapped */
    pw_access_logger_free(lg);
    pw_store_close(own);
}

/* ---- A failed commit ---- */

/* The fault: the first batch waits inside its transaction until `want` entries queue behind
 * it and the test releases it, then commits; the second fails (unless only_pause); later ones
 * commit. */
struct fault {
    struct pw_access_logger *lg;
    atomic_int calls;
    atomic_bool paused; /* the first batch is inside its transaction */
    atomic_bool release;
    size_t want;
    bool only_pause;
};

static enum pw_status
inject(void *ctx, struct pw_store *s, struct pw_error *err)
{
    (void)s;
    struct fault *f = ctx;
    int call = atomic_fetch_add(&f->calls, 1);
    if (call == 0) {
        struct pw_access_logger_stats st;
        atomic_store(&f->paused, true);
        for (int waited = 0; waited < 20000; waited++) {
            pw_access_logger_stats(f->lg, &st);
            if (st.queued >= f->want && atomic_load(&f->release)) {
                break;
            }
            sleep_ms(1);
        }
        return PW_OK;
    }
    if (call == 1 && !f->only_pause) {
        return pw_fail(err, PW_EIO, "injected: the disk went away");
    }
    return PW_OK;
}

struct reader {
    struct pw_store *s;
    struct pw_access_logger *lg;
    struct pw_user u;
    enum pw_status rc;
    struct pw_access_decision d;
    char reason[64];
};

static void *
read_log(void *arg)
{
    struct reader *r = arg;
    struct pw_error err = { 0 };
    r->rc = pw_access_authorize_grouped(r->s, r->lg, &opts, &r->u, PW_ACTION_READ_ACCESS_LOG, NULL,
                                        "access_log", r->reason, &r->d, &err);
    return NULL;
}

/* Starts a reader (a data lead asking for the access log: allowed by the role, about no
 * child, so s is not read and the threads may share it). */
static void
start_reader(struct reader *r, pthread_t *tid, struct pw_store *s, struct pw_access_logger *lg,
             const char *name)
{
    memset(r, 0, sizeof(*r));
    r->s = s;
    r->lg = lg;
    user_named(&r->u, name, PW_ROLE_DATA_LEAD);
    (void)snprintf(r->reason, sizeof(r->reason), "%s", name);
    assert_int_equal(pthread_create(tid, NULL, read_log, r), 0);
}

static void
wait_paused(struct fault *f)
{
    for (int i = 0; i < 20000 && !atomic_load(&f->paused); i++) {
        sleep_ms(1);
    }
    assert_true(atomic_load(&f->paused));
}

static enum pw_status
count_entry(void *ctx, const struct pw_access_entry *e, struct pw_error *err)
{
    (void)err;
    (void)e;
    (*(int *)ctx)++;
    return PW_OK;
}

static void
test_failed_commit_fails_its_batch(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    static struct fault f;
    memset(&f, 0, sizeof(f));
    f.want = QUEUED;
    struct pw_access_logger_opts o = { 0, inject, &f };
    struct pw_access_logger *lg = new_logger(fx, &o);
    f.lg = lg;
    struct reader plug;
    struct reader r[QUEUED];
    pthread_t plug_tid;
    pthread_t tid[QUEUED];
    /* The plug's batch pauses in its transaction; the readers queue behind it as one batch. */
    start_reader(&plug, &plug_tid, fx->s, lg, "dl.plug");
    wait_paused(&f);
    for (int i = 0; i < QUEUED; i++) {
        char name[32];
        (void)snprintf(name, sizeof(name), "dl.%d", i);
        start_reader(&r[i], &tid[i], fx->s, lg, name);
    }
    atomic_store(&f.release, true);
    (void)pthread_join(plug_tid, NULL);
    for (int i = 0; i < QUEUED; i++) {
        (void)pthread_join(tid[i], NULL);
    }
    assert_int_equal(plug.rc, PW_OK);
    assert_true(plug.d.allow);
    for (int i = 0; i < QUEUED; i++) {
        assert_int_equal(r[i].rc, PW_EIO); /* the batch's error, to every waiter */
        assert_false(r[i].d.allow);        /* fail closed: nothing is shown */
    }
    struct pw_access_logger_stats st;
    pw_access_logger_stats(lg, &st);
    assert_int_equal(st.batches, 2);
    assert_int_equal(st.largest, QUEUED);
    assert_int_equal(st.failed, QUEUED);

    /* None of theirs is on the log; the chain holds; the logger goes on. */
    struct pw_verify_result v;
    assert_int_equal(pw_store_access_verify(fx->s, &v, &err), PW_OK);
    assert_int_equal(v.broken_seq, 0);
    assert_int_equal(v.count, 1);
    int n = 0;
    assert_int_equal(pw_store_access_entries(fx->s, NULL, count_entry, &n, &err), PW_OK);
    assert_int_equal(n, 1);
    struct pw_user dl;
    user_named(&dl, "dl.after", PW_ROLE_DATA_LEAD);
    struct pw_access_decision d;
    assert_int_equal(pw_access_authorize_grouped(fx->s, lg, &opts, &dl, PW_ACTION_READ_ACCESS_LOG,
                                                 NULL, "access_log", "x", &d, &err),
                     PW_OK);
    assert_true(d.allow);
    assert_int_equal(pw_store_access_verify(fx->s, &v, &err), PW_OK);
    assert_int_equal(v.broken_seq, 0);
    assert_int_equal(v.count, 2);
    pw_access_logger_free(lg);
}

/* ---- Closing ---- */

static void *
close_logger(void *arg)
{
    pw_access_logger_close(arg);
    return NULL;
}

static void
test_close_drains_then_refuses(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    static struct fault f;
    memset(&f, 0, sizeof(f));
    f.want = QUEUED;
    f.only_pause = true;
    struct pw_access_logger_opts o = { 0, inject, &f };
    struct pw_access_logger *lg = new_logger(fx, &o);
    f.lg = lg;
    struct reader plug;
    struct reader r[QUEUED];
    pthread_t plug_tid;
    pthread_t tid[QUEUED];
    pthread_t closer;
    start_reader(&plug, &plug_tid, fx->s, lg, "dl.plug");
    wait_paused(&f);
    for (int i = 0; i < QUEUED; i++) {
        char name[32];
        (void)snprintf(name, sizeof(name), "dl.%d", i);
        start_reader(&r[i], &tid[i], fx->s, lg, name);
    }
    for (int i = 0; i < 20000; i++) {
        struct pw_access_logger_stats st;
        pw_access_logger_stats(lg, &st);
        if (st.queued >= QUEUED) {
            break;
        }
        sleep_ms(1);
    }
    /* Close while they wait behind the paused batch. */
    assert_int_equal(pthread_create(&closer, NULL, close_logger, lg), 0);
    sleep_ms(50);
    atomic_store(&f.release, true);
    (void)pthread_join(closer, NULL);
    (void)pthread_join(plug_tid, NULL);
    for (int i = 0; i < QUEUED; i++) {
        (void)pthread_join(tid[i], NULL);
    }
    assert_int_equal(plug.rc, PW_OK);
    for (int i = 0; i < QUEUED; i++) {
        assert_int_equal(r[i].rc, PW_OK); /* drained: committed, not dropped */
        assert_true(r[i].d.allow);
    }
    /* After closing: refused, and the refusal shows nothing. */
    struct pw_user dl;
    struct pw_access_decision d;
    user_named(&dl, "dl.late", PW_ROLE_DATA_LEAD);
    assert_int_not_equal(pw_access_authorize_grouped(fx->s, lg, &opts, &dl,
                                                     PW_ACTION_READ_ACCESS_LOG, NULL, "access_log",
                                                     "late", &d, &err),
                         PW_OK);
    assert_false(d.allow);
    struct pw_verify_result v;
    assert_int_equal(pw_store_access_verify(fx->s, &v, &err), PW_OK);
    assert_int_equal(v.broken_seq, 0);
    assert_int_equal(v.count, 1 + QUEUED);
    pw_access_logger_free(lg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_many_threads_one_chain, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_failed_commit_fails_its_batch, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_close_drains_then_refuses, pw_store_fixture_setup,
                                        pw_store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
