"""/v1/volumes and containers' mounts, through the whole WSGI app.

noauth mode; the database is real, RPC and Cinder are fakes.
"""

from cinderclient import exceptions as cinder_exc
import pytest
import webtest

from snapzun.api import app as app_module
from snapzun.db import api as db_api
from snapzun.volume import states as volume_states
from tests.unit import fakes
from tests.unit.volume import volume_fakes

URL = 'http://localhost'
VIEW_KEYS = {'uuid', 'name', 'size', 'driver', 'cinder_volume_id', 'status',
             'attachments', 'project_id', 'created_at', 'updated_at',
             'links'}


@pytest.fixture
def cinder(monkeypatch, conf):
    conf.set('poll_interval', 0.01, group='volume')
    conf.set('timeout_wait_available', 1, group='volume')
    return volume_fakes.use_fake_cinder(monkeypatch)


@pytest.fixture
def app(db, fake_rpc, conf, cinder):
    conf.set('auth_strategy', 'noauth', group='api')
    fakes.make_service('test-host')
    return webtest.TestApp(app_module.setup_app())


def _as(project=fakes.PROJECT_A, roles='member,reader', version='1.40'):
    return {'X-Project-Id': project, 'X-User-Id': f'user-of-{project}',
            'X-Roles': roles, 'OpenStack-API-Version': f'container {version}'}


MEMBER_A = _as()
MEMBER_B = _as(fakes.PROJECT_B)
READER_A = _as(roles='reader')
ADMIN = _as('admin-project', roles='admin')


def _error(response):
    [error] = response.json['errors']
    assert error['status'] == response.status_int
    return error['title']


def _volume(app, headers=MEMBER_A, status=201, **body):
    body.setdefault('size', 1)
    return app.post_json('/v1/volumes', body, headers=headers,
                         status=status)


def _container(app, headers=MEMBER_A, status=202, **body):
    body.setdefault('image', 'busybox')
    return app.post_json('/v1/containers', body, headers=headers,
                         status=status)


# /v1/volumes

def test_create_a_local_volume(app):
    response = _volume(app, name='data', size='2', driver='local')

    view = response.json
    assert set(view) == VIEW_KEYS
    assert (view['name'], view['size'], view['driver'], view['status']) == (
        'data', 2, 'local', 'available')
    assert view['attachments'] == [] and view['cinder_volume_id'] is None
    assert view['project_id'] == fakes.PROJECT_A
    assert response.headers['Location'] == (
        f'{URL}/v1/volumes/{view["uuid"]}')
    assert view['links'][0] == {'href': response.headers['Location'],
                                'rel': 'self'}


def test_the_default_driver_is_configurable(app, conf):
    assert _volume(app).json['driver'] == 'local'
    conf.set('default_driver', 'cinder', group='volume')
    assert _volume(app).json['driver'] == 'cinder'


def test_create_a_cinder_volume(app, cinder):
    view = _volume(app, name='db', size=3, driver='cinder').json

    created = cinder.volumes[view['cinder_volume_id']]
    assert (created.name, created.size) == ('db', 3)
    assert view['status'] == 'available'


@pytest.mark.parametrize('body, words', [
    ({'size': 0}, 'from 1 to 100'),
    ({'size': -1}, 'from 1 to 100'),
    ({'size': '1.5'}, 'whole number of GiB'),
    ({'size': 101}, 'from 1 to 100'),
    ({'size': True}, 'is not of type'),
    ({'size': 1, 'driver': 'nfs'}, "'nfs' is not one of"),
    ({'size': 1, 'name': '-x'}, 'field/attribute name'),
    ({'size': 1, 'name': '6f1ad8f4-0c3e-4a43-9d0f-3a9b8b0f6a11'},
     'cannot look like a uuid'),
    ({'name': 'x1'}, "'size' is a required property"),
    ({'size': 1, 'type': 'ssd'}, "'type' was unexpected"),
])
def test_create_refuses_bad_input(app, body, words):
    response = app.post_json('/v1/volumes', body, headers=MEMBER_A,
                             status=400)
    assert words in _error(response)


def test_names_are_unique_in_a_project(app):
    _volume(app, name='data')
    response = _volume(app, name='data', status=409)
    assert 'already exists' in _error(response)
    _volume(app, headers=MEMBER_B, name='data')


def test_a_cinder_failure_leaves_nothing(app, cinder):
    cinder.created_status = 'error'
    response = _volume(app, name='db', driver='cinder', status=502)
    assert 'went to status error' in _error(response)
    assert cinder.volumes == {}
    assert app.get('/v1/volumes', headers=MEMBER_A).json['volumes'] == []


