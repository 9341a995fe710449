"""Commit in the embedded default: the image stays in the local engine."""

import pytest

from tests.functional import harness


def _wait_commit_action(api, uuid, request_id):
    def finished():
        action = api.get(f'/v1/containers/{uuid}/container_actions/'
                         f'{request_id}').json()
        return action if action['finish_time'] else None
    return harness.wait_for(finished, 60, 0.2, 'the commit to finish')


def test_commit_running_container_and_run_the_image(api, docker_host,
                                                     cleanup):
    uuid = api.create(command=['sh', '-c', 'echo kept > /marker; '
                                           'sleep 600'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    harness.wait_for(lambda: api.action(uuid, 'execute',
                                        command='cat /marker').json()[
        'output'] == 'kept\n', 10, 0.1, 'the marker file')

    response = api.action(uuid, 'commit', repository='snap/local',
                          tag='v1')
    assert response.status_code == 202, response.text
    image_id = response.json()['uuid']
    action = _wait_commit_action(api, uuid,
                                 response.headers['x-openstack-request-id'])
    assert action['message'] is None
    assert action['events'][0]['result'] == 'Success'
    assert action['events'][0]['details']['size'] > 0

    image = docker_host.client.images.get('snap/local:v1')
    assert image.labels['snapzun.commit'] == image_id
    assert image.labels['snapzun.source_container'] == uuid
    # The engine paused it for the capture only.
    assert api.show(uuid)['status'] == 'Running'
    assert not docker_host.client.containers.get(
        f'snapzun-{uuid}').attrs['State']['Paused']

    clone = api.create(image='snap/local:v1',
                       command=['sh', '-c', 'cat /marker; sleep 600'])
    cleanup.append(clone['uuid'])
    api.wait_status(clone['uuid'], 'Running')
    harness.wait_for(lambda: 'kept' in api.get(
        f"/v1/containers/{clone['uuid']}/logs").json(), 10, 0.2,
        'the clone to print the marker')


def test_commit_paused_and_stopped(api, docker_host, cleanup):
    uuid = api.create(command=['sleep', '600'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    api.action(uuid, 'pause')
    api.wait_status(uuid, 'Paused')
    # The spec's body form.
    response = api.post(f'/v1/containers/{uuid}/commit',
                        json={'image-name': 'snap/paused:p1'})
    assert response.status_code == 202, response.text
    _wait_commit_action(api, uuid,
                        response.headers['x-openstack-request-id'])
    assert api.show(uuid)['status'] == 'Paused'
    assert docker_host.client.images.get('snap/paused:p1')

    api.action(uuid, 'unpause')
    api.wait_status(uuid, 'Running')
    api.action(uuid, 'stop', timeout=0)
    api.wait_status(uuid, 'Stopped')
    response = api.action(uuid, 'commit', repository='snap/stopped')
    assert response.status_code == 202
    _wait_commit_action(api, uuid,
                        response.headers['x-openstack-request-id'])
    assert api.show(uuid)['status'] == 'Stopped'
    assert docker_host.client.images.get('snap/stopped:latest')


def test_commits_of_one_container_are_serialized(api, docker_host, cleanup):
    uuid = api.create(command=['sleep', '600'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    requests = [api.action(uuid, 'commit', repository='snap/serial',
                           tag=f't{i}') for i in range(3)]
    assert [r.status_code for r in requests] == [202] * 3
    actions = [_wait_commit_action(api, uuid,
                                   r.headers['x-openstack-request-id'])
               for r in requests]
    spans = sorted((a['events'][0]['start_time'],
                    a['events'][0]['finish_time']) for a in actions)
    for (_, finished), (started, _) in zip(spans, spans[1:], strict=False):
        assert finished <= started
    for i in range(3):
        assert docker_host.client.images.get(f'snap/serial:t{i}')


@pytest.mark.parametrize('params, status, words', [
    ({}, 400, 'Invalid input'),
    ({'repository': 'Upper'}, 400, 'field/attribute repository'),
    ({'repository': 'ok', 'tag': 'bad tag!'}, 400, 'field/attribute tag'),
    ({'repository': 'ok', 'bogus': 1}, 400, "'bogus' was unexpected"),
    ({'repository': 'reg', 'tag': '5000/repo'}, 400, 'field/attribute tag'),
])
def test_commit_rejects(api, cleanup, params, status, words):
    uuid = api.create(run=False)['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Created')
    response = api.action(uuid, 'commit', **params)
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


def test_commit_in_wrong_state_or_unknown(api, cleanup):
    uuid = api.create(run=False)['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Created')
    response = api.action(uuid, 'commit', repository='snap/never')
    assert response.status_code == 409
    assert 'Created state' in harness.error_of(response)
    response = api.action('no-such-container', 'commit', repository='x')
    assert response.status_code == 404
