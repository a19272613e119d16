# What the scripts that run PostgreSQL servers share: where the server programs are, running
# them as the postgres user when root (PostgreSQL refuses to run as root), and finding a free
# port on the loopback. Sourced by server.sh and test_failover.sh; defines pg_bindir.

pg_bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
