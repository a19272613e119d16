/*
 * The Fellegi-Sunter model: m (how often a level occurs among true matches) and u (among
 * non-matches) per comparison level, learnt without labels by EM over the candidate pairs'
 * comparison vectors, and the match weight of a pair from them.
 *
 * This is Splink's way. u is the whole population's: level frequencies over a large sample of
 * random pairs, which are nearly all non-matches; it stays fixed. m is learnt by EM over the
 * distinct comparison vectors of the candidate pairs with their counts (a few thousand vectors
 * even for tens of millions of pairs, so EM costs nothing next to comparing), as is the
 * proportion of matches among candidates. Scoring then uses the population prior (those
 * matches over all possible pairs) with the population u, so a weight is a true Fellegi-Sunter
 * weight for any pair, candidate or not, and explaining a non-candidate pair is meaningful.
 * Estimating u on the candidates as well was tried and rejected: on data rich in namesakes
 * (RLdata) EM then splits "same name or not" instead of "same person or not", F1 0.13 against
 * 0.91 this way. Starting values are fixed and patterns are in a fixed order: deterministic.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "link/internal.h"

#define PSEUDO   0.5  /* pseudo-count per level: no level gets m or u of 0 */
#define MIN_PROB 1e-6 /* floor for m and u */
/* A match whose NHS numbers differ is a recording error (the number carries a check digit and
 * follows a person for life), so the evidence against is kept strong even when EM, seeing few
 * such pairs, would soften it: at least log2(1/0.002), about 9 bits. */
#define NHS_DIFFERENT_MAX_M 0.002
/* Likewise two dates of birth a generation apart (compare.c) are a parent's and a child's far
 * more often than one person's: EM, whose passes cannot tell a father from a son of the same
 * name at the same address, learns m near 0.08 there. At least log2(1/0.01), about 6.6 bits,
 * against. Not more: some sources replace a whole date of birth (FEBRL3 loses recall at 0.002,
 * F1 0.9950 against 0.9952), and clustering refuses generations apart anyway. */
#define DOB_GENERATION_MAX_M 0.01
#define DOB_GENERATION_LEVEL 5

static void
init_params(struct pw_link_model *m, const double *u_random)
{
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        unsigned L = pw__link_nlevels(f);
        for (unsigned l = 0; l < L; l++) {
            /* Matches mostly agree exactly; non-matches mostly disagree. */
            m->m[f][l] = l == 0 ? 0.85 : l == L - 1 ? 0.01 : 0.14 / (double)(L - 2 ? L - 2 : 1);
            double u = l == L - 1 ? 0.9 : 0.1 / (double)(L - 1);
            if (u_random) {
                u = u_random[f * PW__LINK_MAXLEVELS + l];
            }
            m->u[f][l] = u < MIN_PROB ? MIN_PROB : u;
        }
    }
}

/* The starting prior: pairs agreeing exactly on two of given name, family name and date of
 * birth, and disagreeing outright on none, are the ones blocking brought together because they
 * are the same person. (Counting same-name pairs whose dates of birth differ sends EM to the
 * other split, "same name or not", on data rich in namesakes such as RLdata.) */
static double
init_lambda(const uint32_t *pat, const double *cnt, size_t npat)
{
    double strong = 0, all = 0;
    for (size_t i = 0; i < npat; i++) {
        unsigned g = pw__link_level(pat[i], PW__F_GIVEN);
        unsigned f = pw__link_level(pat[i], PW__F_FAMILY);
        unsigned d = pw__link_level(pat[i], PW__F_DOB);
        unsigned k = (g == 0) + (f == 0) + (d == 0);
        bool differs = g == pw__link_nlevels(PW__F_GIVEN) - 1 ||
                       f == pw__link_nlevels(PW__F_FAMILY) - 1 ||
                       d == pw__link_nlevels(PW__F_DOB) - 1;
        strong += k >= 2 && !differs ? cnt[i] : 0;
        all += cnt[i];
    }
    double l = all > 0 ? strong / all : 0.1;
    return l < 0.001 ? 0.001 : l > 0.5 ? 0.5 : l;
}

/* What EM estimates: m per field and level, and the proportion of matches. */
struct params {
    double m[PW__NFIELDS][PW__LINK_MAXLEVELS];
    double lambda;
};

/* P(match | pattern) under p and the model's u, over the fields not skipped. */
static double
posterior(const struct pw_link_model *m, const struct params *p, uint32_t pat, const bool *skip)
{
    double lm = p->lambda, lu = 1.0 - p->lambda;
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        unsigned l = pw__link_level(pat, f);
        if (l != PW__LINK_NULL && !skip[f]) {
            lm *= p->m[f][l];
            lu *= m->u[f][l];
        }
    }
    return lm + lu > 0 ? lm / (lm + lu) : 0.0;
}

/* One M step from the expected counts; returns the largest change of a parameter. Skipped
 * fields keep their m, and with fixed_m only the proportion of matches moves. */
