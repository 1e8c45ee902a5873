#!/usr/bin/env bash
# TLS termination cost: the gateway beside HAProxy 2.6, both terminating TLS with the same certificate on
# the same pinned core (CPU 0); load generators and the fixed upstream (nginx `return 200 "ok"`) on CPU 1.
#
#   handshakes  full handshakes (no resumption): PAR parallel `openssl s_time -new` clients for DURATION s.
#               Reported: handshakes/s reached, proxy CPU per handshake (utime+stime from /proc), and
#               1 s / CPU-per-handshake = the handshakes one core could do when saturated.
#   requests    wrk over https with keep-alive (CONNS connections, handshakes amortized), through the proxy
#               to the upstream: requests/s and proxy CPU per request.
#
# Usage: scripts/bench-tls.sh     (env: ROUNDS=2 DURATION=5 CONNS=50 PAR=4 CERT_TYPE=ec|rsa BASE_PORT=18280
#                                   SKIP_BUILD=1 BUILD_PATH=<swift scratch path> KEEP_WORK=1)
# Every step is bounded by `timeout`. Exits non-zero if a measured run saw an error or a non-2xx answer.
set -euo pipefail

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5}
CONNS=${CONNS:-50}
PAR=${PAR:-4}
CERT_TYPE=${CERT_TYPE:-ec}
BASE_PORT=${BASE_PORT:-18280}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_PATH=${BUILD_PATH:-$REPO/.build}

. "$REPO/scripts/lib/bench-common.sh"

PORT_UP=$BASE_PORT
PORT_GW=$((BASE_PORT + 1))
PORT_HA=$((BASE_PORT + 2))

