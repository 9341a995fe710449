#!/usr/bin/env bash
# Install what the tests need, then run lint, the unit tests and the
# functional tests. The functional tests start (and stop) their own Docker
# engines; they need root on a Linux host with overlayfs.
#
#   tools/run-tests.sh [pytest arguments]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${SNAPZUN_VENV:-$ROOT/.venv}
cd "$ROOT"

tools/install.sh
"$VENV/bin/ruff" check snapzun tests tools
tools/check-no-eventlet.sh
"$VENV/bin/python" -m pytest -p no:cacheprovider -q \
    tests/unit tests/functional "$@"
