"""The whole WSGI application, in process, in noauth mode.

The compute API is real and writes to the test database; RPC is faked,
so what it would send to the conductor and the agents is recorded.
"""

from unittest import mock

from oslo_serialization import jsonutils
import pytest
import webtest

from snapzun.api import app as app_module
from snapzun.common import states
from snapzun.compute import api as compute_api
from snapzun.db import api as db_api
from tests.unit import fakes

URL = 'http://localhost'
VERSION = 'OpenStack-API-Version'


@pytest.fixture
def app(db, fake_rpc, conf):
    conf.set('auth_strategy', 'noauth', group='api')
    fakes.make_service('test-host')
    return webtest.TestApp(app_module.setup_app())


def _as(project=fakes.PROJECT_A, roles='member,reader', version=None):
    headers = {'X-Project-Id': project, 'X-User-Id': f'user-of-{project}',
               'X-Roles': roles}
    if version is not None:
        headers[VERSION] = f'container {version}'
    return headers


MEMBER_A = _as()
MEMBER_B = _as(fakes.PROJECT_B)
ADMIN = _as('admin-project', roles='admin')


def _error(response):
    [error] = response.json['errors']
    assert error['status'] == response.status_int
    assert error['request_id'] == response.headers['x-openstack-request-id']
    return error


def _create(app, headers=MEMBER_A, **body):
    body.setdefault('image', 'busybox')
    return app.post_json('/v1/containers', body, headers=headers, status=202)


def _stored(ctx=None, **values):
    """A container already placed on test-host, in project A."""
    return fakes.make_container(ctx or fakes.context(), **values)


# Version documents and microversions

def test_root_document(app):
    response = app.get('/')

    [version] = response.json['versions']
    assert version == response.json['default_version']
    assert (version['id'], version['status']) == ('v1', 'CURRENT')
    assert (version['min_version'], version['max_version']) == ('1.1',
                                                                '1.40')
    assert version['links'] == [{'href': f'{URL}/v1/', 'rel': 'self'}]
    assert VERSION not in response.headers


def test_v1_document_echoes_the_microversion(app):
    default = app.get('/v1')
    asked = app.get('/v1/', headers={VERSION: 'container 1.30'})

    assert default.json['containers'][0] == {
        'href': f'{URL}/v1/containers/', 'rel': 'self'}
    assert default.headers[VERSION] == 'container 1.1'
    assert asked.headers[VERSION] == 'container 1.30'
    assert asked.headers['OpenStack-API-Minimum-Version'] == 'container 1.1'
    assert asked.headers['OpenStack-API-Maximum-Version'] == \
        'container 1.40'
    assert asked.headers['Vary'] == VERSION


def test_latest_is_the_maximum(app):
    response = app.get('/v1/containers', headers=_as(version='latest'))

    assert response.headers[VERSION] == 'container 1.40'


def test_errors_on_v1_echo_the_microversion(app):
    response = app.get('/v1/containers/nobody',
                       headers=_as(version='1.30'), status=404)

    assert response.headers[VERSION] == 'container 1.30'
    assert _error(response)['code'] == 'snapzun.container.not_found'


def test_unsupported_microversion_is_406_with_the_range(app):
    response = app.get('/v1/containers', headers=_as(version='1.99'),
                       status=406)

    error = _error(response)
    assert error['code'] == 'snapzun.microversion.unsupported'
    assert (error['min_version'], error['max_version']) == ('1.1', '1.40')
    assert '1.99' in error['detail']
    assert response.headers['OpenStack-API-Maximum-Version'] == \
        'container 1.40'


# Errors from outside the handlers

def test_unknown_path_is_404_in_zuns_error_body(app):
    response = app.get('/v1/nothing', status=404)

    error = _error(response)
    assert (error['code'], error['title']) == ('snapzun.http.404',
                                               'Not Found')
    assert response.content_type == 'application/json'


def test_wrong_method_is_405_in_zuns_error_body(app):
    response = app.put_json('/v1/containers', {}, status=405)

    assert _error(response)['code'] == 'snapzun.http.405'
    assert 'PUT' in _error(response)['detail']


def test_405_keeps_the_allow_header(app):
    """RFC 9110 15.5.6: a 405 response MUST carry Allow."""
    response = app.put_json('/v1/containers', {}, status=405)

    assert 'POST' in response.headers.get('Allow', '')


@pytest.mark.parametrize('method', ['delete', 'patch_json'])
def test_collection_without_an_ident_is_a_client_error(app, method):
    """DELETE or PATCH /v1/containers names no container: 4xx, not 500."""
    kwargs = {'params': {}} if method == 'patch_json' else {}
    response = getattr(app, method)('/v1/containers', headers=MEMBER_A,
                                    expect_errors=True, **kwargs)

    assert response.status_int in (404, 405)


