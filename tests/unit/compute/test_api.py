"""compute.api.API: state gates in front of the RPC casts."""

from unittest import mock

import oslo_messaging as messaging
import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.compute import api as compute_api
from snapzun.conductor import manager as conductor_manager
from snapzun.db import api as db_api
from tests.unit import fakes

HOST = 'test-host'


@pytest.fixture
def api(db, fake_rpc):
    fakes.make_service(HOST)
    return compute_api.API()


def _row(uuid):
    return db_api.container_get(fakes.admin_context(), uuid)


# create

def test_create_records_the_container_and_asks_the_conductor(api, ctx,
                                                             fake_rpc):
    container = api.create(ctx, {'name': 'web', 'image': 'busybox'},
                           run=True)

    found = _row(container.uuid)
    assert (found.status, found.task_state) == (
        states.CREATING, states.CONTAINER_CREATING)
    assert (found.project_id, found.user_id) == (ctx.project_id,
                                                 ctx.user_id)
    [sent] = fake_rpc.messages
    assert (sent.kind, sent.topic, sent.method, sent.kwargs) == (
        'cast', 'snapzun-conductor', 'schedule_and_create',
        {'container_uuid': container.uuid, 'run': True})
    [action] = db_api.action_list(ctx, container.uuid)
    assert (action.action, action.request_id) == ('create', ctx.request_id)


def test_create_without_a_conductor_is_unavailable_and_an_error(api, ctx,
                                                                fake_rpc):
    fake_rpc.error = messaging.MessageDeliveryFailure('no broker')

    with pytest.raises(exception.ServiceUnavailable):
        api.create(ctx, {'name': 'web', 'image': 'busybox'}, run=False)

    [found] = db_api.container_list(ctx)
    assert (found.status, found.task_state) == (states.ERROR, None)
    assert 'no broker' in found.status_reason


# actions

def test_action_claims_the_container_and_casts_to_its_host(api, ctx,
                                                           fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)

    api.action(ctx, container, 'stop', timeout=7)

    assert _row(container.uuid).task_state == states.CONTAINER_STOPPING
    [sent] = fake_rpc.messages
    assert (sent.kind, sent.topic, sent.server, sent.method, sent.kwargs) == (
        'cast', 'snapzun-compute', HOST, 'container_stop',
        {'container_uuid': container.uuid, 'timeout': 7})
    [action] = db_api.action_list(ctx, container.uuid)
    assert action.action == 'stop'


def test_action_in_a_state_that_forbids_it(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.CREATED)

    with pytest.raises(exception.InvalidState) as raised:
        api.action(ctx, container, 'stop', timeout=7)

    assert 'Created' in str(raised.value)
    assert _row(container.uuid).task_state is None
    assert fake_rpc.messages == []
    assert db_api.action_list(ctx, container.uuid) == []


def test_action_while_another_task_runs_is_busy(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)
    api.action(ctx, container, 'pause')

    # The caller's copy of the row is from before the pause began.
    with pytest.raises(exception.ContainerBusy) as raised:
        api.action(ctx, container, 'stop', timeout=7)

    assert raised.value.code == 409
    assert states.CONTAINER_PAUSING in str(raised.value)
    assert [m.method for m in fake_rpc.messages] == ['container_pause']


def test_action_when_the_state_changed_meanwhile_is_invalid(api, ctx):
    container = fakes.make_container(ctx, status=states.RUNNING)
    db_api.container_update(ctx, container.uuid, {'status': states.STOPPED})

    with pytest.raises(exception.InvalidState):
        api.action(ctx, container, 'stop', timeout=7)


def test_a_claim_is_never_skipped(api, ctx, fake_rpc):
    """A delete racing a stop that ends between UPDATE and re-read.

    The conditional UPDATE misses because the stop is still under way; by
    the time _begin re-reads the row the stop has finished. The request
    must then either fail (busy) or hold the claim it acts on: never go on
    with the row unclaimed.
    """
    container = fakes.make_container(ctx, status=states.STOPPED)
    db_api.container_update(ctx, container.uuid,
                            {'task_state': states.CONTAINER_STOPPING})
    real_update = db_api.container_update

    stop_finished = []

    def update_then_stop_finishes(context, uuid, values, **conditions):
        result = real_update(context, uuid, values, **conditions)
        if conditions and not stop_finished:
            stop_finished.append(True)
            real_update(fakes.admin_context(), uuid, {'task_state': None})
        return result

    with mock.patch.object(db_api, 'container_update', autospec=True,
                           side_effect=update_then_stop_finishes):
        try:
            api.delete(ctx, container)
        except exception.ContainerBusy:
            return

    found = _row(container.uuid)
    assert (found.status, found.task_state) == (
        states.DELETING, states.CONTAINER_DELETING)


def test_action_on_a_host_whose_service_is_down(api, ctx, conf, fake_rpc):
    fakes.make_service('old-host', seconds_ago=120)
    conf.set('service_down_time', 60, group='compute')
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     host='old-host')

    with pytest.raises(exception.ComputeUnavailable) as raised:
        api.action(ctx, container, 'stop', timeout=7)

    assert raised.value.code == 503
    assert _row(container.uuid).task_state is None
    assert fake_rpc.messages == []


