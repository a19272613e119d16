/*
 * The fact log: append-only and hash-chained. Entry n's hash is
 *
 *     SHA-256( prev_hash "\n" seq "\n" recorded_at "\n" canonical_body )
 *
 * in hex, where prev_hash is entry n-1's hash (64 zeros for the first). Covering seq and
 * recorded_at as well as the body means no field a reader relies on can change unseen, and the
 * text form lets an auditor recompute any entry with sha256sum. The head (log_head) holds the
 * last position and hash, updated in the same transaction, so a removed tail is found too; an
 * anchor kept outside the database (pathway audit head) catches a rewrite of everything.
 */
#include "store/store_int.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"

#define PAGE_SIZE 1000

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

void
pw__chain_hash(const char *prev_hash, int64_t seq, const char *recorded_at, const char *body,
               size_t body_len, char *out)
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char seq_text[32];
    int n = snprintf(seq_text, sizeof(seq_text), "%" PRId64, seq);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)prev_hash, strlen(prev_hash));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)seq_text, (unsigned long long)n);
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)recorded_at, strlen(recorded_at));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)body, body_len);
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

struct head_ctx {
    struct pw_store *s;
    struct pw_log_head *head;
};

static enum pw_status
head_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct head_ctx *h = ctx;
    h->head->seq = pw__int(h->s, row, 0);
    (void)snprintf(h->head->hash, sizeof(h->head->hash), "%s", pw__text(h->s, row, 1));
    return PW_OK;
}

enum pw_status
pw__log_head(struct pw_store *s, bool lock, struct pw_log_head *out, struct pw_error *err)
{
    struct head_ctx h = { s, out };
    out->seq = -1;
    enum pw_status rc =
        pw__q(s, lock ? PW_Q_HEAD_LOCK : PW_Q_HEAD_READ, NULL, 0, head_row, &h, err);
    if (rc == PW_OK && out->seq < 0) {
        rc = pw_fail(err, PW_EINTEGRITY, "the log head is missing: the database was altered");
    }
    return rc;
}

enum pw_status
pw_store_head(struct pw_store *s, struct pw_log_head *out, struct pw_error *err)
{
    return pw__log_head(s, false, out, err);
}

enum pw_status
pw__log_append(struct pw_store *s, const struct pw_fact *f, struct pw_log_head *head,
               struct pw_error *err)
{
    int64_t seq = head->seq + 1;
    struct pw_when now = { pw_time_now_us(), true };
    char recorded_at[PW_WHEN_TEXT_MAX];
    char at_key[PW_WHEN_TEXT_MAX];
    char hash[65];
    pw_when_sort_key(&now, recorded_at);
    pw_when_sort_key(&f->at, at_key);
    pw__chain_hash(head->hash, seq, recorded_at, f->canonical, f->canonical_len, hash);
    struct pw__param p[] = {
        pw__p_int(seq),          pw__p_text(f->id),         pw__p_text(f->type),
        pw__p_text(f->at_text),  pw__p_text(at_key),        pw__p_text(f->agency),
        pw__p_text(f->by),       pw__p_text(f->supersedes), pw__p_text(f->sensitivity),
        pw__p_text(recorded_at), pw__p_text(f->canonical),  pw__p_text(head->hash),
        pw__p_text(hash),
    };
    enum pw_status rc = pw__q(s, PW_Q_LOG_APPEND, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
    if (rc != PW_OK) {
        return rc;
    }
    head->seq = seq;
    memcpy(head->hash, hash, sizeof(head->hash));
    return PW_OK;
}

/* Listing. */

struct list_ctx {
    struct pw_store *s;
    pw_log_entry_fn fn;
    void *ctx;
    int64_t last_seq;
    size_t rows;
};

static enum pw_status
list_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct list_ctx *l = ctx;
    struct pw_log_entry e = {
        .seq = pw__int(l->s, row, 0),
        .id = pw__text(l->s, row, 1),
        .type = pw__text(l->s, row, 2),
        .at = pw__text(l->s, row, 3),
        .agency = pw__text(l->s, row, 4),
        .by = pw__text(l->s, row, 5),
        .recorded_at = pw__text(l->s, row, 6),
        .body = pw__text(l->s, row, 7),
        .prev_hash = pw__text(l->s, row, 8),
        .hash = pw__text(l->s, row, 9),
    };
    l->last_seq = e.seq;
    l->rows++;
    return l->fn(l->ctx, &e, err);
}

