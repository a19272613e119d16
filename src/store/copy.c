/*
 * Copying a whole store to another backend (SQLite to PostgreSQL to move up, and back for a
 * copy to inspect offline). The log moves entry by entry exactly as stored: same positions,
 * same recorded times, same hashes, never re-hashed, so the copy's chain is the original's
 * and an anchor taken from one verifies against the other. The projections are rebuilt from
 * the copied log in the same transaction, and the copy is verified before it is reported.
 */
#include "store/store_int.h"

#include <string.h>

#define PAGE_SIZE 1000

struct copy_ctx {
    struct pw_store *from;
    struct pw_store *to;
    int64_t last_seq;
    size_t rows;
};

/* LOG_CHAIN_PAGE's columns, appended to the target with LOG_APPEND's parameters. */
static enum pw_status
copy_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    struct copy_ctx *c = ctx;
    struct pw_store *f = c->from;
    struct pw__param p[] = {
        pw__p_int(pw__int(f, row, 0)),
        pw__p_text(pw__text(f, row, 5)),  /* id */
        pw__p_text(pw__text(f, row, 6)),  /* type */
        pw__p_text(pw__text(f, row, 7)),  /* at */
        pw__p_text(pw__text(f, row, 8)),  /* at_key */
        pw__p_text(pw__text(f, row, 9)),  /* agency */
        pw__p_text(pw__text(f, row, 10)), /* by */
        pw__null(f, row, 11) ? pw__p_null() : pw__p_text(pw__text(f, row, 11)),
        pw__p_text(pw__text(f, row, 12)), /* sensitivity */
        pw__p_text(pw__text(f, row, 1)),  /* recorded_at */
        pw__p_text(pw__text(f, row, 2)),  /* body */
        pw__p_text(pw__text(f, row, 3)),  /* prev_hash */
        pw__p_text(pw__text(f, row, 4)),  /* hash */
    };
    c->last_seq = pw__int(f, row, 0);
    c->rows++;
    return pw__q(c->to, PW_Q_LOG_APPEND, p, sizeof(p) / sizeof(p[0]), NULL, NULL, err);
}

static enum pw_status
copy_log(struct pw_store *from, struct pw_store *to, const struct pw_log_head *head,
         int64_t *copied, struct pw_error *err)
{
    struct copy_ctx c = { from, to, 0, 0 };
    enum pw_status rc = PW_OK;
    do {
        c.rows = 0;
        struct pw__param p[] = { pw__p_int(c.last_seq), pw__p_int(PAGE_SIZE) };
        rc = pw__q(from, PW_Q_LOG_CHAIN_PAGE, p, 2, copy_row, &c, err);
        *copied += (int64_t)c.rows;
    } while (rc == PW_OK && c.rows == PAGE_SIZE);
    if (rc == PW_OK) {
        struct pw__param p[] = { pw__p_int(head->seq), pw__p_text(head->hash) };
        rc = pw__q(to, PW_Q_HEAD_SET, p, 2, NULL, NULL, err);
    }
    return rc;
}

static enum pw_status
check_source(struct pw_store *from, struct pw_error *err)
{
    struct pw_verify_result v;
    enum pw_status rc = pw_store_verify(from, 0, NULL, &v, err);
    if (rc == PW_OK && v.broken_seq != 0) {
        rc = pw_fail(err, PW_EINTEGRITY,
                     "the source does not verify (broken at %lld: %s): nothing was copied",
                     (long long)v.broken_seq, v.reason);
    }
    return rc;
}

static enum pw_status
check_copy(struct pw_store *to, const struct pw_log_head *want, struct pw_copy_result *out,
           struct pw_error *err)
{
    struct pw_verify_result v;
    enum pw_status rc = pw_store_verify(to, want->seq, want->hash, &v, err);
    if (rc == PW_OK && v.broken_seq != 0) {
        rc = pw_fail(err, PW_EINTEGRITY, "the copy does not verify (broken at %lld: %s)",
                     (long long)v.broken_seq, v.reason);
    }
    if (rc == PW_OK) {
        out->verified = v.count;
    }
    return rc;
}

static enum pw_status
copy_into(struct pw_store *from, struct pw_store *to, struct pw_copy_result *out,
          struct pw_error *err)
{
    struct pw_log_head head;
    struct pw_log_head target_head;
    int64_t replayed = 0;
    enum pw_status rc = pw__begin(from, false, err); /* one snapshot of the source */
    if (rc == PW_OK) {
        rc = pw__log_head(from, false, &head, err);
    }
    if (rc == PW_OK) {
        rc = pw__begin(to, true, err);
        if (rc == PW_OK) {
            rc = pw__log_head(to, true, &target_head, err);
        }
        if (rc == PW_OK && target_head.seq != 0) {
            rc =
                pw_fail(err, PW_ECONFLICT, "the target already holds facts: copy into a new store");
        }
        if (rc == PW_OK) {
            rc = copy_log(from, to, &head, &out->copied, err);
        }
        if (rc == PW_OK) {
            rc = pw__replay(to, &replayed, err);
        }
        if (rc == PW_OK && to->hook.rebuilt != NULL) {
            rc = to->hook.rebuilt(to->hook.ctx, to, err);
        }
        if (rc == PW_OK) {
            rc = pw__commit(to, err);
        }
        if (rc != PW_OK) {
            pw__rollback(to);
        }
    }
    pw__rollback(from);
    if (rc == PW_OK) {
        rc = check_copy(to, &head, out, err);
    }
    if (rc == PW_OK) {
        out->head = head;
    }
    return rc;
}

enum pw_status
pw_store_copy(struct pw_store *from, const char *to, struct pw_copy_result *out,
              struct pw_error *err)
{
    struct pw_store *target = NULL;
    memset(out, 0, sizeof(*out));
    /* The source first: a broken one is not copied and no target is created. */
    enum pw_status rc = check_source(from, err);
    if (rc == PW_OK) {
        rc = pw_store_open(to, PW_STORE_CREATE | PW_STORE_NEW, &target, err);
    }
    if (rc == PW_OK) {
        target->hook = from->hook; /* what the source derives, the copy derives */
        rc = copy_into(from, target, out, err);
    }
    pw_store_close(target);
    return rc;
}
