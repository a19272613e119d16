/*
 * Concurrent writers on one store: "8 concurrent writers recording 10,000 facts: none lost,
 * none duplicated, chain intact". Runs on SQLite (a temporary file) and, with
 * PW_TEST_BACKEND=postgresql, on PostgreSQL (a database of its own, created through the admin
 * URL in PW_TEST_PG_URL_FILE and dropped at the end; without that file the test fails rather
 * than quietly testing SQLite twice).
 *
 * The main thread registers a set of shared people in one batch. Then WRITERS threads, each
 * with its own store handle (a handle is used by one thread at a time), start together and
 * each records its own facts one pw_store_record call at a time, so the transactions
 * interleave: registrations of people only that writer introduces, their residences, and
 * relationships naming them and the shared people. Along the way:
 *
 *   - even writers record some of their facts a second time (a retry: same id, same body),
 *     which must be a no-op: PW_OK, recorded 0, unchanged 1;
 *   - every writer tries the same "contested" facts (same id, same body from all of them) at
 *     about the same time: exactly one writer appends each, the others see a retry;
 *   - one writer tries facts whose id is already recorded with another body: PW_ECONFLICT,
 *     and nothing is written.
 *
 * cmocka is not thread-safe, so a writer asserts nothing: it keeps the log position each fact
 * was acknowledged at and the first unexpected outcome, and the main thread checks after
 * joining: every writer succeeded throughout; the chain verifies with exactly as many entries
 * as were acknowledged; the log lists every acknowledged id exactly once, at the position its
 * writer was told, at positions 1..N with no gap, each entry chained to the one before, and
 * nothing nobody was told about; each writer's facts are in the order it recorded them; the
 * head is N; the projections hold what the facts say and equal a rebuild from the log; and
 * the writers really overlapped (the log switches from one writer to another more often than
 * one writer after another would).
 *
 * A writer never retries after an error: on SQLite a writer that cannot get the lock waits
 * (the store's busy timeout, 10 s), and if it still fails that is a finding, not noise. The
 * test prints how long the writers took and the longest any waited for one fact: SQLite's
 * lock is not fair (a waiting writer polls; the one that just committed often wins again),
 * so on SQLite that is seconds where PostgreSQL's queue keeps it to milliseconds.
 */
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/time.h"
#include "model/model.h"
#include "store/store.h"
#include "testdb.h"

#define WRITERS       8
#define SHARED_PEOPLE 16
#define CONTESTED     20
/* Even writers record every RETRY_EVERY-th fact a second time. */
#define RETRY_EVERY 50
/* This writer tries two conflicting facts every CONFLICT_EVERY facts. */
#define CONFLICT_WRITER 7
#define CONFLICT_EVERY  250
/*
 * 8 x 1,250 = 10,000 facts, one transaction each, on both backends. Measured under
 * AddressSanitizer on a 2-core VM (ext4): SQLite, every commit an fsync, 4 to 8 s for the whole
 * test; PostgreSQL, whose test server runs with fsync off, 10 to 15 s. Nothing to cut down.
 */
#define FACTS_PER_WRITER 1250
#define FACT_TEXT_MAX    512

/* ---- The facts ---- */

/*
 * Writer t's fact i: i % 3 == 0 registers person p-wT-K (K = i / 3), 1 records where K lives,
 * 2 relates K to a shared person (K even) or to the writer's previous person (K odd).
 */
