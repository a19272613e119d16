# pathway facts and household on the example partnership.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

run facts
expect_rc 0 "facts"
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 44 ]; then ok; else bad "a header and 43 facts"; fi
run facts --person p-dean-c
expect_out "prob-0002" "his risk record"
expect_out "edu-0002" "the concern that names him as alleged"
expect_out "pol-0002" "his relationship"
expect_no_out "csc-0101" "not another family's facts"
run facts --type risk.recorded --json
expect_rc 0 "facts --json"
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]; then ok; else bad "two risk facts"; fi
expect_out '"seq":12' "the position is added"
expect_out '"hash":"' "and the hash"
expect_out '"by":"pp.osei"' "and who recorded it"

run household p-lily-h --on 2025-05-01
expect_rc 0 "household before he moved in"
expect_out "p-kerry-h" "mother"
expect_out "p-noah-h" "brother"
expect_no_out "p-dean-c" "not yet the mother's partner"
run household p-lily-h --on 2025-06-01
expect_out "p-dean-c" "after he moved in (police spelt the postcode differently)"
expect_out "(this person)" "marks the person asked about"
expect_out "Dean Cole (known as Deano Cole)" "his birth name with the name he is known by"
expect_out "! a risk of sexual harm is recorded: pathway facts --person p-dean-c" "flags his history"
if [ "$(grep -c '! a risk' <<<"$out")" -eq 1 ]; then ok; else bad "only he is flagged"; fi
run household p-ayaan-k --all
expect_out "4 Harehills Avenue" "the old address"
expect_out "Flat 2, 81 Roundhay Road" "the new address"
run household p-amara-o --on 2025-04-01
expect_out "p-grace-o" "the grandmother, matched by UPRN although the road is spelt differently"
run household p-nobody
expect_rc 4 "an unknown person"
run household p-lily-h --on 2025-13-01
expect_rc 3 "a bad date"
expect_err "--on" "names the option"
run household p-lily-h --on 2025-06-01 --all
expect_rc 2 "--on and --all together"

# A first line alone cannot be matched to anyone: the person is listed at it, with why nobody
# else is, rather than "no residence recorded".
cat >"$WORK/lane.jsonl" <<'JSON'
{"type":"person.registered","id":"q-reg-1","at":"2025-01-10","agency":"csc","by":"u-q","person":"p-q-lane","names":[{"given":"Lee"}]}
{"type":"residence.recorded","id":"q-res-1","at":"2025-01-10","agency":"csc","by":"u-q","person":"p-q-lane","address":{"line1":"12 Mill Lane"},"since":"2025-01-01"}
JSON
"$PATHWAY" record "$WORK/lane.jsonl" >/dev/null
run household p-q-lane --on 2025-03-01
expect_out "12 Mill Lane, from 2025-01-01" "listed at the address recorded"
expect_out "! this address has no postcode, town or UPRN" "says why nobody else is listed"
expect_no_out "no residence recorded" "not that there is no residence"

run calendar holidays 2026
expect_out "2026-12-28  Boxing Day (substitute day)" "bank holidays"
run calendar deadline 2025-12-24 3
expect_out "2025-12-30" "a deadline over Christmas"
run calendar between 2025-12-22 2026-01-02
if [ "$out" = "7" ]; then ok; else bad "22-24 and 29-31 December and 2 January: 7 working days"; fi

finish
