/*
 * The SQLite backend: the embedded default, one file, nothing to run. WAL so readers do not
 * block the writer, synchronous=FULL so an acknowledged fact survives power loss, foreign keys
 * on, a busy timeout so two processes on one file wait rather than fail. Every query of
 * queries.def is prepared once (SQLITE_PREPARE_PERSISTENT) after migrations.
 */
#include "store/store_int.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"

#define BUSY_TIMEOUT_MS 10000
#define MAX_PARAMS      32

struct pw__db {
    sqlite3 *conn;
    sqlite3_stmt *stmts[PW_Q__COUNT];
    /*
     * SQLite numbers named parameters by first appearance, so "$3" may be index 1. The map
     * from $n to SQLite's index is worked out once at prepare, not on every bind.
     */
    unsigned char param_index[PW_Q__COUNT][MAX_PARAMS + 1];
    bool in_tx;
};

struct pw__row {
    sqlite3_stmt *stmt;
};

static enum pw_status
db_error(struct pw__db *db, const char *doing, struct pw_error *err)
{
    int code = sqlite3_extended_errcode(db->conn);
    enum pw_status st = PW_EDB;
    if ((code & 0xff) == SQLITE_CONSTRAINT) {
        st = PW_ECONFLICT;
    }
    pw_fail(err, st, "could not %s: the database said: %s", doing, sqlite3_errmsg(db->conn));
    pw_error_detail(err, "sqlite error %d while %s", code, doing);
    return st;
}

static enum pw_status
sq_exec(struct pw__db *db, const char *sql, struct pw_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        pw_fail(err, PW_EDB, "could not run a schema statement: %s",
                msg != NULL ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return PW_EDB;
    }
    return PW_OK;
}

static enum pw_status
sq_scalar(struct pw__db *db, const char *sql, int64_t *out, struct pw_error *err)
{
    sqlite3_stmt *st = NULL;
    enum pw_status rc = PW_OK;
    if (sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(db, "prepare a bootstrap query", err);
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = db_error(db, "run a bootstrap query", err);
        goto out;
    }
    *out = sqlite3_column_int64(st, 0);
out:
    sqlite3_finalize(st);
    return rc;
}

/* Fills db->param_index[q] from the statement's parameter names ("$1".."$N"). */
static enum pw_status
map_params(struct pw__db *db, enum pw__query q, struct pw_error *err)
{
    sqlite3_stmt *st = db->stmts[q];
    int count = sqlite3_bind_parameter_count(st);
    for (int idx = 1; idx <= count; idx++) {
        const char *name = sqlite3_bind_parameter_name(st, idx);
        char *end = NULL;
        long n = name != NULL && name[0] == '$' ? strtol(name + 1, &end, 10) : 0;
        if (n < 1 || n > MAX_PARAMS || end == NULL || *end != '\0') {
            return pw_fail(err, PW_EINTERNAL, "query %s has a parameter that is not $1..$%d",
                           pw__query_name(q), MAX_PARAMS);
        }
        db->param_index[q][n] = (unsigned char)idx;
    }
    return PW_OK;
}

static enum pw_status
sq_prepare_all(struct pw__db *db, struct pw_error *err)
{
    for (int q = 0; q < PW_Q__COUNT; q++) {
        if (db->stmts[q] != NULL) {
            continue;
        }
        const char *sql = pw__query_sql((enum pw__query)q, false);
        int rc =
            sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &db->stmts[q], NULL);
        if (rc != SQLITE_OK) {
            pw_fail(err, PW_EDB, "could not prepare query %s: %s",
                    pw__query_name((enum pw__query)q), sqlite3_errmsg(db->conn));
            return PW_EDB;
        }
        enum pw_status st = map_params(db, (enum pw__query)q, err);
        if (st != PW_OK) {
            return st;
        }
    }
    return PW_OK;
}

static enum pw_status
bind_params(struct pw__db *db, enum pw__query q, const struct pw__param *params, size_t n,
            struct pw_error *err)
{
    sqlite3_stmt *st = db->stmts[q];
    for (size_t i = 0; i < n; i++) {
        int idx = i < MAX_PARAMS ? db->param_index[q][i + 1] : 0;
        if (idx == 0) {
            return pw_fail(err, PW_EINTERNAL, "query %s has no parameter $%zu", pw__query_name(q),
                           i + 1);
        }
        int rc = SQLITE_OK;
        const struct pw__param *p = &params[i];
        switch (p->type) {
        case PW_P_NULL:
            rc = sqlite3_bind_null(st, idx);
            break;
        case PW_P_INT:
            rc = sqlite3_bind_int64(st, idx, p->i);
            break;
        case PW_P_REAL:
            rc = sqlite3_bind_double(st, idx, p->r);
            break;
        case PW_P_TEXT:
            if (p->s == NULL) {
                rc = sqlite3_bind_null(st, idx);
            } else {
                rc = sqlite3_bind_text(st, idx, p->s, -1, SQLITE_STATIC);
            }
            break;
        }
        if (rc != SQLITE_OK) {
            return db_error(db, "bind a query parameter", err);
        }
    }
    return PW_OK;
}