static double
maximise(struct params *p, double em[][PW__LINK_MAXLEVELS], double matches, double total,
         const bool *skip, bool fixed_m)
{
    double change = 0;
    for (unsigned f = 0; f < PW__NFIELDS && !fixed_m; f++) {
        if (skip[f]) {
            continue;
        }
        unsigned L = pw__link_nlevels(f);
        double sm = 0;
        for (unsigned l = 0; l < L; l++) {
            sm += em[f][l];
        }
        for (unsigned l = 0; l < L; l++) {
            double nm = (em[f][l] + PSEUDO) / (sm + PSEUDO * L);
            nm = nm < MIN_PROB ? MIN_PROB : nm;
            change = fmax(change, fabs(nm - p->m[f][l]));
            p->m[f][l] = nm;
        }
    }
    double lambda = total > 0 ? matches / total : p->lambda;
    lambda = lambda < 1e-9 ? 1e-9 : lambda > 0.999 ? 0.999 : lambda;
    change = fmax(change, fabs(lambda - p->lambda));
    p->lambda = lambda;
    return change;
}

/* EM over patterns and their counts from p; returns the iterations. */
static unsigned
em(const struct pw_link_model *m, struct params *p, const uint32_t *patterns, const double *counts,
   size_t npat, const bool *skip, bool fixed_m, unsigned max_iter, double tol)
{
    unsigned it = 0;
    while (it < max_iter) {
        double e[PW__NFIELDS][PW__LINK_MAXLEVELS] = { { 0 } };
        double matches = 0, total = 0;
        for (size_t i = 0; i < npat; i++) {
            double cm = counts[i] * posterior(m, p, patterns[i], skip);
            matches += cm;
            total += counts[i];
            for (unsigned f = 0; f < PW__NFIELDS; f++) {
                unsigned l = pw__link_level(patterns[i], f);
                if (l != PW__LINK_NULL) {
                    e[f][l] += cm;
                }
            }
        }
        it++;
        if (maximise(p, e, matches, total, skip, fixed_m) < tol) {
            break;
        }
    }
    return it;
}

/*
 * The training sessions, as Splink trains m: each takes the candidate pairs that agree on some
 * fields and learns m for the OTHER fields only, leaving out the fields it chose by. Why: the
 * candidates of family data are full of households, whose members agree on surname and
 * address. EM over all candidates at once finds that split ("same family or not") as readily
 * as "same person or not", and then a different given name and date of birth look like what
 * matches often have (m of "different" given name came out near 0.6), so relatives linked.
 * Among pairs with the same date of birth, relatives are rare (twins), so names and address
 * are learnt from them; among pairs with the same given and family name, relatives are rare
 * too, so the date of birth is learnt from them. Fields learnt in both are averaged.
 */
enum session {
    S_DOB,
    S_NAMES,
    NSESSIONS
};

#define SESSION_MIN_PAIRS 20.0 /* a session with fewer pairs teaches nothing reliable */

static bool
in_session(enum session s, uint32_t pat, bool *skip)
{
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        skip[f] = false;
    }
    if (s == S_DOB) {
        skip[PW__F_DOB] = true;
        return pw__link_level(pat, PW__F_DOB) == 0;
    }
    skip[PW__F_GIVEN] = skip[PW__F_FAMILY] = true;
    return pw__link_level(pat, PW__F_GIVEN) == 0 && pw__link_level(pat, PW__F_FAMILY) == 0;
}

/* Runs session s from the starting m in start; adds what it learnt to sum and n per field. */
static unsigned
session(const struct pw_link_model *m, const struct params *start, enum session s,
        const uint32_t *patterns, const double *counts, size_t npat, unsigned max_iter, double tol,
        double sum[][PW__LINK_MAXLEVELS], unsigned *n)
{
    uint32_t *pat = pw_xmalloc(pw_mul_size(npat + 1, sizeof(uint32_t)));
    double *cnt = pw_xmalloc(pw_mul_size(npat + 1, sizeof(double)));
    bool skip[PW__NFIELDS];
    size_t k = 0;
    double pairs = 0;
    for (size_t i = 0; i < npat; i++) {
        if (in_session(s, patterns[i], skip)) {
            pat[k] = patterns[i];
            cnt[k++] = counts[i];
            pairs += counts[i];
        }
    }
    (void)in_session(s, 0, skip);
    unsigned it = 0;
    if (pairs >= SESSION_MIN_PAIRS) {
        struct params p = *start;
        p.lambda = init_lambda(pat, cnt, k);
        it = em(m, &p, pat, cnt, k, skip, false, max_iter, tol);
        for (unsigned f = 0; f < PW__NFIELDS; f++) {
            for (unsigned l = 0; l < PW__LINK_MAXLEVELS && !skip[f]; l++) {
                sum[f][l] += p.m[f][l];
            }
            n[f] += !skip[f];
        }
    }
    free(pat);
    free(cnt);
    return it;
}