static void
own_fact(int t, size_t i, char *out, size_t size)
{
    size_t k = i / 3;
    int w = 0;
    switch (i % 3) {
    case 0:
        w = snprintf(out, size,
                     "{\"type\":\"person.registered\",\"id\":\"w%d-%05zu\",\"at\":\"2025-01-10\","
                     "\"agency\":\"csc\",\"person\":\"p-w%d-%04zu\",\"names\":[{\"given\":"
                     "\"Child%zu\",\"family\":\"Writer%d\",\"kind\":\"birth\"}],\"sex\":\"%s\"}",
                     t, i, t, k, k, t, k % 2 == 0U ? "female" : "male");
        break;
    case 1:
        w = snprintf(out, size,
                     "{\"type\":\"residence.recorded\",\"id\":\"w%d-%05zu\",\"at\":\"2025-01-10\","
                     "\"agency\":\"csc\",\"person\":\"p-w%d-%04zu\",\"address\":{\"line1\":"
                     "\"%zu Mill Lane\",\"town\":\"Leeds\",\"postcode\":\"LS6 %dAB\"},"
                     "\"since\":\"2020-01-01\"}",
                     t, i, t, k, k / 4 + 1, t);
        break;
    default:
        if (k % 2 == 0U) {
            w = snprintf(out, size,
                         "{\"type\":\"relationship.recorded\",\"id\":\"w%d-%05zu\",\"at\":"
                         "\"2025-01-10\",\"agency\":\"csc\",\"from\":\"p-s-%02zu\",\"to\":"
                         "\"p-w%d-%04zu\",\"kind\":\"parent\"}",
                         t, i, k % SHARED_PEOPLE, t, k);
        } else {
            w = snprintf(out, size,
                         "{\"type\":\"relationship.recorded\",\"id\":\"w%d-%05zu\",\"at\":"
                         "\"2025-01-10\",\"agency\":\"csc\",\"from\":\"p-w%d-%04zu\",\"to\":"
                         "\"p-w%d-%04zu\",\"kind\":\"sibling\"}",
                         t, i, t, k - 1, t, k);
        }
        break;
    }
    PW_ASSERT(w > 0 && (size_t)w < size);
}

static void
shared_person(size_t k, char *out, size_t size)
{
    int w = snprintf(out, size,
                     "{\"type\":\"person.registered\",\"id\":\"s-%02zu\",\"at\":\"2025-01-10\","
                     "\"agency\":\"csc\",\"person\":\"p-s-%02zu\",\"names\":[{\"given\":"
                     "\"Adult%zu\",\"family\":\"Shared\",\"kind\":\"birth\"}]}",
                     k, k, k);
    PW_ASSERT(w > 0 && (size_t)w < size);
}

/* Contested fact k: the same text from every writer, recorded as the same user. */
static void
contested_fact(size_t k, char *out, size_t size)
{
    int w = snprintf(out, size,
                     "{\"type\":\"relationship.recorded\",\"id\":\"c-%03zu\",\"at\":\"2025-01-10\","
                     "\"agency\":\"csc\",\"from\":\"p-s-%02zu\",\"to\":\"p-s-%02zu\",\"kind\":"
                     "\"household_member\"}",
                     k, k % SHARED_PEOPLE, (k + 1) % SHARED_PEOPLE);
    PW_ASSERT(w > 0 && (size_t)w < size);
}

/* Parses the JSON texts as user and records them in one pw_store_record call. */
static enum pw_status
record_texts(struct pw_store *s, const char *const *texts, size_t n, const char *user,
             struct pw_record_outcome *out, struct pw_error *err)
{
    struct pw_fact *facts = calloc(n, sizeof(*facts));
    struct pw_fact_parse_opts opts = { user, pw_time_now_us() };
    enum pw_status rc = facts != NULL ? PW_OK : PW_EINTERNAL;
    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        rc = pw_fact_parse(texts[i], strlen(texts[i]), &opts, &facts[i], err);
    }
    if (rc == PW_OK) {
        rc = pw_store_record(s, facts, n, out, err);
    }
    for (size_t i = 0; facts != NULL && i < n; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    return rc;
}

static enum pw_status
record_text(struct pw_store *s, const char *text, const char *user, struct pw_record_outcome *out,
            struct pw_error *err)
{
    return record_texts(s, &text, 1, user, out, err);
}

/* ---- The writers ---- */

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct writer {
    int id;
    char user[16];
    const char *target;
    size_t n;
    size_t contested_every; /* contested fact k is tried before own fact k * contested_every */
    pthread_barrier_t *start;
    int64_t seq[FACTS_PER_WRITER];    /* where own fact i was acknowledged; 0 until then */
    int64_t contested_seq[CONTESTED]; /* where this writer appended contested fact k, or 0 */
    size_t contested_unchanged;       /* contested facts another writer had appended first */
    size_t retries;                   /* retries answered as no-ops */
    size_t conflicts;                 /* conflicts refused as they should be */
    double longest; /* the longest one own fact took to record, waiting included */
    bool failed;
    char failure[1024]; /* the first unexpected outcome */
};

