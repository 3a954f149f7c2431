# Setup and teardown shared by the scripts that run the real binaries (scripts/e2e-test.sh,
# scripts/e2e-alerts.sh, and scripts/fault-suite and scripts/lib/system-bench.sh through
# outpost-system.sh): work directory, database, network namespaces behind veth links, CA,
# collector start, and a cleanup that undoes what was recorded. Source it after common.sh;
# do not run it. The caller defines `fail MESSAGE` (its own die with a prefix); the functions
# below that run the binaries need `bin` (the build's bin path) and `work`.

pids=()            # every process started, killed by e2e_stop_processes
e2e_namespaces=()  # network namespaces created, deleted by e2e_remove_network
e2e_links=()       # root-namespace links created, deleted by e2e_remove_network
database=""        # the database e2e_database created, dropped by e2e_drop_database

# e2e_require_test_postgres: the PostgreSQL server scripts/test started (OUTPOST_TEST_DATABASE_URL,
# OUTPOST_TEST_PG_BINDIR); sets server_url (its URL without a database) and PG_BINDIR.
e2e_require_test_postgres() {
    : "${OUTPOST_TEST_DATABASE_URL:?run through scripts/test, which starts PostgreSQL}"
    : "${OUTPOST_TEST_PG_BINDIR:?run through scripts/test}"
    server_url="${OUTPOST_TEST_DATABASE_URL%/*}"
    PG_BINDIR="$OUTPOST_TEST_PG_BINDIR"
}

# e2e_require_binaries: sets bin to the debug bin path; fails unless outpost-agent and
# outpost-collector are built there.
e2e_require_binaries() {
    bin="$(swift build --show-bin-path)"
    for binary in outpost-agent outpost-collector; do
        [[ -x "$bin/$binary" ]] || fail "$bin/$binary missing; run swift build first"
    done
}

# e2e_workdir LETTER NAME: sets tag (LETTER and the pid, at most 6 characters, so that interface
# names built from it stay within 15) and work, a new /tmp/outpost-NAME-… directory readable by
# the unprivileged users daemons drop to.
e2e_workdir() {
    tag="$1$$"
    tag="${tag:0:6}"
    work="$(mktemp -d "/tmp/outpost-$2-XXXXXX")"
    chmod 755 "$work"
}

