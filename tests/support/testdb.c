/* Test databases on SQLite or PostgreSQL (see testdb.h). */
#include "testdb.h"

#include <ctype.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counter;

static int
read_admin_url(char *out, size_t size)
{
    const char *file = getenv("PW_TEST_PG_URL_FILE");
    FILE *f = file != NULL ? fopen(file, "r") : NULL;
    if (f == NULL) {
        fprintf(stderr,
                "testdb: PW_TEST_BACKEND=postgresql but no server URL file (%s): is the "
                "pg.server.start fixture running?\n",
                file != NULL ? file : "PW_TEST_PG_URL_FILE unset");
        return -1;
    }
    bool ok = fgets(out, (int)size, f) != NULL;
    fclose(f);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0] != '\0' ? 0 : -1;
}

static int
pg_exec_on(const char *url, const char *sql, bool loud)
{
    PGconn *c = PQconnectdb(url);
    int rc = -1;
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: cannot connect: %s", PQerrorMessage(c));
    } else {
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
        if (rc != 0 && loud) {
            fprintf(stderr, "testdb: %s", PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    PQfinish(c);
    return rc;
}

/* The admin URL with its database name replaced by name. */
static void
url_for(const char *admin, const char *name, char *out, size_t size)
{
    const char *slash = strrchr(admin, '/');
    int keep = slash != NULL ? (int)(slash - admin) : (int)strlen(admin);
    (void)snprintf(out, size, "%.*s/%s", keep, admin, name);
}

static int
create_pg(struct pw_testdb *t, const char *tag)
{
    char sql[160];
    if (read_admin_url(t->admin, sizeof(t->admin)) != 0) {
        return -1;
    }
    (void)snprintf(t->name, sizeof(t->name), "pw_%s_%d_%d", tag, (int)getpid(), counter++);
    /* A tag may hold characters an unquoted SQL name may not ("copy-back"). */
    for (char *p = t->name; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p)) {
            *p = '_';
        }
    }
    (void)snprintf(sql, sizeof(sql), "CREATE DATABASE %s", t->name);
    if (pg_exec_on(t->admin, sql, true) != 0) {
        return -1;
    }
    url_for(t->admin, t->name, t->target, sizeof(t->target));
    return 0;
}

static int
create_sqlite(struct pw_testdb *t, const char *tag)
{
    (void)snprintf(t->dir, sizeof(t->dir), "/tmp/pw-%s-XXXXXX", tag);
    if (mkdtemp(t->dir) == NULL) {
        perror("testdb: mkdtemp");
        return -1;
    }
    (void)snprintf(t->target, sizeof(t->target), "%s/t%d.db", t->dir, counter++);
    return 0;
}

int
pw_testdb_create(struct pw_testdb *t, const char *tag)
{
    const char *backend = getenv("PW_TEST_BACKEND");
    memset(t, 0, sizeof(*t));
    t->postgres = backend != NULL && strcmp(backend, "postgresql") == 0;
    return t->postgres ? create_pg(t, tag) : create_sqlite(t, tag);
}

int
pw_testdb_create_on(struct pw_testdb *t, const char *tag, bool postgres)
{
    memset(t, 0, sizeof(*t));
    t->postgres = postgres;
    return postgres ? create_pg(t, tag) : create_sqlite(t, tag);
}

void
pw_testdb_drop(struct pw_testdb *t)
{
    char cmd[160];
    if (t->postgres && t->name[0] != '\0') {
        (void)snprintf(cmd, sizeof(cmd), "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
        (void)pg_exec_on(t->admin, cmd, true);
    } else if (!t->postgres && t->dir[0] != '\0') {
        (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "testdb: could not remove %s\n", t->dir);
        }
    }
    memset(t, 0, sizeof(*t));
}

