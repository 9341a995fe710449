"""Bad requests get a 4xx with a message that says what is wrong."""

import pytest

from tests.functional import harness


@pytest.fixture(scope='module')
def running(snapzun):
    api = harness.Api(snapzun.endpoint)
    uuid = api.create(name='target', command=['sleep', '600'])['uuid']
    api.wait_status(uuid, 'Running')
    yield uuid
    api.delete(f'/v1/containers/{uuid}', params={'force': True})
    api.wait_gone(uuid)


def _post_raw(api, path, data, content_type='application/json'):
    return api.post(path, data=data, headers={'Content-Type': content_type})


@pytest.mark.parametrize('body, status, words', [
    (b'{not json', 400, 'not valid JSON'),
    (b'[1, 2]', 400, 'must be a JSON object'),
    (b'{"image": 42}', 400, "field/attribute image"),
    (b'{"image": "x", "bogus": 1}', 400, "'bogus' was unexpected"),
    (b'{"name": "x"}', 400, "'image' is a required property"),
    (b'{"image": "x", "memory": "2"}', 400, 'between 4 and 8192'),
    (b'{"image": "x", "memory": "lots"}', 400, 'field/attribute memory'),
    (b'{"image": "x", "cpu": 99}', 400, 'field/attribute cpu'),
    (b'{"image": "x", "name": "-bad"}', 400, 'field/attribute name'),
    (b'{"image": "x", "command": "sleep 1"}', 400,
     'field/attribute command'),
    (b'{"image": "x", "restart_policy": {"Name": "always", '
     b'"MaximumRetryCount": "3"}}', 400, 'takes no MaximumRetryCount'),
    (b'{"image": "x", "mounts": [{"destination": "d", "size": "1"}]}', 400,
     'mounts/0/destination'),
    (b'{"image": "x", "privileged": true}', 403,
     'container:create:privileged'),
])
def test_create_rejects(api, body, status, words):
    response = _post_raw(api, '/v1/containers', body)
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


def test_create_wrong_media_type(api):
    response = _post_raw(api, '/v1/containers', b'image=x', 'text/plain')
    assert response.status_code == 415
    assert 'text/plain' in harness.error_of(response)


def test_field_from_a_later_microversion(snapzun):
    old = harness.Api(snapzun.endpoint, version='container 1.19')
    response = old.post('/v1/containers',
                        json={'image': 'x', 'command': ['sleep', '1']})
    assert response.status_code == 400
    assert 'command' in harness.error_of(response)
    response = old.delete('/v1/containers/whatever', params={'stop': True})
    assert response.status_code in (400, 404)


def test_old_microversion_takes_command_string(snapzun, cleanup):
    old = harness.Api(snapzun.endpoint, version='container 1.19')
    created = old.create(command='sh -c "sleep 300"')
    cleanup.append(created['uuid'])
    assert created['command'] == ['sh', '-c', 'sleep 300']


@pytest.mark.parametrize('header', ['container 1.99', 'container 2.0',
                                    'container one'])
def test_unsupported_microversion(snapzun, header):
    response = harness.Api(snapzun.endpoint, version=header).get(
        '/v1/containers')
    assert response.status_code == 406
    assert '1.40' in harness.error_of(response)


def test_unknown_container(api):
    for method, path in (('GET', '/v1/containers/nope'),
                         ('POST', '/v1/containers/nope/start'),
                         ('DELETE', '/v1/containers/nope'),
                         ('GET', '/v1/containers/nope/logs'),
                         ('GET', '/v1/containers/'
                                 '00000000-0000-0000-0000-000000000000')):
        response = api.request(method, path)
        assert response.status_code == 404, (method, path)
        assert 'could not be found' in harness.error_of(response)


def test_unknown_path_and_method(api, running):
    response = api.get('/v1/nothing-here')
    assert response.status_code == 404
    harness.error_of(response)
    response = api.request('PUT', f'/v1/containers/{running}')
    assert response.status_code == 405
    harness.error_of(response)


@pytest.mark.parametrize('action, params, words', [
    ('stop', {'timeout': 'soon'}, 'field/attribute timeout'),
    ('stop', {'timeout': -1}, 'field/attribute timeout'),
    ('kill', {'signal': 'SIGNOPE'}, 'field/attribute signal'),
    ('start', {'extra': 1}, "'extra' was unexpected"),
    ('execute', {}, "'command' is a required property"),
    ('execute', {'command': 'echo "unbalanced'}, 'field/attribute command'),
    ('execute', {'command': 'sh', 'interactive': True}, 'non-interactive'),
])
def test_action_parameters(api, running, action, params, words):
    response = api.action(running, action, **params)
    assert response.status_code == 400, response.text
    assert words in harness.error_of(response)


def test_action_not_allowed_in_state(api, running):
    response = api.action(running, 'unpause')
    assert response.status_code == 409
    assert 'Running state' in harness.error_of(response)
    response = api.action(running, 'start')
    assert response.status_code == 409
    response = api.delete(f'/v1/containers/{running}')
    assert response.status_code == 409
    assert 'Cannot delete' in harness.error_of(response)


def test_busy_container_refuses_a_second_action(api, cleanup):
    # sleep as PID 1 ignores SIGTERM, so the stop waits out its timeout.
    uuid = api.create(command=['sleep', '300'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    assert api.action(uuid, 'stop', timeout=3).status_code == 202
    response = api.action(uuid, 'pause')
    assert response.status_code == 409
    assert 'container_stopping' in harness.error_of(response)
    api.wait_status(uuid, 'Stopped')


@pytest.mark.parametrize('params, status, words', [
    ({'sort_key': 'bogus'}, 400, 'sort_key'),
    ({'sort_dir': 'sideways'}, 400, 'field/attribute sort_dir'),
    ({'limit': 0}, 400, 'field/attribute limit'),
    ({'limit': 'many'}, 400, 'field/attribute limit'),
    ({'colour': 'blue'}, 400, "'colour' was unexpected"),
    ({'marker': '00000000-0000-0000-0000-000000000000'}, 404, 'could not'),
])
def test_list_rejects(api, params, status, words):
    response = api.get('/v1/containers', params=params)
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


def test_patch_rejects(api, running):
    for body, words in (({}, 'Invalid input'),
                        ({'memory': '1'}, 'between 4 and 8192'),
                        ({'image': 'other'}, "'image' was unexpected")):
        response = api.patch(f'/v1/containers/{running}', json=body)
        assert response.status_code == 400, response.text
        assert words in harness.error_of(response)


def test_duplicate_names_are_ambiguous(api, cleanup):
    for _ in range(2):
        cleanup.append(api.create(run=False, name='twin')['uuid'])
    response = api.get('/v1/containers/twin')
    assert response.status_code == 409
    assert 'uuid instead' in harness.error_of(response)


def test_logs_bad_parameters(api, running):
    response = api.get(f'/v1/containers/{running}/logs',
                       params={'tail': 'some'})
    assert response.status_code == 400
    assert 'field/attribute tail' in harness.error_of(response)
