# pathway synth: a partnership whose feeds import and whose histories record with the rules
# attached, raising alerts; the same seed gives the same files.
. "$(dirname "$0")/lib.sh"

run synth --children 150 --seed 11 --out "$WORK/p"
expect_rc 0 "synth runs"
expect_out "(150 children" "it makes the children asked for"
for f in feeds/csc.csv feeds/police.csv feeds/health.csv feeds/education.csv feeds/probation.csv \
    truth.csv facts.jsonl README.md; do
    if [ -s "$WORK/p/$f" ]; then ok; else bad "synth wrote no $f"; fi
done
"$PATHWAY" synth --children 150 --seed 11 --out "$WORK/q" >/dev/null
if diff -r "$WORK/p" "$WORK/q" >/dev/null; then ok; else bad "the same seed gave other files"; fi
"$PATHWAY" synth --children 150 --seed 12 --out "$WORK/r" >/dev/null
if diff -q "$WORK/p/truth.csv" "$WORK/r/truth.csv" >/dev/null; then bad "another seed gave the same files"; else ok; fi

"$PATHWAY" init >/dev/null
for agency in csc police health education probation; do
    run import --as imp.synth --agency "$agency" "$WORK/p/feeds/$agency.csv"
    expect_rc 0 "the synthetic $agency feed imports"
done
run record "$WORK/p/facts.jsonl"
expect_rc 0 "the histories record with the rules attached"
expect_out "recorded $(grep -c . "$WORK/p/facts.jsonl") facts" "every fact"
run alerts --json
expect_rc 0 "alerts list"
if [ -n "$out" ]; then ok; else bad "no alerts raised from the histories"; fi
run rules recheck --apply
expect_rc 0 "rules recheck"

run synth --children 0 --out "$WORK/x"
expect_rc 2 "zero children is a usage error"
finish
