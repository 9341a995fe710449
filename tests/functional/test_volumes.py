"""Volumes, end to end: the API, Cinder, the volume plugin and Docker.

The deployment tests run on the real stack (Keystone, Cinder with the
loop-device test backend, RabbitMQ, MariaDB), two compute hosts, each with
its dockerd and its snapzun-volume-plugin, so data really lands on Cinder
volumes and moves between hosts. The local-driver tests run on the
embedded default (snapzun-all, Docker local volumes).
"""

import contextlib
import json
import os
import shutil
import subprocess
import uuid as uuid_module

import pytest

from tests.functional import harness
from tests.functional.deployment import HOSTS

WAIT = 90  # seconds for anything a container or volume does
OPENSTACK = os.path.join(harness.BIN, 'openstack')
# Writes a proof at start, then stays up (and stops at once on TERM).
KEEP = 'trap "exit 0" TERM; while true; do sleep 1; done'

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which('losetup'),
    reason='needs root, loop devices and mount')


def _writer(proof):
    return ['sh', '-c', f'echo {proof} > /data/proof && sync; {KEEP}']


def _reader():
    return ['sh', '-c', f'cat /data/proof; {KEEP}']


def _cinder(stack, user):
    from cinderclient import client as cinder_client
    return cinder_client.Client('3.0', session=stack.session(user),
                                region_name='RegionOne')


def _docker_volumes(docker_host):
    """{name: driver} of the Docker volumes an engine lists."""
    out = subprocess.run(
        ['docker', '-H', docker_host.url, 'volume', 'ls', '--format',
         '{{.Name}} {{.Driver}}'], check=True, capture_output=True,
        text=True, timeout=WAIT).stdout
    return dict(line.split(' ', 1) for line in out.splitlines())


def _exec(api, container_uuid, command):
    response = api.post(f'/v1/containers/{container_uuid}/execute',
                        params={'command': command, 'run': True})
    assert response.status_code == 200, response.text
    return response.json()


def _volume(api, status=201, **body):
    body.setdefault('size', 1)
    response = api.post('/v1/volumes', json=body)
    assert response.status_code == status, response.text
    return response.json()


def _show_volume(api, ident):
    response = api.get(f'/v1/volumes/{ident}')
    assert response.status_code == 200, response.text
    return response.json()


def _delete_container(api, container_uuid):
    # Not force: that is for administrators only.
    response = api.delete(f'/v1/containers/{container_uuid}',
                          params={'stop': True})
    assert response.status_code in (204, 404), response.text
    api.wait_gone(container_uuid, WAIT)


@contextlib.contextmanager
def _cleanup(api):
    """Containers, then volumes, registered in it go at the end."""
    made = {'containers': [], 'volumes': []}
    try:
        yield made
    finally:
        for container_uuid in made['containers']:
            _delete_container(api, container_uuid)
        for volume_uuid in made['volumes']:
            api.delete(f'/v1/volumes/{volume_uuid}')


def _run(api, made, command, mounts, **body):
    container = api.create(command=command, mounts=mounts, **body)
    made['containers'].append(container['uuid'])
    return api.wait_status(container['uuid'], 'Running', WAIT)


def _logs(api, container_uuid):
    return api.get(f'/v1/containers/{container_uuid}/logs').json()


# The OpenStack deployment: Cinder volumes

@pytest.fixture(scope='module')
def cloud(deployment):
    deployment.wait_computes_up()
    return deployment


def _attachments(cinder, volume_id):
    volume = cinder.volumes.get(volume_id)
    return volume.status, [a['server_id'] for a in volume.attachments]