static enum pw_status
sq_query(struct pw__db *db, enum pw__query q, const struct pw__param *params, size_t n,
         pw__row_fn fn, void *ctx, struct pw_error *err)
{
    sqlite3_stmt *st = db->stmts[q];
    PW_ASSERT(st != NULL);
    enum pw_status rc = bind_params(db, q, params, n, err);
    struct pw__row row = { st };
    while (rc == PW_OK) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE) {
            break;
        }
        if (step != SQLITE_ROW) {
            char doing[96];
            (void)snprintf(doing, sizeof(doing), "run query %s", pw__query_name(q));
            rc = db_error(db, doing, err);
            break;
        }
        if (fn != NULL) {
            rc = fn(ctx, &row, err);
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static enum pw_status
sq_begin(struct pw__db *db, bool write, struct pw_error *err)
{
    /* IMMEDIATE takes the write lock now, so checks made inside the transaction hold. */
    enum pw_status rc = sq_exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
    if (rc == PW_OK) {
        db->in_tx = true;
    }
    return rc;
}

static enum pw_status
sq_commit(struct pw__db *db, struct pw_error *err)
{
    if (sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        return db_error(db, "commit", err);
    }
    db->in_tx = false;
    return PW_OK;
}

static void
sq_rollback(struct pw__db *db)
{
    if (db->in_tx || !sqlite3_get_autocommit(db->conn)) {
        (void)sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
    }
    db->in_tx = false;
}

static bool
sq_is_null(const struct pw__row *row, int col)
{
    return sqlite3_column_type(row->stmt, col) == SQLITE_NULL;
}

static int64_t
sq_get_int(const struct pw__row *row, int col)
{
    return sqlite3_column_int64(row->stmt, col);
}

static double
sq_get_real(const struct pw__row *row, int col)
{
    return sqlite3_column_double(row->stmt, col);
}

static const char *
sq_get_text(const struct pw__row *row, int col)
{
    const unsigned char *t = sqlite3_column_text(row->stmt, col);
    return t == NULL ? "" : (const char *)t;
}

static void
sq_close(struct pw__db *db)
{
    if (db == NULL) {
        return;
    }
    for (int q = 0; q < PW_Q__COUNT; q++) {
        sqlite3_finalize(db->stmts[q]);
    }
    sqlite3_close(db->conn);
    free(db);
}

static const struct pw__driver sqlite_driver = {
    .name = "sqlite",
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .query = sq_query,
    .exec = sq_exec,
    .scalar = sq_scalar,
    .prepare_all = sq_prepare_all,
    .is_null = sq_is_null,
    .get_int = sq_get_int,
    .get_real = sq_get_real,
    .get_text = sq_get_text,
    .close = sq_close,
};

static enum pw_status
check_exists(const char *path, unsigned flags, struct pw_error *err)
{
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (exists && (flags & PW_STORE_NEW) != 0) {
        return pw_fail(err, PW_ECONFLICT, "%s already exists: name a new file", path);
    }
    if (!exists && (flags & PW_STORE_CREATE) == 0) {
        return pw_fail(err, PW_ENOTFOUND,
                       "no database at %s: create one with `pathway init --db %s`", path, path);
    }
    return PW_OK;
}

enum pw_status
pw__sqlite_open(const char *path, unsigned flags, struct pw__db **out,
                const struct pw__driver **drv, struct pw_error *err)
{
    enum pw_status rc = check_exists(path, flags, err);
    if (rc != PW_OK) {
        return rc;
    }
    struct pw_error pragma_err = { 0 };
    struct pw__db *db = pw_xcalloc(1, sizeof(*db));
    int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if ((flags & PW_STORE_CREATE) != 0) {
        open_flags |= SQLITE_OPEN_CREATE;
    }
    if (sqlite3_open_v2(path, &db->conn, open_flags, NULL) != SQLITE_OK) {
        rc = pw_fail(err, PW_EDB, "could not open %s: %s", path,
                     db->conn != NULL ? sqlite3_errmsg(db->conn) : "out of memory");
        goto out;
    }
    sqlite3_extended_result_codes(db->conn, 1);
    sqlite3_busy_timeout(db->conn, BUSY_TIMEOUT_MS);
    /* A file that is not a database fails here, on the first read. */
    rc = sq_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 "PRAGMA trusted_schema=OFF;",
                 &pragma_err);
    if (rc != PW_OK && (sqlite3_errcode(db->conn) & 0xff) == SQLITE_BUSY) {
        /* Another process holds the file (creating it, say): busy, not broken. */
        pw_fail(err, PW_EDB, "%s is busy: another process is using it; try again", path);
        goto out;
    }
    if (rc != PW_OK) {
        pw_fail(err, PW_EDB, "%s is not a Pathway database (%s)", path, pragma_err.msg);
        goto out;
    }
    *out = db;
    *drv = &sqlite_driver;
    db = NULL;
out:
    sq_close(db);
    return rc;
}