# psql_server ARGS…: psql on the server's `postgres` database (server_url), quiet, unaligned,
# stopping at the first error. psql_db ARGS…: the same on database_url.
psql_server() { "$PG_BINDIR/psql" "$server_url/postgres" -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_db() { "$PG_BINDIR/psql" "$database_url" -v ON_ERROR_STOP=1 -Atq "$@"; }

# e2e_database NAME: database NAME on server_url, created afresh and migrated by the collector
# (log: $work/migrate.log); sets database and database_url, exports OUTPOST_DATABASE_URL.
e2e_database() {
    database=$1
    database_url="$server_url/$database"
    psql_server -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
    export OUTPOST_DATABASE_URL="$database_url"
    "$bin/outpost-collector" migrate >"$work/migrate.log" 2>&1 || fail "migrate failed"
}

# e2e_drop_database: drops the database e2e_database created, if any; never fails.
e2e_drop_database() {
    [[ -n "$database" ]] || return 0
    psql_server -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
}

# e2e_namespace NS: network namespace NS with its loopback up; deleted by e2e_remove_network.
e2e_namespace() {
    e2e_namespaces+=("$1")
    ip netns add "$1"
    ip netns exec "$1" ip link set lo up
}

# in_namespace NS COMMAND…: runs COMMAND in network namespace NS, or in the root namespace when
# NS is empty.
in_namespace() {
    local ns=$1; shift
    if [[ -n "$ns" ]]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# veth_pair NS IFACE IP PEER-NS PEER PEER-IP: a veth link, both ends up, between IFACE (IP/30)
# in namespace NS ("" for the root namespace) and PEER (PEER-IP/30) moved into namespace PEER-NS.
veth_pair() {
    local ns=$1 iface=$2 ip=$3 peer_ns=$4 peer=$5 peer_ip=$6
    in_namespace "$ns" ip link add "$iface" type veth peer name "$peer"
    in_namespace "$ns" ip link set "$peer" netns "$peer_ns"
    in_namespace "$ns" ip addr add "$ip/30" dev "$iface"
    in_namespace "$ns" ip link set "$iface" up
    ip netns exec "$peer_ns" ip addr add "$peer_ip/30" dev "$peer"
    ip netns exec "$peer_ns" ip link set "$peer" up
}

# veth_wan NS IFACE HOST-IP NS-IP: new namespace NS (loopback up) reached from the root namespace
# over a "WAN" veth link: IFACE (HOST-IP/30) here, IFACE-n (NS-IP/30) in NS. `ip link set IFACE
# down` cuts it. Both are removed by e2e_remove_network.
veth_wan() {
    local ns=$1 iface=$2 host_ip=$3 ns_ip=$4
    e2e_namespace "$ns"
    e2e_links+=("$iface")
    veth_pair "" "$iface" "$host_ip" "$ns" "$iface-n" "$ns_ip"
}

# e2e_remove_network: deletes the namespaces and links created above (and so every link in them).
e2e_remove_network() {
    local name
    for name in "${e2e_namespaces[@]}"; do ip netns del "$name" 2>/dev/null || true; done
    for name in "${e2e_links[@]}"; do ip link del "$name" 2>/dev/null || true; done
}

# init_ca [VAR=VALUE…] IP…: a CA in $work/ca, the collector's server certificate for localhost,
# 127.0.0.1 and each IP, and a credentials master key in $work/master.key (exported as
# OUTPOST_MASTER_KEY_FILE); output in $work/ca.log. The CA and its certificate are made under the
# leading VAR=VALUE environment (e.g. libfaketime, to backdate them).
init_ca() {
    local environment=() addresses=()
    while [[ $# -gt 0 && "$1" == [A-Z_]*=* ]]; do environment+=("$1"); shift; done
    for ip in "$@"; do addresses+=(--ip "$ip"); done
    env "${environment[@]}" "$bin/outpost-collector" ca init --dir "$work/ca" >"$work/ca.log" 2>&1
    env "${environment[@]}" "$bin/outpost-collector" ca issue-server --dir "$work/ca" --dns localhost --ip 127.0.0.1 \
        "${addresses[@]}" >>"$work/ca.log" 2>&1
    "$bin/outpost-collector" credentials master-key create "$work/master.key" >>"$work/ca.log" 2>&1
    export OUTPOST_MASTER_KEY_FILE="$work/master.key"
}

# collector_ports: sets agent_port, enrol_port and http_port to three free TCP ports.
collector_ports() {
    agent_port=$(free_port)
    enrol_port=$(free_port)
    http_port=$(free_port)
}

# start_collector_and_wait NAME AGENT-PORT ENROL-PORT HTTP-PORT [VAR=VALUE…] [run flags…]: starts
# `outpost-collector run` with the CA in $work/ca, agents on 0.0.0.0:AGENT-PORT, enrolment on
# 0.0.0.0:ENROL-PORT and HTTP on 127.0.0.1:HTTP-PORT, under the leading VAR=VALUE environment,
# appending to $work/NAME.log; sets collector to its pid (recorded in pids) and returns once it
# listens on AGENT-PORT. Fails if it exits first or does not listen within 15 s.
start_collector_and_wait() {
    local name=$1 agent_port=$2 enrol_port=$3 http_port=$4; shift 4
    local environment=()
    while [[ $# -gt 0 && "$1" == [A-Z_]*=* ]]; do environment+=("$1"); shift; done
    env "${environment[@]}" "$bin/outpost-collector" run --ca-dir "$work/ca" --listen "0.0.0.0:$agent_port" \
        --enrol-listen "0.0.0.0:$enrol_port" --http-listen "127.0.0.1:$http_port" "$@" >>"$work/$name.log" 2>&1 &
    collector=$!
    pids+=("$collector")
    for _ in $(seq 1 300); do
        ss -Htln "sport = :$agent_port" | grep -q . && return 0
        kill -0 "$collector" 2>/dev/null || fail "$name exited at start"
        sleep 0.05
    done
    fail "$name did not listen on $agent_port"
}

# e2e_stop_processes: kills every recorded process with SIGKILL and reaps them quietly.
e2e_stop_processes() {
    local pid
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true  # no "Killed" job notices
}

# e2e_print_logs LINES: the last LINES lines of every $work/*.log, on stderr.
e2e_print_logs() {
    local log
    for log in "$work"/*.log; do
        echo "---- $(basename "$log") (last $1 lines)" >&2
        tail -"$1" "$log" >&2 || true
    done
}

# e2e_cleanup: the EXIT trap of the end-to-end scripts: stops the processes, drops the database,
# removes the network, prints the logs when the script fails, and deletes $work.
e2e_cleanup() {
    local status=$?
    e2e_stop_processes
    e2e_drop_database
    e2e_remove_network
    if [[ $status -ne 0 ]]; then e2e_print_logs 30; fi
    rm -rf "$work"
}

# watch_process LABEL PID: from now on e2e_wait_for fails with "LABEL died" once PID has exited.
watched_pids=()
watched_labels=()
watch_process() {
    watched_labels+=("$1")
    watched_pids+=("$2")
}

# e2e_wait_for SECONDS WHAT COMMAND…: polls COMMAND every 0.1 s until it succeeds; fails when it
# has not after SECONDS ("timed out … waiting for WHAT") or when a watched process died.
e2e_wait_for() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds)) i
    until "$@"; do
        ((SECONDS < deadline)) || fail "timed out after ${seconds}s waiting for $what"
        for i in "${!watched_pids[@]}"; do
            kill -0 "${watched_pids[$i]}" 2>/dev/null || fail "${watched_labels[$i]} died"
        done
        sleep 0.1
    done
}
