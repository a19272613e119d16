# pathway user, access check, access break-glass, audit who and reads logged with --as
# (docs/access.md), on SQLite or PostgreSQL.
. "$(dirname "$0")/lib.sh"

require_sql_client
"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

# Users: a password from stdin only, never printed.
out=$(printf 'correct horse battery\n' | "$PATHWAY" user add sw.jones --agency csc --role practitioner --name "Sam Jones" --password-stdin 2>&1)
rc=$?
expect_rc 0 "user add with a password"
expect_no_out "horse" "the password is not printed"
run user add yj.lee --agency yjs --role practitioner --name "Yan Lee"
expect_rc 0 "user add without a password"
run user add dl.khan --agency csc --role data_lead --name "Dee Khan"
run user add aud.one --agency other --role auditor --name "Al Auditor"
run user add bad --agency army --role practitioner --name "X"
expect_rc 3 "an unknown agency"
expect_err "unknown agency army" "names it"
run user add bad2 --agency csc --role king --name "X"
expect_rc 3 "an unknown role"
run user add sw.jones --agency csc --role practitioner --name "Again"
expect_rc 5 "a taken id"
out=$(printf 'short\n' | "$PATHWAY" user password yj.lee 2>&1)
rc=$?
expect_rc 3 "a short password"
run user list
expect_out "sw.jones" "listed"
expect_out "[no password]" "who has none"
if sql "SELECT password_hash FROM users WHERE user_id = 'sw.jones'" | grep -q '^\$argon2id\$'; then ok; else bad "the hash is Argon2id"; fi

# The policy, as the data says: csc is in the open episode; youth justice is not.
run access check sw.jones p-lily-h
expect_rc 0 "csc practitioner in the open episode"
expect_out "basis: agency_involvement" "its basis"
run access check yj.lee p-lily-h
expect_rc 8 "youth justice has no relationship"
expect_out "basis: none" "no basis"
expect_out "break-glass" "and says how to get access"
run access check aud.one p-lily-h
expect_out "view: pseudonymised" "an auditor sees pseudonyms"
run access check dl.khan p-lily-h
expect_rc 8 "a data lead reads no case record"

# A read as a user is logged; a refused read is logged and prints nothing.
run chronology p-lily-h --as sw.jones
expect_rc 0 "chronology as sw.jones"
expect_out "Lily Hart" "shows the record"
run chronology p-lily-h --as yj.lee
expect_rc 8 "refused"
expect_no_out "Lily" "nothing of the record shown"
PATHWAY_USER=aud.one run chronology p-lily-h
expect_rc 0 "an auditor reads"
expect_no_out "Lily" "no names"
expect_no_out "p-lily-h" "no ids"
expect_out "ps-" "pseudonyms"
run picture p-lily-h --as sw.jones
expect_rc 0 "picture as sw.jones"
run chronology p-lily-h --as nobody
expect_rc 7 "an unknown acting user"

# Break-glass: a reason, a time limit, the data lead's list and review.
run access break-glass --as yj.lee --child p-lily-h --reason "too short"
expect_rc 3 "a short reason"
run access break-glass --as yj.lee --child p-lily-h --reason "Lily came into custody suite with her brother tonight" --hours 30
expect_rc 2 "more than 24 hours"
run access break-glass --as yj.lee --child p-lily-h --reason "Lily came into custody suite with her brother tonight" --hours 2
expect_rc 0 "break-glass"
grant=$(echo "$out" | grep -o 'bg-[0-9a-f]*' | head -1)
run access check yj.lee p-lily-h
expect_rc 0 "now allowed"
expect_out "basis: break_glass" "by break-glass"
run chronology p-lily-h --as yj.lee
expect_rc 0 "reads by break-glass"
run access break-glass list --as yj.lee
expect_rc 8 "only the data lead lists"
run access break-glass list --as dl.khan
expect_rc 0 "the data lead's list"
expect_out "$grant" "holds the grant"
expect_out "custody suite" "with its reason"
run access break-glass review "$grant" --as dl.khan --justified --note "checked with custody"
expect_rc 0 "reviewed"
run access break-glass list --as dl.khan
expect_no_out "$grant" "no longer awaiting review"
run access break-glass review "$grant" --as dl.khan --not-justified
expect_rc 5 "a review is final"

