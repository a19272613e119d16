#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb into DIR, listening on 127.0.0.1 only at a
# free port, trust authentication for the superuser `pathway` (loopback, test data only), and
# durability switched off because nothing here needs to survive a crash. Writes the admin URL
# to DIR/url. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
#
#   server.sh start DIR [--durable]   start (DIR is created; anything there is replaced)
#   server.sh stop DIR                stop it and remove DIR
set -euo pipefail

. "$(dirname "$0")/common.sh"
bindir=$pg_bindir
if [ -z "$bindir" ]; then
    echo "server.sh: no PostgreSQL server installed (scripts/setup.sh installs it)" >&2
    exit 1
fi

start() {
    local dir=$1 durable=${2:-}
    stop "$dir" 2>/dev/null || true
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_pg "$bindir/initdb" -D "$dir/data" -U pathway -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    local opts="-c listen_addresses=127.0.0.1 -k $dir -c max_connections=100"
    if [ "$durable" != "--durable" ]; then
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    for _ in $(seq 1 20); do
        local port=$((20000 + RANDOM % 20000))
        port_free "$port" || continue
        if as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "$opts -p $port" start >/dev/null 2>&1; then
            echo "postgresql://pathway@127.0.0.1:$port/postgres" >"$dir/url"
            echo "server.sh: PostgreSQL on 127.0.0.1:$port ($dir)"
            return 0
        fi
    done
    echo "server.sh: could not start PostgreSQL; its log:" >&2
    cat "$dir/server.log" >&2 || true
    exit 1
}

stop() {
    local dir=$1
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" "${3:-}" ;;
stop) stop "$2" ;;
*) echo "usage: server.sh start|stop DIR [--durable]" >&2; exit 2 ;;
esac