enum pw_status
pw_store_facts(struct pw_store *s, const struct pw_fact_filter *filter, pw_log_entry_fn fn,
               void *ctx, struct pw_error *err)
{
    const char *person = filter != NULL ? filter->person : NULL;
    const char *type = filter != NULL ? filter->type : NULL;
    enum pw__query q = PW_Q_LOG_PAGE;
    if (person != NULL && type != NULL) {
        q = PW_Q_LOG_PAGE_PERSON_TYPE;
    } else if (person != NULL) {
        q = PW_Q_LOG_PAGE_PERSON;
    } else if (type != NULL) {
        q = PW_Q_LOG_PAGE_TYPE;
    }
    struct list_ctx l = { s, fn, ctx, 0, 0 };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    do {
        l.rows = 0;
        struct pw__param p[4] = { pw__p_int(l.last_seq), pw__p_int(PAGE_SIZE) };
        size_t n = 2;
        if (person != NULL) {
            p[n++] = pw__p_text(person);
        }
        if (type != NULL) {
            p[n++] = pw__p_text(type);
        }
        rc = pw__q(s, q, p, n, list_row, &l, err);
    } while (rc == PW_OK && l.rows == PAGE_SIZE);
    pw__rollback(s);
    return rc;
}

/* Verification. */

void
pw__chain_broken(struct pw__chain_walk *w, int64_t seq, const char *reason)
{
    w->broken = true;
    w->out->broken_seq = seq;
    (void)snprintf(w->out->reason, sizeof(w->out->reason), "%s", reason);
}

bool
pw__chain_linked(struct pw__chain_walk *w, int64_t seq, const char *prev, const char *hash,
                 const char *computed)
{
    if (seq != w->expected_seq) {
        /* A gap means entries were removed; a repeat cannot happen (primary key). */
        pw__chain_broken(w, w->expected_seq, "an entry is missing: the positions skip here");
        return false;
    }
    if (strcmp(prev, w->last_hash) != 0) {
        pw__chain_broken(w, seq, "its previous hash is not the hash of the entry before it");
        return false;
    }
    if (strcmp(computed, hash) != 0) {
        pw__chain_broken(w, seq, "its content does not match its hash: it was altered");
        return false;
    }
    return true;
}

void
pw__chain_advance(struct pw__chain_walk *w, int64_t seq, const char *hash)
{
    (void)snprintf(w->last_hash, sizeof(w->last_hash), "%s", hash);
    w->out->count = seq;
    w->expected_seq = seq + 1;
}

/* Column i of the row equals the body's string member key (absent: NULL column). */
static bool
same_text(struct pw_store *s, const struct pw__row *row, int col, json_t *body, const char *key)
{
    const char *want = json_string_value(json_object_get(body, key));
    if (want == NULL) {
        return pw__null(s, row, col);
    }
    return !pw__null(s, row, col) && strcmp(pw__text(s, row, col), want) == 0;
}

/*
 * The columns beside the body (id, type, at, ...) are copies for indexing; the hash covers the
 * body. A copy that no longer matches its body was edited: say which, or NULL when all match.
 */
static const char *
columns_disagree(struct pw_store *s, const struct pw__row *row, const char *body_text)
{
    static const struct {
        int col;
        const char *key;
    } copies[] = { { 5, "id" },     { 6, "type" }, { 7, "at" },
                   { 9, "agency" }, { 10, "by" },  { 11, "supersedes" } };
    const char *why = NULL;
    const char *sens = NULL;
    const char *at_text = pw__text(s, row, 7);
    struct pw_when at;
    char key[PW_WHEN_TEXT_MAX];
    json_t *body = json_loads(body_text, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(body)) {
        why = "its body is not a JSON object";
        goto out;
    }
    for (size_t i = 0; i < sizeof(copies) / sizeof(copies[0]); i++) {
        if (!same_text(s, row, copies[i].col, body, copies[i].key)) {
            why = "a column beside its body was edited (id, type, at, agency, by or supersedes)";
            goto out;
        }
    }
    sens = json_string_value(json_object_get(body, "sensitivity"));
    if (strcmp(pw__text(s, row, 12), sens != NULL ? sens : "standard") != 0) {
        why = "its sensitivity column was edited";
        goto out;
    }
    if (pw_when_parse(at_text, strlen(at_text), &at, NULL) != PW_OK) {
        why = "its date is not a valid date";
        goto out;
    }
    pw_when_sort_key(&at, key);
    if (strcmp(key, pw__text(s, row, 8)) != 0) {
        why = "its sort key column was edited";
    }
out:
    json_decref(body);
    return why;
}

