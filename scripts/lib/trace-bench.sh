#!/usr/bin/env bash
# Path diagnostics at branch scale (BENCHMARKS.md, "Traceroute of 100 destinations"), run by
# scripts/benchmarks or alone, as root:
#
#   scripts/lib/trace-bench.sh [BIN-DIR [DESTINATIONS]]
#
# Builds a chain of network namespaces (tracer, five routers, a host holding the destinations:
# 6 hops), then traces DESTINATIONS (default 100) addresses three ways in
# the tracer namespace, in one run: TraceBench (the engine, all at once), `traceroute -n -I` once
# per address (one after the other, as a script would), and `mtr --report -n -c 1` once for each
# of the first 10 addresses (mtr takes about 6 s per report: figures are per destination).
# For each it prints the wall time, the packets the tracer sent (its interface counters) and the
# CPU time of the tool, then `RESULT …` lines. Without BIN-DIR it builds TraceBench in release.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/common.sh

[ "$(id -u)" -eq 0 ] || die "network namespaces and raw sockets: run as root"
ensure_apt_packages traceroute mtr-tiny iproute2
bin=${1:-}
count=${2:-100}
if [ -z "$bin" ]; then
    export OUTPOST_BENCHMARKS=1
    say "swift build -c release --product TraceBench"
    log=$(mktemp /tmp/outpost-trace-build.XXXXXX)
    swift build -c release --product TraceBench >"$log" 2>&1 || { tail -30 "$log" >&2; die "release build of TraceBench failed"; }
    rm -f "$log"
    bin=.build/release
fi

tag="otb$$"
nodes=("$tag-t" "$tag-r1" "$tag-r2" "$tag-r3" "$tag-r4" "$tag-r5" "$tag-d")
cleanup() { for node in "${nodes[@]}"; do ip netns delete "$node" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
in_ns() { local node=$1; shift; ip netns exec "$node" "$@"; }

# Link k joins nodes[k-1] (10.77.k.1) and nodes[k] (10.77.k.2); the destinations are
# 10.78.0.1… on the loopback of the last node, six hops from the tracer.
for node in "${nodes[@]}"; do
    ip netns add "$node"
    in_ns "$node" ip link set lo up
    for setting in net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 \
        net.ipv4.icmp_msgs_burst=1000000 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0; do
        in_ns "$node" sysctl -qw "$setting"
    done
done
last=$(( ${#nodes[@]} - 1 ))
for k in $(seq 1 "$last"); do
    ip link add "$tag-a$k" netns "${nodes[k-1]}" type veth peer name "$tag-b$k" netns "${nodes[k]}"
    in_ns "${nodes[k-1]}" ip addr add "10.77.$k.1/24" dev "$tag-a$k"
    in_ns "${nodes[k]}" ip addr add "10.77.$k.2/24" dev "$tag-b$k"
    in_ns "${nodes[k-1]}" ip link set "$tag-a$k" up
    in_ns "${nodes[k]}" ip link set "$tag-b$k" up
done
for k in $(seq 0 $(( last - 1 ))); do in_ns "${nodes[k]}" ip route add default via "10.77.$(( k + 1 )).2"; done
for k in $(seq 2 "$last"); do in_ns "${nodes[k]}" ip route add 10.77.1.0/24 via "10.77.$k.1"; done
targets=()
for i in $(seq 1 "$count"); do
    address="10.78.$(( i / 250 )).$(( i % 250 + 1 ))"
    in_ns "${nodes[last]}" ip addr add "$address/32" dev lo
    targets+=("$address")
done
tracer=${nodes[0]}
tx() { in_ns "$tracer" cat "/sys/class/net/$tag-a1/statistics/tx_packets"; }
# Neighbour discovery done before anything is measured.
in_ns "$tracer" traceroute -n -I -q 1 -w 1 "${targets[0]}" >/dev/null

# measure NAME COMMAND…: wall seconds, packets sent by the tracer and CPU seconds of COMMAND
# (user + system, children included) into wall[NAME], packets[NAME], cpu[NAME].
declare -A wall packets cpu
measure() {
    local name=$1; shift
    local before after start end used
    before=$(tx)
    start=$(date +%s.%N)
    used=$( { TIMEFORMAT='%U %S'; time "$@" >"/tmp/$tag-$name.out" 2>&1; } 2>&1 | awk '{print $1 + $2}')
    end=$(date +%s.%N)
    after=$(tx)
    wall[$name]=$(printf '%.2f' "$(echo "$end - $start" | bc -l)")
    packets[$name]=$(( after - before ))
    cpu[$name]=$(printf '%.2f' "$used")
}
traceroute_all() { for target in "${targets[@]}"; do in_ns "$tracer" traceroute -n -I -q 3 -w 1 "$target"; done; }
mtr_sample=("${targets[@]:0:10}")
mtr_all() { for target in "${mtr_sample[@]}"; do in_ns "$tracer" mtr --report -n -c 1 "$target"; done; }

say "trace of $count destinations, 6 hops: engine (all at once)"
measure engine in_ns "$tracer" "$bin/TraceBench" "${targets[@]}"
cat "/tmp/$tag-engine.out"
say "traceroute -n -I, once per destination"
measure traceroute traceroute_all
say "mtr --report -n -c 1, once for each of ${#mtr_sample[@]} destinations"
measure mtr mtr_all
hops=$(awk '$1 ~ /^[0-9]+$/ {n=$1} END {print n}' "/tmp/$tag-traceroute.out")
rm -f "/tmp/$tag-"*.out

printf '%-22s %8s %8s %8s\n' tool wall_s packets cpu_s
printf '%-22s %8s %8s %8s\n' "engine" "${wall[engine]}" "${packets[engine]}" "${cpu[engine]}"
printf '%-22s %8s %8s %8s\n' "traceroute ×$count" "${wall[traceroute]}" "${packets[traceroute]}" "${cpu[traceroute]}"
printf '%-22s %8s %8s %8s\n' "mtr --report ×${#mtr_sample[@]}" "${wall[mtr]}" "${packets[mtr]}" "${cpu[mtr]}"
echo "hops of the last traceroute: $hops"
ratio() { echo "scale=3; $1 / $2" | bc -l; }
echo "RESULT name=trace-wall size=$count-destinations ours=${wall[engine]} reference=${wall[traceroute]} unit=s ratio=$(ratio "${wall[engine]}" "${wall[traceroute]}")"
echo "RESULT name=trace-packets size=$count-destinations ours=${packets[engine]} reference=${packets[traceroute]} unit=packets ratio=$(ratio "${packets[engine]}" "${packets[traceroute]}")"
echo "RESULT name=trace-cpu size=$count-destinations ours=${cpu[engine]} reference=${cpu[traceroute]} unit=cpu-s ratio=$(ratio "${cpu[engine]}" "${cpu[traceroute]}")"
mtr_per=$(echo "scale=3; ${wall[mtr]} / ${#mtr_sample[@]}" | bc -l)
engine_per=$(echo "scale=5; ${wall[engine]} / $count" | bc -l)
echo "RESULT name=trace-vs-mtr size=1-destination ours=$engine_per reference=$mtr_per unit=s ratio=$(ratio "$engine_per" "$mtr_per")"
