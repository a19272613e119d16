# pathway copy: a partnership moves between backends with its log and chain intact.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null
head=$("$PATHWAY" audit head)
"$PATHWAY" dump >"$WORK/source.txt"

# To a new SQLite file (from PostgreSQL on the .pg run: the copy to inspect offline).
run copy --from "$PATHWAY_DB" --to "$WORK/copy.db"
expect_rc 0 "copy to a new SQLite file"
expect_out "copied 43 facts" "says how many"
expect_out "the copy verifies: 43 entries, head $head" "verified against the source's head"
expect_no_out "postgresql://" "never prints a URI"
run --db "$WORK/copy.db" audit verify --anchor "$head"
expect_rc 0 "the copy verifies with the source's anchor"
"$PATHWAY" --db "$WORK/copy.db" dump >"$WORK/copy.txt"
if cmp -s "$WORK/source.txt" "$WORK/copy.txt"; then ok; else bad "the copy's derived tables differ"; fi

# And back, into a new store on this run's backend.
if is_postgres; then
    target=$(pg_new_database back) || die "could not make a second database"
else
    target="$WORK/back.db"
fi
run copy --from "$WORK/copy.db" --to "$target"
expect_rc 0 "copy back"
run --db "$target" audit head
if [ "$out" = "$head" ]; then ok; else bad "the round trip keeps the head"; fi
"$PATHWAY" --db "$target" dump >"$WORK/back.txt"
if cmp -s "$WORK/source.txt" "$WORK/back.txt"; then ok; else bad "the round trip changed the derived tables"; fi

# The copy is a working store.
echo '{"type":"school.recorded","id":"t-1","at":"2025-09-01","agency":"education","by":"dsl.ward","child":"p-noah-h","setting":"Meanwood Primary School"}' >"$WORK/more.jsonl"
run --db "$target" record "$WORK/more.jsonl"
expect_out "the log is at 44" "takes new facts after the copy"

# Refusals: a target that exists, a source that does not verify, a missing argument.
run copy --from "$PATHWAY_DB" --to "$WORK/copy.db"
expect_rc 5 "a target that already exists"
expect_err "already exists" "says so"
run copy --from "$PATHWAY_DB" --to "$target"
expect_rc 5 "a target that already holds a store"
unlock_log
sql "UPDATE fact_log SET body = replace(body, 'Deano', 'Dino') WHERE seq = 11"
run copy --from "$PATHWAY_DB" --to "$WORK/broken-copy.db"
expect_rc 1 "a source that does not verify is not copied"
expect_err "broken at 11" "names where"
if [ ! -e "$WORK/broken-copy.db" ]; then ok; else bad "no target is created from a broken source"; fi
run copy --from "$PATHWAY_DB"
expect_rc 2 "copy needs --to"

finish
