# pathway init, the database argument, help and usage errors.
. "$(dirname "$0")/lib.sh"

run init
expect_rc 0 "init creates a database"
expect_out "created $PATHWAY_DB" "init says what it made"

run init
expect_rc 5 "init refuses an existing database"
expect_err "already exists" "init says why"

unset PATHWAY_DB
run facts
expect_rc 2 "no database named"
expect_err "--db FILE or set PATHWAY_DB" "the error says how to name one"

run --db "$WORK/missing.db" facts
expect_rc 4 "a missing database is not found"
expect_err "pathway init --db $WORK/missing.db" "the error says how to create it"

echo "a shopping list, not a database, but long enough to look like a file header" >"$WORK/list.db"
run --db "$WORK/list.db" facts
expect_rc 10 "a file that is not a database"
expect_err "is not a Pathway database" "says it is not a database"

run --db "$WORK/test.db" facts
expect_rc 0 "--db before the command"
expect_out "no facts" "an empty log says so"
run facts --db "$WORK/test.db"
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
run --db "$WORK/test.db" facts --colour
expect_rc 2 "an unknown option"
expect_err "unknown option --colour" "names it"
run --db "$WORK/test.db" facts --type person.registerd
expect_rc 2 "an unknown fact type"
expect_err "is not a fact type" "says so"
run
expect_rc 2 "no command at all"

finish
