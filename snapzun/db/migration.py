"""Schema migrations (alembic), run by ``snapzun-manage db sync``."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

from snapzun.db import api as db_api


def _config(connection):
    config = alembic_config.Config()
    config.set_main_option(
        'script_location',
        os.path.join(os.path.dirname(__file__), 'migrations'))
    config.attributes['connection'] = connection
    return config


def upgrade(revision='head'):
    with db_api.get_engine().begin() as connection:
        command.upgrade(_config(connection), revision)


def version():
    with db_api.get_engine().connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()
