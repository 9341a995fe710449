"""The Cinder driver against a fake cinderclient."""

import json
import types

from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
import pytest

from snapzun import exception
from snapzun.common import keystone
from snapzun.volume import cinder
from snapzun.volume import states
from tests.unit import fakes
from tests.unit.volume import volume_fakes

CONTAINER = '6f1ad8f4-0c3e-4a43-9d0f-3a9b8b0f6a11'


@pytest.fixture
def fake(monkeypatch, conf):
    conf.set('poll_interval', 0.01, group='volume')
    conf.set('timeout_wait_available', 1, group='volume')
    conf.set('timeout_wait_deleted', 1, group='volume')
    return volume_fakes.use_fake_cinder(monkeypatch)


@pytest.fixture
def driver():
    return cinder.Driver()


@pytest.fixture
def engine():
    return volume_fakes.FakeVolumeEngine()


@pytest.fixture
def ctx():
    return fakes.context()


def _volume(**values):
    values.setdefault('uuid', 'c0ffee00-0000-4000-8000-000000000001')
    values.setdefault('name', None)
    values.setdefault('size', 1)
    values.setdefault('cinder_volume_id', None)
    values.setdefault('docker_volume_name', f'snapzun-{values["uuid"]}')
    values.setdefault('connection_info', None)
    return types.SimpleNamespace(**values)


class _Saved(list):
    def __call__(self, values):
        self.append(values)


# Errors by type at the boundary

@pytest.mark.parametrize('raised, expected', [
    (cinder_exc.NotFound(404), exception.VolumeNotFound),
    (cinder_exc.Forbidden(403), exception.PolicyNotAuthorized),
    (cinder_exc.OverLimit(413, message='VolumeLimitExceeded'),
     exception.VolumeQuotaExceeded),
    (cinder_exc.BadRequest(400, message='status must be available'),
     exception.VolumeNotUsable),
    (cinder_exc.ClientException(409, message='busy'),
     exception.VolumeNotUsable),
    (cinder_exc.ClientException(500, message='boom'),
     exception.VolumeServiceUnavailable),
    (cinder_exc.ClientException(418, message='teapot'),
     exception.VolumeServiceError),
    (cinder_exc.ConnectionError('refused'),
     exception.VolumeServiceUnavailable),
    (ks_exc.ConnectFailure('refused'), exception.VolumeServiceUnavailable),
    (ks_exc.EndpointNotFound('no volumev3'),
     exception.VolumeServiceUnavailable),
    (ks_exc.Unauthorized('bad token'), exception.VolumeServiceError),
])
def test_errors_are_translated_by_type(raised, expected):
    with pytest.raises(expected) as caught:
        with cinder.translate_errors('vol-1'):
            raise raised
    assert caught.value.__cause__ is raised


def test_quota_error_keeps_cinders_message():
    with pytest.raises(exception.VolumeQuotaExceeded) as caught:
        with cinder.translate_errors('vol-1'):
            raise cinder_exc.OverLimit(
                413, message='Maximum number of volumes allowed (1) '
                             'exceeded for quota volumes.')
    assert 'Maximum number of volumes allowed (1)' in str(caught.value)


def test_client_needs_a_token_or_a_service_user(ctx):
    with pytest.raises(exception.VolumeDriverNotAvailable) as caught:
        cinder.client(ctx)
    assert 'no token' in str(caught.value)


def test_client_uses_the_users_token_at_the_stated_microversion():
    ctx = fakes.context()
    ctx.auth_token = 'user-token'

    client = cinder.client(ctx)

    assert client.api_version.get_string() == cinder.CINDER_API_VERSION
    auth = client.client.auth
    assert isinstance(auth, keystone._UserToken)
    assert auth.get_token(None) == 'user-token'
    assert client.client.service_type == 'volumev3'


# create

def test_create_waits_until_available(fake, driver, ctx):
    saved = _Saved()
    volume = _volume(name='data')

    values = driver.create(ctx, volume, saved)

    [created] = fake.volumes.values()
    assert values == {'cinder_volume_id': created.id}
    assert saved == [{'cinder_volume_id': created.id}]
    assert (created.name, created.size) == ('data', 1)
    assert created.metadata == {cinder.METADATA_KEY: volume.uuid}


def test_create_names_a_nameless_volume_after_its_docker_volume(
        fake, driver, ctx):
    volume = _volume()
    driver.create(ctx, volume, _Saved())
    [created] = fake.volumes.values()
    assert created.name == volume.docker_volume_name


def test_a_volume_that_fails_is_deleted(fake, driver, ctx):
    fake.created_status = 'error'
    saved = _Saved()

    with pytest.raises(exception.VolumeCreateFailed) as caught:
        driver.create(ctx, _volume(), saved)

    assert 'went to status error' in str(caught.value)
    assert fake.volumes == {}
    assert saved[-1] == {'cinder_volume_id': None}


