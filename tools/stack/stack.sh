#!/usr/bin/env bash
# A devstack-like OpenStack on this machine for snapzun's tests and demos:
# RabbitMQ, MariaDB, Keystone, Glance and Cinder (api, scheduler, volume),
# all on 127.0.0.1 (MariaDB on a unix socket only).
#
#   tools/stack/stack.sh install        apt packages + the services' venv
#   tools/stack/stack.sh start          start everything, wait until ready
#   tools/stack/stack.sh stop [--wipe]  stop what start started; --wipe also
#                                       deletes the state dir (data, logs)
#   tools/stack/stack.sh status         what runs, exit 0 if all of it
#   tools/stack/stack.sh stop-service NAME / start-service NAME
#                                       glance or rabbitmq alone, for
#                                       failure tests
#
# Once started: $SNAPZUN_STACK_DIR/openrc (admin OS_* variables) and
# $SNAPZUN_STACK_DIR/stack.env (ports, URLs, passwords, users). Settings come
# from SNAPZUN_STACK_* environment variables: see tools/stack/README.rst.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

export SNAPZUN_STACK_DIR=${SNAPZUN_STACK_DIR:-/tmp/snapzun-stack}
export SNAPZUN_STACK_VENV=${SNAPZUN_STACK_VENV:-/opt/snapzun/stack-venv}
export SNAPZUN_STACK_REGION=RegionOne
export SNAPZUN_STACK_KEYSTONE_PORT=${SNAPZUN_STACK_KEYSTONE_PORT:-25000}
export SNAPZUN_STACK_GLANCE_PORT=${SNAPZUN_STACK_GLANCE_PORT:-29292}
export SNAPZUN_STACK_CINDER_PORT=${SNAPZUN_STACK_CINDER_PORT:-28776}
export SNAPZUN_STACK_CINDER_BACKEND=${SNAPZUN_STACK_CINDER_BACKEND:-loop}
export SNAPZUN_API_PORT=${SNAPZUN_API_PORT:-9517}
export SNAPZUN_STACK_RABBIT_PORT=${SNAPZUN_STACK_RABBIT_PORT:-26672}
export SNAPZUN_STACK_RABBIT_DIST_PORT=${SNAPZUN_STACK_RABBIT_DIST_PORT:-$((SNAPZUN_STACK_RABBIT_PORT + 1))}
export SNAPZUN_STACK_EPMD_PORT=${SNAPZUN_STACK_EPMD_PORT:-24369}
export SNAPZUN_STACK_ADMIN_PASSWORD=${SNAPZUN_STACK_ADMIN_PASSWORD:-stack-admin}
export SNAPZUN_STACK_SERVICE_PASSWORD=${SNAPZUN_STACK_SERVICE_PASSWORD:-stack-service}
export SNAPZUN_STACK_DEMO_PASSWORD=${SNAPZUN_STACK_DEMO_PASSWORD:-stack-demo}
export SNAPZUN_STACK_DB_PASSWORD=${SNAPZUN_STACK_DB_PASSWORD:-stack-db}
TIMEOUT=${SNAPZUN_STACK_TIMEOUT:-120}
STOP_TIMEOUT=${SNAPZUN_STACK_STOP_TIMEOUT:-20}

STATE=$SNAPZUN_STACK_DIR
VENV=$SNAPZUN_STACK_VENV
PY=$VENV/bin/python
ETC=$STATE/etc
RUN=$STATE/run
LOGS=$STATE/log
MARKER=$STATE/.snapzun-stack