int
pw_testdb_exec(const struct pw_testdb *t, const char *sql, bool loud)
{
    if (t->postgres) {
        return pg_exec_on(t->target, sql, loud);
    }
    sqlite3 *db = NULL;
    char *msg = NULL;
    int rc = sqlite3_open(t->target, &db) == SQLITE_OK ? 0 : -1;
    if (rc == 0 && sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (loud) {
            fprintf(stderr, "testdb: %s\n", msg);
        }
        rc = -1;
    }
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc;
}

int
pw_testdb_open_store(struct pw_testdb *t, const char *tag, struct pw_store **out)
{
    struct pw_error err = { 0 };
    if (pw_testdb_create(t, tag) != 0) {
        return -1;
    }
    if (pw_store_open(t->target, PW_STORE_CREATE | PW_STORE_NEW, out, &err) != PW_OK) {
        fprintf(stderr, "testdb: could not create the store: %s\n", err.msg);
        pw_testdb_drop(t);
        return -1;
    }
    return 0;
}

int
pw_store_fixture_setup(void **state)
{
    struct pw_store_fixture *fx = calloc(1, sizeof(*fx));
    if (fx == NULL || pw_testdb_open_store(&fx->db, "store", &fx->s) != 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

int
pw_store_fixture_teardown(void **state)
{
    struct pw_store_fixture *fx = *state;
    pw_store_close(fx->s);
    pw_testdb_drop(&fx->db);
    free(fx);
    return 0;
}

enum pw_status
pw_test_record(struct pw_store *s, const char *const *lines, size_t n,
               struct pw_record_outcome *out, struct pw_error *err)
{
    struct pw_fact *facts = calloc(n == 0 ? 1 : n, sizeof(*facts));
    struct pw_fact_parse_opts opts = { "tester", 0 };
    struct pw_record_outcome ignored;
    enum pw_status rc = PW_OK;
    for (size_t i = 0; i < n && rc == PW_OK; i++) {
        rc = pw_fact_parse(lines[i], strlen(lines[i]), &opts, &facts[i], err);
    }
    if (rc == PW_OK) {
        rc = pw_store_record(s, facts, n, out != NULL ? out : &ignored, err);
    }
    for (size_t i = 0; i < n; i++) {
        pw_fact_release(&facts[i]);
    }
    free(facts);
    return rc;
}

#define PARTNERSHIP_LINES 256

enum pw_status
pw_test_record_partnership(struct pw_store *s, struct pw_error *err)
{
    const char *data = getenv("PW_TEST_DATA"); /* NOLINT(concurrency-mt-unsafe) */
    char path[1024];
    (void)snprintf(path, sizeof(path), "%s/../../examples/partnership.jsonl",
                   data != NULL ? data : "tests/data");
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return pw_fail(err, PW_EIO, "%s cannot be read", path);
    }
    char *lines[PARTNERSHIP_LINES];
    char line[8192];
    size_t n = 0;
    enum pw_status rc = PW_OK;
    while (rc == PW_OK && fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0') {
            continue;
        }
        json_t *fact = json_loads(line, 0, NULL);
        if (fact == NULL || n == PARTNERSHIP_LINES) {
            rc = pw_fail(err, PW_EINVAL, "%s: line %zu is not JSON, or one too many", path, n + 1);
            json_decref(fact);
            break;
        }
        /* Recorded here by "tester": the file's own "by" would name someone else. */
        (void)json_object_del(fact, "by");
        lines[n++] = json_dumps(fact, JSON_COMPACT);
        json_decref(fact);
    }
    (void)fclose(f);
    if (rc == PW_OK) {
        rc = pw_test_record(s, (const char *const *)lines, n, NULL, err);
    }
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    return rc;
}

const char *
pw_testdb_unlock_sql(const struct pw_testdb *t)
{
    return t->postgres ? "DROP TRIGGER fact_log_no_change ON fact_log;"
                       : "DROP TRIGGER fact_log_no_update; DROP TRIGGER fact_log_no_delete;";
}
