# Shared helpers for the CLI tests: each test file sources this, runs `pathway` against real
# files in a fresh temporary folder, and ends with `finish`, which prints the counts and exits
# non-zero if anything failed.
set -u
: "${PATHWAY:?set PATHWAY to the pathway binary}"
: "${PW_SOURCE:?set PW_SOURCE to the source tree}"
EXAMPLES="$PW_SOURCE/examples"
WORK=$(mktemp -d /tmp/pw-cli-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export PATHWAY_DB="$WORK/test.db"
unset PATHWAY_USER
passed=0
failed=0

# run ARGS...: runs pathway, keeping stdout in $out, stderr in $errs, exit code in $rc.
run() {
    out=$("$PATHWAY" "$@" 2>"$WORK/stderr")
    rc=$?
    errs=$(cat "$WORK/stderr")
}

ok() {
    passed=$((passed + 1))
}

bad() {
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
    echo "  exit: $rc" >&2
    echo "  stdout: ${out:0:600}" >&2
    echo "  stderr: ${errs:0:600}" >&2
}

# expect_rc CODE WHAT
expect_rc() {
    if [ "$rc" -eq "$1" ]; then ok; else bad "$2: expected exit $1"; fi
}

# expect_out TEXT WHAT: stdout contains TEXT
expect_out() {
    if [[ "$out" == *"$1"* ]]; then ok; else bad "$2: stdout lacks '$1'"; fi
}

# expect_err TEXT WHAT: stderr contains TEXT
expect_err() {
    if [[ "$errs" == *"$1"* ]]; then ok; else bad "$2: stderr lacks '$1'"; fi
}

expect_no_out() {
    if [[ "$out" != *"$1"* ]]; then ok; else bad "$2: stdout has '$1'"; fi
}

# Fingerprint of everything in the store: log head and every derived row.
fingerprint() {
    { "$PATHWAY" audit head; "$PATHWAY" dump; } 2>&1 | sha256sum | cut -d' ' -f1
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
