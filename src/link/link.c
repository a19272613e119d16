/*
 * pw_link_run and the result: the phases in order (prepare, block, compare, train, score,
 * cluster), the threads that compare, the term frequencies, and explaining a pair. Each phase
 * lives in its own file; this one owns the data that flows between them and its lifetime.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/rng.h"
#include "core/strmap.h"
#include "link/internal.h"

#define RANDOM_PAIRS  600000 /* pairs sampled to start u */
#define MAX_THREADS   64
#define DEFAULT_SEED  0x6c696e6b2d7077ULL
#define PATTERN_SLOTS (1u << 18) /* distinct comparison vectors seen are far fewer */
#define PATTERN_SHIFT 14
#define U_CORRECT_MIN                                                                            \
 1000 /* records a run needs before u is corrected for matches */ /* a 32-bit hash's top 18 bits \
                                                                     index the slots */

struct pw_link_result {
    struct pw_arena *arena; /* the prepared records' strings */
    struct pw__link_prec *recs;
    size_t n;
    struct pw_link_model model;
    struct pw_link_pair *pairs;
    size_t npairs;
    size_t *cluster;
    struct pw_link_stats stats;
};

static const char *const default_strict[] = { "nhs", "pnc", "upn" };

void
pw_link_options_default(struct pw_link_options *o)
{
    memset(o, 0, sizeof(*o));
    /*
     * 0.90, not 0.95: measured, 0.90 reaches FEBRL3 F1 0.9955 (0.9949 at 0.95) with no loss of
     * precision anywhere, because a link-band pair becomes a link only if clustering agrees
     * (it refuses to join records whose identifiers, sexes or dates of birth conflict).
     */
    o->link_at = 0.90;
    o->review_at = 0.50;
    o->threads = 2;
    o->max_em_iterations = 100;
    o->em_tolerance = 1e-5;
    o->max_block = 2000;
    o->tf_cap_bits = 4.0;
    o->dob_conflict_years = 2;
    o->seed = DEFAULT_SEED;
}

static double
now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum pw_status
check_input(size_t n, const struct pw_link_decision *d, size_t nd, const struct pw_link_options *o,
            struct pw_error *err)
{
    if (n >= UINT32_MAX) {
        return pw_fail(err, PW_ETOOBIG, "too many records to link: %zu", n);
    }
    if (!(o->link_at > 0 && o->link_at < 1 && o->review_at > 0 && o->review_at <= o->link_at)) {
        return pw_fail(err, PW_EINVAL, "thresholds must satisfy 0 < review_at <= link_at < 1");
    }
    if (o->threads < 1 || o->threads > MAX_THREADS || o->max_block < 2) {
        return pw_fail(err, PW_EINVAL, "threads must be 1 to %d and max_block at least 2",
                       MAX_THREADS);
    }
    for (size_t i = 0; i < nd; i++) {
        if (d[i].a >= n || d[i].b >= n || d[i].a == d[i].b) {
            return pw_fail(err, PW_EINVAL, "decision %zu names records out of range", i);
        }
        for (size_t j = 0; j < i; j++) {
            bool pair =
                (d[j].a == d[i].a && d[j].b == d[i].b) || (d[j].a == d[i].b && d[j].b == d[i].a);
            if (pair && d[j].same != d[i].same) {
                return pw_fail(err, PW_EINVAL, "decisions %zu and %zu disagree on one pair", j, i);
            }
        }
    }
    return PW_OK;
}

static void
model_init(struct pw_link_model *m, const struct pw_link_options *o)
{
    memset(m, 0, sizeof(*m));
    m->link_at = o->link_at;
    m->review_at = o->review_at;
    m->tf_cap = o->tf_cap_bits;
    pw_strmap_init(&m->tf_given);
    pw_strmap_init(&m->tf_family);
    pw_strmap_init(&m->schemes);
    const char *const *strict = o->strict_schemes ? o->strict_schemes : default_strict;
    size_t ns = o->strict_schemes ? o->nstrict : sizeof(default_strict) / sizeof(char *);
    m->strict_copy = pw_xcalloc(ns + 1, sizeof(char *));
    for (size_t i = 0; i < ns; i++) {
        m->strict_copy[i] = pw_xstrdup(strict[i]);
    }
    m->strict = (const char *const *)m->strict_copy;
    m->nstrict = ns;
}

