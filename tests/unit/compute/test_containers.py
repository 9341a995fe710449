"""ContainerFlows: the engine and the database kept in step."""

import contextlib

import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.compute import containers
from snapzun.compute import docker
from snapzun.db import api as db_api
from tests.unit import fakes

HOST = 'test-host'


@pytest.fixture
def engine():
    return fakes.FakeEngine(images=('busybox',), registry=('nginx',))


@pytest.fixture
def flows(engine):
    return containers.ContainerFlows(HOST, engine)


@pytest.fixture
def ctx(db):
    return fakes.admin_context()


def _row(ctx, uuid):
    return db_api.container_get(ctx, uuid)


def _in_engine(ctx, engine, docker_status='running', exit_code=0, **values):
    """A container row whose engine container is in ``docker_status``."""
    values.setdefault('status', docker.status_of(docker_status))
    row = fakes.make_container(ctx, **values)
    container_id = engine.create(row, row.image)
    engine.set_state(container_id, docker_status, exit_code=exit_code,
                     paused=docker_status == 'paused')
    return db_api.container_update(ctx, row.uuid,
                                   {'container_id': container_id})


class _RecordingLock:
    def __init__(self):
        self.taken = []

    def __call__(self, uuid):
        self.taken.append(uuid)
        return contextlib.nullcontext()


# observed_state

@pytest.mark.parametrize('docker_status, paused, exit_code, expected', [
    ('running', False, 0, {'status': 'Running', 'status_detail': 'Up'}),
    ('paused', True, 0, {'status': 'Paused', 'status_detail': 'Up (Paused)'}),
    ('running', True, 0, {'status': 'Paused', 'status_detail': 'Up (Paused)'}),
    ('exited', False, 3, {'status': 'Stopped', 'status_detail': 'Exited(3)'}),
    ('created', False, 0, {'status': 'Created', 'status_detail': 'Created'}),
    ('weird', False, 0, {'status': 'Unknown', 'status_detail': 'Unknown'}),
])
def test_observed_state(engine, docker_status, paused, exit_code, expected):
    engine.containers['c1'] = {'uuid': 'u1', 'host': HOST,
                               'Status': docker_status, 'Paused': paused,
                               'ExitCode': exit_code}

    assert containers.observed_state(engine, 'c1') == expected


def test_observed_state_of_a_vanished_container(engine):
    with pytest.raises(exception.ContainerVanished):
        containers.observed_state(engine, 'gone')


# create

def _creating(ctx, **values):
    return fakes.make_container(ctx, status=states.CREATING,
                                task_state=states.CONTAINER_CREATING,
                                **values)


def test_create_without_run_leaves_it_created(ctx, flows, engine):
    row = _creating(ctx)

    flows.create(ctx, row, run=False)

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_detail, found.task_state) == (
        states.CREATED, 'Created', None)
    assert engine.containers[found.container_id]['uuid'] == row.uuid


def test_create_and_run(ctx, flows, engine):
    row = _creating(ctx)

    flows.create(ctx, row, run=True)

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_detail, found.task_state) == (
        states.RUNNING, 'Up', None)
    assert ('start', found.container_id) in engine.calls


def test_create_pulls_an_image_that_is_not_local(ctx, flows, engine):
    row = _creating(ctx, image='nginx')

    flows.create(ctx, row, run=False)

    assert ('pull', 'nginx') in engine.calls
    assert _row(ctx, row.uuid).status == states.CREATED


def test_create_of_a_missing_image_is_an_error(ctx, flows, engine):
    row = _creating(ctx, image='nope')

    with pytest.raises(exception.ImageNotFound):
        flows.create(ctx, row, run=True)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state, found.container_id) == (
        states.ERROR, None, None)
    assert found.status_reason == 'Image nope could not be found.'
    assert engine.containers == {}


def test_create_with_an_image_driver_the_host_lacks_is_an_error(ctx, flows):
    """The API accepts image_driver 'glance'; the agent has no such driver.

    The container must not stay Creating with a task forever.
    """
    row = _creating(ctx, image_driver='glance')

    with contextlib.suppress(Exception):
        flows.create(ctx, row, run=False)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (states.ERROR, None)
    assert found.status_reason


