#!/usr/bin/env bash
# End-to-end test of the alert engine with the real binaries: a collector, an agent in a branch
# namespace, and a device in a namespace of its own behind the branch's LAN veth. The LAN link
# is taken down with `ip link set down`: one firing alert_history row within the probe interval
# + 5 s and exactly one webhook at a test HTTP server; up again: resolved and one resolve
# webhook; then the link flaps every probe interval: the pair goes flapping (row, device flag)
# and the webhooks stop instead of storming. Bounded: about 60 s, at most 110 s of waiting.
#
# Needs root (namespaces), python3, a PostgreSQL server (OUTPOST_TEST_DATABASE_URL and
# OUTPOST_TEST_PG_BINDIR, as set by scripts/test) and built debug binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

fail() { die "e2e-alerts: $*"; }
e2e_require_test_postgres
e2e_require_binaries
started=$SECONDS
interval=2
e2e_workdir a e2e-alerts
net=$((RANDOM % 200 + 20))
ns="outpost-$tag-br"
device_ns="outpost-$tag-dv"
wan="$tag-w"
lan="$tag-l"
trap e2e_cleanup EXIT

# ---- database, namespaces: root <-WAN-> branch (agent) <-LAN-> device ----
e2e_database "outpost_alerts_$tag"
veth_wan "$ns" "$wan" "10.214.$net.1" "10.214.$net.2"
e2e_namespace "$device_ns"
veth_pair "$ns" "$lan" "10.79.$net.1" "$device_ns" "$lan-d" "10.79.$net.2"

# ---- webhook receiver: one line per POST body in hooks.jsonl ----
hook_port=$(free_port)
touch "$work/hooks.jsonl"
python3 - "$hook_port" "$work/hooks.jsonl" >"$work/webhook.log" 2>&1 <<'PY' &
import http.server, sys
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
PY
pids+=("$!")
hooks() { grep -c "\"event\":\"$1\"" "$work/hooks.jsonl" || true; }
all_hooks() { wc -l <"$work/hooks.jsonl"; }

# ---- CA, collector, branch, device, rule ----
init_ca "10.214.$net.1"
collector_ports
start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"

psql_db -c "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '$interval'), ('ping.packets', '1')"
"$bin/outpost-collector" branch add e2e-alerts >/dev/null
psql_db -c "INSERT INTO standalone_devices (name, ip, device_type, branch_id)
             SELECT 'atm-e2e', '10.79.$net.2', 'atm', id FROM branches WHERE name = 'e2e-alerts'"
psql_db -c "INSERT INTO alert_rules (name, expression, severity, notification_channels)
             VALUES ('device down', 'ping_unreachable >= 1', 'critical',
                     '[{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:$hook_port/hook\"}]')"

token=$("$bin/outpost-collector" token create --dir "$work/ca" --branch e2e-alerts --ttl 10m --collector "10.214.$net.1:$enrol_port" 2>/dev/null)
ip netns exec "$ns" "$bin/outpost-agent" enrol --token "$token" --state-dir "$work/agent" >>"$work/agent.log" 2>&1 || fail "agent could not enrol"
ip netns exec "$ns" "$bin/outpost-agent" run --state-dir "$work/agent" --collector "10.214.$net.1:$agent_port" \
    --server-name localhost >>"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")

watch_process "the agent" "$agent"
watch_process "the collector" "$collector"
sql_is() { [[ "$(psql_db -c "$1")" == "$2" ]]; }
count_is() { [[ "$($1 "${@:3}")" -eq "$2" ]]; }
reachable_rows() { [[ $(psql_db -c "SELECT count(*) FROM ping_results WHERE packets_received > 0") -ge 3 ]]; }
say "e2e-alerts: waiting for the device's first rounds"
e2e_wait_for 40 "reachable rounds of the device" reachable_rows
[[ $(all_hooks) -eq 0 ]] || fail "webhooks before any outage"

# ---- link down: one firing row within interval + 5 s, exactly one webhook ----
say "e2e-alerts: LAN link down"
down_at=$(date +%s%N)
ip netns exec "$ns" ip link set "$lan" down
e2e_wait_for $((interval + 5)) "a firing alert (probe interval + 5 s)" sql_is "SELECT count(*) FROM alert_history WHERE resolved_at IS NULL" 1
fired_ms=$((($(date +%s%N) - down_at) / 1000000))
e2e_wait_for $((interval + 5)) "the firing webhook" count_is hooks 1 firing
hooked_ms=$((($(date +%s%N) - down_at) / 1000000))
sleep $((interval * 2))  # two more failed rounds: still one row, still one webhook
sql_is "SELECT count(*) FROM alert_history" 1 || fail "more than one alert_history row for one outage"
[[ $(all_hooks) -eq 1 ]] || fail "$(all_hooks) webhooks for one outage"

# ---- link up: resolved, one resolve webhook ----
say "e2e-alerts: LAN link up"
up_at=$(date +%s%N)
ip netns exec "$ns" ip link set "$lan" up
e2e_wait_for $((interval + 5)) "the resolution" sql_is "SELECT count(*) FROM alert_history WHERE resolved_at IS NOT NULL" 1
e2e_wait_for $((interval + 5)) "the resolve webhook" count_is hooks 1 resolved
resolved_ms=$((($(date +%s%N) - up_at) / 1000000))
[[ $(all_hooks) -eq 2 ]] || fail "$(all_hooks) webhooks after one outage, expected 2"

# ---- flapping link: toggled every probe interval ----
say "e2e-alerts: LAN link flapping every ${interval} s"
flap_start=$SECONDS
state=down
flapping() { sql_is "SELECT is_flapping::text FROM standalone_devices WHERE name = 'atm-e2e'" true; }
until flapping; do
    ((SECONDS - flap_start < 60)) || fail "no flapping state after 60 s of flapping"
    ip netns exec "$ns" ip link set "$lan" "$state"
    [[ $state == down ]] && state=up || state=down
    sleep "$interval"
done
flap_detected=$((SECONDS - flap_start))
sleep 1  # the flapping_started webhook is delivered off the evaluation path
at_detection=$(all_hooks)
for _ in 1 2 3 4 5 6; do  # 12 s more flapping: not one more notification
    ip netns exec "$ns" ip link set "$lan" "$state"
    [[ $state == down ]] && state=up || state=down
    sleep "$interval"
done
[[ $(all_hooks) -eq $at_detection ]] || fail "$(($(all_hooks) - at_detection)) notifications while flapping"
[[ $(hooks flapping_started) -eq 1 ]] || fail "expected one flapping_started webhook, got $(hooks flapping_started)"
sql_is "SELECT count(*) FROM alert_history WHERE kind = 'flapping' AND resolved_at IS NULL" 1 || fail "no open flapping row"
during_flap=$((at_detection - 2))
((during_flap <= 10)) || fail "$during_flap notifications before flapping was detected (storm)"

say "e2e-alerts: passed in $((SECONDS - started)) s: firing row ${fired_ms} ms and webhook ${hooked_ms} ms after link down (bound $((interval + 5)) s), resolve webhook ${resolved_ms} ms after link up, flapping detected after ${flap_detected} s with ${during_flap} notifications before it and none after"
