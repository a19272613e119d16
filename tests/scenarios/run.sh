#!/usr/bin/env bash
# Runs one scenario file (tests/scenarios/*.scenario) against a fresh SQLite store.
#
# A scenario is a story told as facts, with what Pathway must do at each point:
#   # ...              a comment (the story)
#   @rules R01 R03     only these rules' alerts are compared (default: every rule's); a
#                      scenario about one rule is not disturbed by what others say
#   @now YYYY-MM-DD    the day the following @expect blocks judge alerts on
#   @record            the JSON lines that follow are recorded as one batch, which must succeed
#   @refuse RNN        the JSON lines that follow, as one batch, must be refused by rule RNN
#                      (exit 6, the message naming the rule) and nothing recorded
#   @expect            the lines that follow are every alert shown on that day (`pathway alerts
#                      --status all --brief`), in any order; an empty block: no alerts at all
# A block ends at the next directive. At the end the store must recheck clean (the alerts
# recorded fact by fact equal those derived from the whole log), before and after a rebuild.
set -u
scenario=$1
PATHWAY=${PATHWAY:?the pathway binary}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/s.db
name=$(basename "$scenario" .scenario)
now=""
rules=""
fail=0

die() { echo "scenario $name: $*" >&2; fail=1; }

"$PATHWAY" --db "$db" init >/dev/null || { echo "init failed"; exit 1; }

block=""      # the directive whose lines are being gathered
arg=""
lines=$work/lines
: >"$lines"
lineno=0
startline=0

run_block() {
    case "$block" in
    record)
        if ! out=$(PATHWAY_USER=u-scenario "$PATHWAY" --db "$db" record "$lines" 2>&1); then
            die "line $startline: @record failed: $out"
        fi ;;
    refuse)
        out=$(PATHWAY_USER=u-scenario "$PATHWAY" --db "$db" record "$lines" 2>&1)
        code=$?
        if [ "$code" -ne 6 ]; then
            die "line $startline: @refuse $arg: expected exit 6, got $code: $out"
        elif ! grep -q "$arg" <<<"$out"; then
            die "line $startline: @refuse $arg: the message does not name $arg: $out"
        fi ;;
    expect)
        [ -n "$now" ] || die "line $startline: @expect needs an @now before it"
        "$PATHWAY" --db "$db" alerts --status all --brief --now "$now" | sort >"$work/all"
        if [ -n "$rules" ]; then
            grep -E "^($rules) " "$work/all" >"$work/got" || true
        else
            cp "$work/all" "$work/got"
        fi
        grep -v '^[[:space:]]*$' "$lines" | sed 's/[[:space:]]*$//' | sort >"$work/want"
        if ! diff -u "$work/want" "$work/got" >"$work/diff"; then
            die "line $startline: @expect on $now: alerts differ (- expected, + shown):"
            sed -n '3,$p' "$work/diff" >&2
        fi ;;
    esac
    : >"$lines"
}

while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case "$line" in
    '#'*) continue ;;
    @rules\ *) rules=$(echo ${line#@rules } | tr ' ' '|') ;;
    @now\ *) run_block; block=""; now=${line#@now }; now=${now%% *} ;;
    @record*) run_block; block=record; startline=$lineno ;;
    @refuse\ *) run_block; block=refuse; arg=${line#@refuse }; startline=$lineno ;;
    @expect*) run_block; block=expect; startline=$lineno ;;
    @*) die "line $lineno: unknown directive $line" ;;
    *) [ -n "$block" ] && printf '%s\n' "$line" >>"$lines" ;;
    esac
done <"$scenario"
run_block

if ! out=$("$PATHWAY" --db "$db" rules recheck 2>&1); then
    die "recheck after recording fact by fact found differences: $out"
fi
"$PATHWAY" --db "$db" rebuild >/dev/null || die "rebuild failed"
if ! out=$("$PATHWAY" --db "$db" rules recheck 2>&1); then
    die "recheck after rebuild found differences: $out"
fi
if [ "$fail" -ne 0 ]; then
    exit 1
fi
echo "scenario $name: ok"