# Derived settings: together with the ones above, the content of stack.env
export SNAPZUN_STACK_KEYSTONE_URL=http://127.0.0.1:$SNAPZUN_STACK_KEYSTONE_PORT/v3
export SNAPZUN_STACK_GLANCE_URL=http://127.0.0.1:$SNAPZUN_STACK_GLANCE_PORT
export SNAPZUN_STACK_CINDER_URL=http://127.0.0.1:$SNAPZUN_STACK_CINDER_PORT/v3
export SNAPZUN_STACK_CONTAINER_URL=http://127.0.0.1:$SNAPZUN_API_PORT/v1
export SNAPZUN_STACK_RABBIT_USER=guest SNAPZUN_STACK_RABBIT_PASSWORD=guest
export SNAPZUN_STACK_TRANSPORT_URL=rabbit://guest:guest@127.0.0.1:$SNAPZUN_STACK_RABBIT_PORT/
export SNAPZUN_STACK_DB_SOCKET=$RUN/mysql.sock
export SNAPZUN_STACK_DB_USER=stack
DATABASES=(keystone glance cinder snapzun)
DB_SERVER=mysql+pymysql://$SNAPZUN_STACK_DB_USER:$SNAPZUN_STACK_DB_PASSWORD@localhost
DB_OPTIONS="?unix_socket=$SNAPZUN_STACK_DB_SOCKET&charset=utf8"
export SNAPZUN_STACK_KEYSTONE_DB_URL=$DB_SERVER/keystone$DB_OPTIONS
export SNAPZUN_STACK_GLANCE_DB_URL=$DB_SERVER/glance$DB_OPTIONS
export SNAPZUN_STACK_CINDER_DB_URL=$DB_SERVER/cinder$DB_OPTIONS
export SNAPZUN_STACK_SNAPZUN_DB_URL=$DB_SERVER/snapzun$DB_OPTIONS
case $SNAPZUN_STACK_CINDER_BACKEND in
    loop) export SNAPZUN_STACK_CINDER_DRIVER=loop_volume_driver.LoopVolumeDriver ;;
    fake) export SNAPZUN_STACK_CINDER_DRIVER=cinder.tests.fake_driver.FakeLoggingVolumeDriver ;;
    *) echo "SNAPZUN_STACK_CINDER_BACKEND must be loop or fake" >&2; exit 2 ;;
esac
# Fixed names, created by catalog.py; listed in stack.env for the tests
IDENTITIES=(
    SNAPZUN_STACK_ADMIN_USER=admin SNAPZUN_STACK_ADMIN_PROJECT=admin
    SNAPZUN_STACK_SERVICE_PROJECT=service SNAPZUN_STACK_SNAPZUN_USER=snapzun
    SNAPZUN_STACK_DEMO_USER=demo SNAPZUN_STACK_DEMO_PROJECT=demo
    SNAPZUN_STACK_ALT_DEMO_USER=alt_demo SNAPZUN_STACK_ALT_DEMO_PROJECT=alt_demo
    SNAPZUN_STACK_READER_USER=demo_reader
)

# stack.env: these, then IDENTITIES
STACK_ENV_KEYS=(
    SNAPZUN_STACK_DIR SNAPZUN_STACK_VENV SNAPZUN_STACK_REGION
    SNAPZUN_STACK_KEYSTONE_PORT SNAPZUN_STACK_KEYSTONE_URL
    SNAPZUN_STACK_GLANCE_PORT SNAPZUN_STACK_GLANCE_URL
    SNAPZUN_STACK_CINDER_PORT SNAPZUN_STACK_CINDER_URL SNAPZUN_STACK_CINDER_BACKEND
    SNAPZUN_API_PORT SNAPZUN_STACK_CONTAINER_URL
    SNAPZUN_STACK_RABBIT_PORT SNAPZUN_STACK_RABBIT_DIST_PORT SNAPZUN_STACK_EPMD_PORT
    SNAPZUN_STACK_RABBIT_USER SNAPZUN_STACK_RABBIT_PASSWORD SNAPZUN_STACK_TRANSPORT_URL
    SNAPZUN_STACK_DB_SOCKET SNAPZUN_STACK_DB_USER SNAPZUN_STACK_DB_PASSWORD
    SNAPZUN_STACK_SNAPZUN_DB_URL SNAPZUN_STACK_KEYSTONE_DB_URL
    SNAPZUN_STACK_GLANCE_DB_URL SNAPZUN_STACK_CINDER_DB_URL
    SNAPZUN_STACK_ADMIN_PASSWORD SNAPZUN_STACK_SERVICE_PASSWORD SNAPZUN_STACK_DEMO_PASSWORD
)

OPENSTACK_SERVICES=(keystone glance cinder-api cinder-scheduler cinder-volume)
ALL_SERVICES=(epmd rabbitmq mariadb "${OPENSTACK_SERVICES[@]}")

