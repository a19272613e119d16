/*
 * Blocking: which pairs are worth comparing. Comparing all n(n-1)/2 pairs is out of reach at a
 * million records, so each record gets keys under several rules and only records sharing a key
 * are paired; the union of the rules' pairs keeps recall high, since a true pair need only
 * survive one rule (a typo in the surname is caught by the date of birth, a slipped date by the
 * names, a new surname by the address). Keys are 64-bit hashes (a collision only adds a
 * candidate), sorted with a stable radix sort so the output does not depend on anything but
 * the input order. Keys shared by more than max_block records are skipped: such a key says
 * little and would cost quadratically.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "link/internal.h"

enum rule {
    R_FAMILY_YEAR = 1, /* sound of any family name + birth year */
    R_GIVEN_DOB,       /* given initial (or nickname group) + dob, day and month unordered */
    R_POSTCODE_GIVEN,  /* postcode + given initial */
    R_POSTCODE_FAMILY, /* postcode + sound of the family name */
    R_ID,              /* identifier scheme + value */
    R_NAMES,           /* sounds of given and family name, either order */
    R_DOB_DISTRICT,    /* dob + the postcode's first characters (outward code or 3 digits) */
};

struct key {
    uint64_t hash;
    uint32_t rec;
};

struct keys {
    struct key *v;
    size_t n, cap;
};

#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME  UINT64_C(1099511628211)

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ s[i]) * FNV_PRIME;
    }
    return h;
}

static uint64_t
fnv_str(uint64_t h, const char *s)
{
    return fnv(h, s, strlen(s) + 1); /* the terminator separates concatenated parts */
}

static uint64_t
fnv_int(uint64_t h, int64_t v)
{
    return fnv(h, &v, sizeof(v));
}

static void
put(struct keys *k, enum rule r, uint64_t h, size_t rec)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->v = pw_xrealloc(k->v, pw_mul_size(k->cap, sizeof(struct key)));
    }
    k->v[k->n].hash = fnv_int(h, (int64_t)r);
    k->v[k->n].rec = (uint32_t)rec;
    k->n++;
}

static void
keys_names(struct keys *k, const struct pw__link_prec *p, size_t i)
{
    if (p->family && p->year) {
        put(k, R_FAMILY_YEAR, fnv_int(fnv_str(FNV_OFFSET, p->family_code), p->year), i);
        if (p->family_alt) {
            put(k, R_FAMILY_YEAR, fnv_int(fnv_str(FNV_OFFSET, p->alt_code), p->year), i);
        }
        for (size_t j = 0; j < p->nfparts; j++) {
            char code[PW__LINK_CODE];
            pw_link_nysiis(p->fparts[j], code, sizeof(code));
            put(k, R_FAMILY_YEAR, fnv_int(fnv_str(FNV_OFFSET, code), p->year), i);
        }
    }
    if (p->ngiven && p->family) {
        const char *x = p->given_code, *y = p->family_code;
        if (strcmp(x, y) > 0) {
            const char *t = x;
            x = y;
            y = t;
        }
        put(k, R_NAMES, fnv_str(fnv_str(FNV_OFFSET, x), y), i);
    }
}

static void
keys_dob(struct keys *k, const struct pw__link_prec *p, size_t i)
{
    if (!p->year || !p->month || !p->day) {
        return;
    }
    int lo = p->month < p->day ? p->month : p->day, hi = p->month < p->day ? p->day : p->month;
    uint64_t dob = fnv_int(FNV_OFFSET, (int64_t)p->year * 10000 + (int64_t)lo * 100 + hi);
    if (p->ngiven) {
        put(k, R_GIVEN_DOB, fnv_int(dob, p->given[0][0]), i);
        /* Nicknames change the initial (Bill, William): their group meets too. */
        for (size_t g = 0; g < PW__LINK_GROUPS_MAX && p->groups[0][g] >= 0; g++) {
            put(k, R_GIVEN_DOB, fnv_int(dob, 1000 + (int64_t)p->groups[0][g]), i);
        }
    }
    if (p->postcode[0]) {
        size_t len = strlen(p->postcode);
        size_t pre = len >= 5 && p->postcode[0] >= 'A' ? len - 3 : (len >= 3 ? 3 : len);
        put(k, R_DOB_DISTRICT, fnv(dob, p->postcode, pre), i);
    }
}

