#!/usr/bin/env bash
# Latency of the console's pages at the legacy's scale, run by scripts/benchmarks (which starts
# PostgreSQL and builds the release binaries):
#
#   scripts/lib/console-bench.sh POSTGRES-URL BIN-DIR REQUESTS
#
# A database like the legacy's: 875 devices over 128 branches in the 11 regions (each branch in
# a town of its region), 5 % of the devices down with an open alert each, and 30 days of
# history — one-hour roll-ups for 30 days, one-minute roll-ups for the last 2 days, a raw round
# every 10 s for the last 3 hours — generated in SQL. The real outpost-collector serves it;
# each page is fetched REQUESTS times over one keep-alive connection as an admin
# (scripts/lib/api-client.py: whole answers, rendering included). The reference is the
# history query a chart needs, run by PostgreSQL alone (EXPLAIN ANALYZE's execution time,
# median of 20 runs). Prints `RESULT …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

[ $# -eq 3 ] || die "usage: scripts/lib/console-bench.sh POSTGRES-URL BIN-DIR REQUESTS"
server_url=${1%/*}; bin=$2; requests=$3
PG_BINDIR=$(postgres_bindir)
e2e_workdir a consolebench
fail() { die "console-bench: $*"; }
trap e2e_cleanup EXIT

e2e_database outpost_bench_console
say "console-bench: 875 devices over 128 branches, 30 days of history"
started=$SECONDS
psql_db <<'SQL'
INSERT INTO branches (name, display_name, display_name_ka, region, city_id)
SELECT 'branch-' || b, 'Branch ' || b, 'ფილიალი ' || b, r.name_en,
       (SELECT c.id FROM georgian_cities c WHERE c.region_id = r.id ORDER BY c.id OFFSET b % 3 LIMIT 1)
FROM generate_series(1, 128) b
JOIN (SELECT id, name_en, row_number() OVER (ORDER BY name_en) - 1 AS n FROM georgian_regions) r ON r.n = b % 11;
INSERT INTO standalone_devices (name, ip, hostname, vendor, device_type, branch_id, last_seen, down_since, last_probe_at)
SELECT 'device-' || i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 'host-' || i || '.example.ge',
       (ARRAY['Cisco', 'FortiGate', 'MikroTik', 'HP'])[1 + i % 4], (ARRAY['router', 'switch', 'firewall', 'server'])[1 + i % 4],
       (SELECT id FROM branches WHERE name = 'branch-' || (1 + i % 128)), now(),
       CASE WHEN i % 20 = 0 THEN now() - interval '10 minutes' END, now()
FROM generate_series(1, 875) i;
INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical');
INSERT INTO alert_history (rule_id, rule_name, device_id, severity, message, triggered_at)
SELECT r.id, r.name, d.id, 'critical', d.name || ' is down', d.down_since
FROM alert_rules r, standalone_devices d WHERE d.down_since IS NOT NULL;
SELECT outpost_ensure_daily_partitions('ping_results', current_date - 1, 3);
SELECT outpost_ensure_daily_partitions('ping_rollup_1m', current_date - 3, 5);
SELECT outpost_ensure_monthly_partitions('ping_rollup_1h', (current_date - 31)::date, 3);
-- one-hour roll-ups: 30 days
INSERT INTO ping_rollup_1h (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
                            loss_percent, samples, up_seconds, down_seconds)
SELECT d.id, h, 1 + (hashtext(d.id::text || h::text) & 7), 3 + (hashtext(d.id::text || h::text) & 15) / 4.0,
       10 + (hashtext(h::text) & 31), 1440, 1430, 0.69, 360, 3575, 25
FROM standalone_devices d, generate_series(date_trunc('hour', now()) - interval '30 days', date_trunc('hour', now()), interval '1 hour') h;
-- one-minute roll-ups: 2 days
INSERT INTO ping_rollup_1m (device_id, bucket, min_rtt_ms, avg_rtt_ms, max_rtt_ms, packets_sent, packets_received,
                            loss_percent, samples, up_seconds, down_seconds)
SELECT d.id, m, 1, 3 + (hashtext(d.id::text || m::text) & 15) / 4.0, 12, 24, 24, 0, 6, 60, 0
FROM standalone_devices d, generate_series(date_trunc('minute', now()) - interval '2 days', date_trunc('minute', now()), interval '1 minute') m;
-- raw rounds: every 10 s for 3 hours
INSERT INTO ping_results (device_id, device_ip, device_name, packets_sent, packets_received, packet_loss_percent,
                          min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
SELECT d.id, d.ip, d.name, 4, 4, 0, 1, 2 + (hashtext(d.id::text || t::text) & 7) / 4.0, 5, true, t
FROM standalone_devices d, generate_series(now() - interval '3 hours', now(), interval '10 seconds') t;
ANALYZE;
SQL
echo "console-bench: data generated in $((SECONDS - started)) s"
admin_token=$(printf '%s\n' 'benchmark admin password' | "$bin/outpost-collector" user add bench-admin --role admin >/dev/null &&
    "$bin/outpost-collector" api-token create --user bench-admin --name bench 2>/dev/null)
init_ca 127.0.0.1
collector_ports
start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break; sleep 0.1; done
device=$(psql_db -c "SELECT id FROM standalone_devices WHERE name = 'device-7'")

# reference_ms SQL: median execution time of SQL run by PostgreSQL alone.
reference_ms() {
    local sql=$1 i times=()
    for i in $(seq 1 20); do
        times+=("$(psql_db -c "EXPLAIN (ANALYZE, FORMAT JSON) $sql" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
month_reference=$(reference_ms "SELECT * FROM ping_rollup_1h WHERE device_id = '$device' AND bucket >= now() - interval '30 days' ORDER BY bucket")
day_reference=$(reference_ms "SELECT * FROM ping_rollup_1m WHERE device_id = '$device' AND bucket >= now() - interval '1 day' ORDER BY bucket")
hour_reference=$(reference_ms "SELECT * FROM ping_results WHERE device_id = '$device' AND timestamp >= now() - interval '1 hour' ORDER BY timestamp")

# page NAME PATH [REFERENCE-MS]
page() {
    local name=$1 path=$2 reference=${3:-} p50 p99
    read -r p50 p99 < <(printf '%s\n' "$admin_token" | python3 scripts/lib/api-client.py "127.0.0.1" "$http_port" "$path" "$requests")
    echo "$name ($path): p50 $p50 ms, p99 $p99 ms over $requests requests${reference:+ (chart query alone in PostgreSQL: $reference ms)}"
    if [ -n "$reference" ]; then
        echo "RESULT name=console-$name-p50 size=875 ours=$p50 reference=$reference unit=ms ratio=$(awk -v a="$p50" -v b="$reference" 'BEGIN { printf "%.1f", a / b }')"
    else
        echo "RESULT name=console-$name-p50 size=875 ours=$p50 unit=ms"
    fi
    echo "RESULT name=console-$name-p99 size=875 ours=$p99 unit=ms"
}
page overview "/"
page map "/map"
page branches "/branches"
page branch "/branches/branch-7"
page devices "/devices"
page devices-search "/devices?q=device-99"
page device-1h "/devices/$device?range=1h" "$hour_reference"
page device-24h "/devices/$device?range=24h" "$day_reference"
page device-7d "/devices/$device?range=7d"
page device-30d "/devices/$device?range=30d" "$month_reference"
