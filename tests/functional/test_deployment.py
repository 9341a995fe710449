"""The OpenStack deployment mode: Keystone, policy, RabbitMQ, two hosts.

snapzun-api, snapzun-conductor and two snapzun-compute agents run as
separate processes over a real RabbitMQ broker and MariaDB, each agent
with a Docker engine of its own.
"""

import time

from tests.functional import harness
from tests.functional.deployment import DOWN_TIME
from tests.functional.deployment import HOSTS


def test_version_documents_are_public(deployment):
    anonymous = harness.Api(deployment.api.endpoint)
    assert anonymous.get('/').status_code == 200
    assert anonymous.get('/v1').status_code == 200
    response = anonymous.get('/v1/containers')
    assert response.status_code == 401
    harness.error_of(response)


def test_invalid_and_revoked_tokens_are_refused(deployment):
    bogus = harness.Api(deployment.api.endpoint,
                        headers={'X-Auth-Token': 'not-a-token'})
    assert bogus.get('/v1/containers').status_code == 401
    session = deployment.stack.session('demo')
    token = session.get_token()
    admin = deployment.stack.session('admin')
    admin.delete(f'{deployment.stack.keystone_url}/auth/tokens',
                 headers={'X-Subject-Token': token})
    revoked = harness.Api(deployment.api.endpoint,
                          headers={'X-Auth-Token': token})
    assert revoked.get('/v1/containers').status_code == 401


def test_projects_cannot_see_each_other(deployment):
    demo = deployment.client('demo')
    alt = deployment.client('alt_demo')
    reader = deployment.client('demo_reader')
    admin = deployment.client('admin')
    uuid = demo.create(name='demo-own', command=['sleep', '600'])['uuid']
    demo.wait_status(uuid, 'Running')
    try:
        shown = demo.show(uuid)
        assert 'host' not in shown
        assert alt.get(f'/v1/containers/{uuid}').status_code == 404
        assert alt.action(uuid, 'stop').status_code == 404
        assert alt.delete(f'/v1/containers/{uuid}').status_code == 404
        assert uuid not in [c['uuid'] for c in alt.get(
            '/v1/containers').json()['containers']]
        forbidden = demo.get('/v1/containers', params={'all_projects': 1})
        assert forbidden.status_code == 403
        harness.error_of(forbidden)

        assert reader.show(uuid)['uuid'] == uuid
        assert reader.get(f'/v1/containers/{uuid}/logs').status_code == 200
        assert reader.action(uuid, 'stop').status_code == 403
        assert reader.delete(f'/v1/containers/{uuid}').status_code == 403
        assert reader.post('/v1/containers', json={
            'image': harness.BASE_IMAGE}).status_code == 403

        everyone = admin.get('/v1/containers',
                             params={'all_projects': 1}).json()
        assert uuid in [c['uuid'] for c in everyone['containers']]
        assert admin.show(uuid)['host'] in HOSTS
    finally:
        demo.delete(f'/v1/containers/{uuid}', params={'stop': True})
        demo.wait_gone(uuid)


def test_containers_spread_over_hosts(deployment):
    demo = deployment.client('demo')
    admin = deployment.client('admin')
    deployment.wait_computes_up()
    uuids = [demo.create(command=['sleep', '600'])['uuid'] for _ in range(4)]
    try:
        for uuid in uuids:
            demo.wait_status(uuid, 'Running')
        hosts = {admin.show(uuid)['host'] for uuid in uuids}
        assert hosts == set(HOSTS)
        for name, docker_host in deployment.docker_hosts.items():
            on_engine = {c.labels['snapzun.uuid']
                         for c in docker_host.managed_containers()}
            assert on_engine == {u for u in uuids
                                 if admin.show(u)['host'] == name}
    finally:
        for uuid in uuids:
            demo.delete(f'/v1/containers/{uuid}', params={'stop': True})
        for uuid in uuids:
            demo.wait_gone(uuid)


def test_dead_agent_gets_no_containers(deployment):
    demo = deployment.client('demo')
    admin = deployment.client('admin')
    deployment.wait_computes_up()
    victim = deployment.computes['dep-host2']
    victim.kill()
    killed_at = time.monotonic()
    try:
        def down():
            services = admin.get('/v1/services').json()['services']
            return any(s['host'] == 'dep-host2' and s['state'] == 'down'
                       for s in services)
        harness.wait_for(down, DOWN_TIME + 5, 0.2, 'dep-host2 down')
        assert time.monotonic() - killed_at <= DOWN_TIME + 5
        uuids = [demo.create(command=['sleep', '600'])['uuid']
                 for _ in range(3)]
        for uuid in uuids:
            demo.wait_status(uuid, 'Running')
            assert admin.show(uuid)['host'] == 'dep-host1'
        for uuid in uuids:
            demo.delete(f'/v1/containers/{uuid}', params={'stop': True})
            demo.wait_gone(uuid)
    finally:
        victim.start()
    deployment.wait_computes_up()


def test_broker_restart(deployment):
    demo = deployment.client('demo')
    deployment.wait_computes_up()
    deployment.stack.restart_rabbitmq()

    def next_request_succeeds():
        created = demo.post('/v1/containers', params={'run': True},
                            json={'image': harness.BASE_IMAGE,
                                  'image_driver': 'docker',
                                  'command': ['sleep', '600']})
        return created.json() if created.status_code == 202 else None
    uuid = harness.wait_for(next_request_succeeds, 60, 1,
                            'a create after the broker restart')['uuid']
    demo.wait_status(uuid, 'Running', timeout=60)
    assert demo.action(uuid, 'pause').status_code == 202
    demo.wait_status(uuid, 'Paused')
    assert demo.action(uuid, 'unpause').status_code == 202
    demo.wait_status(uuid, 'Running')
    demo.delete(f'/v1/containers/{uuid}', params={'stop': True})
    demo.wait_gone(uuid)


def test_zun_cli(deployment):
    demo = deployment.client('demo')
    out = deployment.zun('demo', 'run', '--name', 'zun-cli',
                         '--image-driver', 'docker', harness.BASE_IMAGE,
                         'sh', '-c', 'echo from-zun; sleep 600')
    assert 'zun-cli' in out
    demo.wait_status('zun-cli', 'Running')
    assert 'zun-cli' in deployment.zun('demo', 'list')
    assert 'Running' in deployment.zun('demo', 'show', 'zun-cli')
    harness.wait_for(lambda: 'from-zun' in deployment.zun('demo', 'logs',
                                                'zun-cli'),
                     30, 0.5, 'the log line')
    deployment.zun('demo', 'pause', 'zun-cli')
    demo.wait_status('zun-cli', 'Paused')
    deployment.zun('demo', 'unpause', 'zun-cli')
    demo.wait_status('zun-cli', 'Running')
    deployment.zun('demo', 'stop', '--timeout', '1', 'zun-cli')
    demo.wait_status('zun-cli', 'Stopped')
    deployment.zun('demo', 'start', 'zun-cli')
    demo.wait_status('zun-cli', 'Running')
    deployment.zun('demo', 'delete', '--stop', 'zun-cli')
    demo.wait_gone('zun-cli')
    services = deployment.zun('admin', 'service-list')
    for host in HOSTS:
        assert host in services
