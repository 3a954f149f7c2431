#!/usr/bin/env bash
# History at the legacy's scale (BENCHMARKS.md, "History queries at legacy scale"), run by
# scripts/benchmarks or alone:
#
#   scripts/lib/history-bench.sh [POSTGRES-URL [DEVICES [BRANCHES [HOUR-DAYS [MINUTE-DAYS [RUNS]]]]]]
#
# Defaults: 875 devices, 128 branches, 30 days of one-hour roll-ups, 2 days of one-minute
# roll-ups, 100 runs per query. Without a URL it starts a throwaway PostgreSQL (stopped at the
# end). Builds the HistoryBench product in release, which generates the history in a scratch
# database, times the chart and summary queries of HistoryStore, the roll-up job and the
# ingest's pending-pair insert, and prints `RESULT …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/postgres.sh

export OUTPOST_BENCHMARKS=1
say "swift build -c release --product HistoryBench"
log=$(mktemp /tmp/outpost-history-build.XXXXXX)
swift build -c release --product HistoryBench >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build of HistoryBench failed"; }
rm -f "$log"

url=${1:-}
if [ -z "$url" ]; then
    workdir=$(mktemp -d /tmp/outpost-history-bench.XXXXXX)
    trap 'stop_throwaway_postgres "$workdir"' EXIT INT TERM
    mapfile -t postgres_options < <(ingest_postgres_options | tr ' ' '\n')
    start_throwaway_postgres "$workdir" "${postgres_options[@]}"
    url=$PG_URL
fi
.build/release/HistoryBench "$url" "${2:-875}" "${3:-128}" "${4:-30}" "${5:-2}" "${6:-100}"
