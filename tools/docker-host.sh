#!/usr/bin/env bash
# Start or stop a Docker engine for snapzun on this machine.
#
#   tools/docker-host.sh start [NAME]   start dockerd unless one answers
#   tools/docker-host.sh stop [NAME]    stop the dockerd this script started
#   tools/docker-host.sh image [NAME]   build the local base image
#   tools/docker-host.sh env [NAME]     print DOCKER_HOST=...
#
# Without NAME it is the machine's engine (/var/run/docker.sock). With NAME
# it is a separate engine, with its own socket, data-root, exec-root and
# pidfile under $SNAPZUN_HOSTS_DIR/NAME: a second "host" on one machine.
# Containers get no network from the engine (--bridge=none): snapzun runs
# them with network "none" or "host".
set -euo pipefail

HOSTS_DIR=${SNAPZUN_HOSTS_DIR:-/var/lib/snapzun-hosts}
BASE_IMAGE=${SNAPZUN_BASE_IMAGE:-snapzun/busybox:latest}
START_TIMEOUT=${SNAPZUN_DOCKERD_TIMEOUT:-60}

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

paths() {
    local name=${1:-}
    if [ -z "$name" ]; then
        SOCKET=/var/run/docker.sock
        DIR=/var/lib/snapzun-hosts/default
        EXTRA=()
    else
        DIR=$HOSTS_DIR/$name
        SOCKET=$DIR/docker.sock
        EXTRA=(--data-root "$DIR/data" --exec-root "$DIR/exec"
               --containerd-namespace "snapzun-$name"
               --containerd-plugins-namespace "snapzun-$name-plugins")
    fi
    PIDFILE=$DIR/dockerd.pid
    LOG=$DIR/dockerd.log
}

answers() { DOCKER_HOST=unix://$SOCKET timeout 5 docker version \
                --format '{{.Server.Version}}' >/dev/null 2>&1; }

install_engine() {
    command -v dockerd >/dev/null && command -v busybox >/dev/null && return
    echo "Installing docker.io and busybox-static" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends docker.io busybox-static >/dev/null
}

start() {
    paths "${1:-}"
    if answers; then
        echo "Docker engine already answers on $SOCKET" >&2
        return 0
    fi
    install_engine
    mkdir -p "$DIR"
    echo "Starting dockerd on $SOCKET (log $LOG)" >&2
    setsid dockerd --host "unix://$SOCKET" --pidfile "$PIDFILE" \
        --bridge=none --iptables=false --ip-masq=false \
        ${EXTRA[@]+"${EXTRA[@]}"} >"$LOG" 2>&1 < /dev/null &
    local pid=$! waited=0
    echo "$pid" > "$DIR/started-by-snapzun.pid"
    until answers; do
        if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge "$START_TIMEOUT" ]; then
            echo "dockerd did not come up; last lines of $LOG:" >&2
            tail -n 20 "$LOG" >&2
            kill "$pid" 2>/dev/null || true
            rm -f "$DIR/started-by-snapzun.pid"
            return 1
        fi
        sleep 0.5; waited=$((waited + 1))
    done
}

stop() {
    paths "${1:-}"
    local marker=$DIR/started-by-snapzun.pid pid
    [ -f "$marker" ] || { echo "No dockerd started by snapzun for ${1:-default}" >&2; return 0; }
    pid=$(cat "$marker")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "dockerd $pid did not stop in 30 s; killing its group" >&2
            kill -KILL -- "-$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$marker"
}

# A base image built here: no registry is reachable from many hosts.
image() {
    paths "${1:-}"
    if DOCKER_HOST=unix://$SOCKET docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
        return 0
    fi
    local rootfs
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' RETURN
    mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root}
    cp "$(command -v busybox)" "$rootfs/bin/busybox"
    for applet in $("$rootfs/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$rootfs/etc/passwd"
    echo 'root:x:0:' > "$rootfs/etc/group"
    tar -C "$rootfs" -c . | DOCKER_HOST=unix://$SOCKET docker import \
        --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$BASE_IMAGE" >/dev/null
    echo "Built $BASE_IMAGE on $SOCKET" >&2
}

cmd=${1:-}; shift || true
case "$cmd" in
    start) start "$@"; image "$@" ;;
    stop) stop "$@" ;;
    image) image "$@" ;;
    env) paths "${1:-}"; echo "DOCKER_HOST=unix://$SOCKET" ;;
    *) usage ;;
esac
