"""CommitFlow: capture, ship, abandon and recover commits."""

import uuid

import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.compute import commit
from snapzun.db import api as db_api
from tests.unit import fakes
from tests.unit.compute import commit_fakes

HOST = 'test-host'


@pytest.fixture
def engine():
    return commit_fakes.CommitEngine()


@pytest.fixture
def drivers():
    return {'store': commit_fakes.FakeImageDriver(),
            'local': commit_fakes.FakeImageDriver(keeps_local_image=True)}


@pytest.fixture
def flow(engine, drivers):
    return commit.CommitFlow(engine, drivers.__getitem__)


@pytest.fixture
def container(ctx, engine):
    row = fakes.make_container(ctx, status=states.RUNNING)
    engine.containers['engine-c'] = {'uuid': row.uuid, 'host': HOST,
                                     'Status': 'running', 'ExitCode': 0,
                                     'Paused': False}
    return db_api.container_update(ctx, row.uuid,
                                   {'container_id': 'engine-c'})


def make_commit(ctx, container, driver='store', host=HOST,
                status=commit.QUEUED, **values):
    values = dict({
        'uuid': str(uuid.uuid4()), 'container_uuid': container.uuid,
        'host': host, 'project_id': ctx.project_id,
        'user_id': ctx.user_id, 'request_id': ctx.request_id,
        'image_driver': driver, 'repository': 'myrepo', 'tag': 'v1',
        'status': status}, **values)
    db_api.commit_create(ctx, values)
    return row(values['uuid'])


def row(commit_uuid):
    return db_api.commit_get(fakes.admin_context(), commit_uuid)


def test_capture_records_the_local_image(flow, ctx, container, engine):
    record = make_commit(ctx, container)

    image_id = flow.capture(ctx, container, record)

    assert row(record.uuid).status == commit.CAPTURING
    assert row(record.uuid).local_image_id == image_id
    ref = f'local/{record.uuid}:latest'
    assert engine.local_images == {ref: image_id}
    assert engine.calls[-1] == (
        'commit', 'engine-c', f'local/{record.uuid}', 'latest',
        {commit.LABEL_COMMIT: record.uuid,
         commit.LABEL_SOURCE: container.uuid})


def test_ship_to_a_driver_that_keeps_local_images(flow, ctx, container,
                                                  engine, drivers):
    record = make_commit(ctx, container, driver='local')
    flow.capture(ctx, container, record)
    event = commit_fakes.FakeEvent()

    result = flow.ship(ctx, row(record.uuid), event)

    size = sum(len(c) for c in engine.chunks)
    assert result == {'size': size, 'checksum': None}
    assert row(record.uuid).status == commit.ACTIVE
    assert row(record.uuid).size == size
    assert drivers['local'].uploaded == {}
    assert not [c for c in engine.calls if c[0] == 'save']
    assert event.reports[-1]['size'] == size


def test_ship_streams_the_build_to_the_store(flow, ctx, container, engine,
                                             drivers):
    record = make_commit(ctx, container)
    flow.capture(ctx, container, record)
    event = commit_fakes.FakeEvent()

    result = flow.ship(ctx, row(record.uuid), event)

    data = b''.join(engine.chunks)
    assert drivers['store'].uploaded == {record.uuid: data}
    assert drivers['store'].progress == [7, 14, 21]
    assert ('save', f'local/{record.uuid}:latest',
            commit.CONF.glance.upload_chunk_size) in engine.calls
    assert result == {'size': len(data), 'checksum': 'md5-of-data'}
    stored = row(record.uuid)
    assert (stored.status, stored.size, stored.checksum) == (
        commit.ACTIVE, len(data), 'md5-of-data')
    # Progress was reported during the upload, then the outcome.
    assert event.reports[0] == {'image': record.uuid, 'bytes_uploaded': 7}
    assert event.reports[-1]['bytes_uploaded'] == len(data)
    assert event.reports[-1]['checksum'] == 'md5-of-data'


def test_abandon_after_capture_removes_the_local_image(flow, ctx, container,
                                                       engine, drivers):
    record = make_commit(ctx, container)
    flow.capture(ctx, container, record)

    flow.abandon(ctx, row(record.uuid), RuntimeError('boom'))

    assert ('remove_image', f'local/{record.uuid}:latest') in engine.calls
    assert engine.local_images == {}
    assert drivers['store'].deleted == [record.uuid]
    assert (row(record.uuid).status, row(record.uuid).error) == (
        commit.FAILED, 'boom')


def test_abandon_before_capture_leaves_the_engine_alone(flow, ctx, container,
                                                        engine, drivers):
    record = make_commit(ctx, container)

    flow.abandon(ctx, record, 'never captured')

    assert not [c for c in engine.calls if c[0] == 'remove_image']
    assert drivers['store'].deleted == [record.uuid]
    assert row(record.uuid).status == commit.FAILED


def test_a_store_that_cannot_delete_leaves_cleanup_pending(flow, ctx,
                                                           container,
                                                           drivers):
    record = make_commit(ctx, container)
    store = drivers['store']
    store.delete_error = exception.ImageServiceUnavailable(reason='down')

    flow.abandon(ctx, record, 'boom')

    assert row(record.uuid).status == commit.CLEANUP_PENDING
    assert row(record.uuid).error == 'boom'

    store.delete_error = None
    flow.retry_cleanup(ctx, HOST)

    assert store.deleted == [record.uuid, record.uuid]
    assert row(record.uuid).status == commit.FAILED


def test_retry_cleanup_keeps_pending_while_the_store_is_down(flow, ctx,
                                                             container,
                                                             drivers):
    record = make_commit(ctx, container, status=commit.CLEANUP_PENDING)
    drivers['store'].delete_error = exception.ImageServiceUnavailable(
        reason='still down')

    flow.retry_cleanup(ctx, HOST)

    assert drivers['store'].deleted == [record.uuid]
    assert row(record.uuid).status == commit.CLEANUP_PENDING


def test_recover_abandons_commits_in_progress_on_its_host(flow, ctx,
                                                          container, engine,
                                                          drivers):
    db_api.action_start(ctx, container.uuid, 'commit')
    uploading = make_commit(ctx, container, status=commit.UPLOADING,
                            local_image_id='sha256:9')
    queued = make_commit(ctx, container, status=commit.QUEUED)
    elsewhere = make_commit(ctx, container, host='other-host',
                            status=commit.UPLOADING)
    pending = make_commit(ctx, container, status=commit.CLEANUP_PENDING)
    done = make_commit(ctx, container, status=commit.ACTIVE)

    flow.recover(ctx, HOST)

    assert row(uploading.uuid).status == commit.FAILED
    assert row(queued.uuid).status == commit.FAILED
    assert 'restart' in row(uploading.uuid).error
    assert row(pending.uuid).status == commit.FAILED
    assert row(elsewhere.uuid).status == commit.UPLOADING
    assert row(done.uuid).status == commit.ACTIVE
    assert sorted(drivers['store'].deleted) == sorted(
        [uploading.uuid, queued.uuid, pending.uuid])
    # Only the captured one had a local image to remove.
    assert [c for c in engine.calls if c[0] == 'remove_image'] == [
        ('remove_image', f'local/{uploading.uuid}:latest')]
    action, _events = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert action.finish_time is not None
    assert 'interrupted by a restart' in action.message