def test_cinders_quota_is_a_403(app, cinder):
    cinder.fail['create'] = cinder_exc.OverLimit(
        413, message='VolumeSizeExceedsAvailableQuota')
    response = _volume(app, driver='cinder', status=403)
    assert 'VolumeSizeExceedsAvailableQuota' in _error(response)
    assert app.get('/v1/volumes', headers=MEMBER_A).json['volumes'] == []


def test_list_and_show_are_project_scoped(app, cinder):
    mine = _volume(app, name='mine', driver='cinder').json
    theirs = _volume(app, headers=MEMBER_B, name='theirs').json

    listed = app.get('/v1/volumes', headers=MEMBER_A).json['volumes']
    assert [v['uuid'] for v in listed] == [mine['uuid']]
    for ident in (mine['uuid'], 'mine', mine['cinder_volume_id']):
        shown = app.get(f'/v1/volumes/{ident}', headers=READER_A).json
        assert shown['uuid'] == mine['uuid']
    app.get(f'/v1/volumes/{theirs["uuid"]}', headers=MEMBER_A, status=404)
    app.get('/v1/volumes?all_projects=1', headers=MEMBER_A, status=403)
    everything = app.get('/v1/volumes?all_projects=1', headers=ADMIN).json
    assert len(everything['volumes']) == 2


def test_readers_read_members_write(app):
    volume = _volume(app).json
    _volume(app, headers=READER_A, status=403)
    app.delete(f'/v1/volumes/{volume["uuid"]}', headers=READER_A,
               status=403)
    app.delete(f'/v1/volumes/{volume["uuid"]}', headers=MEMBER_B,
               status=404)
    app.delete(f'/v1/volumes/{volume["uuid"]}', headers=ADMIN, status=204)


def test_delete_a_cinder_volume(app, cinder):
    volume = _volume(app, driver='cinder').json
    response = app.delete(f'/v1/volumes/{volume["uuid"]}',
                          headers=MEMBER_A, status=204)
    assert response.body == b''
    assert cinder.volumes == {}
    app.get(f'/v1/volumes/{volume["uuid"]}', headers=MEMBER_A, status=404)


def test_delete_a_local_volume_on_its_host(app, fake_rpc):
    volume = _volume(app, driver='local').json
    db_api.volume_update(fakes.admin_context(), volume['uuid'],
                         {'host': 'test-host'})

    app.delete(f'/v1/volumes/{volume["uuid"]}', headers=MEMBER_A,
               status=204)

    [sent] = fake_rpc.sent('volume_delete')
    assert (sent.kind, sent.server, sent.version, sent.kwargs) == (
        'call', 'test-host', '1.2', {'volume_uuid': volume['uuid']})


def test_delete_that_cinder_refuses_changes_nothing(app, cinder):
    volume = _volume(app, driver='cinder').json
    cinder.volumes[volume['cinder_volume_id']].status = 'in-use'

    response = app.delete(f'/v1/volumes/{volume["uuid"]}',
                          headers=MEMBER_A, status=409)

    assert 'status must be available' in _error(response)
    assert app.get(f'/v1/volumes/{volume["uuid"]}',
                   headers=MEMBER_A).json['status'] == 'available'


def test_a_volume_in_use_is_not_deleted(app):
    volume = _volume(app, name='data').json
    container = _container(app, mounts=[{'source': 'data',
                                         'destination': '/d'}]).json

    response = app.delete(f'/v1/volumes/{volume["uuid"]}', headers=MEMBER_A,
                          status=409)

    assert f'in use by container {container["uuid"]}' in _error(response)


def test_delete_of_the_collection_is_not_allowed(app):
    app.delete('/v1/volumes', headers=MEMBER_A, status=405)


# Containers' mounts

def test_mounts_from_1_11(app):
    mounts = [{'size': '1', 'destination': '/d'}]
    response = _container(app, headers=_as(version='1.10'), mounts=mounts,
                          status=400)
    assert "'mounts' was unexpected" in _error(response)
    _container(app, headers=_as(version='1.11'), mounts=mounts)


def test_a_size_mount_records_a_new_volume(app):
    container = _container(app, mounts=[
        {'size': '2', 'destination': '/data/'}]).json

    [view] = app.get('/v1/volumes', headers=MEMBER_A).json['volumes']
    assert (view['size'], view['driver'], view['status']) == (
        2, 'local', 'creating')
    assert view['attachments'] == [{'container_uuid': container['uuid'],
                                    'destination': '/data'}]
    volume = db_api.volume_get(fakes.admin_context(), view['uuid'])
    assert volume.auto_remove


def test_a_source_mount_claims_the_volume(app):
    volume = _volume(app, name='data').json
    _container(app, mounts=[{'source': 'data', 'destination': '/d'}])
    shown = app.get(f'/v1/volumes/{volume["uuid"]}', headers=MEMBER_A).json
    assert shown['status'] == volume_states.RESERVED


