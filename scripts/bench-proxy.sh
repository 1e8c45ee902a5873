#!/usr/bin/env bash
# Compares the gateway's CPU cost per proxied request with HAProxy 2.6 and nginx on loopback.
#
# Layout (2 cores): every proxy under test is pinned to CPU 0; wrk and the fixed upstream (nginx,
# `return 200 "ok"`) share CPU 1. Rounds are short and interleaved (A B C A B C ...) so drift from other
# load on the machine spreads over all proxies. CPU per request = proxy utime+stime delta / wrk requests.
#
# Usage: scripts/bench-proxy.sh            (env: ROUNDS=3 DURATION=5 CONNS=50 SCENARIOS="plain jwt"
#                                            BUILD_PATH=<swift scratch path> SKIP_BUILD=1 KEEP_WORK=1
#                                            GATEWAY_B=<another gateway binary>: adds it as "gateway-b", for A/B)
# Exits non-zero if any measured run saw a non-2xx answer or a socket error.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-50}
SCENARIOS=${SCENARIOS:-"plain jwt"}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_PATH=${BUILD_PATH:-$REPO/.build}
BASE_PORT=${BASE_PORT:-18180}
JWT_SECRET=${JWT_SECRET:-bench-secret-0123456789abcdef0123456789abcdef}

. "$REPO/scripts/lib/bench-common.sh"

PORT_UP=$BASE_PORT
PORT_GW=$((BASE_PORT + 1))
PORT_HA=$((BASE_PORT + 2))
PORT_NGX_PROXY=$((BASE_PORT + 3))
PORT_NGX_DIRECT=$((BASE_PORT + 4))
PORT_GW_B=$((BASE_PORT + 5))

WORK=$(mktemp -d /tmp/bench-proxy.XXXXXX)
cleanup() {
    bench_stop_all
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ---------------------------------------------------------------------------------
bench_prerequisites

if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$REPO" && swift build -c release --scratch-path "$BUILD_PATH" --product gateway) >&2
fi
GATEWAY=$BUILD_PATH/release/gateway
[ -x "$GATEWAY" ] || { echo "no gateway binary at $GATEWAY" >&2; exit 2; }

for p in $PORT_UP $PORT_GW $PORT_HA $PORT_NGX_PROXY $PORT_NGX_DIRECT $PORT_GW_B; do bench_port_free "$p"; done

# --- configs -------------------------------------------------------------------------------------
# nginx: one worker, no access log, unbounded keep-alive, its own prefix so the system config is untouched.
nginx_conf() { # dir server-block
    mkdir -p "$1/logs"
    cat >"$1/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/logs/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path $1/tmp_body;
    proxy_temp_path $1/tmp_proxy;
    fastcgi_temp_path $1/tmp_fcgi;
    uwsgi_temp_path $1/tmp_uwsgi;
    scgi_temp_path $1/tmp_scgi;
$2
}
EOF
}
nginx_conf "$WORK/up" "    server { listen 127.0.0.1:$PORT_UP; location / { return 200 \"ok\"; } }"
nginx_conf "$WORK/direct" "    server { listen 127.0.0.1:$PORT_NGX_DIRECT; location / { return 200 \"ok\"; } }"
nginx_conf "$WORK/nproxy" "    upstream up { server 127.0.0.1:$PORT_UP; keepalive 64; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$PORT_NGX_PROXY;
        location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
    }"

gateway_conf() { # file auth [port]
    cat >"$1" <<EOF
{
  "listen": "127.0.0.1:${3:-$PORT_GW}",
  "workers": 1,
  "realm": "bench",
  "limits": { "max_requests_per_connection": 1000000 },
  "upstreams": { "up": { "targets": ["127.0.0.1:$PORT_UP"], "max_idle": 64 } },
  "issuers": {
    "bench": {
      "iss": "https://bench.local",
      "audiences": ["bench-api"],
      "keys": [ { "kid": "bench-hs256", "alg": "HS256", "secret_env": "BENCH_JWT_SECRET" } ]
    }
  },
  "routes": [ { "name": "all", "prefix": "/", "upstream": "up", "auth": $2 } ],
  "log": { "access": "off", "level": "warning" }
}
EOF
}
gateway_conf "$WORK/gw-plain.json" '"public"'
gateway_conf "$WORK/gw-jwt.json" '"authenticated"'
gateway_conf "$WORK/gw-b.json" '"public"' "$PORT_GW_B"

