"""Fixtures every unit test may use: configuration, database, RPC."""

from unittest import mock

from oslo_config import cfg
import pytest

from snapzun.common import rpc
import snapzun.conf  # noqa: F401 -- registers snapzun's options
from snapzun.conf import opts
from snapzun.db import api as db_api
from snapzun.db import migration
from tests.unit import fakes

CONF = cfg.CONF


@pytest.fixture(scope='session', autouse=True)
def _parsed_conf():
    """Register library options and parse an empty command line, once.

    No configuration file is read, so the host's /etc/snapzun cannot leak
    into the tests.
    """
    opts.set_defaults(CONF)
    CONF([], project='snapzun', default_config_files=[],
         default_config_dirs=[])
    yield CONF
    CONF.reset()


class ConfOverrides:
    """``CONF.set_override`` that a test undoes when it ends."""

    def __init__(self, conf):
        self.conf = conf
        self._overridden = []

    def set(self, name, value, group=None):
        self.conf.set_override(name, value, group=group)
        self._overridden.append((name, group))

    def clear(self):
        # Not CONF.reset(): that would also undo the parse of the session.
        for name, group in reversed(self._overridden):
            self.conf.clear_override(name, group=group)
        self._overridden.clear()


@pytest.fixture(autouse=True)
def conf(tmp_path):
    """Per test options: state under tmp_path, one host."""
    overrides = ConfOverrides(CONF)
    overrides.set('state_path', str(tmp_path))
    overrides.set('host', 'test-host')
    overrides.set('transport_url', 'fake://')
    # A test without the db fixture gets a throwaway file, never the
    # host's database.
    overrides.set('connection', 'sqlite:///' + str(tmp_path / 'unused'),
                  group='database')
    yield overrides
    overrides.clear()


@pytest.fixture
def db(tmp_path):
    """A fresh, migrated SQLite file for this test only.

    A new transaction manager copies the configuration of
    ``snapzun.db.api.context_manager`` (sqlite_fk, the SQLite writer
    serialization hook) and is patched in as its factory for the test.
    """
    manager = db_api.context_manager.make_new_manager()
    manager.configure(
        connection='sqlite:///' + str(tmp_path / 'snapzun.sqlite'))
    restore = db_api.context_manager.patch_factory(manager)
    engine = manager.writer.get_engine()
    try:
        migration.upgrade()
        yield engine
    finally:
        restore()
        engine.dispose()


@pytest.fixture
def fake_rpc():
    """Every RPC client records its casts and calls in one FakeRPC."""
    bus = fakes.FakeRPC()
    with mock.patch.object(rpc, 'get_client', autospec=True,
                           side_effect=bus.get_client):
        yield bus
