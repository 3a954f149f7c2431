#!/usr/bin/env bash
# The legacy WARD OPS import at the legacy's scale (BENCHMARKS.md, "Legacy import"), run by
# scripts/benchmarks or alone:
#
#   scripts/lib/legacy-import-bench.sh [POSTGRES-URL [PINGS [BRANCHES [DEVICES]]]]
#
# Defaults: 2,000,000 ping rows, 128 branches, 875 devices. Builds outpost-collector in release,
# builds the legacy SQLite file with scripts/lib/legacy-fixture.py (Fernet secrets from Python's
# cryptography), imports it into a fresh migrated database and times the whole import and its
# ping history; the reference is `psql \copy` of the same ping rows (exported from the imported
# table) into an identical fresh database. Also prints the importer's own CPU time (the rest is
# PostgreSQL's). Prints `RESULT …` lines. Without a URL it starts a
# throwaway PostgreSQL (stopped at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/postgres.sh

ensure_apt_packages postgresql bc

pings=${2:-2000000}
branches=${3:-128}
devices=${4:-875}

say "swift build -c release --product outpost-collector"
log=$(mktemp /tmp/outpost-legacy-build.XXXXXX)
swift build -c release --product outpost-collector >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build failed"; }
rm -f "$log"
collector=.build/release/outpost-collector

workdir=$(mktemp -d /tmp/outpost-legacy-bench.XXXXXX)
url=${1:-}
if [ -z "$url" ]; then
    trap 'stop_throwaway_postgres "$workdir"; rm -rf "$workdir"' EXIT INT TERM
    mapfile -t postgres_options < <(ingest_postgres_options | tr ' ' '\n')
    start_throwaway_postgres "$workdir" "${postgres_options[@]}"
    url=$PG_URL
else
    trap 'rm -rf "$workdir"' EXIT INT TERM
fi
python=python3
[ -x .build-py/bin/python3 ] && .build-py/bin/python3 -c "import cryptography" 2>/dev/null && python=.build-py/bin/python3
"$python" -c "import cryptography" || die "needs Python's cryptography (scripts/test installs it into .build-py)"

base=${url%/*}
run_sql() { psql "$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }
fresh_database() {
    run_sql "$base/postgres" "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
    run_sql "$base/postgres" "CREATE DATABASE $1"
    "$collector" migrate --database-url "$base/$1" >/dev/null
}

key() { "$python" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"; }
key1=$(key); key2=$(key)
printf '%s\n' "$key1" >"$workdir/ward.key"
printf '%s\n' "$key2" >"$workdir/api.key"
say "legacy file: $pings ping rows, $branches branches, $devices devices"
start=$(date +%s.%N)
"$python" scripts/lib/legacy-fixture.py "$workdir/ward_ops.db" "$key1" "$key2" "$(date +%s)" "$pings" "$branches" "$devices"
echo "built in $(echo "$(date +%s.%N) - $start" | bc) s ($(du -h "$workdir/ward_ops.db" | cut -f1))"

fresh_database outpost_legacy_bench
OUTPOST_MASTER_KEY=$(head -c 32 /dev/urandom | base64)
export OUTPOST_MASTER_KEY
say "outpost-collector import legacy"
start=$(date +%s.%N)
# The importer's own CPU time (user and system seconds), apart from PostgreSQL's.
TIMEFORMAT='%U %S'
{ time "$collector" import legacy --sqlite "$workdir/ward_ops.db" --fernet-key-file "$workdir/ward.key" \
    --fernet-key-file "$workdir/api.key" --database-url "$base/outpost_legacy_bench" \
    >"$workdir/report.txt" 2>"$workdir/progress.txt"; } 2>"$workdir/cpu.txt"
total=$(echo "$(date +%s.%N) - $start" | bc)
cpu=$(awk '{print $1 + $2}' "$workdir/cpu.txt")
grep -E '^(legacy table|branches|standalone_devices|standalone_devices.snmp_community|snmp_credentials|users|alert_rules|alert_history|ping_results) ' "$workdir/report.txt"
ping_line=$(grep '^ping_results: .* rows in ' "$workdir/progress.txt" | tail -1)
echo "$ping_line"
ping_seconds=$(echo "$ping_line" | sed -E 's/.* rows in ([0-9.]+) s.*/\1/')
copied=$(run_sql "$base/outpost_legacy_bench" "SELECT count(*) FROM ping_results")
grep -q '^ping_results .* yes$' "$workdir/report.txt" || die "the ping history did not verify"

say "reference: psql \\copy of the same $copied rows"
run_sql "$base/outpost_legacy_bench" "\\copy (SELECT device_id, device_ip, device_name, packets_sent, packets_received, packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp FROM ping_results) TO '$workdir/pings.tsv'"
fresh_database outpost_legacy_ref
run_sql "$base/outpost_legacy_ref" "SELECT outpost_ensure_daily_partitions('ping_results'::regclass, (now() AT TIME ZONE 'UTC')::date - 3, 5)" >/dev/null
start=$(date +%s.%N)
run_sql "$base/outpost_legacy_ref" "\\copy ping_results (device_id, device_ip, device_name, packets_sent, packets_received, packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp) FROM '$workdir/pings.tsv'"
reference=$(echo "$(date +%s.%N) - $start" | bc)

ours_rate=$(echo "$copied / $ping_seconds" | bc)
reference_rate=$(echo "$copied / $reference" | bc)
echo "import: ${total} s in all, ${cpu} s of the importer's CPU; ping history ${ping_seconds} s (${ours_rate} rows/s); psql \\copy ${reference} s (${reference_rate} rows/s)"
echo "RESULT name=legacy-import-pings size=$copied ours=$ours_rate reference=$reference_rate unit=rows/s ratio=$(echo "scale=2; $ours_rate / $reference_rate" | bc)"
echo "RESULT name=legacy-import-total size=$pings+${devices}dev ours=$(printf '%.1f' "$total") reference=- unit=s ratio=-"
run_sql "$base/postgres" "DROP DATABASE outpost_legacy_bench WITH (FORCE)"
run_sql "$base/postgres" "DROP DATABASE outpost_legacy_ref WITH (FORCE)"
