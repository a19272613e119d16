#!/usr/bin/env bash
# bench/pages: wrk on loopback against `pathway serve`'s web pages over a synthetic partnership
# of N children (default 2,000; pathway synth, the five feeds imported and linked, the families'
# histories and examples/partnership.jsonl recorded with the rules), 20 connections, signed in
# as Lily Hart's allocated social worker: a child's record (/children/p-lily-h: seven API reads
# each logged, the SVG chart, the genogram laid out by a dot process), my work (/work: the
# alerts and pathway deadlines of every child her agency works with; /work?for=me: of the
# children allocated to her), a search (/people?q=lily+hart) and, for
# comparison, the sign-in page (no store read). Prints requests/s, median and p99 for each.
#   bench/pages.sh [BUILD_DIR] [CHILDREN] [SECONDS]
set -euo pipefail
BUILD=${1:-build}
N=${2:-2000}
SECS=${3:-10}
. "$(dirname "$0")/wrk.sh"
bench_start pages

echo "bench_pages: building a partnership of $N children" >&2
t0=$(date +%s)
"$PATHWAY" synth --children "$N" --seed 1 --out "$WORK/part" >/dev/null
"$PATHWAY" init >/dev/null
for agency in csc police health education probation; do
    "$PATHWAY" import --as import.bench --agency "$agency" "$WORK/part/feeds/$agency.csv" >/dev/null
done
"$PATHWAY" link run --as link.bench >/dev/null
"$PATHWAY" record "$WORK/part/facts.jsonl" >/dev/null
"$PATHWAY" record "$ROOT/examples/partnership.jsonl" >/dev/null
"$PATHWAY" rules recheck --apply >/dev/null
PW='bench pages password'
printf '%s\n' "$PW" | "$PATHWAY" user add bench.sw --agency csc --role practitioner \
    --name "Bench Worker" --password-stdin >/dev/null
today=$(date +%F)
printf '{"type":"allocation.changed","id":"bench-alloc","at":"%s","agency":"csc","child":"p-lily-h","user":"bench.sw","role":"allocated_worker","since":"%s"}\n' \
    "$today" "$today" | "$PATHWAY" record --as bench.sw - >/dev/null
echo "bench_pages: partnership built in $(($(date +%s) - t0)) s" >&2

start_server --assets "$(dirname "$PATHWAY")/web"
curl -s -c "$WORK/jar" --data-urlencode "user=bench.sw" --data-urlencode "password=$PW" \
    "$BASE/sign-in" >/dev/null
COOKIE=$(awk '$6 == "pw_session" {print $6 "=" $7}' "$WORK/jar")
[ -n "$COOKIE" ] || { echo "bench_pages: could not sign in" >&2; exit 1; }

# run NAME PATH: wrk with 20 connections; one line of requests/s, median, p99, errors.
run() {
    local out rps p50 p99 non2xx
    out=$(wrk -t 2 -c 20 -d "${SECS}s" --latency -H "Cookie: $COOKIE" "$BASE$2" 2>&1)
    rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
    p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
    printf '%-28s %10s req/s   median %8s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" \
        "${non2xx:-0}"
}

echo "bench_pages: $N children, 20 connections, ${SECS} s a run, 4 server threads"
run "a child's record" /children/p-lily-h
run "my work" /work
run "my work, allocated to you" "/work?for=me"
run "find a person" "/people?q=lily+hart"
run "sign-in page (no store)" /sign-in
