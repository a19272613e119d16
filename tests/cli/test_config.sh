# pathway config: the documented defaults file, a partnership's overrides, and mistakes.
. "$(dirname "$0")/lib.sh"
unset PATHWAY_CONFIG

run config --defaults
expect_rc 0 "config --defaults"
if [ "$out" = "$(cat "$PW_SOURCE/docs/pathway.conf")" ]; then ok
else bad "docs/pathway.conf is not what pathway config --defaults prints: regenerate it"; fi
expect_out "assessment.child_and_family = 45" "the statutory assessment timescale"

printf '# Our partnership\nassessment.child_and_family = 30\nr03.threshold = 6\n' >"$WORK/ours.conf"
run config --file "$WORK/ours.conf"
expect_rc 0 "a partnership's file"
expect_out "assessment.child_and_family = 30" "its own assessment standard"
expect_out "set by this partnership" "marked as theirs"
expect_out "conference.initial = 15" "and the defaults for the rest"
PATHWAY_CONFIG="$WORK/ours.conf" run config --changed
expect_out "r03.threshold = 6" "PATHWAY_CONFIG names the file"
expect_no_out "conference.initial" "--changed shows only what the file sets"

printf 'assessment.child_and_family = 30\nconference.initial = 20\n' >"$WORK/bad.conf"
run config --file "$WORK/bad.conf"
expect_rc 3 "a value past the statutory limit"
expect_err "line 2: conference.initial needs a whole number of working days from 5 to 15" \
    "names the line, the key and the range"
run config --file "$WORK/none.conf"
expect_rc 11 "a file that cannot be read"
run config --defaults --changed
expect_rc 2 "--defaults and --changed together"

finish
