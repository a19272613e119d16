/*
 * A fresh database for one test, on the backend the test run asks for: SQLite (a file in a
 * new temporary folder) by default, PostgreSQL when PW_TEST_BACKEND=postgresql (a new
 * database on the throwaway server whose admin URL is in the file PW_TEST_PG_URL_FILE).
 * Also runs SQL behind the store's back, for tests that tamper with what it wrote.
 */
#ifndef PW_TESTS_TESTDB_H
#define PW_TESTS_TESTDB_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

struct pw_testdb {
    bool postgres;
    char target[512]; /* what pw_store_open takes */
    char admin[512];  /* PostgreSQL: the server's admin URL */
    char name[64];    /* PostgreSQL: the database's name */
    char dir[64];     /* SQLite: the temporary folder */
};

/**
 * Makes a new empty database (no Pathway schema yet). Returns 0, or -1 after printing why
 * (a PostgreSQL run without its server is a failure, never a silent SQLite run).
 */
int pw_testdb_create(struct pw_testdb *t, const char *tag);
/** Removes the database (PostgreSQL: drops it, closing other connections; SQLite: the folder). */
void pw_testdb_drop(struct pw_testdb *t);
/** Runs SQL statements directly on the database. Returns 0, or -1 (the error printed when loud). */
int pw_testdb_exec(const struct pw_testdb *t, const char *sql, bool loud);
/** SQL that drops the triggers guarding the fact log, as someone with the file might. */
const char *pw_testdb_unlock_sql(const struct pw_testdb *t);
/** A new database on the given backend whatever the run asks for (for copies between them). */
int pw_testdb_create_on(struct pw_testdb *t, const char *tag, bool postgres);

/**
 * A fresh database with a new, empty Pathway store in it: the fixture every store test starts
 * from. Returns 0, or -1 after printing why (and then nothing is left behind).
 */
int pw_testdb_open_store(struct pw_testdb *t, const char *tag, struct pw_store **out);

/** The cmocka fixture of the store tests: a fresh store on the run's backend. */
struct pw_store_fixture {
    struct pw_testdb db;
    struct pw_store *s;
};

/** cmocka setup and teardown making and removing a struct pw_store_fixture in *state. */
int pw_store_fixture_setup(void **state);
int pw_store_fixture_teardown(void **state);

/**
 * Parses JSON lines as facts recorded by "tester" and records them as one batch. Returns the
 * parse or store status; out may be NULL.
 */
enum pw_status pw_test_record(struct pw_store *s, const char *const *lines, size_t n,
                              struct pw_record_outcome *out, struct pw_error *err);
/**
 * Records examples/partnership.jsonl (Lily Hart's family; found from PW_TEST_DATA) as one
 * batch by "tester", the file's own "by" left out.
 */
enum pw_status pw_test_record_partnership(struct pw_store *s, struct pw_error *err);

#endif