static void writer_fail(struct writer *w, const char *fmt, ...) PW_PRINTF(2, 3);

/* Keeps the first unexpected outcome; the writer stops after it. */
static void
writer_fail(struct writer *w, const char *fmt, ...)
{
    if (w->failed) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(w->failure, sizeof(w->failure), fmt, ap);
    va_end(ap);
    w->failed = true;
}

static void
writer_fail_status(struct writer *w, const char *doing, enum pw_status rc,
                   const struct pw_error *err)
{
    writer_fail(w, "writer %d: %s: %s: %s [%s]", w->id, doing, pw_status_name(rc), err->msg,
                err->detail);
}

static void
record_own(struct writer *w, struct pw_store *s, size_t i)
{
    char text[FACT_TEXT_MAX];
    char doing[64];
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    own_fact(w->id, i, text, sizeof(text));
    (void)snprintf(doing, sizeof(doing), "recording its fact %zu", i);
    double t0 = now_s();
    enum pw_status rc = record_text(s, text, w->user, &out, &err);
    double took = now_s() - t0;
    w->longest = took > w->longest ? took : w->longest;
    if (rc != PW_OK) {
        writer_fail_status(w, doing, rc, &err);
    } else if (out.recorded != 1 || out.unchanged != 0 || out.last_seq <= 0) {
        writer_fail(w, "writer %d: %s: recorded %zu, unchanged %zu, at %" PRId64, w->id, doing,
                    out.recorded, out.unchanged, out.last_seq);
    } else {
        w->seq[i] = out.last_seq;
    }
}

static void
retry_own(struct writer *w, struct pw_store *s, size_t i)
{
    char text[FACT_TEXT_MAX];
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    own_fact(w->id, i, text, sizeof(text));
    enum pw_status rc = record_text(s, text, w->user, &out, &err);
    if (rc != PW_OK) {
        writer_fail_status(w, "retrying a fact", rc, &err);
    } else if (out.recorded != 0 || out.unchanged != 1 || out.last_seq != 0) {
        writer_fail(w, "writer %d: retry of fact %zu: recorded %zu, unchanged %zu", w->id, i,
                    out.recorded, out.unchanged);
    } else {
        w->retries++;
    }
}

static void
try_contested(struct writer *w, struct pw_store *s, size_t k)
{
    char text[FACT_TEXT_MAX];
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    contested_fact(k, text, sizeof(text));
    enum pw_status rc = record_text(s, text, "writers", &out, &err);
    if (rc != PW_OK) {
        writer_fail_status(w, "recording a contested fact", rc, &err);
    } else if (out.recorded == 1 && out.unchanged == 0 && out.last_seq > 0) {
        w->contested_seq[k] = out.last_seq;
    } else if (out.recorded == 0 && out.unchanged == 1) {
        w->contested_unchanged++;
    } else {
        writer_fail(w, "writer %d: contested fact %zu: recorded %zu, unchanged %zu", w->id, k,
                    out.recorded, out.unchanged);
    }
}

/* A fact whose id is recorded already with another body: refused, nothing written. */
static void
expect_conflict(struct writer *w, struct pw_store *s, const char *text)
{
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    enum pw_status rc = record_text(s, text, w->user, &out, &err);
    if (rc != PW_ECONFLICT || out.failed != 0 || out.recorded != 0 ||
        strstr(err.msg, "already recorded") == NULL) {
        writer_fail(w, "writer %d: a conflicting fact gave %s (%s), recorded %zu", w->id,
                    pw_status_name(rc), err.msg, out.recorded);
    } else {
        w->conflicts++;
    }
}

static void
try_conflicts(struct writer *w, struct pw_store *s)
{
    char text[FACT_TEXT_MAX];
    /* Its own residence w7-00001, at another address. */
    own_fact(w->id, 1, text, sizeof(text));
    char *street = strstr(text, "Mill Lane");
    PW_ASSERT(street != NULL);
    memcpy(street, "Mill Road", strlen("Mill Road"));
    expect_conflict(w, s, text);
    /* A shared person's registration, under another name. */
    shared_person(0, text, sizeof(text));
    char *given = strstr(text, "Adult0");
    PW_ASSERT(given != NULL);
    memcpy(given, "Adult9", strlen("Adult9"));
    expect_conflict(w, s, text);
}