static void
model_release(struct pw_link_model *m)
{
    pw_strmap_release(&m->tf_given);
    pw_strmap_release(&m->tf_family);
    pw_strmap_release(&m->schemes);
    for (size_t i = 0; m->strict_copy && i < m->nstrict; i++) {
        free(m->strict_copy[i]);
    }
    free(m->strict_copy);
}

static void
count_value(struct pw_strmap *map, const char *v)
{
    int64_t c = 0;
    if (v) {
        (void)pw_strmap_get(map, v, &c);
        pw_strmap_put(map, v, c + 1);
    }
}

static uint32_t
value_count(const struct pw_strmap *map, const char *v)
{
    int64_t c = 0;
    return v && pw_strmap_get(map, v, &c) ? (uint32_t)c : 0;
}

/* How often each first given name and family name occurs in this data, for the adjustment. */
static void
term_frequencies(struct pw_link_result *r)
{
    struct pw_link_model *m = &r->model;
    for (size_t i = 0; i < r->n; i++) {
        count_value(&m->tf_given, r->recs[i].ngiven ? r->recs[i].given[0] : NULL);
        count_value(&m->tf_family, r->recs[i].family);
    }
    double gn = 0, fn = 0, g2 = 0, f2 = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct pw__link_prec *p = &r->recs[i];
        p->tf_given = value_count(&m->tf_given, p->ngiven ? p->given[0] : NULL);
        p->tf_family = value_count(&m->tf_family, p->family);
        gn += p->tf_given ? 1 : 0;
        fn += p->tf_family ? 1 : 0;
        /* Summing count/n over records sums each value's share count times: the square. */
        g2 += p->tf_given;
        f2 += p->tf_family;
    }
    m->tf_given_n = gn;
    m->tf_family_n = fn;
    m->tf_given_agree = gn > 0 ? g2 / (gn * gn) : 0;
    m->tf_family_agree = fn > 0 ? f2 / (fn * fn) : 0;
}

static void
prepare_all(struct pw_link_result *r, const struct pw_link_record *recs)
{
    struct pw_strmap sources;
    pw_strmap_init(&sources);
    for (size_t i = 0; i < r->n; i++) {
        pw__link_prepare(&recs[i], &r->recs[i], r->arena, &r->model, &r->model.schemes);
        const char *src = recs[i].source ? recs[i].source : "";
        int64_t s;
        if (!pw_strmap_get(&sources, src, &s)) {
            s = (int64_t)sources.count;
            pw_strmap_put(&sources, src, s);
        }
        r->recs[i].source = (uint32_t)s;
    }
    pw_strmap_release(&sources);
    term_frequencies(r);
}

/* ---- Comparing in threads: each takes a contiguous slice, so output order is fixed ---- */

struct slice {
    const struct pw__link_prec *recs;
    const uint64_t *pairs;
    uint32_t *patterns;
    size_t from, to;
};

static void *
compare_slice(void *arg)
{
    struct slice *s = arg;
    for (size_t i = s->from; i < s->to; i++) {
        uint64_t p = s->pairs[i];
        s->patterns[i] = pw__link_compare(&s->recs[p >> 32], &s->recs[p & 0xFFFFFFFFu]);
    }
    return NULL;
}

static enum pw_status
compare_all(const struct pw__link_prec *recs, const uint64_t *pairs, size_t np, uint32_t *patterns,
            int threads, struct pw_error *err)
{
    struct slice s[MAX_THREADS] = { { 0 } };
    pthread_t tid[MAX_THREADS];
    size_t nt = np < 10000 || threads < 1 ? 1 : (size_t)threads;
    nt = nt > MAX_THREADS ? MAX_THREADS : nt;
    size_t started = 0;
    enum pw_status rc = PW_OK;
    for (size_t t = 0; t < nt; t++) {
        s[t] = (struct slice){ recs, pairs, patterns, np * t / nt, np * (t + 1) / nt };
    }
    for (size_t t = 1; t < nt; t++) {
        if (pthread_create(&tid[t], NULL, compare_slice, &s[t]) != 0) {
            rc = pw_fail(err, PW_EINTERNAL, "could not start a comparison thread");
            break;
        }
        started = t;
    }
    (void)compare_slice(&s[0]);
    for (size_t t = 1; t <= started; t++) {
        (void)pthread_join(tid[t], NULL);
    }
    if (rc != PW_OK) {
        /* Slices whose thread did not start are done here, so the result is still whole. */
        for (size_t t = started + 1; t < nt; t++) {
            (void)compare_slice(&s[t]);
        }
        pw_error_clear(err);
        rc = PW_OK;
    }
    return rc;
}

