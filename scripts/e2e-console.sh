#!/usr/bin/env bash
# End-to-end test of the web console in a real browser (headless Chromium driven by Selenium):
# the real collector with its operator HTTP port on loopback, an enrolled agent in a branch
# namespace probing a device in a namespace of its own every second, and seeded data: branches
# in several regions with Georgian names and towns, devices in every state, one user per role
# and 24 h of ping history for the probed device. Tests/Browser/console_test.py then logs in,
# watches the overview turn a device down and up without a reload while this script's LAN link
# goes down and up, acknowledges the alert, checks what viewers and regional managers see,
# that no request leaves loopback and that the keyboard reaches the navigation, and writes a
# screenshot of every page to .build/console-screenshots/. Bounded: about a minute.
#
# Needs root (namespaces), a PostgreSQL server (OUTPOST_TEST_DATABASE_URL and
# OUTPOST_TEST_PG_BINDIR, as set by scripts/test), built debug binaries, Debian's chromium and
# chromium-driver, and selenium in .build-py (scripts/test installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

fail() { die "e2e-console: $*"; }
e2e_require_test_postgres
e2e_require_binaries
python="$PWD/.build-py/bin/python3"
"$python" -c "import selenium" 2>/dev/null || fail "selenium missing in .build-py (scripts/test installs it)"
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null || fail "$tool missing (Debian packages chromium and chromium-driver)"
done
started=$SECONDS
interval=1
e2e_workdir c e2e-console
net=$((RANDOM % 200 + 20))
ns="outpost-$tag-br"
device_ns="outpost-$tag-dv"
wan="$tag-w"
lan="$tag-l"
screenshots="$PWD/.build/console-screenshots"
browser_tests=""
# The browser tests first (a TERM lets them close Chromium and bring the link back up), then
# the rest.
cleanup() {
    local status=$?
    set +e  # a failed run's status, handed on below, must not stop the cleanup half-way
    if [[ -n "$browser_tests" ]] && kill -0 "$browser_tests" 2>/dev/null; then
        kill -TERM "$browser_tests" 2>/dev/null || true
        wait "$browser_tests" 2>/dev/null || true
    fi
    (exit "$status")
    e2e_cleanup
}
trap cleanup EXIT

# ---- database, namespaces: root <-WAN-> branch (agent) <-LAN-> device ----
e2e_database "outpost_console_$tag"
veth_wan "$ns" "$wan" "10.215.$net.1" "10.215.$net.2"
e2e_namespace "$device_ns"
veth_pair "$ns" "$lan" "10.78.$net.1" "$device_ns" "$lan-d" "10.78.$net.2"

# ---- CA, collector ----
init_ca "10.215.$net.1"
collector_ports
start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"

# ---- seeded data ----
# Branches: name, display name, Georgian display name, region, town (georgian_cities.name_en).
# The first is the agent's; the devices of the others are never probed: their state is seeded.
psql_db <<SQL
INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '$interval'), ('ping.packets', '1');
INSERT INTO branches (name, display_name, display_name_ka, region, city_id)
SELECT v.name, v.display_name, v.display_name_ka, v.region, c.id
FROM (VALUES
    ('tbilisi-vake',   'Tbilisi Vake',   'თბილისი, ვაკე',    'Tbilisi',                'Tbilisi'),
    ('kutaisi-centre', 'Kutaisi Centre', 'ქუთაისი, ცენტრი',  'Imereti',                'Kutaisi'),
    ('batumi-port',    'Batumi Port',    'ბათუმი, პორტი',    'Adjara',                 'Batumi'),
    ('telavi',         'Telavi',         'თელავი',           'Kakheti',                'Telavi'),
    ('zugdidi',        'Zugdidi',        'ზუგდიდი',          'Samegrelo-Zemo Svaneti', 'Zugdidi'),
    ('gori',           'Gori',           'გორი',             'Shida Kartli',           'Gori')
) AS v(name, display_name, display_name_ka, region, town)
JOIN georgian_cities c ON c.name_en = v.town;
-- Devices: name, address, type, branch, seeded state.
CREATE TEMPORARY TABLE seeded_devices (name text, ip text, type text, branch text, state text);
INSERT INTO seeded_devices VALUES
    ('atm-vake',       '10.78.$net.2',  'atm',     'tbilisi-vake',   'up'),
    ('atm-kutaisi',    '198.51.100.11', 'atm',     'kutaisi-centre', 'up'),
    ('router-kutaisi', '198.51.100.12', 'router',  'kutaisi-centre', 'down'),
    ('atm-batumi',     '198.51.100.21', 'atm',     'batumi-port',    'up'),
    ('switch-batumi',  '198.51.100.22', 'switch',  'batumi-port',    'up'),
    ('printer-batumi', '198.51.100.23', 'printer', 'batumi-port',    'unknown'),
    ('atm-telavi',     '198.51.100.31', 'atm',     'telavi',         'up'),
    ('atm-zugdidi',    '198.51.100.41', 'atm',     'zugdidi',        'down'),
    ('atm-gori',       '198.51.100.51', 'atm',     'gori',           'unknown');
INSERT INTO standalone_devices (name, ip, device_type, branch_id, last_seen, down_since)
SELECT s.name, s.ip, s.type, b.id,
       CASE WHEN s.state <> 'unknown' AND s.name <> 'atm-vake' THEN now() - interval '1 hour' END,
       CASE WHEN s.state = 'down' THEN now() - interval '20 minutes' END
