#!/usr/bin/env bash
# Fuzzes the wire protocol's decoders (frames, every message, batches, signed batches) with
# libFuzzer and AddressSanitizer for SECONDS (default 60). Builds in its own scratch path
# (.build-fuzz), keeps the corpus in .build-fuzz/corpus between runs, starts from the seeds in
# Fuzz/WireFuzz/Seeds, and exits non-zero when the fuzzer finds a crash (the reproducer is
# left in .build-fuzz/artifacts; replay it with `.build-fuzz/debug/WireFuzz <file>`).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi

export OUTPOST_FUZZ=1
swift build -c debug --scratch-path .build-fuzz --product WireFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver

mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
set +e
.build-fuzz/debug/WireFuzz .build-fuzz/corpus Fuzz/WireFuzz/Seeds \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix=.build-fuzz/artifacts/
status=$?
set -e
if [ "$status" -ne 0 ]; then
    echo "fuzz-wire: the fuzzer stopped with status $status; reproducers:" >&2
    ls -l .build-fuzz/artifacts >&2
fi
exit "$status"
