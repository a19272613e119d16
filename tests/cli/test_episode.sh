# pathway episode on the example partnership: the Hart episode's stage and deadlines as of a
# given day, what a later conference and core group change, --json, and the errors.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

run episode e-hart-2025 --now 2025-07-10
expect_rc 0 "episode"
expect_out "episode e-hart-2025" "the episode"
expect_out "children: p-lily-h, p-noah-h" "its children"
expect_out "stage: section 47 enquiry" "its stage"
expect_out "initial child protection conference: OVERDUE by 4 working days" "the ICPC is overdue"
expect_out "15 working days from 2025-06-16 (csc-0011): due by 2025-07-04" "counted from the discussion"
expect_out "child and family assessment: due by 2025-08-14" "the assessment, 45 working days"
expect_out "referral decision: met on 2025-06-13 (csc-0010), on time" \
    "decided the next working day after the concern: on time"
expect_out "1 working day after 2025-06-12 (edu-0002): due by 2025-06-13" \
    "the concern started the clock"
expect_out "strategy discussion: met on 2025-06-16 (csc-0011), on time" \
    "decided on a Friday, held the next working day, Monday"
first=$(grep -m1 -E '^  [a-z]' <<<"$out")
if [[ "$first" == "  initial child protection conference: OVERDUE"* ]]; then ok; else bad "overdue first: $first"; fi
if ! grep -qE '^.{101,}' <<<"$out"; then ok; else bad "lines fit in 100 columns"; fi

run episode e-hart-2025 --now 2025-07-04
expect_out "initial child protection conference: due by 2025-07-04" "not overdue on the day"

# The conference a working day late, then the first core group on time.
cat >"$WORK/more.jsonl" <<'FACTS'
{"type":"meeting.held","id":"csc-9001","at":"2025-07-07","agency":"csc","by":"tm.brook","episode":"e-hart-2025","kind":"icpc"}
{"type":"meeting.held","id":"csc-9002","at":"2025-07-18","agency":"csc","by":"tm.brook","episode":"e-hart-2025","kind":"core_group"}
FACTS
"$PATHWAY" record "$WORK/more.jsonl" >/dev/null || bad "recording the conference"
run episode e-hart-2025 --now 2025-09-01
expect_out "stage: child protection plan: core groups and reviews" "the stage moves on"
expect_out "initial child protection conference: met on 2025-07-07 (csc-9001), 1 working day late" \
    "the ICPC late by one working day"
expect_out "first core group: met on 2025-07-18 (csc-9002), on time" "the first core group"
expect_out "child and family assessment: OVERDUE by 11 working days" "most overdue first"
expect_out "core group 2: OVERDUE by 1 working day" "six weeks from 18 July is Friday 29 August"
expect_out "6 weeks from 2025-07-18 (csc-9002): due by 2025-08-29" "counted in weeks"
expect_out "first review conference: due by 2025-10-07" "three months from the ICPC"

run episode e-hart-2025 --now 2025-09-01 --json
expect_rc 0 "--json"
quoted=${out//\'/\'\'}
got=$(sqlite3 :memory: "SELECT json_extract('$quoted', '\$.episode') || '|' ||
    json_extract('$quoted', '\$.stage') || '|' || json_array_length('$quoted', '\$.steps') || '|' ||
    json_extract('$quoted', '\$.steps[0].status') || '|' || json_extract('$quoted', '\$.steps[0].due')")
if [ "$got" = "e-hart-2025|child protection plan: core groups and reviews|7|overdue|2025-08-14" ]; then
    ok
else
    bad "json: $got"
fi
expect_out '"met":{"date":"2025-07-07","fact":"csc-9001"}' "met as fact and date"
expect_out '"met":null' "null when not met"

run episode e-nobody --now 2025-07-10
expect_rc 4 "an unknown episode"
expect_err "episode \"e-nobody\" is not known" "says so"
run episode e-hart-2025 --now 2025-02-30
expect_rc 3 "a bad date"
expect_err "--now" "names the option"
run episode
expect_rc 2 "no episode"
run episode e-hart-2025
expect_rc 0 "today by default"

finish
