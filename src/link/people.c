/*
 * Record linkage over the people Pathway holds (people.h). Registrations become linkage
 * records; a run's links become person.linked facts, joined by the strongest pairs so that
 * each person found is recorded with as few links as joins them; uncertain pairs go to the
 * review queue; a practitioner's decision is a fact like any other, so it is never lost and a
 * later decision about the same two records replaces it.
 */
#include "link/people.h"

#include <jansson.h>
#include <sodium.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/strmap.h"
#include "core/time.h"
#include "model/model.h"

/* ---- The people as records ---- */

struct loading {
    struct pw_link_people *p;
    size_t cap;
};

static const char *
dup_or_null(struct pw_arena *a, const char *s)
{
    return s == NULL || s[0] == '\0' ? NULL : pw_arena_strdup(a, s);
}

static const char *
jtext(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The date of birth: "YYYY-MM-DD" or {year, month}. */
static void
read_dob(const json_t *dob, struct pw_link_record *r)
{
    const char *text = json_string_value(dob);
    if (text != NULL) {
        int32_t day = 0;
        struct pw_error ignored = { 0 };
        if (pw_date_parse(text, strlen(text), &day, &ignored) == PW_OK) {
            /* The model checked the form: YYYY-MM-DD. */
            r->dob_year = (int)strtol(text, NULL, 10);
            r->dob_month = (int)strtol(text + 5, NULL, 10);
            r->dob_day = (int)strtol(text + 8, NULL, 10);
        }
        return;
    }
    r->dob_year = (int)json_integer_value(json_object_get(dob, "year"));
    r->dob_month = (int)json_integer_value(json_object_get(dob, "month"));
}

/* Names: the birth name (or the first) gives the names; another family name is kept too. */
static void
read_names(struct pw_arena *a, const json_t *names, struct pw_link_record *r)
{
    size_t i;
    const json_t *n;
    const json_t *main = NULL;
    json_array_foreach(names, i, n)
    {
        const char *kind = jtext(n, "kind");
        const char *main_kind = main != NULL ? jtext(main, "kind") : NULL;
        bool main_is_birth = main_kind != NULL && strcmp(main_kind, "birth") == 0;
        if (main == NULL || (kind != NULL && strcmp(kind, "birth") == 0 && !main_is_birth)) {
            main = n;
        }
    }
    if (main == NULL) {
        return;
    }
    r->given = dup_or_null(a, jtext(main, "given"));
    r->family = dup_or_null(a, jtext(main, "family"));
    json_array_foreach(names, i, n)
    {
        const char *family = jtext(n, "family");
        if (n != main && family != NULL && r->family_alt == NULL &&
            (r->family == NULL || strcmp(family, r->family) != 0)) {
            r->family_alt = pw_arena_strdup(a, family);
        }
        if (r->given == NULL && jtext(n, "given") != NULL) {
            r->given = pw_arena_strdup(a, jtext(n, "given"));
        }
    }
}

void
pw_link_record_from_registration(const json_t *body, const char *source, const char *id,
                                 struct pw_arena *arena, struct pw_link_id *ids, size_t max,
                                 struct pw_link_record *r)
{
    memset(r, 0, sizeof(*r));
    r->source = pw_arena_strdup(arena, source);
    r->id = pw_arena_strdup(arena, id);
    read_names(arena, json_object_get(body, "names"), r);
    read_dob(json_object_get(body, "dob"), r);
    const char *sex = jtext(body, "sex");
    r->sex = '\0';
    if (sex != NULL && strcmp(sex, "male") == 0) {
        r->sex = 'm';
    } else if (sex != NULL && strcmp(sex, "female") == 0) {
        r->sex = 'f';
    }
    const char *scheme;
    json_t *value;
    json_object_foreach(json_object_get(body, "identifiers"), scheme, value)
    {
        if (json_is_string(value) && r->nids < max) {
            ids[r->nids++] =
                (struct pw_link_id){ pw_arena_strdup(arena, scheme),
                                     pw_arena_strdup(arena, json_string_value(value)) };
        }
    }
    r->ids = r->nids > 0 ? ids : NULL;
}

static enum pw_status
person_row(void *ctx, const struct pw_link_person *row, struct pw_error *err)
{
    struct loading *l = ctx;
    struct pw_link_people *p = l->p;
    json_error_t jerr;
    json_t *body = json_loads(row->registration, 0, &jerr);
    if (body == NULL) {
        return pw_fail(err, PW_EINTEGRITY, "the registration of %s is not JSON: %s", row->person,
                       jerr.text);
    }
    if (p->n == l->cap) {
        l->cap = l->cap == 0 ? 1024 : pw_mul_size(l->cap, 2);
        p->recs = pw_xrealloc(p->recs, pw_mul_size(l->cap, sizeof(p->recs[0])));
        p->person = pw_xrealloc(p->person, pw_mul_size(l->cap, sizeof(char *)));
        p->agency = pw_xrealloc(p->agency, pw_mul_size(l->cap, sizeof(char *)));
        p->record = pw_xrealloc(p->record, pw_mul_size(l->cap, sizeof(char *)));
    }
    size_t i = p->n++;
    size_t max = json_object_size(json_object_get(body, "identifiers"));
    struct pw_link_id *ids =
        max == 0 ? NULL : pw_arena_alloc(p->arena, pw_mul_size(max, sizeof(ids[0])));
    pw_link_record_from_registration(body, row->agency, row->person, p->arena, ids, max,
                                     &p->recs[i]);
    p->person[i] = (char *)(uintptr_t)p->recs[i].id;
    p->agency[i] = (char *)(uintptr_t)p->recs[i].source;
    const char *record = jtext(json_object_get(body, "source"), "record");
    p->record[i] = pw_arena_strdup(p->arena, record != NULL ? record : row->person);
    pw_strmap_put(p->index, p->person[i], (int64_t)i);
    json_decref(body);
    return PW_OK;
}

/* The latest address of each person (residences come oldest first). */
static enum pw_status
address_row(void *ctx, const struct pw_link_address *a, struct pw_error *err)
{
    (void)err;
    struct loading *l = ctx;
    size_t i = pw_link_people_find(l->p, a->person);
    if (i != SIZE_MAX) {
        struct pw_link_record *r = &l->p->recs[i];
        r->line1 = dup_or_null(l->p->arena, a->line1);
        r->town = dup_or_null(l->p->arena, a->town);
        r->postcode = dup_or_null(l->p->arena, a->postcode);
    }
    return PW_OK;
}

enum pw_status
pw_link_people_load(struct pw_store *s, struct pw_link_people **out, struct pw_error *err)
{
    struct pw_link_people *p = pw_xcalloc(1, sizeof(*p));
    p->arena = pw_arena_new();
    p->index = pw_xcalloc(1, sizeof(*p->index));
    pw_strmap_init(p->index);
    struct loading l = { .p = p };
    enum pw_status rc = pw_store_link_people(s, person_row, &l, err);
    if (rc == PW_OK) {
        rc = pw_store_link_addresses(s, address_row, &l, err);
    }
    if (rc != PW_OK) {
        pw_link_people_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

void
pw_link_people_free(struct pw_link_people *p)
{
    if (p == NULL) {
        return;
    }
    free(p->recs);
    free(p->person);
    free(p->agency);
    free(p->record);
    pw_strmap_release(p->index);
    free(p->index);
    pw_arena_free(p->arena);
    free(p);
}

size_t
pw_link_people_find(const struct pw_link_people *p, const char *person)
{
    int64_t at = 0;
    return pw_strmap_get(p->index, person, &at) ? (size_t)at : SIZE_MAX;
}

/* ---- Decisions ---- */

struct decisions {
    const struct pw_link_people *p;
    struct pw_link_decision *list;
    size_t count, cap;
};

static enum pw_status
decision_row(void *ctx, const struct pw_link_decision_row *d, struct pw_error *err)
{
    (void)err;
    struct decisions *ds = ctx;
    size_t a = pw_link_people_find(ds->p, d->person);
    size_t b = pw_link_people_find(ds->p, d->other);
    if (a == SIZE_MAX || b == SIZE_MAX || a == b) {
        return PW_OK;
    }
    if (ds->count == ds->cap) {
        ds->cap = ds->cap == 0 ? 64 : pw_mul_size(ds->cap, 2);
        ds->list = pw_xrealloc(ds->list, pw_mul_size(ds->cap, sizeof(ds->list[0])));
    }
    ds->list[ds->count++] = (struct pw_link_decision){ a < b ? a : b, a < b ? b : a, d->same };
    return PW_OK;
}

/* ---- Recording ---- */

/* A fact id for a decision about two people: the same pair and kind, the same id. */
static void
pair_fact_id(char *out, size_t size, const char *prefix, const char *a, const char *b)
{
    unsigned char digest[32];
    char both[2 * PW_ID_MAX + 2];
    (void)snprintf(both, sizeof(both), "%s\n%s", a, b);
    crypto_hash_sha256(digest, (const unsigned char *)both, strlen(both));
    (void)snprintf(out, size, "%s-%02x%02x%02x%02x%02x%02x%02x%02x", prefix, digest[0], digest[1],
                   digest[2], digest[3], digest[4], digest[5], digest[6], digest[7]);
}

static enum pw_status
parse_fact(json_t *obj, const char *by, struct pw_fact *out, struct pw_error *err)
{
    struct pw_fact_parse_opts opts = { .as_user = by };
    return pw_fact_from_json(obj, &opts, out, err);
}

/* A person.linked from a run: the pair's probability and weight, method record_linkage. */
static json_t *
link_fact(const struct pw_link_people *p, const struct pw_link_pair *pair, const char *agency,
          const char *at)
{
    char id[64];
    pair_fact_id(id, sizeof(id), "link", p->person[pair->a], p->person[pair->b]);
    json_t *f = json_object();
    json_object_set_new(f, "type", json_string("person.linked"));
    json_object_set_new(f, "id", json_string(id));
    json_object_set_new(f, "at", json_string(at));
    json_object_set_new(f, "agency", json_string(agency));
    json_object_set_new(f, "person", json_string(p->person[pair->b]));
    json_object_set_new(f, "same_as", json_string(p->person[pair->a]));
    json_object_set_new(f, "method", json_string("record_linkage"));
    json_object_set_new(f, "confidence",
                        json_real(round(fmin(fmax(pair->probability, 0.0), 1.0) * 1e6) / 1e6));
    json_object_set_new(f, "weight", json_real(round(pair->weight * 1e3) / 1e3));
    return f;
}

/* Union-find over the records, to join each person by as few links as connect them. */
static size_t
root_of(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static int
by_weight_desc(const void *x, const void *y)
{
    const struct pw_link_pair *a = *(const struct pw_link_pair *const *)x;
    const struct pw_link_pair *b = *(const struct pw_link_pair *const *)y;
    if (a->weight != b->weight) {
        return a->weight > b->weight ? -1 : 1;
    }
    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    return a->b < b->b ? -1 : (a->b > b->b ? 1 : 0);
}

struct run {
    struct pw_store *s;
    struct pw_link_people *people;
    struct pw_link_result *result;
    struct pw_fact *facts;
    size_t nfacts;
    struct pw_link_review *review;
    size_t nreview;
};

/*
 * The links to record: within each cluster the run found, the strongest link-band pairs that
 * join records the store does not already hold as one person.
 */
static enum pw_status
links_to_record(struct run *r, const char *by, const char *agency, const char *at,
                struct pw_link_run_summary *out, struct pw_error *err)
{
    size_t npairs = 0, nrec = 0;
    const struct pw_link_pair *pairs = pw_link_result_pairs(r->result, &npairs);
    const size_t *cluster = pw_link_result_clusters(r->result, &nrec);
    size_t *parent = pw_xcalloc(nrec + 1, sizeof(size_t));
    const struct pw_link_pair **order = pw_xcalloc(npairs + 1, sizeof(struct pw_link_pair *));
    size_t n = 0;
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < nrec; i++) {
        parent[i] = i;
    }
    /* What the store already holds as one person starts joined. */
    for (size_t i = 0; rc == PW_OK && i < nrec; i++) {
        char standing[PW_ID_MAX + 1];
        rc = pw_store_person_cluster(r->s, r->people->person[i], standing, err);
        size_t j = rc == PW_OK ? pw_link_people_find(r->people, standing) : SIZE_MAX;
        if (j != SIZE_MAX && root_of(parent, i) != root_of(parent, j)) {
            parent[root_of(parent, i)] = root_of(parent, j);
        }
    }
    for (size_t i = 0; i < npairs; i++) {
        if (pairs[i].band == PW_LINK_LINK && !pairs[i].decided &&
            cluster[pairs[i].a] == cluster[pairs[i].b]) {
            order[n++] = &pairs[i];
        }
    }
    qsort((void *)order, n, sizeof(const struct pw_link_pair *), by_weight_desc);
    r->facts = pw_xcalloc(n + 1, sizeof(r->facts[0]));
    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        size_t x = root_of(parent, order[i]->a);
        size_t y = root_of(parent, order[i]->b);
        if (x == y) {
            out->already_linked++;
            continue;
        }
        parent[x] = y;
        json_t *f = link_fact(r->people, order[i], agency, at);
        rc = parse_fact(f, by, &r->facts[r->nfacts], err);
        json_decref(f);
        if (rc == PW_OK) {
            r->nfacts++;
        }
    }
    free(order);
    free(parent);
    return rc;
}

/* The uncertain pairs, for the review queue. */
static void
review_pairs(struct run *r)
{
    size_t npairs = 0;
    const struct pw_link_pair *pairs = pw_link_result_pairs(r->result, &npairs);
    r->review = pw_xcalloc(npairs + 1, sizeof(r->review[0]));
    for (size_t i = 0; i < npairs; i++) {
        if (pairs[i].band == PW_LINK_REVIEW && !pairs[i].decided) {
            r->review[r->nreview++] = (struct pw_link_review){
                r->people->person[pairs[i].a],
                r->people->person[pairs[i].b],
                pairs[i].weight,
                pairs[i].probability,
            };
        }
    }
}

/* Runs the linkage over the people with the decisions standing. */
static enum pw_status
run_linkage(struct pw_store *s, const struct pw_link_options *opt, struct run *r, size_t *ndec,
            struct pw_error *err)
{
    struct decisions ds = { 0 };
    enum pw_status rc = pw_link_people_load(s, &r->people, err);
    if (rc == PW_OK) {
        ds.p = r->people;
        rc = pw_store_link_decisions(s, decision_row, &ds, err);
    }
    if (rc == PW_OK && r->people->n < 2) {
        rc = pw_fail(err, PW_EINVAL, "there are %zu people registered: nothing to link",
                     r->people->n);
    }
    if (rc == PW_OK) {
        rc = pw_link_run(r->people->recs, r->people->n, ds.list, ds.count, opt, &r->result, err);
    }
    *ndec = ds.count;
    free(ds.list);
    return rc;
}

static void
run_release(struct run *r)
{
    for (size_t i = 0; i < r->nfacts; i++) {
        pw_fact_release(&r->facts[i]);
    }
    free(r->facts);
    free(r->review);
    pw_link_result_free(r->result);
    pw_link_people_free(r->people);
}

static size_t
people_joined(const struct pw_link_result *result)
{
    size_t n = 0;
    const size_t *cluster = pw_link_result_clusters(result, &n);
    size_t *size = pw_xcalloc(n + 1, sizeof(size_t));
    size_t joined = 0;
    for (size_t i = 0; i < n; i++) {
        if (++size[cluster[i]] == 2) {
            joined++;
        }
    }
    free(size);
    return joined;
}

enum pw_status
pw_link_people_run(struct pw_store *s, const struct pw_link_options *opt, const char *by,
                   const char *agency, const char *at, struct pw_link_run_summary *out,
                   struct pw_error *err)
{
    struct run r = { .s = s };
    memset(out, 0, sizeof(*out));
    enum pw_status rc = run_linkage(s, opt, &r, &out->decisions, err);
    if (rc == PW_OK) {
        out->stats = *pw_link_result_stats(r.result);
        out->people_joined = people_joined(r.result);
        rc = links_to_record(&r, by, agency, at, out, err);
    }
    if (rc == PW_OK && r.nfacts > 0) {
        struct pw_record_outcome o;
        rc = pw_store_record(s, r.facts, r.nfacts, &o, err);
        out->links_recorded = o.recorded;
    }
    if (rc == PW_OK) {
        review_pairs(&r);
        rc = pw_store_link_review_set(s, r.review, r.nreview, err);
        out->review_queued = r.nreview;
    }
    run_release(&r);
    return rc;
}

enum pw_status
pw_link_people_explain(struct pw_store *s, const struct pw_link_options *opt, const char *a,
                       const char *b, struct pw_link_explanation *out, struct pw_error *err)
{
    struct run r = { .s = s };
    size_t ndec = 0;
    enum pw_status rc = run_linkage(s, opt, &r, &ndec, err);
    size_t ia = rc == PW_OK ? pw_link_people_find(r.people, a) : SIZE_MAX;
    size_t ib = rc == PW_OK ? pw_link_people_find(r.people, b) : SIZE_MAX;
    if (rc == PW_OK && (ia == SIZE_MAX || ib == SIZE_MAX)) {
        rc = pw_fail(err, PW_ENOTFOUND, "person \"%s\" is not registered", ia == SIZE_MAX ? a : b);
    }
    if (rc == PW_OK) {
        rc = pw_link_explain(r.result, ia, ib, out, err);
    }
    run_release(&r);
    return rc;
}

enum pw_status
pw_link_people_decide(struct pw_store *s, const char *a, const char *b, bool same,
                      const char *reason, const char *by, const char *agency, const char *at,
                      struct pw_error *err)
{
    if (reason == NULL || reason[0] == '\0') {
        return pw_fail(err, PW_EINVAL,
                       "say why (--reason): a decision about who is who must carry its rationale");
    }
    char pair[64];
    char id[96];
    /* A decision may be taken again later (and replace this one): each has its own id. */
    pair_fact_id(pair, sizeof(pair), same ? "same" : "distinct", a, b);
    (void)snprintf(id, sizeof(id), "%s-%lld", pair, (long long)pw_time_now_us());
    json_t *f = json_object();
    json_object_set_new(f, "type", json_string(same ? "person.linked" : "person.distinct"));
    json_object_set_new(f, "id", json_string(id));
    json_object_set_new(f, "at", json_string(at));
    json_object_set_new(f, "agency", json_string(agency));
    json_object_set_new(f, "person", json_string(a));
    json_object_set_new(f, same ? "same_as" : "other", json_string(b));
    json_object_set_new(f, "method", json_string("practitioner"));
    json_object_set_new(f, "reason", json_string(reason));
    struct pw_fact fact;
    enum pw_status rc = parse_fact(f, by, &fact, err);
    json_decref(f);
    if (rc == PW_OK) {
        struct pw_record_outcome o;
        rc = pw_store_record(s, &fact, 1, &o, err);
        pw_fact_release(&fact);
    }
    return rc;
}
