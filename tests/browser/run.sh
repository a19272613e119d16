#!/usr/bin/env bash
# The browser tests (CTest's browser.journeys): a small synthetic partnership built as `make demo`
# builds its own, the demo accounts with a known password, `pathway serve` on a free loopback
# port, then every tests/browser/*.test.mjs under node's test runner, driving Debian's Chromium
# through playwright-core (tests/browser/lib.mjs). The server is stopped and the temporary
# folder removed whatever the outcome. Missing tools fail the test: they are never a skip.
#   PATHWAY=build/pathway PW_SOURCE=. bash tests/browser/run.sh
# The tests get BASE_URL (the server), DB and PATHWAY (to ask `pathway audit who` and the like)
# and TEST_PASSWORD (every account's); screenshots go to SCREENSHOT_DIR.
set -euo pipefail
: "${PATHWAY:?set PATHWAY to the pathway binary}"
: "${PW_SOURCE:?set PW_SOURCE to the source tree}"
# Absolute, since the tests run from the source tree.
PW_SOURCE=$(cd "$PW_SOURCE" && pwd)
case "$PATHWAY" in
/*) ;;
*) PATHWAY=$PWD/$PATHWAY ;;
esac
export SCREENSHOT_DIR=${SCREENSHOT_DIR:-$PW_SOURCE/build/screenshots}
export TEST_PASSWORD=browser-test-pass-1

die() {
    echo "browser tests: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || die "node is missing: run scripts/setup.sh"
if [ ! -f "$PW_SOURCE/node_modules/playwright-core/package.json" ] ||
    [ ! -f "$PW_SOURCE/node_modules/axe-core/axe.min.js" ]; then
    die "$PW_SOURCE/node_modules is missing or incomplete: run scripts/setup.sh"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing: run scripts/setup.sh"
[ -x "$PATHWAY" ] || die "$PATHWAY is not an executable"
shopt -s nullglob
tests=("$PW_SOURCE"/tests/browser/*.test.mjs)
shopt -u nullglob
[ ${#tests[@]} -gt 0 ] || die "no tests/browser/*.test.mjs"

WORK=$(mktemp -d /tmp/pw-browser-XXXXXX)
SERVER=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
    if [ -n "$SERVER" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# step WHAT COMMAND...: runs it quietly; on failure shows its output and stops.
step() {
    local what=$1
    shift
    if ! "$@" >"$WORK/step.log" 2>&1; then
        cat "$WORK/step.log" >&2
        die "$what failed"
    fi
}

export DB=$WORK/browser.db
export PATHWAY
# shellcheck disable=SC2317 # run through step
pw() {
    "$PATHWAY" --db "$DB" "$@"
}

# The partnership, as the Makefile's demo target builds it (60 children rather than 500).
echo "browser tests: building a partnership of 60 children in $WORK"
step "synth" pw synth --children 60 --seed 1 --out "$WORK/part"
step "init" pw init
for agency in csc police health education probation; do
    step "import $agency" pw import --as import.demo --agency "$agency" "$WORK/part/feeds/$agency.csv"
done
step "link run" pw link run --as link.demo
step "record facts.jsonl" pw record "$WORK/part/facts.jsonl"
step "record examples/partnership.jsonl" pw record "$PW_SOURCE/examples/partnership.jsonl"
step "rules recheck" pw rules recheck --apply

# The accounts of scripts/demo-users.sh (its list, read from it so the two stay the same), each
# with TEST_PASSWORD rather than a random one; Sam (sw.demo) allocated to Lily Hart from today.
accounts=()
eval "$(sed -n '/^accounts=(/,/^)/p' "$PW_SOURCE/scripts/demo-users.sh")"
[ ${#accounts[@]} -gt 0 ] || die "no accounts=( ... ) list in scripts/demo-users.sh"
for a in "${accounts[@]}"; do
    IFS='|' read -r user agency role name <<<"$a"
    printf '%s\n' "$TEST_PASSWORD" >"$WORK/pw"
    step "user add $user" pw user add "$user" --agency "$agency" --role "$role" --name "$name" \
        --password-stdin <"$WORK/pw"
done
today=$(date +%F)
printf '{"type":"allocation.changed","id":"demo-alloc-lily","at":"%s","agency":"csc","child":"p-lily-h","user":"sw.demo","role":"allocated_worker","since":"%s"}\n' \
    "$today" "$today" >"$WORK/alloc.jsonl"
step "allocate sw.demo to p-lily-h" pw record --as tm.demo "$WORK/alloc.jsonl"

# The server, on a free loopback port (it prints the address it bound when ready).
"$PATHWAY" --db "$DB" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
BASE_URL=
for _ in $(seq 1 300); do
    BASE_URL=$(sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' "$WORK/serve.out")
    [ -n "$BASE_URL" ] && break
    kill -0 "$SERVER" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$BASE_URL" ]; then
    cat "$WORK/serve.out" "$WORK/serve.err" >&2
    die "the server did not start"
fi
export BASE_URL
echo "browser tests: pathway serve at $BASE_URL; screenshots in $SCREENSHOT_DIR"
mkdir -p "$SCREENSHOT_DIR"

status=0
(cd "$PW_SOURCE" && node --test --test-reporter=spec --test-concurrency=1 "${tests[@]}") || status=$?

# Stop the server and see how it ended: a sanitizer report or a crash fails the run.
kill "$SERVER" 2>/dev/null || true
server_status=0
wait "$SERVER" || server_status=$?
SERVER=
if [ "$server_status" -ne 0 ] ||
    grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK/serve.err"; then
    echo "browser tests: pathway serve ended with status $server_status, or a sanitizer spoke" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    if [ -s "$WORK/serve.err" ]; then
        echo "browser tests: the server's standard error:" >&2
        sed -n '1,300p' "$WORK/serve.err" >&2
    fi
    echo "browser tests: FAILED" >&2
fi
exit "$status"
