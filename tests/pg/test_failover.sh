#!/usr/bin/env bash
# Failover without losing an acknowledged fact (docs/deploy.md). Starts a PostgreSQL primary
# and a synchronous streaming standby (pg_basebackup -R) on 127.0.0.1, records facts through
# Pathway on the primary, keeps a writer recording while the primary is stopped hard (immediate
# mode: no shutdown checkpoint, as in a crash) in the middle of a commit, promotes the standby
# and points Pathway at it. Every fact Pathway acknowledged must be there, the chain must
# verify, an anchor taken on the primary must still hold, the batch whose commit was in flight
# must be there whole or not at all, and recording must carry on. fsync and synchronous_commit
# stay on: this is about durability.
#
# Needs a PostgreSQL server installed (scripts/setup.sh). As root, the servers run as the
# `postgres` user. Everything lives in a fresh temporary folder, removed on exit (PW_KEEP=1
# keeps it for a post-mortem). Trust authentication is for this test only: loopback, test data.
set -u
shopt -s extglob
: "${PATHWAY:?set PATHWAY to the pathway binary}"
: "${PW_SOURCE:?set PW_SOURCE to the source tree}"
unset PATHWAY_DB PATHWAY_USER PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE \
    PGSSLMODE PGOPTIONS PGTARGETSESSIONATTRS
export PGCONNECT_TIMEOUT=5

STANDBY_NAME=pw_standby # the standby's application_name, which synchronous_standby_names names
BATCHES=20              # batches of 8 facts recorded on the primary before the anchor
BG_HOUSEHOLDS=5         # households of 8 facts in each batch of the background writer: 40 facts
BG_MAX=100              # the background writer's upper bound (it stops at its first failure)

started=$SECONDS
passed=0
failed=0
primary_data=""
standby_data=""
writer_pid=""
receiver_pid=""

say() { echo "failover: $*"; }
ok() {
    passed=$((passed + 1))
    echo "ok: $*"
}
bad() {
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
}

. "$(dirname "$0")/common.sh"
bindir=$pg_bindir
if [ -z "$bindir" ]; then
    echo "test_failover: no PostgreSQL server installed (scripts/setup.sh installs it)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

