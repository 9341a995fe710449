"""Volumes of containers on a compute host: ContainerFlows and VolumeFlows.

The database is real, the engine and Cinder are fakes at their clients.
"""

import contextlib

from cinderclient import exceptions as cinder_exc
import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.compute import containers
from snapzun.db import api as db_api
from snapzun.volume import states as volume_states
from tests.unit import fakes
from tests.unit.volume import volume_fakes

HOST = 'test-host'


@pytest.fixture
def cinder(monkeypatch, conf):
    conf.set('poll_interval', 0.01, group='volume')
    conf.set('timeout_wait_available', 1, group='volume')
    conf.set('timeout_wait_deleted', 1, group='volume')
    return volume_fakes.use_fake_cinder(monkeypatch)


@pytest.fixture
def engine():
    return volume_fakes.FakeVolumeEngine(images=('busybox',))


@pytest.fixture
def flows(engine):
    return containers.ContainerFlows(HOST, engine)


@pytest.fixture
def ctx(db):
    return fakes.admin_context()


def _creating(ctx, mounts):
    """A container the API accepted with ``mounts``, placed on HOST."""
    user = fakes.context()
    return db_api.container_create_with_mounts(user, {
        'name': 'c', 'image': 'busybox', 'image_driver': 'docker',
        'status': states.CREATING, 'task_state': states.CONTAINER_CREATING,
        'host': HOST, 'project_id': user.project_id,
        'user_id': user.user_id, 'memory': '512', 'cpu': 1.0}, mounts)


def _new(size=1, driver='cinder'):
    user = fakes.context()
    return {'size': size, 'driver': driver, 'status': volume_states.CREATING,
            'auto_remove': True, 'project_id': user.project_id,
            'user_id': user.user_id}


def _existing(ctx, cinder, name='kept', driver='cinder', **values):
    """An available volume row, with its Cinder volume if cinder."""
    cinder_id = cinder.add(name=name).id if driver == 'cinder' else None
    user = fakes.context()
    return db_api.volume_create(user, dict({
        'name': name, 'size': 1, 'driver': driver, 'cinder_volume_id':
        cinder_id, 'status': volume_states.AVAILABLE, 'auto_remove': False,
        'project_id': user.project_id, 'user_id': user.user_id}, **values))


def _mapped(ctx, container):
    return db_api.volume_mappings_of_container(ctx, container.uuid)


# Create

def test_a_new_cinder_volume_is_made_attached_and_mounted(flows, ctx,
                                                          cinder, engine):
    container = _creating(ctx, [{'destination': '/data',
                                 'volume': _new(size=2)}])

    flows.create(ctx, container, run=True)

    row = db_api.container_get(ctx, container.uuid)
    assert row.status == states.RUNNING
    [(mapping, volume)] = _mapped(ctx, container)
    [created] = cinder.volumes.values()
    assert (created.size, created.status) == (2, 'in-use')
    assert created.attachments[0]['server_id'] == container.uuid
    assert (volume.status, volume.host, volume.cinder_volume_id) == (
        volume_states.IN_USE, HOST, created.id)
    assert volume.connection_info
    assert engine.mounts[row.container_id] == [
        (volume.docker_volume_name, '/data')]
    assert engine.volumes[volume.docker_volume_name][0] == 'fuxi'


def test_an_existing_volume_is_attached_and_kept(flows, ctx, cinder,
                                                 engine):
    kept = _existing(ctx, cinder)
    container = _creating(ctx, [{'destination': '/d',
                                 'volume_uuid': kept.uuid}])
    assert db_api.volume_get(ctx, kept.uuid).status == (
        volume_states.RESERVED)

    flows.create(ctx, container, run=False)
    flows.delete(ctx, db_api.container_get(ctx, container.uuid),
                 force=False, stop=False)

    volume = db_api.volume_get(ctx, kept.uuid)
    assert (volume.status, volume.host, volume.connection_info) == (
        volume_states.AVAILABLE, None, None)
    assert cinder.volumes[kept.cinder_volume_id].status == 'available'
    assert engine.volumes == {}
    assert _mapped(ctx, container) == []


def test_delete_releases_and_deletes_the_volumes_made_for_it(
        flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    row = db_api.container_get(ctx, container.uuid)
    [(_mapping, volume)] = _mapped(ctx, container)
    cinder.calls.clear()

    flows.delete(ctx, row, force=True, stop=False)

    assert [c for c in engine.calls if c[0] in ('remove', 'volume_remove')
            ] == [('remove', row.container_id, True),
                  ('volume_remove', volume.docker_volume_name)]
    assert cinder.methods()[:4] == ['get', 'begin_detaching',
                                    'terminate_connection', 'detach']
    assert cinder.volumes == {}
    assert db_api.volume_list(ctx) == []
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, container.uuid)


