"""Request schemas, per microversion."""

import pytest

from snapzun import exception
from snapzun.api import validation
from snapzun.api import versions
from snapzun.api.schemas import containers as schema


def _accepts(version, body):
    try:
        validation.validate(schema.create(version), body)
    except exception.ValidationError:
        return False
    return True


@pytest.mark.parametrize('minor, string_ok, list_ok', [
    (1, True, False), (19, True, False), (20, False, True),
    (40, False, True),
])
def test_command_is_a_string_before_1_20_and_a_list_from_it(
        minor, string_ok, list_ok):
    assert _accepts((1, minor), {'image': 'x', 'command': 'sleep 1'}) is \
        string_ok
    assert _accepts((1, minor), {'image': 'x',
                                 'command': ['sleep', '1']}) is list_ok


@pytest.mark.parametrize('field, value, minor', [
    ('auto_remove', True, 3),
    ('runtime', 'runc', 5),
    ('hostname', 'web', 9),
    ('privileged', False, 21),
    ('healthcheck', {'test': 'true'}, 22),
    ('exposed_ports', {'80/tcp': {}}, 24),
    ('host', 'compute1', 39),
    ('entrypoint', ['sh', '-c'], 40),
])
def test_fields_appear_at_their_microversion(field, value, minor):
    body = {'image': 'x', field: value}

    assert not _accepts((1, minor - 1), body)
    assert _accepts((1, minor), body)
    assert _accepts(versions.MAX_VERSION, body)


def test_create_schemas_are_independent_copies():
    old = schema.create((1, 1))
    old['properties']['command']['maxLength'] = 1

    assert schema.create((1, 1))['properties']['command']['maxLength'] == \
        4096


@pytest.mark.parametrize('body', [
    {},
    {'image': ''},
    {'image': 'x', 'name': 'a'},
    {'image': 'x', 'name': '-web'},
    {'image': 'x', 'name': 'has space'},
    {'image': 'x', 'memory': '1g'},
    {'image': 'x', 'cpu': 'lots'},
    {'image': 'x', 'image_pull_policy': 'sometimes'},
    {'image': 'x', 'restart_policy': {'Name': 'sometimes'}},
    {'image': 'x', 'labels': {'a': 1}},
    {'image': 'x', 'nets': [{'network': 'n'}]},
])
def test_create_refuses(body):
    assert not _accepts((1, 40), body)


def test_create_accepts_a_full_body():
    assert _accepts((1, 40), {
        'image': 'busybox', 'name': 'web.1', 'command': ['sleep', '60'],
        'cpu': 0.5, 'memory': '256', 'workdir': '/srv',
        'image_pull_policy': 'ifnotpresent', 'image_driver': 'docker',
        'labels': {'a': 'b'}, 'environment': {'X': '1'},
        'restart_policy': {'Name': 'on-failure', 'MaximumRetryCount': 2},
        'interactive': False, 'tty': False, 'auto_heal': False,
        'nets': [], 'security_groups': ['default'], 'auto_remove': True,
        'hostname': 'web', 'healthcheck': {'cmd': 'true', 'interval': 5},
        'entrypoint': None, 'host': None})


@pytest.mark.parametrize('signal, ok', [
    ('SIGKILL', True), ('KILL', True), ('kill', True), ('9', True),
    (None, True), ('SIGNOPE', False), ('99', False),
])
def test_kill_signals(signal, ok):
    try:
        validation.validate(schema.kill_params, {'signal': signal})
    except exception.ValidationError:
        assert not ok
    else:
        assert ok


@pytest.mark.parametrize('since, ok', [
    ('1700000000', True), ('2026-01-02 03:04:05', True),
    ('2026-01-02 03:04:05,123', True), ('yesterday', False),
    ('2026-01-02T03:04:05', False),
])
def test_logs_since(since, ok):
    try:
        validation.checked_params(schema.logs_params, {'since': since})
    except exception.ValidationError:
        assert not ok
    else:
        assert ok


def test_update_needs_a_field():
    with pytest.raises(exception.ValidationError):
        validation.validate(schema.update, {})
    assert validation.validate(schema.update, {'name': 'web'})
