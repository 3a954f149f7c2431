#!/usr/bin/env bash
# Latency of the management API at the legacy's scale and beyond, run by scripts/benchmarks
# (which starts PostgreSQL and builds the release binaries):
#
#   scripts/lib/api-bench.sh POSTGRES-URL BIN-DIR DEVICES REQUESTS
#
# A database with DEVICES devices over 128 branches in the 11 regions, the real
# outpost-collector serving it, and an API token of an admin and of a regional manager (one
# region). Each endpoint is asked REQUESTS times over one keep-alive connection
# (scripts/lib/api-client.py); the reference is the same SELECT run by PostgreSQL alone
# (EXPLAIN ANALYZE's execution time, median of 20 runs). Prints `RESULT …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

[ $# -eq 4 ] || die "usage: scripts/lib/api-bench.sh POSTGRES-URL BIN-DIR DEVICES REQUESTS"
server_url=${1%/*}; bin=$2; devices=$3; requests=$4
PG_BINDIR=$(postgres_bindir)
e2e_workdir a apibench
fail() { die "api-bench: $*"; }
trap e2e_cleanup EXIT

e2e_database outpost_bench_api
say "api-bench: $devices devices over 128 branches"
psql_db <<SQL
INSERT INTO branches (name, display_name, region)
SELECT 'branch-' || b, 'Branch ' || b, r.name_en
FROM generate_series(1, 128) b
JOIN (SELECT name_en, row_number() OVER (ORDER BY name_en) - 1 AS n FROM georgian_regions) r ON r.n = b % 11;
INSERT INTO standalone_devices (name, ip, hostname, vendor, device_type, branch_id)
SELECT 'device-' || i, '10.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 'host-' || i || '.example.ge',
       (ARRAY['Cisco', 'FortiGate', 'MikroTik', 'HP'])[1 + i % 4], (ARRAY['router', 'switch', 'firewall', 'server'])[1 + i % 4],
       (SELECT id FROM branches WHERE name = 'branch-' || (1 + i % 128))
FROM generate_series(1, $devices) i;
ANALYZE;
SQL
admin_token=$(printf '%s\n' 'benchmark admin password' | "$bin/outpost-collector" user add bench-admin --role admin >/dev/null &&
    "$bin/outpost-collector" api-token create --user bench-admin --name bench 2>/dev/null)
region=$(psql_db -c "SELECT region FROM branches WHERE name = 'branch-1'")
manager_token=$(printf '%s\n' 'benchmark manager password' |
    "$bin/outpost-collector" user add bench-manager --role regional_manager --region "$region" >/dev/null &&
    "$bin/outpost-collector" api-token create --user bench-manager --name bench 2>/dev/null)
init_ca 127.0.0.1
collector_ports
start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break; sleep 0.1; done

# reference SQL: median execution time of the page query PostgreSQL runs for /api/v1/devices.
reference_ms() {
    local sql=$1 i times=()
    for i in $(seq 1 20); do
        times+=("$(psql_db -c "EXPLAIN (ANALYZE, FORMAT JSON) $sql" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
page_sql="SELECT d.id FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id ORDER BY d.name, d.id LIMIT 101"
search_sql="SELECT d.id FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.name ILIKE '%device-99%' OR d.ip ILIKE '%device-99%' OR d.hostname ILIKE '%device-99%' ORDER BY d.name, d.id LIMIT 101"
page_reference=$(reference_ms "$page_sql")
search_reference=$(reference_ms "$search_sql")

# endpoint NAME TOKEN PATH REFERENCE-MS
endpoint() {
    local name=$1 token=$2 path=$3 reference=$4 p50 p99
    read -r p50 p99 < <(printf '%s\n' "$token" | python3 scripts/lib/api-client.py "127.0.0.1" "$http_port" "$path" "$requests")
    echo "$name: p50 $p50 ms, p99 $p99 ms over $requests requests (PostgreSQL alone: $reference ms)"
    echo "RESULT name=api-$name-p50 size=$devices ours=$p50 reference=$reference unit=ms ratio=$(awk -v a="$p50" -v b="$reference" 'BEGIN { printf "%.1f", a / b }')"
    echo "RESULT name=api-$name-p99 size=$devices ours=$p99 reference=$reference unit=ms ratio=$(awk -v a="$p99" -v b="$reference" 'BEGIN { printf "%.1f", a / b }')"
}
endpoint devices-page "$admin_token" "/api/v1/devices?limit=100" "$page_reference"
endpoint devices-search "$admin_token" "/api/v1/devices?search=device-99&limit=100" "$search_reference"
endpoint devices-region "$manager_token" "/api/v1/devices?limit=100" "$page_reference"
endpoint status-devices "$admin_token" "/api/v1/status/devices?branch=branch-7" "$page_reference"
