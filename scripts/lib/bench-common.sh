# Helpers for scripts/bench.sh and scripts/bench-proxy.sh: process bookkeeping, /proc sampling and wrk output parsing.
# Sourced, not executed.

BENCH_PIDS=()

# Starts a background command, remembers its pid for cleanup, and prints the pid.
bench_spawn() { # log-file command...
    local log=$1
    shift
    "$@" >"$log" 2>&1 &
    BENCH_PIDS+=("$!")
    LAST_PID=$!
}

# Stops one child: TERM, up to 5 s to exit, then KILL; reaps it so its pid cannot be reused while listed.
bench_stop() { # pid
    local state
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 1 25); do
        state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || echo gone)
        if [ "$state" = Z ] || [ "$state" = gone ]; then break; fi
        sleep 0.2
    done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

bench_stop_all() {
    local p
    for p in "${BENCH_PIDS[@]}"; do bench_stop "$p"; done
    BENCH_PIDS=()
}

# Stops the given children and forgets them.
bench_stop_some() { # pids...
    local p q keep=()
    for p in "$@"; do bench_stop "$p"; done
    for q in "${BENCH_PIDS[@]}"; do
        for p in "$@"; do [ "$q" = "$p" ] && continue 2; done
        keep+=("$q")
    done
    BENCH_PIDS=("${keep[@]}")
}

# Succeeds once something accepts TCP connections on 127.0.0.1:port (5 s at most).
bench_wait_port() { # port
    local i
    for i in $(seq 1 50); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "nothing listens on 127.0.0.1:$1" >&2
    return 1
}

# Fails if something already listens on the port, so a stray server cannot be benchmarked by mistake.
bench_port_free() { # port
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
        echo "127.0.0.1:$1 is already in use" >&2
        return 1
    fi
}

# The pid and its direct children (nginx: master + worker).
bench_tree() { # pid
    echo "$1"
    pgrep -P "$1" || true
}

# "utime stime" in clock ticks, summed over the process tree (all threads of each process).
bench_cpu_ticks() { # pid
    local user=0 sys=0 p line
    for p in $(bench_tree "$1"); do
        line=$(cat "/proc/$p/stat" 2>/dev/null) || continue
        line=${line##*) }           # drop "pid (comm) ", comm may contain spaces
        set -- $line                 # now $1 is field 3 (state): utime is field 14 → $12, stime → $13
        user=$((user + ${12}))
        sys=$((sys + ${13}))
    done
    echo "$user $sys"
}

# Resident set size in KiB, summed over the process tree.
bench_rss_kb() { # pid
    local total=0 p kb
    for p in $(bench_tree "$1"); do
        kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# Reads a wrk --latency report on stdin; prints "requests rps p50_us p99_us non2xx socket_errors".
bench_parse_wrk() {
    awk '
    function us(v) {
        if (v ~ /us$/) { sub(/us$/, "", v); return v + 0 }
        if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
        if (v ~ /m$/)  { sub(/m$/, "", v);  return v * 60000000 }
        if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000000 }
        return v + 0
    }
    /requests in/              { req = $1 }
    /^Requests\/sec:/          { rps = $2 }
    /^ +50%/                   { p50 = us($2) }
    /^ +99%/                   { p99 = us($2) }
    /Non-2xx or 3xx responses/ { non2xx = $NF }
    /Socket errors:/ {
        gsub(/,/, "")
        sock = $4 + $6 + $8 + $10
    }
    END { printf "%d %.0f %.0f %.0f %d %d\n", req, rps, p50, p99, non2xx, sock }'
}

# Reads a `gateway load --json` report on stdin; prints "requests rps p50_us p99_us non2xx errors".
bench_parse_load() {
    python3 -c '
import json, sys
r = json.load(sys.stdin)
lat = r["latency_ms"]
non2xx = sum(n for s, n in r["status"].items() if not s.startswith("2"))
print("%d %.0f %.0f %.0f %d %d" % (r["requests"]["completed"], r["requests"]["per_second"],
      lat["p50"] * 1000, lat["p99"] * 1000, non2xx, r["errors"]["total"]))'
}

# Writes an nginx config under dir (own prefix, one worker, no access log, long keep-alive) around a server block.
bench_nginx_conf() { # dir server-block [worker_connections]
    mkdir -p "$1/logs"
    cat >"$1/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/logs/error.log warn;
events { worker_connections ${3:-4096}; multi_accept on; }
http {
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;
    keepalive_timeout 600s;
    client_body_temp_path $1/tmp_body;
    proxy_temp_path $1/tmp_proxy;
    fastcgi_temp_path $1/tmp_fcgi;
    uwsgi_temp_path $1/tmp_uwsgi;
    scgi_temp_path $1/tmp_scgi;
$2
}
NGX
}

# Installs the Debian packages for the commands the benchmarks need that are missing, and checks for the
# two CPUs the layout pins to. Arguments: extra "command:package" pairs beyond the common ones.
bench_prerequisites() {
    local missing=() pair
    for pair in haproxy:haproxy nginx:nginx wrk:wrk taskset:util-linux "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if [ "$(nproc)" -lt 2 ]; then echo "needs 2 CPUs (proxy on 0, load on 1)" >&2; exit 2; fi
}
