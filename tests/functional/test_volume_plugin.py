"""snapzun-volume-plugin on a real dockerd, with a loop device as volume.

A dockerd of its own (tools/docker-host.sh), a sparse file on a loop device
standing in for an attached Cinder volume (Cinder's ``local`` connection),
and the plugin as a process of its own on a socket name only this module
uses. dockerd finds plugins in /run/docker/plugins only, so the socket is
there; every other dockerd of the machine may see it while the tests run.
"""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid

import docker
import pytest

from tests.functional import harness

PLUGIN_SOCKET_DIR = '/run/docker/plugins'
LABEL = 'snapzun.test.volume-plugin'
WAIT = 60  # seconds for anything dockerd or the plugin does

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which('losetup'),
    reason='needs root, loop devices and mount')


def _run(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True,
                          timeout=WAIT).stdout.strip()


def _mounts_under(path):
    """Mountpoints at or below ``path``, from /proc/mounts."""
    with open('/proc/mounts') as f:
        points = [line.split()[1].replace('\\040', ' ') for line in f]
    return [p for p in points if p == path or p.startswith(path + '/')]


def _filesystem_uuid(device):
    return _run('blkid', '-p', '-o', 'value', '-s', 'UUID', device,
                check=False)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__('localhost', timeout=WAIT)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(WAIT)
        self.sock.connect(self._path)


class PluginEnv:
    """One dockerd, the plugin process and their directories."""

    def __init__(self, workdir):
        self.workdir = workdir
        token = uuid.uuid4().hex[:8]
        self.name = f'snapzun-ft-{token}'
        self.socket = os.path.join(PLUGIN_SOCKET_DIR, f'{self.name}.sock')
        self.host = harness.DockerHost(f'vp-{token}',
                                       os.path.join(workdir, 'hosts'))
        plugin_dir = os.path.join(workdir, 'plugin')
        self.plugin = harness.SnapzunProcess(
            plugin_dir, 'ft-volume-plugin', self.host.url,
            binary='snapzun-volume-plugin',
            options={('volume_plugin', 'name'): self.name,
                     ('volume_plugin', 'socket_dir'): PLUGIN_SOCKET_DIR})
        self.state_dir = os.path.join(plugin_dir, 'state', 'volume-plugin')
        self._clients = []

    def client(self):
        """A new Docker client: the old ones die with a dockerd restart."""
        client = docker.DockerClient(base_url=self.host.url, timeout=WAIT)
        self._clients.append(client)
        return client

    def close_clients(self):
        for client in self._clients:
            client.close()
        self._clients.clear()

    def call(self, endpoint, body=None):
        """POST to the plugin as dockerd does; its JSON answer."""
        connection = _UnixConnection(self.socket)
        try:
            connection.request('POST', endpoint, body=json.dumps(body),
                               headers={'Content-Type':
                                        'application/vnd.docker.plugins.v1'
                                        '+json'})
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def _answers(self):
        if self.plugin.proc.poll() is not None:
            raise AssertionError(f'the plugin exited with '
                                 f'{self.plugin.proc.returncode}; see '
                                 f'{self.plugin.log}')
        try:
            return self.call('/Plugin.Activate') == {
                'Implements': ['VolumeDriver'], 'Err': ''}
        except OSError:
            return False

    def start_plugin(self):
        self.plugin.start()
        harness.wait_for(self._answers, WAIT, 0.1, 'the plugin to answer')

    def books(self):
        with open(os.path.join(self.state_dir, 'volumes.json')) as f:
            return json.load(f)['volumes']

    def formats(self):
        """How many filesystems the plugin made, in all its runs."""
        with open(self.plugin.log) as f:
            return sum('made ext4 filesystem on' in line for line in f)

    def docker_cli(self, *args):
        return _run('docker', '-H', self.host.url, *args)

    def remove_test_objects(self):
        """Containers and volumes of these tests, whatever state they are."""
        with contextlib.suppress(docker.errors.DockerException, OSError):
            client = self.client()
            for container in client.containers.list(
                    all=True, filters={'label': LABEL}):
                container.remove(force=True)
            for volume in client.volumes.list(
                    filters={'driver': self.name}):
                volume.remove(force=True)
        for path in reversed(_mounts_under(self.workdir)):
            if path.startswith(self.state_dir):
                _run('umount', path, check=False)


