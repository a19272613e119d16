/*
 * The PostgreSQL backend (libpq): for a partnership with many practitioners, backups and
 * replicas. Every query of queries.def is prepared once per connection (PQprepare); values go
 * as text parameters and come back as text, which the row accessors convert. Read
 * transactions are REPEATABLE READ so a paged read (the log, a verification) sees one
 * snapshot; writers serialise on the log head (HEAD_LOCK takes it FOR UPDATE), so however
 * many write at once the chain stays one line.
 */
#include "store/store_int.h"

#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define MAX_PARAMS 32

struct pw__db {
    PGconn *conn;
    bool in_tx;
};

struct pw__row {
    PGresult *res;
    int row;
};

/* SQLSTATE classes that mean the caller's data conflicts, not that the store is broken. */
static enum pw_status
status_of(const PGresult *res)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state != NULL && strncmp(state, "23", 2) == 0) {
        return PW_ECONFLICT; /* integrity constraint violation */
    }
    return PW_EDB;
}

/* First line of a libpq message, without the trailing newline. */
static void
first_line(const char *msg, char *out, size_t size)
{
    size_t n = strcspn(msg, "\n");
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, msg, n);
    out[n] = '\0';
}

static enum pw_status
fail_result(struct pw__db *db, const PGresult *res, const char *doing, struct pw_error *err)
{
    char line[256];
    first_line(res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(db->conn), line,
               sizeof(line));
    if (line[0] == '\0') {
        first_line(PQerrorMessage(db->conn), line, sizeof(line));
    }
    enum pw_status st = status_of(res);
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state != NULL && strcmp(state, "25006") == 0) {
        /* read_only_sql_transaction: a hot standby, or a server in recovery. */
        pw_fail(err, PW_EDB,
                "this PostgreSQL server is read-only (a standby): record on the primary");
    }
    pw_fail(err, st, "could not %s: the database said: %s", doing, line);
    pw_error_detail(err, "postgresql sqlstate %s while %s", state != NULL ? state : "none", doing);
    return st;
}

static enum pw_status
pg_exec(struct pw__db *db, const char *sql, struct pw_error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = PQresultStatus(res);
    enum pw_status rc = PW_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        rc = fail_result(db, res, "run a statement", err);
    }
    PQclear(res);
    return rc;
}

static enum pw_status
pg_scalar(struct pw__db *db, const char *sql, int64_t *out, struct pw_error *err)
{
    PGresult *res = PQexec(db->conn, sql);
    enum pw_status rc = PW_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
        rc = fail_result(db, res, "run a bootstrap query", err);
    } else {
        *out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    }
    PQclear(res);
    return rc;
}

static void
statement_name(enum pw__query q, char *out, size_t size)
{
    (void)snprintf(out, size, "pw_q%d", (int)q);
}

static enum pw_status
pg_prepare_all(struct pw__db *db, struct pw_error *err)
{
    for (int q = 0; q < PW_Q__COUNT; q++) {
        char name[32];
        statement_name((enum pw__query)q, name, sizeof(name));
        PGresult *res = PQprepare(db->conn, name, pw__query_sql((enum pw__query)q, true), 0, NULL);
        bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok) {
            char doing[96];
            (void)snprintf(doing, sizeof(doing), "prepare query %s",
                           pw__query_name((enum pw__query)q));
            fail_result(db, res, doing, err);
        }
        PQclear(res);
        if (!ok) {
            return PW_EDB;
        }
    }
    return PW_OK;
}

/* Renders the parameters as text; numbers are formatted into scratch. */
static enum pw_status
render_params(enum pw__query q, const struct pw__param *params, size_t n, const char **values,
              char scratch[][32], struct pw_error *err)
{
    if (n > MAX_PARAMS) {
        return pw_fail(err, PW_EINTERNAL, "query %s has too many parameters", pw__query_name(q));
    }
    for (size_t i = 0; i < n; i++) {
        const struct pw__param *p = &params[i];
        switch (p->type) {
        case PW_P_NULL:
            values[i] = NULL;
            break;
        case PW_P_INT:
            (void)snprintf(scratch[i], 32, "%" PRId64, p->i);
            values[i] = scratch[i];
            break;
        case PW_P_REAL:
            (void)snprintf(scratch[i], 32, "%.17g", p->r);
            values[i] = scratch[i];
            break;
        case PW_P_TEXT:
            values[i] = p->s;
            break;
        }
    }
    return PW_OK;
}