/* ---- Training ---- */

/* All pairs a run could compare: n(n-1)/2, or only those across sources. */
static double
possible_pairs(const struct pw_link_result *r, bool across)
{
    double n = (double)r->n, all = n * (n - 1) / 2;
    if (!across) {
        return all;
    }
    size_t ns = 0;
    for (size_t i = 0; i < r->n; i++) {
        ns = r->recs[i].source + 1 > ns ? r->recs[i].source + 1 : ns;
    }
    double *per = pw_xcalloc(ns ? ns : 1, sizeof(double));
    for (size_t i = 0; i < r->n; i++) {
        per[r->recs[i].source]++;
    }
    double same = 0;
    for (size_t s = 0; s < ns; s++) {
        same += per[s] * (per[s] - 1) / 2;
    }
    free(per);
    return all - same;
}

/* u: level frequencies over random pairs (the population's u), compared in threads. */
static enum pw_status
random_u(const struct pw_link_result *r, const struct pw_link_options *o, double *u,
         struct pw_error *err)
{
    double cnt[PW__NFIELDS][PW__LINK_MAXLEVELS] = { { 0 } };
    struct pw_rng rng;
    pw_rng_seed(&rng, o->seed);
    size_t want = RANDOM_PAIRS, got = 0;
    uint64_t *pairs = pw_xcalloc(want, sizeof(uint64_t));
    uint32_t *pat = pw_xmalloc(pw_mul_size(want, sizeof(uint32_t)));
    for (size_t tries = 0; got < want && tries < want * 4 && r->n >= 2; tries++) {
        size_t a = (size_t)pw_rng_below(&rng, r->n), b = (size_t)pw_rng_below(&rng, r->n);
        if (a != b && (!o->across_sources_only || r->recs[a].source != r->recs[b].source)) {
            pairs[got++] = (uint64_t)a << 32 | b;
        }
    }
    enum pw_status rc = compare_all(r->recs, pairs, got, pat, o->threads, err);
    for (size_t i = 0; i < got; i++) {
        for (unsigned f = 0; f < PW__NFIELDS; f++) {
            unsigned l = pw__link_level(pat[i], f);
            if (l != PW__LINK_NULL) {
                cnt[f][l]++;
            }
        }
    }
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        unsigned L = pw__link_nlevels(f);
        double tot = 0;
        for (unsigned l = 0; l < L; l++) {
            tot += cnt[f][l];
        }
        for (unsigned l = 0; l < PW__LINK_MAXLEVELS; l++) {
            u[f * PW__LINK_MAXLEVELS + l] = (cnt[f][l] + 0.5) / (tot + 0.5 * L);
        }
    }
    free(pairs);
    free(pat);
    return rc;
}

static int
cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return a < b ? -1 : a > b;
}

/* The distinct patterns (sorted) and how many pairs have each. */
static size_t
pattern_counts(const uint32_t *patterns, size_t np, uint32_t **pat_out, double **cnt_out)
{
    uint32_t *keys = pw_xmalloc(PATTERN_SLOTS * sizeof(uint32_t));
    size_t *cnt = pw_xcalloc(PATTERN_SLOTS, sizeof(size_t));
    size_t distinct = 0;
    memset(keys, 0xFF, PATTERN_SLOTS * sizeof(uint32_t)); /* patterns use 28 bits: never ~0 */
    for (size_t i = 0; i < np; i++) {
        uint32_t h = (patterns[i] * 2654435761u) >> PATTERN_SHIFT;
        while (keys[h] != UINT32_MAX && keys[h] != patterns[i]) {
            h = (h + 1) & (PATTERN_SLOTS - 1);
        }
        if (keys[h] == UINT32_MAX) {
            keys[h] = patterns[i];
            PW_ASSERT(++distinct < PATTERN_SLOTS / 2);
        }
        cnt[h]++;
    }
    uint32_t *pat = pw_xmalloc(pw_mul_size(distinct + 1, sizeof(uint32_t)));
    double *c = pw_xmalloc(pw_mul_size(distinct + 1, sizeof(double)));
    size_t k = 0;
    for (size_t h = 0; h < PATTERN_SLOTS; h++) {
        if (keys[h] != UINT32_MAX) {
            pat[k++] = keys[h];
        }
    }
    qsort(pat, k, sizeof(uint32_t), cmp_u32);
    for (size_t i = 0; i < k; i++) {
        uint32_t h = (pat[i] * 2654435761u) >> PATTERN_SHIFT;
        while (keys[h] != pat[i]) {
            h = (h + 1) & (PATTERN_SLOTS - 1);
        }
        c[i] = (double)cnt[h];
    }
    free(keys);
    free(cnt);
    *pat_out = pat;
    *cnt_out = c;
    return k;
}

