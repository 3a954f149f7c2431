#!/usr/bin/env bash
# Soak of the real release binaries, run by scripts/benchmarks (which starts PostgreSQL and builds
# them):
#
#   scripts/lib/soak-bench.sh POSTGRES-URL BIN-DIR DEVICES MINUTES WARM-UP-MINUTES
#
# One outpost-agent enrolled for a branch of DEVICES devices on 127.x loopback addresses (in the
# agents' namespace, whose whole 127/8 answers), ping every 10 s, delivering to the real
# outpost-collector for MINUTES minutes. Each minute it samples VmRSS and RssAnon of the agent and
# of the collector; the slope of each series (least squares, KB per hour) over the samples
# after WARM-UP-MINUTES tells growth from a level plateau. Goal: no growth after the warm-up.
# Prints `RESULT …` lines as every benchmark does; the samples go to stdout as they are taken.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

[ $# -eq 5 ] || die "usage: scripts/lib/soak-bench.sh POSTGRES-URL BIN-DIR DEVICES MINUTES WARM-UP-MINUTES"
server_url=${1%/*}; bin=$2; devices=$3; minutes=$4; warmup=$5
((warmup + 2 <= minutes)) || die "soak-bench: the warm-up must leave at least 2 minutes to measure"
PG_BINDIR=$(postgres_bindir)
e2e_workdir k soak
fail() { die "soak-bench: $*"; }
. scripts/lib/outpost-system.sh
trap e2e_cleanup EXIT

e2e_database outpost_bench_soak
init_ca "$collector_ip"
create_branch_namespace
ports=("$(free_port)" "$(free_port)" "$(free_port)")
start_collector main "${ports[@]}"

kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
psql_db -c "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '10'), ('ping.packets', '1')
            ON CONFLICT (key) DO UPDATE SET value = excluded.value"
"$bin/outpost-collector" branch add soak >/dev/null
psql_db -c "INSERT INTO standalone_devices (name, ip, device_type, branch_id)
            SELECT 'soak-' || i, '127.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 'server', b.id
            FROM branches b, generate_series(1, $devices) i WHERE b.name = 'soak'"
enrol_agent soak "${ports[1]}"
drop_agent_binary_cache
start_agent soak "${ports[0]}"
agent=${agent_pid[soak]}
collector=${collector_pid[main]}

# One sample a minute: minute, agent VmRSS, agent RssAnon, collector VmRSS, collector RssAnon
# (KiB), rows stored.
samples="$work/samples"
: >"$samples"
echo "minute agent-VmRSS agent-RssAnon collector-VmRSS collector-RssAnon rows (KiB; $devices devices, ping every 10 s)"
start=$SECONDS
for minute in $(seq 1 "$minutes"); do
    while ((SECONDS - start < minute * 60)); do
        alive "$agent" || fail "the agent exited (log: $work/agent-soak.log)"
        alive "$collector" || fail "the collector exited"
        sleep 1
    done
    read_stored soak
    line="$minute $(kib "$agent" VmRSS) $(kib "$agent" RssAnon) $(kib "$collector" VmRSS) $(kib "$collector" RssAnon) $rows"
    echo "$line" | tee -a "$samples"
done
((rows > 0)) || fail "the agent stored no results"
read_agent_status soak
echo "agent peak RSS (VmHWM) $(kib "$agent" VmHWM) KiB; collector $(kib "$collector" VmHWM) KiB;" \
    "dropped $dropped_results results; batches acknowledged through $acknowledged"

# slope COLUMN: least-squares slope in KB per hour of that column over the minutes after the warm-up.
slope() {
    awk -v column="$1" -v after="$warmup" '
        $1 > after { n++; sx += $1; sy += $column; sxx += $1 * $1; sxy += $1 * $column }
        END { d = n * sxx - sx * sx; printf "%.0f", (d > 0) ? 60 * (n * sxy - sx * sy) / d : 0 }' "$samples"
}
size="$devices-devices-${minutes}min"
agent_slope=$(slope 2); anon_slope=$(slope 3); collector_slope=$(slope 4); collector_anon_slope=$(slope 5)
echo "slopes after minute $warmup: agent VmRSS $agent_slope KB/h, agent RssAnon $anon_slope KB/h," \
    "collector VmRSS $collector_slope KB/h, collector RssAnon $collector_anon_slope KB/h"
echo "RESULT name=soak-agent-rss-slope size=$size ours=$agent_slope reference=0 unit=KB/h ratio=-"
echo "RESULT name=soak-agent-anon-slope size=$size ours=$anon_slope reference=0 unit=KB/h ratio=-"
echo "RESULT name=soak-collector-rss-slope size=$size ours=$collector_slope reference=0 unit=KB/h ratio=-"
echo "RESULT name=soak-collector-anon-slope size=$size ours=$collector_anon_slope reference=0 unit=KB/h ratio=-"
echo "RESULT name=soak-agent-rss-end size=$size ours=$(tail -1 "$samples" | cut -d' ' -f2) reference=- unit=KiB ratio=-"
