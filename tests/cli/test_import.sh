# pathway import: each agency's format in, facts out; re-import records nothing; a changed
# extract records the difference; a bad file is refused whole, every error by line and column.
. "$(dirname "$0")/lib.sh"
FEEDS="$PW_SOURCE/tests/data/feeds"

"$PATHWAY" init >/dev/null
for agency in csc police health education probation; do
    run import --as imp.test --agency "$agency" --at 2025-09-01 "$FEEDS/$agency.csv"
    expect_rc 0 "the $agency fixture imports"
    expect_out "(agency $agency)" "the $agency summary names the agency"
done
run import --as imp.test --agency csc --at 2025-09-01 "$FEEDS/csc.csv"
expect_out "imported 3 records from $FEEDS/csc.csv (agency csc): 0 people registered, 0 residences, 0 schools; 3 unchanged" "re-import: nothing new"

run facts --person csc-LA100236
expect_out "person.registered" "the csc person is registered"
expect_out "residence.recorded" "with a residence"
run facts --json --person csc-LA100234
expect_out '"nhs":"9434765919"' "the NHS number without spaces"
expect_out '"file":"csc.csv"' "the source file"
run facts --json --person police-N-77813
expect_out '"given":"Siobhan \"Shiv\" Mary"' "doubled quotes undone"
expect_out '"dob":"1979-01-03"' "DD/MM/YYYY read"
run facts --json --person education-P000917
expect_out '"setting":"Meanwood Primary School"' "the school"
expect_out '"kind":"known_as"' "the preferred forename"
run facts --json --person health-G4410023
expect_out '"sex":"unknown"' "NHS sex code 0"

# A social worker corrects Kerry's registration: she does not speak, has a hearing
# impairment, and her ethnicity (blank in the extract) is known. Importing the same extract
# again leaves the correction standing: the feed has not changed its word.
reg=$("$PATHWAY" facts --json --person csc-LA100236 | sed -n 's/.*"id":"\(csc-LA100236\.reg\.[0-9a-f]*\)".*/\1/p' | head -1)
[ -n "$reg" ] && ok || bad "the imported registration's id"
printf '{"type":"person.registered","id":"sw-fix-1","at":"2025-09-01","agency":"csc","person":"csc-LA100236","supersedes":"%s","names":[{"given":"Kerry","family":"Hart","kind":"birth"},{"given":"Kez","family":"Hart","kind":"known_as"}],"dob":"1990-07-23","sex":"female","ethnicity":"WIRI","communication":"non_verbal","disability":["hearing impairment"],"identifiers":{"la":"LA100236","nhs":"4010234563","upn":"A123456789013"}}\n' "$reg" \
    >"$WORK/fix.jsonl"
run record --as sw.test "$WORK/fix.jsonl"
expect_rc 0 "the correction is recorded"
run import --as imp.test --agency csc --at 2025-09-01 "$FEEDS/csc.csv"
expect_out "0 people registered, 0 residences, 0 schools; 3 unchanged" "re-import after a correction: nothing new"
run facts --json --person csc-LA100236
expect_no_out '"supersedes":"sw-fix-1"' "the correction is not superseded"

# A later extract: a corrected surname and a move record only the difference.
sed -e 's/Kerry,,Hart,Kez/Kerry,,Hart-Cole,Kez/' \
    -e 's/^LA100235,\(.*\),12 Mill Lane,Leeds,LS6 2AB,2021-02-11,/LA100235,\1,5 Oak Road,Leeds,LS7 1AA,2025-08-01,/' \
    "$FEEDS/csc.csv" >"$WORK/csc.csv"
run import --as imp.test --agency csc --at 2025-09-02 "$WORK/csc.csv"
expect_rc 0 "a changed extract imports"
expect_out "0 people registered, 1 registration corrected, 1 residence, 0 schools; 1 unchanged" "only the difference"
run facts --json --person csc-LA100236
expect_out '"supersedes":"sw-fix-1"' "the feed's correction supersedes the social worker's"
# What the feed says it says (the surname); what it does not, the social worker's word keeps.
latest=$("$PATHWAY" facts --json --person csc-LA100236 | grep '"supersedes":"sw-fix-1"')
case "$latest" in *'"family":"Hart-Cole"'*) ok ;; *) bad "the feed's new surname: $latest" ;; esac
for kept in '"communication":"non_verbal"' '"disability":["hearing impairment"]' \
    '"ethnicity":"WIRI"' '"upn":"A123456789013"' '"nhs":"4010234563"'; do
    case "$latest" in *"$kept"*) ok ;; *) bad "kept from the correction: $kept in $latest" ;; esac
done
run import --as imp.test --agency csc --at 2025-09-02 "$WORK/csc.csv"
expect_out "; 3 unchanged" "and again: nothing"

# The generic format with --map.
run import --as imp.test --agency other --format generic \
    --map rec_id=record_id,given_name=given_names,surname=family_name "$FEEDS/generic.csv"
expect_rc 0 "a generic file with --map"
run facts --json --person other-febrl-0001
expect_out '"dob":{"month":6,"year":1987}' "a partial date of birth"

# A bad file: every error named, nothing recorded.
before=$(fingerprint)
run import --as imp.test --agency csc "$FEEDS/bad.csv"
expect_rc 3 "a bad file is refused"
expect_err "bad.csv: line 2, column dob: \"2019-02-31\" is not a real date" "a wrong date"
expect_err "line 3, column gender: unknown code \"boy\"" "an unknown sex code"
expect_err "line 4, column person_id: the record id is missing" "a missing record id"
expect_err "line 5, column nhs_number: is not a valid NHS number" "a bad check digit"
expect_err "line 6, column person_id: record id \"LA1\" is also on line 2" "a duplicate record id"
expect_err "line 7: the record has no name" "no name"
expect_err "line 8, column postcode:" "a malformed postcode"
expect_err "line 9, column last_name: is not valid UTF-8" "invalid UTF-8"
expect_err "8 errors; nothing was recorded" "the summary"
if [ "$(fingerprint)" = "$before" ]; then ok; else bad "the database changed after a refused file"; fi

printf 'person_id,first_name,colour\nLA9,Ann,red\n' >"$WORK/cols.csv"
run import --as imp.test --agency csc "$WORK/cols.csv"
expect_rc 3 "an unknown column is refused"
expect_err "line 1, column colour: unknown column for the csc format" "named"
run import --as imp.test --agency csc --ignore colour "$WORK/cols.csv"
expect_rc 0 "--ignore skips it"

run import --agency csc "$FEEDS/csc.csv"
expect_rc 2 "no recording user"
run import --as imp.test --agency yjs "$FEEDS/csc.csv"
expect_rc 2 "an agency without a format needs --format generic"
finish