/* ---- Scoring and decisions ---- */

static void
add_pair(struct pw_link_result *r, size_t *cap, struct pw_link_pair p)
{
    if (r->npairs == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        r->pairs = pw_xrealloc(r->pairs, pw_mul_size(*cap, sizeof(struct pw_link_pair)));
    }
    r->pairs[r->npairs++] = p;
}

static int
cmp_pairs(const void *x, const void *y)
{
    const struct pw_link_pair *a = x, *b = y;
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    return a->b < b->b ? -1 : a->b > b->b;
}

static struct pw_link_pair
scored(const struct pw_link_result *r, size_t a, size_t b, uint32_t pat)
{
    struct pw_link_pair p = { a < b ? a : b, a < b ? b : a, 0, 0, PW_LINK_NONE, false };
    p.weight = pw__link_score(&r->model, &r->recs[a], &r->recs[b], pat, NULL);
    p.probability = pw__link_probability(p.weight);
    p.band = pw__link_band(&r->model, p.probability);
    return p;
}

static void
score_all(struct pw_link_result *r, const uint64_t *pairs, const uint32_t *patterns, size_t np,
          size_t *cap)
{
    for (size_t i = 0; i < np; i++) {
        struct pw_link_pair p = scored(r, pairs[i] >> 32, pairs[i] & 0xFFFFFFFFu, patterns[i]);
        if (p.band != PW_LINK_NONE) {
            add_pair(r, cap, p);
        }
    }
}

/* Decided pairs take the band the practitioner gave, whether or not blocking found them. */
static void
apply_decisions(struct pw_link_result *r, const struct pw_link_decision *d, size_t nd, size_t *cap)
{
    if (r->npairs) {
        qsort(r->pairs, r->npairs, sizeof(struct pw_link_pair), cmp_pairs);
    }
    size_t scored_n = r->npairs;
    for (size_t i = 0; i < nd; i++) {
        struct pw_link_pair key = { d[i].a < d[i].b ? d[i].a : d[i].b,
                                    d[i].a < d[i].b ? d[i].b : d[i].a,
                                    0,
                                    0,
                                    PW_LINK_NONE,
                                    false };
        struct pw_link_pair *p =
            scored_n ? bsearch(&key, r->pairs, scored_n, sizeof(key), cmp_pairs) : NULL;
        if (!p) {
            const struct pw__link_prec *a = &r->recs[key.a], *b = &r->recs[key.b];
            add_pair(r, cap, scored(r, key.a, key.b, pw__link_compare(a, b)));
            p = &r->pairs[r->npairs - 1];
        }
        p->band = d[i].same ? PW_LINK_LINK : PW_LINK_NONE;
        p->decided = true;
    }
    if (r->npairs) {
        qsort(r->pairs, r->npairs, sizeof(struct pw_link_pair), cmp_pairs);
    }
    /* A pair decided twice (the same way) appears once. */
    size_t k = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        if (k == 0 || cmp_pairs(&r->pairs[k - 1], &r->pairs[i]) != 0) {
            r->pairs[k++] = r->pairs[i];
        } else if (r->pairs[i].decided) {
            r->pairs[k - 1] = r->pairs[i];
        }
    }
    r->npairs = k;
}

