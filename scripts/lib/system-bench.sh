#!/usr/bin/env bash
# Benchmarks of the real release binaries, run by scripts/benchmarks (which starts PostgreSQL
# and builds them):
#
#   scripts/lib/system-bench.sh POSTGRES-URL BIN-DIR "DEVICE-COUNTS" ROUNDS AGENT-COUNTS HOLD-SECONDS [DEVICES:CEILING]
#
# - agent at scale: one outpost-agent enrolled for a branch of N devices on 127.x loopback
#   addresses (in the agents' namespace, whose whole 127/8 answers), ping every 10 s
#   ($SYSTEM_BENCH_PING_PACKETS packets per round, default 1); after ROUNDS rounds are stored:
#   its peak RSS (VmHWM), its anonymous memory then (RssAnon: heap and stacks, without the code
#   pages of the binary and libraries) and its CPU use over the rounds after the first; from its
#   /metrics, the ICMP send rate it set, the ping demand and rounds overrun; from the stored rows,
#   the send rate achieved (echo requests per second over the measured rounds) and the interval
#   between a device's rounds (p50/p99, against the configured 10 s);
# - ceiling too low (DEVICES:CEILING, e.g. 50000:2000): the same with
#   icmp_max_packets_per_second=CEILING below the demand: the agent's "cannot fit" warning, the
#   stretched interval it logs and the one measured, rounds overrun and probe -> row latency;
# - with SYSTEM_BENCH_SMAPS_DIR set, each measured agent's /proc/PID/smaps is saved there;
# - probe -> committed row: ping_results gets a `committed_at DEFAULT clock_timestamp()` column
#   in this scratch database; p50/p99 of committed_at - timestamp per size of the scale runs;
# - device down -> alert row: rule `ping_unreachable >= 1` on a device whose address is removed
#   from the namespace (ping every 1 s), 3 episodes; time from the removal to alert_history;
# - collector with many agents: for each of AGENT-COUNTS, `IngestMTLSBench --external` connects
#   that many simulated agents over mutual TLS to the real outpost-collector and holds them
#   HOLD-SECONDS (a 10-row batch every 5 s each); the collector's VmHWM, sessions/s, Ack p99.
# Prints `RESULT …` lines as every benchmark does.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh
. scripts/lib/e2e.sh

