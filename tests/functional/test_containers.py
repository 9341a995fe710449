"""The container API against snapzun-all on a real Docker engine."""

from tests.functional import harness


def _engine_state(docker_host, uuid):
    container = docker_host.client.containers.get(f'snapzun-{uuid}')
    return container.attrs['State']


def test_lifecycle(api, docker_host, cleanup):
    created = api.create(name='life', command=['sh', '-c',
                                               'echo hello; sleep 300'])
    cleanup.append(created['uuid'])
    assert created['status'] == 'Creating'
    uuid = created['uuid']

    running = api.wait_status(uuid, 'Running')
    assert running['host'] == 'ft-host1'
    assert _engine_state(docker_host, uuid)['Running']

    assert api.action(uuid, 'pause').status_code == 202
    api.wait_status(uuid, 'Paused')
    assert _engine_state(docker_host, uuid)['Paused']

    assert api.action(uuid, 'unpause').status_code == 202
    api.wait_status(uuid, 'Running')
    assert not _engine_state(docker_host, uuid)['Paused']

    assert api.action(uuid, 'stop', timeout=1).status_code == 202
    stopped = api.wait_status(uuid, 'Stopped')
    assert stopped['status_detail'].startswith('Exited')
    assert not _engine_state(docker_host, uuid)['Running']

    assert api.action(uuid, 'start').status_code == 202
    api.wait_status(uuid, 'Running')

    assert api.action(uuid, 'reboot', timeout=1).status_code == 202
    api.wait_status(uuid, 'Running')

    logs = api.get(f'/v1/containers/{uuid}/logs',
                   params={'stdout': True, 'stderr': True,
                           'timestamps': False, 'tail': 'all'})
    assert logs.status_code == 200
    assert 'hello' in logs.json()

    response = api.delete(f'/v1/containers/{uuid}',
                          params={'force': False, 'stop': True,
                                  'all_projects': False})
    assert response.status_code == 204
    assert response.content == b''
    api.wait_gone(uuid)
    assert not [c for c in docker_host.managed_containers()
                if c.labels['snapzun.uuid'] == uuid]


def test_create_without_run_then_start_by_name(api, cleanup):
    created = api.create(run=False, name='later',
                         command=['sleep', '300'])
    cleanup.append(created['uuid'])
    api.wait_status(created['uuid'], 'Created')
    assert api.action('later', 'start').status_code == 202
    api.wait_status('later', 'Running')


