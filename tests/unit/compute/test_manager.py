"""The compute RPC API end to end: client, wire, dispatcher, manager."""

import oslo_messaging as messaging
import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.compute import api as compute_api
from snapzun.compute import manager as compute_manager
from snapzun.compute import rpcapi as compute_rpcapi
from snapzun.conductor import manager as conductor_manager
from snapzun.conductor import rpcapi as conductor_rpcapi
from snapzun.db import api as db_api
from tests.unit import fakes

HOST = 'test-host'


def test_rpc_api_versions_match_between_clients_and_managers():
    compute = compute_rpcapi.ComputeAPI.RPC_API_VERSION
    conductor = conductor_rpcapi.ConductorAPI.RPC_API_VERSION

    assert compute_manager.ComputeManager.RPC_API_VERSION == compute
    assert compute_manager.ComputeManager.target.version == compute
    assert conductor_manager.ConductorManager.RPC_API_VERSION == conductor
    assert conductor_manager.ConductorManager.target.version == conductor


def test_clients_send_no_newer_version_than_their_cap(fake_rpc, conf):
    compute_rpcapi.ComputeAPI()
    conductor_rpcapi.ConductorAPI()
    conf.set('rpc_version_cap', '1.0', group='compute')
    compute_rpcapi.ComputeAPI()

    caps = [(c.target.topic, c.target.version, c.version_cap)
            for c in fake_rpc.clients]
    assert caps == [
        ('snapzun-compute', '1.0', compute_rpcapi.ComputeAPI.RPC_API_VERSION),
        ('snapzun-conductor', '1.0',
         conductor_rpcapi.ConductorAPI.RPC_API_VERSION),
        ('snapzun-compute', '1.0', '1.0')]


@pytest.fixture
def engine():
    return fakes.FakeEngine()


@pytest.fixture
def manager(db, engine):
    return compute_manager.ComputeManager(HOST, engine)


@pytest.fixture
def api(db, fake_rpc):
    fakes.make_service(HOST)
    return compute_api.API()


def _serve(fake_rpc, manager):
    """Deliver every message sent so far to ``manager``; the results."""
    sent, fake_rpc.messages[:] = list(fake_rpc.messages), []
    return [fakes.deliver(m, manager) for m in sent]


def _row(uuid):
    return db_api.container_get(fakes.admin_context(), uuid)


def test_a_container_lives_and_dies_through_the_rpc_api(api, ctx, fake_rpc,
                                                       manager, engine):
    conductor = conductor_manager.ConductorManager()
    container = api.create(ctx, {'name': 'web', 'image': 'busybox',
                                 'image_driver': 'docker'}, run=True)
    _serve(fake_rpc, conductor)
    _serve(fake_rpc, manager)
    assert _row(container.uuid).status == states.RUNNING

    for action, kwargs, status in (
            ('stop', {'timeout': 3}, states.STOPPED),
            ('start', {}, states.RUNNING),
            ('pause', {}, states.PAUSED),
            ('unpause', {}, states.RUNNING),
            ('reboot', {'timeout': 3}, states.RUNNING),
            ('kill', {'signal': 'SIGTERM'}, states.STOPPED)):
        api.action(ctx, _row(container.uuid), action, **kwargs)
        _serve(fake_rpc, manager)
        found = _row(container.uuid)
        assert (action, found.status, found.task_state) == (action, status,
                                                            None)

    api.delete(ctx, _row(container.uuid))
    _serve(fake_rpc, manager)
    with pytest.raises(exception.ContainerNotFound):
        _row(container.uuid)
    assert engine.containers == {}


def test_reads_and_update_through_the_rpc_api(api, ctx, fake_rpc, manager,
                                              engine):
    container = fakes.make_container(ctx, status=states.RUNNING)
    container_id = engine.create(container, 'busybox')
    engine.start(container_id)
    container = db_api.container_update(ctx, container.uuid,
                                        {'container_id': container_id})
    calls = (
        (api.logs, {'tail': 5}, ''),
        (api.execute, {'command': ['true']}, {'exit_code': 0,
                                              'output': ''}),
        (api.top, {'ps_args': 'aux'}, {'Titles': [], 'Processes': []}),
        (api.stats, {}, {}),
    )
    for method, kwargs, expected in calls:
        method(ctx, container, **kwargs)
        assert _serve(fake_rpc, manager) == [expected]

    api.update(ctx, container, {'memory': '1024'})
    _serve(fake_rpc, manager)
    found = _row(container.uuid)
    assert (found.memory, found.task_state) == ('1024', None)
    assert engine.calls[-1] == ('update', container_id, '1024', None)


def test_an_action_is_recorded_as_an_event(api, ctx, fake_rpc, manager):
    container = fakes.make_container(ctx, status=states.CREATING,
                                     task_state=states.CONTAINER_CREATING)
    db_api.action_start(ctx, container.uuid, 'create')
    compute_rpcapi.ComputeAPI().container_create(ctx, HOST, container.uuid,
                                                 run=False)

    _serve(fake_rpc, manager)

    action, [event] = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert (event.event, event.result) == ('compute_container_create',
                                           'Success')
    assert action.finish_time is not None


def test_a_failed_action_records_why(api, ctx, fake_rpc, manager):
    container = fakes.make_container(ctx, status=states.CREATING,
                                     image='nope',
                                     task_state=states.CONTAINER_CREATING)
    db_api.action_start(ctx, container.uuid, 'create')
    compute_rpcapi.ComputeAPI().container_create(ctx, HOST, container.uuid,
                                                 run=False)

    with pytest.raises(messaging.ExpectedException) as raised:
        _serve(fake_rpc, manager)

    assert isinstance(raised.value.exc_info[1], exception.ImageNotFound)
    action, [event] = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert event.result == 'Error'
    assert 'ImageNotFound' in event.traceback
    assert action.message == 'Image nope could not be found.'


def test_report_resources_records_the_engines_info(manager):
    manager.report_resources()

    [node] = db_api.compute_node_list(fakes.admin_context())
    assert (node.hostname, node.cpus, node.mem_total) == (HOST, 4, 8192)


def test_init_host_recovers_then_syncs(manager, engine):
    admin = fakes.admin_context()
    interrupted = fakes.make_container(admin, status=states.CREATING,
                                       task_state=states.CONTAINER_CREATING)
    running = fakes.make_container(admin, status=states.RUNNING,
                                   container_id='vanished')

    manager.init_host()

    assert _row(interrupted.uuid).status == states.ERROR
    assert _row(running.uuid).status == states.ERROR