FROM seeded_devices s JOIN branches b ON b.name = s.branch;
INSERT INTO alert_rules (name, expression, severity) VALUES ('device down', 'ping_unreachable >= 1', 'critical');
-- 24 h of rounds for the probed device at its probe interval, RTT swinging 2-5 ms, 10 minutes
-- lost 6 h ago.
SELECT outpost_ensure_daily_partitions('ping_results', current_date - 2, 4);
INSERT INTO ping_results (device_id, device_ip, device_name, packets_sent, packets_received,
                          packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
SELECT d.id, d.ip, d.name, 1, CASE WHEN lost THEN 0 ELSE 1 END, CASE WHEN lost THEN 100 ELSE 0 END,
       CASE WHEN lost THEN NULL ELSE rtt END, CASE WHEN lost THEN NULL ELSE rtt END,
       CASE WHEN lost THEN NULL ELSE rtt END, NOT lost, t
FROM standalone_devices d,
     generate_series(date_trunc('minute', now()) - interval '24 hours', now() - interval '$interval seconds',
                     interval '$interval seconds') t,
     LATERAL (SELECT (3.3 + 1.5 * sin(extract(epoch FROM t) / 3600.0) + 0.4 * random())::real AS rtt,
                     t BETWEEN now() - interval '6 hours' AND now() - interval '5 hours 50 minutes' AS lost) r
WHERE d.name = 'atm-vake';
-- Ingest marks the minutes it wrote for the roll-up job (once the schema has roll-ups): so do we.
DO \$\$ BEGIN
    IF to_regclass('rollup_pending') IS NOT NULL THEN
        INSERT INTO rollup_pending (kind, key_id, minute)
        SELECT DISTINCT 'ping', device_id, date_trunc('minute', timestamp) FROM ping_results
        WHERE device_name = 'atm-vake' ON CONFLICT DO NOTHING;
    END IF;
END \$\$;
\copy (SELECT json_agg(json_build_object('name', s.name, 'branch', s.branch, 'state', s.state, 'id', d.id) ORDER BY s.name) FROM seeded_devices s JOIN standalone_devices d ON d.name = s.name) TO '$work/devices.json'
\copy (SELECT json_agg(json_build_object('id', b.id, 'name', b.name, 'display_name', b.display_name, 'display_name_ka', b.display_name_ka, 'region', b.region, 'city', c.name_en) ORDER BY b.name) FROM branches b JOIN georgian_cities c ON c.id = b.city_id) TO '$work/branches.json'
SQL

# Users: one per role, passwords on standard input (never argv), kept in a file only we read.
umask 077
: >"$work/users.tsv"
add_user() {
    local name=$1 role=$2 password
    shift 2
    password="e2e-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
    printf '%s\n' "$password" | "$bin/outpost-collector" user add "$name" --role "$role" "$@" >>"$work/users.log" 2>&1 \
        || fail "user add $name failed"
    printf '%s\t%s\t%s\n' "$name" "$role" "$password" >>"$work/users.tsv"
}
add_user admin-e2e admin
add_user viewer-e2e viewer
add_user technician-e2e technician
add_user manager-e2e regional_manager --region Imereti --region Adjara
umask 022

# ---- the agent: enrolled for tbilisi-vake, probing atm-vake every second ----
token=$("$bin/outpost-collector" token create --dir "$work/ca" --branch tbilisi-vake --ttl 10m \
    --collector "10.215.$net.1:$enrol_port" 2>/dev/null)
ip netns exec "$ns" "$bin/outpost-agent" enrol --token "$token" --state-dir "$work/agent" >>"$work/agent.log" 2>&1 \
    || fail "agent could not enrol"
ip netns exec "$ns" "$bin/outpost-agent" run --state-dir "$work/agent" --collector "10.215.$net.1:$agent_port" \
    --server-name localhost >>"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")
watch_process "the agent" "$agent"
watch_process "the collector" "$collector"
device_up() {
    [[ $(psql_db -c "SELECT count(*) FROM standalone_devices
                      WHERE name = 'atm-vake' AND last_seen IS NOT NULL AND down_since IS NULL") -eq 1 ]]
}
say "e2e-console: waiting for the probed device to be up"
e2e_wait_for 40 "the probed device up" device_up

# ---- the browser tests ----
"$python" - "$work" <<'PY'
import csv, json, sys
work = sys.argv[1]
with open(f"{work}/users.tsv") as file:
    users = {role: {"username": name, "password": password, "role": role}
             for name, role, password in csv.reader(file, delimiter="\t")}
users["regional_manager"]["regions"] = ["Imereti", "Adjara"]
with open(f"{work}/branches.json") as file:
    branches = json.load(file)
with open(f"{work}/devices.json") as file:
    devices = json.load(file)
with open(f"{work}/fixture.json", "w") as out:
    json.dump({"users": users, "branches": branches, "devices": devices, "history_device": "atm-vake"}, out)
PY
chmod 600 "$work/fixture.json"
rm -rf "$screenshots"  # this run's pictures only: CI keeps them
mkdir -p "$screenshots"
say "e2e-console: browser tests against http://127.0.0.1:$http_port"
env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u all_proxy -u ALL_PROXY \
    OUTPOST_CONSOLE_URL="http://127.0.0.1:$http_port" \
    OUTPOST_CONSOLE_FIXTURE="$work/fixture.json" \
    OUTPOST_CONSOLE_SCREENSHOTS="$screenshots" \
    OUTPOST_CONSOLE_LINK="$ns:$lan" \
    OUTPOST_CONSOLE_BROWSER_DIR="$work/chromium" \
    "$python" Tests/Browser/console_test.py &
browser_tests=$!
wait "$browser_tests" || fail "browser tests failed (screenshots in $screenshots)"
browser_tests=""
say "e2e-console: passed in $((SECONDS - started)) s"
