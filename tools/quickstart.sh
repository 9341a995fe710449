#!/usr/bin/env bash
# Set up and run snapzun's embedded default on this machine, then show a
# container running through it.
#
#   tools/quickstart.sh         install, start dockerd and snapzun-all, demo
#   tools/quickstart.sh stop    stop what this script started
#
# snapzun-all serves the API on http://127.0.0.1:9517/v1 without auth; its
# log and SQLite database are under $SNAPZUN_STATE_PATH (/var/lib/snapzun).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${SNAPZUN_VENV:-$ROOT/.venv}
STATE=${SNAPZUN_STATE_PATH:-/var/lib/snapzun}
PORT=9517
ENDPOINT=http://127.0.0.1:$PORT
PIDFILE=$STATE/snapzun-all.pid

openstack() {
    "$VENV/bin/openstack" --os-auth-type none --os-endpoint "$ENDPOINT/v1" "$@"
}

answers() { curl -fsS --max-time 2 "$ENDPOINT/" >/dev/null 2>&1; }

start() {
    "$ROOT/tools/install.sh"
    "$ROOT/tools/docker-host.sh" start
    mkdir -p "$STATE"
    if answers; then
        echo "snapzun already answers on $ENDPOINT" >&2
    else
        echo "Starting snapzun-all (log $STATE/snapzun-all.log)" >&2
        OS_DEFAULT__STATE_PATH=$STATE setsid "$VENV/bin/snapzun-all" \
            --config-file "$ROOT/etc/snapzun/snapzun-all.conf" \
            >>"$STATE/snapzun-all.log" 2>&1 </dev/null &
        echo $! > "$PIDFILE"
        for _ in $(seq 1 120); do
            answers && break
            kill -0 "$(cat "$PIDFILE")" 2>/dev/null || {
                tail -n 20 "$STATE/snapzun-all.log" >&2; exit 1; }
            sleep 0.5
        done
        answers || { echo "snapzun-all did not answer in 60 s" >&2; exit 1; }
    fi
    if ! openstack appcontainer show demo >/dev/null 2>&1; then
        openstack appcontainer run --wait --name demo \
            snapzun/busybox:latest sleep 1000000 >/dev/null
    fi
    openstack appcontainer list
    cat <<MSG

snapzun is running on $ENDPOINT (no auth). Try:
  $VENV/bin/openstack --os-auth-type none --os-endpoint $ENDPOINT/v1 appcontainer show demo
Stop it with: tools/quickstart.sh stop
MSG
}

stop() {
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        local pid
        pid=$(cat "$PIDFILE")
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$PIDFILE"
    "$ROOT/tools/docker-host.sh" stop
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) sed -n '2,9p' "$0"; exit 2 ;;
esac
