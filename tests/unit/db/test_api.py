"""snapzun.db.api on a real SQLite file."""

from concurrent import futures
import datetime
import threading
from unittest import mock

from oslo_utils import timeutils
from oslo_utils import uuidutils
import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.db import api as db_api
from tests.unit import fakes


@pytest.fixture
def ctx(db):
    return fakes.context()


@pytest.fixture
def other_ctx(db):
    return fakes.context(project_id=fakes.PROJECT_B, user_id='user-b')


# Containers: create and get

def test_create_generates_uuid_and_round_trips_json_columns(ctx):
    created = db_api.container_create(ctx, {
        'name': 'web', 'image': 'nginx', 'status': states.CREATING,
        'project_id': ctx.project_id, 'command': ['sleep', '60'],
        'environment': {'A': '1'}, 'restart_policy': {
            'Name': 'on-failure', 'MaximumRetryCount': '3'}})

    assert uuidutils.is_uuid_like(created.uuid)
    found = db_api.container_get(ctx, created.uuid)
    assert found.name == 'web'
    assert found.command == ['sleep', '60']
    assert found.environment == {'A': '1'}
    assert found.restart_policy == {'Name': 'on-failure',
                                    'MaximumRetryCount': '3'}
    assert found.created_at is not None


def test_create_keeps_a_given_uuid(ctx):
    uuid = uuidutils.generate_uuid()
    assert fakes.make_container(ctx, uuid=uuid).uuid == uuid


def test_get_unknown_uuid_is_not_found(ctx):
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, uuidutils.generate_uuid())


def test_get_of_another_projects_container_is_not_found(ctx, other_ctx):
    theirs = fakes.make_container(other_ctx)

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, theirs.uuid)


def test_get_across_projects_with_all_projects(ctx, other_ctx):
    theirs = fakes.make_container(other_ctx)

    found = db_api.container_get(fakes.admin_context(), theirs.uuid)

    assert found.project_id == fakes.PROJECT_B


def test_get_by_name(ctx):
    mine = fakes.make_container(ctx, name='web')

    assert db_api.container_get_by_name(ctx, 'web').uuid == mine.uuid


def test_get_by_unknown_name_is_not_found(ctx):
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get_by_name(ctx, 'nobody')


def test_get_by_name_shared_by_two_containers_is_ambiguous(ctx):
    fakes.make_container(ctx, name='web')
    fakes.make_container(ctx, name='web')

    with pytest.raises(exception.AmbiguousName):
        db_api.container_get_by_name(ctx, 'web')


def test_get_by_name_only_counts_the_own_project(ctx, other_ctx):
    mine = fakes.make_container(ctx, name='web')
    fakes.make_container(other_ctx, name='web')

    assert db_api.container_get_by_name(ctx, 'web').uuid == mine.uuid
    with pytest.raises(exception.AmbiguousName):
        db_api.container_get_by_name(fakes.admin_context(), 'web')


def test_get_by_name_of_another_project_is_not_found(ctx, other_ctx):
    fakes.make_container(other_ctx, name='theirs')

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get_by_name(ctx, 'theirs')


# Containers: list

def _names(containers):
    return [c.name for c in containers]


def test_list_is_scoped_to_the_project(ctx, other_ctx):
    fakes.make_container(ctx, name='a1')
    fakes.make_container(other_ctx, name='b1')

    assert _names(db_api.container_list(ctx)) == ['a1']
    assert sorted(_names(db_api.container_list(
        fakes.admin_context()))) == ['a1', 'b1']


def test_list_filters(ctx):
    fakes.make_container(ctx, name='a', status=states.RUNNING)
    fakes.make_container(ctx, name='b', status=states.STOPPED)
    fakes.make_container(ctx, name='c', status=states.RUNNING,
                         auto_remove=True)

    assert _names(db_api.container_list(
        ctx, {'status': states.RUNNING})) == ['a', 'c']
    assert _names(db_api.container_list(
        ctx, {'status': states.RUNNING, 'auto_remove': True})) == ['c']
    assert _names(db_api.container_list(ctx, {'name': 'b'})) == ['b']


def test_list_pages_with_limit_and_marker(ctx):
    for name in ('a', 'b', 'c', 'd', 'e'):
        fakes.make_container(ctx, name=name)

    first = db_api.container_list(ctx, limit=2)
    second = db_api.container_list(ctx, limit=2, marker=first[-1].uuid)
    last = db_api.container_list(ctx, limit=2, marker=second[-1].uuid)

    assert [_names(first), _names(second), _names(last)] == [
        ['a', 'b'], ['c', 'd'], ['e']]


def test_list_sorts_by_key_and_direction_with_id_as_tie_break(ctx):
    for name, memory in (('a', '256'), ('b', '512'), ('c', '256')):
        fakes.make_container(ctx, name=name, memory=memory)

    assert _names(db_api.container_list(
        ctx, sort_key='name', sort_dir='desc')) == ['c', 'b', 'a']
    by_memory = db_api.container_list(ctx, sort_key='memory', limit=2)
    assert _names(by_memory) == ['a', 'c']
    assert _names(db_api.container_list(
        ctx, sort_key='memory', limit=2, marker=by_memory[-1].uuid)) == ['b']


