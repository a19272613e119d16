# pathway indicators, and facts naming an indicator the taxonomy does not know.
. "$(dirname "$0")/lib.sh"

run indicators
expect_rc 0 "indicators"
expect_out "Physical and medical" "grouped by category"
expect_out "What the child says or shows" "the child's own words and signs are a category"
expect_out "  sti: Sexually transmitted infection" "lists STIs"
expect_out "under 13: suspect" "with the strength by age"

run indicators --json
expect_rc 0 "indicators --json"
count=$(printf '%s\n' "$out" | grep -c '"code":')
if [ "$count" -ge 40 ]; then ok; else bad "at least 40 indicators, got $count"; fi
expect_out '"code":"forced_marriage_risk"' "forced marriage risk is there"

run indicators --age 11 --category physical_medical --json
expect_out '"code":"sti"' "filters by category"
expect_no_out '"category":"sexual_behaviour"' "and only that category"
if grep -q '"code":"sti".*"strength_at_age":"suspect"' <<<"$out" ||
    grep -q '"strength_at_age":"suspect".*"code":"sti"' <<<"$out"; then ok
else bad "an STI at 11 is suspect"; fi

run indicators --age 18
expect_rc 2 "an adult is not a child's age"
expect_err "0 to 17" "says the range"
run indicators --category feelings
expect_rc 2 "an unknown category"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null
echo '{"type":"indicator.observed","id":"t-1","at":"2025-06-20","agency":"education","by":"dsl.ward","child":"p-lily-h","code":"withdrawn_sad"}' >"$WORK/unknown.jsonl"
run record "$WORK/unknown.jsonl"
expect_rc 3 "an indicator the taxonomy does not know"
expect_err 'line 1: $.code:' "names where"
expect_err "pathway indicators lists them" "and where to look"

finish
