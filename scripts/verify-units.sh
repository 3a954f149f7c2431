#!/usr/bin/env bash
# Checks the systemd units with `systemd-analyze verify`, pointing ExecStart at the binaries
# just built. systemd-analyze exits 0 on unknown keys and bad values (it only warns), so any
# output fails the check. Skipped with a note where systemd-analyze is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v systemd-analyze >/dev/null; then
    echo "verify-units: systemd-analyze not found; units not checked" >&2
    exit 0
fi
bin="$(swift build --show-bin-path)"
for binary in outpost-agent outpost-collector; do
    [[ -x "$bin/$binary" ]] || { echo "verify-units: $bin/$binary missing; build first" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for unit in agent/outpost-agent.service collector/outpost-collector.service; do
    sed "s|/usr/local/bin/|$bin/|" "$unit" > "$work/$(basename "$unit")"
done
output="$(systemd-analyze verify "$work"/*.service 2>&1 || true)"
if [[ -n "$output" ]]; then
    echo "verify-units: systemd-analyze found problems:" >&2
    echo "$output" >&2
    exit 1
fi
echo "verify-units: agent and collector units verified"
