/*
 * Opening and closing the store, the query table, and the shorthands the rest of the module
 * uses over the driver.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct query_text {
    const char *name;
    const char *sqlite_sql;
    const char *pg_sql;
};

static const struct query_text queries[] = {
#define PW_QUERY(name, sql)                 { #name, sql, sql },
#define PW_QUERY2(name, sqlite_sql, pg_sql) { #name, sqlite_sql, pg_sql },
#include "store/queries.def"
#undef PW_QUERY
#undef PW_QUERY2
};

const char *
pw__query_sql(enum pw__query q, bool postgres)
{
    return postgres ? queries[q].pg_sql : queries[q].sqlite_sql;
}

const char *
pw__query_name(enum pw__query q)
{
    return queries[q].name;
}

enum pw_status
pw_store_open(const char *target, unsigned flags, struct pw_store **out, struct pw_error *err)
{
    if (target == NULL || target[0] == '\0') {
        return pw_fail(
            err, PW_EUSAGE,
            "no database given: use --db FILE or --db postgresql://... or set PATHWAY_DB");
    }
    struct pw_store *s = pw_xcalloc(1, sizeof(*s));
    enum pw_status rc = pw_store_is_postgres(target)
                            ? pw__pg_open(target, flags, &s->db, &s->drv, err)
                            : pw__sqlite_open(target, flags, &s->db, &s->drv, err);
    if (rc != PW_OK) {
        free(s);
        return rc;
    }
    rc = pw__migrate(s, err);
    if (rc == PW_OK) {
        rc = s->drv->prepare_all(s->db, err);
    }
    if (rc == PW_OK && s->needs_rebuild) {
        int64_t replayed = 0;
        rc = pw_store_rebuild(s, &replayed, err);
        s->needs_rebuild = false;
        s->rebuilt_on_open = true;
    }
    if (rc != PW_OK) {
        pw_store_close(s);
        return rc;
    }
    *out = s;
    return PW_OK;
}

bool
pw_store_rebuilt_on_open(const struct pw_store *s)
{
    return s->rebuilt_on_open;
}

bool
pw_store_is_postgres(const char *target)
{
    return strncmp(target, "postgres://", 11) == 0 || strncmp(target, "postgresql://", 13) == 0;
}

void
pw_store_close(struct pw_store *s)
{
    if (s == NULL) {
        return;
    }
    pw__chron_memo_forget(s);
    s->drv->close(s->db);
    free(s);
}

const char *
pw_store_backend(const struct pw_store *s)
{
    return s->drv->name;
}

int
pw_store_schema_version(const struct pw_store *s)
{
    return s->schema_version;
}

int
pw_store_schema_latest(void)
{
    return pw__migrations_latest();
}

struct pw__param
pw__p_text(const char *s)
{
    struct pw__param p = { .type = s == NULL ? PW_P_NULL : PW_P_TEXT, .s = s };
    return p;
}

struct pw__param
pw__p_int(int64_t i)
{
    struct pw__param p = { .type = PW_P_INT, .i = i };
    return p;
}

struct pw__param
pw__p_real(double r)
{
    struct pw__param p = { .type = PW_P_REAL, .r = r };
    return p;
}

struct pw__param
pw__p_null(void)
{
    struct pw__param p = { .type = PW_P_NULL };
    return p;
}

enum pw_status
pw__q(struct pw_store *s, enum pw__query q, const struct pw__param *params, size_t n, pw__row_fn fn,
      void *ctx, struct pw_error *err)
{
    switch (q) {
    case PW_Q_LOG_APPEND:
    case PW_Q_SUBJECT_ADD:
    case PW_Q_REF_ADD:
    case PW_Q_CLEAR_SUBJECTS:
    case PW_Q_CLEAR_REFS:
    case PW_Q_CLUSTER_ADD:
    case PW_Q_CLUSTER_DELETE:
    case PW_Q_CLEAR_CLUSTERS:
        /* What the chronologies read changes. */
        pw__chron_memo_forget(s);
        break;
    default:
        break;
    }
    return s->drv->query(s->db, q, params, n, fn, ctx, err);
}

