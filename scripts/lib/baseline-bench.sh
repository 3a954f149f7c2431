#!/usr/bin/env bash
# Baselines (BENCHMARKS.md, "Baselines"), run by scripts/benchmarks or alone:
#
#   scripts/lib/baseline-bench.sh [POSTGRES-URL [SERIES-PER-PROFILE [DEVICES]]]
#
# Defaults: 25 synthetic series per link profile, 875 devices. Builds the BaselineBench product
# in release, which measures the precision and recall of the anomaly rule at its default
# threshold beside a static threshold on synthetic RTT series with injected anomalies, then
# times the baseline job on DEVICES devices with four weeks of hourly roll-ups in a scratch
# database, and prints `RESULT …` lines. Without a URL it starts a throwaway PostgreSQL
# (stopped at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/postgres.sh

export OUTPOST_BENCHMARKS=1
say "swift build -c release --product BaselineBench"
log=$(mktemp /tmp/outpost-baseline-build.XXXXXX)
swift build -c release --product BaselineBench >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build of BaselineBench failed"; }
rm -f "$log"

url=${1:-}
if [ -z "$url" ]; then
    workdir=$(mktemp -d /tmp/outpost-baseline-bench.XXXXXX)
    trap 'stop_throwaway_postgres "$workdir"' EXIT INT TERM
    start_throwaway_postgres "$workdir"
    url=$PG_URL
fi
.build/release/BaselineBench "$url" "${2:-25}" "${3:-875}"
