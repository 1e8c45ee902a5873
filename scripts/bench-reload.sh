#!/usr/bin/env bash
# Hot reload under load: a gateway with ROUTES routes (half public, half behind an HS256 issuer) in front of the
# example legacy API, `gateway load` with keep-alive connections for the whole run, and RELOADS reloads through
# `gateway reload` (SIGHUP), each changing the route table. Reports each reload's duration (from the gateway's
# reload_ok log lines) and the load's answers: a dropped connection or a failed request fails the run.
# Gateway on CPU 0, load and upstream on CPU 1; every step bounded by `timeout`.
#
# Usage: scripts/bench-reload.sh                     (builds the release products first)
#        ROUTES=100 RELOADS=10 scripts/bench-reload.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUTES=${ROUTES:-100}
RELOADS=${RELOADS:-10}
BIN="$ROOT/.build/release"
if [[ -z "${SKIP_BUILD:-}" ]]; then
    (cd "$ROOT" && swift build -c release --product gateway >&2 && swift build -c release --product legacy-api >&2)
fi
WORK=$(mktemp -d /tmp/bench-reload.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PORT=$(port)
UP_PORT=$(port)
export BENCH_RELOAD_SECRET=bench-reload-secret-that-is-long-enough-for-hs256

# $1: a generation number that renames one route, so that every reload changes the table.
write_config() {
    python3 - "$WORK/gateway.json" "$GW_PORT" "$UP_PORT" "$ROUTES" "$1" "$WORK/gateway.pid" <<'EOF'
import json, sys
path, gw, up, n, gen, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
routes = []
for i in range(n):
    auth = "public" if i % 2 == 0 else "authenticated"
    name = f"r{i}" if i != n - 1 else f"r{i}-gen{gen}"
    # The loaded route fronts the example API's /api/secure; the others only fill the table.
    prefix = "/api" if i == n // 2 - 1 else f"/r{i}"
    routes.append({"name": name, "prefix": prefix, "upstream": "legacy", "auth": auth,
                   "rate_limit": {"rate": "1000000/s", "burst": 1000000}})
config = {
    "listen": f"127.0.0.1:{gw}", "workers": 1, "pid_file": pid,
    "upstreams": {"legacy": [f"127.0.0.1:{up}"]},
    "issuers": {"bench": {"iss": "https://bench.local", "keys": [{"kid": "b", "alg": "HS256", "secret_env": "BENCH_RELOAD_SECRET"}]}},
    "routes": routes, "log": {"access": "off"},
}
json.dump(config, open(path, "w"), indent=1)
EOF
}

write_config 0
taskset -c 1 "$BIN/legacy-api" --listen "127.0.0.1:$UP_PORT" >/dev/null 2>&1 &
PIDS+=($!)
taskset -c 0 "$BIN/gateway" run --config "$WORK/gateway.json" 2>"$WORK/gateway.log" &
PIDS+=($!)
for _ in $(seq 1 100); do
    grep -q '"event":"started"' "$WORK/gateway.log" 2>/dev/null && break
    sleep 0.1
done
grep -q '"event":"started"' "$WORK/gateway.log" || { echo "bench-reload: the gateway did not start"; cat "$WORK/gateway.log"; exit 1; }

DURATION=$((RELOADS + 4))
echo "== $RELOADS reloads of a $ROUTES-route config under load (gateway CPU 0; load and upstream CPU 1; ${DURATION}s)"
timeout $((DURATION + 30)) taskset -c 1 "$BIN/gateway" load "http://127.0.0.1:$GW_PORT/api/secure" \
    --config "$WORK/gateway.json" --issuer bench --tokens valid:100 --connections 32 --threads 1 \
    --duration "${DURATION}s" --json "$WORK/load.json" >"$WORK/load.txt" 2>&1 &
LOAD=$!
sleep 2
for i in $(seq 1 "$RELOADS"); do
    write_config "$i"
    timeout 30 "$BIN/gateway" reload --config "$WORK/gateway.json" >/dev/null
    sleep 1
done
wait "$LOAD" || { echo "bench-reload: the load run failed (mismatched answers or errors):"; cat "$WORK/load.txt"; exit 1; }

python3 - "$WORK/gateway.log" "$WORK/load.json" "$RELOADS" <<'EOF'
import json, sys
log, report, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
oks, fails = [], 0
for line in open(log):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    if event.get("event") == "reload_ok":
        oks.append(float(event["duration_ms"]))
    elif event.get("event") == "reload_failed":
        fails += 1
r = json.load(open(report))
print(f"reloads ok: {len(oks)} of {expected}, failed: {fails}")
if oks:
    oks.sort()
    print(f"reload duration ms: min {oks[0]:.1f}, median {oks[len(oks) // 2]:.1f}, max {oks[-1]:.1f}")
print("load:", json.dumps({k: r[k] for k in r if k in ("requests", "errors", "mismatches", "statuses", "status_counts", "connection_errors", "timeouts")}))
sys.exit(0 if len(oks) == expected and fails == 0 else 1)
EOF
cat "$WORK/load.txt" | grep -iE "requests|errors|mismatch|2xx|connect" | head -8