haproxy_conf() { # file extra-frontend-rules
    cat >"$1" <<EOF
global
    nbthread 1
    maxconn 4096
defaults
    mode http
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    option http-keep-alive
    http-reuse always
frontend fe
    bind 127.0.0.1:$PORT_HA
$2
    default_backend be
backend be
    server up 127.0.0.1:$PORT_UP
EOF
}
haproxy_conf "$WORK/ha-plain.cfg" ""
# The same checks the gateway makes for "authenticated": alg, HS256 signature, iss, aud, exp.
haproxy_conf "$WORK/ha-jwt.cfg" "    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str HS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,\"$JWT_SECRET\") -m int 1 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_payload_query('\$.iss') -m str https://bench.local }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_payload_query('\$.aud') -m str bench-api }
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request deny deny_status 401 unless { date,neg,add(txn.exp) -m int gt 0 }"

export BENCH_JWT_SECRET=$JWT_SECRET
TOKEN=$("$GATEWAY" token --config "$WORK/gw-jwt.json" --issuer bench --sub bench --ttl 1h)
cat >"$WORK/auth.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $TOKEN"
EOF

# --- servers ---------------------------------------------------------------------------------------
bench_spawn "$WORK/up.log" taskset -c 1 nginx -p "$WORK/up" -c "$WORK/up/nginx.conf" -e "$WORK/up/logs/error.log"
bench_wait_port "$PORT_UP"

# Each proxy by name: start command, port, extra wrk arguments.
declare -A START PORT ARGS PID
START[gateway]="taskset -c 0 $GATEWAY run --config $WORK/gw-plain.json --workers 1"
START[haproxy]="taskset -c 0 haproxy -db -f $WORK/ha-plain.cfg"
START[nginx-proxy]="taskset -c 0 nginx -p $WORK/nproxy -c $WORK/nproxy/nginx.conf -e $WORK/nproxy/logs/error.log"
START[nginx-direct]="taskset -c 0 nginx -p $WORK/direct -c $WORK/direct/nginx.conf -e $WORK/direct/logs/error.log"
START[gateway-jwt]="taskset -c 0 $GATEWAY run --config $WORK/gw-jwt.json --workers 1"
START[haproxy-jwt]="taskset -c 0 haproxy -db -f $WORK/ha-jwt.cfg"
PORT[gateway]=$PORT_GW PORT[gateway-jwt]=$PORT_GW PORT[haproxy]=$PORT_HA PORT[haproxy-jwt]=$PORT_HA
PORT[nginx-proxy]=$PORT_NGX_PROXY PORT[nginx-direct]=$PORT_NGX_DIRECT
START[gateway-b]="taskset -c 0 ${GATEWAY_B:-} run --config $WORK/gw-b.json --workers 1" PORT[gateway-b]=$PORT_GW_B
for n in gateway gateway-b haproxy nginx-proxy nginx-direct; do ARGS[$n]=""; done
ARGS[gateway-jwt]="-s $WORK/auth.lua" ARGS[haproxy-jwt]="-s $WORK/auth.lua"

# Gateway and HAProxy variants share a port, so each scenario runs with its own set of servers.
start_set() { # names...
    local n
    for n in "$@"; do
        bench_spawn "$WORK/$n.log" ${START[$n]}
        PID[$n]=$LAST_PID
    done
    for n in "$@"; do bench_wait_port "${PORT[$n]}"; done
}

# Sanity: the expected status with and without a token, so a misconfigured proxy cannot post a fast 401 rate.
expect_status() { # url want [header]
    local got
    got=$(curl -s -o /dev/null -w '%{http_code}' ${3:+-H "$3"} "$1")
    if [ "$got" != "$2" ]; then echo "$1 answered $got, expected $2" >&2; exit 1; fi
}

