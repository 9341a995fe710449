"""Commits through ComputeManager.container_commit and API.commit."""

import threading
import time
from unittest import mock
import uuid

import oslo_messaging as messaging
import pytest

from snapzun import exception
from snapzun import image
from snapzun.common import states
from snapzun.compute import api as compute_api
from snapzun.compute import commit
from snapzun.compute import manager as compute_manager
from snapzun.db import api as db_api
from tests.unit import fakes
from tests.unit.compute import commit_fakes

HOST = 'test-host'


@pytest.fixture
def engine():
    return commit_fakes.CommitEngine()


@pytest.fixture
def store():
    return commit_fakes.FakeImageDriver()


@pytest.fixture
def manager(db, engine, store):
    manager = compute_manager.ComputeManager(HOST, engine)
    manager.commits.image_drivers = {'store': store}.__getitem__
    return manager


def make_commit(ctx, container):
    commit_uuid = str(uuid.uuid4())
    db_api.commit_create(ctx, {
        'uuid': commit_uuid, 'container_uuid': container.uuid,
        'host': HOST, 'project_id': ctx.project_id, 'user_id': ctx.user_id,
        'request_id': ctx.request_id, 'image_driver': 'store',
        'repository': 'repo', 'tag': 'latest', 'status': commit.QUEUED})
    db_api.action_start(ctx, container.uuid, 'commit')
    return commit_uuid


def row(commit_uuid):
    return db_api.commit_get(fakes.admin_context(), commit_uuid)


def test_commit_of_a_container_in_a_wrong_state_is_abandoned(manager, ctx,
                                                             engine, store):
    container = fakes.make_container(ctx, status=states.CREATED)
    commit_uuid = make_commit(ctx, container)

    with pytest.raises(messaging.ExpectedException) as raised:
        manager.container_commit(ctx, container.uuid, commit_uuid)

    assert isinstance(raised.value.exc_info[1], exception.InvalidState)
    assert row(commit_uuid).status == commit.FAILED
    assert 'Created' in row(commit_uuid).error
    assert store.deleted == [commit_uuid]
    assert not [c for c in engine.calls if c[0] in ('commit', 'save')]
    action, events = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert action.finish_time is not None
    assert [(e.event, e.result) for e in events] == [
        ('compute_container_commit', 'Error')]


class SlowCapture(commit.Capture):
    """Records when each capture runs; takes a while."""

    def __init__(self):
        self.intervals = []

    def capture(self, engine, container, ref, record):
        entered = time.monotonic()
        time.sleep(0.2)
        self.intervals.append((entered, time.monotonic()))
        return f'sha256:{record.uuid}'


def test_two_commits_of_one_container_do_not_overlap(manager, ctx, store):
    container = fakes.make_container(ctx, status=states.RUNNING,
                                     container_id='engine-1')
    capture = SlowCapture()
    manager.commits.capture_step = capture
    commits = [make_commit(ctx, container) for _ in range(2)]
    errors = []

    def run(commit_uuid):
        try:
            manager.container_commit(fakes.context(), container.uuid,
                                     commit_uuid)
        except Exception as e:  # reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(c,)) for c in commits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert errors == []
    assert [row(c).status for c in commits] == [commit.ACTIVE] * 2
    assert set(store.uploaded) == set(commits)
    first, second = sorted(capture.intervals)
    assert first[1] <= second[0]


@pytest.fixture
def api(db, fake_rpc):
    fakes.make_service(HOST)
    return compute_api.API()


@pytest.fixture
def api_store(conf, store):
    conf.set('default_image_driver', 'glance')
    with mock.patch.object(image, 'get_driver', autospec=True,
                           return_value=store):
        yield store


def test_commit_the_broker_does_not_take_is_undone(api, ctx, fake_rpc,
                                                   api_store):
    container = fakes.make_container(ctx, status=states.RUNNING)
    fake_rpc.error = messaging.MessageDeliveryFailure('broker down')

    with pytest.raises(exception.ServiceUnavailable) as raised:
        api.commit(ctx, container, 'repo', 'v1')

    assert raised.value.code == 503
    [(image_id, repository, tag, _props)] = api_store.created
    assert (repository, tag) == ('repo', 'v1')
    assert api_store.deleted == [image_id]
    assert fake_rpc.sent('container_commit')[0].kwargs == {
        'container_uuid': container.uuid, 'commit_uuid': image_id}
    with pytest.raises(exception.NotFound):
        row(image_id)
    action, _events = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert action.action == 'commit'
    assert action.finish_time is not None
    assert 'broker down' in action.message


def test_commit_to_a_host_too_old_is_undone(api, ctx, conf, fake_rpc,
                                            api_store):
    conf.set('rpc_version_cap', '1.0', group='compute')
    api = compute_api.API()
    container = fakes.make_container(ctx, status=states.RUNNING)

    with pytest.raises(exception.ComputeTooOld):
        api.commit(ctx, container, 'repo', 'v1')

    [(image_id, _repo, _tag, _props)] = api_store.created
    assert api_store.deleted == [image_id]
    with pytest.raises(exception.NotFound):
        row(image_id)
    action, _events = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert action.finish_time is not None
    assert action.message
