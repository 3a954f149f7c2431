# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154  # sets variables for scripts/ha-suite and reads its own
# The production shape of scripts/ha-suite on loopback: a PostgreSQL primary with a synchronous
# streaming replica, an HTTP role check per node (deploy/haproxy/pg-role-check), HAProxy running
# deploy/haproxy/haproxy.cfg with loopback addresses, and collectors behind it. Source it after
# common.sh, postgres.sh, e2e.sh and outpost-system.sh, once `bin` and `work` are set; do not run it.

# ---- PostgreSQL: primary ($work/pg, started by start_throwaway_postgres) and replica ----

# pg_start_node DATA SOCKET-DIR PORT LOG [postgres options…]: starts the cluster in DATA.
pg_start_node() {
    local data=$1 socket=$2 port=$3 log=$4; shift 4
    as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $socket $*" >/dev/null
}

# start_replica OPTIONS: a streaming replica of the throwaway primary (PG_PORT) in
# $work/pg-replica on REPLICA_PORT, then the primary waits for it on every commit
# (synchronous_standby_names = '*'): an acknowledged batch survives the primary's death.
start_replica() {
    local options=$1
    mkdir -p "$work/pg-replica"
    chown "$PG_OS_USER" "$work/pg-replica"
    as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U outpost \
        -D "$work/pg-replica/data" -R -X stream -c fast >/dev/null || fail "pg_basebackup failed"
    REPLICA_PORT=$(free_port)
    # shellcheck disable=SC2086  # options are words
    pg_start_node "$work/pg-replica/data" "$work/pg-replica" "$REPLICA_PORT" "$work/pg-replica/log" $options \
        || { cat "$work/pg-replica/log" >&2; fail "the replica did not start"; }
    primary_psql -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null
    wait_until 30 primary_streams_synchronously || fail "the replica does not stream synchronously"
    say "PostgreSQL replica streaming synchronously on 127.0.0.1:$REPLICA_PORT"
}
primary_psql() { "$PG_BINDIR/psql" "postgres://outpost@127.0.0.1:$PG_PORT/postgres" -X -v ON_ERROR_STOP=1 -Atq "$@"; }
primary_streams_synchronously() {
    [[ "$(primary_psql -c "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'" 2>/dev/null)" == 1 ]]
}

# kill_primary: SIGKILL of the primary's postmaster and backends (a dead host).
kill_primary() {
    local postmaster backends
    postmaster=$(head -1 "$work/pg/data/postmaster.pid")
    backends=$(pgrep -P "$postmaster" || true)
    # shellcheck disable=SC2086  # a backend may have exited since pgrep
    kill -9 "$postmaster" $backends 2>/dev/null || true
}

# promote_replica: the replica becomes the writable primary.
promote_replica() {
    as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_ctl" -D "$work/pg-replica/data" -w -t 60 promote >/dev/null \
        || fail "the replica was not promoted"
}

# stop_replica: stops the replica if it runs (the primary is stopped by stop_throwaway_postgres).
stop_replica() {
    [[ -f "$work/pg-replica/data/postmaster.pid" ]] || return 0
    as_postgres_user "$PG_OS_USER" "$PG_BINDIR/pg_ctl" -D "$work/pg-replica/data" -m immediate stop >/dev/null 2>&1 || true
}

# start_role_checks: deploy/haproxy/pg-role-check for each node, on PRIMARY_CHECK_PORT and
# REPLICA_CHECK_PORT.
start_role_checks() {
    PRIMARY_CHECK_PORT=$(free_port)
    REPLICA_CHECK_PORT=$(free_port)
    local node port check
    for node in "primary $PG_PORT $PRIMARY_CHECK_PORT" "replica $REPLICA_PORT $REPLICA_CHECK_PORT"; do
        read -r name port check <<<"$node"
        /usr/bin/python3 deploy/haproxy/pg-role-check --listen "127.0.0.1:$check" --psql "$PG_BINDIR/psql" --timeout 1 \
            --dsn "host=127.0.0.1 port=$port user=outpost dbname=postgres connect_timeout=1" >>"$work/pg-check-$name.log" 2>&1 &
        pids+=("$!")
    done
}

# ---- HAProxy ----

# render_haproxy_config FILE: deploy/haproxy/haproxy.cfg from `defaults` on, with its ports
# replaced by LB_*_PORT, collector-N's addresses by 127.0.0.1 and collector_ports_N, and the
# PostgreSQL nodes by the primary and the replica; a foreground global section of its own.
render_haproxy_config() {
    local out=$1 n edits=()
    edits+=(-e "s/bind :8443\$/bind :$LB_AGENT_PORT/" -e "s/bind :8444\$/bind :$LB_ENROL_PORT/"
            -e "s/bind :8080\$/bind :$LB_HTTP_PORT/" -e "s/bind :5432\$/bind 127.0.0.1:$LB_PG_PORT/")
    for n in 1 2 3; do
        local -n ports="collector_ports_$n"
        edits+=(-e "/ collector-$n /{s/collector-$n\.outpost\.internal:8443/127.0.0.1:${ports[0]}/;s/collector-$n\.outpost\.internal:8444/127.0.0.1:${ports[1]}/;s/collector-$n\.outpost\.internal:8080/127.0.0.1:${ports[2]}/;s/port 8080/port ${ports[2]}/}")
    done
    edits+=(-e "s/pg-1\.outpost\.internal:5432 check port 8008/127.0.0.1:$PG_PORT check port $PRIMARY_CHECK_PORT/"
            -e "s/pg-2\.outpost\.internal:5432 check port 8008/127.0.0.1:$REPLICA_PORT check port $REPLICA_CHECK_PORT/")
    {
        printf 'global\n    maxconn 5000\n    log stderr format short local0 info\n\n'
        sed -n '/^defaults/,$p' deploy/haproxy/haproxy.cfg | sed "${edits[@]}"
    } >"$out"
    if grep -q 'outpost\.internal\|:8443$\|:8444$\|:8080$\|:5432$' "$out"; then
        fail "haproxy.cfg has addresses the suite does not replace: $(grep -n 'outpost\.internal\|:8443$\|:8444$\|:8080$\|:5432$' "$out" | head -3)"
    fi
    haproxy -c -q -f "$out" || fail "haproxy -c refuses the rendered configuration $out"
}

# start_haproxy: HAProxy in the foreground on $work/haproxy.cfg; its pid in haproxy_pid.
start_haproxy() {
    haproxy -db -f "$work/haproxy.cfg" >>"$work/haproxy.log" 2>&1 &
    haproxy_pid=$!
    pids+=("$haproxy_pid")
    wait_until 10 port_listens "$LB_AGENT_PORT" || fail "haproxy does not listen on $LB_AGENT_PORT"
}
port_listens() { ss -Htln "sport = :$1" | grep -q .; }

# stop_haproxy: SIGTERM (a hard stop: every proxied connection closes at once).
stop_haproxy() {
    kill -TERM "$haproxy_pid" 2>/dev/null || true
    wait "$haproxy_pid" 2>/dev/null || true
}

# ---- collectors behind HAProxy ----

# start_ha_collector N: collector-N on its collector_ports_N (agent, enrolment, HTTP).
start_ha_collector() {
    local -n ports="collector_ports_$1"
    start_collector "c$1" "${ports[@]}"
}

# collector_ready N: collector-N's /readyz answers 200.
collector_ready() {
    local -n ports="collector_ports_$1"
    curl -sf -m 2 "http://127.0.0.1:${ports[2]}/readyz" >/dev/null
}

# scrape_metrics N FILE: collector-N's /metrics into FILE (empty when it does not answer).
scrape_metrics() {
    local -n ports="collector_ports_$1"
    curl -sf -m 5 "http://127.0.0.1:${ports[2]}/metrics" >"$2" || : >"$2"
}