def test_a_cinder_failure_mid_create_leaves_no_volume_behind(
        flows, ctx, cinder, engine):
    # The second new volume is over quota: the first, made already, goes.
    container = _creating(ctx, [{'destination': '/a', 'volume': _new()},
                                {'destination': '/b', 'volume': _new()}])
    real_create = cinder.volumes_manager.create

    def create_once(*args, **kwargs):
        if cinder.volumes:
            raise cinder_exc.OverLimit(413, message='VolumeLimitExceeded')
        return real_create(*args, **kwargs)
    cinder.volumes_manager.create = create_once

    with pytest.raises(exception.VolumeQuotaExceeded):
        flows.create(ctx, container, run=True)

    row = db_api.container_get(ctx, container.uuid)
    assert row.status == states.ERROR
    assert 'VolumeLimitExceeded' in row.status_reason
    assert cinder.volumes == {} and cinder.connected == set()
    assert db_api.volume_list(ctx) == [] and _mapped(ctx, container) == []
    assert engine.volumes == {} and engine.containers == {}


def test_an_engine_failure_unwinds_the_attached_volumes(flows, ctx, cinder,
                                                        engine):
    kept = _existing(ctx, cinder)
    container = _creating(ctx, [{'destination': '/a', 'volume': _new()},
                                {'destination': '/b',
                                 'volume_uuid': kept.uuid}])
    engine.fail['create'] = exception.DockerError(reason='no space')

    with pytest.raises(exception.DockerError):
        flows.create(ctx, container, run=False)

    assert db_api.container_get(ctx, container.uuid).status == states.ERROR
    assert list(cinder.volumes) == [kept.cinder_volume_id]
    assert cinder.volumes[kept.cinder_volume_id].status == 'available'
    assert [v.uuid for v in db_api.volume_list(ctx)] == [kept.uuid]
    assert db_api.volume_get(ctx, kept.uuid).status == (
        volume_states.AVAILABLE)
    assert engine.volumes == {}


def test_a_failed_release_keeps_the_container_for_a_retry(flows, ctx,
                                                          cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    cinder.fail['begin_detaching'] = cinder_exc.ClientException(
        503, message='cinder is down')

    with pytest.raises(exception.VolumeServiceUnavailable):
        flows.delete(ctx, db_api.container_get(ctx, container.uuid),
                     force=True, stop=False)

    row = db_api.container_get(ctx, container.uuid)
    assert row.status == states.ERROR
    assert 'Cannot release its volumes' in row.status_reason
    [(_mapping, volume)] = _mapped(ctx, container)
    assert volume.status == volume_states.DETACHING

    del cinder.fail['begin_detaching']
    flows.delete(ctx, row, force=True, stop=False)

    assert cinder.volumes == {} and db_api.volume_list(ctx) == []


def test_a_volume_that_cannot_be_deleted_stays_listed(flows, ctx, cinder):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    cinder.deleted_status = 'error_deleting'

    flows.delete(ctx, db_api.container_get(ctx, container.uuid),
                 force=True, stop=False)

    [volume] = db_api.volume_list(ctx)
    assert (volume.status, volume.auto_remove) == (volume_states.ERROR,
                                                   False)
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, container.uuid)


# Local volumes

def test_local_volumes(flows, ctx, engine):
    container = _creating(ctx, [{'destination': '/tmp-data',
                                 'volume': _new(driver='local')}])

    flows.create(ctx, container, run=True)

    [(_mapping, volume)] = _mapped(ctx, container)
    assert (volume.status, volume.host) == (volume_states.IN_USE, HOST)
    assert engine.volumes == {volume.docker_volume_name: ('local', {})}

    flows.delete(ctx, db_api.container_get(ctx, container.uuid),
                 force=True, stop=False)

    assert engine.volumes == {} and db_api.volume_list(ctx) == []


def test_a_kept_local_volume_stays_on_its_host(flows, ctx, engine):
    kept = _existing(ctx, None, driver='local')
    container = _creating(ctx, [{'destination': '/d',
                                 'volume_uuid': kept.uuid}])
    flows.create(ctx, container, run=True)

    flows.delete(ctx, db_api.container_get(ctx, container.uuid),
                 force=True, stop=False)

    volume = db_api.volume_get(ctx, kept.uuid)
    assert (volume.status, volume.host) == (volume_states.AVAILABLE, HOST)
    assert kept.docker_volume_name in engine.volumes

    flows.volumes.delete_volume(ctx, volume)

    assert engine.volumes == {} and db_api.volume_list(ctx) == []


# A container removing itself (Docker auto_remove)

