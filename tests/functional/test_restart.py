"""Restarting the compute agent while containers run loses nothing."""

import os

import pytest

from tests.functional import harness


@pytest.fixture
def own_snapzun(work_dir, docker_host, request):
    """A snapzun-all of this test's own, free to be stopped and killed."""
    process = harness.SnapzunProcess(
        os.path.join(work_dir, request.node.name), 'ft-host1',
        docker_host.url)
    process.start()
    yield process
    process.stop()


def test_restart_reconciles_state(own_snapzun, docker_host):
    api = harness.Api(own_snapzun.endpoint)
    keep = api.create(name='keep', command=['sleep', '600'])['uuid']
    halt = api.create(name='halt', command=['sleep', '600'])['uuid']
    paused = api.create(name='paused', command=['sleep', '600'])['uuid']
    for uuid in (keep, halt, paused):
        api.wait_status(uuid, 'Running')
    api.action(paused, 'pause')
    api.wait_status(paused, 'Paused')

    own_snapzun.stop()
    # While the agent is away, the engine changes under it.
    docker_host.client.containers.get(f'snapzun-{halt}').kill()
    own_snapzun.start()

    api.wait_status(keep, 'Running', timeout=30)
    api.wait_status(halt, 'Stopped', timeout=30)
    api.wait_status(paused, 'Paused', timeout=30)
    engine = {c.labels['snapzun.uuid']: c.status
              for c in docker_host.managed_containers()}
    assert engine[keep] == 'running'
    assert engine[paused] == 'paused'
    listed = api.get('/v1/containers').json()['containers']
    assert {c['uuid'] for c in listed} == {keep, halt, paused}

    for uuid in (keep, halt, paused):
        api.delete(f'/v1/containers/{uuid}', params={'force': True})
        api.wait_gone(uuid)


def test_agent_killed_mid_action_recovers(own_snapzun, docker_host):
    api = harness.Api(own_snapzun.endpoint)
    uuid = api.create(command=['sleep', '600'])['uuid']
    api.wait_status(uuid, 'Running')
    # sleep ignores SIGTERM: the stop holds its task state for 30 s.
    assert api.action(uuid, 'stop', timeout=30).status_code == 202
    harness.wait_for(lambda: api.show(uuid)['task_state'] ==
                     'container_stopping', 10, 0.05, 'stop to begin')
    own_snapzun.kill()
    own_snapzun.start()

    settled = harness.wait_for(
        lambda: (lambda c: c if c['task_state'] is None else None)(
            api.show(uuid)), 30, 0.2, 'the interrupted stop to settle')
    assert settled['status'] == 'Running'
    assert api.action(uuid, 'stop', timeout=0).status_code == 202
    api.wait_status(uuid, 'Stopped')
    api.delete(f'/v1/containers/{uuid}')
    api.wait_gone(uuid)
    assert not [c for c in docker_host.managed_containers()
                if c.labels['snapzun.uuid'] == uuid]


def test_agent_killed_mid_delete_finishes_it(own_snapzun, docker_host):
    api = harness.Api(own_snapzun.endpoint)
    uuid = api.create(command=['sleep', '600'])['uuid']
    api.wait_status(uuid, 'Running')
    response = api.delete(f'/v1/containers/{uuid}',
                          params={'stop': True})
    assert response.status_code == 204
    harness.wait_for(lambda: api.show(uuid)['status'] == 'Deleting', 10,
                     0.05, 'delete to begin')
    own_snapzun.kill()
    own_snapzun.start()
    api.wait_gone(uuid, timeout=30)
    assert not [c for c in docker_host.managed_containers()
                if c.labels['snapzun.uuid'] == uuid]
