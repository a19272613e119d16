#!/usr/bin/env bash
# bench/api: wrk on loopback against `pathway serve` over a store of N children (default
# 100,000), 50 connections: reading child records (GET /api/children/ID/picture and the
# summary, at random over the children the bench user is allocated to) and recording facts
# (POST /api/facts, a new fact each request). Prints requests/s, median and 99th percentile
# for each, then repeats the reads with the access log off (--bench-no-access-log, a
# benchmark-only switch) to show what logging every read costs (with the log on, reads are
# written through the server's group commit: docs/access.md). Usage:
#   bench/api.sh [BUILD_DIR] [CHILDREN] [SECONDS]
set -euo pipefail
BUILD=${1:-build}
N=${2:-100000}
SECS=${3:-10}
. "$(dirname "$0")/wrk.sh"
bench_start api

# N children registered, each allocated to bench.sw (so every read is allowed and logged).
echo "bench_api: building a store of $N children" >&2
t0=$(date +%s)
awk -v n="$N" 'BEGIN {
    for (i = 1; i <= n; i++) {
        printf "{\"type\":\"person.registered\",\"id\":\"r-%d\",\"agency\":\"csc\",\"at\":\"2024-01-01\",\"by\":\"bench\",\"person\":\"c-%d\",\"names\":[{\"family\":\"Child%d\",\"given\":\"Bench\"}],\"dob\":\"2015-01-01\"}\n", i, i, i
        printf "{\"type\":\"allocation.changed\",\"id\":\"a-%d\",\"agency\":\"csc\",\"at\":\"2024-01-02\",\"by\":\"bench\",\"child\":\"c-%d\",\"user\":\"bench.sw\",\"role\":\"allocated_worker\"}\n", i, i
    }
}' >"$WORK/facts.jsonl"
"$PATHWAY" init >/dev/null
"$PATHWAY" record "$WORK/facts.jsonl" >/dev/null
"$PATHWAY" user add bench.sw --agency csc --role practitioner --name "Bench Worker" >/dev/null
TOKEN=$("$PATHWAY" user token bench.sw 2>/dev/null)
echo "bench_api: store built in $(($(date +%s) - t0)) s" >&2

cat >"$WORK/read.lua" <<LUA
math.randomseed(os.time())
local paths = { "/api/children/c-%d/picture", "/api/children/c-%d" }
request = function()
    local p = paths[math.random(#paths)]
    return wrk.format("GET", string.format(p, math.random($N)),
        { ["Authorization"] = "Bearer $TOKEN" })
end
LUA
cat >"$WORK/write.lua" <<LUA
local counter = 0
local thread_id = 0
setup = function(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
request = function()
    counter = counter + 1
    local child = (counter * 7919 + tid * 104729) % $N + 1
    local body = string.format('{"type":"indicator.observed","id":"b-%d-%d-%d","agency":"csc","at":"2025-06-01","child":"c-%d","code":"sti"}', tid, os.time(), counter, child)
    return wrk.format("POST", "/api/facts", { ["Authorization"] = "Bearer $TOKEN",
        ["Content-Type"] = "application/json" }, body)
end
LUA

# run NAME SCRIPT: wrk with 50 connections; one line of requests/s, median, p99, errors.
run() {
    local out
    out=$(wrk -t 4 -c 50 -d "${SECS}s" --latency -s "$2" "$BASE" 2>&1)
    local rps p50 p99 non2xx
    rps=$(printf '%s\n' "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
    p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(printf '%s\n' "$out" | awk '/Non-2xx/ {print $NF}')
    printf '%-34s %10s req/s   median %8s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" \
        "${non2xx:-0}"
}

echo "bench_api: $N children, 50 connections, ${SECS} s a run, 4 server threads"
start_server
run "read child record (access log on)" "$WORK/read.lua"
run "record a fact (access log on)" "$WORK/write.lua"
stop_server
start_server --bench-no-access-log
run "read child record (access log OFF)" "$WORK/read.lua"
stop_server
