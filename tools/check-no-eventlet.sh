#!/usr/bin/env bash
# snapzun runs on threads: no module of ours may import eventlet.
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -rnE '^\s*(import eventlet|from eventlet)' snapzun tests; then
    echo "eventlet is not used in snapzun (threads only)" >&2
    exit 1
fi
