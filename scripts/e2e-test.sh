#!/usr/bin/env bash
# End-to-end test of the real binaries: a collector and two agents in two network namespaces
# (two branches) behind their own veth "WAN" links, enrolled by one-time tokens, pinging hosts
# inside their namespace; branch b's agent runs a discovery sweep. Branch a's WAN is cut for a while and restored, the collector is
# killed with SIGKILL under load and restarted, and at the end every batch each agent created
# must be committed exactly once: agent_sequences.high_water equals the agent's last batch with
# nothing pending above it, the spool dropped nothing, and no result row is duplicated.
#
# Needs root (namespaces), a PostgreSQL server (OUTPOST_TEST_DATABASE_URL and
# OUTPOST_TEST_PG_BINDIR, as set by scripts/test) and built debug binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

fail() { die "e2e: $*"; }
e2e_require_test_postgres
e2e_require_binaries
e2e_workdir e e2e
net=$((RANDOM % 200 + 20))
ns_a="outpost-$tag-a"
ns_b="outpost-$tag-b"
wan_a="$tag-wa"
wan_b="$tag-wb"
trap e2e_cleanup EXIT

e2e_database "outpost_e2e_$tag"

# ---- two branches, each an agent namespace with hosts on its own loopback ----
say "e2e: namespaces $ns_a and $ns_b (WAN 10.213.$net.0/30 and 10.213.$((net + 1)).0/30)"
setup_branch() {  # namespace wan-interface subnet-octet host-octet
    local ns=$1 wan=$2 octet=$3 hosts=$4
    veth_wan "$ns" "$wan" "10.213.$octet.1" "10.213.$octet.2"
    for host in 1 2 3; do ip netns exec "$ns" ip addr add "10.78.$hosts.$host/32" dev lo; done
}
setup_branch "$ns_a" "$wan_a" "$net" 1
setup_branch "$ns_b" "$wan_b" "$((net + 1))" 2

