#!/usr/bin/env bash
# Cost of the console's live updates, run by scripts/benchmarks (which starts PostgreSQL and
# builds the release binaries):
#
#   scripts/lib/console-events-bench.sh POSTGRES-URL BIN-DIR CLIENTS SECONDS
#
# The real outpost-collector on a database of 1,000 devices; its CPU (/proc/PID/stat) over
# SECONDS with no console open, then over SECONDS with CLIENTS streams on /console/events and
# nothing changing (goal: under 5 % of one core), then the fan-out latency of 20 device-state
# changes to all CLIENTS streams, from before the UPDATE (PostgreSQL's clock) to each stream's
# event (scripts/lib/console-events-client.py). Prints `RESULT …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

[ $# -eq 4 ] || die "usage: scripts/lib/console-events-bench.sh POSTGRES-URL BIN-DIR CLIENTS SECONDS"
server_url=${1%/*}; bin=$2; clients=$3; seconds=$4
PG_BINDIR=$(postgres_bindir)
e2e_workdir c console
fail() { die "console-events-bench: $*"; }
trap e2e_cleanup EXIT

e2e_database outpost_bench_console
psql_db <<SQL
INSERT INTO branches (name, display_name, region) VALUES ('bench-branch', 'Bench branch', 'Tbilisi');
INSERT INTO standalone_devices (name, ip, branch_id)
SELECT 'device-' || i, '10.0.' || (i / 256) || '.' || (i % 256), (SELECT id FROM branches WHERE name = 'bench-branch')
FROM generate_series(1, 1000) i;
SQL
device=$(psql_db -c "SELECT id FROM standalone_devices WHERE name = 'device-1'")
token=$(printf '%s\n' 'benchmark admin password' | "$bin/outpost-collector" user add bench-admin --role admin >/dev/null &&
    "$bin/outpost-collector" api-token create --user bench-admin --name bench 2>/dev/null)
init_ca 127.0.0.1
collector_ports
start_collector_and_wait collector "$agent_port" "$enrol_port" "$http_port"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null && break; sleep 0.1; done

ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
say "console-events-bench: collector CPU over $seconds s with no console open"
before=$(cpu_ticks "$collector"); sleep "$seconds"; after=$(cpu_ticks "$collector")
baseline=$(awk -v t=$((after - before)) -v hz="$ticks_per_second" -v w="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / w }')

say "console-events-bench: $clients streams open, $seconds s of nothing changing, then 20 changes"
read -r cpu idle_changes keepalives p50 p99 max < <(printf '%s\n' "$token" |
    python3 scripts/lib/console-events-client.py 127.0.0.1 "$http_port" "$collector" "$clients" "$seconds" 20 \
        "$PG_BINDIR/psql" "$database_url" "$device")
[ "$idle_changes" -eq 0 ] || fail "$idle_changes change events while nothing changed"
goal=$(awk -v c="$cpu" 'BEGIN { print (c < 5) ? "met" : "NOT met" }')
echo "collector CPU: $baseline % of one core with no console, $cpu % with $clients streams ($keepalives keep-alives, 0 changes); goal < 5 %: $goal"
echo "fan-out of one change to $clients streams: p50 $p50 ms, p99 $p99 ms, max $max ms (20 changes)"
echo "RESULT name=console-idle-cpu size=$clients-streams ours=$cpu reference=$baseline unit=%-core ratio=-"
echo "RESULT name=console-fanout-p50 size=$clients-streams ours=$p50 reference=- unit=ms ratio=-"
echo "RESULT name=console-fanout-max size=$clients-streams ours=$max reference=- unit=ms ratio=-"