static enum pw_status
pg_query(struct pw__db *db, enum pw__query q, const struct pw__param *params, size_t n,
         pw__row_fn fn, void *ctx, struct pw_error *err)
{
    const char *values[MAX_PARAMS];
    char scratch[MAX_PARAMS][32];
    char name[32];
    enum pw_status rc = render_params(q, params, n, values, scratch, err);
    if (rc != PW_OK) {
        return rc;
    }
    statement_name(q, name, sizeof(name));
    PGresult *res = PQexecPrepared(db->conn, name, (int)n, values, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char doing[96];
        (void)snprintf(doing, sizeof(doing), "run query %s", pw__query_name(q));
        rc = fail_result(db, res, doing, err);
    }
    int rows = st == PGRES_TUPLES_OK ? PQntuples(res) : 0;
    for (int r = 0; rc == PW_OK && fn != NULL && r < rows; r++) {
        struct pw__row row = { res, r };
        rc = fn(ctx, &row, err);
    }
    PQclear(res);
    return rc;
}

static enum pw_status
pg_begin(struct pw__db *db, bool write, struct pw_error *err)
{
    /* A read sees one snapshot across its pages; writers serialise on the log head. */
    enum pw_status rc =
        pg_exec(db, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
    if (rc == PW_OK) {
        db->in_tx = true;
    }
    return rc;
}

static enum pw_status
pg_commit(struct pw__db *db, struct pw_error *err)
{
    PGresult *res = PQexec(db->conn, "COMMIT");
    enum pw_status rc = PW_OK;
    /* A failed transaction answers COMMIT with ROLLBACK: that is a failure too. */
    if (PQresultStatus(res) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        rc = fail_result(db, res, "commit", err);
    }
    PQclear(res);
    db->in_tx = false;
    return rc;
}

static void
pg_rollback(struct pw__db *db)
{
    if (db->in_tx || PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        PQclear(PQexec(db->conn, "ROLLBACK"));
    }
    db->in_tx = false;
}

static bool
pg_is_null(const struct pw__row *row, int col)
{
    return PQgetisnull(row->res, row->row, col) != 0;
}

static int64_t
pg_get_int(const struct pw__row *row, int col)
{
    return strtoll(PQgetvalue(row->res, row->row, col), NULL, 10);
}

static double
pg_get_real(const struct pw__row *row, int col)
{
    return strtod(PQgetvalue(row->res, row->row, col), NULL);
}

static const char *
pg_get_text(const struct pw__row *row, int col)
{
    return PQgetvalue(row->res, row->row, col); /* "" for NULL */
}

/* Notices (a server shutting down, say) are not errors: errors come back as results. */
static void
ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void
pg_close(struct pw__db *db)
{
    if (db == NULL) {
        return;
    }
    PQfinish(db->conn);
    free(db);
}

static enum pw_status
pg_is_initialised(struct pw__db *db, bool *yes, struct pw_error *err)
{
    int64_t n = 0;
    enum pw_status rc =
        pg_scalar(db,
                  "SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations' "
                  "AND schemaname = current_schema()",
                  &n, err);
    *yes = n > 0;
    return rc;
}

static const struct pw__driver pg_driver = {
    .name = "postgresql",
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .query = pg_query,
    .exec = pg_exec,
    .scalar = pg_scalar,
    .prepare_all = pg_prepare_all,
    .is_null = pg_is_null,
    .get_int = pg_get_int,
    .get_real = pg_get_real,
    .get_text = pg_get_text,
    .close = pg_close,
};

/*
 * The database itself must exist (creating one needs an administrator); PW_STORE_NEW refuses
 * one that already holds a Pathway store, and without PW_STORE_CREATE one that does not is
 * not found. The target is never echoed: a connection URI may hold a password.
 */
enum pw_status
pw__pg_open(const char *uri, unsigned flags, struct pw__db **out, const struct pw__driver **drv,
            struct pw_error *err)
{
    struct pw__db *db = pw_xcalloc(1, sizeof(*db));
    enum pw_status rc = PW_OK;
    bool initialised = false;
    char line[256];
    db->conn = PQconnectdb(uri);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        first_line(PQerrorMessage(db->conn), line, sizeof(line));
        rc = pw_fail(err, PW_EDB, "could not connect to PostgreSQL: %s", line);
        goto out;
    }
    PQsetNoticeProcessor(db->conn, ignore_notice, NULL);
    PQclear(PQexec(db->conn, "SET client_min_messages = warning"));
    rc = pg_is_initialised(db, &initialised, err);
    if (rc != PW_OK) {
        goto out;
    }
    if (initialised && (flags & PW_STORE_NEW) != 0) {
        rc = pw_fail(err, PW_ECONFLICT,
                     "that PostgreSQL database already holds a Pathway store: name a new, empty "
                     "database");
        goto out;
    }
    if (!initialised && (flags & PW_STORE_CREATE) == 0) {
        rc = pw_fail(err, PW_ENOTFOUND,
                     "that PostgreSQL database holds no Pathway store: create one with "
                     "`pathway init`");
        goto out;
    }
    *out = db;
    *drv = &pg_driver;
    db = NULL;
out:
    pg_close(db);
    return rc;
}
