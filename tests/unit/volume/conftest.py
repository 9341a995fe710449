"""Fixtures of the volume plugin tests: a fake host, a plugin on it."""

import pytest

from snapzun.volume import plugin as plugin_module
from tests.unit.volume import fakes


@pytest.fixture
def host():
    return fakes.FakeHost()


@pytest.fixture
def state_dir(tmp_path):
    return str(tmp_path / 'volume-plugin')


@pytest.fixture
def make_plugin(host, state_dir):
    """Plugin on the fake host; call again to 'restart' it."""
    def make(**kwargs):
        return plugin_module.Plugin(state_dir, host=host, **kwargs)
    return make


@pytest.fixture
def plugin(make_plugin):
    return make_plugin()