def test_list_with_an_unknown_marker_is_not_found(ctx):
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_list(ctx, marker=uuidutils.generate_uuid())


def test_list_with_another_projects_marker_is_not_found(ctx, other_ctx):
    theirs = fakes.make_container(other_ctx)

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_list(ctx, marker=theirs.uuid)


def test_containers_on_host_and_count_by_host(ctx, other_ctx):
    fakes.make_container(ctx, host='h1')
    fakes.make_container(other_ctx, host='h1')
    fakes.make_container(ctx, host='h2')
    fakes.make_container(ctx, host=None)

    assert len(db_api.containers_on_host(ctx, 'h1')) == 2
    assert db_api.container_count_by_host(ctx) == {'h1': 2, 'h2': 1}


# Containers: conditional update and destroy

def test_update_without_conditions_sets_values_and_updated_at(ctx):
    container = fakes.make_container(ctx)

    updated = db_api.container_update(ctx, container.uuid,
                                      {'status': states.RUNNING})

    assert updated.status == states.RUNNING
    assert updated.updated_at is not None
    assert db_api.container_get(ctx, container.uuid).status == \
        states.RUNNING


def test_update_with_expected_status(ctx):
    container = fakes.make_container(ctx, status=states.CREATED)

    missed = db_api.container_update(
        ctx, container.uuid, {'task_state': states.CONTAINER_STOPPING},
        expected_status=(states.RUNNING,))
    hit = db_api.container_update(
        ctx, container.uuid, {'task_state': states.CONTAINER_STARTING},
        expected_status=(states.CREATED, states.STOPPED))

    assert missed is None
    assert hit.task_state == states.CONTAINER_STARTING


def test_update_expecting_idle_task_state(ctx):
    busy = fakes.make_container(ctx, task_state=states.CONTAINER_STOPPING)
    idle = fakes.make_container(ctx)

    assert db_api.container_update(
        ctx, busy.uuid, {'task_state': states.CONTAINER_STARTING},
        expected_task_state=None) is None
    assert db_api.container_get(ctx, busy.uuid).task_state == \
        states.CONTAINER_STOPPING
    assert db_api.container_update(
        ctx, idle.uuid, {'task_state': states.CONTAINER_STARTING},
        expected_task_state=None).task_state == states.CONTAINER_STARTING


def test_update_expecting_a_given_task_state(ctx):
    container = fakes.make_container(
        ctx, task_state=states.CONTAINER_STOPPING)

    assert db_api.container_update(
        ctx, container.uuid, {'task_state': None},
        expected_task_state=states.CONTAINER_STARTING) is None
    assert db_api.container_update(
        ctx, container.uuid, {'task_state': None},
        expected_task_state=states.CONTAINER_STOPPING).task_state is None


def test_update_of_a_missing_container_is_not_found(ctx):
    for conditions in ({}, {'expected_status': (states.RUNNING,)},
                       {'expected_task_state': None}):
        with pytest.raises(exception.ContainerNotFound):
            db_api.container_update(ctx, uuidutils.generate_uuid(),
                                    {'status': states.ERROR}, **conditions)


def test_update_of_another_projects_container_is_not_found(ctx, other_ctx):
    theirs = fakes.make_container(other_ctx)

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_update(ctx, theirs.uuid, {'status': states.ERROR})
    assert db_api.container_get(other_ctx, theirs.uuid).status == \
        states.CREATED


def test_only_one_of_racing_claims_wins(ctx):
    container = fakes.make_container(ctx)
    start = threading.Barrier(8)

    def claim(n):
        start.wait()
        return db_api.container_update(
            fakes.context(), container.uuid, {'task_state': f'task-{n}'},
            expected_task_state=None)

    with futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(claim, range(8)))

    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert db_api.container_get(ctx, container.uuid).task_state == \
        winners[0].task_state


def test_destroy(ctx):
    container = fakes.make_container(ctx)

    db_api.container_destroy(ctx, container.uuid)

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_get(ctx, container.uuid)
    with pytest.raises(exception.ContainerNotFound):
        db_api.container_destroy(ctx, container.uuid)


def test_destroy_of_another_projects_container_is_not_found(ctx, other_ctx):
    theirs = fakes.make_container(other_ctx)

    with pytest.raises(exception.ContainerNotFound):
        db_api.container_destroy(ctx, theirs.uuid)
    assert db_api.container_get(other_ctx, theirs.uuid).uuid == theirs.uuid


# Services

