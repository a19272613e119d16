# Shared helpers for the CLI tests: each test file sources this, runs `pathway` against a fresh
# database in a fresh temporary folder, and ends with `finish`, which prints the counts and exits
# non-zero if anything failed.
#
# The backend comes from the environment CTest sets for the `.pg` twin of each test:
#   PW_TEST_BACKEND       unset or "sqlite": a database file in the temporary folder;
#                         "postgresql": a database of its own on the test server
#   PW_TEST_PG_URL_FILE   (postgresql) a file holding the server's admin URL, ending /postgres
# Tests that work behind pathway's back use the helpers below (sql, sql_may_fail, unlock_log,
# snapshot, restore) so the same script checks both backends.
set -u
: "${PATHWAY:?set PATHWAY to the pathway binary}"
: "${PW_SOURCE:?set PW_SOURCE to the source tree}"
EXAMPLES="$PW_SOURCE/examples"
WORK=$(mktemp -d /tmp/pw-cli-XXXXXX)
unset PATHWAY_USER
passed=0
failed=0
# What `bad` prints, before the first `run` has set them (set -u would stop the script).
rc=none
out=
errs=

# die MESSAGE: the test cannot run at all (a broken setup is a failure, never a quiet skip).
die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

# --- the backend under test -------------------------------------------------------------------

BACKEND=${PW_TEST_BACKEND:-sqlite}
case "$BACKEND" in
sqlite | postgresql) ;;
*) rm -rf "$WORK"; die "PW_TEST_BACKEND=$BACKEND: expected sqlite or postgresql" ;;
esac

# is_postgres: true when this run is the PostgreSQL twin.
is_postgres() {
    [ "$BACKEND" = postgresql ]
}

# psql_on URL: psql reading SQL from stdin, stopping at the first error with a non-zero exit,
# printing bare rows (-tA: no headers, '|' between columns, like the sqlite3 shell) and no
# command tags (-q). -X ignores any ~/.psqlrc; the timeout keeps a dead server from hanging.
psql_on() {
    PGCONNECT_TIMEOUT=10 psql -X -q -t -A -v ON_ERROR_STOP=1 "$1"
}

# pg_admin SQL: run SQL on the server's maintenance database (creating and dropping ours).
pg_admin() {
    psql_on "$PG_ADMIN_URL" >/dev/null <<<"$1"
}

