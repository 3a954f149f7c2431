#!/usr/bin/env bash
# Interface polling at branch scale (BENCHMARKS.md, "Interface tables"), run by scripts/benchmarks
# or alone (as root: it makes a network namespace):
#
#   scripts/lib/interfaces-bench.sh [BIN-DIR [DEVICES [INTERFACES [INTERVALS [INTERVAL-SECONDS]]]]]
#
# Defaults: 875 devices with 48 interfaces each, 3 measured intervals of 60 s. In a fresh network
# namespace it makes INTERFACES veth interfaces (pairs) and one snmpd that answers for every device
# (community dev1 … devN), then runs InterfacesBench (the agent's item poller on the per-minute
# interface items of the Cisco template: HC octets in/out, oper status, errors in/out, plus ifDescr
# for labels) and, as the reference, snmpbulkwalk of the same columns for a sample of the
# devices, scaled to all of them. Prints `RESULT …` lines: agent CPU per interval against
# snmpbulkwalk's CPU for the same walks, and the agent's RSS, requests/s and OIDs/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh

bin=${1:-}
devices=${2:-875}
interfaces=${3:-48}
intervals=${4:-3}
interval=${5:-60}
[ "$(id -u)" -eq 0 ] || die "interfaces-bench makes a network namespace: run as root"
ensure_apt_packages snmpd snmp iproute2
if [ -z "$bin" ]; then
    export OUTPOST_BENCHMARKS=1
    say "swift build -c release --product InterfacesBench"
    log=$(mktemp /tmp/outpost-interfaces-build.XXXXXX)
    swift build -c release --product InterfacesBench >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build of InterfacesBench failed"; }
    rm -f "$log"
    bin=.build/release
fi

namespace="opifb$$"
workdir=$(mktemp -d /tmp/outpost-interfaces-bench.XXXXXX)
snmpd_pid=
cleanup() {
    if [ -n "$snmpd_pid" ]; then
        kill "$snmpd_pid" 2>/dev/null || true
        wait "$snmpd_pid" 2>/dev/null || true
    fi
    ip netns delete "$namespace" 2>/dev/null || true
    rm -rf "$workdir" || true
}
trap cleanup EXIT INT TERM
inside() { ip netns exec "$namespace" "$@"; }

say "namespace $namespace: $interfaces veth interfaces, one snmpd for $devices devices"
ip netns add "$namespace"
inside ip link set lo up
for index in $(seq 1 $(( (interfaces + 1) / 2 ))); do
    inside ip link add "ifa$index" type veth peer name "ifb$index"
    inside ip link set "ifa$index" up
    inside ip link set "ifb$index" up
done
{
    echo "agentAddress udp:127.0.0.1:161"
    echo "dontLogTCPWrappersConnects yes"
    for index in $(seq 1 "$devices"); do echo "rocommunity dev$index 127.0.0.1"; done
} >"$workdir/snmpd.conf"
SNMP_PERSISTENT_DIR="$workdir/persist" ip netns exec "$namespace" /usr/sbin/snmpd -f -Lf "$workdir/snmpd.log" -C -c "$workdir/snmpd.conf" &
snmpd_pid=$!
for _ in $(seq 1 100); do
    inside snmpget -v2c -c dev1 -t 0.2 -r 0 127.0.0.1 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
done
inside snmpget -v2c -c dev1 -t 1 127.0.0.1 1.3.6.1.2.1.1.3.0 >/dev/null || die "snmpd did not start: $(tail -5 "$workdir/snmpd.log")"
rows=$(inside snmpbulkwalk -v2c -c dev1 -On 127.0.0.1 1.3.6.1.2.1.2.2.1.1 | wc -l)
say "each device has $rows interfaces"

inside "$bin/InterfacesBench" "$devices" "$intervals" "$interval" | tee "$workdir/ours.log"
measured=$(grep '^MEASURED ' "$workdir/ours.log") || die "InterfacesBench printed no figures"
value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$measured"; }

# Reference: snmpbulkwalk of the same columns (and ifDescr, which the agent walks for labels),
# one process per column as an operator's script would, for a sample of devices.
sample=$(( devices < 100 ? devices : 100 ))
columns=(1.3.6.1.2.1.31.1.1.1.6 1.3.6.1.2.1.31.1.1.1.10 1.3.6.1.2.1.2.2.1.8 1.3.6.1.2.1.2.2.1.14 1.3.6.1.2.1.2.2.1.20 1.3.6.1.2.1.2.2.1.2)
say "reference: snmpbulkwalk of ${#columns[@]} columns on $sample devices"
reference() {
    for index in $(seq 1 "$sample"); do
        for column in "${columns[@]}"; do
            snmpbulkwalk -v2c -c "dev$index" -Cr25 -On 127.0.0.1 "$column" >/dev/null
        done
    done
}
before=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
start=$(date +%s.%N)
inside bash -c "$(declare -f reference); columns=(${columns[*]}); sample=$sample; reference"
end=$(date +%s.%N)
after=$(awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat)
ticks=$(getconf CLK_TCK)
reference_cpu=$(awk -v b="$before" -v a="$after" -v t="$ticks" -v s="$sample" -v n="$devices" 'BEGIN { printf "%.3f", (a - b) / t / s * n }')
reference_wall=$(awk -v b="$start" -v e="$end" -v s="$sample" -v n="$devices" 'BEGIN { printf "%.1f", (e - b) / s * n }')
ours_cpu=$(value cpu_per_interval)
echo "snmpbulkwalk: ${reference_cpu} CPU s and ${reference_wall} s one after another for the ${devices} devices' walks (from $sample)"
size="${devices}x${interfaces}"
ratio=$(awk -v o="$ours_cpu" -v r="$reference_cpu" 'BEGIN { printf "%.3f", (r > 0 ? o / r : 0) }')
echo "RESULT name=interfaces-cpu size=$size ours=$ours_cpu reference=$reference_cpu unit=cpu-s/interval ratio=$ratio"
echo "RESULT name=interfaces-rss size=$size ours=$(value rss_mb) reference=- unit=MiB ratio=-"
echo "RESULT name=interfaces-requests size=$size ours=$(value requests_per_s) reference=- unit=req/s ratio=-"
echo "RESULT name=interfaces-oids size=$size ours=$(value oids_per_s) reference=- unit=oids/s ratio=-"
echo "RESULT name=interfaces-failed size=$size ours=$(value failed) reference=0 unit=samples ratio=-"
