#!/usr/bin/env bash
# Issue 6 benchmark: the gateway against HAProxy 2.6 enforcing the same policy, HAProxy as a plain proxy and nginx
# answering directly (the ceiling), on loopback, for six scenarios, with two load generators (wrk and `gateway load`).
#
# Layout (2 cores): every proxy is pinned to CPU 0 with one worker/thread; the fixed upstream (nginx, one worker,
# `return 200` on every path) and the load generators share CPU 1. Rounds are short and interleaved
# (A B C D A B C D ...) so drift from other load on the machine spreads over every proxy.
# CPU per request = Δ(utime+stime) of the proxy's process tree (/proc/PID/stat) ÷ requests completed.
#
# Scenarios (SCENARIOS, default all):
#   hs256     one valid HS256 token (the gateway's verified-token cache is hot); also HAProxy plain and nginx direct
#   rs256     one valid RS256 token (hot cache on our side; HAProxy verifies the signature on every request)
#   distinct  a stream of DISTINCT valid RS256 tokens, more than the gateway's cache holds (every request a miss)
#   bad401    the HS256 token with its signature altered: every answer must be 401
#   upload    POST of a 1 MiB body with the HS256 token (UPLOAD_CONNS connections)
#   idle      IDLE keep-alive connections (each made one request) held open while the hs256 load runs; reports RSS
#   loadgen   wrk against `gateway load`, both against nginx direct: requests/s driven from the same core
#
# Usage: scripts/bench.sh     (env: ROUNDS=3 DURATION=4 CONNS=50 UPLOAD_CONNS=10 DISTINCT=20000 IDLE=10000
#                              TOOLS="wrk load" SCENARIOS="..." BUILD_PATH=<swift scratch path> SKIP_BUILD=1
#                              KEEP_WORK=1 RESULTS_OUT=<file for the raw TSV>)
# Exits non-zero if any proxy answered a valid request with a non-2xx (or a bad token with a 2xx), or on socket errors.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-4}
CONNS=${CONNS:-50}
UPLOAD_CONNS=${UPLOAD_CONNS:-10}
DISTINCT=${DISTINCT:-20000}
IDLE=${IDLE:-10000}
TOOLS=${TOOLS:-"wrk load"}
SCENARIOS=${SCENARIOS:-"hs256 rs256 distinct bad401 upload idle loadgen"}
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD_PATH=${BUILD_PATH:-$REPO/.build}
BASE_PORT=${BASE_PORT:-18280}
JWT_SECRET=${JWT_SECRET:-bench-secret-0123456789abcdef0123456789abcdef}
ISS=https://bench.local
AUD=bench-api

. "$REPO/scripts/lib/bench-common.sh"

PORT_UP=$BASE_PORT
declare -A PORT START PID
PORT[gateway]=$((BASE_PORT + 1))
PORT[haproxy]=$((BASE_PORT + 2))
PORT[haproxy-plain]=$((BASE_PORT + 3))
PORT[nginx-direct]=$((BASE_PORT + 4))