def test_a_volume_that_never_becomes_available_stays_recorded(
        fake, driver, ctx, conf):
    # Cinder refuses to delete a volume still 'creating': it cannot go,
    # so its id stays on the row for a later delete.
    conf.set('timeout_wait_available', 0, group='volume')
    fake.created_status = 'creating'
    saved = _Saved()

    with pytest.raises(exception.VolumeCreateFailed) as caught:
        driver.create(ctx, _volume(), saved)

    [created] = fake.volumes.values()
    assert 'still creating after 0s' in str(caught.value)
    assert saved == [{'cinder_volume_id': created.id}]
    assert 'delete' in fake.methods()


def test_create_over_quota_makes_nothing(fake, driver, ctx):
    fake.fail['create'] = cinder_exc.OverLimit(413, message='over quota')
    saved = _Saved()

    with pytest.raises(exception.VolumeQuotaExceeded):
        driver.create(ctx, _volume(), saved)

    assert fake.volumes == {} and saved == []


# delete

def test_delete_waits_until_gone(fake, driver, ctx):
    created = fake.add()
    driver.delete(ctx, _volume(cinder_volume_id=created.id))
    assert fake.volumes == {}


def test_delete_of_a_volume_already_gone(fake, driver, ctx):
    driver.delete(ctx, _volume(cinder_volume_id='gone'))
    driver.delete(ctx, _volume(cinder_volume_id=None))


def test_delete_that_cinder_fails(fake, driver, ctx):
    fake.deleted_status = 'error_deleting'
    created = fake.add()
    with pytest.raises(exception.VolumeServiceError) as caught:
        driver.delete(ctx, _volume(cinder_volume_id=created.id))
    assert 'failed to delete' in str(caught.value)


# attach and detach, the legacy way

def test_attach(fake, driver, ctx, engine, conf):
    conf.set('docker_volume_driver', 'fuxi-host1', group='volume')
    created = fake.add()
    volume = _volume(cinder_volume_id=created.id)

    values = driver.attach(ctx, volume, CONTAINER, '/data', 'host1',
                           engine)

    assert fake.methods() == ['reserve', 'initialize_connection', 'attach']
    assert fake.connectors == [volume_fakes.connector()]
    assert created.status == 'in-use'
    [attachment] = created.attachments
    assert (attachment['server_id'], attachment['host_name'],
            attachment['device']) == (CONTAINER, 'host1', '/data')
    driver_name, options = engine.volumes[volume.docker_volume_name]
    assert driver_name == 'fuxi-host1'
    assert json.loads(options['connection_info']) == {
        'driver_volume_type': 'local',
        'data': {'device_path': volume_fakes.DEVICE}}
    assert options['volume_id'] == created.id
    assert options['fstype'] == 'ext4'
    assert values == {'status': states.IN_USE, 'host': 'host1',
                      'connection_info': options['connection_info']}


@pytest.mark.parametrize('failing', ['initialize_connection',
                                     'volume_create', 'attach'])
def test_a_failed_attach_is_undone(fake, driver, ctx, engine, failing):
    created = fake.add()
    volume = _volume(cinder_volume_id=created.id)
    if failing == 'volume_create':
        engine.fail['volume_create'] = exception.DockerError(reason='no')
    else:
        fake.fail[failing] = cinder_exc.ClientException(500, message='no')

    with pytest.raises(exception.SnapzunException):
        driver.attach(ctx, volume, CONTAINER, '/data', 'host1', engine)

    assert created.status == 'available'
    assert created.attachments == []
    assert fake.connected == set()
    assert engine.volumes == {}


def _attached(fake, driver, ctx, engine):
    created = fake.add()
    volume = _volume(cinder_volume_id=created.id)
    driver.attach(ctx, volume, CONTAINER, '/data', 'host1', engine)
    fake.calls.clear()
    return created, volume


def test_detach(fake, driver, ctx, engine):
    created, volume = _attached(fake, driver, ctx, engine)

    values = driver.detach(ctx, volume, CONTAINER, engine)

    assert fake.methods() == ['get', 'begin_detaching',
                              'terminate_connection', 'detach']
    assert created.status == 'available' and created.attachments == []
    assert engine.volumes == {}
    assert values == {'status': states.AVAILABLE, 'host': None,
                      'connection_info': None}


def test_detach_after_an_attach_that_stopped_halfway(fake, driver, ctx,
                                                     engine):
    created = fake.add()
    fake.volumes_manager.reserve(created.id)
    volume = _volume(cinder_volume_id=created.id)

    driver.detach(ctx, volume, CONTAINER, engine)

    assert created.status == 'available'
    assert fake.methods()[-2:] == ['terminate_connection', 'unreserve']


