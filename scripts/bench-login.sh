#!/usr/bin/env bash
# Logins per second per core through a running gateway: the built-in issuer with its store in a temporary
# directory, the gateway pinned to one core (its issuer threads included), a Python client with 4 keep-alive
# connections on the other core posting correct logins for DURATION seconds. Reports logins/s and the
# gateway's CPU time per login (utime+stime from /proc). Every step is bounded by `timeout`.
#
# Usage: scripts/bench-login.sh                      (builds .build/release/gateway first)
#        LN=14 DURATION=10 GATEWAY_BIN=... scripts/bench-login.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LN=${LN:-15}
DURATION=${DURATION:-10}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}

if [[ -z "${GATEWAY_BIN:-}" ]]; then
    (cd "$ROOT" && swift build -c release --product gateway >&2)
    GATEWAY_BIN="$ROOT/.build/release/gateway"
fi
WORK=$(mktemp -d /tmp/bench-login.XXXXXX)
GW_PID=""
cleanup() {
    [[ -n "$GW_PID" ]] && kill "$GW_PID" 2>/dev/null && wait "$GW_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/gateway.json" <<EOF
{
  "listen": "127.0.0.1:$PORT",
  "workers": 1,
  "upstreams": { "none": ["127.0.0.1:9"] },
  "store": { "path": "$WORK/gateway.db" },
  "issuer": {
    "iss": "https://bench.local",
    "key": { "kid": "bench", "alg": "ES256", "private_key": "$ROOT/examples/keys/demo-es256.pem" },
    "password_hash": { "ln": $LN },
    "login_limit": { "per_ip": { "rate": "100000/s", "burst": 100000 }, "per_username": { "rate": "100000/s", "burst": 100000 } }
  },
  "routes": [ { "prefix": "/", "upstream": "none", "auth": "public" } ],
  "log": { "access": "off" }
}
EOF
printf 'bench-password-0123456789\n' | timeout 60 "$GATEWAY_BIN" user add bench --roles reader --password-stdin --config "$WORK/gateway.json" >/dev/null
taskset -c "$PROXY_CPU" "$GATEWAY_BIN" run --config "$WORK/gateway.json" 2>"$WORK/gateway.log" &
GW_PID=$!
for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2)" 2>/dev/null && break
    sleep 0.1
done

echo "== logins through the gateway: scrypt ln=$LN r=8 p=1, gateway on CPU $PROXY_CPU, client on CPU $LOAD_CPU, ${DURATION}s"
timeout $((DURATION + 30)) taskset -c "$LOAD_CPU" python3 - "$PORT" "$DURATION" "$GW_PID" <<'EOF'
import http.client, json, os, sys, threading, time
port, duration, pid = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
body = json.dumps({"username": "bench", "password": "bench-password-0123456789"})
counts = {"ok": 0, "other": 0}
lock = threading.Lock()
deadline = time.monotonic() + duration
def client():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        conn.request("POST", "/auth/login", body, {"Content-Type": "application/json"})
        r = conn.getresponse(); r.read()
        with lock:
            counts["ok" if r.status == 200 else "other"] += 1
start_cpu, start = cpu(), time.monotonic()
threads = [threading.Thread(target=client) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
elapsed, used = time.monotonic() - start, cpu() - start_cpu
ok = counts["ok"]
print(f"logins ok {ok}, other answers {counts['other']}, {elapsed:.1f}s wall")
print(f"logins/s: {ok / elapsed:.1f}   gateway CPU per login: {1000 * used / max(ok, 1):.1f} ms   gateway CPU busy: {100 * used / elapsed:.0f}%")
sys.exit(0 if ok > 0 and counts["other"] == 0 else 1)
EOF