def test_action_on_a_host_without_a_compute_service(api, ctx):
    fakes.make_service('conductor-host', binary='snapzun-conductor')
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     host='conductor-host')

    with pytest.raises(exception.ComputeUnavailable):
        api.action(ctx, container, 'pause')


def test_action_the_broker_does_not_take_releases_the_claim(api, ctx,
                                                            fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)
    fake_rpc.error = messaging.MessageDeliveryFailure('broker down')

    with pytest.raises(exception.ServiceUnavailable):
        api.action(ctx, container, 'pause')

    assert _row(container.uuid).task_state is None


# delete

def test_delete_of_an_unscheduled_container_destroys_it_at_once(api, ctx,
                                                                fake_rpc):
    container = fakes.make_container(ctx, status=states.ERROR, host=None)
    db_api.action_start(ctx, container.uuid, 'create')

    api.delete(ctx, container)

    with pytest.raises(exception.ContainerNotFound):
        _row(container.uuid)
    assert db_api.action_list(ctx, container.uuid) == []
    assert fake_rpc.messages == []


def test_delete_of_an_unscheduled_creating_container_needs_force(api, ctx):
    container = fakes.make_container(ctx, status=states.CREATING, host=None)

    with pytest.raises(exception.InvalidState):
        api.delete(ctx, container)
    api.delete(ctx, container, force=True)

    with pytest.raises(exception.ContainerNotFound):
        _row(container.uuid)


def test_delete_marks_deleting_and_casts(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.STOPPED)

    api.delete(ctx, container)

    found = _row(container.uuid)
    assert (found.status, found.task_state) == (
        states.DELETING, states.CONTAINER_DELETING)
    [sent] = fake_rpc.messages
    assert (sent.server, sent.method, sent.kwargs) == (
        HOST, 'container_delete',
        {'container_uuid': container.uuid, 'force': False, 'stop': False})


def test_delete_of_a_running_container_needs_stop_or_force(api, ctx,
                                                           fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)

    with pytest.raises(exception.InvalidState):
        api.delete(ctx, container)
    api.delete(ctx, container, stop=True)

    assert fake_rpc.messages[-1].kwargs['stop'] is True


def test_force_delete_overrides_a_running_task(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     task_state=states.CONTAINER_STOPPING)

    api.delete(ctx, container, force=True)

    assert _row(container.uuid).status == states.DELETING
    assert fake_rpc.messages[-1].kwargs['force'] is True


def test_delete_after_no_valid_host_for_a_requested_host(api, ctx,
                                                         fake_rpc):
    """A container placed nowhere can be deleted, requested host or not.

    The create request named host 'ghost', which runs no compute service;
    the conductor marks the container Error. Deleting it must not wait on
    the compute service of a host it never reached.
    """
    container = api.create(ctx, {'name': 'web', 'image': 'busybox',
                                 'host': 'ghost'}, run=False)
    [request] = fake_rpc.messages
    conductor_manager.ConductorManager().schedule_and_create(
        request.context, **request.kwargs)
    failed = _row(container.uuid)
    assert failed.status == states.ERROR

    api.delete(ctx, failed)

    with pytest.raises(exception.ContainerNotFound):
        _row(container.uuid)


# update and reads

def test_update_of_the_name_only_touches_the_database(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)

    updated = api.update(ctx, container, {'name': 'renamed'})

    assert updated.name == 'renamed'
    assert fake_rpc.messages == []


def test_update_of_limits_calls_the_host(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING)

    api.update(ctx, container, {'memory': '1024'})

    [sent] = fake_rpc.messages
    assert (sent.kind, sent.method, sent.kwargs) == (
        'call', 'container_update',
        {'container_uuid': container.uuid, 'values': {'memory': '1024'}})
    assert _row(container.uuid).task_state == states.CONTAINER_UPDATING


def test_logs_of_a_container_never_created_in_the_engine(api, ctx,
                                                         fake_rpc):
    container = fakes.make_container(ctx, status=states.ERROR)

    assert api.logs(ctx, container) == ''
    assert fake_rpc.messages == []


def test_reads_call_the_host_of_a_running_container(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     container_id='c1')
    fake_rpc.replies['container_top'] = {'Processes': [['1', 'sh']]}

    assert api.top(ctx, container, 'aux') == {'Processes': [['1', 'sh']]}
    assert fake_rpc.messages[-1].kwargs == {'container_uuid': container.uuid,
                                            'ps_args': 'aux'}


def test_reads_of_a_stopped_container_are_invalid(api, ctx, fake_rpc):
    container = fakes.make_container(ctx, status=states.STOPPED,
                                     container_id='c1')

    with pytest.raises(exception.InvalidState):
        api.stats(ctx, container)
    assert fake_rpc.messages == []


def test_a_read_the_host_does_not_answer_is_compute_unavailable(api, ctx,
                                                               fake_rpc):
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     container_id='c1')
    fake_rpc.replies['container_execute'] = messaging.MessagingTimeout()

    with pytest.raises(exception.ComputeUnavailable):
        api.execute(ctx, container, ['true'])
