"""The Docker engine's volume calls, against an autospec'd APIClient."""

import inspect
from unittest import mock

import docker
from docker import errors as docker_errors
import pytest

from snapzun import exception
from snapzun.compute import docker as engine_module
from tests.unit.volume import volume_fakes


@pytest.fixture
def client():
    return mock.create_autospec(docker.APIClient, instance=True)


@pytest.fixture
def engine(client):
    return engine_module.DockerEngine(client)


def _container():
    return mock.Mock(
        uuid='u1', host='h1', memory=None, cpu=None, labels={},
        restart_policy=None, privileged=False, command=[], entrypoint=[],
        hostname=None, workdir=None, environment={}, tty=False,
        interactive=False, healthcheck=None)


def test_create_mounts_named_volumes(engine, client):
    client.create_container.return_value = {'Id': 'abc'}

    engine.create(_container(), 'busybox',
                  [('snapzun-v1', '/data'), ('snapzun-v2', '/logs')])

    mounts = client.create_host_config.call_args.kwargs['mounts']
    assert mounts == [
        {'Target': '/data', 'Source': 'snapzun-v1', 'Type': 'volume',
         'ReadOnly': False},
        {'Target': '/logs', 'Source': 'snapzun-v2', 'Type': 'volume',
         'ReadOnly': False}]


def test_create_without_mounts_asks_for_none(engine, client):
    client.create_container.return_value = {'Id': 'abc'}
    engine.create(_container(), 'busybox')
    assert client.create_host_config.call_args.kwargs['mounts'] is None


def test_volume_create_passes_driver_and_options(engine, client):
    engine.volume_create('snapzun-v1', 'fuxi', {'volume_id': 'c1'})
    client.create_volume.assert_called_once_with(
        'snapzun-v1', driver='fuxi', driver_opts={'volume_id': 'c1'})


def test_volume_create_error_is_a_docker_error(engine, client):
    client.create_volume.side_effect = docker_errors.APIError(
        '500', explanation='VolumeDriver.Create: option connection_info is '
                           'required')
    with pytest.raises(exception.DockerError) as raised:
        engine.volume_create('v', 'fuxi', {})
    assert 'connection_info is required' in str(raised.value)


def test_volume_remove_of_a_volume_already_gone(engine, client):
    client.remove_volume.side_effect = docker_errors.NotFound('no such')
    engine.volume_remove('v')


def test_volume_remove_of_a_volume_in_use_fails(engine, client):
    client.remove_volume.side_effect = docker_errors.APIError(
        '409', explanation='volume is in use')
    with pytest.raises(exception.DockerError):
        engine.volume_remove('v')


def test_volume_exists(engine, client):
    assert engine.volume_exists('v')
    client.inspect_volume.side_effect = docker_errors.NotFound('no such')
    assert not engine.volume_exists('v')


def test_the_fake_engine_has_the_real_engines_volume_interface():
    for name in ('create', 'volume_create', 'volume_exists',
                 'volume_remove'):
        fake = getattr(volume_fakes.FakeVolumeEngine, name)
        real = getattr(engine_module.DockerEngine, name)
        assert inspect.signature(fake) == inspect.signature(real), name
