# pathway record: all or none, errors by line and path, retries, conflicts, corrections.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
run record "$EXAMPLES/partnership.jsonl"
expect_rc 0 "the example partnership records"
expect_out "recorded 43 facts; the log is at 43" "says how many"

run record "$EXAMPLES/partnership.jsonl"
expect_rc 0 "recording the same file again is safe"
expect_out "recorded 0 facts; 43 already recorded, unchanged" "nothing is written twice"

before=$(fingerprint)

# A file with good lines and several kinds of bad ones: every error is reported, nothing kept.
cat >"$WORK/bad.jsonl" <<'JSON'
{"type":"person.registered","id":"t-1","at":"2025-07-01","agency":"csc","by":"sw.amos","person":"p-new","names":[{"given":"Mia","family":"Ross","kind":"birth"}]}

{"type":"relationship.recorded","id":"t-2","at":"2025-02-30","agency":"csc","by":"sw.amos","from":"p-new","to":"p-lily-h","kind":"sibling"}
{"type":"relationship.recorded","id":"t-3","at":"2025-07-01","agency":"csc","by":"sw.amos","from":"p-new","to":"p-lily-h","kind":"cousin","colour":"red"}
{"type":"concern.raised","id":"t-4","at":"2025-07-01","agency":"school","by":"sw.amos","concern":"c-x","children":["p-new"]}
{"type":"concern.raised","id":"t-5","at":"2025-07-01","agency":"education","by":"sw.amos","concern":"c-y","children":["p-new", 7]}
{"type":"person.regstered","id":"t-6","at":"2025-07-01","agency":"csc","by":"sw.amos"}
{"type":"person.registered","id":"t-7","at":"2025-07-01","agency":"csc","by":"sw.amos","person":"p-z","names":[{"given":"Zed","family":"Ng","kind":"nick"}]}
this is not JSON
JSON
run record "$WORK/bad.jsonl"
expect_rc 3 "a file with bad lines is refused"
expect_err 'line 3: $.at:' "a bad date is named by line and path"
expect_err '"2025-02-30" is not a real date' "and says what is wrong"
expect_err 'line 4: $.colour:' "an unknown field by line and path"
expect_err 'line 5: $.agency:' "a bad agency by line and path"
expect_err 'line 6: $.children[1]:' "a wrong type by its array index"
expect_err 'line 7: $.type:' "an unknown type"
expect_err 'line 8: $.names[0].kind:' "a bad enumeration value in a nested object"
expect_err 'line 9:' "a line that is not JSON"
expect_err "7 bad lines; nothing was recorded" "the summary says nothing was kept"
if [ "$(fingerprint)" = "$before" ]; then ok; else bad "the database changed after a refused file"; fi

# Only the last line is wrong, and only the store can tell (an unknown person): still none.
cat >"$WORK/late.jsonl" <<'JSON'
{"type":"person.registered","id":"t-10","at":"2025-07-01","agency":"csc","by":"sw.amos","person":"p-mia-r","names":[{"given":"Mia","family":"Ross","kind":"birth"}]}
{"type":"relationship.recorded","id":"t-11","at":"2025-07-01","agency":"csc","by":"sw.amos","from":"p-mia-r","to":"p-nobody","kind":"sibling"}
JSON
run record "$WORK/late.jsonl"
expect_rc 3 "a reference to an unknown person is refused"
expect_err 'line 2: $.to: person "p-nobody" is not known' "names the line, the path and the id"
expect_err "nothing was recorded" "and says so"
if [ "$(fingerprint)" = "$before" ]; then ok; else bad "the good first line was kept"; fi

# The same id with other content is a conflict; the message says how to correct.
echo '{"type":"risk.recorded","id":"prob-0002","at":"2025-05-20","agency":"probation","by":"pp.osei","person":"p-dean-c","kind":"conviction","sexual":false}' >"$WORK/conflict.jsonl"
run record "$WORK/conflict.jsonl"
expect_rc 5 "a changed fact is a conflict"
expect_err '"supersedes": "prob-0002"' "the message says how to correct it"

# A correction supersedes; the derived tables show the latest word.
echo '{"type":"risk.recorded","id":"prob-0003","at":"2025-05-21","agency":"probation","by":"pp.osei","person":"p-dean-c","kind":"conviction","sexual":true,"against":"adult","date":"2009-11-03","spent":true,"mappa":{"category":1,"level":1},"supersedes":"prob-0002"}' >"$WORK/fix.jsonl"
run record - <"$WORK/fix.jsonl"
expect_rc 0 "a correction from standard input"
run dump
expect_out "risks	prob-0003	p-dean-c	conviction	1	adult" "the correction is in the derived table"
expect_no_out "risks	prob-0002	" "the corrected row is gone"

# --as: the recording user; a fact naming someone else is refused.
echo '{"type":"school.recorded","id":"t-20","at":"2025-07-01","agency":"education","child":"p-noah-h","setting":"Little Acorns Nursery"}' >"$WORK/as.jsonl"
run record "$WORK/as.jsonl"
expect_rc 3 "a fact with no recording user"
expect_err '$.by' "names the by field"
run record --as dsl.ward "$WORK/as.jsonl"
expect_rc 0 "--as sets the recording user"
run facts --person p-noah-h --type school.recorded
expect_out "dsl.ward" "the fact is attributed"
echo '{"type":"school.recorded","id":"t-21","at":"2025-07-01","agency":"education","by":"someone.else","child":"p-noah-h","setting":"Little Acorns Nursery"}' >"$WORK/as2.jsonl"
run record --as dsl.ward "$WORK/as2.jsonl"
expect_rc 3 "recording as someone else is refused"
PATHWAY_USER=dsl.ward run record "$WORK/as.jsonl"
expect_rc 0 "PATHWAY_USER also names the user"

run record "$WORK/no-such-file.jsonl"
expect_rc 11 "a missing input file"
expect_err "could not open" "says so"
run record
expect_rc 2 "no input named"

# A date-time with an offset is stored in UTC; one without an offset is refused.
echo '{"type":"school.recorded","id":"t-30","at":"2025-07-01T09:15:00+01:00","agency":"education","by":"dsl.ward","child":"p-lily-h","setting":"Meanwood Primary School"}' >"$WORK/tz.jsonl"
run record "$WORK/tz.jsonl"
expect_rc 0 "a date-time with an offset"
run facts --json --type school.recorded
expect_out '"at":"2025-07-01T08:15:00Z"' "is stored in UTC"
echo '{"type":"school.recorded","id":"t-31","at":"2025-07-01T09:15:00","agency":"education","by":"dsl.ward","child":"p-lily-h","setting":"Meanwood"}' >"$WORK/tz2.jsonl"
run record "$WORK/tz2.jsonl"
expect_rc 3 "a date-time without an offset"
expect_err "+01:00" "suggests an offset"

finish