# ---- CA, collector ----
init_ca "10.213.$net.1" "10.213.$((net + 1)).1"
collector_ports
start_collector() { start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"; }
start_collector

psql_db -c "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '2'), ('ping.packets', '2')"
for branch in a b; do
    "$bin/outpost-collector" branch add "e2e-$branch" >/dev/null
done
psql_db -c "
    INSERT INTO standalone_devices (name, ip, device_type, branch_id)
    SELECT 'host-' || b.name || '-' || h, '10.78.' || CASE b.name WHEN 'e2e-a' THEN 1 ELSE 2 END || '.' || h, 'server', b.id
    FROM branches b, generate_series(1, 3) h WHERE b.name IN ('e2e-a', 'e2e-b')"

# ---- SNMP: a real snmpd on one host of branch a, polled with the Linux template ----
mkdir -p "$work/snmp"
cat >"$work/snmpd.conf" <<CONF
agentAddress udp:10.78.1.1:161
rocommunity e2e-ro default
CONF
SNMP_PERSISTENT_DIR="$work/snmp" ip netns exec "$ns_a" /usr/sbin/snmpd -f -Lf "$work/snmpd.log" -C -c "$work/snmpd.conf" &
pids+=("$!")
"$bin/outpost-collector" templates import --builtin >/dev/null
"$bin/outpost-collector" templates apply "Linux (net-snmp)" --device host-e2e-a-1 >/dev/null
"$bin/outpost-collector" credentials set --device host-e2e-a-1 --version v2c --community e2e-ro >/dev/null
psql_db -c "UPDATE monitoring_items SET interval = 2"

# ---- enrolment by one-time token, from inside each namespace ----
declare -A agent_pid=()
start_agent() {  # branch namespace wan-octet
    local branch=$1 ns=$2 octet=$3
    ip netns exec "$ns" "$bin/outpost-agent" run --state-dir "$work/agent-$branch" \
        --collector "10.213.$octet.1:$agent_port" --server-name localhost >>"$work/agent-$branch.log" 2>&1 &
    pids+=("$!")
    agent_pid[$branch]=$!
}
for spec in "a $ns_a $net" "b $ns_b $((net + 1))"; do
    read -r branch ns octet <<<"$spec"
    token=$("$bin/outpost-collector" token create --dir "$work/ca" --branch "e2e-$branch" --ttl 10m \
        --collector "10.213.$octet.1:$enrol_port" 2>/dev/null)
    ip netns exec "$ns" "$bin/outpost-agent" enrol --token "$token" --state-dir "$work/agent-$branch" >>"$work/agent-$branch.log" 2>&1 ||
        fail "agent $branch could not enrol"
    # A used token is refused the second time.
    if ip netns exec "$ns" "$bin/outpost-agent" enrol --token "$token" --state-dir "$work/agent-$branch-again" >>"$work/agent-$branch.log" 2>&1; then
        fail "a token was accepted twice"
    fi
    start_agent "$branch" "$ns" "$octet"
done

rows_of() {  # branch [extra SQL condition]
    psql_db -c "SELECT count(*) FROM ping_results r JOIN standalone_devices d ON d.id = r.device_id
                 JOIN branches b ON b.id = d.branch_id WHERE b.name = 'e2e-$1' ${2:-}"
}
watch_process "agent a" "${agent_pid[a]}"
watch_process "agent b" "${agent_pid[b]}"
reachable_rows() { [[ $(rows_of "$1" "AND r.packets_received > 0") -ge $2 ]]; }

polled_values() {
    [[ $(psql_db -c "SELECT count(*) FROM item_history h JOIN standalone_devices d ON d.id = h.device_id
                      WHERE d.name = 'host-e2e-a-1' AND h.value_numeric IS NOT NULL") -ge $1 ]]
}
say "e2e: waiting for results from both branches"
e2e_wait_for 60 "results from branch a" reachable_rows a 6
e2e_wait_for 60 "results from branch b" reachable_rows b 6
e2e_wait_for 60 "SNMP item values from branch a" polled_values 6
# The operator endpoints see the same: ready, rows counted, both agents connected.
curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null || fail "/readyz is not ready"
rows_metric=$(curl -sf "http://127.0.0.1:$http_port/metrics" | awk '$1 == "outpost_ingest_rows_total" { print int($2) }')
[[ "${rows_metric:-0}" -gt 0 ]] || fail "/metrics counts no ingested rows"
# The management API through an operator's token (kept out of argv: curl reads it from stdin).
printf '%s\n' 'e2e viewer password' | "$bin/outpost-collector" user add e2e-viewer --role viewer >/dev/null
api_token=$("$bin/outpost-collector" api-token create --user e2e-viewer --name e2e 2>/dev/null)
connected=$(printf 'header = "Authorization: Bearer %s"\n' "$api_token" |
    curl -sf --config - "http://127.0.0.1:$http_port/api/v1/agents" | grep -o '"connected":true' | wc -l)
[[ "$connected" == 2 ]] || fail "/api/v1/agents shows $connected connected agents, expected 2"

# ---- discovery: a /29 of branch b swept by its agent; the one new host is imported once ----
say "e2e: discovery of branch b's 10.78.2.0/29 through its agent"
ip netns exec "$ns_b" ip addr add 10.78.2.4/32 dev lo
"$bin/outpost-collector" discovery rule add e2e-b-lan --range 10.78.2.0/29 --branch e2e-b --ping-only --import >/dev/null
discovery_job=$("$bin/outpost-collector" discovery run e2e-b-lan)
discovery_state() { psql_db -c "SELECT status || ' ' || discovered_devices || ' ' || imported_devices FROM discovery_jobs WHERE id = '$1'"; }
discovered() { [[ $(discovery_state "$1") == "$2" ]]; }
e2e_wait_for 30 "discovery job $discovery_job: 4 hosts found, 10.78.2.4 imported" discovered "$discovery_job" "completed 4 1"
"$bin/outpost-collector" discovery status "$discovery_job" | grep -q '^completed 100% 6/6 scanned, 4 found, 1 imported' ||
    fail "discovery status: $("$bin/outpost-collector" discovery status "$discovery_job")"
discovery_job=$("$bin/outpost-collector" discovery run e2e-b-lan)
e2e_wait_for 30 "a second discovery job importing nothing new" discovered "$discovery_job" "completed 4 0"

# ---- WAN of branch a cut for 15 s: its agent keeps probing into the spool ----
say "e2e: cutting the WAN of branch a for 15 s"
cut_start=$(psql_db -c "SELECT now()")
ip link set "$wan_a" down
sleep 15
ip link set "$wan_a" up
cut_end=$(psql_db -c "SELECT now()")
spooled_rows() { [[ $(rows_of a "AND r.timestamp > '$cut_start'::timestamptz + interval '2 s' AND r.timestamp < '$cut_end'::timestamptz - interval '2 s'") -ge 15 ]]; }
e2e_wait_for 90 "the results branch a spooled during the cut" spooled_rows

# ---- collector killed with SIGKILL while agents deliver, then restarted ----
say "e2e: SIGKILL to the collector under load, restart"
before_kill=$(rows_of b)
kill -9 "$collector"
wait "$collector" 2>/dev/null || true
sleep 2
start_collector
more_rows() { [[ $(rows_of b) -gt $((before_kill + 6)) && $(rows_of a "AND r.timestamp > now() - interval '5 s'") -gt 0 ]]; }
e2e_wait_for 60 "results after the collector restart" more_rows

# ---- settle: stop probing, let the spools drain, compare ----
say "e2e: disabling the devices; agents stop probing and drain their spools"
psql_db -c "UPDATE standalone_devices SET enabled = false"
# The agents learn the new configuration on their next session: a graceful restart.
kill -TERM "$collector"
wait "$collector" 2>/dev/null || true
start_collector
drained() {  # branch
    local status created acknowledged high pending
    status=$("$bin/outpost-agent" status --state-dir "$work/agent-$1")
    created=$(sed -n 's/.*created through batch \([0-9]*\).*/\1/p' <<<"$status")
    acknowledged=$(sed -n 's/.*acknowledged through batch \([0-9]*\).*/\1/p' <<<"$status")
    read -r high pending < <(psql_db -F ' ' -c "SELECT s.high_water, cardinality(s.committed_above) FROM agent_sequences s
        JOIN agents a ON a.id = s.agent_id JOIN branches b ON b.id = a.branch_id WHERE b.name = 'e2e-$1'")
    [[ -n "$created" && "$created" -gt 0 && "$created" == "$acknowledged" && "$high" == "$created" && "$pending" == 0 ]] || return 1
    # Quiet for 3 s: nothing new was created.
    sleep 3
    [[ "$("$bin/outpost-agent" status --state-dir "$work/agent-$1" | sed -n 's/.*created through batch \([0-9]*\).*/\1/p')" == "$created" ]]
}
e2e_wait_for 120 "agent a's spool to drain" drained a
e2e_wait_for 120 "agent b's spool to drain" drained b

for branch in a b; do
    status=$("$bin/outpost-agent" status --state-dir "$work/agent-$branch")
    grep -q "dropped 0 results" <<<"$status" || fail "agent $branch dropped results: $status"
done
duplicates=$(psql_db -c "SELECT count(*) FROM (SELECT device_id, timestamp FROM ping_results GROUP BY 1, 2 HAVING count(*) > 1) d")
[[ "$duplicates" == 0 ]] || fail "$duplicates duplicated result rows"
# Table items store a row per instance: a duplicate is the same item, instance and time.
duplicates=$(psql_db -c "SELECT count(*) FROM (SELECT item_id, instance_key, timestamp FROM item_history GROUP BY 1, 2, 3 HAVING count(*) > 1) d")
[[ "$duplicates" == 0 ]] || fail "$duplicates duplicated item samples"
unknown=$(psql_db -c "SELECT count(*) FROM ping_results WHERE device_id IS NULL")
[[ "$unknown" == 0 ]] || fail "$unknown rows without a device"
if ! kill -0 "${agent_pid[a]}" || ! kill -0 "${agent_pid[b]}"; then fail "an agent did not survive"; fi
echo "e2e: $(psql_db -c "SELECT count(*) FROM item_history") SNMP item samples stored"
for branch in a b; do
    echo "e2e: branch $branch: $(rows_of "$branch") ping results stored, batches 1..$(psql_db -c "SELECT s.high_water FROM agent_sequences s
        JOIN agents a ON a.id = s.agent_id JOIN branches b ON b.id = a.branch_id WHERE b.name = 'e2e-$branch'") committed once"
done
say "e2e: passed"