static void
writer_step(struct writer *w, struct pw_store *s, size_t i)
{
    if (i % w->contested_every == 0U && i / w->contested_every < CONTESTED) {
        try_contested(w, s, i / w->contested_every);
    }
    record_own(w, s, i);
    if (w->id % 2 == 0 && i % RETRY_EVERY == RETRY_EVERY - 1) {
        retry_own(w, s, i);
    }
    if (w->id == CONFLICT_WRITER && i % CONFLICT_EVERY == CONFLICT_EVERY - 1) {
        try_conflicts(w, s);
    }
}

static void *
writer_main(void *arg)
{
    struct writer *w = arg;
    struct pw_store *s = NULL;
    struct pw_error err = { 0 };
    enum pw_status rc = pw_store_open(w->target, 0, &s, &err);
    if (rc != PW_OK) {
        writer_fail_status(w, "opening the store", rc, &err);
        s = NULL;
    }
    /* Everyone waits here, opened or not, so nobody is left waiting for a missing writer. */
    (void)pthread_barrier_wait(w->start);
    for (size_t i = 0; s != NULL && !w->failed && i < w->n; i++) {
        writer_step(w, s, i);
    }
    pw_store_close(s);
    return NULL;
}

/* ---- The store under test: a SQLite file or a PostgreSQL database of its own ---- */

/* ---- Checking the log against what the writers were told ---- */

struct listing {
    const struct writer *writers;
    int64_t next_seq; /* the position the next entry must have */
    char prev_hash[65];
    int setup_seen[SHARED_PEOPLE];
    int own_seen[WRITERS][FACTS_PER_WRITER];
    int contested_seen[CONTESTED];
    int64_t contested_at[CONTESTED];
    int last_writer;      /* the writer of the last own fact listed, -1 before the first */
    size_t interleavings; /* own facts listed after another writer's */
    size_t problems;
    char first_problem[512];
};

static void listing_problem(struct listing *l, const char *fmt, ...) PW_PRINTF(2, 3);

static void
listing_problem(struct listing *l, const char *fmt, ...)
{
    if (l->problems++ == 0U) {
        va_list ap;
        va_start(ap, fmt);
        (void)vsnprintf(l->first_problem, sizeof(l->first_problem), fmt, ap);
        va_end(ap);
    }
}

/* Parses "PREFIX<number>" exactly; the number is below limit. */
static bool
id_number(const char *id, const char *prefix, size_t limit, size_t *out)
{
    size_t n = strlen(prefix);
    if (strncmp(id, prefix, n) != 0 || id[n] < '0' || id[n] > '9') {
        return false;
    }
    char *end = NULL;
    unsigned long long v = strtoull(id + n, &end, 10);
    if (*end != '\0' || v >= limit) {
        return false;
    }
    *out = (size_t)v;
    return true;
}

/* An own fact "wT-NNNNN": which writer and which of its facts. */
static bool
own_id(const char *id, const struct writer *writers, int *t, size_t *i)
{
    if (id[0] != 'w' || id[1] < '0' || id[1] >= '0' + WRITERS || id[2] != '-') {
        return false;
    }
    *t = id[1] - '0';
    return id_number(id + 3, "", writers[*t].n, i);
}

static void
classify(struct listing *l, const struct pw_log_entry *e)
{
    size_t k = 0;
    int t = 0;
    if (id_number(e->id, "s-", SHARED_PEOPLE, &k)) {
        l->setup_seen[k]++;
    } else if (id_number(e->id, "c-", CONTESTED, &k)) {
        l->contested_seen[k]++;
        l->contested_at[k] = e->seq;
    } else if (own_id(e->id, l->writers, &t, &k)) {
        l->own_seen[t][k]++;
        l->interleavings += l->last_writer >= 0 && l->last_writer != t ? 1U : 0U;
        l->last_writer = t;
        if (l->writers[t].seq[k] != e->seq) {
            listing_problem(l, "%s was acknowledged at %" PRId64 " but is listed at %" PRId64,
                            e->id, l->writers[t].seq[k], e->seq);
        }
        if (strcmp(e->by, l->writers[t].user) != 0) {
            listing_problem(l, "%s is by %s, not %s", e->id, e->by, l->writers[t].user);
        }
    } else {
        listing_problem(l, "%s at %" PRId64 " is not a fact any writer was told was recorded",
                        e->id, e->seq);
    }
}