def test_execute_top_stats(api, cleanup):
    uuid = api.create(command=['sleep', '300'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')

    # python-zunclient sends the command quoted in the query string.
    result = api.action(uuid, 'execute', command='"sh" "-c" "echo hi; '
                                                 'exit 7"')
    assert result.status_code == 200
    assert result.json() == {'output': 'hi\n', 'exit_code': 7,
                             'exec_id': None, 'proxy_url': None}
    # tempest sends it in a JSON body.
    result = api.post(f'/v1/containers/{uuid}/execute',
                      json={'command': 'cat /etc/passwd'})
    assert result.json()['output'].startswith('root:')

    top = api.get(f'/v1/containers/{uuid}/top', params={'ps_args': 'None'})
    assert top.status_code == 200
    assert any('sleep' in ' '.join(p) for p in top.json()['Processes'])

    stats = api.get(f'/v1/containers/{uuid}/stats').json()
    assert stats['MEM LIMIT(MiB)'] == 512.0
    assert stats['MEM USAGE(MiB)'] > 0


def test_kill_with_signal(api, cleanup):
    uuid = api.create(command=['sleep', '300'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    assert api.action(uuid, 'kill', signal='SIGKILL').status_code == 202
    stopped = api.wait_status(uuid, 'Stopped')
    assert stopped['status_detail'].startswith('Exited')


def test_update_limits_reach_the_engine(api, docker_host, cleanup):
    uuid = api.create(command=['sleep', '300'], memory='128')['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    response = api.patch(f'/v1/containers/{uuid}',
                         json={'memory': '256', 'cpu': '0.5',
                               'name': 'renamed'})
    assert response.status_code == 200, response.text
    view = response.json()
    assert (view['memory'], view['cpu'], view['name']) == ('256', 0.5,
                                                           'renamed')
    host_config = docker_host.client.containers.get(
        f'snapzun-{uuid}').attrs['HostConfig']
    assert host_config['Memory'] == 256 * 1024 * 1024
    assert host_config['CpuQuota'] == 50000


def test_exit_by_itself_shows_stopped(api, cleanup):
    uuid = api.create(command=['sh', '-c', 'exit 3'])['uuid']
    cleanup.append(uuid)
    stopped = harness.wait_for(
        lambda: (lambda c: c if c['status'] == 'Stopped' else None)(
            api.show(uuid)), 30, 0.2, 'the container to stop by itself')
    assert stopped['status_detail'].startswith('Exited')


def test_container_removed_behind_our_back_shows_error(api, docker_host,
                                                        cleanup):
    uuid = api.create(command=['sleep', '300'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    docker_host.client.containers.get(f'snapzun-{uuid}').remove(force=True)
    vanished = api.wait_status(uuid, 'Error', timeout=30)
    assert 'no longer exists' in vanished['status_reason']
    assert api.delete(f'/v1/containers/{uuid}').status_code == 204
    api.wait_gone(uuid)


def test_unknown_image_puts_container_in_error(api, cleanup):
    uuid = api.create(image='no-such-image:1')['uuid']
    cleanup.append(uuid)
    failed = api.wait_status(uuid, 'Error')
    assert 'no-such-image' in failed['status_reason']
    actions = api.get(f'/v1/containers/{uuid}/container_actions').json()
    create = actions['containerActions'][-1]
    assert create['action'] == 'create' and create['finish_time']
    assert 'no-such-image' in create['message']


def test_action_history(api, cleanup):
    uuid = api.create(command=['sleep', '300'])['uuid']
    cleanup.append(uuid)
    api.wait_status(uuid, 'Running')
    response = api.action(uuid, 'pause')
    request_id = response.headers['x-openstack-request-id']
    api.wait_status(uuid, 'Paused')

    history = api.get(f'/v1/containers/{uuid}/container_actions').json()
    assert [a['action'] for a in history['containerActions']] == [
        'pause', 'create']
    detail = api.get(f'/v1/containers/{uuid}/container_actions/'
                     f'{request_id}').json()
    assert detail['action'] == 'pause'
    assert detail['events'][0]['event'] == 'compute_container_pause'
    assert detail['events'][0]['result'] == 'Success'


def test_list_pagination_and_filters(api, cleanup):
    uuids = [api.create(run=False, name=f'page-{i}')['uuid']
             for i in range(5)]
    cleanup.extend(uuids)
    page = api.get('/v1/containers/', params={
        'limit': 2, 'sort_key': 'name', 'sort_dir': 'asc'}).json()
    names = [c['name'] for c in page['containers']]
    assert len(names) == 2 and page['next']
    assert 'marker=' in page['next']
    seen = names
    while page['next']:
        page = api.session.get(page['next'], timeout=30).json()
        seen += [c['name'] for c in page['containers']]
    assert [n for n in seen if n.startswith('page-')] == [
        f'page-{i}' for i in range(5)]
    filtered = api.get('/v1/containers', params={'name': 'page-3'}).json()
    assert [c['uuid'] for c in filtered['containers']] == [uuids[3]]


def test_version_documents(snapzun):
    root = harness.requests.get(snapzun.endpoint + '/', timeout=10).json()
    assert root['versions'][0]['status'] == 'CURRENT'
    assert root['versions'][0]['max_version'] == '1.40'
    v1 = harness.requests.get(snapzun.endpoint + '/v1', timeout=10)
    assert v1.status_code == 200
    assert v1.headers['OpenStack-API-Version'] == 'container 1.1'


def test_services_and_hosts(api, snapzun):
    services = api.get('/v1/services').json()['services']
    assert {(s['binary'], s['host'], s['state']) for s in services} >= {
        ('snapzun-compute', 'ft-host1', 'up'),
        ('snapzun-conductor', 'ft-host1', 'up')}
    hosts = api.get('/v1/hosts').json()['hosts']
    assert [h['hostname'] for h in hosts] == ['ft-host1']
    assert hosts[0]['cpus'] >= 1 and hosts[0]['mem_total'] > 0
    assert hosts[0]['state'] == 'up'
    shown = api.get(f"/v1/hosts/{hosts[0]['uuid']}").json()
    assert shown['hostname'] == 'ft-host1'
    assert api.get('/v1/hosts/nowhere').status_code == 404

    member = harness.Api(snapzun.endpoint, headers={'X-Roles': 'member'})
    for path in ('/v1/services', '/v1/hosts'):
        response = member.get(path)
        assert response.status_code == 403
        assert 'get' in harness.error_of(response)


def test_projects_are_isolated(snapzun, cleanup):
    alice = harness.Api(snapzun.endpoint, headers={
        'X-Project-Id': 'alice-project', 'X-Roles': 'member'})
    bob = harness.Api(snapzun.endpoint, headers={
        'X-Project-Id': 'bob-project', 'X-Roles': 'member'})
    uuid = alice.create(run=False, name='alices')['uuid']
    cleanup.append(uuid)
    assert alice.get(f'/v1/containers/{uuid}').status_code == 200
    assert bob.get(f'/v1/containers/{uuid}').status_code == 404
    assert bob.action(uuid, 'start').status_code == 404
    assert bob.delete(f'/v1/containers/{uuid}').status_code == 404
    assert uuid not in [c['uuid'] for c in
                        bob.get('/v1/containers').json()['containers']]
    response = bob.get('/v1/containers', params={'all_projects': True})
    assert response.status_code == 403
