#!/usr/bin/env bash
# Runs one libFuzzer target from Tests/Fuzz for a bounded time, at the lowest CPU priority (the machine is shared).
# Builds it with the recipe in TOOLCHAIN.md into .build-fuzz, fuzzes a fresh copy of its seed corpus
# (Tests/Fuzz/corpus/<target>) in .build-fuzz/work/<target>, then prints executions, coverage and any finding.
# Exits 0 when the run ended clean, 1 on a finding (crash, property violation, leak, timeout, OOM), 2 on usage or build errors.
#
# Usage: scripts/fuzz.sh TARGET SECONDS        e.g. scripts/fuzz.sh FuzzChunked 600
# Reproduce a finding: SWIFT_BACKTRACE=enable=no .build-fuzz/release/TARGET <crash-file>
set -euo pipefail

# One block, read whole before it runs: editing this file during a long run cannot change the running instance.
{
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGETS=(FuzzRequestHead FuzzChunked FuzzResponseHead FuzzPath FuzzJWT FuzzConfig FuzzIssuerBody FuzzJWKSFetch)

usage() { echo "usage: $0 TARGET SECONDS   (TARGET: ${TARGETS[*]})" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
TARGET=$1
SECONDS_TO_RUN=$2
[[ " ${TARGETS[*]} " == *" $TARGET "* ]] || usage
[[ $SECONDS_TO_RUN =~ ^[1-9][0-9]*$ ]] || usage

cd "$ROOT"
# One --sanitize flag only (a second replaces the first and drops coverage); -Xswiftc adds ASan to the fuzzer runtime.
nice -n 19 swift build -c release --product "$TARGET" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
    --scratch-path .build-fuzz >&2 || { echo "fuzz: build of $TARGET failed" >&2; exit 2; }
BIN="$ROOT/.build-fuzz/release/$TARGET"

WORK="$ROOT/.build-fuzz/work/$TARGET"
rm -rf "$WORK"
mkdir -p "$WORK/corpus" "$WORK/artifacts"
if [[ -d "Tests/Fuzz/corpus/$TARGET" ]]; then
    cp -- "Tests/Fuzz/corpus/$TARGET"/* "$WORK/corpus/" 2>/dev/null || true
fi
SEEDS=$(find "$WORK/corpus" -type f | wc -l)
echo "fuzz: $TARGET for ${SECONDS_TO_RUN}s on $SEEDS seeds; log $WORK/fuzz.log" >&2

OPTIONS=()
if [[ $TARGET == FuzzJWT ]]; then
    # Keys and cached tokens live for the whole run, referenced through Swift enum payloads whose pointers carry tag
    # bits in their spare bits; LeakSanitizer cannot see those references and reports them as leaked.
    OPTIONS+=(-detect_leaks=0)
    export ASAN_OPTIONS=detect_leaks=0
fi

STATUS=0
# Swift's backtracer stalls under ASan after a trap; libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=no
# -timeout: one input taking over 10 s is a finding (a parser must be linear); -max_len covers every seed.
nice -n 19 "$BIN" -max_total_time="$SECONDS_TO_RUN" -timeout=10 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/" "${OPTIONS[@]}" "$WORK/corpus" >"$WORK/fuzz.log" 2>&1 || STATUS=$?

EXECS=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/fuzz.log" | tail -n 1)
LAST=$(grep -aE '^#[0-9]+.*cov: ' "$WORK/fuzz.log" | tail -n 1 || true)
echo "target:     $TARGET"
echo "executions: ${EXECS:-unknown}"
echo "last line:  ${LAST:-none}"
echo "corpus:     $(find "$WORK/corpus" -type f | wc -l) inputs ($SEEDS seeds)"

mapfile -t FINDINGS < <(find "$WORK/artifacts" -type f | sort)
if [[ $STATUS -ne 0 || ${#FINDINGS[@]} -gt 0 ]]; then
    echo "FINDING: libFuzzer exited $STATUS"
    grep -aE 'property violated:|Fatal error|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|SUMMARY' "$WORK/fuzz.log" | head -n 10 || true
    for file in "${FINDINGS[@]}"; do
        echo "crash file: $file ($(stat -c %s "$file") bytes)"
    done
    echo "reproduce:  SWIFT_BACKTRACE=enable=no $BIN <crash file>"
    exit 1
fi
echo "clean"
exit 0
}
