# shellcheck shell=bash
# What the wrk benchmarks (bench/api.sh, bench/pages.sh) share; sourced, with BUILD set:
#   bench_start NAME      finds pathway (PATHWAY), checks wrk, makes WORK (/tmp/pw-bench-NAME-*)
#                         with its store (PATHWAY_DB), and removes it and any server on exit
#   start_server [ARGS]   pathway serve on a free loopback port, 4 threads: BASE, SERVER
#   stop_server
bench_start() {
    ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    PATHWAY=$ROOT/$BUILD/pathway
    [ -x "$PATHWAY" ] || PATHWAY=$BUILD/pathway
    command -v wrk >/dev/null || { echo "wrk missing: run scripts/setup.sh" >&2; exit 1; }
    WORK=$(mktemp -d "/tmp/pw-bench-$1-XXXXXX")
    SERVER=
    trap bench_cleanup EXIT
    export PATHWAY_DB=$WORK/bench.db
}

bench_cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
    rm -rf "$WORK"
}

start_server() {
    "$PATHWAY" serve --listen 127.0.0.1:0 --threads 4 "$@" >"$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVER=$!
    for _ in $(seq 1 200); do
        grep -q '^listening on ' "$WORK/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    BASE=$(sed -n 's/^listening on //p' "$WORK/serve.out")
    [ -n "$BASE" ] || { echo "bench: the server did not start" >&2; exit 1; }
}

stop_server() {
    kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
    SERVER=
}