WORK=$(mktemp -d /tmp/bench.XXXXXX)
cleanup() {
    bench_stop_all
    if [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else echo "work dir kept: $WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ---------------------------------------------------------------------------------
bench_prerequisites curl:curl openssl:openssl
python3 -c 'import cryptography' 2>/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-cryptography >/dev/null
}
# The idle scenario holds IDLE sockets in one client and in each proxy.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((IDLE + 500)) ]; then
    echo "ulimit -n $(ulimit -n) is too low for IDLE=$IDLE" >&2
    exit 2
fi

if [ -z "${SKIP_BUILD:-}" ]; then
    (cd "$REPO" && swift build -c release --scratch-path "$BUILD_PATH" --product gateway) >&2
fi
GATEWAY=$BUILD_PATH/release/gateway
[ -x "$GATEWAY" ] || { echo "no gateway binary at $GATEWAY" >&2; exit 2; }

bench_port_free "$PORT_UP"
for n in "${!PORT[@]}"; do bench_port_free "${PORT[$n]}"; done

# --- keys, configs, tokens -------------------------------------------------------------------------
openssl genrsa -out "$WORK/rs.pem" 2048 2>/dev/null
openssl rsa -in "$WORK/rs.pem" -pubout -out "$WORK/rs.pub.pem" 2>/dev/null

bench_nginx_conf "$WORK/up" "    client_max_body_size 2m;
    server { listen 127.0.0.1:$PORT_UP; location / { return 200 \"ok\"; } }"
bench_nginx_conf "$WORK/direct" "    server { listen 127.0.0.1:${PORT[nginx-direct]}; location / { return 200 \"ok\"; } }" 16384

# One issuer with an HS256 and an RS256 key; the route needs the role "bench"; only `sub` is forwarded; an IP rate
# limit that never triggers; room for IDLE connections from one address.
cat >"$WORK/gateway.json" <<EOF
{
  "listen": "127.0.0.1:${PORT[gateway]}",
  "workers": 1,
  "realm": "bench",
  "limits": { "max_requests_per_connection": 1000000, "max_connections": $((IDLE + 2000)),
              "max_connections_per_ip": $((IDLE + 2000)), "max_body_bytes": "2MiB" },
  "timeouts": { "keep_alive": "600s" },
  "upstreams": { "up": { "targets": ["127.0.0.1:$PORT_UP"], "max_idle": 64 } },
  "issuers": {
    "bench": {
      "iss": "$ISS",
      "audiences": ["$AUD"],
      "identity_headers": { "X-Auth-Subject": "sub" },
      "keys": [
        { "kid": "hs", "alg": "HS256", "secret_env": "BENCH_JWT_SECRET" },
        { "kid": "rs", "alg": "RS256", "public_key": "rs.pub.pem", "private_key": "rs.pem" }
      ]
    }
  },
  "rate_limit": { "default": { "rate": "10000000/s", "burst": 10000000 } },
  "routes": [
    { "name": "all", "prefix": "/", "methods": ["GET", "POST"], "upstream": "up", "auth": { "any": ["bench"] },
      "max_body_bytes": "2MiB" }
  ],
  "log": { "access": "off", "level": "warning" }
}
EOF
export BENCH_JWT_SECRET=$JWT_SECRET
"$GATEWAY" check --config "$WORK/gateway.json" >/dev/null

haproxy_conf() { # file port frontend-rules
    cat >"$1" <<EOF
global
    nbthread 1
    maxconn $((IDLE + 200))
    # 2 fds per maxconn would exceed a 20000 hard limit; idle client connections need one each.
    no strict-limits
defaults
    mode http
    timeout connect 3s
    timeout client 600s
    timeout server 60s
    timeout http-request 10s
    timeout http-keep-alive 600s
    option http-keep-alive
    http-reuse always
frontend fe
    bind 127.0.0.1:$2
$3
    default_backend be
backend be
    server up 127.0.0.1:$PORT_UP
EOF
}
haproxy_conf "$WORK/ha-plain.cfg" "${PORT[haproxy-plain]}" ""
# The gateway's policy: per-IP limit first, then the signature with the algorithm fixed per key (HS256 secret or
# RS256 public key), iss, aud, exp, the role, `sub` forwarded, Authorization not forwarded.
# HAProxy 2.6's jwt_payload_query cannot return an array, so the role check reads roles[0].
haproxy_conf "$WORK/ha-policy.cfg" "${PORT[haproxy]}" "    stick-table type ip size 100k expire 60s store http_req_rate(10s)
    http-request track-sc0 src
    http-request deny deny_status 429 if { sc_http_req_rate(0) gt 100000000 }
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str HS256 } { var(txn.bearer),jwt_verify(txn.alg,\"$JWT_SECRET\") -m int 1 } || { var(txn.alg) -m str RS256 } { var(txn.bearer),jwt_verify(txn.alg,\"$WORK/rs.pub.pem\") -m int 1 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_payload_query('\$.iss') -m str $ISS }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_payload_query('\$.aud') -m str $AUD }
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request deny deny_status 401 unless { date,neg,add(txn.exp) -m int gt 0 }
    http-request deny deny_status 403 unless { var(txn.bearer),jwt_payload_query('\$.roles[0]') -m str bench }
    http-request set-header X-Auth-Subject %[var(txn.bearer),jwt_payload_query('\$.sub')]
    http-request del-header Authorization"

TOKEN_HS=$("$GATEWAY" token --config "$WORK/gateway.json" --issuer bench --kid hs --sub bench --roles bench --ttl 2h)
TOKEN_RS=$("$GATEWAY" token --config "$WORK/gateway.json" --issuer bench --kid rs --sub bench --roles bench --ttl 2h)
# A bad signature: one character in the middle of the signature changed (the encoding stays canonical).
sig=${TOKEN_HS##*.}
c=${sig:10:1}
if [ "$c" = A ]; then r=B; else r=A; fi
TOKEN_BAD=${TOKEN_HS%.*}.${sig:0:10}$r${sig:11}
if [ "${DISTINCT:-0}" -gt 0 ] && [[ " $SCENARIOS " == *" distinct "* ]]; then
    echo "minting $DISTINCT distinct RS256 tokens" >&2
    timeout 300 taskset -c 1 python3 "$REPO/scripts/lib/bench-mint-tokens.py" --alg RS256 --key "$WORK/rs.pem" \
        --kid rs --iss "$ISS" --aud "$AUD" --count "$DISTINCT" >"$WORK/tokens.txt"
fi

lua_token() { # file token
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$2" >"$1"
}
lua_token "$WORK/hs.lua" "$TOKEN_HS"
lua_token "$WORK/rs.lua" "$TOKEN_RS"
lua_token "$WORK/bad.lua" "$TOKEN_BAD"
: >"$WORK/none.lua"
cat >"$WORK/distinct.lua" <<EOF
local tokens = {}
for line in io.lines("$WORK/tokens.txt") do tokens[#tokens + 1] = "Bearer " .. line end
local i = 0
request = function()
    i = i % #tokens + 1
    return wrk.format(nil, nil, { ["Authorization"] = tokens[i] })
end
EOF
cat >"$WORK/upload.lua" <<EOF
wrk.method = "POST"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["Authorization"] = "Bearer $TOKEN_HS"
EOF
head -c 1048576 /dev/zero | tr '\0' x >"$WORK/body.bin"

# --- servers ---------------------------------------------------------------------------------------
bench_spawn "$WORK/up.log" taskset -c 1 nginx -p "$WORK/up" -c "$WORK/up/nginx.conf" -e "$WORK/up/logs/error.log"
bench_wait_port "$PORT_UP"
START[gateway]="taskset -c 0 $GATEWAY run --config $WORK/gateway.json --workers 1"
START[haproxy]="taskset -c 0 haproxy -db -f $WORK/ha-policy.cfg"
START[haproxy-plain]="taskset -c 0 haproxy -db -f $WORK/ha-plain.cfg"
START[nginx-direct]="taskset -c 0 nginx -p $WORK/direct -c $WORK/direct/nginx.conf -e $WORK/direct/logs/error.log"
for n in gateway haproxy haproxy-plain nginx-direct; do
    bench_spawn "$WORK/$n.log" ${START[$n]}
    PID[$n]=$LAST_PID
done
for n in gateway haproxy haproxy-plain nginx-direct; do bench_wait_port "${PORT[$n]}"; done

# Sanity: each proxy enforces the policy, so a misconfigured one cannot post a fast 401 (or 200) rate.
expect_status() { # port want [curl args...]
    local port=$1 want=$2 got
    shift 2
    got=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$@" "http://127.0.0.1:$port/")
    if [ "$got" != "$want" ]; then echo "port $port answered $got, expected $want (${*:-no token})" >&2; exit 1; fi
}
for n in gateway haproxy; do
    p=${PORT[$n]}
    expect_status "$p" 401
    expect_status "$p" 200 -H "Authorization: Bearer $TOKEN_HS"
    expect_status "$p" 200 -H "Authorization: Bearer $TOKEN_RS"
    expect_status "$p" 401 -H "Authorization: Bearer $TOKEN_BAD"
    expect_status "$p" 200 -H "Authorization: Bearer $TOKEN_HS" --data-binary "@$WORK/body.bin" \
        -H 'Content-Type: application/octet-stream'
    if [ -s "$WORK/tokens.txt" ]; then expect_status "$p" 200 -H "Authorization: Bearer $(tail -n1 "$WORK/tokens.txt")"; fi
done
expect_status "${PORT[haproxy-plain]}" 200
expect_status "${PORT[nginx-direct]}" 200

# --- measuring -------------------------------------------------------------------------------------
RESULTS=$WORK/results.tsv
: >"$RESULTS"
failed=0

# Load arguments per scenario: wrk Lua script, `gateway load` arguments, connections, whether 401 is expected.
declare -A LUA LOADARGS SCONNS EXPECT
LUA[hs256]=hs.lua LUA[rs256]=rs.lua LUA[distinct]=distinct.lua LUA[bad401]=bad.lua LUA[upload]=upload.lua
LUA[idle]=hs.lua LUA[loadgen]=none.lua
LOADARGS[hs256]="--header|Authorization: Bearer $TOKEN_HS"
LOADARGS[idle]=${LOADARGS[hs256]}
LOADARGS[rs256]="--header|Authorization: Bearer $TOKEN_RS"
LOADARGS[bad401]="--header|Authorization: Bearer $TOKEN_BAD"
LOADARGS[upload]="--header|Authorization: Bearer $TOKEN_HS|--method|POST|--body|$WORK/body.bin|--header|Content-Type: application/octet-stream"
LOADARGS[distinct]="--tokens|valid:100|--distinct-tokens|$DISTINCT|--issuer|bench|--kid|rs|--roles|bench|--sub|bench"
LOADARGS[loadgen]=""
for s in hs256 rs256 distinct bad401 upload idle loadgen; do SCONNS[$s]=$CONNS EXPECT[$s]=2xx; done
SCONNS[upload]=$UPLOAD_CONNS
EXPECT[bad401]=401

run_one() { # scenario proxy tool round
    local s=$1 n=$2 tool=$3 pid=${PID[$2]} before after out req rps p50 p99 bad sock
    out=$WORK/$tool-$s-$n-$4.out
    before=$(bench_cpu_ticks "$pid")
    if [ "$tool" = wrk ]; then
        timeout $((DURATION + 20)) taskset -c 1 wrk -t1 -c"${SCONNS[$s]}" -d"${DURATION}s" --latency \
            -s "$WORK/${LUA[$s]}" "http://127.0.0.1:${PORT[$n]}/" >"$out" || true
        after=$(bench_cpu_ticks "$pid")
        read -r req rps p50 p99 bad sock < <(bench_parse_wrk <"$out")
    else
        local args=()
        if [ -n "${LOADARGS[$s]}" ]; then IFS='|' read -r -a args <<<"${LOADARGS[$s]}"; fi
        timeout $((DURATION + 120)) taskset -c 1 "$GATEWAY" load --config "$WORK/gateway.json" --threads 1 \
            --connections "${SCONNS[$s]}" --duration "${DURATION}s" --json "$out" "${args[@]}" \
            "http://127.0.0.1:${PORT[$n]}/" >"$out.log" 2>&1 || true
        after=$(bench_cpu_ticks "$pid")
        if [ -s "$out" ]; then
            read -r req rps p50 p99 bad sock < <(bench_parse_load <"$out")
        else
            echo "gateway load wrote no report: $(tail -3 "$out.log")" >&2
            req=0 rps=0 p50=0 p99=0 bad=0 sock=1
        fi
    fi
    # For the 401 storm the failure is a 2xx: every answer must be non-2xx.
    local wrong=$bad
    if [ "${EXPECT[$s]}" = 401 ]; then wrong=$((req - bad)); fi
    local rss cpu user
    rss=$(bench_rss_kb "$pid")
    cpu=$(echo "$before $after" | awk -v t="$(getconf CLK_TCK)" -v r="$req" \
        '{ printf "%.2f %.2f", r ? ($3 + $4 - $1 - $2) * 1e6 / t / r : 0, r ? ($3 - $1) * 1e6 / t / r : 0 }')
    user=${cpu#* }
    cpu=${cpu% *}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$n" "$tool" "$4" "$rps" "$p50" "$p99" "$cpu" \
        "$user" "$rss" "$wrong" "$sock" "$req" >>"$RESULTS"
    printf '  %-8s %-13s %-4s r%s: %8s req/s  p50 %6s us  p99 %7s us  cpu %6s us/req (user %5s)  rss %7s KiB%s\n' \
        "$s" "$n" "$tool" "$4" "$rps" "$p50" "$p99" "$cpu" "$user" "$rss" \
        "$([ "$wrong$sock" = 00 ] || echo "  WRONG-STATUS $wrong SOCKET-ERRORS $sock")" >&2
    if [ "$wrong" != 0 ] || [ "$sock" != 0 ] || [ "$req" = 0 ]; then failed=1; fi
}

run_rounds() { # scenario proxies...
    local s=$1 n r t
    shift
    for n in "$@"; do # warm-up: upstream pools, caches; not measured
        timeout 20 taskset -c 1 wrk -t1 -c"${SCONNS[$s]}" -d1s -s "$WORK/${LUA[$s]}" "http://127.0.0.1:${PORT[$n]}/" >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        for t in $TOOLS; do
            for n in "$@"; do run_one "$s" "$n" "$t" "$r"; done
        done
    done
}

IDLE_RSS=$WORK/idle-rss.tsv
: >"$IDLE_RSS"
run_idle() { # proxies...
    local n ready rss0 rss1 ipids=()
    for n in "$@"; do
        rss0=$(bench_rss_kb "${PID[$n]}")
        bench_spawn "$WORK/idle-$n.log" timeout 900 taskset -c 1 python3 "$REPO/scripts/lib/bench-idle-conns.py" \
            --port "${PORT[$n]}" --count "$IDLE" --hold 800 --header "Authorization: Bearer $TOKEN_HS"
        ipids+=("$LAST_PID")
        for _ in $(seq 1 600); do
            ready=$(head -n1 "$WORK/idle-$n.log" 2>/dev/null || true)
            case $ready in ready*) break ;; esac
            if ! kill -0 "$LAST_PID" 2>/dev/null; then break; fi
            sleep 0.2
        done
        case $ready in
        "ready $IDLE non2xx 0") ;;
        *) echo "idle client for $n: ${ready:-not ready}; $(tail -2 "$WORK/idle-$n.log")" >&2; failed=1 ;;
        esac
        sleep 1
        rss1=$(bench_rss_kb "${PID[$n]}")
        printf '%s\t%s\t%s\n' "$n" "$rss0" "$rss1" >>"$IDLE_RSS"
        echo "  idle     $n: RSS $rss0 KiB → $rss1 KiB with $IDLE idle connections" >&2
    done
    run_rounds idle "$@"
    bench_stop_some "${ipids[@]}"
}

echo "rounds=$ROUNDS duration=${DURATION}s connections=$CONNS tools=$TOOLS; proxies on CPU 0, load + upstream on CPU 1" >&2
for s in $SCENARIOS; do
    case $s in
    hs256) run_rounds hs256 gateway haproxy haproxy-plain nginx-direct ;;
    rs256 | distinct | bad401 | upload) run_rounds "$s" gateway haproxy ;;
    idle) run_idle gateway haproxy ;;
    loadgen) run_rounds loadgen nginx-direct ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
    esac
