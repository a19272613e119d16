# pathway alerts, tick, rules and picture on the example partnership: the alerts the rules
# raise and how they read on a given day, a refusal naming its rule, the recheck, and errors.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

# Dean Carter, with a sexual-offence history, moved in with Lily and Noah on 2025-05-20.
run alerts --child p-lily-h --now 2025-05-21
expect_rc 0 "alerts"
expect_out "R01 known-risk-joins-household  child p-lily-h  about p-dean-c" "R01 for Lily"
expect_out "lives with the child and is the partner" \
    "both routes in one alert"
expect_out "by 2025-05-27 (r01.discussion: 5 working days)" "the due date and the value applied"
expect_out "Why: Men with sexual-offence histories" "the finding"
run alerts --child p-lily-h --now 2025-05-28
expect_out "OVERDUE by 1 working day  R01" "overdue the next working day"
expect_out "Escalated to: the team managers of csc police" "escalated when overdue"

run alerts --now 2025-05-21 --json
expect_rc 0 "alerts --json"
if python3 -c 'import json,sys; a=json.load(sys.stdin); r=[x for x in a if x["rule"]=="R01" and x["child"]=="p-lily-h"][0]; assert set(["id","rule","strength","child","subject","status","due","agencies","because","resolved_by","message","finding"]) <= set(r); assert r["status"]=="open" and r["due"]=="2025-05-27" and r["subject"]=="p-dean-c" and "csc" in r["agencies"]' <<<"$out"; then
    ok
else
    bad "the JSON fields of rules.md"
fi

run alerts --status nonsense
expect_rc 2 "a bad status"
expect_err "--status" "names the option"
run alerts --child p-nobody
expect_rc 4 "an unknown child"

# A strategy discussion without a medical decision is refused, naming R07; nothing recorded.
cat >"$WORK/sd.jsonl" <<'FACTS'
{"type":"strategy.held","id":"csc-7001","at":"2025-06-20","agency":"csc","by":"sw.ade","episode":"e-hart-2025","children":["p-lily-h"],"attendees":[{"agency":"csc"},{"agency":"police"},{"agency":"health","csa_expertise":true}]}
FACTS
before=$(fingerprint)
run record "$WORK/sd.jsonl"
expect_rc 6 "refused by a rule"
expect_err "R07 medical-considered" "names the rule"
expect_err "nothing was recorded" "says nothing was recorded"
if [ "$(fingerprint)" = "$before" ]; then ok; else bad "the store is unchanged"; fi

# tick: what fell overdue since a day, and who it goes to.
run tick --since 2025-05-26 --now 2025-05-28 --dry-run
expect_rc 0 "tick"
expect_out "overdue  R01 known-risk-joins-household  child p-lily-h  due 2025-05-27" "fell overdue"

# The rules table and a clean recheck.
run rules
expect_out "R25  act       alerts-on-closed-records" "the table lists R25"
run rules show R03
expect_out "Peter" "the finding behind R03"
run rules recheck
expect_rc 0 "recheck"
expect_out "0 differences" "incremental and whole-store derivation agree"

# The picture of concern.
run picture p-lily-h --now 2025-07-01
expect_rc 0 "picture"
expect_out "Picture of concern for p-lily-h" "the picture"
run picture p-lily-h --now 2025-07-01 --json
if python3 -c 'import json,sys; p=json.load(sys.stdin); assert p["child"]=="p-lily-h" and "signs" in p and "score" in p and "open_alerts" in p' <<<"$out"; then ok; else bad "picture --json"; fi

finish