# EPOCHREALTIME always has 6 decimals: its digits are microseconds
T0=${EPOCHREALTIME//[!0-9]/}

deadline_in() { echo $((${EPOCHREALTIME//[!0-9]/} + $1 * 1000000)); }  # SECONDS

expired() { [ "${EPOCHREALTIME//[!0-9]/}" -ge "$1" ]; }  # DEADLINE

log() {
    local us=$((${EPOCHREALTIME//[!0-9]/} - T0))
    printf '[%3d.%d s] %s\n' $((us / 1000000)) $((us / 100000 % 10)) "$*" >&2
}

die() { log "ERROR: $*"; exit 1; }

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

check_settings() {
    case $STATE in
        /*[[:space:]]* | /*[\'\"\$\\]*) die "SNAPZUN_STACK_DIR must have no spaces or quotes: $STATE" ;;
        /?*) ;;
        *) die "SNAPZUN_STACK_DIR must be an absolute path: $STATE" ;;
    esac
    # sun_path of a unix socket holds 107 characters and a NUL
    [ ${#SNAPZUN_STACK_DB_SOCKET} -lt 108 ] ||
        die "socket path too long (${#SNAPZUN_STACK_DB_SOCKET} chars): $SNAPZUN_STACK_DB_SOCKET"
    local name
    # they end up in URLs, config files and shell lines unquoted
    for name in ADMIN SERVICE DEMO DB; do
        name=SNAPZUN_STACK_${name}_PASSWORD
        [[ ${!name} =~ ^[A-Za-z0-9._~-]+$ ]] || die "$name may only use A-Z a-z 0-9 . _ ~ -"
    done
}

# --- processes -------------------------------------------------------------

proc_stat() {  # PID: "STATE STARTTIME" (start in clock ticks since boot), nothing if gone
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }  # the command name may contain spaces
    read -ra stat <<<"$stat"
    echo "${stat[0]} ${stat[19]}"
}

spawn() {  # NAME CMD...: run CMD in a new session, output to log/NAME.log
    local name=$1 state started
    shift
    # a background job of a non-interactive shell is no group leader, so
    # setsid does not fork: $! is the pid and the process group of CMD
    setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
    read -r state started <<<"$(proc_stat $!)"
    echo "$! $started" >"$RUN/$name.pid"
}

our_group() {  # NAME: print the process group that start started, if it still runs
    local pid started state now
    read -r pid started 2>/dev/null <"$RUN/$1.pid" || return 1
    read -r state now <<<"$(proc_stat "$pid")"
    # the leader may have exited and left the rest of its group behind, but
    # a pid that now belongs to another process is not ours
    [ -z "$now" ] || [ "$now" = "$started" ] || return 1
    # zombies do not count: once start is done their parent is init, which
    # may take its time to reap them
    ps -e -o pgid=,stat= | awk -v g="$pid" '$1 == g && $2 !~ /^Z/ {n++} END {exit !n}' ||
        return 1
    echo "$pid"
}

alive() {  # NAME: the recorded process itself still runs
    local pid started state now
    read -r pid started 2>/dev/null <"$RUN/$1.pid" || return 1
    read -r state now <<<"$(proc_stat "$pid")"
    [ -n "$started" ] && [ "$now" = "$started" ] && [ "$state" != Z ]
}

show_log() {  # NAME
    log "last lines of $LOGS/$1.log:"
    tail -n 25 "$LOGS/$1.log" >&2 || true
}

wait_until() {  # 'NAME...' WHAT CHECK...: retry CHECK while all NAMEs run
    local names=$1 what=$2 name
    shift 2
    local deadline
    deadline=$(deadline_in "$TIMEOUT")
    until "$@"; do
        for name in $names; do
            alive "$name" || { show_log "$name"; die "$name exited"; }
        done
        if expired "$deadline"; then
            for name in $names; do show_log "$name"; done
            die "$what: not ready after ${TIMEOUT}s"
        fi
        sleep 0.5
    done
    log "$what"
}

stop_services() {  # NAME...: TERM their groups, wait, KILL what outlives STOP_TIMEOUT
    local name pid left=()
    for name; do
        if pid=$(our_group "$name"); then
            kill -TERM -- "-$pid" 2>/dev/null || true
            left+=("$name")
        else
            rm -f "$RUN/$name.pid"
        fi
    done
    [ ${#left[@]} -gt 0 ] || return 0
    local deadline killed=''
    deadline=$(deadline_in "$STOP_TIMEOUT")
    while :; do
        local still=()
        for name in "${left[@]}"; do
            if our_group "$name" >/dev/null; then still+=("$name"); else rm -f "$RUN/$name.pid"; fi
        done
        left=("${still[@]}")
        [ ${#left[@]} -gt 0 ] || break
        if expired "$deadline"; then
            [ -z "$killed" ] || die "still running after SIGKILL: ${left[*]}"
            log "SIGKILL after ${STOP_TIMEOUT}s: ${left[*]}"
            for name in "${left[@]}"; do kill -KILL -- "-$(our_group "$name")" 2>/dev/null || true; done
            deadline=$(deadline_in 5) killed=1
        fi
        sleep 0.2
    done
    log "stopped: $*"
}

stop_all() {
    # cinder-volume's backend process reconnects forever to a broker that is
    # gone: the OpenStack services go first, then broker and DB, then epmd
    stop_services "${OPENSTACK_SERVICES[@]}"
    stop_services rabbitmq mariadb
    stop_services epmd
}

# --- checks ----------------------------------------------------------------

http_ok() { curl -sf --max-time 2 -o /dev/null "$1"; }

tcp_open() { timeout 2 bash -c ">/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

sql() { mariadb --no-defaults --connect-timeout=2 -S "$SNAPZUN_STACK_DB_SOCKET" -uroot "$@"; }

db_ok() { sql -e 'SELECT 1' >/dev/null 2>&1; }

cinder_ready() { "$PY" "$HERE/catalog.py" cinder-ready 2>/dev/null; }

check_ports_free() {
    local port
    for port in "$SNAPZUN_STACK_KEYSTONE_PORT" "$SNAPZUN_STACK_GLANCE_PORT" \
        "$SNAPZUN_STACK_CINDER_PORT" "$SNAPZUN_STACK_RABBIT_PORT" \
        "$SNAPZUN_STACK_RABBIT_DIST_PORT" "$SNAPZUN_STACK_EPMD_PORT"; do
        ! tcp_open "$port" || die "127.0.0.1:$port is in use by another process"
    done
}

# --- install ---------------------------------------------------------------

install_packages() {
    local pkg missing=()
    for pkg in rabbitmq-server mariadb-server curl; do
        dpkg-query -W -f '${Status}\n' "$pkg" 2>/dev/null | grep -q ' installed$' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        log "apt packages present"
        return
    fi
    # Debian would start the system-wide broker and database on their
    # default ports (epmd on every address); stack.sh runs its own
    local policy=/usr/sbin/policy-rc.d added='' rc=0
    if [ ! -e $policy ]; then
        printf '#!/bin/sh\nexit 101\n' >$policy
        chmod 755 $policy
        added=1
    fi
    log "apt-get install ${missing[*]}"
    { apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null; } || rc=$?
    [ -z "$added" ] || rm -f $policy
    return $rc
}

install_venv() {
    local stamp=$VENV/.snapzun-stack-requirements
    if [ -x "$PY" ] && cmp -s "$HERE/requirements.txt" "$stamp"; then
        log "venv $VENV up to date"
        return
    fi
    log "pip install -r tools/stack/requirements.txt into $VENV"
    "${SNAPZUN_STACK_PYTHON:-python3}" -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$HERE/requirements.txt"
    cp "$HERE/requirements.txt" "$stamp"
}

cmd_install() {
    install_packages
    install_venv
    log "installed"
}

# --- start -----------------------------------------------------------------

render() {  # TEMPLATE OUTPUT: fill ${VAR} from the environment
    "$PY" -c 'import os, string, sys
sys.stdout.write(string.Template(open(sys.argv[1]).read()).substitute(os.environ))' \
        "$HERE/$1" >"$2"
}

prepare_state() {
    mkdir -p "$ETC/glance" "$RUN" "$LOGS" "$STATE/keystone" "$STATE/glance" \
        "$STATE/cinder" "$STATE/rabbitmq"
    touch "$MARKER" "$STATE/rabbitmq/enabled_plugins"
    render keystone.conf.tmpl "$ETC/keystone.conf"
    render glance-api.conf.tmpl "$ETC/glance/glance-api.conf"
    render cinder.conf.tmpl "$ETC/cinder.conf"
}

run_step() {  # LOG CMD...: run CMD (bounded), output to log/LOG.log
    local name=$1
    shift
    timeout "$TIMEOUT" "$@" >>"$LOGS/$name.log" 2>&1 || {
        show_log "$name"
        die "failed: ${*##*/}"
    }
}

start_rabbitmq() {
    # our own epmd on loopback: the one the broker would start listens on
    # every address and outlives the broker
    spawn epmd /usr/bin/epmd -port "$SNAPZUN_STACK_EPMD_PORT" -address 127.0.0.1
    start_broker
}

start_broker() {
    # run as root directly (the /usr/sbin wrapper su's to user rabbitmq);
    # the config files named here do not exist, which keeps any in /etc out
    local r=$STATE/rabbitmq
    spawn rabbitmq env HOME="$r" ERL_EPMD_PORT="$SNAPZUN_STACK_EPMD_PORT" \
        RABBITMQ_CONF_ENV_FILE=/dev/null \
        RABBITMQ_CONFIG_FILE="$r/rabbitmq" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$r/advanced.config" \
        RABBITMQ_NODENAME=snapzun-stack@localhost \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$SNAPZUN_STACK_RABBIT_PORT" \
        RABBITMQ_DIST_PORT="$SNAPZUN_STACK_RABBIT_DIST_PORT" \
        RABBITMQ_MNESIA_BASE="$r/mnesia" \
        RABBITMQ_LOG_BASE="$r" RABBITMQ_LOGS=- \
        RABBITMQ_PID_FILE="$r/rabbitmq.pid" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$r/enabled_plugins" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        /usr/lib/rabbitmq/bin/rabbitmq-server
    log "rabbitmq starting"
}

start_mariadb() {
    local data=$STATE/mysql
    if [ ! -d "$data/mysql" ]; then
        run_step mariadb mariadb-install-db --no-defaults --user=root --datadir="$data" \
            --skip-test-db --auth-root-authentication-method=socket
    fi
    spawn mariadb /usr/sbin/mariadbd --no-defaults --user=root --datadir="$data" \
        --socket="$SNAPZUN_STACK_DB_SOCKET" --pid-file="$data/mariadbd.pid" \
        --skip-networking --skip-name-resolve --log-error="$LOGS/mariadb.log" \
        --innodb-buffer-pool-size=32M --performance-schema=OFF --max-connections=500 \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0
    wait_until mariadb "mariadb up" db_ok
    local db grants="
        CREATE USER IF NOT EXISTS '$SNAPZUN_STACK_DB_USER'@'localhost';
        ALTER USER '$SNAPZUN_STACK_DB_USER'@'localhost' IDENTIFIED BY '$SNAPZUN_STACK_DB_PASSWORD';
        GRANT ALL PRIVILEGES ON *.* TO '$SNAPZUN_STACK_DB_USER'@'localhost';"
    for db in "${DATABASES[@]}"; do
        grants+="CREATE DATABASE IF NOT EXISTS $db;"
    done
    sql -e "$grants"
}

keystone_manage() {
    run_step keystone-manage "$VENV/bin/keystone-manage" --config-file "$ETC/keystone.conf" "$@"
}

setup_keystone_keys() {
    local repo
    for repo in fernet credential; do
        [ -e "$STATE/keystone/$repo-keys/0" ] ||
            keystone_manage "${repo}_setup" --keystone-user root --keystone-group root
    done
}

bootstrap_keystone() {
    keystone_manage bootstrap \
        --bootstrap-username admin --bootstrap-password "$SNAPZUN_STACK_ADMIN_PASSWORD" \
        --bootstrap-project-name admin --bootstrap-role-name admin \
        --bootstrap-service-name keystone --bootstrap-region-id "$SNAPZUN_STACK_REGION" \
        --bootstrap-admin-url "$SNAPZUN_STACK_KEYSTONE_URL" \
        --bootstrap-public-url "$SNAPZUN_STACK_KEYSTONE_URL" \
        --bootstrap-internal-url "$SNAPZUN_STACK_KEYSTONE_URL"
}

wait_steps() {  # WHAT PID...: wait for run_steps started in the background
    local what=$1 pid rc=0
    shift
    for pid; do
        wait "$pid" || rc=1
    done
    [ $rc -eq 0 ] || die "$what failed"
    log "$what done"
}

spawn_wsgi() {  # NAME APP PORT APP_ARGS [VAR=VALUE...]
    spawn "$1" env SNAPZUN_STACK_WSGI_APP="$2" SNAPZUN_STACK_BIND="127.0.0.1:$3" \
        SNAPZUN_STACK_APP_ARGS="$4" "${@:5}" \
        "$VENV/bin/gunicorn" -c "$HERE/gunicorn.conf.py"
}

start_keystone() {
    spawn_wsgi keystone keystone.wsgi.api:application "$SNAPZUN_STACK_KEYSTONE_PORT" \
        "--config-file $ETC/keystone.conf"
}

start_glance() {
    spawn_wsgi glance glance.wsgi.api:application "$SNAPZUN_STACK_GLANCE_PORT" "" \
        OS_GLANCE_CONFIG_DIR="$ETC/glance"
}

start_cinder() {
    local conf=$ETC/cinder.conf
    spawn_wsgi cinder-api cinder.wsgi.api:application "$SNAPZUN_STACK_CINDER_PORT" \
        "--config-file $conf"
    spawn cinder-scheduler "$VENV/bin/cinder-scheduler" --config-file "$conf"
    spawn cinder-volume env PYTHONPATH="$REPO/tests/stack_support" \
        "$VENV/bin/cinder-volume" --config-file "$conf"
}

write_files() {
    cat >"$STATE/openrc" <<EOF
export OS_AUTH_URL=$SNAPZUN_STACK_KEYSTONE_URL
export OS_AUTH_TYPE=password
export OS_IDENTITY_API_VERSION=3
export OS_VOLUME_API_VERSION=3
export OS_USERNAME=admin
export OS_PASSWORD=$SNAPZUN_STACK_ADMIN_PASSWORD
export OS_PROJECT_NAME=admin
export OS_USER_DOMAIN_ID=default
export OS_PROJECT_DOMAIN_ID=default
export OS_REGION_NAME=$SNAPZUN_STACK_REGION
export OS_INTERFACE=public
EOF
    local key pair
    {
        echo "# Written by tools/stack/stack.sh start: sh-sourceable, shlex-parsable"
        for key in "${STACK_ENV_KEYS[@]}"; do
            printf "%s='%s'\n" "$key" "${!key}"
        done
        for pair in "${IDENTITIES[@]}"; do
            printf "%s='%s'\n" "${pair%%=*}" "${pair#*=}"
        done
    } >"$STATE/stack.env"
}

on_start_exit() {
    local rc=$?
    [ $rc -ne 0 ] || return 0
    log "start failed: stopping what it started"
    stop_all || true
    exit $rc
}

cmd_start() {
    if [ ! -x "$VENV/bin/gunicorn" ] || [ ! -x /usr/sbin/mariadbd ]; then
        die "run '$0 install' first"
    fi
    local name running=0
    for name in "${ALL_SERVICES[@]}"; do
        ! our_group "$name" >/dev/null || running=$((running + 1))
    done
    if [ $running -eq ${#ALL_SERVICES[@]} ]; then
        log "already running"
        return
    fi
    [ $running -eq 0 ] || die "partly running: run '$0 stop' first"
    rm -f "$STATE/openrc" "$STATE/stack.env"
    check_ports_free
    trap on_start_exit EXIT
    prepare_state
    start_rabbitmq
    start_mariadb
    # Most of what follows is Python start-up (1-2 s of CPU per process):
    # keep both cores busy, start each service as soon as its database is
    setup_keystone_keys &
    local keys=$!
    keystone_manage db_sync &
    local keystone_db=$!
    run_step glance-manage "$VENV/bin/glance-manage" --config-file "$ETC/glance/glance-api.conf" db_sync &
    local glance_db=$!
    run_step cinder-manage "$VENV/bin/cinder-manage" --config-file "$ETC/cinder.conf" db sync &
    local cinder_db=$!
    wait_steps "glance db_sync" $glance_db
    start_glance
    wait_steps "cinder db sync" $cinder_db
    wait_until "epmd rabbitmq" "rabbitmq up" tcp_open "$SNAPZUN_STACK_RABBIT_PORT"
    start_cinder
    wait_steps "keystone db_sync and keys" $keys $keystone_db
    bootstrap_keystone
    start_keystone
    wait_until keystone "keystone up" http_ok "$SNAPZUN_STACK_KEYSTONE_URL"
    run_step catalog "$PY" "$HERE/catalog.py" register
    log "catalog registered"
    wait_until glance "glance up" http_ok "$SNAPZUN_STACK_GLANCE_URL/versions"
    wait_until cinder-api "cinder-api up" http_ok "${SNAPZUN_STACK_CINDER_URL%/v3}/"
    wait_until "cinder-api cinder-scheduler cinder-volume" \
        "cinder ready (volume service up, pool known)" cinder_ready
    write_files
    trap - EXIT
    log "stack ready: . $STATE/openrc; . $STATE/stack.env"
}

# --- stop, status ----------------------------------------------------------

detach_loop_devices() {  # the ones backed by a file in the state dir
    local device file
    while read -r device file; do
        case $file in
            "$STATE"/*)
                log "losetup --detach $device ($file)"
                losetup --detach "$device"
                ;;
        esac
    done < <(losetup --list --noheadings --output NAME,BACK-FILE)
}

cmd_stop() {
    case ${1:-} in
        '' | --wipe) ;;
        *) usage ;;
    esac
    if [ -d "$RUN" ]; then
        stop_all
        rm -f "$STATE/openrc" "$STATE/stack.env"
    fi
    [ "${1:-}" = --wipe ] || return 0
    [ -e "$MARKER" ] || { log "nothing to wipe at $STATE"; return 0; }
    detach_loop_devices
    rm -rf "$STATE"
    log "wiped $STATE"
}

# One service down and up again, for failure tests (glance, rabbitmq).
cmd_stop_service() {
    case $1 in
        glance | rabbitmq) stop_services "$1"; log "$1 stopped" ;;
        *) die "stop-service takes glance or rabbitmq" ;;
    esac
}

cmd_start_service() {
    case $1 in
        glance)
            start_glance
            wait_until glance "glance up" http_ok "$SNAPZUN_STACK_GLANCE_URL/versions" ;;
        rabbitmq)
            start_broker
            wait_until rabbitmq "rabbitmq up" tcp_open "$SNAPZUN_STACK_RABBIT_PORT" ;;
        *) die "start-service takes glance or rabbitmq" ;;
    esac
}

cmd_status() {
    local name pid rc=0
    for name in "${ALL_SERVICES[@]}"; do
        if pid=$(our_group "$name"); then
            printf '%-17s running (process group %s)\n' "$name" "$pid"
        else
            printf '%-17s stopped\n' "$name"
            rc=1
        fi
    done
    [ ! -e "$STATE/stack.env" ] || echo "settings: $STATE/stack.env, credentials: $STATE/openrc"
    return $rc
}

main() {
    [ $# -ge 1 ] || usage
    local command=$1
    shift
    check_settings
    case $command in
        install) [ $# -eq 0 ] || usage; cmd_install ;;
        start) [ $# -eq 0 ] || usage; cmd_start ;;
        stop) [ $# -le 1 ] || usage; cmd_stop "$@" ;;
        status) [ $# -eq 0 ] || usage; cmd_status ;;
        stop-service) [ $# -eq 1 ] || usage; cmd_stop_service "$1" ;;
        start-service) [ $# -eq 1 ] || usage; cmd_start_service "$1" ;;
        *) usage ;;
    esac
}

main "$@"
