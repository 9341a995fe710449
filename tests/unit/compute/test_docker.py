"""snapzun.compute.docker: Docker states, errors and engine calls."""

import inspect
from unittest import mock

import docker
from docker import errors as docker_errors
import pytest
import requests

from snapzun import exception
from snapzun.compute import docker as engine_module
from tests.unit import fakes


@pytest.mark.parametrize('docker_state, status', [
    ('created', 'Created'), ('running', 'Running'), ('paused', 'Paused'),
    ('restarting', 'Restarting'), ('removing', 'Deleting'),
    ('exited', 'Stopped'), ('dead', 'Dead'), ('no-such-state', 'Unknown'),
    (None, 'Unknown'),
])
def test_status_of(docker_state, status):
    assert engine_module.status_of(docker_state) == status


# translate_errors

def _raise_in(error, **kwargs):
    with engine_module.translate_errors(**kwargs):
        raise error


def test_not_found_of_a_container_means_it_vanished():
    with pytest.raises(exception.ContainerVanished) as raised:
        _raise_in(docker_errors.NotFound('404 gone'), container='c1')
    assert 'c1' in str(raised.value)


def test_not_found_while_only_an_image_is_named_is_image_not_found():
    with pytest.raises(exception.ImageNotFound) as raised:
        _raise_in(docker_errors.NotFound('404'), image='busybox')
    assert 'busybox' in str(raised.value)


def test_image_not_found_wins_over_the_container():
    with pytest.raises(exception.ImageNotFound) as raised:
        _raise_in(docker_errors.ImageNotFound('404 no such image'),
                  container='c1', image='nope')
    assert 'nope' in str(raised.value)


def test_api_error_carries_the_engine_explanation():
    with pytest.raises(exception.DockerError) as raised:
        _raise_in(docker_errors.APIError(
            '409 Client Error', explanation='container is paused'),
            container='c1')
    assert str(raised.value) == 'Docker error: container is paused'
    assert raised.value.code == 500


def test_api_error_without_explanation_uses_the_message():
    with pytest.raises(exception.DockerError) as raised:
        _raise_in(docker_errors.APIError('500 Server Error'))
    assert '500 Server Error' in str(raised.value)


@pytest.mark.parametrize('error', [
    requests.exceptions.ConnectionError('connection refused'),
    requests.exceptions.ReadTimeout('read timed out'),
    docker_errors.DockerException('cannot connect'),
])
def test_unreachable_engine_is_docker_unavailable(error):
    with pytest.raises(exception.DockerUnavailable) as raised:
        _raise_in(error, container='c1')
    assert raised.value.code == 503
    assert str(error) in str(raised.value)


def test_other_errors_pass_untouched():
    with pytest.raises(KeyError):
        _raise_in(KeyError('x'), container='c1')


# DockerEngine on a faked docker-py client

@pytest.fixture
def client():
    return mock.create_autospec(docker.APIClient, instance=True)


@pytest.fixture
def engine(client):
    return engine_module.DockerEngine(client=client)


def test_remove_of_a_vanished_container_is_not_an_error(engine, client):
    client.remove_container.side_effect = docker_errors.NotFound('404')

    engine.remove('c1', force=True)

    client.remove_container.assert_called_once_with('c1', force=True)


def test_image_exists(engine, client):
    client.inspect_image.side_effect = [
        {'Id': 'sha256:1'}, docker_errors.ImageNotFound('404')]

    assert engine.image_exists('busybox')
    assert not engine.image_exists('nope')


@pytest.mark.parametrize('ref, repository, tag', [
    ('busybox', 'busybox', 'latest'),
    ('busybox:1.36', 'busybox', '1.36'),
    ('localhost:5000/app', 'localhost:5000/app', 'latest'),
    ('localhost:5000/app:v2', 'localhost:5000/app', 'v2'),
])
def test_pull_splits_the_tag(engine, client, ref, repository, tag):
    engine.pull(ref)

    client.pull.assert_called_once_with(repository, tag=tag)


def test_create_translates_the_container_row(engine, client):
    client.create_container.return_value = {'Id': 'abc'}
    container = mock.Mock(
        uuid='u1', host='h1', memory='256', cpu=0.5, labels={'app': 'web'},
        restart_policy={'Name': 'on-failure', 'MaximumRetryCount': '3'},
        privileged=False, command=['sleep', '9'], entrypoint=[],
        hostname='web', workdir=None, environment={}, tty=False,
        interactive=True, healthcheck={'test': 'true', 'interval': '5',
                                       'retries': 2, 'timeout': None})

    assert engine.create(container, 'busybox') == 'abc'

    host_config = client.create_host_config.call_args.kwargs
    assert host_config['mem_limit'] == 256 * 1024 * 1024
    assert (host_config['cpu_period'], host_config['cpu_quota']) == (
        100000, 50000)
    assert host_config['restart_policy'] == {'Name': 'on-failure',
                                             'MaximumRetryCount': 3}
    args = client.create_container.call_args
    assert args.args == ('busybox',)
    assert args.kwargs['name'] == 'snapzun-u1'
    assert args.kwargs['labels'] == {'app': 'web', 'snapzun.uuid': 'u1',
                                     'snapzun.host': 'h1'}
    assert args.kwargs['command'] == ['sleep', '9']
    assert args.kwargs['entrypoint'] is None
    assert args.kwargs['environment'] is None
    assert args.kwargs['stdin_open'] is True
    assert args.kwargs['healthcheck'] == {
        'test': ['CMD-SHELL', 'true'], 'interval': 5 * 10 ** 9,
        'timeout': 0, 'retries': 2}


def test_update_lifts_the_swap_limit_with_memory(engine, client):
    engine.update('c1', memory='1024', cpu=2.0)

    client.update_container.assert_called_once_with(
        'c1', mem_limit=1024 * 1024 * 1024, memswap_limit=-1,
        cpu_period=100000, cpu_quota=200000)


def test_list_managed_keys_this_hosts_containers_by_uuid(engine, client):
    client.containers.return_value = [
        {'Id': 'a', 'Labels': {'snapzun.uuid': 'u1', 'snapzun.host': 'h1'}},
        {'Id': 'b', 'Labels': {}},
        {'Id': 'c', 'Labels': None},
    ]

    managed = engine.list_managed('h1')

    assert {uuid: s['Id'] for uuid, s in managed.items()} == {'u1': 'a'}
    client.containers.assert_called_once_with(
        all=True, filters={'label': 'snapzun.host=h1'})


def test_execute_returns_exit_code_and_decoded_output(engine, client):
    client.exec_create.return_value = {'Id': 'e1'}
    client.exec_start.return_value = b'hello\xff\n'
    client.exec_inspect.return_value = {'ExitCode': 3}

    assert engine.execute('c1', ['echo', 'hello']) == (3, 'hello\ufffd\n')


def test_the_fake_engine_has_the_real_engines_interface():
    """Flows tested on FakeEngine call what DockerEngine offers."""
    for name, method in inspect.getmembers(fakes.FakeEngine,
                                           inspect.isfunction):
        if name.startswith('_') or name in ('vanish', 'set_state'):
            continue
        real = getattr(engine_module.DockerEngine, name)
        assert inspect.signature(method) == inspect.signature(real), name