def test_data_on_a_cinder_volume_moves_to_the_other_host(cloud):
    admin = cloud.client('admin')
    cinder = _cinder(cloud.stack, 'admin')
    proof = uuid_module.uuid4().hex
    name = f'moving-{proof[:8]}'
    with _cleanup(admin) as made:
        volume = _volume(admin, name=name, size=1, driver='cinder')
        made['volumes'].append(volume['uuid'])
        assert (volume['status'], volume['driver']) == ('available',
                                                        'cinder')
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'available', [])

        first = _run(admin, made, _writer(proof),
                     [{'source': name, 'destination': '/data'}],
                     host=HOSTS[0])
        assert first['host'] == HOSTS[0]

        # Attached: Cinder names the container as the server.
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'in-use', [first['uuid']])
        shown = _show_volume(admin, name)
        assert shown['status'] == 'in-use'
        assert shown['attachments'] == [{'container_uuid': first['uuid'],
                                         'destination': '/data'}]
        docker_name = f'snapzun-{volume["uuid"]}'
        assert _docker_volumes(cloud.docker_hosts[HOSTS[0]])[
            docker_name] == cloud.plugin_names[HOSTS[0]]
        assert _exec(admin, first['uuid'], 'cat /data/proof')[
            'output'].strip() == proof

        _delete_container(admin, first['uuid'])

        # Released, everywhere, and kept.
        assert _show_volume(admin, name)['status'] == 'available'
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'available', [])
        assert docker_name not in _docker_volumes(
            cloud.docker_hosts[HOSTS[0]])

        second = _run(admin, made, _reader(),
                      [{'source': volume['uuid'], 'destination': '/data'}],
                      host=HOSTS[1])
        assert second['host'] == HOSTS[1]
        harness.wait_for(lambda: proof in _logs(admin, second['uuid']),
                         WAIT, 0.2, 'the proof in the second container')
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'in-use', [second['uuid']])
        assert _docker_volumes(cloud.docker_hosts[HOSTS[1]])[
            docker_name] == cloud.plugin_names[HOSTS[1]]

        # In use: it cannot go.
        refused = admin.delete(f'/v1/volumes/{volume["uuid"]}')
        assert refused.status_code == 409
        assert second['uuid'] in harness.error_of(refused)

        _delete_container(admin, second['uuid'])
        made['containers'].clear()
        response = admin.delete(f'/v1/volumes/{volume["uuid"]}')
        assert response.status_code == 204, response.text
        made['volumes'].clear()
        assert admin.get(f'/v1/volumes/{name}').status_code == 404
        assert volume['cinder_volume_id'] not in [
            v.id for v in cinder.volumes.list(
                search_opts={'all_tenants': 1})]


def test_a_new_volume_lives_and_dies_with_its_container(cloud):
    demo = cloud.client('demo')
    cinder = _cinder(cloud.stack, 'demo')
    proof = uuid_module.uuid4().hex
    with _cleanup(demo) as made:
        container = _run(demo, made, _writer(proof),
                         [{'size': '1', 'destination': '/data'}])

        [volume] = [v for v in demo.get('/v1/volumes').json()['volumes']
                    if v['attachments'] and v['attachments'][0][
                        'container_uuid'] == container['uuid']]
        assert (volume['size'], volume['driver'], volume['status']) == (
            1, 'cinder', 'in-use')
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'in-use', [container['uuid']])
        assert _exec(demo, container['uuid'], 'cat /data/proof')[
            'output'].strip() == proof

        _delete_container(demo, container['uuid'])
        made['containers'].clear()

        assert demo.get(f'/v1/volumes/{volume["uuid"]}').status_code == 404
        assert volume['cinder_volume_id'] not in [
            v.id for v in cinder.volumes.list()]


def test_a_cinder_volume_made_elsewhere_is_adopted_and_kept(cloud):
    demo = cloud.client('demo')
    cinder = _cinder(cloud.stack, 'demo')
    name = f'from-cinder-{uuid_module.uuid4().hex[:8]}'
    created = cinder.volumes.create(1, name=name)
    harness.wait_for(lambda: cinder.volumes.get(created.id).status ==
                     'available', WAIT, 0.2, 'the Cinder volume')
    try:
        with _cleanup(demo) as made:
            container = _run(demo, made, _writer('adopted'),
                             [{'source': name, 'destination': '/data'}])
            shown = _show_volume(demo, created.id)
            assert (shown['cinder_volume_id'], shown['status']) == (
                created.id, 'in-use')
            assert _attachments(cinder, created.id) == (
                'in-use', [container['uuid']])
            made['volumes'].append(shown['uuid'])

            _delete_container(demo, container['uuid'])
            made['containers'].clear()
            # Not made for the container: it stays, in snapzun and Cinder.
            assert _show_volume(demo, created.id)['status'] == 'available'
            assert _attachments(cinder, created.id) == ('available', [])
    finally:
        with contextlib.suppress(Exception):
            cinder.volumes.delete(created.id)