static enum pw_status
verify_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct pw__chain_walk *v = ctx;
    v->rows++;
    if (v->broken) {
        return PW_OK;
    }
    int64_t seq = pw__int(v->s, row, 0);
    const char *recorded_at = pw__text(v->s, row, 1);
    const char *body = pw__text(v->s, row, 2);
    const char *prev = pw__text(v->s, row, 3);
    const char *hash = pw__text(v->s, row, 4);
    char computed[65];
    pw__chain_hash(prev, seq, recorded_at, body, strlen(body), computed);
    if (!pw__chain_linked(v, seq, prev, hash, computed)) {
        return PW_OK;
    }
    const char *why = columns_disagree(v->s, row, body);
    if (why != NULL) {
        pw__chain_broken(v, seq, why);
        return PW_OK;
    }
    pw__chain_advance(v, seq, hash);
    return PW_OK;
}

struct anchor_ctx {
    struct pw_store *s;
    char hash[65];
    bool found;
};

static enum pw_status
anchor_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct anchor_ctx *a = ctx;
    a->found = true;
    (void)snprintf(a->hash, sizeof(a->hash), "%s", pw__text(a->s, row, 0));
    return PW_OK;
}

static enum pw_status
verify_chain(struct pw_store *s, struct pw__chain_walk *v, struct pw_error *err)
{
    enum pw_status rc = PW_OK;
    int64_t after = 0;
    do {
        v->rows = 0;
        struct pw__param p[] = { pw__p_int(after), pw__p_int(PAGE_SIZE) };
        rc = pw__q(s, PW_Q_LOG_CHAIN_PAGE, p, 2, verify_row, v, err);
        if (v->broken) {
            break;
        }
        after = v->expected_seq - 1;
    } while (rc == PW_OK && v->rows == PAGE_SIZE);
    return rc;
}

static enum pw_status
verify_head_and_anchor(struct pw_store *s, struct pw__chain_walk *v, int64_t anchor_seq,
                       const char *anchor_hash, struct pw_error *err)
{
    struct pw_log_head head;
    char reason[160];
    enum pw_status rc = pw__log_head(s, false, &head, err);
    if (rc != PW_OK) {
        return rc;
    }
    int64_t last = v->expected_seq - 1;
    if (head.seq != last || strcmp(head.hash, v->last_hash) != 0) {
        (void)snprintf(reason, sizeof(reason),
                       "the log ends at %" PRId64 " but its head records %" PRId64
                       " with another hash: entries were removed or added",
                       last, head.seq);
        pw__chain_broken(v, (head.seq < last ? head.seq : last) + 1, reason);
        return PW_OK;
    }
    if (anchor_seq > 0) {
        struct anchor_ctx a = { s, "", false };
        struct pw__param p = pw__p_int(anchor_seq);
        rc = pw__q(s, PW_Q_LOG_CHAIN_AT, &p, 1, anchor_row, &a, err);
        if (rc != PW_OK) {
            return rc;
        }
        if (!a.found || strcmp(a.hash, anchor_hash) != 0) {
            pw__chain_broken(v, anchor_seq,
                             a.found
                                 ? "the entry's hash is not the anchor's: the chain was rewritten"
                                 : "the anchored entry is not in the log");
        }
    }
    return PW_OK;
}

enum pw_status
pw_store_verify(struct pw_store *s, int64_t anchor_seq, const char *anchor_hash,
                struct pw_verify_result *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    struct pw__chain_walk v = { .s = s, .out = out, .expected_seq = 1 };
    memcpy(v.last_hash, zero_hash, sizeof(v.last_hash));
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = verify_chain(s, &v, err);
    if (rc == PW_OK && !v.broken) {
        rc = verify_head_and_anchor(s, &v, anchor_seq, anchor_hash, err);
    }
    pw__rollback(s);
    return rc;
}
