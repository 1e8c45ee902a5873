#!/usr/bin/env bash
# Browser check of the demo page: headless Chromium (Debian's package) logs in as kyle, makes a secured call (200),
# an admin call (403), logs out, and calls again with the old token (401 token_revoked), asserting the status the
# page shows at each step; then it saves a screenshot. Chromium is driven over the DevTools protocol with real
# input events (scripts/lib/browser_check.py); nothing in the page runs the flow by itself.
#
# Usage: scripts/browser-check.sh                       builds the gateway, starts `gateway demo`, checks it, stops it
#        scripts/browser-check.sh --config FILE         the same with another config
#        scripts/browser-check.sh --url http://127.0.0.1:8080/ --user kyle --password PW
#                                                       checks a demo that is already running
#        --out PATH   screenshot path (default docs/demo.png); --timeout S   seconds per wait on the page (default 15)
#
# Installs chromium with apt-get when it is missing, and websocket-client into a venv under /tmp when python3 lacks
# it. Every step is bounded by `timeout`; the demo and Chromium it started are stopped on exit. Logs of both are
# kept in docs/.browser-check/ (ignored by git).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
URL="" USER_NAME="kyle" PASSWORD="" CONFIG="" OUT="$ROOT/docs/demo.png" WAIT=15
while (($#)); do
    case "$1" in
        --url) URL=${2:?--url needs a URL}; shift 2 ;;
        --user) USER_NAME=${2:?--user needs a name}; shift 2 ;;
        --password) PASSWORD=${2:?--password needs a password}; shift 2 ;;
        --config) CONFIG=${2:?--config needs a file}; shift 2 ;;
        --out) OUT=${2:?--out needs a path}; shift 2 ;;
        --timeout) WAIT=${2:?--timeout needs seconds}; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "browser-check: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [[ -n "$URL" && -z "$PASSWORD" ]]; then
    echo "browser-check: --url needs --password (and --user unless it is kyle)" >&2
    exit 2
fi

LOGS="$ROOT/docs/.browser-check"
mkdir -p "$LOGS" "$(dirname "$OUT")"
DEMO_PID=""

cleanup() {
    if [[ -n "$DEMO_PID" ]] && kill -0 "$DEMO_PID" 2>/dev/null; then
        # SIGINT lets the demo stop cleanly and delete its temporary database.
        kill -INT "$DEMO_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$DEMO_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DEMO_PID" 2>/dev/null || true
        wait "$DEMO_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# Chromium from Debian's packages.
CHROMIUM=$(command -v chromium || true)
if [[ -z "$CHROMIUM" ]]; then
    echo "browser-check: installing chromium" >&2
    if ! as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y chromium >&2; then
        as_root timeout 300 apt-get update >&2
        as_root env DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y chromium >&2
    fi
    CHROMIUM=$(command -v chromium)
fi

# Python with websocket-client for the DevTools protocol.
PYTHON=python3
if ! python3 -c 'import websocket' 2>/dev/null; then
    VENV=${BROWSER_CHECK_VENV:-/tmp/gateway-browser-check-venv}
    if ! "$VENV/bin/python" -c 'import websocket' 2>/dev/null; then
        echo "browser-check: installing websocket-client into $VENV" >&2
        timeout 120 python3 -m venv "$VENV"
        timeout 300 "$VENV/bin/pip" install --quiet websocket-client >&2
    fi
    PYTHON="$VENV/bin/python"
fi

if [[ -z "$URL" ]]; then
    echo "browser-check: building the gateway (release)" >&2
    (cd "$ROOT" && timeout 1800 swift build -c release --product gateway >&2)
    BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/gateway"
    DEMO_ARGS=(demo)
    [[ -n "$CONFIG" ]] && DEMO_ARGS+=(--config "$CONFIG")
    (cd "$ROOT" && exec "$BIN" "${DEMO_ARGS[@]}") >"$LOGS/demo.log" 2>&1 &
    DEMO_PID=$!
    for _ in $(seq 300); do
        grep -q '^Open the demo page: ' "$LOGS/demo.log" && grep -qE '^  kyle ' "$LOGS/demo.log" && break
        kill -0 "$DEMO_PID" 2>/dev/null || { echo "browser-check: the demo exited:" >&2; cat "$LOGS/demo.log" >&2; exit 1; }
        sleep 0.1
    done
    URL=$(sed -n 's/^Open the demo page: \(http[^ ]*\).*/\1/p' "$LOGS/demo.log" | head -n 1)
    # The users table: "  NAME  ROLES  PASSWORD"; a user already in the database prints no password.
    PASSWORD=$(awk -v u="$USER_NAME" '$1 == u && NF == 3 { print $3; exit }' "$LOGS/demo.log")
    if [[ -z "$URL" || -z "$PASSWORD" ]]; then
        echo "browser-check: the demo printed no page URL or no password for $USER_NAME within 30s:" >&2
        cat "$LOGS/demo.log" >&2
        exit 1
    fi
fi

echo "browser-check: checking $URL as $USER_NAME with $("$CHROMIUM" --version 2>/dev/null | head -n 1)" >&2
timeout 180 "$PYTHON" "$ROOT/scripts/lib/browser_check.py" \
    --url "$URL" --user "$USER_NAME" --password "$PASSWORD" --screenshot "$OUT" \
    --chromium "$CHROMIUM" --timeout "$WAIT" --log "$LOGS/chromium.log"
