/*
 * From linked pairs to people without chaining strangers. Connected components would make
 * A~B and B~C one person even when A and C are clearly two (twins at one address, a father
 * and son of one name). Instead clusters merge one link at a time in descending weight order,
 * and a merge is refused when any record of one cluster conflicts hard with any of the other
 * (different NHS numbers, both sexes known and different, dates of birth years apart), when a
 * practitioner rejected any cross pair, or when the cross pairs, scored with the model, average
 * below the link threshold. Accepted decisions are merged first and unconditionally.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "link/internal.h"

struct uf {
    size_t *parent, *next, *last, *size; /* members of a root: a list from it via next */
};

static size_t
find(struct uf *u, size_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

/* Joins the member lists; the smaller index stays root so numbering is stable. */
static void
join(struct uf *u, size_t ra, size_t rb)
{
    if (rb < ra) {
        size_t t = ra;
        ra = rb;
        rb = t;
    }
    u->parent[rb] = ra;
    u->next[u->last[ra]] = rb;
    u->last[ra] = u->last[rb];
    u->size[ra] += u->size[rb];
}

#define END SIZE_MAX

static int
cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static uint64_t
pair_key(size_t a, size_t b)
{
    return a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
}

struct rejects {
    uint64_t *v;
    size_t n;
};

static bool
rejected(const struct rejects *r, size_t a, size_t b)
{
    uint64_t k = pair_key(a, b);
    return r->n && bsearch(&k, r->v, r->n, sizeof(uint64_t), cmp_u64) != NULL;
}

/* May clusters ra and rb be one person? */
static bool
may_merge(const struct pw__link_cluster_in *in, struct uf *u, const struct rejects *rej, size_t ra,
          size_t rb)
{
    double sum = 0, cnt = 0;
    for (size_t x = ra; x != END; x = u->next[x]) {
        for (size_t y = rb; y != END; y = u->next[y]) {
            const struct pw__link_prec *a = &in->recs[x], *b = &in->recs[y];
            if (rejected(rej, x, y) || pw__link_conflict(a, b, in->dob_years)) {
                return false;
            }
            sum += pw__link_score(in->model, a, b, pw__link_compare(a, b), NULL);
            cnt++;
        }
    }
    double threshold = log2(in->model->link_at / (1.0 - in->model->link_at));
    return cnt == 0 || sum / cnt >= threshold;
}

static int
cmp_links(const void *x, const void *y)
{
    const struct pw_link_pair *a = x, *b = y;
    if (a->weight != b->weight) {
        return a->weight > b->weight ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    return a->b < b->b ? -1 : a->b > b->b;
}

static enum pw_status
apply_accepts(const struct pw__link_cluster_in *in, struct uf *u, const struct rejects *rej,
              struct pw_error *err)
{
    for (size_t i = 0; i < in->ndecisions; i++) {
        const struct pw_link_decision *d = &in->decisions[i];
        if (!d->same) {
            continue;
        }
        size_t ra = find(u, d->a), rb = find(u, d->b);
        if (ra == rb) {
            continue;
        }
        for (size_t x = ra; x != END; x = u->next[x]) {
            for (size_t y = rb; y != END; y = u->next[y]) {
                if (rejected(rej, x, y)) {
                    return pw_fail(err, PW_ECONFLICT,
                                   "accepted links join records %zu and %zu, which a decision "
                                   "keeps apart",
                                   x, y);
                }
            }
        }
        join(u, ra, rb);
    }
    return PW_OK;
}

enum pw_status
pw__link_cluster(const struct pw__link_cluster_in *in, size_t *cluster, size_t *nclusters,
                 size_t *refused, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    size_t n = in->n, k = 0;
    struct uf u;
    u.parent = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(size_t)));
    u.next = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(size_t)));
    u.last = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(size_t)));
    u.size = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(size_t)));
    struct rejects rej = { pw_xmalloc(pw_mul_size(in->ndecisions + 1, sizeof(uint64_t))), 0 };
    struct pw_link_pair *links =
        pw_xmalloc(pw_mul_size(in->nlinks + 1, sizeof(struct pw_link_pair)));
    for (size_t i = 0; i < n; i++) {
        u.parent[i] = u.last[i] = i;
        u.next[i] = END;
        u.size[i] = 1;
    }
    for (size_t i = 0; i < in->ndecisions; i++) {
        if (!in->decisions[i].same) {
            rej.v[rej.n++] = pair_key(in->decisions[i].a, in->decisions[i].b);
        }
    }
    if (rej.n) {
        qsort(rej.v, rej.n, sizeof(uint64_t), cmp_u64);
    }
    rc = apply_accepts(in, &u, &rej, err);
    if (rc != PW_OK) {
        goto out;
    }
    if (in->nlinks) {
        memcpy(links, in->links, in->nlinks * sizeof(struct pw_link_pair));
    }
    if (in->nlinks) {
        qsort(links, in->nlinks, sizeof(struct pw_link_pair), cmp_links);
    }
    *refused = 0;
    for (size_t i = 0; i < in->nlinks; i++) {
        size_t ra = find(&u, links[i].a), rb = find(&u, links[i].b);
        if (ra == rb) {
            continue;
        }
        if (may_merge(in, &u, &rej, ra, rb)) {
            join(&u, ra, rb);
        } else {
            (*refused)++;
        }
    }
    /* Number clusters in order of their first record; roots are the smallest index. */
    for (size_t i = 0; i < n; i++) {
        size_t r = find(&u, i);
        cluster[i] = r == i ? k++ : cluster[r];
    }
    *nclusters = k;
out:
    free(links);
    free(rej.v);
    free(u.parent);
    free(u.next);
    free(u.last);
    free(u.size);
    return rc;
}
