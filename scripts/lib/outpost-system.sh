# shellcheck disable=SC2034,SC2154  # sets variables for scripts/fault-suite and reads its own
# Runs the real Outpost binaries as a small system for scripts/fault-suite: one agent-side network
# namespace behind a veth "WAN" link, collectors in the root namespace, agents enrolled by
# one-time tokens, and the counts that prove delivery. Source it after common.sh, postgres.sh and
# e2e.sh, once `bin`, `work` and `tag` (e2e_workdir), `database_url` and `PG_BINDIR` are set; do
# not run it.

wan_octet=$((RANDOM % 200 + 20))
ns="outpost-$tag"
wan="$tag-w"
collector_ip="10.214.$wan_octet.1"
# libfaketime, preceded by a shim that restores Swift's CommandLine.arguments under it (see
# swift-argv-shim.c); `faketime_preload` is the LD_PRELOAD value, built by build_faketime_preload.
faketime_preload=""
build_faketime_preload() {
    local lib
    lib=$(find /usr/lib/*/faketime -name libfaketime.so.1 2>/dev/null | head -1)
    [[ -n "$lib" ]] || fail "libfaketime not found (apt package faketime)"
    cc -shared -fPIC -o "$work/swift-argv-shim.so" scripts/lib/swift-argv-shim.c -ldl || fail "cannot build the argv shim (cc)"
    faketime_preload="$work/swift-argv-shim.so:$lib"
}

# The agents' side: namespace $ns reaching the collectors at $collector_ip over veth $wan.
create_branch_namespace() { veth_wan "$ns" "$wan" "$collector_ip" "10.214.$wan_octet.2"; }

# start_collector NAME AGENT-PORT ENROL-PORT HTTP-PORT [extra run flags…]: starts (or restarts)
# collector NAME, waits until it listens; its pid goes to collector_pid[NAME]. With
# clock_file[NAME] set, it runs under libfaketime reading its offset from that file.
declare -A collector_pid collector_port clock_file
start_collector() {
    local name=$1 agent_port=$2; shift
    local faketime=()
    if [[ -n "${clock_file[$name]:-}" ]]; then
        faketime=(LD_PRELOAD="$faketime_preload" FAKETIME_TIMESTAMP_FILE="${clock_file[$name]}" FAKETIME_NO_CACHE=1
                  FAKETIME_DONT_FAKE_MONOTONIC=1)
    fi
    start_collector_and_wait "collector-$name" "$1" "$2" "$3" "${faketime[@]}" "${@:4}"
    collector_pid[$name]=$collector
    collector_port[$name]=$agent_port
}

# add_branch NAME DEVICES OCTET: branch NAME with DEVICES hosts 10.79.OCTET.1… on the namespace's loopback.
add_branch() {
    local name=$1 devices=$2 octet=$3
    "$bin/outpost-collector" branch add "$name" >/dev/null
    for host in $(seq 1 "$devices"); do ip netns exec "$ns" ip addr add "10.79.$octet.$host/32" dev lo; done
    psql_db -c "INSERT INTO standalone_devices (name, ip, device_type, branch_id)
                SELECT '$name-' || h, '10.79.$octet.' || h, 'server', b.id FROM branches b, generate_series(1, $devices) h
                WHERE b.name = '$name'"
}

# enrol_agent NAME ENROL-PORT: enrols the agent of branch NAME into $work/agent-NAME (or the
# directory agent_dir[NAME] when set) by a one-time token, from inside the namespace.
declare -A agent_dir agent_pid agent_id agent_env agent_collector
enrol_agent() {
    local name=$1 enrol_port=$2
    agent_dir[$name]=${agent_dir[$name]:-$work/agent-$name}
    local token
    token=$("$bin/outpost-collector" token create --dir "$work/ca" --branch "$name" --ttl 10m \
        --collector "$collector_ip:$enrol_port" 2>/dev/null)
    ip netns exec "$ns" "$bin/outpost-agent" enrol --token "$token" --state-dir "${agent_dir[$name]}" \
        >>"$work/agent-$name.log" 2>&1 || fail "agent $name could not enrol"
    agent_id[$name]=$("$bin/outpost-agent" status --state-dir "${agent_dir[$name]}" | awk '$1 == "agent" { print $2 }')
}

# start_agent NAME AGENT-PORT [VAR=VALUE…]: runs agent NAME in the namespace with the given
# extra environment (e.g. libfaketime), reconnecting after at most 2 s.
start_agent() {
    local name=$1 port=$2; shift 2
    agent_collector[$name]=$port
    agent_env[$name]="$*"
    # shellcheck disable=SC2086  # agent_env holds VAR=VALUE words
    ip netns exec "$ns" env OUTPOST_AGENT_MAX_BACKOFF=2s ${agent_env[$name]} "$bin/outpost-agent" run \
        --state-dir "${agent_dir[$name]}" --collector "$collector_ip:$port" --server-name localhost >>"$work/agent-$name.log" 2>&1 &
    agent_pid[$name]=$!
    pids+=("$!")
}

# drop_agent_binary_cache: evicts the agent binary's pages from the page cache (not those another
# running process maps), so the next agent starts as after a branch box boots and reads its code
# from disk. A binary just written by the linker sits in the page cache in large folios, which
# this kernel maps whole on a fault: its resident set would count code it never runs.
drop_agent_binary_cache() {
    dd if="$bin/outpost-agent" iflag=nocache count=0 status=none
}

restart_agent() {  # NAME: starts it again with the same collector and environment
    # shellcheck disable=SC2086
    start_agent "$1" "${agent_collector[$1]}" ${agent_env[$1]}
}

alive() { kill -0 "$1" 2>/dev/null; }

# The agent's own view (`outpost-agent status`): created and acknowledged batch numbers,
# dropped results and batches. Sets created, acknowledged, dropped_results, dropped_batches.
read_agent_status() {
    local status
    status=$("$bin/outpost-agent" status --state-dir "${agent_dir[$1]}")
    created=$(sed -n 's/.*created through batch \([0-9]*\).*/\1/p' <<<"$status")
    acknowledged=$(sed -n 's/.*acknowledged through batch \([0-9]*\).*/\1/p' <<<"$status")
    read -r dropped_results dropped_batches < <(sed -n 's/.*dropped \([0-9]*\) results in \([0-9]*\) batches.*/\1 \2/p' <<<"$status")
}

# The collector's view: sets high_water, pending (sequences committed above it), rows and
# duplicates (rows sharing device and timestamp) of agent NAME.
read_stored() {
    read -r high_water pending rows duplicates < <(psql_db -F ' ' -c "
        SELECT coalesce((SELECT high_water FROM agent_sequences WHERE agent_id = '${agent_id[$1]}'), 0),
               coalesce((SELECT cardinality(committed_above) FROM agent_sequences WHERE agent_id = '${agent_id[$1]}'), 0),
               (SELECT count(*) FROM ping_results WHERE agent_id = '${agent_id[$1]}'),
               (SELECT count(*) FROM (SELECT 1 FROM ping_results WHERE agent_id = '${agent_id[$1]}'
                                      GROUP BY device_id, timestamp HAVING count(*) > 1) d)")
}

# caught_up NAME THROUGH: every batch agent NAME created through THROUGH is acknowledged and committed.
caught_up() {
    read_agent_status "$1"
    read_stored "$1"
    [[ "$acknowledged" -ge "$2" && "$high_water" -ge "$2" ]]
}

# wait_until SECONDS COMMAND…: polls COMMAND every 0.25 s; false if it is still false at the deadline.
wait_until() {
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.25
    done
}
