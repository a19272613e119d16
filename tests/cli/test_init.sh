# pathway init, the database argument (a file or a PostgreSQL URI), help and usage errors.
. "$(dirname "$0")/lib.sh"
db=$PATHWAY_DB # the test's own database, named with --db once PATHWAY_DB is unset below

# What init says, and what it refuses, on a database file.
sqlite_init_checks() {
    run init
    expect_rc 0 "init creates a database"
    expect_out "created $db" "init says what it made"

    run init
    expect_rc 5 "init refuses an existing database"
    expect_err "already exists" "init says why"
}

# with_password URL: the URL with a password for its user. The test server trusts loopback
# connections, so the password is never checked; it is there to be looked for in the output.
secret=pw-secret-7f3a
with_password() {
    local url=${1/#postgresql:\/\/pathway@/postgresql://pathway:$secret@}
    [[ "$url" == *"$secret"* ]] || die "cannot add a password to $1 (user pathway expected)"
    echo "$url"
}

# The same on a PostgreSQL database, which must exist already (creating one needs an
# administrator): init puts a Pathway store in it, once. A URI may hold a password, so
# nothing pathway prints may echo it.
postgres_init_checks() {
    local url
    url=$(with_password "$db") || exit 1
    run --db "$url" init
    expect_rc 0 "init creates a store in the empty database"
    expect_out "created a Pathway store" "init says what it made"
    expect_no_out "postgresql://" "init does not echo the URI"
    expect_no_out "$secret" "nor the password"
    expect_no_err "$secret" "nor on stderr"

    run --db "$url" init
    expect_rc 5 "init refuses a database that already holds a store"
    expect_err "already holds a Pathway store" "init says why"
    expect_no_err "$secret" "without echoing the password"
}

# Databases pathway cannot use, as files: missing, or not a database at all.
sqlite_unusable_checks() {
    run --db "$WORK/missing.db" facts
    expect_rc 4 "a missing database is not found"
    expect_err "pathway init --db $WORK/missing.db" "the error says how to create it"

    echo "a shopping list, not a database, but long enough to look like a file header" >"$WORK/list.db"
    run --db "$WORK/list.db" facts
    expect_rc 10 "a file that is not a database"
    expect_err "is not a Pathway database" "says it is not a database"
}

# The same on PostgreSQL: a database with no store in it, and a server that is not there.
postgres_unusable_checks() {
    local empty
    empty=$(pg_new_database empty) || die "could not create a second, empty database"
    empty=$(with_password "$empty") || exit 1
    run --db "$empty" facts
    expect_rc 4 "a database with no Pathway store is not found"
    expect_err "pathway init" "the error says how to create one"
    expect_no_err "$secret" "without echoing the password"

    run --db "postgresql://pathway:$secret@127.0.0.1:1/none" facts
    expect_rc 10 "an unreachable server"
    expect_err "could not connect to PostgreSQL" "says it could not connect"
    expect_no_err "$secret" "without echoing the password"
}

if is_postgres; then postgres_init_checks; else sqlite_init_checks; fi

unset PATHWAY_DB
run facts
expect_rc 2 "no database named"
expect_err "use --db FILE or --db postgresql://... or set PATHWAY_DB" "the error says how to name one"

if is_postgres; then postgres_unusable_checks; else sqlite_unusable_checks; fi

run --db "$db" facts
expect_rc 0 "--db before the command"
expect_out "no facts" "an empty log says so"
run facts --db "$db"
expect_rc 0 "--db after the command"

for cmd in init record facts household audit rebuild dump calendar; do
    run "$cmd" --help
    if [ "$rc" -eq 0 ] && [[ "$out" == *"usage: pathway $cmd"* ]]; then ok; else bad "$cmd --help"; fi
done
run --help
expect_rc 0 "pathway --help"
expect_out "exit codes:" "the help documents exit codes"

run frobnicate
expect_rc 2 "an unknown command"
expect_err 'unknown command "frobnicate"' "names it"
run --db "$db" facts --colour
expect_rc 2 "an unknown option"
expect_err "unknown option --colour" "names it"
run --db "$db" facts --type person.registerd
expect_rc 2 "an unknown fact type"
expect_err "is not a fact type" "says so"
run
expect_rc 2 "no command at all"

finish
