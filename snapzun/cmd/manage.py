"""snapzun-manage: database schema management."""

import sys

from oslo_config import cfg

from snapzun import cmd
from snapzun.db import migration

CONF = cfg.CONF


def _db_sync():
    migration.upgrade(CONF.command.version or 'head')


def _db_version():
    print(migration.version())


def _add_commands(subparsers):
    db = subparsers.add_parser('db', help='Database schema.')
    actions = db.add_subparsers(dest='action')
    sync = actions.add_parser('sync', help='Upgrade the schema.')
    sync.add_argument('version', nargs='?', help='Target revision.')
    sync.set_defaults(func=_db_sync)
    version = actions.add_parser('version', help='Print the revision.')
    version.set_defaults(func=_db_version)


def main():
    CONF.register_cli_opt(cfg.SubCommandOpt('command', title='Commands',
                                            handler=_add_commands))
    cmd.prepare()
    if not hasattr(CONF.command, 'func'):
        print('usage: snapzun-manage db {sync,version}', file=sys.stderr)
        return 2
    CONF.command.func()
    return 0
