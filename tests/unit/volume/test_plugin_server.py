"""snapzun.volume.plugin_server: Docker's protocol, its answers and socket."""

import http.client
import json
import os
import shutil
import socket
import stat
import tempfile
import threading
import time
from unittest import mock

import pytest

from snapzun import exception
from snapzun.volume import plugin_server
from tests.unit.volume.fakes import connection_info


def _post(plugin, path, body=None):
    raw = '' if body is None else json.dumps(body)
    return plugin_server.answer(plugin, path, raw)


def _ok(plugin, path, body=None):
    status, result = _post(plugin, path, body)
    assert status == 200 and result['Err'] == '', result
    return result


# answer(): one request, one answer

def test_activate_and_capabilities(plugin):
    assert _ok(plugin, '/Plugin.Activate') == {
        'Implements': ['VolumeDriver'], 'Err': ''}
    assert _ok(plugin, '/VolumeDriver.Capabilities') == {
        'Capabilities': {'Scope': 'global'}, 'Err': ''}


def test_dockerd_may_send_null_to_endpoints_that_take_nothing(plugin):
    status, result = plugin_server.answer(plugin, '/VolumeDriver.List',
                                          'null')
    assert (status, result) == (200, {'Volumes': [], 'Err': ''})


def test_a_volume_through_the_protocol(plugin, host):
    _ok(plugin, '/VolumeDriver.Create', {
        'Name': 'vol1', 'Opts': {'connection_info': connection_info(),
                                 'volume_id': 'cinder-1'}})
    assert _ok(plugin, '/VolumeDriver.List')['Volumes'] == [
        {'Name': 'vol1', 'Mountpoint': ''}]

    mounted = _ok(plugin, '/VolumeDriver.Mount', {'Name': 'vol1',
                                                  'ID': 'id-1'})
    path = mounted['Mountpoint']
    assert path == plugin.mountpoint('vol1')
    assert _ok(plugin, '/VolumeDriver.Path', {'Name': 'vol1'}) == {
        'Mountpoint': path, 'Err': ''}
    volume = _ok(plugin, '/VolumeDriver.Get', {'Name': 'vol1'})['Volume']
    assert volume['Name'] == 'vol1' and volume['Mountpoint'] == path
    assert volume['Status']['volume_id'] == 'cinder-1'
    assert volume['Status']['mounts'] == 1
    assert 'device_path' not in json.dumps(volume)  # no connection secrets

    status, result = _post(plugin, '/VolumeDriver.Remove', {'Name': 'vol1'})
    assert status == 200
    assert result['Err'] == ('Volume vol1 is mounted by 1 container(s); '
                             'stop them first.')

    _ok(plugin, '/VolumeDriver.Unmount', {'Name': 'vol1', 'ID': 'id-1'})
    _ok(plugin, '/VolumeDriver.Remove', {'Name': 'vol1'})
    assert _ok(plugin, '/VolumeDriver.List')['Volumes'] == []


@pytest.mark.parametrize('path, body, err', [
    ('/VolumeDriver.Get', {'Name': 'nope'}, 'no such volume: nope'),
    ('/VolumeDriver.Path', {'Name': 'nope'}, 'no such volume: nope'),
    ('/VolumeDriver.Mount', {'Name': 'nope', 'ID': 'x'},
     'no such volume: nope'),
    ('/VolumeDriver.Remove', {'Name': 'nope'}, 'no such volume: nope'),
    ('/VolumeDriver.Create', {'Name': 'v', 'Opts': {'size': '10'}},
     'Invalid volume v: unknown option(s) size; known: connection_info, '
     'volume_id, fstype'),
    ('/VolumeDriver.Create', {'Name': 'v'},
     'Invalid volume v: option connection_info is required: the '
     'connection_info Cinder returned for this host'),
    ('/VolumeDriver.Create', {'Opts': {}},
     'Invalid request: Name must be a non-empty string'),
    ('/VolumeDriver.Mount', {'Name': 'v'},
     'Invalid request: ID must be a non-empty string'),
])
def test_errors_are_err_messages(plugin, path, body, err):
    assert _post(plugin, path, body) == (200, {'Err': err})


def test_malformed_requests(plugin):
    assert _post(plugin, '/VolumeDriver.Nope') == (
        404, {'Err': '/VolumeDriver.Nope is not an endpoint of this plugin'})
    status, result = plugin_server.answer(plugin, '/VolumeDriver.Get', '{')
    assert status == 400
    assert result['Err'].startswith('Malformed request body: ')
    assert plugin_server.answer(plugin, '/VolumeDriver.Get', '[1]') == (
        400, {'Err': 'Malformed request body: not a JSON object'})


