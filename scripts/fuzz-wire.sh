#!/usr/bin/env bash
# Fuzzes the wire protocol's decoders (frames, every message, batches, signed batches) and the
# collector's session checks (SessionFuzz: signed batches of fuzzed values through verification,
# validation and the sequence window) with libFuzzer and AddressSanitizer, SECONDS each
# (default 60). Builds in its own scratch path (.build-fuzz), keeps each target's corpus in
# .build-fuzz/corpus/TARGET between runs, starts from the seeds in Fuzz/TARGET/Seeds, and exits
# non-zero when a fuzzer finds a crash (the reproducer is left in .build-fuzz/artifacts; replay
# it with `.build-fuzz/debug/TARGET <file>`).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi

export OUTPOST_FUZZ=1
status=0
for target in WireFuzz SessionFuzz; do
    swift build -c debug --scratch-path .build-fuzz --product "$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver
    mkdir -p ".build-fuzz/corpus/$target" .build-fuzz/artifacts
    set +e
    ".build-fuzz/debug/$target" ".build-fuzz/corpus/$target" "Fuzz/$target/Seeds" \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/artifacts/$target-"
    target_status=$?
    set -e
    if [ "$target_status" -ne 0 ]; then
        echo "fuzz-wire: $target stopped with status $target_status; reproducers:" >&2
        ls -l .build-fuzz/artifacts >&2
        status=$target_status
    fi
done
exit "$status"
