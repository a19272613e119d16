/*
 * What the access layer (src/access/) keeps: users, the access log and its hash chain,
 * break-glass grants, and the read of the facts that decide a legitimate relationship.
 *
 * The access log is chained like the fact log (log.c): entry n's hash is
 *
 *     SHA-256( prev_hash "\n" seq "\n" canonical_body )
 *
 * in hex, where the body is the canonical JSON of the entry, its time included. The head
 * (access_head) is taken FOR UPDATE by every writer on PostgreSQL, so concurrent appends queue
 * and the chain stays one line; SQLite's write lock does the same. An entry written inside a
 * fact-recording transaction (a hook) commits or rolls back with the fact.
 */
#include "store/store_int.h"

#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/time.h"

#define PAGE_SIZE  1000
#define REASON_MAX 2000

static const char zero_hash[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* Runs q as a write of its own, or inside the caller's transaction. */
static enum pw_status
write_one(struct pw_store *s, enum pw__query q, const struct pw__param *p, size_t n,
          struct pw_error *err)
{
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw__q(s, q, p, n, NULL, NULL, err);
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
    }
    return rc;
}

/* ---- Users ---- */

struct user_ctx {
    struct pw_store *s;
    pw_user_row_fn fn;
    void *ctx;
    bool *found;
};

static const char *
text_or_null(struct pw_store *s, const struct pw__row *row, int col)
{
    return pw__null(s, row, col) ? NULL : pw__text(s, row, col);
}

static enum pw_status
user_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct user_ctx *u = ctx;
    struct pw_user_row r = {
        .user = pw__text(u->s, row, 0),
        .agency = pw__text(u->s, row, 1),
        .role = pw__text(u->s, row, 2),
        .name = pw__text(u->s, row, 3),
        .password_hash = text_or_null(u->s, row, 4),
        .disabled = pw__int(u->s, row, 5) != 0,
        .failures = (int)pw__int(u->s, row, 6),
        .locked_until = text_or_null(u->s, row, 7),
        .created_at = pw__text(u->s, row, 8),
    };
    if (u->found != NULL) {
        *u->found = true;
    }
    return u->fn != NULL ? u->fn(u->ctx, &r, err) : PW_OK;
}

enum pw_status
pw_store_user_get(struct pw_store *s, const char *user, pw_user_row_fn fn, void *ctx, bool *found,
                  struct pw_error *err)
{
    struct user_ctx u = { s, fn, ctx, found };
    *found = false;
    struct pw__param p = pw__p_text(user);
    return pw__q(s, PW_Q_USER_GET, &p, 1, user_row, &u, err);
}

enum pw_status
pw_store_users(struct pw_store *s, pw_user_row_fn fn, void *ctx, struct pw_error *err)
{
    struct user_ctx u = { s, fn, ctx, NULL };
    return pw__q(s, PW_Q_USER_LIST, NULL, 0, user_row, &u, err);
}