def test_a_cinder_volume_snapzun_does_not_know_is_adopted(app, cinder):
    created = cinder.add(size=5, name='made-in-cinder')

    _container(app, mounts=[{'source': 'made-in-cinder',
                             'destination': '/d'}])

    [view] = app.get('/v1/volumes', headers=MEMBER_A).json['volumes']
    assert (view['cinder_volume_id'], view['size'], view['driver'],
            view['status']) == (created.id, 5, 'cinder', 'reserved')
    volume = db_api.volume_get(fakes.admin_context(), view['uuid'])
    assert not volume.auto_remove


@pytest.mark.parametrize('mounts, status, words', [
    ([{'size': '1', 'destination': 'data'}], 400, 'absolute path'),
    ([{'size': '1', 'destination': '/'}], 400, 'over the root'),
    ([{'size': '1', 'destination': '/d'}, {'size': '1', 'destination': '/d/'}],
     400, 'same destination'),
    ([{'size': '0', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': '-3', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': '1000', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': 'big', 'destination': '/d'}], 400, 'whole number of GiB'),
    ([{'size': '1', 'source': 'data', 'destination': '/d'}], 400,
     'either a source'),
    ([{'destination': '/d'}], 400, 'either a source'),
    ([{'size': '1'}], 400, "'destination' is a required property"),
    ([{'type': 'bind', 'source': 'ZGF0YQo=', 'destination': '/etc/x'}], 400,
     'type=bind mounts'),
    ([{'type': 'tmpfs', 'destination': '/t'}], 400, "'tmpfs' is not one"),
    ([{'source': 'nowhere', 'destination': '/d'}], 404,
     'Volume nowhere could not be found'),
    ([{'source': 'data', 'destination': '/a'},
      {'source': 'data', 'destination': '/b'}], 400, 'same volume'),
])
def test_bad_mounts(app, mounts, status, words):
    _volume(app, name='data')
    response = _container(app, mounts=mounts, status=status)
    assert words in _error(response)
    assert app.get('/v1/containers', headers=MEMBER_A).json[
        'containers'] == []


def test_too_many_mounts(app, conf):
    conf.set('max_mounts', 2, group='volume')
    response = _container(app, status=400, mounts=[
        {'size': '1', 'destination': f'/d{i}'} for i in range(3)])
    assert 'at most 2 volumes' in _error(response)


def test_a_volume_in_use_cannot_be_mounted_again(app):
    _volume(app, name='data')
    first = _container(app, mounts=[{'source': 'data',
                                     'destination': '/d'}]).json
    response = _container(app, mounts=[{'source': 'data',
                                        'destination': '/d'}], status=409)
    assert f'in use by container {first["uuid"]}' in _error(response)


def test_a_cinder_volume_in_use_elsewhere_cannot_be_adopted(app, cinder):
    cinder.add(name='busy', status='in-use')
    response = _container(app, mounts=[{'source': 'busy',
                                        'destination': '/d'}], status=409)
    assert 'Cinder status is in-use' in _error(response)


def test_another_projects_volume_is_not_found(app):
    _volume(app, headers=MEMBER_B, name='theirs')
    _container(app, mounts=[{'source': 'theirs', 'destination': '/d'}],
               status=404)


def test_a_local_volume_pins_the_container_to_its_host(app):
    volume = _volume(app, name='data', driver='local').json
    db_api.volume_update(fakes.admin_context(), volume['uuid'],
                         {'host': 'host-9'})

    container = _container(app, mounts=[{'source': 'data',
                                         'destination': '/d'}]).json

    row = db_api.container_get(fakes.admin_context(), container['uuid'])
    assert row.host == 'host-9'


def test_local_volumes_on_two_hosts_cannot_be_mounted_together(app):
    ctx = fakes.admin_context()
    for name, host in (('one', 'host-1'), ('two', 'host-2')):
        volume = _volume(app, name=name, driver='local').json
        db_api.volume_update(ctx, volume['uuid'], {'host': host})
    response = _container(app, status=400, mounts=[
        {'source': 'one', 'destination': '/1'},
        {'source': 'two', 'destination': '/2'}])
    assert 'live on different hosts' in _error(response)


def test_deleting_a_container_that_never_got_a_host_frees_its_volumes(app):
    kept = _volume(app, name='data').json
    container = _container(app, mounts=[
        {'source': 'data', 'destination': '/d'},
        {'size': '1', 'destination': '/new'}]).json
    # The conductor found no host for it.
    db_api.container_update(fakes.admin_context(), container['uuid'],
                            {'host': None, 'status': 'Error',
                             'task_state': None})

    app.delete(f'/v1/containers/{container["uuid"]}', headers=MEMBER_A,
               status=204)

    [left] = app.get('/v1/volumes', headers=MEMBER_A).json['volumes']
    assert (left['uuid'], left['status'], left['attachments']) == (
        kept['uuid'], 'available', [])
