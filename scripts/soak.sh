#!/usr/bin/env bash
# Soak test: the release gateway in front of the example legacy API under a mixed-token load for MINUTES, then a
# memory measurement with many idle connections. Loopback only; every process it starts is stopped on exit.
#
# Usage: scripts/soak.sh MINUTES      (env: BUILD_PATH=<swift scratch path> SKIP_BUILD=1 CONNECTIONS=50
#                                       IDLE_CONNECTIONS=10000 (0 skips the idle phase) BASE_PORT=18280 KEEP_WORK=1)
#
# Passes (exit 0) only if:
#   - `gateway load` reports zero mismatched answers (valid → 2xx, expired/bad-signature/missing → 401,
#     wrong-role → 403 on a role-protected route) and no socket errors or timeouts;
#   - the gateway's RSS at the end of the load is within 10% of its RSS after the first minute;
#   - the gateway's open descriptor count returns to its pre-load baseline after the load stops (the config's
#     upstream idle_timeout is 2s, so pooled upstream connections age out; polled for at most 20 s).
# The idle phase only measures: (RSS with N idle connections − RSS without) / N, for a fresh `gateway run`.
set -euo pipefail

MINUTES=${1:-}
if ! [[ "$MINUTES" =~ ^[0-9]+$ ]] || [ "$MINUTES" -lt 1 ]; then
    echo "usage: scripts/soak.sh MINUTES   (a whole number of minutes, at least 1)" >&2
    exit 2
fi
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_PATH=${BUILD_PATH:-$REPO/.build}
CONNECTIONS=${CONNECTIONS:-50}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
BASE_PORT=${BASE_PORT:-18280}
PORT_UP=$BASE_PORT
PORT_GW=$((BASE_PORT + 1))
PORT_IDLE=$((BASE_PORT + 2))
export SOAK_SECRET=${SOAK_SECRET:-soak-secret-0123456789abcdef0123456789abcdef}

. "$REPO/scripts/lib/bench-common.sh"

WORK=$(mktemp -d /tmp/soak.XXXXXX)
cleanup() {
    bench_stop_all
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "soak: $*" >&2; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
fd_count() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$REPO" && swift build -c release --scratch-path "$BUILD_PATH" --product gateway &&
        swift build -c release --scratch-path "$BUILD_PATH" --product legacy-api) >&2
fi
GATEWAY=$BUILD_PATH/release/gateway
LEGACY=$BUILD_PATH/release/legacy-api
for b in "$GATEWAY" "$LEGACY"; do [ -x "$b" ] || { echo "no binary at $b" >&2; exit 2; }; done
for p in $PORT_UP $PORT_GW $PORT_IDLE; do bench_port_free "$p"; done

# The HS256 secret comes from the environment, as in production; the admin route needs the "admin" role.
write_config() { # file listen-port extra-json-members
    cat >"$1" <<EOF
{
  "listen": "127.0.0.1:$2",
  "workers": 1,
  "limits": { "max_connections": 20000, "max_connections_per_ip": 20000 },
  "timeouts": { "request_head": "60s", "keep_alive": "60s" },
  "upstreams": { "legacy": { "targets": ["127.0.0.1:$PORT_UP"], "idle_timeout": "2s" } },
  "issuers": {
    "soak": { "iss": "https://soak.test", "keys": [ { "alg": "HS256", "secret_env": "SOAK_SECRET" } ] }
  },
  "routes": [
    { "name": "admin", "prefix": "/api/admin", "upstream": "legacy", "auth": { "any": ["admin"] } },
    { "name": "health", "path": "/healthz", "upstream": "legacy", "auth": "public" }
  ],
  "log": { "access": "off" }
}
EOF
}

bench_spawn "$WORK/legacy.log" "$LEGACY" --listen "127.0.0.1:$PORT_UP"
bench_wait_port "$PORT_UP"

# --- phase 1: mixed-token load ------------------------------------------------------------------------------
write_config "$WORK/gateway.json" "$PORT_GW"
bench_spawn "$WORK/gateway.log" "$GATEWAY" run --config "$WORK/gateway.json"
GW_PID=$LAST_PID
bench_wait_port "$PORT_GW"
# One request through so the baseline includes what the first request allocates once; then wait for the
# pooled upstream connection to age out so the baseline is the idle process.
curl -fsS -o /dev/null "http://127.0.0.1:$PORT_GW/healthz"
sleep 3
FD_BASE=$(fd_count "$GW_PID")
RSS_START=$(rss_kib "$GW_PID")
log "gateway pid $GW_PID: baseline $FD_BASE descriptors, RSS $RSS_START KiB; load for $MINUTES min"

bench_spawn "$WORK/load.log" "$GATEWAY" load "http://127.0.0.1:$PORT_GW/api/admin/report" \
    --config "$WORK/gateway.json" --tokens valid:90,expired:4,bad-signature:3,wrong-role:2,missing:1 \
    --roles admin --wrong-roles reader --connections "$CONNECTIONS" --threads 1 \
    --duration "${MINUTES}m" --json "$WORK/load.json"
