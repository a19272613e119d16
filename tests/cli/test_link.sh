# pathway link: the agencies' records of one person joined, explained and reviewed, every
# decision a fact. The fixtures: Lily Hart in social care's, the GP's and her school's records;
# Dean Cole in the police's and probation's (the same PNC number); Noah Hart in social care's
# and the GP's.
. "$(dirname "$0")/lib.sh"
FEEDS="$PW_SOURCE/tests/data/feeds"

"$PATHWAY" init >/dev/null
for agency in csc police health education probation; do
    run import --as imp.test --agency "$agency" --at 2025-09-01 "$FEEDS/$agency.csv"
    expect_rc 0 "the $agency fixture imports"
done

run link run
expect_rc 2 "link run needs a recording user"
expect_err "name the recording user" "and says so"

run link run --as link.test --link-at 1.5
expect_rc 2 "a probability above 1 is refused"
expect_err "--link-at: expected a probability between 0 and 1" "naming the option"

run link run --as link.test
expect_rc 0 "link run"
expect_out "linked 10 records" "every registered person is a record"
expect_out "2 links recorded now (person.linked)" "two links recorded"
run facts --json --type person.linked
expect_out '"method":"record_linkage"' "recorded as record linkage"
expect_out '"person":"probation-X123456"' "Dean's probation record"
expect_out '"same_as":"police-N-77812"' "is the same person as his police record"
expect_out '"confidence":' "with its probability"
expect_out '"weight":' "and its match weight"

run link clusters --csv
expect_out "agency,record_id,person_id" "the CSV header"
expect_out "probation,X123456,police-N-77812" "probation's record belongs to the police's"
expect_out "police,N-77812,police-N-77812" "which stands for Dean"
expect_out "health,G4410021,csc-LA100234" "Lily's GP record (the same NHS number) is joined to social care's"
expect_out "education,P000917,education-P000917" "her school record (no NHS number, a nickname) is not yet"

# Run again: nothing new is recorded, the link already held.
run link run --as link.test
expect_out "0 links recorded now (person.linked)" "a second run records nothing"
expect_out "2 decisions kept" "the links recorded are kept"

run link review
expect_rc 0 "the review queue"
expect_out "csc-LA100234             education-P000917" "Lily's social care and school records are uncertain"

run link explain csc-LA100234 education-P000917
expect_rc 0 "explain"
expect_out "date of birth          exact" "each comparison in words"
expect_out "match weight" "the total"
run link explain csc-LA100234 nobody
expect_rc 4 "explain a person not registered"
expect_err 'person "nobody" is not registered' "names them"

run link review --as link.test --accept csc-LA100234 education-P000917
expect_rc 3 "a decision without a reason is refused"
expect_err "say why (--reason)" "asks for the rationale"
run link review --as link.test --accept csc-LA100234 education-P000917 --reason "Same date of birth and address; the school confirmed her mother"
expect_rc 0 "accept"
expect_out "are the same person" "says what was recorded"
run link review
expect_no_out "csc-LA100234             education-P000917" "a decided pair leaves the queue"
run link clusters --csv
expect_out "education,P000917,csc-LA100234" "Lily's school record now belongs to her social care record"

# The chronology of Lily now holds what her GP's record holds.
run chronology csc-LA100234
expect_out "education-P000917" "her school record is in her chronology"
expect_out "another record of the child (linked)" "marked as her own other record"

# A practitioner finds the GP record is someone else after all: the later decision stands.
run link review --as link.test --reject csc-LA100234 health-G4410021 --reason "Different mother on the GP record"
expect_rc 0 "reject"
run link clusters --csv
expect_out "health,G4410021,health-G4410021" "the link is undone"
run facts --type person.distinct
expect_out "person.distinct" "the decision is a fact"
run link run --as link.test
expect_rc 0 "a run after the decision"
run link clusters --csv
expect_out "health,G4410021,health-G4410021" "and the run does not link them again"
run rules recheck
expect_rc 0 "the alerts are in step after linking and unlinking"
finish