static enum pw_status
list_entry(void *ctx, const struct pw_log_entry *e, struct pw_error *err)
{
    (void)err;
    struct listing *l = ctx;
    if (e->seq != l->next_seq) {
        listing_problem(l, "position %" PRId64 " follows %" PRId64, e->seq, l->next_seq - 1);
    }
    if (strcmp(e->prev_hash, l->prev_hash) != 0) {
        listing_problem(l, "entry %" PRId64 " is not chained to the one before it", e->seq);
    }
    l->next_seq = e->seq + 1;
    (void)snprintf(l->prev_hash, sizeof(l->prev_hash), "%s", e->hash);
    classify(l, e);
    return PW_OK;
}

/* Every setup, contested and own fact listed exactly once; each writer's in its order. */
static void
check_listing(const struct listing *l, const struct writer *writers, int64_t n)
{
    if (l->problems != 0U) {
        fail_msg("%zu problems in the log; the first: %s", l->problems, l->first_problem);
    }
    assert_int_equal(l->next_seq - 1, n);
    for (size_t k = 0; k < SHARED_PEOPLE; k++) {
        assert_int_equal(l->setup_seen[k], 1);
    }
    for (size_t k = 0; k < CONTESTED; k++) {
        assert_int_equal(l->contested_seen[k], 1);
    }
    for (int t = 0; t < WRITERS; t++) {
        for (size_t i = 0; i < writers[t].n; i++) {
            if (l->own_seen[t][i] != 1) {
                fail_msg("w%d-%05zu is listed %d times", t, i, l->own_seen[t][i]);
            }
            if (i > 0 && writers[t].seq[i] <= writers[t].seq[i - 1]) {
                fail_msg("writer %d's fact %zu is at %" PRId64 ", before its fact %zu at %" PRId64,
                         t, i, writers[t].seq[i], i - 1, writers[t].seq[i - 1]);
            }
        }
    }
}

/* Contested facts the writers were told they appended. */
static int64_t
contested_acknowledged(const struct writer *writers)
{
    int64_t n = 0;
    for (int t = 0; t < WRITERS; t++) {
        for (size_t k = 0; k < CONTESTED; k++) {
            n += writers[t].contested_seq[k] != 0 ? 1 : 0;
        }
    }
    return n;
}

/* Each contested fact appended by exactly one writer, at the position it was told. */
static void
check_contested(const struct writer *writers, const struct listing *l)
{
    size_t unchanged = 0;
    for (int t = 0; t < WRITERS; t++) {
        unchanged += writers[t].contested_unchanged;
    }
    assert_int_equal(unchanged, (size_t)CONTESTED * (WRITERS - 1));
    for (size_t k = 0; k < CONTESTED; k++) {
        int appended = 0;
        for (int t = 0; t < WRITERS; t++) {
            if (writers[t].contested_seq[k] != 0) {
                appended++;
                assert_int_equal(writers[t].contested_seq[k], l->contested_at[k]);
            }
        }
        if (appended != 1) {
            fail_msg("contested fact c-%03zu was appended by %d writers", k, appended);
        }
    }
}

/* ---- Checking the projections ---- */

struct dump_count {
    struct pw_buf text;
    size_t people;
    size_t residences;
    size_t relationships;
};

static void
dump_line(void *ctx, const char *line)
{
    struct dump_count *d = ctx;
    pw_buf_adds(&d->text, line);
    pw_buf_addc(&d->text, '\n');
    if (strncmp(line, "people\t", 7) == 0) {
        d->people++;
    } else if (strncmp(line, "residences\t", 11) == 0) {
        d->residences++;
    } else if (strncmp(line, "relationships\t", 14) == 0) {
        d->relationships++;
    }
}

static void
dump(struct pw_store *s, struct dump_count *d)
{
    struct pw_error err = { 0 };
    memset(d, 0, sizeof(*d));
    pw_buf_init(&d->text, 0);
    if (pw_store_dump(s, dump_line, d, &err) != PW_OK) {
        fail_msg("dump: %s", err.msg);
    }
}