LOAD_PID=$LAST_PID

START=$(date +%s)
RSS_MIN1=""
RSS_END=""
echo "seconds rss_kib fds" >"$WORK/samples.txt"
while alive "$LOAD_PID"; do
    sleep 5
    alive "$GW_PID" || { echo "soak: the gateway exited during the load" >&2; cat "$WORK/gateway.log" >&2; exit 1; }
    alive "$LOAD_PID" || break
    now=$(($(date +%s) - START))
    rss=$(rss_kib "$GW_PID")
    echo "$now $rss $(fd_count "$GW_PID")" >>"$WORK/samples.txt"
    if [ -z "$RSS_MIN1" ] && [ "$now" -ge 60 ]; then RSS_MIN1=$rss; fi
    RSS_END=$rss
done
LOAD_RC=0
wait "$LOAD_PID" || LOAD_RC=$?
bench_stop_some "$LOAD_PID"
sed -n '/^GET /,$p' "$WORK/load.log"   # the final report, without the per-second progress lines

# Descriptors back to the baseline: client connections close with the load, pooled upstream ones after 2 s idle.
FD_AFTER=$(fd_count "$GW_PID")
for _ in $(seq 1 100); do
    [ "$FD_AFTER" -le "$FD_BASE" ] && break
    sleep 0.2
    FD_AFTER=$(fd_count "$GW_PID")
done

read -r COMPLETED MISMATCHES ERRORS RPS < <(python3 - "$WORK/load.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
errors = r["errors"]["total"]
print(r["requests"]["completed"], r["mismatches"], errors, r["requests"]["per_second"])
EOF
)

failed=0
echo "soak: $MINUTES min, $COMPLETED requests ($RPS/s), $MISMATCHES mismatched, $ERRORS socket errors/timeouts (gateway load exit $LOAD_RC)"
[ "$LOAD_RC" -eq 0 ] && [ "$MISMATCHES" -eq 0 ] && [ "$ERRORS" -eq 0 ] || failed=1
if [ -n "$RSS_MIN1" ] && [ -n "$RSS_END" ]; then
    growth=$(awk -v a="$RSS_MIN1" -v b="$RSS_END" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
    echo "soak: RSS $RSS_START KiB idle, $RSS_MIN1 KiB after 1 min, $RSS_END KiB at the end ($growth%)"
    awk -v a="$RSS_MIN1" -v b="$RSS_END" 'BEGIN { exit !(b <= a * 1.10 && b >= a * 0.90) }' || failed=1
else
    echo "soak: too short to compare RSS (no sample after the first minute)"
    failed=1
fi
echo "soak: descriptors $FD_BASE before the load, $FD_AFTER after it stopped"
[ "$FD_AFTER" -le "$FD_BASE" ] || failed=1
bench_stop_some "$GW_PID"

# --- phase 2: memory per idle connection (measured, not asserted) --------------------------------------------
if [ "$IDLE_CONNECTIONS" -gt 0 ]; then
    write_config "$WORK/idle.json" "$PORT_IDLE"
    bench_spawn "$WORK/idle-gateway.log" "$GATEWAY" run --config "$WORK/idle.json"
    IDLE_PID=$LAST_PID
    bench_wait_port "$PORT_IDLE"
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT_IDLE/healthz"
    sleep 3
    IDLE_FD0=$(fd_count "$IDLE_PID")
    RSS0=$(rss_kib "$IDLE_PID")
    # The client holds its sockets open (sending nothing) until it is stopped.
    bench_spawn "$WORK/idle-client.log" python3 -c '
import signal, socket, sys
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(int(sys.argv[2]))]
print("open", len(socks), flush=True)
signal.pause()
' "$PORT_IDLE" "$IDLE_CONNECTIONS"
    CLIENT_PID=$LAST_PID
    opened=0
    for _ in $(seq 1 300); do
        if [ "$(fd_count "$IDLE_PID")" -ge $((IDLE_FD0 + IDLE_CONNECTIONS)) ]; then opened=1; break; fi
        alive "$CLIENT_PID" || break
        sleep 0.1
    done
    if [ "$opened" -eq 1 ]; then
        sleep 1
        RSS1=$(rss_kib "$IDLE_PID")
        per=$(awk -v a="$RSS0" -v b="$RSS1" -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
        echo "soak: idle connections: RSS $RSS0 KiB without, $RSS1 KiB with $IDLE_CONNECTIONS → $per bytes per idle connection"
    else
        echo "soak: could not hold $IDLE_CONNECTIONS idle connections (gateway has $(fd_count "$IDLE_PID") descriptors)" >&2
        cat "$WORK/idle-client.log" >&2
        failed=1
    fi
    bench_stop_some "$CLIENT_PID" "$IDLE_PID"
fi

if [ "$failed" -ne 0 ]; then
    echo "soak: FAILED"
    exit 1
fi
echo "soak: passed"
