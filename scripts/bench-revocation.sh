#!/usr/bin/env bash
# Per-request cost of the revocation check (the atomic version load a worker makes on every request, plus the set
# lookup when any revocation is active), on one pinned core. Every step is bounded by `timeout`.
#
# Usage: scripts/bench-revocation.sh                  (builds .build/release/gateway first)
#        GATEWAY_BIN=... BENCH_SECONDS=3 BENCH_CPU=1 scripts/bench-revocation.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${BENCH_SECONDS:-2}
CPU=${BENCH_CPU:-$(($(nproc) - 1))}

if [[ -z "${GATEWAY_BIN:-}" ]]; then
    (cd "$ROOT" && swift build -c release --product gateway >&2)
    GATEWAY_BIN="$ROOT/.build/release/gateway"
fi
[[ -x "$GATEWAY_BIN" ]] || { echo "bench-revocation: no gateway binary at $GATEWAY_BIN" >&2; exit 2; }

echo "== gateway bench revocation (CPU $CPU, ${SECS}s per row)"
# Five rows, plus building the 100k set once.
timeout $((SECS * 5 + 60)) taskset -c "$CPU" "$GATEWAY_BIN" bench revocation --seconds "$SECS"