# actions

def test_stop_settles_status_from_the_engine(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running',
                     task_state=states.CONTAINER_STOPPING)

    flows.stop(ctx, row, timeout=5)

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_detail, found.task_state) == (
        states.STOPPED, 'Exited(0)', None)
    assert ('stop', row.container_id, 5) in engine.calls


def test_start_clears_an_old_status_reason(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'exited', status_reason='it crashed',
                     task_state=states.CONTAINER_STARTING)

    flows.start(ctx, row)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state, found.status_reason) == (
        states.RUNNING, None, None)


@pytest.mark.parametrize('action, args, before, after', [
    ('pause', (), 'running', states.PAUSED),
    ('unpause', (), 'paused', states.RUNNING),
    ('kill', ('SIGKILL',), 'running', states.STOPPED),
    ('reboot', (3,), 'exited', states.RUNNING),
])
def test_actions_settle_from_the_engine(ctx, flows, engine, action, args,
                                        before, after):
    row = _in_engine(ctx, engine, before,
                     task_state=states.TASK_STATE[action])

    getattr(flows, action)(ctx, row, *args)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (after, None)


def test_engine_error_keeps_the_engines_status_and_says_why(ctx, flows,
                                                            engine):
    row = _in_engine(ctx, engine, 'running',
                     task_state=states.CONTAINER_PAUSING)
    refused = exception.DockerError(reason='cannot pause')

    def pause(container_id):
        raise refused
    engine.pause = pause

    with pytest.raises(exception.DockerError):
        flows.pause(ctx, row)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (states.RUNNING, None)
    assert found.status_reason == str(refused)


def test_action_on_a_vanished_container_marks_it_error(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'exited',
                     task_state=states.CONTAINER_STARTING)
    engine.vanish(row.container_id)

    with pytest.raises(exception.ContainerVanished):
        flows.start(ctx, row)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state, found.status_reason) == (
        states.ERROR, None, containers.VANISHED_REASON)


def test_update_applies_limits_in_the_engine_and_records_them(ctx, flows,
                                                              engine):
    row = _in_engine(ctx, engine, 'running',
                     task_state=states.CONTAINER_UPDATING)

    updated = flows.update(ctx, row, {'memory': '1024', 'cpu': 2.0})

    assert ('update', row.container_id, '1024', 2.0) in engine.calls
    assert (updated.memory, updated.cpu, updated.task_state) == (
        '1024', 2.0, None)


def test_update_without_an_engine_container_only_records(ctx, flows, engine):
    row = fakes.make_container(ctx, task_state=states.CONTAINER_UPDATING)

    updated = flows.update(ctx, row, {'memory': '1024'})

    assert (updated.memory, updated.task_state) == ('1024', None)
    assert engine.calls == []


# delete

def test_delete_removes_engine_container_row_and_actions(ctx, flows,
                                                         engine):
    row = _in_engine(ctx, engine, 'exited', status=states.DELETING,
                     task_state=states.CONTAINER_DELETING)
    db_api.action_start(ctx, row.uuid, 'delete')

    flows.delete(ctx, row, force=False, stop=False)

    assert engine.containers == {}
    with pytest.raises(exception.ContainerNotFound):
        _row(ctx, row.uuid)
    assert db_api.action_list(ctx, row.uuid) == []


def test_delete_with_stop_stops_a_running_container_first(ctx, flows,
                                                          engine):
    row = _in_engine(ctx, engine, 'running', status=states.DELETING,
                     task_state=states.CONTAINER_DELETING)

    flows.delete(ctx, row, force=False, stop=True)

    assert [c[0] for c in engine.calls[-2:]] == ['stop', 'remove']
    assert engine.containers == {}


def test_force_delete_removes_with_force(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running', status=states.DELETING,
                     task_state=states.CONTAINER_DELETING)

    flows.delete(ctx, row, force=True, stop=True)

    assert engine.calls[-1] == ('remove', row.container_id, True)
    with pytest.raises(exception.ContainerNotFound):
        _row(ctx, row.uuid)