def test_heartbeat_registers_then_counts(db):
    admin = fakes.admin_context()

    first = db_api.service_heartbeat(admin, 'h1', fakes.COMPUTE)
    second = db_api.service_heartbeat(admin, 'h1', fakes.COMPUTE)

    assert second.id == first.id
    assert second.report_count == 2
    assert second.last_seen_up >= first.last_seen_up
    assert second.disabled is False


def test_service_list_filters_by_binary(db):
    fakes.make_service('h1')
    fakes.make_service('h1', binary='snapzun-conductor')

    services = db_api.service_list(fakes.admin_context(), fakes.COMPUTE)

    assert [(s.host, s.binary) for s in services] == [('h1', fakes.COMPUTE)]
    assert len(db_api.service_list(fakes.admin_context())) == 2


def test_service_is_up_within_down_time(db):
    fresh = fakes.make_service('fresh', seconds_ago=5)
    stale = fakes.make_service('stale', seconds_ago=120)

    assert db_api.service_is_up(fresh, 60)
    assert not db_api.service_is_up(stale, 60)
    assert db_api.service_is_up(stale, 300)


def test_service_is_up_at_the_down_time_boundary(db):
    service = fakes.make_service('h1')
    at = service.last_seen_up + datetime.timedelta(seconds=60)

    with mock.patch.object(timeutils, 'utcnow', autospec=True,
                           return_value=at):
        assert db_api.service_is_up(service, 60)
    with mock.patch.object(timeutils, 'utcnow', autospec=True,
                           return_value=at + datetime.timedelta(seconds=1)):
        assert not db_api.service_is_up(service, 60)


def test_forced_down_service_is_down(db):
    service = fakes.make_service('h1', forced_down=True)

    assert not db_api.service_is_up(service, 60)


def test_concurrent_writers_share_the_sqlite_file(db):
    """8 threads x 30 heartbeats: no 'database is locked', none lost."""
    def beat(n):
        for _ in range(30):
            db_api.service_heartbeat(fakes.admin_context(), 'shared',
                                     fakes.COMPUTE)
            db_api.service_heartbeat(fakes.admin_context(), f'host-{n}',
                                     fakes.COMPUTE)

    with futures.ThreadPoolExecutor(8) as pool:
        for result in [pool.submit(beat, n) for n in range(8)]:
            result.result(timeout=60)

    counts = {s.host: s.report_count
              for s in db_api.service_list(fakes.admin_context())}
    assert counts.pop('shared') == 240
    assert counts == {f'host-{n}': 30 for n in range(8)}


# Actions and their events

def test_action_with_events(ctx):
    container = fakes.make_container(ctx)
    db_api.action_start(ctx, container.uuid, 'start')

    pull = db_api.action_event_start(ctx, container.uuid, ctx.request_id,
                                     'compute_pull')
    db_api.action_event_update(ctx, pull.id, {'details': {'layers': 3}})
    db_api.action_event_update(ctx, pull.id, {
        'result': 'Success', 'finish_time': timeutils.utcnow()})
    run = db_api.action_event_start(ctx, container.uuid, ctx.request_id,
                                    'compute_start')
    finished = db_api.action_finish(ctx, container.uuid, ctx.request_id,
                                    message='done')

    action, events = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert (action.action, action.project_id, action.user_id) == (
        'start', fakes.PROJECT_A, 'user-a')
    assert finished.finish_time is not None
    assert action.message == 'done'
    assert [e.id for e in events] == [pull.id, run.id]
    assert (events[0].result, events[0].details) == ('Success', {'layers': 3})
    assert events[0].finish_time is not None
    assert events[1].result is None


def test_action_get_unknown_request_is_action_not_found(ctx):
    container = fakes.make_container(ctx)

    with pytest.raises(exception.ActionNotFound):
        db_api.action_get(ctx, container.uuid, 'req-unknown')


def test_events_and_finish_of_an_unknown_action_are_ignored(ctx):
    container = fakes.make_container(ctx)

    assert db_api.action_event_start(ctx, container.uuid, 'req-unknown',
                                     'compute_start') is None
    assert db_api.action_finish(ctx, container.uuid, 'req-unknown') is None


def test_action_list_newest_first_and_destroy(ctx):
    container = fakes.make_container(ctx)
    db_api.action_start(ctx, container.uuid, 'create')
    later = fakes.context()
    db_api.action_start(later, container.uuid, 'stop')
    event = db_api.action_event_start(later, container.uuid,
                                      later.request_id, 'compute_stop')

    assert [a.action for a in db_api.action_list(
        ctx, container.uuid)] == ['stop', 'create']

    db_api.actions_destroy(ctx, container.uuid)

    assert db_api.action_list(ctx, container.uuid) == []
    with pytest.raises(exception.ActionNotFound):
        db_api.action_get(ctx, container.uuid, later.request_id)
    # The events went with their action (ON DELETE CASCADE).
    db_api.action_start(later, container.uuid, 'stop')
    _, events = db_api.action_get(ctx, container.uuid, later.request_id)
    assert event.id not in [e.id for e in events]