def test_detach_after_a_detach_that_stopped_halfway(fake, driver, ctx,
                                                    engine):
    created, volume = _attached(fake, driver, ctx, engine)
    fake.volumes_manager.begin_detaching(created.id)

    driver.detach(ctx, volume, CONTAINER, engine)

    assert created.status == 'available' and created.attachments == []


def test_detach_leaves_another_servers_attachment(fake, driver, ctx,
                                                  engine):
    created, volume = _attached(fake, driver, ctx, engine)

    driver.detach(ctx, volume, 'another-server', engine)

    assert created.status == 'in-use'
    assert 'begin_detaching' not in fake.methods()


def test_detach_of_a_volume_deleted_behind_our_back(fake, driver, ctx,
                                                    engine):
    created, volume = _attached(fake, driver, ctx, engine)
    del fake.volumes[created.id]

    assert driver.detach(ctx, volume, CONTAINER, engine)['status'] == (
        states.AVAILABLE)


def test_restore_creates_the_docker_volume_from_the_record(driver, engine):
    volume = _volume(cinder_volume_id='cid', connection_info='{"x": 1}')
    driver.restore(volume, engine)
    assert engine.volumes[volume.docker_volume_name] == (
        'fuxi', {'connection_info': '{"x": 1}', 'volume_id': 'cid',
                 'fstype': 'ext4'})


# Volumes snapzun does not know yet

def test_find_by_id_and_by_name(fake, driver, ctx):
    created = fake.add(size=3, name='mine')

    by_id = driver.find(ctx, created.id)
    by_name = driver.find(ctx, 'mine')

    assert by_id == by_name == {'driver': 'cinder',
                                'cinder_volume_id': created.id, 'size': 3}


@pytest.mark.parametrize('setup, ident, error, words', [
    (lambda f: None, 'nope', exception.VolumeNotFound, 'nope'),
    (lambda f: (f.add(name='twin'), f.add(name='twin')), 'twin',
     exception.AmbiguousVolumeName, 'twin'),
    (lambda f: f.add(name='theirs', project='project-b'), 'theirs',
     exception.VolumeNotUsable, 'another project'),
    (lambda f: f.add(name='busy', status='in-use'), 'busy',
     exception.VolumeNotUsable, 'in-use, not available'),
])
def test_find_refuses(fake, driver, ctx, setup, ident, error, words):
    setup(fake)
    with pytest.raises(error) as caught:
        driver.find(ctx, ident)
    assert words in str(caught.value)


class _Session:
    def __init__(self, url):
        self.url = url

    def get_endpoint(self, auth, **kwargs):
        return self.url


class _ServiceAuth:
    def get_project_id(self, session):
        return 'service-project'


@pytest.mark.parametrize('token, expected', [
    # The user's token: the URL names the user's project.
    ('user-token', 'http://cinder/v3/project-a'),
    # The service user's own token (an agent's own work): its project.
    (None, 'http://cinder/v3/service-project'),
])
def test_the_endpoint_names_the_tokens_project(monkeypatch, token,
                                               expected):
    monkeypatch.setattr(keystone, 'service_auth',
                        lambda group: _ServiceAuth())
    ctx = fakes.context()
    ctx.auth_token = token
    kwargs = {'service_type': 'volumev3', 'interface': ['public'],
              'region_name': None}

    url = cinder._endpoint(ctx, _Session('http://cinder/v3/service-project'),
                           None, kwargs)

    assert url == expected


def test_an_endpoint_override_may_name_the_project():
    ctx = fakes.context()
    url = cinder._endpoint(ctx, None, None, {
        'endpoint_override': 'http://c:8776/v3/%(project_id)s'})
    assert url == 'http://c:8776/v3/project-a'


def test_connector_properties_are_collected_once(monkeypatch, conf):
    from os_brick.initiator import connector as brick_connector
    conf.set('my_block_storage_ip', '192.0.2.7', group='volume')
    calls = []

    def collect(root_helper, my_ip, multipath, enforce_multipath, host):
        calls.append((root_helper, my_ip, multipath, enforce_multipath,
                      host))
        return {'ip': my_ip, 'host': host}
    monkeypatch.setattr(brick_connector, 'get_connector_properties',
                        collect)
    monkeypatch.setattr(cinder, '_prepare_privsep', lambda: None)
    monkeypatch.setattr(cinder, '_CONNECTORS', {})

    first = cinder.connector_properties()
    first['ip'] = 'changed by a caller'

    assert cinder.connector_properties() == {'ip': '192.0.2.7',
                                             'host': 'test-host'}
    assert calls == [(None, '192.0.2.7', False, True, 'test-host')]