def test_delete_refused_by_the_engine_keeps_the_row(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running', status=states.DELETING,
                     task_state=states.CONTAINER_DELETING)

    def remove(container_id, force=False):
        raise exception.DockerError(reason='container is running')
    engine.remove = remove

    with pytest.raises(exception.DockerError):
        flows.delete(ctx, row, force=False, stop=False)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (states.RUNNING, None)
    assert 'container is running' in found.status_reason


# sync

def test_sync_marks_a_vanished_container_error(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running')
    engine.vanish(row.container_id)
    lock = _RecordingLock()

    flows.sync(ctx, lock)

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_reason) == (
        states.ERROR, containers.VANISHED_REASON)
    assert lock.taken == [row.uuid]


def test_sync_deletes_a_vanished_auto_remove_container(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running', auto_remove=True)
    db_api.action_start(ctx, row.uuid, 'create')
    engine.vanish(row.container_id)

    flows.sync(ctx, _RecordingLock())

    with pytest.raises(exception.ContainerNotFound):
        _row(ctx, row.uuid)
    assert db_api.action_list(ctx, row.uuid) == []


def test_sync_records_the_status_the_engine_reports(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running')
    engine.set_state(row.container_id, 'exited', exit_code=1)

    flows.sync(ctx, _RecordingLock())

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_detail) == (
        states.STOPPED, 'Exited(1)')


def test_sync_refreshes_only_the_detail_when_statuses_agree(ctx, flows,
                                                            engine):
    row = _in_engine(ctx, engine, 'running', status_detail='Up')
    lock = _RecordingLock()

    flows.sync(ctx, lock)

    found = _row(ctx, row.uuid)
    assert (found.status, found.status_detail) == (
        states.RUNNING, 'Up 2 seconds')
    assert lock.taken == []


def test_sync_leaves_busy_and_unmaterialised_containers_alone(ctx, flows,
                                                              engine):
    busy = _in_engine(ctx, engine, 'running',
                      task_state=states.CONTAINER_STOPPING)
    engine.vanish(busy.container_id)
    creating = fakes.make_container(ctx, status=states.CREATING)
    elsewhere = _in_engine(ctx, engine, 'running', host='other-host')
    engine.vanish(elsewhere.container_id)
    lock = _RecordingLock()

    flows.sync(ctx, lock)

    assert _row(ctx, busy.uuid).status == states.RUNNING
    assert _row(ctx, creating.uuid).status == states.CREATING
    assert _row(ctx, elsewhere.uuid).status == states.RUNNING
    assert lock.taken == []


# recover

def test_recover_finishes_an_interrupted_delete(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'running', status=states.DELETING,
                     task_state=states.CONTAINER_DELETING)
    unborn = fakes.make_container(ctx, status=states.DELETING)

    flows.recover(ctx)

    assert engine.calls[-1] == ('remove', row.container_id, True)
    for uuid in (row.uuid, unborn.uuid):
        with pytest.raises(exception.ContainerNotFound):
            _row(ctx, uuid)


def test_recover_settles_an_interrupted_task(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'exited', status=states.RUNNING,
                     task_state=states.CONTAINER_STOPPING)

    flows.recover(ctx)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (states.STOPPED, None)


def test_recover_marks_an_interrupted_create_error(ctx, flows, engine):
    row = _creating(ctx)

    flows.recover(ctx)

    found = _row(ctx, row.uuid)
    assert (found.status, found.task_state) == (states.ERROR, None)
    assert 'interrupted' in found.status_reason


def test_recover_adopts_a_container_the_engine_created(ctx, flows, engine):
    row = _creating(ctx)
    container_id = engine.create(row, row.image)

    flows.recover(ctx)

    found = _row(ctx, row.uuid)
    assert (found.container_id, found.status, found.task_state) == (
        container_id, states.CREATED, None)


def test_recover_leaves_idle_containers_alone(ctx, flows, engine):
    row = _in_engine(ctx, engine, 'exited', status=states.RUNNING)

    flows.recover(ctx)

    assert _row(ctx, row.uuid).status == states.RUNNING