enum pw_status
pw__begin(struct pw_store *s, bool write, struct pw_error *err)
{
    if (s->tx_depth > 0) {
        s->tx_depth++;
        return PW_OK;
    }
    enum pw_status rc = s->drv->begin(s->db, write, err);
    if (rc == PW_OK) {
        s->tx_depth = 1;
    }
    return rc;
}

enum pw_status
pw__commit(struct pw_store *s, struct pw_error *err)
{
    if (s->tx_depth > 1) {
        s->tx_depth--;
        return PW_OK;
    }
    s->tx_depth = 0;
    pw__chron_memo_forget(s);
    return s->drv->commit(s->db, err);
}

void
pw__rollback(struct pw_store *s)
{
    if (s->tx_depth > 1) {
        s->tx_depth--;
        return;
    }
    s->tx_depth = 0;
    pw__chron_memo_forget(s);
    s->drv->rollback(s->db);
}

bool
pw__in_tx(const struct pw_store *s)
{
    return s->tx_depth > 0;
}

void
pw_store_set_hook(struct pw_store *s, const struct pw_store_hook *hook)
{
    if (hook == NULL) {
        memset(&s->hook, 0, sizeof(s->hook));
    } else {
        s->hook = *hook;
    }
}

const struct pw_store_hook *
pw_store_hook(const struct pw_store *s)
{
    return &s->hook;
}

enum pw_status
pw_store_transact(struct pw_store *s, pw_store_tx_fn fn, void *ctx, struct pw_error *err)
{
    struct pw_log_head head;
    enum pw_status rc = pw__begin(s, true, err);
    if (rc != PW_OK) {
        return rc;
    }
    /* The head's lock: recording waits, so fn sees the log stand still. */
    rc = pw__log_head(s, true, &head, err);
    if (rc == PW_OK) {
        rc = fn(ctx, s, err);
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
pw_store_read(struct pw_store *s, pw_store_tx_fn fn, void *ctx, struct pw_error *err)
{
    enum pw_status rc = pw__begin(s, false, err);
    if (rc == PW_OK) {
        rc = fn(ctx, s, err);
        pw__rollback(s);
    }
    return rc;
}

const char *
pw__text(struct pw_store *s, const struct pw__row *row, int col)
{
    return s->drv->get_text(row, col);
}

int64_t
pw__int(struct pw_store *s, const struct pw__row *row, int col)
{
    return s->drv->get_int(row, col);
}

/* A number column, read through its text so that both drivers agree to the digit. */
double
pw__real(struct pw_store *s, const struct pw__row *row, int col)
{
    return strtod(pw__text(s, row, col), NULL);
}

bool
pw__null(struct pw_store *s, const struct pw__row *row, int col)
{
    return s->drv->is_null(row, col);
}

enum pw_status
pw__row_exists(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)row;
    (void)err;
    *(bool *)ctx = true;
    return PW_OK;
}

enum pw_status
pw_store_person_exists(struct pw_store *s, const char *person, bool *exists, struct pw_error *err)
{
    *exists = false;
    struct pw__param p = pw__p_text(person);
    return pw__q(s, PW_Q_PERSON_EXISTS, &p, 1, pw__row_exists, exists, err);
}

struct dob_ctx {
    struct pw_store *s;
    struct pw_person_dob *out;
};

static enum pw_status
dob_row(void *ctx, const struct pw__row *row, struct pw_error *err)
{
    (void)err;
    struct dob_ctx *c = ctx;
    if (!pw__null(c->s, row, 0)) {
        (void)snprintf(c->out->dob, sizeof(c->out->dob), "%s", pw__text(c->s, row, 0));
    } else if (!pw__null(c->s, row, 1)) {
        c->out->year = (int)pw__int(c->s, row, 1);
    }
    return PW_OK;
}

enum pw_status
pw_store_person_dob(struct pw_store *s, const char *person, struct pw_person_dob *out,
                    struct pw_error *err)
{
    struct dob_ctx c = { s, out };
    memset(out, 0, sizeof(*out));
    struct pw__param p = pw__p_text(person);
    return pw__q(s, PW_Q_PERSON_DOB, &p, 1, dob_row, &c, err);
}