@pytest.fixture(scope='module')
def env():
    workdir = tempfile.mkdtemp(prefix='snapzun-ft-vp-')
    env = PluginEnv(workdir)
    try:
        env.host.start()
        env.start_plugin()
        yield env
    finally:
        env.remove_test_objects()
        env.close_clients()
        env.plugin.stop()
        env.host.stop()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(env.socket)
        if not _mounts_under(workdir):
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def loops(env):
    """Attaches sparse files as loop devices; detaches them at the end."""
    files = []

    def attach(size='64M'):
        path = os.path.join(env.workdir, f'cinder-volume-{len(files)}.img')
        _run('truncate', '-s', size, path)
        files.append(path)
        return _run('losetup', '--find', '--show', path)

    attach.devices_of = lambda path: _run('losetup', '--noheadings',
                                          '--output', 'NAME',
                                          '--associated', path).split()
    attach.files = files
    yield attach
    for path in files:
        for device in attach.devices_of(path):
            _run('losetup', '--detach', device, check=False)
        os.unlink(path)


@pytest.fixture
def cleanup(env, loops):
    """Test containers and volumes go, before the loop devices do."""
    yield
    env.remove_test_objects()


def _create_volume(env, client, name, device, **options):
    info = {'driver_volume_type': 'local', 'data': {'device_path': device}}
    return client.volumes.create(
        name=name, driver=env.name,
        driver_opts=dict(options, connection_info=json.dumps(info)))


def _run_container(client, volume, script, **kwargs):
    """Run ``script`` with ``volume`` at /data; its output."""
    container = client.containers.run(
        harness.BASE_IMAGE, ['sh', '-c', script], detach=True,
        network_mode='none', labels={LABEL: '1'},
        volumes={volume: {'bind': '/data', 'mode': 'rw'}}, **kwargs)
    result = container.wait(timeout=WAIT)
    output = container.logs().decode()
    container.remove()
    assert result['StatusCode'] == 0, output
    return output


def _start_container(client, volume, script, **kwargs):
    return client.containers.run(
        harness.BASE_IMAGE, ['sh', '-c', script], detach=True,
        network_mode='none', labels={LABEL: '1'},
        volumes={volume: {'bind': '/data', 'mode': 'rw'}}, **kwargs)


def _status(container):
    container.reload()
    return container.status


# A container that keeps the volume mounted and stops at once on TERM.
KEEP = 'trap "exit 0" TERM; cat /data/proof; while true; do sleep 1; done'