/* The projections hold a row for each fact, and a rebuild from the log gives the same. */
static void
check_projections(struct pw_store *s, size_t per_writer, int64_t n)
{
    struct dump_count before;
    struct dump_count after;
    struct pw_error err = { 0 };
    int64_t replayed = 0;
    size_t people = 0;
    size_t residences = 0;
    size_t relationships = 0;
    for (size_t i = 0; i < per_writer; i++) {
        people += i % 3 == 0U ? 1U : 0U;
        residences += i % 3 == 1U ? 1U : 0U;
        relationships += i % 3 == 2U ? 1U : 0U;
    }
    dump(s, &before);
    assert_int_equal(before.people, SHARED_PEOPLE + WRITERS * people);
    assert_int_equal(before.residences, WRITERS * residences);
    assert_int_equal(before.relationships, WRITERS * relationships + CONTESTED);
    assert_int_equal(pw_store_rebuild(s, &replayed, &err), PW_OK);
    assert_int_equal(replayed, n);
    dump(s, &after);
    assert_string_equal(pw_buf_cstr(&after.text), pw_buf_cstr(&before.text));
    pw_buf_release(&before.text);
    pw_buf_release(&after.text);
}

/* ---- The test ---- */

static void
register_shared_people(struct pw_store *s)
{
    char texts[SHARED_PEOPLE][FACT_TEXT_MAX];
    const char *lines[SHARED_PEOPLE];
    struct pw_error err = { 0 };
    struct pw_record_outcome out;
    for (size_t k = 0; k < SHARED_PEOPLE; k++) {
        shared_person(k, texts[k], sizeof(texts[k]));
        lines[k] = texts[k];
    }
    if (record_texts(s, lines, SHARED_PEOPLE, "setup", &out, &err) != PW_OK) {
        fail_msg("registering the shared people: %s", err.msg);
    }
    assert_int_equal(out.recorded, SHARED_PEOPLE);
}

/* Starts the writers together and waits for them all; the seconds they took. */
static double
run_writers(struct writer *writers, const char *target, size_t per_writer)
{
    pthread_barrier_t start;
    pthread_t threads[WRITERS];
    assert_int_equal(pthread_barrier_init(&start, NULL, WRITERS + 1), 0);
    for (int t = 0; t < WRITERS; t++) {
        struct writer *w = &writers[t];
        w->id = t;
        (void)snprintf(w->user, sizeof(w->user), "writer-%d", t);
        w->target = target;
        w->n = per_writer;
        w->contested_every = per_writer / CONTESTED;
        w->start = &start;
        assert_int_equal(pthread_create(&threads[t], NULL, writer_main, w), 0);
    }
    (void)pthread_barrier_wait(&start);
    double t0 = now_s();
    for (int t = 0; t < WRITERS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    }
    double seconds = now_s() - t0;
    (void)pthread_barrier_destroy(&start);
    return seconds;
}

/* Every writer did all it was asked, and saw each retry and conflict answered rightly. */
static int64_t
check_writers(const struct writer *writers, size_t per_writer)
{
    int64_t acknowledged = 0;
    for (int t = 0; t < WRITERS; t++) {
        const struct writer *w = &writers[t];
        if (w->failed) {
            fail_msg("%s", w->failure);
        }
        for (size_t i = 0; i < w->n; i++) {
            acknowledged += w->seq[i] > 0 ? 1 : 0;
        }
        assert_int_equal(w->retries, t % 2 == 0 ? per_writer / RETRY_EVERY : 0U);
        assert_int_equal(w->conflicts,
                         t == CONFLICT_WRITER ? 2 * (per_writer / CONFLICT_EVERY) : 0U);
    }
    assert_int_equal(acknowledged, (int64_t)WRITERS * (int64_t)per_writer);
    return acknowledged;
}

