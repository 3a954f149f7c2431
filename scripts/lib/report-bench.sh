#!/usr/bin/env bash
# A month's availability report at the legacy's scale (BENCHMARKS.md, "Availability report"),
# run by scripts/benchmarks or alone:
#
#   scripts/lib/report-bench.sh [POSTGRES-URL [DEVICES [BRANCHES [RUNS]]]]
#
# Defaults: 875 devices, 128 branches, 20 runs per grouping. Without a URL it starts a throwaway
# PostgreSQL (stopped at the end). Builds the ReportBench product in release, which generates a
# month of roll-ups in a scratch database, times ReportStore.availability per grouping, and
# prints `RESULT …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/postgres.sh

export OUTPOST_BENCHMARKS=1
say "swift build -c release --product ReportBench"
log=$(mktemp /tmp/outpost-report-build.XXXXXX)
swift build -c release --product ReportBench >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build of ReportBench failed"; }
rm -f "$log"

url=${1:-}
if [ -z "$url" ]; then
    workdir=$(mktemp -d /tmp/outpost-report-bench.XXXXXX)
    trap 'stop_throwaway_postgres "$workdir"' EXIT INT TERM
    mapfile -t postgres_options < <(ingest_postgres_options | tr ' ' '\n')
    start_throwaway_postgres "$workdir" "${postgres_options[@]}"
    url=$PG_URL
fi
.build/release/ReportBench "$url" "${2:-875}" "${3:-128}" "${4:-20}"