def test_after_restarts_docker_snapzun_and_cinder_agree(cloud):
    admin = cloud.client('admin')
    cinder = _cinder(cloud.stack, 'admin')
    host = HOSTS[0]
    docker_host = cloud.docker_hosts[host]
    proof = uuid_module.uuid4().hex
    with _cleanup(admin) as made:
        volume = _volume(admin, name=f'restarts-{proof[:8]}', driver='cinder')
        made['volumes'].append(volume['uuid'])
        container = _run(admin, made, _writer(proof),
                         [{'source': volume['uuid'],
                           'destination': '/data'}],
                         host=host, restart_policy={'Name': 'always'})
        docker_name = f'snapzun-{volume["uuid"]}'

        # The plugin restarts under the running container.
        cloud.plugins[host].stop()
        cloud.plugins[host].start()
        # dockerd restarts: the container comes back (restart policy) and
        # the plugin mounts the volume again.
        docker_host.stop()
        docker_host.start()
        harness.wait_for(
            lambda: admin.show(container['uuid'])['status'] == 'Running'
            and _exec(admin, container['uuid'], 'cat /data/proof')[
                'output'].strip() == proof, WAIT, 0.5,
            'the container to run again with its data')
        # The agent restarts: it rechecks, and attaches nothing twice.
        cloud.computes[host].stop()
        cloud.computes[host].start()
        cloud.wait_computes_up([host])

        assert _docker_volumes(docker_host)[docker_name] == (
            cloud.plugin_names[host])
        shown = _show_volume(admin, volume['uuid'])
        assert shown['status'] == 'in-use'
        assert shown['attachments'] == [{'container_uuid': container['uuid'],
                                         'destination': '/data'}]
        assert _attachments(cinder, volume['cinder_volume_id']) == (
            'in-use', [container['uuid']])
        assert _exec(admin, container['uuid'], 'cat /data/proof')[
            'output'].strip() == proof


def test_a_cinder_failure_mid_create_leaves_no_orphan(cloud):
    """Cinder refuses the second new volume: the first one goes too."""
    alt = cloud.client('alt_demo')
    alt_cinder = _cinder(cloud.stack, 'alt_demo')
    admin_cinder = _cinder(cloud.stack, 'admin')
    project_id = cloud.stack.session('alt_demo').get_project_id()
    before = {v.id for v in alt_cinder.volumes.list()}
    admin_cinder.quotas.update(project_id, volumes=len(before) + 1)
    try:
        with _cleanup(alt) as made:
            container = alt.create(command=['sleep', '600'], mounts=[
                {'size': '1', 'destination': '/a'},
                {'size': '1', 'destination': '/b'}])
            made['containers'].append(container['uuid'])
            failed = alt.wait_status(container['uuid'], 'Error', WAIT)

            assert 'quota' in failed['status_reason'].lower()
            assert {v.id for v in alt_cinder.volumes.list()} == before
            assert alt.get('/v1/volumes').json()['volumes'] == []
    finally:
        admin_cinder.quotas.update(project_id, volumes=-1)


def test_cinders_quota_refuses_a_new_volume(cloud):
    alt = cloud.client('alt_demo')
    admin_cinder = _cinder(cloud.stack, 'admin')
    project_id = cloud.stack.session('alt_demo').get_project_id()
    admin_cinder.quotas.update(project_id, gigabytes=1)
    try:
        refused = alt.post('/v1/volumes', json={'size': 2,
                                                'driver': 'cinder'})
        assert refused.status_code == 403, refused.text
        assert 'quota' in harness.error_of(refused).lower()
        assert alt.get('/v1/volumes').json()['volumes'] == []
    finally:
        admin_cinder.quotas.update(project_id, gigabytes=-1)


BAD_MOUNTS = [
    ([{'size': '0', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': '-1', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': '101', 'destination': '/d'}], 400, 'from 1 to 100'),
    ([{'size': '1', 'destination': 'data'}], 400, 'absolute path'),
    ([{'size': '1', 'destination': '/d'},
      {'size': '1', 'destination': '/d'}], 400, 'same destination'),
    ([{'source': 'no-such-volume', 'destination': '/d'}], 404,
     'no-such-volume could not be found'),
    ([{'type': 'bind', 'source': 'ZGF0YQo=', 'destination': '/etc/x'}],
     400, 'type=bind mounts'),
]

BAD_VOLUMES = [
    ({'size': 0}, 400, 'from 1 to 100'),
    ({'size': -5}, 400, 'from 1 to 100'),
    ({'size': 1000}, 400, 'from 1 to 100'),
    ({'size': 1, 'driver': 'nfs'}, 400, "'nfs' is not one of"),
]


@pytest.mark.parametrize('mounts, status, words', BAD_MOUNTS)
def test_bad_mounts_are_refused(cloud, mounts, status, words):
    demo = cloud.client('demo')
    response = demo.post('/v1/containers', json={
        'image': harness.BASE_IMAGE, 'image_driver': 'docker',
        'mounts': mounts})
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


@pytest.mark.parametrize('body, status, words', BAD_VOLUMES)
def test_bad_volumes_are_refused(cloud, body, status, words):
    response = cloud.client('demo').post('/v1/volumes', json=body)
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


