#!/usr/bin/env bash
# PostgreSQL disk per 1,000 devices per day (docs/operations.md, "Sizing"): one day of ping
# rounds every 10 s for 1,000 devices (8.64 million rows) written into the day's ping_results
# partition, with the minute and hour roll-ups of that day, in a database migrated by the
# collector; prints the size of each table with its indexes (pg_total_relation_size).
#
#   scripts/lib/ha-disk-sizing.sh [OUTPOST-COLLECTOR-BINARY]   (default: the debug build)
#
# Starts and removes a throwaway PostgreSQL (ingest_postgres_options). About 2 min on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/postgres.sh
collector=${1:-$(swift build --show-bin-path)/outpost-collector}
[[ -x "$collector" ]] || die "$collector missing; swift build --product outpost-collector first"
work=$(mktemp -d /tmp/outpost-disk-sizing-XXXXXX)
trap 'stop_throwaway_postgres "$work"' EXIT
# shellcheck disable=SC2046
start_throwaway_postgres "$work" $(ingest_postgres_options)
OUTPOST_DATABASE_URL="$PG_URL" "$collector" migrate >/dev/null
psql() { "$PG_BINDIR/psql" "$PG_URL" -X -v ON_ERROR_STOP=1 -Atq "$@"; }
day=$(psql -c "SELECT (now() AT TIME ZONE 'UTC')::date")
say "writing one day ($day) of 1,000 devices every 10 s with its roll-ups"
started=$SECONDS
psql <<SQL
CREATE TEMP TABLE devices AS SELECT gen_random_uuid() AS id, '10.' || (n / 250) || '.' || (n % 250) || '.1' AS ip, n
    FROM generate_series(1, 1000) n;
INSERT INTO ping_results (device_id, agent_id, device_ip, device_name, packets_sent, packets_received,
                          packet_loss_percent, min_rtt_ms, avg_rtt_ms, max_rtt_ms, stddev_rtt_ms, is_reachable, timestamp)
SELECT d.id, '00000000-0000-0000-0000-000000000001', d.ip, 'device-' || d.n, 1, 1, 0,
       r, r, r, 0, true, '$day'::timestamptz + s * interval '10 s'
FROM generate_series(0, 8639) s, devices d, LATERAL (SELECT (random() * 20)::real AS r) rtt
ORDER BY s;
INSERT INTO ping_rollup_1m SELECT d.id, '$day'::timestamptz + m * interval '1 min', 1, 2, 3, 6, 6, 0, 6, 60, 0
FROM generate_series(0, 1439) m, devices d ORDER BY m;
INSERT INTO ping_rollup_1h SELECT d.id, '$day'::timestamptz + h * interval '1 hour', 1, 2, 3, 360, 360, 0, 360, 3600, 0
FROM generate_series(0, 23) h, devices d ORDER BY h;
VACUUM ANALYZE;
SQL
say "written in $((SECONDS - started)) s; size with indexes (pg_total_relation_size):"
psql -F ' ' <<SQL
SELECT p.relname, pg_size_pretty(sum(pg_total_relation_size(c.oid))), sum(c.reltuples)::bigint
FROM pg_class p JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
WHERE p.relname IN ('ping_results', 'ping_rollup_1m', 'ping_rollup_1h')
GROUP BY p.relname ORDER BY 1;
SELECT 'bytes per raw round (with indexes)', round(sum(pg_total_relation_size(c.oid)) / 8640000.0)
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ping_results'::regclass;
SQL