# Who looked at Lily's record, when and why.
run audit who p-lily-h --as sw.jones
expect_rc 8 "only the data lead asks"
run audit who p-lily-h --as dl.khan
expect_rc 0 "audit who"
expect_out "sw.jones" "the practitioner who read"
expect_out "agency_involvement" "and on what basis"
expect_out "denied" "the refused read"
expect_out "Lily came into custody suite" "the break-glass reason"
expect_out "aud.one" "the auditor"

# alerts --child and facts --person as a user: asked of the policy and logged like the chronology.
logged() { sql "SELECT count(*) FROM access_log" | tr -d ' '; }
n0=$(logged)
run alerts --child p-lily-h --as sw.jones --brief
expect_rc 0 "alerts as sw.jones"
expect_out "R01 p-lily-h" "shows the child's alerts"
[ "$(logged)" -gt "$n0" ] && ok || bad "the alerts look is on the access log"
n0=$(logged)
run alerts --child p-lily-h --as dl.khan
expect_rc 8 "a data lead reads no alerts of a child"
[ -z "$out" ] && ok || bad "a refused alerts read prints nothing: $out"
[ "$(logged)" -gt "$n0" ] && ok || bad "the refused alerts look is on the access log"
run alerts --child p-nobody-here --as sw.jones
expect_rc 8 "a child that does not exist is refused as one not readable"
PATHWAY_USER=aud.one run alerts --child p-lily-h
expect_rc 0 "an auditor's alerts"
expect_no_out "p-lily-h" "no ids"
expect_no_out "p-dean-c" "no subject ids"
expect_out '"child":"ps-' "pseudonyms"
PATHWAY_USER=sw.jones run alerts
expect_rc 2 "as a user, alerts name the child"
run alerts --child p-lily-h --brief
expect_rc 0 "the operator's view is unchanged"
n0=$(logged)
run facts --person p-lily-h --as sw.jones
expect_rc 0 "facts as sw.jones"
expect_out "person.registered" "the facts listed"
[ "$(logged)" -gt "$n0" ] && ok || bad "the facts look is on the access log"
run facts --person p-amara-o --as yj.lee
expect_rc 8 "facts refused without a relationship"
[ -z "$out" ] && ok || bad "a refused facts read prints nothing: $out"
run facts --as sw.jones
expect_rc 2 "as a user, facts name the person"
run access break-glass --as yj.lee --child p-amara-o --reason "Amara rang the youth offending team in distress tonight" --hours 1
expect_rc 0 "break-glass on Amara"
run facts --person p-amara-o --as yj.lee
expect_rc 0 "facts by break-glass"
expect_out "restricted: ask health" "the confidential health fact is redacted"
expect_no_out "self_harm" "its type and code are not shown"
run facts --person p-amara-o --as yj.lee --json
expect_out '"id":"cam-0201"' "the redacted fact is listed"
expect_out '"redacted":true' "as redacted"
expect_no_out "Cutting" "its note is not shown"
printf '%s\n' "$out" | grep '"cam-0201"' | grep -q '"hash"' && bad "the redacted fact carries a hash" || ok
PATHWAY_USER=aud.one run facts --person p-lily-h --json
expect_rc 0 "an auditor's facts"
expect_no_out "Lily" "no names"
expect_out '"pseudonymised":true' "pseudonymised"
run facts --person p-amara-o --json
expect_out "Cutting" "the operator's view is unchanged"
who=$("$PATHWAY" audit who p-amara-o --as dl.khan)
printf '%s' "$who" | grep -q 'yj.lee' && ok || bad "the facts looks are in audit who"

# Disabled users cannot act.
run user disable yj.lee
expect_rc 0 "disable"
run chronology p-lily-h --as yj.lee
expect_rc 7 "a disabled user cannot read"

# Both chains verify; the access log refuses edits; a tampered entry is found.
run audit verify
expect_rc 0 "both chains intact"
expect_out "access log intact" "the access log is checked"
if sql_may_fail "DELETE FROM access_log WHERE seq = 1"; then bad "a DELETE from the access log was allowed"; else ok; fi
if is_postgres; then
    sql "DROP TRIGGER access_log_no_change ON access_log;"
else
    sql "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;"
fi
sql "UPDATE access_log SET body = replace(body, 'denied', 'allowed')"
run audit verify
expect_rc 1 "a tampered access log fails"
expect_out "access log broken at" "says where"

finish
