#!/usr/bin/env bash
# bench_record on PostgreSQL: starts a throwaway durable server (fsync, synchronous_commit and
# full_page_writes at their defaults, unlike the test server) on loopback with
# tests/pg/server.sh, runs build/bench_record --pg with its admin URL and any further arguments,
# and stops the server and removes its files however the run ends.
#
#   bench/pg.sh [bench_record options...]       e.g. bench/pg.sh --no-sqlite --pg-per-fact 20000
#   BENCH=build-x/bench_record bench/pg.sh ...  another build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH:-$root/build/bench_record}
if [ ! -x "$bench" ]; then
    echo "pg.sh: no $bench: build it first (see bench/README.md)" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/pathway-bench-pg-XXXXXX)
trap 'bash "$root/tests/pg/server.sh" stop "$dir"' EXIT
bash "$root/tests/pg/server.sh" start "$dir" --durable >&2
"$bench" --pg "$(cat "$dir/url")" "$@"
