#!/usr/bin/env bash
# Install what snapzun needs on Debian 12: the Docker engine, busybox (for
# the local base image) and a virtualenv with snapzun and its pinned
# requirements. Idempotent: a second run only checks.
#
#   tools/install.sh          runtime + test requirements into .venv
#   SNAPZUN_VENV=/path ...    another virtualenv location
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${SNAPZUN_VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}

need_apt=()
command -v dockerd >/dev/null || need_apt+=(docker.io)
command -v busybox >/dev/null || need_apt+=(busybox-static)
command -v curl >/dev/null || need_apt+=(curl)
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "Installing ${need_apt[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${need_apt[@]}" >/dev/null
fi

stamp=$VENV/.snapzun-requirements
wanted=$(cat "$ROOT/requirements.txt" "$ROOT/test-requirements.txt" \
         "$ROOT/setup.cfg" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    exit 0
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
log=$VENV/install.log
echo "Installing snapzun into $VENV (log $log)" >&2
if ! { "$VENV/bin/pip" install --upgrade pip &&
       "$VENV/bin/pip" install -r "$ROOT/requirements.txt" \
           -r "$ROOT/test-requirements.txt" &&
       "$VENV/bin/pip" install --no-deps -e "$ROOT"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    exit 1
fi
echo "$wanted" > "$stamp"
echo "snapzun installed in $VENV" >&2