static void
keys_address_ids(struct keys *k, const struct pw__link_prec *p, size_t i)
{
    if (p->postcode[0]) {
        uint64_t pc = fnv_str(FNV_OFFSET, p->postcode);
        if (p->ngiven) {
            put(k, R_POSTCODE_GIVEN, fnv_int(pc, p->given[0][0]), i);
        }
        if (p->family) {
            put(k, R_POSTCODE_FAMILY, fnv_str(pc, p->family_code), i);
        }
    }
    for (size_t j = 0; j < p->nids; j++) {
        uint64_t h = fnv_int(FNV_OFFSET, p->ids[j].scheme);
        put(k, R_ID, fnv_str(h, p->ids[j].value), i);
    }
}

/* Stable LSD radix sort of keys by hash, 16 bits a pass; passes where every key has the same
 * digit are skipped. Stability keeps records in input order within a key. */
static void
sort_keys(struct key *v, size_t n)
{
    struct key *tmp = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(struct key)));
    size_t *count = pw_xcalloc(65536, sizeof(size_t));
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
            count[(v[i].hash >> shift) & 0xFFFF]++;
        }
        if (n == 0 || count[(v[0].hash >> shift) & 0xFFFF] == n) {
            continue;
        }
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            tmp[count[(v[i].hash >> shift) & 0xFFFF]++] = v[i];
        }
        memcpy(v, tmp, n * sizeof(struct key));
    }
    free(count);
    free(tmp);
}

/* Sorts 64-bit values (LSD radix, 16 bits a pass) and drops repeats; returns the new count. */
static size_t
sort_unique(uint64_t *v, size_t n)
{
    uint64_t *tmp = pw_xmalloc(pw_mul_size(n ? n : 1, sizeof(uint64_t)));
    size_t *count = pw_xcalloc(65536, sizeof(size_t));
    for (unsigned shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof(size_t));
        for (size_t i = 0; i < n; i++) {
            count[(v[i] >> shift) & 0xFFFF]++;
        }
        if (n == 0 || count[(v[0] >> shift) & 0xFFFF] == n) {
            continue;
        }
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            tmp[count[(v[i] >> shift) & 0xFFFF]++] = v[i];
        }
        memcpy(v, tmp, n * sizeof(uint64_t));
    }
    free(count);
    free(tmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == 0 || v[k - 1] != v[i]) {
            v[k++] = v[i];
        }
    }
    return k;
}

struct pairs {
    uint64_t *v;
    size_t n, cap;
};

static void
pair_add(struct pairs *p, uint32_t a, uint32_t b)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->v = pw_xrealloc(p->v, pw_mul_size(p->cap, sizeof(uint64_t)));
    }
    p->v[p->n++] = a < b ? ((uint64_t)a << 32 | b) : ((uint64_t)b << 32 | a);
}

/* Pairs the records of each run of equal keys. */
static void
emit(const struct keys *k, const struct pw__link_prec *p, bool across, size_t max_block,
     struct pairs *out, size_t *skipped)
{
    size_t i = 0;
    while (i < k->n) {
        size_t j = i + 1;
        while (j < k->n && k->v[j].hash == k->v[i].hash) {
            j++;
        }
        if (j - i > max_block) {
            (*skipped)++;
        } else {
            for (size_t x = i; x < j; x++) {
                for (size_t y = x + 1; y < j; y++) {
                    uint32_t a = k->v[x].rec, b = k->v[y].rec;
                    if (a != b && (!across || p[a].source != p[b].source)) {
                        pair_add(out, a, b);
                    }
                }
            }
        }
        i = j;
    }
}

uint64_t *
pw__link_block(const struct pw__link_prec *p, size_t n, bool across, size_t max_block,
               size_t *npairs, size_t *skipped)
{
    struct keys k = { 0 };
    struct pairs out = { 0 };
    *skipped = 0;
    for (size_t i = 0; i < n; i++) {
        keys_names(&k, &p[i], i);
        keys_dob(&k, &p[i], i);
        keys_address_ids(&k, &p[i], i);
    }
    sort_keys(k.v, k.n);
    emit(&k, p, across, max_block, &out, skipped);
    free(k.v);
    *npairs = sort_unique(out.v, out.n);
    if (out.v == NULL) {
        out.v = pw_xmalloc(sizeof(uint64_t));
    }
    return out.v;
}