static void
concurrent_writers_lose_nothing_and_keep_one_chain(void **state)
{
    struct pw_store_fixture *fx = *state;
    struct pw_error err = { 0 };
    struct writer *writers = calloc(WRITERS, sizeof(*writers));
    struct listing *listing = calloc(1, sizeof(*listing));
    assert_non_null(writers);
    assert_non_null(listing);
    register_shared_people(fx->s);

    double seconds = run_writers(writers, fx->db.target, FACTS_PER_WRITER);
    /* Acknowledged: the setup batch, every writer's own facts, the contested ones appended. */
    int64_t n =
        SHARED_PEOPLE + check_writers(writers, FACTS_PER_WRITER) + contested_acknowledged(writers);
    double longest = 0.0;
    for (int t = 0; t < WRITERS; t++) {
        longest = writers[t].longest > longest ? writers[t].longest : longest;
    }
    print_message("%s: %d writers, %d facts one transaction each (and %d contested, plus "
                  "retries and conflicts) in %.1f s: %.0f facts/s\n",
                  pw_store_backend(fx->s), WRITERS, WRITERS * FACTS_PER_WRITER, CONTESTED, seconds,
                  (double)(WRITERS * FACTS_PER_WRITER) / seconds);
    print_message("the longest a writer waited for one fact: %.3f s\n", longest);

    listing->writers = writers;
    listing->next_seq = 1;
    listing->last_writer = -1;
    (void)snprintf(listing->prev_hash, sizeof(listing->prev_hash), "%064d", 0);
    assert_int_equal(pw_store_facts(fx->s, NULL, list_entry, listing, &err), PW_OK);
    check_listing(listing, writers, n);
    check_contested(writers, listing);
    /* One writer after another would switch WRITERS - 1 times: they must have overlapped. */
    print_message("the log switches writer %zu times\n", listing->interleavings);
    assert_true(listing->interleavings > WRITERS - 1);

    struct pw_verify_result v;
    assert_int_equal(pw_store_verify(fx->s, 0, NULL, &v, &err), PW_OK);
    if (v.broken_seq != 0) {
        fail_msg("the chain is broken at %" PRId64 ": %s", v.broken_seq, v.reason);
    }
    assert_int_equal(v.count, n);
    struct pw_log_head head;
    assert_int_equal(pw_store_head(fx->s, &head, &err), PW_OK);
    assert_int_equal(head.seq, n);
    check_projections(fx->s, FACTS_PER_WRITER, n);
    free(listing);
    free(writers);
}

/* ---- Many processes opening a new store at once ---- */

struct opener {
    pthread_barrier_t *start;
    const char *target;
    enum pw_status rc;
    char msg[512];
    int version;
};

static void *
opener_main(void *arg)
{
    struct opener *o = arg;
    struct pw_error err = { 0 };
    struct pw_store *s = NULL;
    (void)pthread_barrier_wait(o->start);
    o->rc = pw_store_open(o->target, PW_STORE_CREATE, &s, &err);
    (void)snprintf(o->msg, sizeof(o->msg), "%s", err.msg);
    if (o->rc == PW_OK) {
        o->version = pw_store_schema_version(s);
    }
    pw_store_close(s);
    return NULL;
}

/*
 * Eight servers starting against one new database (or one file) at the same moment: each
 * must open it, and the schema must be made once. SQLite's migrations check the version again
 * under their write lock; PostgreSQL's wait on an advisory lock.
 */
static void
openers_of_a_new_store_all_succeed(void **state)
{
    (void)state;
    struct pw_testdb db;
    pthread_barrier_t start;
    pthread_t threads[WRITERS];
    struct opener openers[WRITERS];
    assert_int_equal(pw_testdb_create(&db, "openers"), 0);
    assert_int_equal(pthread_barrier_init(&start, NULL, WRITERS), 0);
    for (int i = 0; i < WRITERS; i++) {
        openers[i] = (struct opener){ .start = &start, .target = db.target };
        assert_int_equal(pthread_create(&threads[i], NULL, opener_main, &openers[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        if (openers[i].rc != PW_OK) {
            print_message("opener %d: %s: %s\n", i, pw_status_name(openers[i].rc), openers[i].msg);
        }
        assert_int_equal(openers[i].rc, PW_OK);
        assert_int_equal(openers[i].version, pw_store_schema_latest());
    }
    (void)pthread_barrier_destroy(&start);
    pw_testdb_drop(&db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(concurrent_writers_lose_nothing_and_keep_one_chain,
                                        pw_store_fixture_setup, pw_store_fixture_teardown),
        cmocka_unit_test(openers_of_a_new_store_all_succeed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