static enum pw_status
cluster_all(struct pw_link_result *r, const struct pw_link_decision *d, size_t nd,
            const struct pw_link_options *o, struct pw_error *err)
{
    struct pw_link_pair *links = pw_xmalloc(pw_mul_size(r->npairs + 1, sizeof(*links)));
    size_t nl = 0;
    for (size_t i = 0; i < r->npairs; i++) {
        if (r->pairs[i].band == PW_LINK_LINK && !r->pairs[i].decided) {
            links[nl++] = r->pairs[i];
        }
        r->stats.link_pairs += r->pairs[i].band == PW_LINK_LINK;
        r->stats.review_pairs += r->pairs[i].band == PW_LINK_REVIEW;
    }
    struct pw__link_cluster_in in = { r->recs, r->n, &r->model, links,
                                      nl,      d,    nd,        o->dob_conflict_years };
    enum pw_status rc =
        pw__link_cluster(&in, r->cluster, &r->stats.clusters, &r->stats.refused_merges, err);
    free(links);
    return rc;
}

/* u from random pairs, m and the prior by EM over the candidates' patterns. */
static enum pw_status
train(struct pw_link_result *r, const uint32_t *patterns, size_t np,
      const struct pw_link_options *o, struct pw_error *err)
{
    double u0[PW__NFIELDS * PW__LINK_MAXLEVELS];
    enum pw_status rc = random_u(r, o, u0, err);
    if (rc != PW_OK) {
        return rc;
    }
    uint32_t *pat;
    double *cnt;
    size_t npat = pattern_counts(patterns, np, &pat, &cnt);
    double total = possible_pairs(r, o->across_sources_only);
    r->stats.em_iterations = 0;
    for (int round = 0; round < 2; round++) {
        r->stats.em_iterations +=
            pw__link_train(&r->model, pat, cnt, npat, u0, o->max_em_iterations, o->em_tolerance);
        /* From the share of matches among candidates to the chance two random records match. */
        double lambda = total > 0 ? r->model.lambda * (double)np / total : 0.5;
        r->model.lambda = fmin(fmax(lambda, 1e-12), 0.5);
        /* The random pairs u came from hold matches too, at the rate just found, and where
         * duplicates are many (FEBRL 3: one pair in 2,000) they make agreeing on a whole
         * address look common: u of "same line, postcode and town" came out 1.2e-4 where
         * 9e-5 of it was matches. Taking them out, u = (u - lambda m) / (1 - lambda), and
         * training once more gives the non-matches' own u. Not on small runs, where lambda
         * from a handful of candidates is too rough to correct anything with. */
        if (round == 1 || r->n < U_CORRECT_MIN) {
            break;
        }
        for (unsigned f = 0; f < PW__NFIELDS; f++) {
            for (unsigned l = 0; l < pw__link_nlevels(f); l++) {
                double *u = &u0[f * PW__LINK_MAXLEVELS + l];
                double c = (*u - r->model.lambda * r->model.m[f][l]) / (1.0 - r->model.lambda);
                *u = fmax(c, *u / 100.0);
            }
        }
    }
    r->stats.prior = r->model.lambda;
    free(pat);
    free(cnt);
    return PW_OK;
}

static enum pw_status
run_phases(struct pw_link_result *r, const struct pw_link_record *recs,
           const struct pw_link_decision *d, size_t nd, const struct pw_link_options *o,
           struct pw_error *err)
{
    struct pw_link_stats *st = &r->stats;
    double t0 = now_s(), t = t0;
    prepare_all(r, recs);
    st->t_prepare = now_s() - t;
    t = now_s();
    size_t np = 0;
    uint64_t *pairs = pw__link_block(r->recs, r->n, o->across_sources_only, o->max_block, &np,
                                     &st->skipped_blocks);
    st->candidate_pairs = np;
    st->t_block = now_s() - t;
    t = now_s();
    uint32_t *patterns = pw_xmalloc(pw_mul_size(np + 1, sizeof(uint32_t)));
    enum pw_status rc = compare_all(r->recs, pairs, np, patterns, o->threads, err);
    st->t_compare = now_s() - t;
    t = now_s();
    if (rc == PW_OK) {
        rc = train(r, patterns, np, o, err);
    }
    st->t_train = now_s() - t;
    if (rc == PW_OK) {
        t = now_s();
        size_t cap = 0;
        score_all(r, pairs, patterns, np, &cap);
        apply_decisions(r, d, nd, &cap);
        st->t_score = now_s() - t;
        t = now_s();
        rc = cluster_all(r, d, nd, o, err);
        st->t_cluster = now_s() - t;
    }
    free(pairs);
    free(patterns);
    st->t_total = now_s() - t0;
    return rc;
}

