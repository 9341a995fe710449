"""Response bodies built from rows."""

import datetime
import types

from snapzun.api.views import actions as action_views
from snapzun.api.views import containers as view
from snapzun.api.views import services as service_views

BASE = 'http://snapzun.example:9517'
UUID = '3b9e5c3e-6f0f-4a4e-9a56-3f1c1b1f2d10'
WHEN = datetime.datetime(2026, 11, 22, 10, 0, 0, 123456)


def _container(**values):
    fields = dict(uuid=UUID, name='web', image='busybox', status='Running',
                  project_id='p', user_id='u', host='compute1',
                  runtime='runc', privileged=False,
                  image_pull_policy='always', created_at=WHEN,
                  updated_at=None)
    fields.update(values)
    return types.SimpleNamespace(**fields)


def test_container_view_has_zuns_keys_and_links():
    shown = view.show(_container(), BASE)

    assert set(shown) == set(view.PUBLIC_FIELDS) | {'addresses', 'links'}
    assert shown['links'] == [
        {'href': f'{BASE}/v1/containers/{UUID}', 'rel': 'self'},
        {'href': f'{BASE}/containers/{UUID}', 'rel': 'bookmark'}]
    assert shown['addresses'] == {}
    assert shown['created_at'] == '2026-11-22 10:00:00'
    assert shown['updated_at'] is None


def test_admin_fields_only_for_admins():
    public = view.show(_container(), BASE)
    admin = view.show(_container(), BASE, admin_fields=True)

    for field in ('host', 'runtime', 'privileged', 'image_pull_policy'):
        assert field not in public
    assert (admin['host'], admin['runtime']) == ('compute1', 'runc')


def test_missing_values_get_zuns_defaults():
    shown = view.show(_container(), BASE)

    assert (shown['environment'], shown['labels'], shown['command']) == (
        {}, {}, [])
    assert (shown['cpu_policy'], shown['disk'], shown['registry_id']) == (
        'shared', 0, None)
    assert shown['restart_policy'] is None


def test_restart_policy_count_is_a_string():
    counted = view.show(_container(restart_policy={
        'Name': 'on-failure', 'MaximumRetryCount': 3}), BASE)
    uncounted = view.show(_container(restart_policy={'Name': 'always'}),
                          BASE)

    assert counted['restart_policy'] == {'Name': 'on-failure',
                                         'MaximumRetryCount': '3'}
    assert uncounted['restart_policy'] == {'Name': 'always',
                                           'MaximumRetryCount': '0'}


def _page(count):
    return [_container(uuid=f'uuid-{n}', name=f'c{n}') for n in range(count)]


def test_collection_links_the_next_page_only_when_this_one_is_full():
    full = view.collection(_page(2), BASE, 2, sort_key='name',
                           sort_dir='desc')
    short = view.collection(_page(1), BASE, 2)
    unlimited = view.collection(_page(2), BASE, None)

    assert full['next'] == (f'{BASE}/v1/containers?sort_key=name'
                            '&sort_dir=desc&limit=2&marker=uuid-1')
    assert [c['name'] for c in full['containers']] == ['c0', 'c1']
    assert short['next'] is None
    assert unlimited['next'] is None


def test_collection_hides_admin_fields_unless_asked():
    assert 'host' not in view.collection(_page(1), BASE, 5)['containers'][0]
    assert 'host' in view.collection(_page(1), BASE, 5,
                                     admin_fields=True)['containers'][0]


MiB = 1024 * 1024


def test_stats_summary():
    raw = {
        'cpu_stats': {'cpu_usage': {'total_usage': 300},
                      'system_cpu_usage': 3000, 'online_cpus': 2},
        'precpu_stats': {'cpu_usage': {'total_usage': 100},
                         'system_cpu_usage': 1000},
        'memory_stats': {'usage': 50 * MiB, 'limit': 200 * MiB},
        'blkio_stats': {'io_service_bytes_recursive': [
            {'op': 'Read', 'value': 10}, {'op': 'Write', 'value': 20},
            {'op': 'read', 'value': 5}, {'op': 'Total', 'value': 35}]},
        'networks': {'eth0': {'rx_bytes': 1, 'tx_bytes': 2},
                     'eth1': {'rx_bytes': 3, 'tx_bytes': 4}},
    }

    assert view.stats(_container(), raw) == {
        'CONTAINER': 'web', 'CPU %': 20.0, 'MEM USAGE(MiB)': 50.0,
        'MEM LIMIT(MiB)': 200.0, 'MEM %': 25.0, 'BLOCK I/O(B)': '15/20',
        'NET I/O(B)': '4/6'}


def test_stats_of_an_idle_container_without_limits():
    raw = {'cpu_stats': {'cpu_usage': {'total_usage': 100},
                         'system_cpu_usage': 1000},
           'precpu_stats': {'cpu_usage': {'total_usage': 100},
                            'system_cpu_usage': 1000},
           'blkio_stats': {'io_service_bytes_recursive': None},
           'networks': None}

    assert view.stats(_container(), raw) == {
        'CONTAINER': 'web', 'CPU %': 0.0, 'MEM USAGE(MiB)': 0.0,
        'MEM LIMIT(MiB)': 0.0, 'MEM %': 0.0, 'BLOCK I/O(B)': '0/0',
        'NET I/O(B)': '0/0'}


def test_action_view_shows_tracebacks_only_when_allowed():
    action = types.SimpleNamespace(
        action='stop', container_uuid=UUID, request_id='req-1',
        user_id='u', project_id='p', start_time=WHEN, finish_time=None,
        message=None)
    event = types.SimpleNamespace(
        event='compute_container_stop', start_time=WHEN, finish_time=WHEN,
        result='Error', details=None, traceback='Traceback ...')

    hidden = action_views.show(action, [event])
    shown = action_views.show(action, [event], show_traceback=True)

    assert hidden['start_time'] == '2026-11-22 10:00:00'
    assert 'traceback' not in hidden['events'][0]
    assert shown['events'][0]['traceback'] == 'Traceback ...'
    assert action_views.collection([action]) == {
        'containerActions': [action_views.show(action)]}
    assert 'events' not in action_views.show(action)


def test_service_view_state():
    service = types.SimpleNamespace(
        id=1, host='h1', binary='snapzun-compute', disabled=False,
        disabled_reason=None, forced_down=False, report_count=3,
        availability_zone=None, last_seen_up=WHEN, created_at=WHEN,
        updated_at=None)

    assert service_views.show(service, True)['state'] == 'up'
    assert service_views.show(service, False)['state'] == 'down'
    assert service_views.show(service, True)['last_seen_up'] == \
        '2026-11-22 10:00:00'
