"""Commit to Glance and run the image on another host, on the real stack."""

import re

from glanceclient import exc as glance_exc

from tests.functional import harness
from tests.functional.deployment import HOSTS

MARKER = 'snapzun-was-here'


def _commit_action(client, uuid, request_id=None):
    actions = client.get(f'/v1/containers/{uuid}/container_actions').json()
    commits = [a for a in actions['containerActions']
               if a['action'] == 'commit' and
               (request_id is None or a['request_id'] == request_id)]
    return client.get(f"/v1/containers/{uuid}/container_actions/"
                      f"{commits[0]['request_id']}").json()


def _finished_commit(client, uuid, timeout=120):
    return harness.wait_for(
        lambda: (lambda a: a if a['finish_time'] else None)(
            _commit_action(client, uuid)), timeout, 0.2, 'commit to finish')


def _container_on(admin, host, command):
    uuid = admin.create(host=host, command=command)['uuid']
    admin.wait_status(uuid, 'Running')
    return uuid


def _not_paused(deployment, host, uuid):
    engine = deployment.docker_hosts[host].client
    return not engine.containers.get(f'snapzun-{uuid}').attrs['State'][
        'Paused']


def test_zun_commit_then_run_on_the_other_host(deployment):
    admin = deployment.client('admin')
    glance = deployment.stack.glance('admin')
    deployment.wait_computes_up()
    source = _container_on(admin, HOSTS[0], [
        'sh', '-c', f'echo {MARKER} > /marker; sleep 600'])
    try:
        out = deployment.zun('admin', 'commit', source, 'snap/moved:v1')
        image_id = re.search(r'The image is ([0-9a-f-]{36})', out).group(1)
        action = _finished_commit(admin, source)
        assert action['message'] is None, action['message']
        details = action['events'][0]['details']

        image = glance.images.get(image_id)
        assert image['status'] == 'active'
        assert (image['name'], image['container_format'],
                image['disk_format']) == ('snap/moved', 'docker', 'raw')
        assert image['tags'] == ['v1']
        assert image['snapzun_container_uuid'] == source
        assert image['snapzun_host'] == HOSTS[0]
        assert image['checksum'] == details['checksum']
        assert image['size'] == details['size'] == details['bytes_uploaded']
        assert admin.show(source)['status'] == 'Running'
        assert _not_paused(deployment, HOSTS[0], source)

        other = deployment.docker_hosts[HOSTS[1]].client
        assert not other.images.list(name=f'glance/{image_id}')
        out = deployment.zun('admin', 'run', '--image-driver', 'glance',
                             '--host', HOSTS[1], '--name', 'moved-clone',
                             'snap/moved:v1', 'cat', '/marker')
        clone = admin.show('moved-clone')
        assert clone['host'] == HOSTS[1]
        harness.wait_for(lambda: MARKER in admin.get(
            f"/v1/containers/{clone['uuid']}/logs").json(), 60, 0.5,
            'the clone to print the marker')
        assert other.images.get(f'glance/{image_id}:latest')
        admin.delete(f"/v1/containers/{clone['uuid']}",
                     params={'stop': True})
        admin.wait_gone(clone['uuid'])
        glance.images.delete(image_id)
    finally:
        admin.delete(f'/v1/containers/{source}', params={'stop': True})
        admin.wait_gone(source)


def _big_container(admin, host, megabytes):
    uuid = _container_on(admin, host, [
        'sh', '-c', f'dd if=/dev/urandom of=/big bs=1M count={megabytes} '
                    f'2>/dev/null; touch /ready; sleep 600'])
    harness.wait_for(lambda: admin.action(uuid, 'execute',
                                          command='ls /ready').json()[
        'exit_code'] == 0, 120, 0.5, 'the big file')
    return uuid


def _wait_uploading(admin, uuid):
    def uploading():
        events = _commit_action(admin, uuid)['events']
        details = events[0]['details'] if events else None
        return bool(details) and details.get('bytes_uploaded', 0) > 0
    harness.wait_for(uploading, 120, 0.05, 'the upload to start')


def _assert_cleaned_up(deployment, admin, glance, uuid, image_id, words):
    action = _finished_commit(admin, uuid)
    assert words in action['message'], action['message']
    assert admin.show(uuid)['status'] == 'Running'
    assert _not_paused(deployment, HOSTS[0], uuid)
    engine = deployment.docker_hosts[HOSTS[0]].client
    assert not engine.images.list(name=f'glance/{image_id}')

    def gone():
        try:
            glance.images.get(image_id)
        except glance_exc.HTTPNotFound:
            return True
        return False
    harness.wait_for(gone, 60, 0.5, f'image {image_id} to be deleted')


def test_glance_stopped_mid_upload(deployment):
    admin = deployment.client('admin')
    glance = deployment.stack.glance('admin')
    deployment.wait_computes_up()
    uuid = _big_container(admin, HOSTS[0], 400)
    try:
        response = admin.action(uuid, 'commit', repository='snap/broken')
        assert response.status_code == 202, response.text
        image_id = response.json()['uuid']
        _wait_uploading(admin, uuid)
        deployment.stack.stop_service('glance')
        try:
            action = _finished_commit(admin, uuid)
            assert action['message']
        finally:
            deployment.stack.start_service('glance')
        _assert_cleaned_up(deployment, admin, glance, uuid, image_id,
                           'image service')
    finally:
        admin.delete(f'/v1/containers/{uuid}', params={'stop': True})
        admin.wait_gone(uuid)


def test_agent_killed_mid_commit(deployment):
    admin = deployment.client('admin')
    glance = deployment.stack.glance('admin')
    deployment.wait_computes_up()
    uuid = _big_container(admin, HOSTS[0], 400)
    agent = deployment.computes[HOSTS[0]]
    try:
        response = admin.action(uuid, 'commit', repository='snap/killed')
        image_id = response.json()['uuid']
        _wait_uploading(admin, uuid)
        agent.kill()
        agent.start()
        _assert_cleaned_up(deployment, admin, glance, uuid, image_id,
                           'interrupted')
    finally:
        admin.delete(f'/v1/containers/{uuid}', params={'stop': True})
        admin.wait_gone(uuid)


def test_commit_refused_when_glance_is_down(deployment):
    admin = deployment.client('admin')
    deployment.wait_computes_up()
    uuid = _container_on(admin, HOSTS[0], ['sleep', '600'])
    try:
        deployment.stack.stop_service('glance')
        try:
            response = admin.action(uuid, 'commit', repository='snap/nope')
        finally:
            deployment.stack.start_service('glance')
        assert response.status_code == 503
        assert 'image service' in harness.error_of(response)
        actions = admin.get(f'/v1/containers/{uuid}/container_actions')
        assert 'commit' not in [a['action'] for a in
                                actions.json()['containerActions']]
    finally:
        admin.delete(f'/v1/containers/{uuid}', params={'stop': True})
        admin.wait_gone(uuid)