def test_a_container_that_removed_itself_releases_its_volumes(
        flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    db_api.container_update(ctx, container.uuid, {'auto_remove': True})
    flows.create(ctx, db_api.container_get(ctx, container.uuid), run=True)
    row = db_api.container_get(ctx, container.uuid)
    engine.vanish(row.container_id)
    db_api.container_update(ctx, row.uuid, {'status': states.STOPPED})

    flows.sync(ctx, lambda uuid: contextlib.nullcontext())

    assert cinder.volumes == {} and db_api.volume_list(ctx) == []


# After a restart of the agent

def test_restart_attaches_nothing_twice(flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    [(_mapping, volume)] = _mapped(ctx, container)
    cinder.calls.clear()
    engine.calls.clear()

    containers.ContainerFlows(HOST, engine).recover(ctx)

    assert cinder.calls == []
    assert [c for c in engine.calls if c[0].startswith('volume')] == []
    assert _mapped(ctx, container)[0][1].status == volume_states.IN_USE


def test_restart_recreates_a_docker_volume_the_engine_lost(flows, ctx,
                                                           cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    [(_mapping, volume)] = _mapped(ctx, container)
    lost = engine.volumes.pop(volume.docker_volume_name)
    cinder.calls.clear()

    containers.ContainerFlows(HOST, engine).recover(ctx)

    assert engine.volumes[volume.docker_volume_name] == lost
    assert cinder.calls == []


def test_restart_releases_the_volumes_of_an_interrupted_create(
        flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    # The agent died after attaching, before the engine container.
    flows.volumes.attach(ctx, container)
    assert cinder.volumes[_mapped(ctx, container)[0][1].cinder_volume_id
                          ].status == 'in-use'

    containers.ContainerFlows(HOST, engine).recover(ctx)

    row = db_api.container_get(ctx, container.uuid)
    assert row.status == states.ERROR
    assert cinder.volumes == {} and engine.volumes == {}
    assert db_api.volume_list(ctx) == []


def test_restart_finishes_an_interrupted_delete(flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    flows.create(ctx, container, run=True)
    db_api.container_update(ctx, container.uuid, {
        'status': states.DELETING, 'task_state': states.CONTAINER_DELETING})

    containers.ContainerFlows(HOST, engine).recover(ctx)

    assert cinder.volumes == {} and engine.volumes == {}
    assert db_api.volume_list(ctx) == []
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, container.uuid)


def test_an_attach_interrupted_halfway_is_undone_on_restart(
        flows, ctx, cinder, engine):
    container = _creating(ctx, [{'destination': '/data', 'volume': _new()}])
    # Made and reserved in Cinder, recorded attaching: then the agent died.
    original = cinder.volumes_manager.initialize_connection

    def die(*args, **kwargs):
        raise SystemExit('agent killed')
    cinder.volumes_manager.initialize_connection = die
    with pytest.raises(SystemExit):
        flows.volumes.attach(ctx, container)
    cinder.volumes_manager.initialize_connection = original
    [created] = cinder.volumes.values()
    assert created.status == 'attaching'

    containers.ContainerFlows(HOST, engine).recover(ctx)

    assert cinder.volumes == {} and db_api.volume_list(ctx) == []


# Through the RPC API: compute API -> conductor -> agent

def _serve(fake_rpc, manager):
    sent, fake_rpc.messages[:] = list(fake_rpc.messages), []
    return [fakes.deliver(m, manager) for m in sent]


def test_volumes_through_the_rpc_api(db, fake_rpc, engine, cinder):
    from snapzun.compute import api as compute_api
    from snapzun.compute import manager as compute_manager
    from snapzun.conductor import manager as conductor_manager
    from snapzun.volume import api as volume_api
    fakes.make_service(HOST)
    api = compute_api.API()
    manager = compute_manager.ComputeManager(HOST, engine)
    user = fakes.context()
    values = {'name': 'web', 'image': 'busybox', 'image_driver': 'docker'}
    mounts = volume_api.API().plan_mounts(
        user, [{'size': '1', 'destination': '/data'},
               {'source': _existing(user, None, name='logs',
                                    driver='local').uuid,
                'destination': '/logs'}], values)

    container = api.create(user, values, run=True, mounts=mounts)
    _serve(fake_rpc, conductor_manager.ConductorManager())
    _serve(fake_rpc, manager)

    admin = fakes.admin_context()
    assert db_api.container_get(admin, container.uuid).status == (
        states.RUNNING)
    assert len(engine.volumes) == 2
    api.delete(user, db_api.container_get(admin, container.uuid),
               force=True)
    _serve(fake_rpc, manager)
    [logs] = db_api.volume_list(admin)
    assert (logs.name, logs.status, logs.host) == (
        'logs', volume_states.AVAILABLE, HOST)
    assert cinder.volumes == {}

    # The local volume lives on HOST: its agent deletes it.
    volume_api.API().delete(user, logs)
    [message] = fake_rpc.sent('volume_delete')
    fakes.deliver(message, manager)
    assert db_api.volume_list(admin) == [] and engine.volumes == {}
