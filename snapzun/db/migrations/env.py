"""Alembic environment: runs on the connection snapzun hands it."""

from alembic import context

from snapzun.db import models

config = context.config


def run_migrations_online():
    connection = config.attributes['connection']
    context.configure(connection=connection,
                      target_metadata=models.BASE.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