WORK=$(mktemp -d /tmp/bench-tls.XXXXXX)
cleanup() {
    bench_stop_all
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in openssl wrk haproxy nginx taskset curl; do
    command -v "$tool" >/dev/null || { echo "bench-tls: $tool is required" >&2; exit 2; }
done
if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$REPO" && swift build -c release --scratch-path "$BUILD_PATH" --product gateway) >&2
fi
GATEWAY=$BUILD_PATH/release/gateway
[ -x "$GATEWAY" ] || { echo "no gateway binary at $GATEWAY" >&2; exit 2; }
for p in $PORT_UP $PORT_GW $PORT_HA; do bench_port_free "$p"; done

# --- one certificate for both proxies ----------------------------------------------------------------
if [ "$CERT_TYPE" = rsa ]; then KEYOPT=(-newkey rsa:2048); else KEYOPT=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
openssl req -x509 "${KEYOPT[@]}" -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
cat "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/haproxy.pem"

# --- servers ---------------------------------------------------------------------------------------
bench_nginx_conf "$WORK/up" "    server { listen 127.0.0.1:$PORT_UP; location / { return 200 \"ok\"; } }"
bench_spawn "$WORK/up.log" taskset -c 1 nginx -p "$WORK/up" -c "$WORK/up/nginx.conf" -e "$WORK/up/logs/error.log"
bench_wait_port "$PORT_UP"

gateway_conf() { # file listen-json
    cat >"$1" <<JSON
{
  "listen": $2,
  "workers": 1,
  "limits": { "max_requests_per_connection": 1000000 },
  "upstreams": { "up": { "targets": ["127.0.0.1:$PORT_UP"], "max_idle": 64 } },
  "routes": [ { "name": "all", "prefix": "/", "upstream": "up", "auth": "public" } ],
  "log": { "access": "off", "level": "warning" }
}
JSON
}
gateway_conf "$WORK/gw.json" "[ { \"address\": \"127.0.0.1:$PORT_GW\", \"tls\": { \"cert\": \"$WORK/cert.pem\", \"key\": \"$WORK/key.pem\" } } ]"
GW_CMD="taskset -c 0 $GATEWAY run --config $WORK/gw.json --workers 1"
cat >"$WORK/haproxy.cfg" <<CFG
global
    nbthread 1
    maxconn 4096
    ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
    mode http
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    option http-keep-alive
    http-reuse always
frontend fe
    bind 127.0.0.1:$PORT_HA ssl crt $WORK/haproxy.pem alpn http/1.1
    default_backend be
backend be
    server up 127.0.0.1:$PORT_UP
CFG

declare -A PID PORT
bench_spawn "$WORK/gateway.log" $GW_CMD
PID[gateway]=$LAST_PID PORT[gateway]=$PORT_GW
bench_spawn "$WORK/haproxy.log" taskset -c 0 haproxy -db -f "$WORK/haproxy.cfg"
PID[haproxy]=$LAST_PID PORT[haproxy]=$PORT_HA
bench_wait_port "$PORT_GW"
bench_wait_port "$PORT_HA"

for n in gateway haproxy; do
    got=$(curl -s --cacert "$WORK/cert.pem" --resolve "localhost:${PORT[$n]}:127.0.0.1" -o /dev/null -w '%{http_code}' "https://localhost:${PORT[$n]}/")
    [ "$got" = 200 ] || { echo "$n answered $got over TLS, expected 200" >&2; exit 1; }
done

failed=0
cpu_delta_us() { # before after count -> "us-per-unit"
    echo "$1 $2 $3" | awk -v t="$(getconf CLK_TCK)" '{ printf "%.1f", $5 ? ($3 + $4 - $1 - $2) * 1e6 / t / $5 : 0 }'
}

handshakes() { # name round
    local n=$1 pid=${PID[$1]} before after total=0 i c clients=() t0 t1
    before=$(bench_cpu_ticks "$pid")
    t0=$(date +%s.%N)
    for i in $(seq 1 "$PAR"); do
        timeout $((DURATION + 15)) taskset -c 1 openssl s_time -connect "127.0.0.1:${PORT[$n]}" -new -time "$DURATION" \
            >"$WORK/stime-$n-$2-$i.txt" 2>&1 &
        clients+=("$!")
    done
    wait "${clients[@]}" || true
    after=$(bench_cpu_ticks "$pid")
    t1=$(date +%s.%N)
    for i in $(seq 1 "$PAR"); do
        c=$(awk '/connections in [0-9.]+s/ { print $1; exit }' "$WORK/stime-$n-$2-$i.txt")
        total=$((total + ${c:-0}))
    done
    [ "$total" -gt 0 ] || { echo "  $n: no handshake completed" >&2; failed=1; return; }
    local per
    per=$(cpu_delta_us "$before" "$after" "$total")
    printf '  handshakes %-8s round %s: %7.0f /s   cpu %7s us/handshake   => %6.0f handshakes/s per core\n' \
        "$n" "$2" "$(echo "$total $t0 $t1" | awk '{ print $1 / ($3 - $2) }')" "$per" "$(echo "$per" | awk '{ print ($1 > 0 ? 1e6 / $1 : 0) }')"
}

requests() { # name round
    local n=$1 pid=${PID[$1]} before after out
    out=$WORK/wrk-$n-$2.txt
    before=$(bench_cpu_ticks "$pid")
    timeout $((DURATION + 15)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "https://127.0.0.1:${PORT[$n]}/" >"$out"
    after=$(bench_cpu_ticks "$pid")
    read -r req rps p50 p99 non2xx sock < <(bench_parse_wrk <"$out")
    printf '  requests   %-8s round %s: %7s req/s  p50 %5s us  p99 %6s us  cpu %6s us/req  rss %6s KiB%s\n' \
        "$n" "$2" "$rps" "$p50" "$p99" "$(cpu_delta_us "$before" "$after" "$req")" "$(bench_rss_kb "$pid")" \
        "$([ "$non2xx$sock" = 00 ] || echo "  NON-2XX $non2xx SOCKET-ERRORS $sock")"
    if [ "$non2xx" != 0 ] || [ "$sock" != 0 ]; then failed=1; fi
}

echo "bench-tls: $CERT_TYPE certificate, proxies on CPU 0, clients + upstream on CPU 1; rounds=$ROUNDS duration=${DURATION}s"
echo "           handshakes: $PAR x openssl s_time -new (TLS 1.3 default suites); requests: wrk -c$CONNS over https, keep-alive"
for n in gateway haproxy; do timeout 15 taskset -c 1 wrk -t1 -c"$CONNS" -d1s "https://127.0.0.1:${PORT[$n]}/" >/dev/null; done
for r in $(seq 1 "$ROUNDS"); do
    for n in gateway haproxy; do handshakes "$n" "$r"; done
done
for r in $(seq 1 "$ROUNDS"); do
    for n in gateway haproxy; do requests "$n" "$r"; done
done
exit $failed
