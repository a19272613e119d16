# pathway rebuild: the derived tables come back identical from the log alone.
. "$(dirname "$0")/lib.sh"
require_sql_client

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null
"$PATHWAY" dump >"$WORK/before.txt"
if [ "$(wc -l <"$WORK/before.txt")" -gt 100 ]; then ok; else bad "the dump has the derived rows"; fi

run rebuild
expect_rc 0 "rebuild"
expect_out "rebuilt the derived tables from 43 facts" "says how many facts it replayed"
"$PATHWAY" dump >"$WORK/after.txt"
if cmp -s "$WORK/before.txt" "$WORK/after.txt"; then ok; else bad "dump differs after rebuild"; diff "$WORK/before.txt" "$WORK/after.txt" | head >&2; fi

# Damage the derived tables directly; the log restores them.
sql "DELETE FROM residences; DELETE FROM people WHERE person_id = 'p-dean-c'; UPDATE risks SET sexual = 0"
run household p-lily-h --on 2025-06-01
expect_no_out "p-dean-c" "damaged tables lose the man in the household"
run rebuild
expect_rc 0 "rebuild after damage"
"$PATHWAY" dump >"$WORK/repaired.txt"
if cmp -s "$WORK/before.txt" "$WORK/repaired.txt"; then ok; else bad "rebuild did not restore the tables"; fi
run household p-lily-h --on 2025-06-01
expect_out "p-dean-c" "and he is back in the household"

finish