[ $# -eq 6 ] || [ $# -eq 7 ] || die "usage: scripts/lib/system-bench.sh POSTGRES-URL BIN-DIR \"DEVICE-COUNTS\" ROUNDS AGENT-COUNTS HOLD-SECONDS [DEVICES:CEILING]"
server_url=${1%/*}; bin=$2; read -r -a device_counts <<<"$3"; rounds=$4; read -r -a agent_counts <<<"${5//,/ }"; hold=$6
capped=${7:-}
packets=${SYSTEM_BENCH_PING_PACKETS:-1}
[[ "$packets" =~ ^[0-9]+$ ]] || die "SYSTEM_BENCH_PING_PACKETS must be a number of packets"
[[ -z "$capped" || "$capped" =~ ^[0-9]+:[0-9]+$ ]] || die "DEVICES:CEILING must be like 50000:2000"
PG_BINDIR=$(postgres_bindir)
e2e_workdir s sysbench
fail() { die "system-bench: $*"; }
. scripts/lib/outpost-system.sh
trap e2e_cleanup EXIT

e2e_database outpost_bench_system
psql_db -c "ALTER TABLE ping_results ADD COLUMN committed_at timestamptz DEFAULT clock_timestamp()"
init_ca "$collector_ip"
create_branch_namespace
ulimit -n "$(ulimit -Hn)"  # 1,000 agent sessions: one descriptor each, both ends
# The simulated agents all connect from 127.0.0.1: lift the per-source cap (64 by default),
# as for a site whose agents share one NAT address.
export OUTPOST_AGENT_MAX_CONNECTIONS_PER_SOURCE=4096
ports=("$(free_port)" "$(free_port)" "$(free_port)")
start_collector main "${ports[@]}"

kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
stored_rounds() { read_stored "$1"; echo $(( rows / $2 )); }  # NAME DEVICES: full rounds stored

# ---- agent RSS and CPU at 1k / 10k / 50k devices ----
psql_db -c "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '10'), ('ping.packets', '$packets')
            ON CONFLICT (key) DO UPDATE SET value = excluded.value"
# metric NAME: the value of metric NAME (first sample) on the running agent's /metrics.
metric() {
    { ip netns exec "$ns" curl -fsS "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null || true; } |
        awk -v name="$1" '$1 == name { print $2; exit }'
}
# measure_agent NAME COUNT [VAR=VALUE…]: branch NAME of COUNT devices, its agent run with the
# given environment until ROUNDS full rounds are stored; prints its figures.
measure_agent() {
    local name=$1 count=$2; shift 2
    "$bin/outpost-collector" branch add "$name" >/dev/null
    psql_db -c "INSERT INTO standalone_devices (name, ip, device_type, branch_id)
                SELECT '$name-' || i, '127.' || (i / 65536) || '.' || (i / 256 % 256) || '.' || (i % 256), 'server', b.id
                FROM branches b, generate_series(1, $count) i WHERE b.name = '$name'"
    enrol_agent "$name" "${ports[1]}"
    metrics_port=$(free_port)
    drop_agent_binary_cache
    start_agent "$name" "${ports[0]}" OUTPOST_AGENT_METRICS_LISTEN="127.0.0.1:$metrics_port" "$@"
    local deadline=$((SECONDS + 120 + rounds * 120))
    until [[ $(stored_rounds "$name" "$count") -ge 1 ]]; do
        ((SECONDS < deadline)) || fail "agent $name stored no full round"
        alive "${agent_pid[$name]}" || fail "agent $name exited"
        sleep 0.5
    done
    local ticks_first first_at collector_ticks_first rows_first
    ticks_first=$(cpu_ticks "${agent_pid[$name]}"); first_at=$SECONDS
    collector_ticks_first=$(cpu_ticks "${collector_pid[main]}"); read_stored "$name"; rows_first=$rows
    local first_commit
    first_commit=$(psql_db -c "SELECT max(committed_at) FROM ping_results WHERE agent_id = '${agent_id[$name]}'")
    until [[ $(stored_rounds "$name" "$count") -ge $rounds ]]; do
        ((SECONDS < deadline)) || fail "agent $name stored fewer than $rounds rounds"
        sleep 0.5
    done
    local ticks wall collector_ticks
    ticks=$(( $(cpu_ticks "${agent_pid[$name]}") - ticks_first )); wall=$((SECONDS - first_at))
    collector_ticks=$(( $(cpu_ticks "${collector_pid[main]}") - collector_ticks_first ))
    read_stored "$name"
    local size="$count-devices"
    [[ $# -eq 0 ]] || size="$count-devices-capped"
    # Batch efficiency beside the latency: rows per batch over the whole run, and the
    # collector's CPU per row stored over the measured rounds.
    local rows_per_batch collector_us_per_row hwm cpu_percent anon
    rows_per_batch=$(awk -v r="$rows" -v b="$high_water" 'BEGIN { printf "%.1f", (b > 0) ? r / b : 0 }')
    collector_us_per_row=$(awk -v t="$collector_ticks" -v hz="$ticks_per_second" -v r="$((rows - rows_first))" \
        'BEGIN { printf "%.1f", (r > 0) ? 1e6 * t / hz / r : 0 }')
    echo "agent with $count devices: $rows rows in $high_water batches ($rows_per_batch rows per batch); collector ${collector_us_per_row} µs CPU per row"
    echo "RESULT name=rows-per-batch size=$size ours=$rows_per_batch reference=- unit=rows ratio=-"
    echo "RESULT name=collector-cpu-per-row size=$size ours=$collector_us_per_row reference=- unit=us ratio=-"
    hwm=$(kib "${agent_pid[$name]}" VmHWM)
    cpu_percent=$(awk -v t="$ticks" -v hz="$ticks_per_second" -v w="$wall" 'BEGIN { printf "%.1f", (w > 0) ? 100 * t / hz / w : 0 }')
    echo "agent with $count devices: VmHWM $hwm KiB; ${cpu_percent} % of one core over ${wall} s after the first stored round"
    echo "RESULT name=agent-rss size=$size ours=$hwm reference=- unit=KiB ratio=-"
    # What of it is the agent's own (heap, stacks) rather than code pages of the binary and libraries.
    anon=$(kib "${agent_pid[$name]}" RssAnon)
    echo "agent with $count devices: RssAnon $anon KiB, RssFile $(kib "${agent_pid[$name]}" RssFile) KiB now"
    echo "RESULT name=agent-rss-anon size=$size ours=$anon reference=- unit=KiB ratio=-"
    # Where the resident pages are, mapping by mapping, for a look with the figures.
    [[ -z "${SYSTEM_BENCH_SMAPS_DIR:-}" ]] || cp "/proc/${agent_pid[$name]}/smaps" "$SYSTEM_BENCH_SMAPS_DIR/agent-$size.smaps"
    echo "RESULT name=agent-cpu size=$size ours=$cpu_percent reference=- unit=%-core ratio=-"
    # Send rate: the one the agent set (its /metrics) and the one achieved: echo requests of the
    # rows committed after the first full round, over the time they span. Interval: between two
    # commits of one device's rows, against the configured 10 s (stretched when capped); a round
    # stamps its start when the engine takes it, so rows queued behind the rate limit show only here.
    local demand ceiling set_rate interval_used overrun achieved gap_p50 gap_p99
    demand=$(metric outpost_agent_ping_demand_packets_per_second)
    ceiling=$(metric outpost_agent_icmp_ceiling_packets_per_second)
    set_rate=$(metric outpost_agent_icmp_send_rate_packets_per_second)
    interval_used=$(metric outpost_agent_ping_round_interval_seconds)
    overrun=$(metric outpost_agent_ping_rounds_overrun_total)
    read -r achieved gap_p50 gap_p99 < <(psql_db -F ' ' -c "
        WITH r AS (SELECT committed_at,
                          committed_at - lag(committed_at) OVER (PARTITION BY device_id ORDER BY timestamp) AS gap
                   FROM ping_results WHERE agent_id = '${agent_id[$name]}')
        SELECT round($packets * count(*) FILTER (WHERE committed_at > '$first_commit')
                     / greatest(extract(epoch FROM max(committed_at) - '$first_commit'::timestamptz), 1)),
               round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY gap))::numeric, 2),
               round(extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY gap))::numeric, 2)
        FROM r")
    echo "agent with $count devices, $packets packet(s) per round: demand ${demand:-?} packets/s, ceiling ${ceiling:-?}, send rate set ${set_rate:-?}, achieved $achieved packets/s; interval used ${interval_used:-?} s, measured between a device's rounds p50 $gap_p50 s, p99 $gap_p99 s; rounds overrun ${overrun:-?}"
    echo "RESULT name=icmp-send-rate-set size=$size ours=${set_rate:-?} reference=${demand:-?} unit=packets/s ratio=-"
    echo "RESULT name=icmp-send-rate-achieved size=$size ours=$achieved reference=${demand:-?} unit=packets/s ratio=-"
    echo "RESULT name=round-interval-p99 size=$size ours=$gap_p99 reference=${interval_used:-?} unit=s ratio=-"
    echo "RESULT name=rounds-overrun size=$size ours=${overrun:-?} reference=0 unit=rounds ratio=-"
    kill -TERM "${agent_pid[$name]}"; wait "${agent_pid[$name]}" 2>/dev/null || true
}
for count in "${device_counts[@]}"; do
    measure_agent "scale$count" "$count"
done
if [[ -n "$capped" ]]; then
    count=${capped%:*}; ceiling=${capped#*:}
    measure_agent "scalecap$count" "$count" OUTPOST_AGENT_ICMP_MAX_PPS="$ceiling"
    warning=$(grep -m1 'cannot fit under the ICMP ceiling' "$work/agent-scalecap$count.log") ||
        fail "the agent with a ceiling of $ceiling packets/s did not warn that $count devices cannot fit"
    echo "ceiling $ceiling packets/s, $count devices: the agent logged: $warning"
fi
# Probe -> committed row, per size: the agent's round start to the row's insertion in the
# ingest transaction (committed_at), so the agent's own queueing at large sizes counts too.
while read -r count p50 p99 samples; do
    echo "probe -> committed row with $count devices over $samples rows (ping every 10 s): p50 $p50 ms, p99 $p99 ms"
    size=${count%-capped}-devices${count#"${count%-capped}"}
    echo "RESULT name=probe-to-row-p50 size=$size ours=$p50 reference=- unit=ms ratio=-"
    echo "RESULT name=probe-to-row-p99 size=$size ours=$p99 reference=- unit=ms ratio=-"
done < <(psql_db -F ' ' -c "
    SELECT CASE WHEN b.name LIKE 'scalecap%' THEN substr(b.name, 9) || '-capped' ELSE substr(b.name, 6) END,
           round(1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.committed_at - r.timestamp))),
           round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM r.committed_at - r.timestamp))), count(*)
    FROM ping_results r JOIN agents a ON a.id = r.agent_id JOIN branches b ON b.id = a.branch_id
    WHERE b.name LIKE 'scale%' GROUP BY b.name ORDER BY count(*)")

# ---- device down -> alert_history row ----
psql_db -c "UPDATE system_config SET value = '1' WHERE key = 'ping.interval_seconds'"
add_branch alerting 3 200
enrol_agent alerting "${ports[1]}"
start_agent alerting "${ports[0]}"
device=$(psql_db -c "SELECT id FROM standalone_devices WHERE ip = '10.79.200.1'")
psql_db -c "INSERT INTO alert_rules (device_id, name, expression, severity) VALUES ('$device', 'bench down', 'ping_unreachable >= 1', 'critical')"
reachable_again() { [[ $(psql_db -c "SELECT count(*) FROM ping_results WHERE device_id = '$device' AND is_reachable
                                    AND timestamp > '$1'::timestamptz") -ge 2 ]]; }
alert_after() { [[ $(psql_db -c "SELECT count(*) FROM alert_history WHERE device_id = '$device' AND triggered_at >= '$1'::timestamptz") -ge 1 ]]; }
latencies=()
for episode in 1 2 3; do
    restored=$(psql_db -c "SELECT now()")
    wait_until 60 reachable_again "$restored" || fail "device not reachable before episode $episode"
    sleep 2
    down_at=$(psql_db -c "SELECT clock_timestamp()")
    ip netns exec "$ns" ip addr del 10.79.200.1/32 dev lo
    wait_until 60 alert_after "$down_at" || fail "no alert within 60 s of the device going down (episode $episode)"
    latencies+=("$(psql_db -c "SELECT round(1000 * extract(epoch FROM min(created_at) - '$down_at'::timestamptz))
                               FROM alert_history WHERE device_id = '$device' AND triggered_at >= '$down_at'::timestamptz")")
    ip netns exec "$ns" ip addr add 10.79.200.1/32 dev lo
done
sorted=$(printf '%s\n' "${latencies[@]}" | sort -n | tr '\n' ' ')
echo "device down -> alert_history row (ping every 1 s, rule ping_unreachable >= 1): ${sorted}ms"
echo "RESULT name=down-to-alert-median size=3-episodes ours=$(printf '%s\n' "${latencies[@]}" | sort -n | sed -n 2p) reference=- unit=ms ratio=-"
echo "RESULT name=down-to-alert-max size=3-episodes ours=$(printf '%s\n' "${latencies[@]}" | sort -n | tail -1) reference=- unit=ms ratio=-"
kill -TERM "${agent_pid[alerting]}"; wait "${agent_pid[alerting]}" 2>/dev/null || true

# ---- the collector with 100 / 1,000 agents over mutual TLS ----
for agents in "${agent_counts[@]}"; do
    kill -TERM "${collector_pid[main]}"; wait "${collector_pid[main]}" 2>/dev/null || true
    start_collector main "${ports[@]}"
    idle=$(kib "${collector_pid[main]}" VmRSS)
    "$bin/IngestMTLSBench" --external "$work/ca" "127.0.0.1:${ports[0]}" "$database_url" "$agents" "$hold"
    hwm=$(kib "${collector_pid[main]}" VmHWM)
    echo "collector with $agents agents: VmHWM $hwm KiB (RSS $idle KiB idle after start)"
    echo "RESULT name=collector-rss size=$agents-agents ours=$hwm reference=- unit=KiB ratio=-"
done