done

# --- report ----------------------------------------------------------------------------------------
echo
echo "Medians of $ROUNDS interleaved ${DURATION}s rounds (keep-alive; -c$CONNS, upload -c$UPLOAD_CONNS):"
python3 - "$RESULTS" "$IDLE_RSS" "$IDLE" <<'EOF'
import statistics, sys
from collections import OrderedDict
rows = OrderedDict()
for line in open(sys.argv[1]):
    s, n, tool, r, rps, p50, p99, cpu, user, rss, wrong, sock, req = line.rstrip("\n").split("\t")
    rows.setdefault((s, n, tool), []).append(tuple(float(x) for x in (rps, p50, p99, cpu, user, rss)))
med = {k: [statistics.median(col) for col in zip(*v)] for k, v in rows.items()}
print("| scenario | proxy | load | req/s | p50 µs | p99 µs | CPU µs/req | user µs/req | RSS MiB | CPU ratio gw/HAProxy |")
print("|---|---|---|--:|--:|--:|--:|--:|--:|--:|")
for (s, n, tool), m in med.items():
    ratio = ""
    if n == "gateway" and (s, "haproxy", tool) in med and med[(s, "haproxy", tool)][3] > 0:
        ratio = "**%.2f**" % (m[3] / med[(s, "haproxy", tool)][3])
    print("| %s | %s | %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f | %s |" % (s, n, tool, m[0], m[1], m[2], m[3], m[4], m[5] / 1024, ratio))
idle = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
if idle:
    count = int(sys.argv[3])
    print()
    print("| proxy | RSS before MiB | RSS with %d idle MiB | KiB per idle connection |" % count)
    print("|---|--:|--:|--:|")
    for n, a, b in idle:
        print("| %s | %.1f | %.1f | %.2f |" % (n, int(a) / 1024, int(b) / 1024, (int(b) - int(a)) / count))
EOF
if [ -n "${RESULTS_OUT:-}" ]; then cp "$RESULTS" "$RESULTS_OUT"; cp "$IDLE_RSS" "$RESULTS_OUT.idle"; fi

if [ "$failed" != 0 ]; then
    echo "FAIL: a valid request got a non-2xx (or a bad token a 2xx), or socket errors (see the round lines above)" >&2
    exit 1
fi
