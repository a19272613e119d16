/*
 * What record linkage reads and keeps (src/link/ decides; this file only reads and writes):
 * every registered person with their registration and addresses, the decisions already taken
 * (links and distinctions, from the log's person.linked and person.distinct), who is one
 * person (person_clusters, kept by project.c), and the queue of uncertain pairs for review.
 */
#include "store/store_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* A query's rows to a caller's function, whichever kind it is. */
struct each {
    struct pw_store *s;
    union {
        pw_link_person_fn person;
        pw_link_address_fn address;
        pw_link_decision_fn decision;
        pw_person_fn mate;
        pw_link_review_fn review;
    } fn;
    void *ctx;
};

static const char *
text_or_null(struct pw_store *s, const struct pw__row *row, int col)
{
    return pw__null(s, row, col) ? NULL : pw__text(s, row, col);
}

static enum pw_status
person_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct each *e = ctx;
    struct pw_link_person p = {
        .person = pw__text(e->s, row, 0),
        .agency = pw__text(e->s, row, 1),
        .registration = pw__text(e->s, row, 2),
    };
    return e->fn.person(e->ctx, &p, err);
}

enum pw_status
pw_store_link_people(struct pw_store *s, pw_link_person_fn fn, void *ctx, struct pw_error *err)
{
    struct each e = { .s = s, .fn.person = fn, .ctx = ctx };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_LINK_PEOPLE, NULL, 0, person_row, &e, err);
        pw__rollback(s);
    }
    return rc;
}

static enum pw_status
address_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct each *e = ctx;
    struct pw_link_address a = {
        .person = pw__text(e->s, row, 0),
        .line1 = text_or_null(e->s, row, 1),
        .town = text_or_null(e->s, row, 2),
        .postcode = text_or_null(e->s, row, 3),
    };
    return e->fn.address(e->ctx, &a, err);
}

enum pw_status
pw_store_link_addresses(struct pw_store *s, pw_link_address_fn fn, void *ctx, struct pw_error *err)
{
    struct each e = { .s = s, .fn.address = fn, .ctx = ctx };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_LINK_ADDRESSES, NULL, 0, address_row, &e, err);
        pw__rollback(s);
    }
    return rc;
}

static enum pw_status
decision_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct each *e = ctx;
    struct pw_link_decision_row d = {
        .fact_id = pw__text(e->s, row, 0),
        .person = pw__text(e->s, row, 1),
        .other = pw__text(e->s, row, 2),
        .same = pw__int(e->s, row, 3) != 0,
        .method = text_or_null(e->s, row, 4),
        .confidence = pw__null(e->s, row, 5) ? (double)NAN : pw__real(e->s, row, 5),
    };
    return e->fn.decision(e->ctx, &d, err);
}

enum pw_status
pw_store_link_decisions(struct pw_store *s, pw_link_decision_fn fn, void *ctx, struct pw_error *err)
{
    struct each e = { .s = s, .fn.decision = fn, .ctx = ctx };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_LINK_DECISIONS, NULL, 0, decision_row, &e, err);
        pw__rollback(s);
    }
    return rc;
}

static enum pw_status
cluster_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct each *e = ctx;
    (void)snprintf(e->ctx, PW_ID_MAX + 1, "%s", pw__text(e->s, row, 0));
    return PW_OK;
}

enum pw_status
pw_store_person_cluster(struct pw_store *s, const char *person, char out[PW_ID_MAX + 1],
                        struct pw_error *err)
{
    struct each e = { .s = s, .ctx = out };
    struct pw__param p = pw__p_text(person);
    out[0] = '\0';
    enum pw_status rc = pw__q(s, PW_Q_CLUSTER_OF, &p, 1, cluster_row, &e, err);
    if (rc == PW_OK && out[0] == '\0') {
        (void)snprintf(out, PW_ID_MAX + 1, "%s", person);
    }
    return rc;
}

static enum pw_status
mate_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct each *e = ctx;
    return e->fn.mate(e->ctx, pw__text(e->s, row, 0), err);
}

enum pw_status
pw_store_person_mates(struct pw_store *s, const char *person, pw_person_fn fn, void *ctx,
                      struct pw_error *err)
{
    struct each e = { .s = s, .fn.mate = fn, .ctx = ctx };
    struct pw__param p = pw__p_text(person);
    return pw__q(s, PW_Q_CLUSTER_MATES, &p, 1, mate_row, &e, err);
}

enum pw_status
pw_store_link_review_set(struct pw_store *s, const struct pw_link_review *pairs, size_t n,
                         struct pw_error *err)
{
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw__q(s, PW_Q_REVIEW_CLEAR, NULL, 0, NULL, NULL, err);
    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        /* One row a pair, the lesser id first, so a pair is never queued twice. */
        bool swap = strcmp(pairs[i].a, pairs[i].b) > 0;
        struct pw__param p[] = {
            pw__p_text(swap ? pairs[i].b : pairs[i].a),
            pw__p_text(swap ? pairs[i].a : pairs[i].b),
            pw__p_real(pairs[i].weight),
            pw__p_real(pairs[i].probability),
        };
        rc = pw__q(s, PW_Q_REVIEW_ADD, p, 4, NULL, NULL, err);
    }
    if (rc == PW_OK) {
        return pw__commit(s, err);
    }
    pw__rollback(s);
    return rc;
}

static enum pw_status
review_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct each *e = ctx;
    struct pw_link_review r = {
        .a = pw__text(e->s, row, 0),
        .b = pw__text(e->s, row, 1),
        .weight = pw__real(e->s, row, 2),
        .probability = pw__real(e->s, row, 3),
    };
    return e->fn.review(e->ctx, &r, err);
}

enum pw_status
pw_store_link_review(struct pw_store *s, pw_link_review_fn fn, void *ctx, struct pw_error *err)
{
    struct each e = { .s = s, .fn.review = fn, .ctx = ctx };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = pw__q(s, PW_Q_REVIEW_LIST, NULL, 0, review_row, &e, err);
        pw__rollback(s);
    }
    return rc;
}

enum pw_status
pw_store_any_links(struct pw_store *s, bool *any, struct pw_error *err)
{
    *any = false;
    return pw__q(s, PW_Q_ANY_CLUSTER, NULL, 0, pw__row_exists, any, err);
}