def test_data_survives_containers_and_restarts(env, loops, cleanup):
    device = loops()
    name = f'data-{uuid.uuid4().hex[:8]}'
    proof = uuid.uuid4().hex
    mountpoint = os.path.join(env.state_dir, 'mnt', name)
    client = env.client()

    volume = _create_volume(env, client, name, device,
                            volume_id=f'cinder-{name}', fstype='ext4')

    assert volume.attrs['Driver'] == env.name
    assert env.books()[name]['volume_id'] == f'cinder-{name}'
    assert _filesystem_uuid(device) == ''  # Create does no device work

    # A container writes; the volume is released when it is gone.
    _run_container(client, name, f'echo {proof} > /data/proof && sync')
    filesystem = _filesystem_uuid(device)
    assert filesystem and env.formats() == 1
    harness.wait_for(lambda: not _mounts_under(env.state_dir), WAIT, 0.1,
                     'the volume to be unmounted')
    assert env.books()[name]['mount_ids'] == []

    # Another container on the same engine reads it; nothing is formatted.
    assert _run_container(client, name, 'cat /data/proof').strip() == proof
    assert env.formats() == 1 and _filesystem_uuid(device) == filesystem

    # Two containers at once share one mount.
    keeper = _start_container(client, name, KEEP,
                              restart_policy={'Name': 'always'})
    other = _start_container(client, name, 'sleep 600')
    harness.wait_for(lambda: env.call('/VolumeDriver.Get', {'Name': name})
                     ['Volume']['Status']['mounts'] == 2, WAIT, 0.1,
                     'two mounts')
    assert _mounts_under(env.state_dir) == [mountpoint]
    other.remove(force=True)
    harness.wait_for(lambda: len(env.books()[name]['mount_ids']) == 1, WAIT,
                     0.1, 'one mount left')
    assert _mounts_under(env.state_dir) == [mountpoint]

    # The plugin restarts under a running container: the mount stays.
    env.plugin.stop()
    assert not os.path.exists(env.socket)
    assert _mounts_under(env.state_dir) == [mountpoint]
    env.start_plugin()
    assert env.call('/VolumeDriver.Get', {'Name': name})['Volume'][
        'Mountpoint'] == mountpoint

    # It restarts once more after losing the mount, as a host reboot loses
    # it: the books drop the stale mount ID; dockerd's Unmount of it below
    # is tolerated.
    env.plugin.stop()
    _run('umount', mountpoint)
    env.start_plugin()
    assert env.books()[name]['mount_ids'] == []
    assert env.books()[name]['mountpoint'] is None

    # dockerd restarts: it unmounts on the way down, and mounts again for
    # the container with a restart policy on the way up.
    env.close_clients()
    env.host.stop()
    assert env.books()[name]['mount_ids'] == []
    assert not _mounts_under(env.state_dir)
    env.host.start()
    client = env.client()
    keeper = client.containers.get(keeper.id)
    harness.wait_for(lambda: _status(keeper) == 'running', WAIT, 0.2,
                     'the kept container to run again')
    harness.wait_for(lambda: len(env.books()[name]['mount_ids']) == 1, WAIT,
                     0.1, 'the volume to be mounted again')

    listed = env.docker_cli('volume', 'ls', '--format',
                            '{{.Driver}} {{.Name}}').splitlines()
    assert f'{env.name} {name}' in listed
    assert env.call('/VolumeDriver.List') == {
        'Volumes': [{'Name': name, 'Mountpoint': mountpoint}], 'Err': ''}
    assert env.books()[name]['mountpoint'] == mountpoint
    assert _mounts_under(env.state_dir) == [mountpoint]
    assert _run_container(client, name, 'cat /data/proof').strip() == proof
    assert proof in keeper.logs().decode()
    assert env.formats() == 1 and _filesystem_uuid(device) == filesystem

    # Done: the volume goes, then the "Cinder volume".
    keeper.remove(force=True)
    harness.wait_for(lambda: not _mounts_under(env.state_dir), WAIT, 0.1,
                     'the volume to be unmounted')
    client.volumes.get(name).remove()
    assert env.call('/VolumeDriver.List') == {'Volumes': [], 'Err': ''}
    assert env.books() == {}
    assert not os.path.exists(mountpoint)
    _run('losetup', '--detach', device)
    assert loops.devices_of(loops.files[0]) == []
    assert not _mounts_under(env.state_dir)


def test_a_device_holding_data_is_never_formatted(env, loops, cleanup):
    device = loops()
    _run('mkswap', device)
    swap = _filesystem_uuid(device)
    name = f'swap-{uuid.uuid4().hex[:8]}'
    client = env.client()
    _create_volume(env, client, name, device)

    with pytest.raises(docker.errors.APIError) as raised:
        _start_container(client, name, 'true')

    assert 'holds swap (other), not a filesystem' in str(raised.value)
    assert _filesystem_uuid(device) == swap
    assert _run('blkid', '-p', '-o', 'value', '-s', 'TYPE', device) == 'swap'
    assert not _mounts_under(env.state_dir)
    assert env.books()[name]['device_info'] is None


def test_docker_shows_the_plugin_errors(env, cleanup):
    client = env.client()
    with pytest.raises(docker.errors.APIError) as raised:
        client.volumes.create(name='no-connection', driver=env.name,
                              driver_opts={'volume_id': 'x'})
    assert 'option connection_info is required' in str(raised.value)
    with pytest.raises(docker.errors.APIError) as raised:
        client.volumes.create(name='bad-option', driver=env.name,
                              driver_opts={'size': '10'})
    assert 'unknown option(s) size' in str(raised.value)
    assert env.call('/VolumeDriver.List') == {'Volumes': [], 'Err': ''}