enum pw_status
pw_link_run(const struct pw_link_record *recs, size_t n, const struct pw_link_decision *decisions,
            size_t ndecisions, const struct pw_link_options *opt, struct pw_link_result **out,
            struct pw_error *err)
{
    struct pw_link_options def;
    if (!opt) {
        pw_link_options_default(&def);
        opt = &def;
    }
    *out = NULL;
    enum pw_status rc = check_input(n, decisions, ndecisions, opt, err);
    if (rc != PW_OK) {
        return rc;
    }
    struct pw_link_result *r = pw_xcalloc(1, sizeof(*r));
    r->arena = pw_arena_new();
    r->n = n;
    r->recs = pw_xcalloc(n ? n : 1, sizeof(struct pw__link_prec));
    r->cluster = pw_xcalloc(n ? n : 1, sizeof(size_t));
    r->stats.records = n;
    model_init(&r->model, opt);
    rc = run_phases(r, recs, decisions, ndecisions, opt, err);
    if (rc != PW_OK) {
        pw_link_result_free(r);
        return rc;
    }
    *out = r;
    return PW_OK;
}

void
pw_link_result_free(struct pw_link_result *r)
{
    if (!r) {
        return;
    }
    model_release(&r->model);
    pw_arena_free(r->arena);
    free(r->recs);
    free(r->pairs);
    free(r->cluster);
    free(r);
}

const struct pw_link_pair *
pw_link_result_pairs(const struct pw_link_result *r, size_t *n)
{
    *n = r->npairs;
    return r->pairs;
}

const size_t *
pw_link_result_clusters(const struct pw_link_result *r, size_t *n)
{
    *n = r->n;
    return r->cluster;
}

const struct pw_link_stats *
pw_link_result_stats(const struct pw_link_result *r)
{
    return &r->stats;
}

const struct pw_link_model *
pw_link_result_model(const struct pw_link_result *r)
{
    return &r->model;
}

enum pw_status
pw_link_explain(const struct pw_link_result *r, size_t a, size_t b, struct pw_link_explanation *out,
                struct pw_error *err)
{
    if (a >= r->n || b >= r->n || a == b) {
        return pw_fail(err, PW_EINVAL, "explain needs two different records of the run");
    }
    memset(out, 0, sizeof(*out));
    const struct pw__link_prec *x = &r->recs[a], *y = &r->recs[b];
    (void)pw__link_score(&r->model, x, y, pw__link_compare(x, y), out);
    return PW_OK;
}

enum pw_status
pw_link_model_explain(const struct pw_link_model *m, const struct pw_link_record *a,
                      const struct pw_link_record *b, struct pw_link_explanation *out,
                      struct pw_error *err)
{
    if (!m || !a || !b) {
        return pw_fail(err, PW_EINVAL, "explain needs a model and two records");
    }
    struct pw_arena *arena = pw_arena_new();
    struct pw__link_prec x, y;
    pw__link_prepare(a, &x, arena, m, NULL);
    pw__link_prepare(b, &y, arena, m, NULL);
    /* A value the training data never held counts as held once: as rare as can be. */
    x.tf_given = x.ngiven ? value_count(&m->tf_given, x.given[0]) : 0;
    x.tf_family = value_count(&m->tf_family, x.family);
    x.tf_given += x.ngiven && !x.tf_given;
    x.tf_family += x.family && !x.tf_family;
    memset(out, 0, sizeof(*out));
    (void)pw__link_score(m, &x, &y, pw__link_compare(&x, &y), out);
    pw_arena_free(arena);
    return PW_OK;
}

size_t
pw_link_model_fields(const struct pw_link_model *m)
{
    (void)m;
    return PW__NFIELDS;
}

size_t
pw_link_model_levels(const struct pw_link_model *m, size_t f)
{
    (void)m;
    return f < PW__NFIELDS ? pw__link_nlevels((unsigned)f) : 0;
}

bool
pw_link_model_level(const struct pw_link_model *m, size_t f, size_t l, const char **field,
                    const char **level, double *mp, double *up)
{
    if (f >= PW__NFIELDS || l >= pw__link_nlevels((unsigned)f)) {
        return false;
    }
    *field = pw__link_field_name((unsigned)f);
    *level = pw__link_level_name((unsigned)f, (unsigned)l);
    *mp = m->m[f][l];
    *up = m->u[f][l];
    return true;
}
