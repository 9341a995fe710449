"""The alembic migrations build exactly the schema the models describe."""

from alembic import autogenerate
from alembic import migration as alembic_migration
from alembic import script
import sqlalchemy as sa

from snapzun.db import migration
from snapzun.db import models


def _not_alembic_version(object_, name, type_, reflected, compare_to):
    return not (type_ == 'table' and name == 'alembic_version')


def _compare_type(ctxt, insp_col, meta_col, insp_type, meta_type):
    # A TypeDecorator (JsonEncodedDict, ...) is stored as its impl.
    if isinstance(meta_type, sa.types.TypeDecorator):
        meta_col = sa.Column(meta_col.name, meta_type.impl)
    return ctxt.impl.compare_type(insp_col, meta_col)


def test_migrations_match_models(db):
    with db.connect() as connection:
        context = alembic_migration.MigrationContext.configure(
            connection, opts={'include_object': _not_alembic_version,
                              'compare_type': _compare_type,
                              'compare_server_default': True})
        diff = autogenerate.compare_metadata(context, models.BASE.metadata)
    assert diff == []


def _head():
    with migration.db_api.get_engine().connect() as connection:
        return script.ScriptDirectory.from_config(
            migration._config(connection)).get_current_head()


def test_upgrade_records_the_head_revision(db):
    assert migration.version() == _head()
    assert set(sa.inspect(db).get_table_names()) == (
        set(models.BASE.metadata.tables) | {'alembic_version'})


def test_upgrade_twice_is_harmless(db):
    migration.upgrade()
    assert migration.version() == _head()
