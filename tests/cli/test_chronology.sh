# pathway chronology on the example partnership: the Hart children's chronology joins what the
# school, the health visitor, probation and police each knew, and nothing of other families.
. "$(dirname "$0")/lib.sh"

"$PATHWAY" init >/dev/null
"$PATHWAY" record "$EXAMPLES/partnership.jsonl" >/dev/null

run chronology p-lily-h
expect_rc 0 "chronology"
expect_out "chronology of p-lily-h: Lily Hart, born 2016-04-02" "a heading with her name"
expect_out "parent; household member at 12 Mill Lane from 2019-03-01" "her mother, and how"
expect_out "half_sibling; household member at 12 Mill Lane" "her brother"
expect_out "partner of the child's parent" "her mother's partner, who has no link to her"
expect_out "! a risk of sexual harm is recorded" "his history flagged in the people list"
expect_out "concern raised about p-lily-h: 2 indicators (fear_of_person," "the school's concern"
expect_out "indicator observed about p-noah-h: soiling_wetting_regression" "the health visitor's"
expect_out "risk recorded about p-dean-c: conviction, sexual, against an adult, 2009-11-03" \
    "probation's risk record about Dean Cole"
expect_out "strategy discussion for episode e-hart-2025" "the strategy discussion"
expect_out "recorded by pp.osei on " "who recorded it"
expect_out "2025-06-12 15:20  education" "when, in England's time (14:20Z in the log)"
expect_no_out "Toilet-trained" "no free text"
expect_out "(note recorded)" "but that there is some"
for other in p-zara-k p-ayaan-k p-sana-p p-imran-k p-amara-o p-grace-o p-chidi-o Harehills; do
    expect_no_out "$other" "nothing of another family ($other)"
done
# In the order things happened.
order=$(grep -oE "^    (risk recorded|indicator observed|concern raised|referral decided|strategy discussion)" \
    <<<"$out" | sed 's/^ *//' | tr '\n' ',')
if [ "$order" = "risk recorded,indicator observed,concern raised,referral decided,strategy discussion," ]; then
    ok
else
    bad "time order: $order"
fi
if ! grep -qE '^.{101,}' <<<"$out"; then ok; else bad "lines fit in 100 columns"; fi
# The referral decision names only the concern: it is found through the concern.
expect_out "referral decided: strategy discussion (rationale recorded)" "the decision to hold one"
expect_out "(csc-0010)" "the referral decision's own id"

run chronology p-amara-o
expect_out "2025-03-10        police  [police intelligence]" "police intelligence is marked"
expect_out "2025-04-02        health  [health confidential]" "so is confidential health information"
expect_out "grandparent; household member at 27 Beeston Rd from 2022-10-01" \
    "her grandmother, at the same UPRN though the road is spelt differently"
expect_out "aunt_uncle; regular_contact" "her uncle, both ways he is connected"
# Police registered her uncle (log position 36) before social care recorded that he is her
# uncle (37), but social care's record is of something dated a week earlier: it comes first.
order=$(grep -oE "\((csc-0204|pol-0201)\)" <<<"$out" | tr '\n' ',')
if [ "$order" = "(csc-0204),(pol-0201)," ]; then ok; else bad "time order, not log order: $order"; fi
expect_no_out "p-lily-h" "not the Harts"

# --json: one object a line per fact, no heading.
run chronology p-lily-h --json
expect_rc 0 "chronology --json"
expect_no_out "chronology of" "no heading"
if [ "$(printf '%s\n' "$out" | wc -l)" -eq 18 ]; then ok; else bad "18 facts"; fi
bad_lines=0
while IFS= read -r line; do
    quoted=${line//\'/\'\'}
    got=$(sqlite3 :memory: "SELECT json_type('$quoted') = 'object'
        AND json_type('$quoted', '\$.summary') = 'text'
        AND json_type('$quoted', '\$.concerns') = 'array'
        AND json_type('$quoted', '\$.seq') = 'integer'")
    [ "$got" = 1 ] || bad_lines=$((bad_lines + 1))
done <<<"$out"
if [ "$bad_lines" -eq 0 ]; then ok; else bad "$bad_lines lines are not objects with a summary"; fi
expect_out '"superseded_by":null' "superseded_by is there when nothing corrects it"
expect_out '"concerns":["p-kerry-h","p-dean-c"]' "the connected people a fact names"

# A correction: the original is marked superseded, the correction marks what it corrects.
cat >"$WORK/fix.jsonl" <<'EOF'
{"type":"risk.recorded","id":"prob-0003","at":"2025-05-21","agency":"probation","by":"pp.osei","supersedes":"prob-0002","person":"p-dean-c","kind":"conviction","sexual":true,"against":"child","date":"2009-11-03","spent":true}
EOF
"$PATHWAY" record "$WORK/fix.jsonl" >/dev/null || die "could not record the correction"
run chronology p-lily-h
expect_out "2025-05-20        probation  [superseded by prob-0003]" "the corrected is marked"
expect_out "2025-05-21        probation  [corrects prob-0002]" "and the correction"
expect_out "against a child, 2009-11-03 (spent)" "the latest word is there"
run chronology p-lily-h --json
expect_out '"superseded_by":"prob-0003"' "superseded_by in JSON"

run chronology p-nobody
expect_rc 4 "an unknown child"
expect_err 'person "p-nobody" is not known' "says who"
run chronology
expect_rc 2 "no child named"
run chronology p-lily-h p-noah-h
expect_rc 2 "two children"
run chronology --help
expect_rc 0 "--help"
expect_out "usage: pathway chronology CHILD [--json]" "usage"

finish