# pg_drop_family: drop this test's database and every snapshot of it. They are found by name
# (see PG_DB below), so databases made in a subshell are found too. WITH (FORCE) ends any
# connection still open, e.g. from a pathway killed mid-test.
pg_drop_family() {
    local names
    names=$(psql_on "$PG_ADMIN_URL" <<<"SELECT datname FROM pg_database
        WHERE datname = '$PG_DB' OR left(datname, length('$PG_DB') + 2) = '${PG_DB}__'") || return 1
    local name
    for name in $names; do
        pg_admin "DROP DATABASE IF EXISTS $name WITH (FORCE)" || echo "could not drop $name" >&2
    done
}

# pg_setup: read the admin URL, check the server answers, and make an empty database for this
# test. PATHWAY_DB is the admin URL with its database name (/postgres) replaced by ours.
pg_setup() {
    command -v psql >/dev/null || die "psql missing: run scripts/setup.sh"
    local file=${PW_TEST_PG_URL_FILE:-}
    [ -n "$file" ] || die "PW_TEST_BACKEND=postgresql but PW_TEST_PG_URL_FILE is not set"
    [ -s "$file" ] || die "PW_TEST_BACKEND=postgresql but no server URL in '$file':" \
        "is the pg.server.start fixture running? (tests/pg/server.sh start DIR)"
    PG_ADMIN_URL=$(head -n 1 "$file")
    [[ "$PG_ADMIN_URL" == postgresql://*/postgres ]] ||
        die "the admin URL in $file does not end in /postgres: $PG_ADMIN_URL"
    psql_on "$PG_ADMIN_URL" <<<"SELECT 1" >/dev/null ||
        die "the PostgreSQL server at $PG_ADMIN_URL does not answer"
    # Unique per test file and process, so tests may run in parallel on one server. Snapshots
    # and other databases of this test are named ${PG_DB}__NAME, and dropped with it.
    local test
    test=$(basename "$0" .sh)
    test=${test#test_}
    PG_DB=pw_cli_${test//[^a-z0-9_]/_}_$$
    pg_admin "CREATE DATABASE $PG_DB" || die "could not create database $PG_DB"
    export PATHWAY_DB="${PG_ADMIN_URL%/postgres}/$PG_DB"
}

# cleanup: on exit, whatever the outcome. Keeps the script's exit status.
cleanup() {
    if is_postgres && [ -n "${PG_DB:-}" ]; then
        pg_drop_family
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if is_postgres; then
    pg_setup
else
    export PATHWAY_DB="$WORK/test.db"
fi

# --- working on the database behind pathway's back --------------------------------------------

# The SQL for a newline character (for recomputing a hash, which joins fields with "\n").
if is_postgres; then SQL_NEWLINE="chr(10)"; else SQL_NEWLINE="char(10)"; fi

# require_sql_client: the tests that use `sql` call this first, so a missing shell is one
# clear message rather than a run of failed assertions.
require_sql_client() {
    if is_postgres; then
        command -v psql >/dev/null || die "psql missing: run scripts/setup.sh"
    else
        command -v sqlite3 >/dev/null || die "sqlite3 shell missing: run scripts/setup.sh"
    fi
}

# sql "STATEMENTS": run them on the test database, printing any rows (columns joined by '|').
# Each statement commits on its own on both backends; the first error stops with a non-zero
# exit and a message on stderr.
sql() {
    if is_postgres; then
        psql_on "$PATHWAY_DB" <<<"$1"
    else
        sqlite3 -bail "$PATHWAY_DB" "$1"
    fi
}

# sql_may_fail "STATEMENT": run it quietly and return its exit code (for checking what the
# database refuses).
sql_may_fail() {
    sql "$1" >/dev/null 2>&1
}

# unlock_log: drop the triggers that refuse UPDATE and DELETE on fact_log (src/store/
# migrations.c), so a test can tamper with the log as an attacker with database access could.
unlock_log() {
    if is_postgres; then
        sql "DROP TRIGGER fact_log_no_change ON fact_log;"
    else
        sql "DROP TRIGGER fact_log_no_update; DROP TRIGGER fact_log_no_delete;"
    fi
}

# check_snapshot_name NAME: snapshot names become parts of file and database names, and
# PostgreSQL quietly truncates names longer than 63 bytes (the URL would then be wrong).
check_snapshot_name() {
    [[ "$1" =~ ^[a-z0-9_]+$ ]] || die "snapshot name '$1': use lower-case letters, digits and _"
    if is_postgres && [ $((${#PG_DB} + 2 + ${#1})) -gt 63 ]; then
        die "database name ${PG_DB}__$1 is longer than 63 bytes"
    fi
}

# snapshot NAME: keep a copy of the whole database. Only while nothing has it open: pathway
# processes have exited.
snapshot() {
    check_snapshot_name "$1"
    if is_postgres; then
        pg_admin "CREATE DATABASE ${PG_DB}__$1 TEMPLATE $PG_DB" || die "could not snapshot $1"
    else
        # SQLite in WAL mode: committed pages may still sit in the -wal file beside the
        # database, and a copy of the main file alone would lose them. The last connection to
        # close checkpoints and removes the WAL, and pathway closes its connection, so normally
        # there is none; if one is left (a crashed process), fold it in before copying.
        if [ -e "$PATHWAY_DB-wal" ]; then
            sqlite3 "$PATHWAY_DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null ||
                die "could not checkpoint the WAL before snapshot $1"
        fi
        [ -s "$PATHWAY_DB-wal" ] && die "the WAL is not empty after a checkpoint: snapshot $1"
        cp "$PATHWAY_DB" "$WORK/snapshot-$1.db" || die "could not snapshot $1"
    fi
}

# restore NAME: put back the database kept by `snapshot NAME`; the snapshot stays for reuse.
restore() {
    check_snapshot_name "$1"
    if is_postgres; then
        # No FORCE: a connection still open here would be a pathway that did not close its
        # own, worth a loud failure. (DROP waits a few seconds for backends still exiting.)
        pg_admin "DROP DATABASE $PG_DB" || die "could not drop $PG_DB to restore $1"
        pg_admin "CREATE DATABASE $PG_DB TEMPLATE ${PG_DB}__$1" || die "could not restore $1"
    else
        [ -f "$WORK/snapshot-$1.db" ] || die "no snapshot $1"
        # A -wal or -shm left from the database being replaced belongs to it, not to the
        # snapshot: SQLite would replay that WAL over the restored file.
        rm -f "$PATHWAY_DB-wal" "$PATHWAY_DB-shm"
        cp "$WORK/snapshot-$1.db" "$PATHWAY_DB" || die "could not restore $1"
    fi
}

# pg_new_database NAME: (PostgreSQL) make another empty database beside the test's, dropped
# with it at exit, and print its URL.
pg_new_database() {
    check_snapshot_name "$1"
    pg_admin "CREATE DATABASE ${PG_DB}__$1" || return 1
    echo "${PG_ADMIN_URL%/postgres}/${PG_DB}__$1"
}

# --- running pathway and checking what it did -------------------------------------------------

# run ARGS...: runs pathway, keeping stdout in $out, stderr in $errs, exit code in $rc.
run() {
    out=$("$PATHWAY" "$@" 2>"$WORK/stderr")
    rc=$?
    errs=$(cat "$WORK/stderr")
}

ok() {
    passed=$((passed + 1))
}

bad() {
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
    echo "  exit: $rc" >&2
    echo "  stdout: ${out:0:600}" >&2
    echo "  stderr: ${errs:0:600}" >&2
}

# expect_rc CODE WHAT
expect_rc() {
    if [ "$rc" -eq "$1" ]; then ok; else bad "$2: expected exit $1"; fi
}

# expect_out TEXT WHAT: stdout contains TEXT
expect_out() {
    if [[ "$out" == *"$1"* ]]; then ok; else bad "$2: stdout lacks '$1'"; fi
}

# expect_err TEXT WHAT: stderr contains TEXT
expect_err() {
    if [[ "$errs" == *"$1"* ]]; then ok; else bad "$2: stderr lacks '$1'"; fi
}

# expect_no_out TEXT WHAT: stdout does not contain TEXT
expect_no_out() {
    if [[ "$out" != *"$1"* ]]; then ok; else bad "$2: stdout has '$1'"; fi
}

# expect_no_err TEXT WHAT: stderr does not contain TEXT
expect_no_err() {
    if [[ "$errs" != *"$1"* ]]; then ok; else bad "$2: stderr has '$1'"; fi
}

# Fingerprint of everything in the store: log head and every derived row.
fingerprint() {
    { "$PATHWAY" audit head; "$PATHWAY" dump; } 2>&1 | sha256sum | cut -d' ' -f1
}

finish() {
    echo "$passed passed, $failed failed ($BACKEND)"
    [ "$failed" -eq 0 ]
}
