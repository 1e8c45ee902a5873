#!/usr/bin/env bash
# Token verification speed of the gateway beside OpenSSL's own primitives, on one pinned core, plus the rate
# limiter's cost per take. Every step is bounded by `timeout`.
#
# Usage: scripts/bench-jwt.sh                  (builds .build/release/gateway first)
#        GATEWAY_BIN=... BENCH_SECONDS=3 BENCH_CPU=1 scripts/bench-jwt.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${BENCH_SECONDS:-3}
CPU=${BENCH_CPU:-$(($(nproc) - 1))}
HMAC_BYTES=256  # about the size of a JWT's signing input

if [[ -z "${GATEWAY_BIN:-}" ]]; then
    (cd "$ROOT" && swift build -c release --product gateway >&2)
    GATEWAY_BIN="$ROOT/.build/release/gateway"
fi
[[ -x "$GATEWAY_BIN" ]] || { echo "bench-jwt: no gateway binary at $GATEWAY_BIN" >&2; exit 2; }

OUT=$(mktemp -d "${TMPDIR:-/tmp}/bench-jwt.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

echo "== gateway bench jwt (CPU $CPU, ${SECS}s per row)"
timeout $((SECS * 8 + 30)) taskset -c "$CPU" "$GATEWAY_BIN" bench jwt --seconds "$SECS" | tee "$OUT/gateway"

echo
echo "== gateway bench ratelimit (1 s per row; the 2-thread rows use every core)"
timeout 30 "$GATEWAY_BIN" bench ratelimit --seconds 1

echo
echo "== openssl speed (CPU $CPU, ${SECS}s per measurement)"
timeout $((SECS * 6 + 30)) taskset -c "$CPU" openssl speed -seconds "$SECS" rsa2048 ecdsap256 ed25519 2>/dev/null |
    grep -E 'sign/s|rsa 2048|nistp256|Ed25519' | tee "$OUT/openssl"
timeout $((SECS + 30)) taskset -c "$CPU" openssl speed -seconds "$SECS" -bytes "$HMAC_BYTES" -hmac sha256 2>/dev/null |
    grep -E '^type|^hmac' | tee "$OUT/hmac"

echo
echo "== side by side: verifications per second on one core"
gateway_rate() { awk -v alg="$1" '$1 == alg { print $3 }' "$OUT/gateway"; }
gateway_cached() { awk -v alg="$1" '$1 == alg { print $2 }' "$OUT/gateway"; }
ossl_rsa=$(awk '/^rsa 2048/ { print $NF }' "$OUT/openssl")
ossl_ec=$(awk '/nistp256/ { print $NF }' "$OUT/openssl")
ossl_ed=$(awk '/Ed25519/ { print $NF }' "$OUT/openssl")
# openssl prints HMAC throughput in thousands of bytes per second.
ossl_hmac=$(awk -v n="$HMAC_BYTES" '/^hmac/ { v = $NF; sub(/k$/, "", v); printf "%.0f", v * 1000 / n }' "$OUT/hmac")
printf '%-7s %16s %16s %16s\n' alg "gateway cached" "gateway uncached" "openssl verify"
printf '%-7s %16s %16s %16s\n' HS256 "$(gateway_cached HS256)" "$(gateway_rate HS256)" "${ossl_hmac} (hmac ${HMAC_BYTES}B)"
printf '%-7s %16s %16s %16s\n' RS256 "$(gateway_cached RS256)" "$(gateway_rate RS256)" "$ossl_rsa"
printf '%-7s %16s %16s %16s\n' ES256 "$(gateway_cached ES256)" "$(gateway_rate ES256)" "$ossl_ec"
printf '%-7s %16s %16s %16s\n' EdDSA "$(gateway_cached EdDSA)" "$(gateway_rate EdDSA)" "$ossl_ed"
