# pathway audit verify and head, against direct edits of the SQLite file.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: run scripts/setup.sh" >&2; exit 1; }
"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

run audit verify
expect_rc 0 "an untouched log verifies"
expect_out "intact: 43 entries verified" "and says how many"

run audit head
expect_rc 0 "audit head"
anchor=$out
if [[ "$anchor" =~ ^43:[0-9a-f]{64}$ ]]; then ok; else bad "head is SEQ:HASH"; fi
run audit verify --anchor "$anchor"
expect_rc 0 "the anchor matches"

# The hash of an entry can be recomputed by anyone with sha256sum.
row=$(sqlite3 "$PATHWAY_DB" "SELECT prev_hash || char(10) || seq || char(10) || recorded_at || char(10) || body FROM fact_log WHERE seq = 12")
want=$(sqlite3 "$PATHWAY_DB" "SELECT hash FROM fact_log WHERE seq = 12")
got=$(printf '%s' "$row" | sha256sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok; else bad "entry 12's hash is not sha256 of what the docs say"; fi

# The log refuses edits through SQL while its guard triggers stand.
if sqlite3 "$PATHWAY_DB" "UPDATE fact_log SET by_user = 'x' WHERE seq = 1" 2>/dev/null; then
    bad "an UPDATE of the log was allowed"
else ok; fi

cp "$PATHWAY_DB" "$WORK/pristine.db"
unlock="DROP TRIGGER fact_log_no_update; DROP TRIGGER fact_log_no_delete;"

# 1. Someone softens a risk record: the entry is found.
sqlite3 "$PATHWAY_DB" "$unlock UPDATE fact_log SET body = replace(body, '\"sexual\":true', '\"sexual\":false') WHERE seq = 12"
run audit verify
expect_rc 1 "an altered entry fails verification"
expect_out "broken at 12" "the first broken position is 12"
expect_out "11 entries verified before it" "and how far it was good"
expect_err "first broken at 12" "stderr says so too"

# 2. Someone removes an entry from the middle.
cp "$WORK/pristine.db" "$PATHWAY_DB"
sqlite3 "$PATHWAY_DB" "$unlock DELETE FROM fact_log WHERE seq = 20"
run audit verify
expect_rc 1 "a removed entry fails verification"
expect_out "broken at 20" "at the gap"

# 3. Someone removes the last entries.
cp "$WORK/pristine.db" "$PATHWAY_DB"
sqlite3 "$PATHWAY_DB" "$unlock DELETE FROM fact_log WHERE seq > 40"
run audit verify
expect_rc 1 "a removed tail fails verification"
expect_out "broken at 41" "just after the last kept"

# 4. ...and rewrites the head to match: only the anchor kept elsewhere catches it.
sqlite3 "$PATHWAY_DB" "UPDATE log_head SET seq = 40, hash = (SELECT hash FROM fact_log WHERE seq = 40)"
run audit verify
expect_rc 0 "a consistent truncation passes the chain alone"
run audit verify --anchor "$anchor"
expect_rc 1 "but not the anchor"
expect_out "broken at 43" "the anchored entry is missing"

# 5. Someone inserts an entry of their own with a made-up hash.
cp "$WORK/pristine.db" "$PATHWAY_DB"
sqlite3 "$PATHWAY_DB" "INSERT INTO fact_log SELECT 44, 'fake-1', type, at, at_key, agency, by_user, NULL, sensitivity, recorded_at, body, hash, hash FROM fact_log WHERE seq = 43; UPDATE log_head SET seq = 44, hash = (SELECT hash FROM fact_log WHERE seq = 44)"
run audit verify
expect_rc 1 "an inserted entry fails verification"
expect_out "broken at 44" "at the inserted entry"

# 6. Someone changes who recorded a fact in the column beside the body.
cp "$WORK/pristine.db" "$PATHWAY_DB"
sqlite3 "$PATHWAY_DB" "$unlock UPDATE fact_log SET by_user = 'someone.else' WHERE seq = 3"
run audit verify
expect_rc 1 "an edited column fails verification"
expect_out "broken at 3" "at that entry"

run audit verify --anchor nonsense
expect_rc 2 "a malformed anchor"
run audit
expect_rc 2 "audit needs verify or head"

finish
