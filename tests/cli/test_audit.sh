# pathway audit verify and head, against direct edits of the database (SQLite or PostgreSQL).
. "$(dirname "$0")/lib.sh"

require_sql_client
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
nl=$SQL_NEWLINE
row=$(sql "SELECT prev_hash || $nl || seq || $nl || recorded_at || $nl || body FROM fact_log WHERE seq = 12")
want=$(sql "SELECT hash FROM fact_log WHERE seq = 12")
got=$(printf '%s' "$row" | sha256sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok; else bad "entry 12's hash is not sha256 of what the docs say"; fi

# The log refuses edits through SQL while its guard triggers stand.
if sql_may_fail "UPDATE fact_log SET by_user = 'x' WHERE seq = 1"; then
    bad "an UPDATE of the log was allowed"
else ok; fi
if sql_may_fail "DELETE FROM fact_log WHERE seq = 1"; then
    bad "a DELETE from the log was allowed"
else ok; fi

snapshot pristine

# 1. Someone softens a risk record: the entry is found.
unlock_log
sql "UPDATE fact_log SET body = replace(body, '\"sexual\":true', '\"sexual\":false') WHERE seq = 12"
run audit verify
expect_rc 1 "an altered entry fails verification"
expect_out "broken at 12" "the first broken position is 12"
expect_out "11 entries verified before it" "and how far it was good"
expect_err "first broken at 12" "stderr says so too"

# 2. Someone removes an entry from the middle.
restore pristine
unlock_log
sql "DELETE FROM fact_log WHERE seq = 20"
run audit verify
expect_rc 1 "a removed entry fails verification"
expect_out "broken at 20" "at the gap"

# 3. Someone removes the last entries.
restore pristine
unlock_log
sql "DELETE FROM fact_log WHERE seq > 40"
run audit verify
expect_rc 1 "a removed tail fails verification"
expect_out "broken at 41" "just after the last kept"

# 4. ...and rewrites the head to match: only the anchor kept elsewhere catches it.
sql "UPDATE log_head SET seq = 40, hash = (SELECT hash FROM fact_log WHERE seq = 40)"
run audit verify
expect_rc 0 "a consistent truncation passes the chain alone"
run audit verify --anchor "$anchor"
expect_rc 1 "but not the anchor"
expect_out "broken at 43" "the anchored entry is missing"

# 5. Someone inserts an entry of their own with a made-up hash.
restore pristine
sql "INSERT INTO fact_log SELECT 44, 'fake-1', type, at, at_key, agency, by_user, NULL, sensitivity, recorded_at, body, hash, hash FROM fact_log WHERE seq = 43; UPDATE log_head SET seq = 44, hash = (SELECT hash FROM fact_log WHERE seq = 44)"
run audit verify
expect_rc 1 "an inserted entry fails verification"
expect_out "broken at 44" "at the inserted entry"

# 6. Someone changes who recorded a fact in the column beside the body.
restore pristine
unlock_log
sql "UPDATE fact_log SET by_user = 'someone.else' WHERE seq = 3"
run audit verify
expect_rc 1 "an edited column fails verification"
expect_out "broken at 3" "at that entry"

run audit verify --anchor nonsense
expect_rc 2 "a malformed anchor"
run audit
expect_rc 2 "audit needs verify or head"

finish