def test_an_unexpected_failure_is_an_err_without_traceback(plugin):
    with mock.patch.object(plugin, 'list', side_effect=KeyError('boom')):
        status, result = _post(plugin, '/VolumeDriver.List')
    assert status == 500
    assert result == {'Err': 'VolumeDriver.List failed unexpectedly; see '
                             'the volume plugin log'}


# The server on its unix socket

class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=10)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(self._path)


def _request(path, endpoint, body=None, method='POST'):
    connection = _UnixConnection(path)
    try:
        connection.request(method, endpoint,
                           body=None if body is None else json.dumps(body),
                           headers={'Content-Type':
                                    plugin_server.CONTENT_TYPE})
        response = connection.getresponse()
        return (response.status, response.getheader('Content-Type'),
                json.loads(response.read()))
    finally:
        connection.close()


@pytest.fixture
def socket_dir():
    # Short: a unix socket path has at most 107 bytes.
    path = tempfile.mkdtemp(prefix='szvp-')
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def serve(socket_dir, plugin):
    servers = []

    def start(threads=4, target=plugin):
        server = plugin_server.PluginServer(
            os.path.join(socket_dir, 'test.sock'), target, threads)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop(timeout=5)


def test_the_server_answers_docker_on_its_socket(serve):
    server = serve()
    assert stat.S_IMODE(os.stat(server.socket_path).st_mode) == 0o600
    status, content_type, body = _request(server.socket_path,
                                          '/Plugin.Activate')
    assert (status, body) == (200, {'Implements': ['VolumeDriver'],
                                    'Err': ''})
    assert content_type == plugin_server.CONTENT_TYPE
    status, _type, body = _request(server.socket_path, '/VolumeDriver.Create',
                                   {'Name': 'v1', 'Opts': {'bad': 'x'}})
    assert status == 200 and 'unknown option(s) bad' in body['Err']
    status, _type, body = _request(server.socket_path, '/VolumeDriver.List',
                                   method='GET')
    assert status == 405
    assert body == {'Err': 'GET is not allowed; plugin endpoints take POST'}


def test_stop_removes_the_socket(serve):
    server = serve()
    server.stop(timeout=5)
    assert not os.path.exists(server.socket_path)
    server.stop(timeout=5)  # twice is harmless


def test_a_stale_socket_is_replaced(socket_dir, serve):
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(os.path.join(socket_dir, 'test.sock'))
    stale.close()  # bound, never listening: what a killed plugin leaves
    server = serve()
    assert _request(server.socket_path, '/VolumeDriver.List')[0] == 200


def test_a_served_socket_is_not_taken_over(socket_dir, serve, plugin):
    serve()
    with pytest.raises(exception.Conflict) as raised:
        plugin_server.PluginServer(os.path.join(socket_dir, 'test.sock'),
                                   plugin)
    assert 'another process serves' in str(raised.value)


class _BlockingPlugin:
    """Mount waits for ``release``; List answers at once."""

    def __init__(self):
        self.release = threading.Event()
        self.mounting = threading.Event()

    def mount(self, name, mount_id):
        self.mounting.set()
        self.release.wait(10)
        return '/mnt/' + name

    def list(self):
        return []


def test_requests_beyond_the_thread_bound_wait(serve):
    target = _BlockingPlugin()
    server = serve(threads=1, target=target)
    answers = {}

    def call(key, endpoint, body=None):
        answers[key] = _request(server.socket_path, endpoint, body)

    mounting = threading.Thread(target=call, args=(
        'mount', '/VolumeDriver.Mount', {'Name': 'v', 'ID': 'x'}))
    mounting.start()
    assert target.mounting.wait(5)
    listing = threading.Thread(target=call, args=('list',
                                                  '/VolumeDriver.List'))
    listing.start()
    time.sleep(0.3)
    assert 'list' not in answers  # the only thread is busy

    target.release.set()
    mounting.join(10)
    listing.join(10)
    assert answers['mount'][2] == {'Mountpoint': '/mnt/v', 'Err': ''}
    assert answers['list'][2] == {'Volumes': [], 'Err': ''}


def test_stop_waits_for_running_requests(serve):
    target = _BlockingPlugin()
    server = serve(threads=2, target=target)
    answers = []
    mounting = threading.Thread(target=lambda: answers.append(_request(
        server.socket_path, '/VolumeDriver.Mount', {'Name': 'v', 'ID': 'x'})))
    mounting.start()
    assert target.mounting.wait(5)
    threading.Timer(0.2, target.release.set).start()

    server.stop(timeout=5)

    mounting.join(5)
    assert answers and answers[0][2]['Mountpoint'] == '/mnt/v'
    assert not os.path.exists(server.socket_path)