def test_a_volume_in_use_is_refused_to_others(cloud):
    demo = cloud.client('demo')
    with _cleanup(demo) as made:
        volume = _volume(demo, name=f'busy-{uuid_module.uuid4().hex[:8]}',
                         driver='cinder')
        made['volumes'].append(volume['uuid'])
        user = _run(demo, made, ['sleep', '600'],
                    [{'source': volume['uuid'], 'destination': '/d'}])
        for response in (
                demo.post('/v1/containers', json={
                    'image': harness.BASE_IMAGE, 'image_driver': 'docker',
                    'mounts': [{'source': volume['uuid'],
                                'destination': '/d'}]}),
                demo.delete(f'/v1/volumes/{volume["uuid"]}')):
            assert response.status_code == 409, response.text
            assert user['uuid'] in harness.error_of(response)
        # Another project does not even see it.
        alt = cloud.client('alt_demo')
        assert alt.get(f'/v1/volumes/{volume["uuid"]}').status_code == 404


# The embedded default: Docker local volumes

def _openstack(snapzun, *args):
    verb, *rest = args
    command = [OPENSTACK, '--os-auth-type', 'none', '--os-endpoint',
               f'{snapzun.endpoint}/v1', 'appcontainer', verb, '-f', 'json',
               *rest]
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_local_volume_keeps_data_between_containers(api, docker_host):
    proof = uuid_module.uuid4().hex
    name = f'local-{proof[:8]}'
    with _cleanup(api) as made:
        volume = _volume(api, name=name)
        assert (volume['driver'], volume['status']) == ('local',
                                                        'available')
        docker_name = f'snapzun-{volume["uuid"]}'

        first = _run(api, made, _writer(proof),
                     [{'source': name, 'destination': '/data'}])
        assert _docker_volumes(docker_host)[docker_name] == 'local'
        assert _show_volume(api, name)['attachments'] == [
            {'container_uuid': first['uuid'], 'destination': '/data'}]
        _delete_container(api, first['uuid'])
        made['containers'].clear()
        assert _show_volume(api, name)['status'] == 'available'
        assert docker_name in _docker_volumes(docker_host)

        second = _run(api, made, _reader(),
                      [{'source': name, 'destination': '/data'}])
        harness.wait_for(lambda: proof in _logs(api, second['uuid']),
                         WAIT, 0.2, 'the proof in the second container')
        _delete_container(api, second['uuid'])
        made['containers'].clear()

        response = api.delete(f'/v1/volumes/{name}')
        assert response.status_code == 204, response.text
        made['volumes'].clear()
        assert docker_name not in _docker_volumes(docker_host)


def test_zunclient_mounts_a_new_local_volume(snapzun, api, docker_host):
    created = _openstack(snapzun, 'run', '--mount',
                         'size=1,destination=/data', harness.BASE_IMAGE,
                         'sh', '-c', f'echo hi > /data/f; {KEEP}')
    with _cleanup(api) as made:
        made['containers'].append(created['uuid'])
        api.wait_status(created['uuid'], 'Running', WAIT)
        [volume] = [v for v in api.get('/v1/volumes').json()['volumes']
                    if v['attachments'] and v['attachments'][0][
                        'container_uuid'] == created['uuid']]
        assert (volume['driver'], volume['status']) == ('local', 'in-use')
        docker_name = f'snapzun-{volume["uuid"]}'
        assert docker_name in _docker_volumes(docker_host)

        _delete_container(api, created['uuid'])
        made['containers'].clear()

        assert api.get(f'/v1/volumes/{volume["uuid"]}').status_code == 404
        assert docker_name not in _docker_volumes(docker_host)


@pytest.mark.parametrize('mounts, status, words', BAD_MOUNTS)
def test_bad_mounts_are_refused_by_the_embedded_default(api, mounts, status,
                                                        words):
    response = api.post('/v1/containers', json={
        'image': harness.BASE_IMAGE, 'mounts': mounts})
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


@pytest.mark.parametrize('body, status, words', BAD_VOLUMES)
def test_bad_volumes_are_refused_by_the_embedded_default(api, body, status,
                                                         words):
    response = api.post('/v1/volumes', json=body)
    assert response.status_code == status, response.text
    assert words in harness.error_of(response)


def test_cinder_without_credentials_is_a_clear_400(api):
    response = api.post('/v1/volumes', json={'size': 1, 'driver': 'cinder'})
    assert response.status_code == 400, response.text
    assert 'Volume driver cinder is not available' in harness.error_of(
        response)