def test_unexpected_error_is_500_with_a_correlation_id(app, caplog):
    with mock.patch.object(compute_api.API, 'create', autospec=True,
                           side_effect=RuntimeError('secret db password')):
        response = app.post_json('/v1/containers', {'image': 'busybox'},
                                 headers=MEMBER_A, status=500)

    error = _error(response)
    assert error['code'] == 'snapzun.internal_error'
    assert 'Correlation id is:' in error['detail']
    correlation = error['detail'].rsplit(' ', 1)[1]
    assert 'secret' not in response.text
    assert 'Traceback' not in response.text
    assert correlation in caplog.text
    assert 'secret db password' in caplog.text


# Containers

def test_create_is_202_with_location_and_view(app, fake_rpc):
    response = _create(app, headers=_as(version='1.40'), name='web',
                       command=['sleep', '60'], entrypoint=['/bin/sh'])

    shown = response.json
    assert response.headers['Location'] == \
        f"{URL}/v1/containers/{shown['uuid']}"
    assert (shown['name'], shown['status'], shown['task_state']) == (
        'web', states.CREATING, states.CONTAINER_CREATING)
    assert (shown['command'], shown['entrypoint']) == (['sleep', '60'],
                                                       ['/bin/sh'])
    assert (shown['memory'], shown['cpu']) == ('512', 1.0)
    assert shown['restart_policy'] == {'Name': 'no',
                                       'MaximumRetryCount': '0'}
    assert shown['project_id'] == fakes.PROJECT_A
    assert 'host' not in shown
    [sent] = fake_rpc.messages
    assert (sent.method, sent.kwargs) == (
        'schedule_and_create', {'container_uuid': shown['uuid'],
                                'run': False})


def test_create_and_run(app, fake_rpc):
    app.post_json('/v1/containers?run=true', {'image': 'busybox'},
                  headers=MEMBER_A, status=202)

    assert fake_rpc.messages[-1].kwargs['run'] is True


def test_create_before_1_20_splits_a_command_string(app):
    response = _create(app, headers=_as(version='1.19'),
                       command='sh -c "echo hi"')

    assert response.json['command'] == ['sh', '-c', 'echo hi']


def test_create_refuses_a_field_of_a_later_microversion(app):
    response = app.post_json('/v1/containers',
                             {'image': 'busybox', 'host': 'test-host'},
                             headers=_as(version='1.38'), status=400)

    assert "'host' was unexpected" in _error(response)['detail']


def test_admin_sees_admin_fields(app):
    response = _create(app, headers=ADMIN)

    assert 'host' in response.json


def test_create_with_a_malformed_body(app):
    response = app.post('/v1/containers', b'{not json', headers=MEMBER_A,
                        content_type='application/json', status=400)

    assert _error(response)['code'] == 'snapzun.request.malformed'


def test_reader_cannot_create(app, fake_rpc):
    response = app.post_json('/v1/containers', {'image': 'busybox'},
                             headers=_as(roles='reader'), status=403)

    assert _error(response)['code'] == 'snapzun.auth.forbidden'
    assert fake_rpc.messages == []


def test_show_by_uuid_and_by_name(app):
    container = _stored(name='web')

    by_uuid = app.get(f'/v1/containers/{container.uuid}', headers=MEMBER_A)
    by_name = app.get('/v1/containers/web', headers=MEMBER_A)

    assert by_uuid.json == by_name.json
    assert by_uuid.json['uuid'] == container.uuid


def test_list_pages_with_next_links(app):
    for name in ('c1', 'c2', 'c3'):
        _stored(name=name)

    first = app.get('/v1/containers?limit=2', headers=MEMBER_A).json
    second = app.get(first['next'], headers=MEMBER_A).json

    assert [c['name'] for c in first['containers']] == ['c1', 'c2']
    assert [c['name'] for c in second['containers']] == ['c3']
    assert second['next'] is None


def test_list_with_an_unknown_sort_key_is_400(app):
    response = app.get('/v1/containers?sort_key=secret', headers=MEMBER_A,
                       status=400)

    assert 'sort_key secret' in _error(response)['detail']


def test_delete_is_204_with_an_empty_body(app, fake_rpc):
    container = _stored(status=states.STOPPED)

    response = app.delete(f'/v1/containers/{container.uuid}',
                          headers=MEMBER_A, status=204)

    assert response.body == b''
    assert fake_rpc.messages[-1].method == 'container_delete'
    assert db_api.container_get(fakes.context(), container.uuid).status == \
        states.DELETING