unsigned
pw__link_train(struct pw_link_model *m, const uint32_t *patterns, const double *counts, size_t npat,
               const double *u_random, unsigned max_iter, double tol)
{
    init_params(m, u_random);
    struct params start, all;
    memcpy(start.m, m->m, sizeof(start.m));
    start.lambda = init_lambda(patterns, counts, npat);
    all = start;
    static const bool none[PW__NFIELDS] = { false };
    /* All candidates at once: m for a field no session could learn (no dates of birth). */
    unsigned it = em(m, &all, patterns, counts, npat, none, false, max_iter, tol);
    double sum[PW__NFIELDS][PW__LINK_MAXLEVELS] = { { 0 } };
    unsigned n[PW__NFIELDS] = { 0 };
    for (int s = 0; s < NSESSIONS; s++) {
        it += session(m, &start, (enum session)s, patterns, counts, npat, max_iter, tol, sum, n);
    }
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        for (unsigned l = 0; l < PW__LINK_MAXLEVELS; l++) {
            m->m[f][l] = n[f] ? sum[f][l] / n[f] : all.m[f][l];
        }
    }
    if (m->m[PW__F_NHS][2] > NHS_DIFFERENT_MAX_M) {
        m->m[PW__F_NHS][2] = NHS_DIFFERENT_MAX_M;
    }
    if (m->m[PW__F_DOB][DOB_GENERATION_LEVEL] > DOB_GENERATION_MAX_M) {
        m->m[PW__F_DOB][DOB_GENERATION_LEVEL] = DOB_GENERATION_MAX_M;
    }
    /* With m settled, the proportion of matches among all the candidates. */
    memcpy(all.m, m->m, sizeof(all.m));
    it += em(m, &all, patterns, counts, npat, none, true, max_iter, tol);
    m->lambda = all.lambda;
    return it;
}

double
pw__link_probability(double weight)
{
    return 1.0 / (1.0 + exp2(-weight));
}

enum pw_link_band
pw__link_band(const struct pw_link_model *m, double probability)
{
    if (probability >= m->link_at) {
        return PW_LINK_LINK;
    }
    return probability >= m->review_at ? PW_LINK_REVIEW : PW_LINK_NONE;
}

/* The term-frequency adjustment for exact agreement on a value held by count of n records:
 * the chance two random records agree on this value against the chance they agree on any
 * value (sum of squared frequencies). Smith weighs less than Oyelaran. */
static double
tf_adjust(const struct pw_link_model *m, uint32_t count, double n, double agree)
{
    if (count == 0 || n <= 0 || agree <= 0) {
        return 0;
    }
    double adj = log2(agree / ((double)count / n));
    return adj > m->tf_cap ? m->tf_cap : adj < -m->tf_cap ? -m->tf_cap : adj;
}

/*
 * True when the pair looks like two relatives: the same family name, but given names different
 * (not a nickname, spelling or initial) and dates of birth different or a generation apart.
 * (Records of one person that differ so are rare; a source that swaps names or replaces whole
 * dates, as FEBRL does, rarely keeps the family name too.) Relatives share
 * an address by living together, which the model's assumption that fields are independent
 * does not know: a sister's records and her brother's agree on surname, first line, postcode
 * and town, and that address agreement alone (up to 19 bits) put most siblings of a partnership
 * in the review queue. For such a pair the address may count against, never for.
 */
static bool
names_and_dates_differ(uint32_t pat)
{
    unsigned given = pw__link_level(pat, PW__F_GIVEN);
    unsigned family = pw__link_level(pat, PW__F_FAMILY);
    unsigned dob = pw__link_level(pat, PW__F_DOB);
    return family == 0 && given == pw__link_nlevels(PW__F_GIVEN) - 1 && (dob == 4 || dob == 5);
}

double
pw__link_score(const struct pw_link_model *m, const struct pw__link_prec *a,
               const struct pw__link_prec *b, uint32_t pat, struct pw_link_explanation *ex)
{
    double prior = log2(m->lambda / (1.0 - m->lambda));
    double w = prior;
    bool household = names_and_dates_differ(pat);
    (void)b;
    for (unsigned f = 0; f < PW__NFIELDS; f++) {
        unsigned l = pw__link_level(pat, f);
        double part = 0, tf = 0, mp = 0, up = 0;
        const char *level = pw__link_level_name(f, l);
        if (l != PW__LINK_NULL) {
            mp = m->m[f][l];
            up = m->u[f][l];
            part = log2(mp / up);
            if (f == PW__F_ADDRESS && household && part > 0) {
                part = 0;
                level = "shared, as relatives' is: not counted for one family name with "
                        "other given names and dates of birth";
            }
            if (l == 0 && f == PW__F_FAMILY) {
                tf = tf_adjust(m, a->tf_family, m->tf_family_n, m->tf_family_agree);
            } else if (l == 0 && f == PW__F_GIVEN) {
                tf = tf_adjust(m, a->tf_given, m->tf_given_n, m->tf_given_agree);
            }
        }
        w += part + tf;
        if (ex) {
            struct pw_link_part *p = &ex->parts[f];
            p->field = pw__link_field_name(f);
            p->level = level;
            p->m = mp;
            p->u = up;
            p->weight = part;
            p->tf_adjust = tf;
        }
    }
    if (ex) {
        ex->nparts = PW__NFIELDS;
        ex->prior_weight = prior;
        ex->weight = w;
        ex->probability = pw__link_probability(w);
        ex->band = pw__link_band(m, ex->probability);
    }
    return w;
}