enum pw_status
pw_store_user_add(struct pw_store *s, const struct pw_user_row *u, struct pw_error *err)
{
    bool found = false;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw_store_user_get(s, u->user, NULL, NULL, &found, err);
    if (rc == PW_OK && found) {
        rc = pw_fail(err, PW_ECONFLICT, "there is already a user %s", u->user);
    }
    if (rc == PW_OK) {
        struct pw__param p[] = {
            pw__p_text(u->user), pw__p_text(u->agency),        pw__p_text(u->role),
            pw__p_text(u->name), pw__p_text(u->password_hash), pw__p_text(u->created_at),
        };
        rc = pw__q(s, PW_Q_USER_ADD, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
    }
    return rc;
}

/* Changes an existing user: PW_ENOTFOUND when there is none. */
static enum pw_status
user_change(struct pw_store *s, const char *user, enum pw__query q, const struct pw__param *p,
            size_t n, struct pw_error *err)
{
    bool found = false;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw_store_user_get(s, user, NULL, NULL, &found, err);
    if (rc == PW_OK && !found) {
        rc = pw_fail(err, PW_ENOTFOUND, "no user %s", user);
    }
    if (rc == PW_OK) {
        rc = pw__q(s, q, p, n, NULL, NULL, err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
    }
    return rc;
}

enum pw_status
pw_store_user_set_password(struct pw_store *s, const char *user, const char *hash,
                           struct pw_error *err)
{
    struct pw__param p[] = { pw__p_text(user), pw__p_text(hash) };
    return user_change(s, user, PW_Q_USER_SET_PASSWORD, p, 2, err);
}

enum pw_status
pw_store_user_set_disabled(struct pw_store *s, const char *user, bool disabled,
                           struct pw_error *err)
{
    struct pw__param p[] = { pw__p_text(user), pw__p_int(disabled ? 1 : 0) };
    return user_change(s, user, PW_Q_USER_SET_DISABLED, p, 2, err);
}

enum pw_status
pw_store_user_set_failures(struct pw_store *s, const char *user, int failures,
                           const char *locked_until, struct pw_error *err)
{
    struct pw__param p[] = { pw__p_text(user), pw__p_int(failures), pw__p_text(locked_until) };
    return user_change(s, user, PW_Q_USER_SET_FAILURES, p, 3, err);
}

/* ---- The access log ---- */

static void
access_hash(const char *prev_hash, int64_t seq, const char *body, char *out)
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
    crypto_hash_sha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static json_t *
str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* The canonical body of an entry: what its hash covers. NULL when a string is not UTF-8. */
static char *
entry_body(const struct pw_access_entry *e, const char *at)
{
    json_t *record = json_object();
    (void)json_object_set_new(record, "kind", json_string(e->record_kind ? e->record_kind : ""));
    (void)json_object_set_new(record, "id", json_string(e->record_id ? e->record_id : ""));
    json_t *b = json_object();
    (void)json_object_set_new(b, "at", json_string(at));
    (void)json_object_set_new(b, "user", json_string(e->user ? e->user : ""));
    (void)json_object_set_new(b, "agency", json_string(e->agency ? e->agency : ""));
    (void)json_object_set_new(b, "role", json_string(e->role ? e->role : ""));
    (void)json_object_set_new(b, "action", json_string(e->action ? e->action : ""));
    (void)json_object_set_new(b, "record", record);
    (void)json_object_set_new(b, "child", str_or_null(e->child));
    (void)json_object_set_new(b, "outcome", json_string(e->outcome ? e->outcome : ""));
    (void)json_object_set_new(b, "basis", json_string(e->basis ? e->basis : ""));
    (void)json_object_set_new(b, "reason", json_string(e->reason ? e->reason : ""));
    (void)json_object_set_new(b, "grant", str_or_null(e->grant));
    /* json_string returns NULL for text that is not UTF-8: refuse rather than drop it. */
    bool whole = json_object_size(b) == 11 && json_object_size(record) == 2;
    char *out = whole ? pw_json_canonical(b, NULL) : NULL;
    json_decref(b);
    return out;
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

static enum pw_status
access_head(struct pw_store *s, bool lock, struct pw_log_head *out, struct pw_error *err)
{
    struct head_ctx h = { s, out };
    out->seq = -1;
    enum pw_status rc =
        pw__q(s, lock ? PW_Q_ACCESS_HEAD_LOCK : PW_Q_ACCESS_HEAD_READ, NULL, 0, head_row, &h, err);
    if (rc == PW_OK && out->seq < 0) {
        rc =
            pw_fail(err, PW_EINTEGRITY, "the access log head is missing: the database was altered");
    }
    return rc;
}

enum pw_status
pw_store_access_head(struct pw_store *s, struct pw_log_head *out, struct pw_error *err)
{
    return access_head(s, false, out, err);
}

enum pw_status
pw_store_access_ready(const struct pw_access_entry *e, int64_t now_us, struct pw_access_ready *out,
                      struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    if (e->reason != NULL && strlen(e->reason) > REASON_MAX) {
        return pw_fail(err, PW_EINVAL, "the reason is longer than %d bytes", REASON_MAX);
    }
    struct pw_when now = { now_us, true };
    pw_when_sort_key(&now, out->at);
    out->body = entry_body(e, out->at);
    if (out->body == NULL) {
        return pw_fail(err, PW_EINVAL, "an access log entry must be UTF-8 text");
    }
    out->user = pw_xstrdup(e->user ? e->user : "");
    out->action = pw_xstrdup(e->action ? e->action : "");
    out->child = e->child != NULL ? pw_xstrdup(e->child) : NULL;
    return PW_OK;
}

void
pw_store_access_ready_release(struct pw_access_ready *r)
{
    free(r->user);
    free(r->action);
    free(r->child);
    free(r->body);
    memset(r, 0, sizeof(*r));
}

/* Appends v[0..n) after the head (locked), chaining each to the one before, then moves the head
 * once. Inside the caller's transaction. */
static enum pw_status
append_chained(struct pw_store *s, struct pw_access_ready *v, size_t n, struct pw_error *err)
{
    struct pw_log_head head;
    char hash[65];
    enum pw_status rc = access_head(s, true, &head, err);
    for (size_t i = 0; rc == PW_OK && i < n; i++) {
        if (v[i].body == NULL || v[i].user == NULL || v[i].action == NULL) {
            rc = pw_fail(err, PW_EINTERNAL, "an access log entry was not made ready");
            break;
        }
        int64_t seq = head.seq + 1;
        access_hash(head.hash, seq, v[i].body, hash);
        struct pw__param p[] = {
            pw__p_int(seq),          pw__p_text(v[i].at),    pw__p_text(v[i].user),
            pw__p_text(v[i].action), pw__p_text(v[i].child), pw__p_text(v[i].body),
            pw__p_text(head.hash),   pw__p_text(hash),
        };
        rc = pw__q(s, PW_Q_ACCESS_APPEND, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
        if (rc == PW_OK) {
            v[i].seq = seq;
            head.seq = seq;
            (void)snprintf(head.hash, sizeof(head.hash), "%s", hash);
        }
    }
    if (rc == PW_OK && n > 0) {
        struct pw__param h[] = { pw__p_int(head.seq), pw__p_text(head.hash) };
        rc = pw__q(s, PW_Q_ACCESS_HEAD_SET, h, 2, NULL, NULL, err);
    }
    return rc;
}

enum pw_status
pw_store_access_append_ready(struct pw_store *s, struct pw_access_ready *v, size_t n,
                             pw_store_tx_fn before_commit, void *ctx, struct pw_error *err)
{
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = append_chained(s, v, n, err);
    if (rc == PW_OK && before_commit != NULL) {
        rc = before_commit(ctx, s, err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
        for (size_t i = 0; i < n; i++) {
            v[i].seq = 0; /* not on the log */
        }
    }
    return rc;
}

enum pw_status
pw_store_access_append(struct pw_store *s, const struct pw_access_entry *e, int64_t now_us,
                       int64_t *seq_out, struct pw_error *err)
{
    struct pw_access_ready r;
    enum pw_status rc = pw_store_access_ready(e, now_us, &r, err);
    if (rc == PW_OK) {
        rc = pw_store_access_append_ready(s, &r, 1, NULL, NULL, err);
    }
    if (rc == PW_OK && seq_out != NULL) {
        *seq_out = r.seq;
    }
    pw_store_access_ready_release(&r);
    return rc;
}

/* An entry as read: the body's fields, with the row's. */
struct entry_read {
    struct pw_store *s;
    pw_access_entry_fn fn;
    void *ctx;
    int64_t last_seq;
    size_t rows;
};

static const char *
jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void
fill_entry(struct pw_access_entry *e, const json_t *b)
{
    const json_t *record = json_object_get(b, "record");
    e->agency = jstr(b, "agency");
    e->role = jstr(b, "role");
    e->record_kind = jstr(record, "kind");
    e->record_id = jstr(record, "id");
    e->outcome = jstr(b, "outcome");
    e->basis = jstr(b, "basis");
    e->reason = jstr(b, "reason");
    e->grant = jstr(b, "grant");
}

static enum pw_status
entry_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct entry_read *r = ctx;
    struct pw_access_entry e = {
        .seq = pw__int(r->s, row, 0),
        .at = pw__text(r->s, row, 1),
        .user = pw__text(r->s, row, 2),
        .action = pw__text(r->s, row, 3),
        .child = text_or_null(r->s, row, 4),
        .body = pw__text(r->s, row, 5),
        .prev_hash = pw__text(r->s, row, 6),
        .hash = pw__text(r->s, row, 7),
    };
    r->last_seq = e.seq;
    r->rows++;
    json_t *b = json_loads(e.body, 0, NULL);
    if (!json_is_object(b)) {
        json_decref(b);
        return pw_fail(err, PW_EINTEGRITY,
                       "access log entry %" PRId64 " is not JSON: run pathway audit verify", e.seq);
    }
    fill_entry(&e, b);
    enum pw_status rc = r->fn(r->ctx, &e, err);
    json_decref(b);
    return rc;
}

enum pw_status
pw_store_access_entries(struct pw_store *s, const char *child, pw_access_entry_fn fn, void *ctx,
                        struct pw_error *err)
{
    struct entry_read r = { s, fn, ctx, 0, 0 };
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    do {
        r.rows = 0;
        struct pw__param p[] = { pw__p_int(r.last_seq), pw__p_int(PAGE_SIZE), pw__p_text(child) };
        rc = pw__q(s, child != NULL ? PW_Q_ACCESS_PAGE_CHILD : PW_Q_ACCESS_PAGE, p,
                   child != NULL ? 3 : 2, entry_row, &r, err);
    } while (rc == PW_OK && r.rows == PAGE_SIZE);
    pw__rollback(s);
    return rc;
}

/* Verification. */

static bool
same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The columns beside the body are copies for indexing: say which was edited, or NULL. */
static const char *
columns_disagree(struct pw_store *s, const struct pw__row *row, const char *body)
{
    const char *why = NULL;
    json_t *b = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
    const char *child = json_string_value(json_object_get(b, "child"));
    if (!json_is_object(b)) {
        why = "its body is not a JSON object";
    } else if (!same(pw__text(s, row, 1), jstr(b, "at")) ||
               !same(pw__text(s, row, 2), jstr(b, "user")) ||
               !same(pw__text(s, row, 3), jstr(b, "action"))) {
        why = "a column beside its body was edited (at, user or action)";
    } else if (child == NULL ? !pw__null(s, row, 4) : !same(text_or_null(s, row, 4), child)) {
        why = "its child column was edited";
    }
    json_decref(b);
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
    const char *body = pw__text(v->s, row, 5);
    const char *prev = pw__text(v->s, row, 6);
    const char *hash = pw__text(v->s, row, 7);
    char computed[65];
    access_hash(prev, seq, body, computed);
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

enum pw_status
pw_store_access_verify(struct pw_store *s, struct pw_verify_result *out, struct pw_error *err)
{
    memset(out, 0, sizeof(*out));
    struct pw__chain_walk v = { .s = s, .out = out, .expected_seq = 1 };
    memcpy(v.last_hash, zero_hash, sizeof(v.last_hash));
    struct pw_log_head head;
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    int64_t after = 0;
    do {
        v.rows = 0;
        struct pw__param p[] = { pw__p_int(after), pw__p_int(PAGE_SIZE) };
        rc = pw__q(s, PW_Q_ACCESS_PAGE, p, 2, verify_row, &v, err);
        after = v.expected_seq - 1;
    } while (rc == PW_OK && !v.broken && v.rows == PAGE_SIZE);
    if (rc == PW_OK && !v.broken) {
        rc = access_head(s, false, &head, err);
        int64_t last = v.expected_seq - 1;
        if (rc == PW_OK && (head.seq != last || strcmp(head.hash, v.last_hash) != 0)) {
            char reason[160];
            (void)snprintf(reason, sizeof(reason),
                           "the access log ends at %" PRId64 " but its head records %" PRId64
                           " with another hash: entries were removed or added",
                           last, head.seq);
            pw__chain_broken(&v, (head.seq < last ? head.seq : last) + 1, reason);
        }
    }
    pw__rollback(s);
    return rc;
}

/* ---- Break-glass grants ---- */

struct grant_ctx {
    struct pw_store *s;
    pw_grant_row_fn fn;
    void *ctx;
    bool *found;
};

static enum pw_status
grant_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct grant_ctx *g = ctx;
    struct pw_grant_row r = {
        .id = pw__text(g->s, row, 0),
        .user = pw__text(g->s, row, 1),
        .agency = pw__text(g->s, row, 2),
        .child = pw__text(g->s, row, 3),
        .reason = pw__text(g->s, row, 4),
        .granted_at = pw__text(g->s, row, 5),
        .expires_at = pw__text(g->s, row, 6),
        .reviewed_by = text_or_null(g->s, row, 7),
        .reviewed_at = text_or_null(g->s, row, 8),
        .review_outcome = text_or_null(g->s, row, 9),
        .review_note = text_or_null(g->s, row, 10),
    };
    if (g->found != NULL) {
        *g->found = true;
    }
    return g->fn != NULL ? g->fn(g->ctx, &r, err) : PW_OK;
}

enum pw_status
pw_store_grant_add(struct pw_store *s, const struct pw_grant_row *g, struct pw_error *err)
{
    struct pw__param p[] = {
        pw__p_text(g->id),         pw__p_text(g->user),   pw__p_text(g->agency),
        pw__p_text(g->child),      pw__p_text(g->reason), pw__p_text(g->granted_at),
        pw__p_text(g->expires_at),
    };
    return write_one(s, PW_Q_BREAK_GLASS_ADD, p, sizeof(p) / sizeof(p[0]), err);
}

enum pw_status
pw_store_grant_get(struct pw_store *s, const char *id, pw_grant_row_fn fn, void *ctx, bool *found,
                   struct pw_error *err)
{
    struct grant_ctx g = { s, fn, ctx, found };
    *found = false;
    struct pw__param p = pw__p_text(id);
    return pw__q(s, PW_Q_BREAK_GLASS_GET, &p, 1, grant_row, &g, err);
}

enum pw_status
pw_store_grants(struct pw_store *s, enum pw_grant_filter which, const char *child,
                pw_grant_row_fn fn, void *ctx, struct pw_error *err)
{
    struct grant_ctx g = { s, fn, ctx, NULL };
    struct pw__param p = pw__p_text(child);
    switch (which) {
    case PW_GRANTS_OF_CHILD:
        return pw__q(s, PW_Q_BREAK_GLASS_OF_CHILD, &p, 1, grant_row, &g, err);
    case PW_GRANTS_UNREVIEWED:
        return pw__q(s, PW_Q_BREAK_GLASS_UNREVIEWED, NULL, 0, grant_row, &g, err);
    case PW_GRANTS_ALL:
        break;
    }
    return pw__q(s, PW_Q_BREAK_GLASS_ALL, NULL, 0, grant_row, &g, err);
}

struct reviewed_ctx {
    struct pw_store *s;
    bool reviewed;
};

static enum pw_status
reviewed_row(void *ctx, const struct pw_grant_row *g, struct pw_error *err)
{
    (void)err;
    struct reviewed_ctx *r = ctx;
    r->reviewed = g->reviewed_at != NULL;
    return PW_OK;
}

enum pw_status
pw_store_grant_review(struct pw_store *s, const char *id, const char *reviewer,
                      const char *reviewed_at, const char *outcome, const char *note,
                      struct pw_error *err)
{
    struct reviewed_ctx r = { s, false };
    bool found = false;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw_store_grant_get(s, id, reviewed_row, &r, &found, err);
    if (rc == PW_OK && !found) {
        rc = pw_fail(err, PW_ENOTFOUND, "no break-glass grant %s", id);
    } else if (rc == PW_OK && r.reviewed) {
        rc = pw_fail(err, PW_ECONFLICT, "break-glass grant %s is already reviewed", id);
    }
    if (rc == PW_OK) {
        struct pw__param p[] = { pw__p_text(id), pw__p_text(reviewer), pw__p_text(reviewed_at),
                                 pw__p_text(outcome), pw__p_text(note) };
        rc = pw__q(s, PW_Q_BREAK_GLASS_REVIEW, p, 5, NULL, NULL, err);
    }
    if (rc == PW_OK) {
        rc = pw__commit(s, err);
    }
    if (rc != PW_OK) {
        pw__rollback(s);
    }
    return rc;
}

/* ---- The facts deciding a relationship ---- */

struct fact_ctx {
    struct pw_store *s;
    pw_access_fact_fn fn;
    void *ctx;
};

static enum pw_status
fact_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct fact_ctx *c = ctx;
    struct pw_access_fact f = {
        .seq = pw__int(c->s, row, 0),
        .id = pw__text(c->s, row, 1),
        .type = pw__text(c->s, row, 2),
        .at = pw__text(c->s, row, 3),
        .agency = pw__text(c->s, row, 4),
        .by = pw__text(c->s, row, 5),
        .sensitivity = pw__text(c->s, row, 6),
        .body = pw__text(c->s, row, 7),
    };
    return c->fn(c->ctx, &f, err);
}

enum pw_status
pw_store_access_facts(struct pw_store *s, const char *child, pw_access_fact_fn fn, void *ctx,
                      struct pw_error *err)
{
    struct fact_ctx c = { s, fn, ctx };
    struct pw__param p = pw__p_text(child);
    enum pw_status rc = pw__begin(s, false, err);
    if (rc != PW_OK) {
        return rc;
    }
    rc = pw__q(s, PW_Q_ACCESS_FACTS, &p, 1, fact_row, &c, err);
    pw__rollback(s);
    return rc;
}