RESULTS=$WORK/results.tsv
: >"$RESULTS"
failed=0
run_one() { # scenario name round
    local n=$2 pid=${PID[$2]} before after out
    out=$WORK/wrk-$1-$n-$3.txt
    before=$(bench_cpu_ticks "$pid")
    timeout $((DURATION + 15)) taskset -c 1 wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency ${ARGS[$n]} \
        "http://127.0.0.1:${PORT[$n]}/" >"$out"
    after=$(bench_cpu_ticks "$pid")
    read -r req rps p50 p99 non2xx sock < <(bench_parse_wrk <"$out")
    local rss cpu user
    rss=$(bench_rss_kb "$pid")
    cpu=$(echo "$before $after" | awk -v t="$(getconf CLK_TCK)" -v r="$req" \
        '{ printf "%.2f %.2f", r ? ($3 + $4 - $1 - $2) * 1e6 / t / r : 0, r ? ($3 - $1) * 1e6 / t / r : 0 }')
    user=${cpu#* }
    cpu=${cpu% *}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$n" "$3" "$rps" "$p50" "$p99" "$cpu" "$rss" "$non2xx" "$sock" "$user" >>"$RESULTS"
    printf '  %-8s %-13s round %s: %8s req/s  p50 %5s us  p99 %6s us  cpu %6s us/req (user %5s)  rss %6s KiB%s\n' \
        "$1" "$n" "$3" "$rps" "$p50" "$p99" "$cpu" "$user" "$rss" \
        "$([ "$non2xx$sock" = 00 ] || echo "  NON-2XX $non2xx SOCKET-ERRORS $sock")" >&2
    if [ "$non2xx" != 0 ] || [ "$sock" != 0 ]; then failed=1; fi
}

run_scenario() { # scenario names...
    local scenario=$1 n r
    shift
    start_set "$@"
    for n in "$@"; do
        if [ -n "${ARGS[$n]}" ]; then
            expect_status "http://127.0.0.1:${PORT[$n]}/" 401
            expect_status "http://127.0.0.1:${PORT[$n]}/" 200 "Authorization: Bearer $TOKEN"
        else
            expect_status "http://127.0.0.1:${PORT[$n]}/" 200
        fi
        # Warm-up: fill upstream pools and caches; not measured.
        timeout 15 taskset -c 1 wrk -t1 -c"$CONNS" -d1s ${ARGS[$n]} "http://127.0.0.1:${PORT[$n]}/" >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        for n in "$@"; do run_one "$scenario" "$n" "$r"; done
    done
    local pids=()
    for n in "$@"; do pids+=("${PID[$n]}"); done
    bench_stop_some "${pids[@]}"
}


echo "rounds=$ROUNDS duration=${DURATION}s connections=$CONNS; proxy on CPU 0, wrk + upstream nginx on CPU 1" >&2
for s in $SCENARIOS; do
    case $s in
    plain) run_scenario plain gateway ${GATEWAY_B:+gateway-b} haproxy nginx-proxy nginx-direct ;;
    jwt) run_scenario jwt gateway-jwt haproxy-jwt ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
    esac
done

# --- report: medians per proxy -------------------------------------------------------------------
echo
echo "Medians of $ROUNDS interleaved ${DURATION}s rounds (wrk -t1 -c$CONNS, keep-alive):"
printf '| %-8s | %-13s | %9s | %8s | %8s | %12s | %13s | %8s |\n' scenario proxy "req/s" "p50 us" "p99 us" "CPU us/req" "user us/req" "RSS MiB"
printf '|----------|---------------|-----------|----------|----------|--------------|---------------|----------|\n'
awk -F'\t' '
    function median(list,   a, k, m, i2, j2) {
        k = split(list, a, " ")
        for (i2 = 2; i2 <= k; i2++) for (j2 = i2; j2 > 1 && a[j2 - 1] > a[j2]; j2--) { m = a[j2]; a[j2] = a[j2 - 1]; a[j2 - 1] = m }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    { key = $1 "\t" $2; if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
      rps[key] = rps[key] " " $4; p50[key] = p50[key] " " $5; p99[key] = p99[key] " " $6
      cpu[key] = cpu[key] " " $7; rss[key] = rss[key] " " $8; usr[key] = usr[key] " " $11 }
    END {
        for (i = 1; i <= n; i++) {
            k = order[i]; split(k, f, "\t")
            c[f[2]] = median(cpu[k]); u[f[2]] = median(usr[k])
            printf "| %-8s | %-13s | %9.0f | %8.0f | %8.0f | %12.2f | %13.2f | %8.1f |\n", f[1], f[2], median(rps[k]),
                median(p50[k]), median(p99[k]), c[f[2]], u[f[2]], median(rss[k]) / 1024
        }
        print ""
        if (("gateway" in c) && ("haproxy" in c) && c["haproxy"] > 0)
            printf "gateway/HAProxy CPU per request (plain): %.2f (user CPU only: %.2f)\n", c["gateway"] / c["haproxy"], u["gateway"] / (u["haproxy"] > 0 ? u["haproxy"] : 1)
        if (("gateway-b" in c) && ("haproxy" in c) && c["haproxy"] > 0)
            printf "gateway-b/HAProxy CPU per request (plain): %.2f (user CPU only: %.2f)\n", c["gateway-b"] / c["haproxy"], u["gateway-b"] / (u["haproxy"] > 0 ? u["haproxy"] : 1)
        if (("gateway-jwt" in c) && ("haproxy-jwt" in c) && c["haproxy-jwt"] > 0)
            printf "gateway/HAProxy CPU per request (jwt):   %.2f (user CPU only: %.2f)\n", c["gateway-jwt"] / c["haproxy-jwt"], u["gateway-jwt"] / (u["haproxy-jwt"] > 0 ? u["haproxy-jwt"] : 1)
    }' "$RESULTS"
if [ -n "${RESULTS_OUT:-}" ]; then cp "$RESULTS" "$RESULTS_OUT"; fi

if [ "$failed" != 0 ]; then
    echo "FAIL: some runs had non-2xx answers or socket errors (see the round lines above)" >&2
    exit 1
fi
