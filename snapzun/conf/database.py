"""The [database] group belongs to oslo.db; this sets snapzun's default."""

from oslo_db import options as db_options

DEFAULT_CONNECTION = 'sqlite:///$state_path/snapzun.sqlite'


def register_opts(conf):
    db_options.set_defaults(conf, connection=DEFAULT_CONNECTION)