T=$(mktemp -d /tmp/pw-failover-XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres: "$T"
mkdir "$T/facts"
cd "$T" || exit 1 # the postgres user must be able to stand in the working folder

cleanup() {
    # A frozen process ignores the shutdown: thaw the standby's WAL receiver first.
    [ -n "$receiver_pid" ] && kill -CONT "$receiver_pid" 2>/dev/null
    if [ -n "$writer_pid" ] && kill -0 "$writer_pid" 2>/dev/null; then
        kill "$writer_pid" 2>/dev/null
        wait "$writer_pid" 2>/dev/null
    fi
    for d in "$primary_data" "$standby_data"; do
        if [ -n "$d" ] && [ -f "$d/postmaster.pid" ]; then
            as_pg "$bindir/pg_ctl" -D "$d" -m immediate -w -t 20 stop >/dev/null 2>&1
        fi
    done
    cd /
    if [ "${PW_KEEP:-}" = 1 ]; then
        echo "failover: kept $T" >&2
    else
        rm -rf "$T"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# abort WHAT: a step the rest depends on failed; show the servers' logs and stop.
abort() {
    bad "$*"
    for log in "$T/primary.log" "$T/standby.log"; do
        if [ -s "$log" ]; then
            echo "--- last lines of $log" >&2
            tail -n 20 "$log" >&2
        fi
    done
    say "gave up after $((SECONDS - started))s"
    echo "$passed passed, $failed failed"
    exit 1
}

# sql PORT QUERY: the answer of the server on PORT, unaligned, no headers ("" on error).
sql() {
    psql -X -A -t -q -h 127.0.0.1 -p "$1" -U pathway -d postgres -c "$2" 2>/dev/null
}

# poll SECONDS COMMAND...: runs COMMAND every 0.1s until it succeeds (0) or time is up (1).
poll() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}

# wait_until SECONDS WHAT COMMAND...: poll, aborting with a message naming WHAT on timeout.
wait_until() {
    local limit=$1 what=$2
    shift 2
    poll "$limit" "$@" || abort "timed out after ${limit}s waiting for $what"
}

# start_pg DATA LOG EXTRA: starts the cluster in DATA on a free loopback port (another one if
# it was taken meanwhile) with the extra server options EXTRA; prints the port.
start_pg() {
    local data=$1 log=$2 extra=$3 port
    for _ in $(seq 1 20); do
        port=$((20000 + RANDOM % 20000))
        port_free "$port" || continue
        if as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 \
            -o "-p $port $extra" start >/dev/null 2>&1; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# pw URL ARGS...: runs pathway on URL (bounded); stdout in $out, stderr in $errs, exit in $rc.
pw() {
    local url=$1
    shift
    out=$(timeout 60 "$PATHWAY" --db "$url" "$@" 2>"$T/stderr")
    rc=$?
    errs=$(cat "$T/stderr")
}

# fact TYPE ID FIELDS: one fact as a JSON line (FIELDS may span lines: they are joined),
# recorded by a social worker on 2 June 2025.
fact() {
    printf '{"type":"%s","id":"%s","at":"2025-06-02","agency":"csc","by":"sw.failover",%s}\n' \
        "$1" "$2" "${3//$'\n'*( )/}"
}

# gen_batch N [H]: writes batch N to $T/facts/bN.jsonl and its fact ids, sorted, to
# $T/facts/bN.ids: H households (default 1) of three (a girl, her mother, the mother's new
# partner), 8 facts each: three people registered, where they live, how they are related.
gen_batch() {
    local n=$1 households=${2:-1} k p a
    for k in $(seq 1 "$households"); do
        p="p-fo$n-$k"
        a='"address":{"line1":"'"$n-$k"' Failover Row","town":"Leeds","postcode":"LS6 2AB"}'
        fact person.registered "fo$n-$k-1" '"person":"'"$p"'-c","dob":"2017-03-0'$((k % 9 + 1))'",
            "names":[{"given":"Ada'"$n"'","family":"Rowe'"$k"'","kind":"birth"}],"sex":"female"'
        fact person.registered "fo$n-$k-2" '"person":"'"$p"'-m","dob":"1990-01-1'$((k % 10))'",
            "names":[{"given":"Bea'"$n"'","family":"Rowe'"$k"'","kind":"birth"}],"sex":"female"'
        fact person.registered "fo$n-$k-3" '"person":"'"$p"'-p","dob":"1985-07-2'$((k % 10))'",
            "names":[{"given":"Cal'"$n"'","family":"Shaw'"$k"'","kind":"birth"},
                     {"given":"Cal","family":"Rowe'"$k"'","kind":"alias"}],"sex":"male"'
        fact residence.recorded "fo$n-$k-4" '"person":"'"$p"'-c",'"$a"',"since":"2017-03-01"'
        fact residence.recorded "fo$n-$k-5" '"person":"'"$p"'-m",'"$a"',"since":"2016-05-01"'
        fact residence.recorded "fo$n-$k-6" '"person":"'"$p"'-p",'"$a"',"since":"2025-05-10"'
        fact relationship.recorded "fo$n-$k-7" '"from":"'"$p"'-m","to":"'"$p"'-c","kind":"parent"'
        fact relationship.recorded "fo$n-$k-8" \
            '"from":"'"$p"'-p","to":"'"$p"'-m","kind":"parent_partner","since":"2024-12-01"'
    done >"$T/facts/b$n.jsonl"
    ids_of <"$T/facts/b$n.jsonl" >"$T/facts/b$n.ids"
}

# size_of N: the number of facts in batch N.
size_of() {
    wc -l <"$T/facts/b$1.ids"
}

# ids_of: the fact ids in JSON lines on stdin (facts or `pathway facts --json`), sorted.
ids_of() {
    grep -o '"id":"[^"]*"' | sed 's/^"id":"//; s/"$//' | sort
}

# first WORDS: the first 20 words on stdin, on one line.
first() {
    head -n 20 | tr '\n' ' '
}

# ---------------------------------------------------------------------------------------------
# The primary: durable, replicating, and synchronous on the standby.
say "PostgreSQL binaries in $bindir; working in $T"
primary_data="$T/primary"
as_pg "$bindir/initdb" -D "$primary_data" -U pathway -A trust -E UTF8 --locale=C.UTF-8 \
    >"$T/initdb.log" 2>&1 || {
    cat "$T/initdb.log" >&2
    abort "initdb of the primary"
}
cat >>"$primary_data/postgresql.conf" <<EOF

# test_failover.sh (pg_basebackup copies this to the standby)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$T'
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
cat >>"$primary_data/pg_hba.conf" <<EOF
# test_failover.sh: streaming replication from loopback, trusted (test only)
host    replication     pathway         127.0.0.1/32            trust
EOF
# Only the primary waits for a synchronous standby: the setting is on its command line, not in
# the files the standby inherits, so once promoted the standby (alone) waits for nobody.
if ! primary_port=$(start_pg "$primary_data" "$T/primary.log" \
    "-c synchronous_standby_names=$STANDBY_NAME"); then
    abort "could not start the primary"
fi
say "primary on 127.0.0.1:$primary_port (synchronous_standby_names=$STANDBY_NAME)"
settings=$(sql "$primary_port" "SELECT current_setting('fsync') || ' ' ||
                                       current_setting('synchronous_commit')")
if [ "$settings" = "on on" ]; then
    ok "the primary runs with fsync and synchronous_commit on"
else
    bad "the primary's fsync and synchronous_commit are '$settings', not 'on on'"
fi

# ---------------------------------------------------------------------------------------------
# The standby: a base backup streaming its WAL (-X stream), set up to follow (-R) under the
# name synchronous_standby_names gives, through a replication slot (-C -S).
standby_data="$T/standby"
as_pg "$bindir/pg_basebackup" -D "$standby_data" -X stream -R -c fast -C -S "$STANDBY_NAME" \
    -d "host=127.0.0.1 port=$primary_port user=pathway application_name=$STANDBY_NAME" \
    >"$T/basebackup.log" 2>&1 || {
    cat "$T/basebackup.log" >&2
    abort "pg_basebackup"
}
if ! grep -q "application_name=$STANDBY_NAME" "$standby_data/postgresql.auto.conf" ||
    ! grep -q "primary_slot_name = '$STANDBY_NAME'" "$standby_data/postgresql.auto.conf" ||
    [ ! -f "$standby_data/standby.signal" ]; then
    abort "pg_basebackup -R did not write standby.signal, primary_conninfo and the slot"
fi
if ! standby_port=$(start_pg "$standby_data" "$T/standby.log" ""); then
    abort "could not start the standby"
fi
say "standby on 127.0.0.1:$standby_port; waiting for it to be the synchronous standby"

standby_is_sync() {
    [ "$(sql "$primary_port" "SELECT state || ' ' || sync_state FROM pg_stat_replication
                              WHERE application_name = '$STANDBY_NAME'")" = "streaming sync" ]
}
wait_until 30 "pg_stat_replication on the primary to show $STANDBY_NAME streaming and sync" \
    standby_is_sync
ok "the standby streams and is synchronous (pg_stat_replication: streaming, sync)"

# ---------------------------------------------------------------------------------------------
# Pathway on the primary. Creating the database commits, so it already waits for the standby.
sql "$primary_port" "CREATE DATABASE pathway" >/dev/null
if [ "$(sql "$primary_port" "SELECT count(*) FROM pg_database WHERE datname = 'pathway'")" != 1 ]
then
    abort "CREATE DATABASE pathway on the primary"
fi
PRIMARY="postgresql://pathway@127.0.0.1:$primary_port/pathway?connect_timeout=5"
STANDBY="postgresql://pathway@127.0.0.1:$standby_port/pathway?connect_timeout=5"
pw "$PRIMARY" init
[ "$rc" -eq 0 ] || abort "pathway init on the primary: exit $rc: $errs"
ok "pathway init on the primary"

: >"$T/acked.ids"
acked=0
say "recording $BATCHES batches of 8 facts on the primary"
for n in $(seq 1 "$BATCHES"); do
    gen_batch "$n"
    pw "$PRIMARY" record "$T/facts/b$n.jsonl"
    if [ "$rc" -eq 0 ] && [ "$out" = "recorded 8 facts; the log is at $((acked + 8))" ]; then
        cat "$T/facts/b$n.ids" >>"$T/acked.ids"
        acked=$((acked + 8))
    else
        bad "batch $n on the primary: exit $rc: $out $errs"
    fi
done
if [ "$acked" -ne $((BATCHES * 8)) ]; then
    abort "the primary acknowledged $acked facts, not $((BATCHES * 8))"
fi
ok "the primary acknowledged $BATCHES batches, $acked facts"

pw "$PRIMARY" audit head
anchor=$out
if [ "$rc" -ne 0 ] || ! [[ "$anchor" =~ ^$acked:[0-9a-f]{64}$ ]]; then
    abort "pathway audit head on the primary: exit $rc: $out $errs"
fi
ok "anchor taken on the primary: $anchor"
pw "$PRIMARY" facts --json
[ "$rc" -eq 0 ] || abort "pathway facts --json on the primary: exit $rc: $errs"
printf '%s\n' "$out" >"$T/primary-at-anchor.jsonl"

# ---------------------------------------------------------------------------------------------
# A read-only Pathway on the standby reads and verifies (once it has replayed), and cannot
# record.
lsn=$(sql "$primary_port" "SELECT pg_current_wal_lsn()")
standby_replayed() {
    [ "$(sql "$standby_port" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ]
}
wait_until 20 "the standby to replay up to $lsn" standby_replayed

# A read-only Pathway on the standby: opening a current store writes nothing, so it works there.
pw "$STANDBY" audit verify --anchor "$anchor"
if [ "$rc" -eq 0 ] && [[ "$out" == *"intact: $acked entries verified"* ]]; then
    ok "a read-only Pathway on the standby verifies the chain and the anchor"
else
    bad "audit verify on the standby: exit $rc: $out $errs"
fi
pw "$STANDBY" facts --json
if [ "$rc" -eq 0 ] && [ "$out" = "$(cat "$T/primary-at-anchor.jsonl")" ]; then
    ok "a read-only Pathway on the standby lists what the primary lists"
else
    bad "facts --json on the standby (exit $rc) differs from the primary's: $errs"
fi
gen_batch 999
pw "$STANDBY" record "$T/facts/b999.jsonl"
if [ "$rc" -eq 10 ] && [[ "$errs" == *"read-only (a standby): record on the primary"* ]]; then
    ok "the standby refuses to record, saying to record on the primary (exit 10)"
else
    bad "recording on the standby: expected a refusal (exit 10), got exit $rc: $out $errs"
fi

# ---------------------------------------------------------------------------------------------
# A writer records batch after batch on the primary, and stops at its first failure: that batch
# is in doubt (it may have committed without Pathway hearing so), and must be on the standby
# whole or not at all. Only what it was told was recorded counts as acknowledged.
writer() {
    local n rc out
    for n in $(seq 101 $((100 + BG_MAX))); do
        gen_batch "$n" "$BG_HOUSEHOLDS"
        out=$(timeout 30 "$PATHWAY" --db "$PRIMARY" record "$T/facts/b$n.jsonl" 2>"$T/bg.stderr")
        rc=$?
        if [ "$rc" -eq 0 ] &&
            [[ "$out" == "recorded $(size_of "$n") facts; the log is at "* ]]; then
            cat "$T/facts/b$n.ids" >>"$T/bg.acked.ids"
            echo "$n" >>"$T/bg.acked"
        else
            echo "$n $rc $(tr '\n' ' ' <"$T/bg.stderr" | head -c 400)" >"$T/bg.failed"
            return 0
        fi
    done
}
: >"$T/bg.acked"
: >"$T/bg.acked.ids"
writer &
writer_pid=$!
bg_has_some() { [ "$(wc -l <"$T/bg.acked")" -ge 3 ]; }
wait_until 30 "the background writer to record 3 batches" bg_has_some

# The primary dies while a commit waits for the standby's acknowledgement: the standby's WAL
# receiver is frozen (SIGSTOP), so the writer's next COMMIT, flushed on the primary and sent to
# the standby, waits in SyncRep; then the primary is stopped and the receiver thawed.
receiver_pid=$(sql "$standby_port" "SELECT pid FROM pg_stat_wal_receiver")
[[ "$receiver_pid" =~ ^[0-9]+$ ]] || abort "no WAL receiver on the standby"
kill -STOP "$receiver_pid" || abort "could not freeze the standby's WAL receiver"
commit_waits_for_standby() { # ...and the primary has sent the standby all it has flushed
    [ "$(sql "$primary_port" "SELECT count(*) > 0 FROM pg_stat_activity
                              WHERE wait_event = 'SyncRep'")" = t ] &&
        flushed=$(sql "$primary_port" "SELECT pg_current_wal_flush_lsn()") &&
        [ "$(sql "$primary_port" "SELECT bool_and(sent_lsn >= '$flushed'::pg_lsn)
                                  FROM pg_stat_replication")" = t ]
}
wait_until 20 "a commit on the primary to wait for the frozen standby (wait_event SyncRep)" \
    commit_waits_for_standby
ok "a batch's COMMIT on the primary waits for the standby (wait_event SyncRep)"

say "stopping the primary hard (pg_ctl stop -m immediate) in the middle of that commit"
as_pg "$bindir/pg_ctl" -D "$primary_data" -m immediate -w -t 20 stop >/dev/null 2>&1 ||
    abort "pg_ctl stop -m immediate on the primary"
kill -CONT "$receiver_pid"
receiver_pid=""
# Let the thawed receiver write what was sent before promoting. If it cannot, the in-flight
# commit is lost, which is allowed (it was never acknowledged), and the checks below say so.
standby_received() {
    [ "$(sql "$standby_port" "SELECT pg_last_wal_receive_lsn() >= '$flushed'::pg_lsn")" = t ]
}
if poll 10 standby_received; then
    say "the standby has received everything the primary flushed (up to $flushed)"
else
    say "the standby did not receive all the primary flushed (up to $flushed)"
fi
writer_done() { ! kill -0 "$writer_pid" 2>/dev/null; }
wait_until 40 "the background writer to stop after the primary went" writer_done
wait "$writer_pid"
writer_pid=""
if psql -X -h 127.0.0.1 -p "$primary_port" -U pathway -d postgres -c "SELECT 1" >/dev/null 2>&1
then
    bad "the primary still answers after pg_ctl stop -m immediate"
else
    ok "the primary is down"
fi

bg_batches=$(wc -l <"$T/bg.acked")
acked=$((acked + $(wc -l <"$T/bg.acked.ids")))
sort -o "$T/acked.ids" "$T/acked.ids" "$T/bg.acked.ids"
doubt=""
doubt_rc=""
: >"$T/doubt.ids"
if [ -s "$T/bg.failed" ]; then
    read -r doubt doubt_rc doubt_msg <"$T/bg.failed"
    say "the writer had $bg_batches batches acknowledged; batch $doubt is in doubt" \
        "(exit $doubt_rc: $doubt_msg)"
    cp "$T/facts/b$doubt.ids" "$T/doubt.ids"
    if [ "$doubt_rc" = 10 ]; then
        ok "the in-flight batch failed as a storage error (exit 10)"
    else
        bad "the in-flight batch ended with exit $doubt_rc, expected 10 (storage error)"
    fi
else
    bad "the background writer never failed, so the primary did not stop under it"
fi
say "$acked facts acknowledged in all"

# ---------------------------------------------------------------------------------------------
# Promote the standby and point Pathway at it.
say "promoting the standby"
as_pg "$bindir/pg_ctl" -D "$standby_data" -w -t 30 promote >/dev/null 2>&1 ||
    abort "pg_ctl promote on the standby"
standby_writable() {
    [ "$(sql "$standby_port" "SELECT NOT pg_is_in_recovery()
                              AND current_setting('transaction_read_only') = 'off'")" = t ]
}
wait_until 30 "the promoted standby to accept writes" standby_writable
ok "the standby is promoted and accepts writes"
PROMOTED=$STANDBY

pw "$PROMOTED" facts --json
[ "$rc" -eq 0 ] || abort "pathway facts --json on the promoted standby: exit $rc: $errs"
printf '%s\n' "$out" >"$T/promoted.jsonl"
ids_of <"$T/promoted.jsonl" >"$T/promoted.ids"
there=$(wc -l <"$T/promoted.ids")

missing=$(comm -23 "$T/acked.ids" "$T/promoted.ids")
if [ -z "$missing" ]; then
    ok "every acknowledged fact ($acked) is on the promoted standby"
else
    bad "acknowledged facts missing after failover: $(first <<<"$missing")"
fi

extra=$(comm -13 "$T/acked.ids" "$T/promoted.ids")
doubt_there=0
if [ -z "$extra" ]; then
    ok "the in-doubt batch${doubt:+ $doubt} is not there at all"
elif [ "$extra" = "$(cat "$T/doubt.ids")" ]; then
    doubt_there=$(size_of "$doubt")
    ok "the in-doubt batch $doubt is there whole (it committed; the acknowledgement was lost)"
    # It committed though the connection dropped: pathway must not have said otherwise.
    if grep -q "nothing was recorded" "$T/bg.failed"; then
        bad "pathway record said \"nothing was recorded\" of batch $doubt, which committed"
    elif grep -q "may or may not be recorded" "$T/bg.failed"; then
        ok "pathway record said the in-doubt batch may or may not be recorded, and to record it again"
    else
        bad "pathway record's message for the in-doubt batch: $(cat "$T/bg.failed")"
    fi
else
    bad "facts on the promoted standby that are neither acknowledged nor the whole in-doubt" \
        "batch: $(first <<<"$extra")"
fi
expect=$((acked + doubt_there))
if [ "$(sort -u "$T/promoted.ids" | wc -l)" -eq "$there" ] && [ "$there" -eq "$expect" ]; then
    ok "the promoted standby holds $there facts, each once"
else
    bad "the promoted standby lists $there facts, expected $expect distinct ones"
fi

n_anchor=${anchor%%:*}
if head -n "$n_anchor" "$T/promoted.jsonl" | cmp -s - "$T/primary-at-anchor.jsonl"; then
    ok "its first $n_anchor entries are, byte for byte, what the primary listed at the anchor"
else
    bad "its first $n_anchor entries differ from what the primary listed at the anchor"
fi

pw "$PROMOTED" audit verify
if [ "$rc" -eq 0 ] && [[ "$out" == "intact: $expect entries verified"* ]]; then
    ok "audit verify on the promoted standby: $out"
else
    bad "audit verify on the promoted standby: exit $rc: $out $errs"
fi
pw "$PROMOTED" audit verify --anchor "$anchor"
if [ "$rc" -eq 0 ]; then
    ok "audit verify --anchor with the anchor taken on the primary: $out"
else
    bad "audit verify --anchor on the promoted standby: exit $rc: $out $errs"
fi

# ---------------------------------------------------------------------------------------------
# Recording carries on. The in-doubt batch is recorded again, as a client should (facts already
# recorded with the same content are skipped); then a new batch.
if [ -n "$doubt" ]; then
    pw "$PROMOTED" record "$T/facts/b$doubt.jsonl"
    if [ "$doubt_there" -gt 0 ]; then
        want="recorded 0 facts; $doubt_there already recorded, unchanged"
    else
        want="recorded $(size_of "$doubt") facts; the log is at $((expect + $(size_of "$doubt")))"
    fi
    if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then
        ok "recording the in-doubt batch again on the promoted standby: $out"
    else
        bad "recording batch $doubt again: exit $rc: $out $errs (expected '$want')"
    fi
    expect=$((acked + $(size_of "$doubt")))
fi
gen_batch 500
pw "$PROMOTED" record "$T/facts/b500.jsonl"
expect=$((expect + 8))
if [ "$rc" -eq 0 ] && [ "$out" = "recorded 8 facts; the log is at $expect" ]; then
    ok "a new batch records on the promoted standby: $out"
else
    bad "recording on the promoted standby: exit $rc: $out $errs"
fi
pw "$PROMOTED" audit verify --anchor "$anchor"
if [ "$rc" -eq 0 ] && [[ "$out" == "intact: $expect entries verified"* ]]; then
    ok "the chain still verifies, with the anchor: $out"
else
    bad "audit verify --anchor after recording on the promoted standby: exit $rc: $out $errs"
fi

say "took $((SECONDS - started))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
