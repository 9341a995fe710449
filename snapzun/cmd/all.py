"""snapzun-all: API, conductor and compute in one process, one host.

The embedded default: SQLite under the state path, RPC inside the process,
the local Docker engine, no authentication, API on 127.0.0.1:9517.
"""

from snapzun import cmd
from snapzun import service
from snapzun.db import migration

EMBEDDED_DEFAULTS = {
    (None, 'transport_url'): 'local://',
    ('api', 'auth_strategy'): 'noauth',
}


def main():
    cmd.prepare(defaults=EMBEDDED_DEFAULTS)
    service.ensure_state_path()
    migration.upgrade()
    service.run([service.conductor_service(), service.compute_service(),
                 service.APIService()])