def test_delete_force_needs_microversion_1_7(app):
    container = _stored(status=states.RUNNING)

    response = app.delete(f'/v1/containers/{container.uuid}?force=True',
                          headers=_as(version='1.6'), status=400)

    assert _error(response)['code'] == 'snapzun.request.param_in_version'


def test_action_in_a_forbidden_state_is_409(app):
    container = _stored(status=states.CREATED)

    response = app.post(f'/v1/containers/{container.uuid}/stop',
                        headers=MEMBER_A, status=409)

    assert _error(response)['code'] == 'snapzun.container.invalid_state'


def test_stop_with_a_query_timeout(app, fake_rpc):
    container = _stored(status=states.RUNNING)

    app.post(f'/v1/containers/{container.uuid}/stop?timeout=5',
             headers=MEMBER_A, status=202)

    assert fake_rpc.messages[-1].kwargs == {
        'container_uuid': container.uuid, 'timeout': 5}


def test_logs_since_a_date_survives_the_wire(app, fake_rpc):
    """RPC arguments must be JSON: a real broker sends nothing else.

    A datetime arrives at the agent as a string, which docker-py's
    logs(since=...) refuses (datetime, int or float only).
    """
    container = _stored(status=states.RUNNING, container_id='c1')
    fake_rpc.replies['container_logs'] = 'hello\n'

    app.get(f'/v1/containers/{container.uuid}/logs',
            params={'since': '2026-01-02 03:04:05'}, headers=MEMBER_A)

    kwargs = fake_rpc.messages[-1].kwargs
    assert jsonutils.loads(jsonutils.dumps(kwargs)) == kwargs


def test_container_actions_are_listed(app):
    response = _create(app)
    uuid = response.json['uuid']

    actions = app.get(f'/v1/containers/{uuid}/container_actions',
                      headers=MEMBER_A).json['containerActions']

    assert [a['action'] for a in actions] == ['create']
    request_id = actions[0]['request_id']
    assert request_id == response.headers['x-openstack-request-id']
    shown = app.get(f'/v1/containers/{uuid}/container_actions/{request_id}',
                    headers=MEMBER_A).json
    assert shown['events'] == []


def test_services_are_for_admins(app):
    services = app.get('/v1/services', headers=ADMIN).json['services']

    assert [(s['host'], s['state']) for s in services] == [
        ('test-host', 'up')]
    app.get('/v1/services', headers=MEMBER_A, status=403)


# Projects in noauth mode

def test_a_project_cannot_see_another_projects_container(app):
    theirs = _create(app, headers=MEMBER_B, name='theirs').json

    app.get(f"/v1/containers/{theirs['uuid']}", headers=MEMBER_A,
            status=404)
    app.get('/v1/containers/theirs', headers=MEMBER_A, status=404)
    app.delete(f"/v1/containers/{theirs['uuid']}", headers=MEMBER_A,
               status=404)
    assert app.get('/v1/containers',
                   headers=MEMBER_A).json['containers'] == []
    assert [c['uuid'] for c in app.get(
        '/v1/containers', headers=MEMBER_B).json['containers']] == [
        theirs['uuid']]


def test_a_member_cannot_list_all_projects(app):
    response = app.get('/v1/containers?all_projects=True',
                       headers=MEMBER_A, status=403)

    assert 'container:get_all_all_projects' in _error(response)['detail']


def test_an_admin_sees_every_project(app):
    mine = _create(app, headers=MEMBER_A).json
    theirs = _create(app, headers=MEMBER_B).json

    listed = app.get('/v1/containers?all_projects=1', headers=ADMIN).json
    shown = app.get(f"/v1/containers/{theirs['uuid']}", headers=ADMIN).json

    assert {c['uuid'] for c in listed['containers']} == {mine['uuid'],
                                                         theirs['uuid']}
    assert shown['project_id'] == fakes.PROJECT_B


def test_noauth_without_headers_is_an_admin_of_the_noauth_project(app):
    response = _create(app, headers={})

    assert response.json['project_id'] == 'noauth'
    assert 'host' in response.json


# Zun also serves /containers without the /v1 prefix

def test_unversioned_container_paths_work_like_v1(app, fake_rpc):
    created = app.post_json('/containers', {'image': 'busybox'},
                            headers=MEMBER_A, expect_errors=True)

    assert created.status_int == 202, created.text
    app.get(f"/containers/{created.json['uuid']}", headers=MEMBER_A)
