"""snapzun.volume.plugin: bookkeeping, mounts and the data path's rules."""

import json
import os
import stat
import threading
import time
from unittest import mock

from oslo_concurrency import processutils
import pytest

from snapzun import exception
from snapzun.volume import plugin as plugin_module
from tests.unit.volume.fakes import DEVICE
from tests.unit.volume.fakes import connection_info


def _create(plugin, name='vol1', **options):
    options.setdefault('connection_info', connection_info())
    plugin.create(name, options)


def _books(plugin):
    with open(plugin.state_file) as f:
        return json.load(f)['volumes']


# Create

def test_create_records_the_volume_without_device_work(plugin, host):
    _create(plugin, volume_id='cinder-1', fstype='xfs')

    record = _books(plugin)['vol1']
    assert record['volume_id'] == 'cinder-1'
    assert record['fstype'] == 'xfs'
    assert record['connection_info'] == {
        'driver_volume_type': 'local', 'data': {'device_path': DEVICE}}
    assert record['mount_ids'] == [] and record['mountpoint'] is None
    assert host.calls == []
    assert plugin.get('vol1')['Mountpoint'] == ''


def test_books_are_readable_by_root_only(plugin):
    # connection_info may carry CHAP secrets or keys.
    _create(plugin)
    assert stat.S_IMODE(os.stat(plugin.state_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(plugin.state_dir).st_mode) == 0o700


@pytest.mark.parametrize('options, message', [
    ({'size': '1'}, 'unknown option(s) size'),
    ({'connection_info': 'not json'}, 'connection_info is not JSON'),
    ({'connection_info': '[]'}, "Cinder's connection_info"),
    ({'connection_info': '{"driver_volume_type": "local"}'},
     "Cinder's connection_info"),
    ({'connection_info': connection_info(protocol='carrier_pigeon')},
     "'carrier_pigeon' is not one os-brick connects"),
    ({'connection_info': connection_info(encrypted=True)},
     'encrypted volumes are not supported'),
    ({'connection_info': connection_info(), 'fstype': 'ext4;rm'},
     'is not a filesystem type name'),
    ({'connection_info': connection_info(), 'volume_id': ''},
     'volume_id must be a non-empty string'),
    ({'connection_info': connection_info(), 'volume_id': 7},
     'volume_id must be a non-empty string'),
    ({'volume_id': 'cinder-1'}, 'connection_info is required'),
    ({}, 'connection_info is required'),
])
def test_create_refuses_bad_options(plugin, options, message):
    with pytest.raises(exception.DockerVolumeInvalid) as raised:
        plugin.create('vol1', options)
    assert message in str(raised.value)
    assert plugin.list() == []


@pytest.mark.parametrize('name', ['', '../etc', 'a/b', '.hidden', '-x',
                                  'x' * 256, None])
def test_create_refuses_names_unfit_for_a_directory(plugin, name):
    with pytest.raises(exception.DockerVolumeInvalid):
        plugin.create(name, {'connection_info': connection_info()})


def test_create_refuses_opts_that_are_not_an_object(plugin):
    with pytest.raises(exception.DockerVolumeInvalid):
        plugin.create('vol1', ['connection_info'])


def test_create_again_without_options_or_with_the_same_ones(plugin):
    _create(plugin, volume_id='cinder-1')
    plugin.create('vol1', {})  # docker run -v vol1:/data
    plugin.create('vol1', None)
    _create(plugin, volume_id='cinder-1')
    assert [v['Name'] for v in plugin.list()] == ['vol1']


def test_create_again_with_other_options_is_refused(plugin):
    _create(plugin, volume_id='cinder-1')
    with pytest.raises(exception.DockerVolumeExists) as raised:
        _create(plugin, connection_info=connection_info('/dev/other'),
                volume_id='cinder-1')
    assert 'connection_info differs' in str(raised.value)
    assert _books(plugin)['vol1']['connection_info']['data'] == {
        'device_path': DEVICE}


def test_one_cinder_volume_is_one_docker_volume(plugin):
    _create(plugin, volume_id='cinder-1')
    with pytest.raises(exception.DockerVolumeInvalid) as raised:
        _create(plugin, 'vol2', volume_id='cinder-1')
    assert 'already Docker volume vol1' in str(raised.value)


# Mount

def test_first_mount_connects_formats_a_blank_device_and_mounts(plugin,
                                                                host):
    _create(plugin)

    path = plugin.mount('vol1', 'id-1')

    assert path == os.path.join(plugin.state_dir, 'mnt', 'vol1')
    assert os.path.isdir(path)
    assert [c[0] for c in host.calls] == ['connect', 'probe',
                                          'make_filesystem', 'mount']
    assert host.calls_of('make_filesystem') == [('ext4', DEVICE)]
    assert host.calls_of('mount') == [(DEVICE, path, 'ext4', False)]
    view = plugin.get('vol1')
    assert view['Mountpoint'] == path
    assert view['Status']['mounts'] == 1
    assert view['Status']['device'] == DEVICE
    assert view['Status']['filesystem'] == 'ext4'
    assert view['Status']['formatted_at']
    record = _books(plugin)['vol1']
    assert record['mount_ids'] == ['id-1']
    assert record['mountpoint'] == path
    assert record['device_info'] == {'type': 'local', 'path': DEVICE}


def test_the_fstype_option_and_the_default_choose_the_filesystem(
        make_plugin, host):
    plugin = make_plugin(default_fstype='ext3')
    _create(plugin, 'a', connection_info=connection_info('/dev/a'),
            fstype='xfs')
    _create(plugin, 'b', connection_info=connection_info('/dev/b'))
    plugin.mount('a', 'id-a')
    plugin.mount('b', 'id-b')
    assert host.calls_of('make_filesystem') == [('xfs', '/dev/a'),
                                                ('ext3', '/dev/b')]


def test_more_mounts_share_the_mountpoint_and_never_format_again(plugin,
                                                                 host):
    _create(plugin)
    first = plugin.mount('vol1', 'id-1')
    host.calls.clear()

    assert plugin.mount('vol1', 'id-2') == first
    assert plugin.mount('vol1', 'id-2') == first  # same ID: counted once

    assert host.calls == []
    assert plugin.get('vol1')['Status']['mounts'] == 2
    assert _books(plugin)['vol1']['mount_ids'] == ['id-1', 'id-2']


def test_a_device_with_a_filesystem_is_mounted_never_formatted(plugin,
                                                               host):
    host.filesystems[DEVICE] = {'TYPE': 'xfs', 'USAGE': 'filesystem'}
    _create(plugin, fstype='ext4')

    path = plugin.mount('vol1', 'id-1')

    assert host.calls_of('make_filesystem') == []
    # Its own type, not the asked one: the data stays readable.
    assert host.calls_of('mount') == [(DEVICE, path, 'xfs', False)]
    assert plugin.get('vol1')['Status']['formatted_at'] == ''


def test_a_failed_mount_never_formats(plugin, host):
    host.filesystems[DEVICE] = {'TYPE': 'ext4', 'USAGE': 'filesystem'}
    host.fail['mount'] = processutils.ProcessExecutionError(
        exit_code=32, stderr='mount: wrong fs type, bad superblock',
        cmd='mount -t ext4 /dev/fake0 /x')
    _create(plugin)

    for _attempt in range(2):
        with pytest.raises(exception.DockerVolumeDeviceError) as raised:
            plugin.mount('vol1', 'id-1')
        assert 'bad superblock' in str(raised.value)

    assert host.calls_of('make_filesystem') == []
    # Each failed Mount released its connection; nothing holds the volume.
    assert host.connected == set()
    assert _books(plugin)['vol1']['mount_ids'] == []
    assert _books(plugin)['vol1']['device_info'] is None


@pytest.mark.parametrize('code, fields, reason', [
    (0, {'PTTYPE': 'gpt'}, 'holds a gpt partition table'),
    (0, {'PTUUID': 'x'}, 'holds signatures'),
    (8, {}, 'blkid cannot tell what it holds (exit 8'),
    (4, {}, 'blkid cannot tell what it holds (exit 4'),
])
def test_a_device_that_may_hold_data_is_never_formatted(plugin, host, code,
                                                        fields, reason):
    if code:
        host.probe_codes[DEVICE] = code
    else:
        host.filesystems[DEVICE] = fields
    _create(plugin)

    with pytest.raises(exception.FormatRefused) as raised:
        plugin.mount('vol1', 'id-1')

    assert reason in str(raised.value)
    assert host.calls_of('make_filesystem') == []
    assert host.calls_of('mount') == []
    assert host.connected == set()


def test_an_unreadable_device_is_never_formatted(plugin, host):
    host.fail['probe'] = PermissionError(13, 'Permission denied')
    _create(plugin)
    with pytest.raises(exception.FormatRefused) as raised:
        plugin.mount('vol1', 'id-1')
    assert 'cannot read it' in str(raised.value)
    assert host.calls_of('make_filesystem') == []


def test_a_device_holding_something_else_is_left_alone(plugin, host):
    host.filesystems[DEVICE] = {'TYPE': 'swap', 'USAGE': 'other'}
    _create(plugin)
    with pytest.raises(exception.DockerVolumeDeviceError) as raised:
        plugin.mount('vol1', 'id-1')
    assert 'holds swap (other), not a filesystem' in str(raised.value)
    assert host.calls_of('make_filesystem') == []
    assert host.calls_of('mount') == []


def test_a_read_only_volume_is_mounted_read_only(plugin, host):
    host.filesystems[DEVICE] = {'TYPE': 'ext4', 'USAGE': 'filesystem'}
    _create(plugin, connection_info=connection_info(access_mode='ro'))
    path = plugin.mount('vol1', 'id-1')
    assert host.calls_of('mount') == [(DEVICE, path, 'ext4', True)]


def test_a_blank_read_only_volume_is_refused(plugin, host):
    _create(plugin, connection_info=connection_info(access_mode='ro'))
    with pytest.raises(exception.DockerVolumeDeviceError) as raised:
        plugin.mount('vol1', 'id-1')
    assert 'read-only and has no filesystem' in str(raised.value)
    assert host.calls_of('make_filesystem') == []


def test_a_failed_connection_is_an_error(plugin, host):
    host.fail['connect'] = processutils.ProcessExecutionError(
        exit_code=21, stderr='iscsiadm: No session found.',
        cmd='iscsiadm -m session')
    _create(plugin)
    with pytest.raises(exception.DockerVolumeDeviceError) as raised:
        plugin.mount('vol1', 'id-1')
    assert 'cannot connect the local volume' in str(raised.value)
    assert 'iscsiadm exited with 21: iscsiadm: No session found.' in str(
        raised.value)
    assert _books(plugin)['vol1']['device_info'] is None


def test_a_connection_that_is_no_block_device_is_refused(plugin, host):
    _create(plugin, connection_info=connection_info('/mnt/nfs/volume-1'))
    with pytest.raises(exception.DockerVolumeDeviceError) as raised:
        plugin.mount('vol1', 'id-1')
    assert 'not a block device' in str(raised.value)
    assert host.calls_of('probe') == []
    assert host.connected == set()


def test_mount_of_an_unknown_volume(plugin):
    with pytest.raises(exception.DockerVolumeNotFound) as raised:
        plugin.mount('nope', 'id-1')
    assert str(raised.value) == 'no such volume: nope'


def test_mounts_of_one_volume_are_serialized(plugin, host):
    real_connect = host.connect

    def slow_connect(info):
        time.sleep(0.05)
        return real_connect(info)

    host.connect = slow_connect
    _create(plugin)
    paths = []
    threads = [threading.Thread(
        target=lambda i=i: paths.append(plugin.mount('vol1', f'id-{i}')))
        for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(set(paths)) == 1 and len(paths) == 8
    assert len(host.calls_of('mount')) == 1
    assert len(host.calls_of('make_filesystem')) == 1
    assert plugin.get('vol1')['Status']['mounts'] == 8


# Unmount

def test_the_last_unmount_unmounts_and_disconnects(plugin, host):
    _create(plugin)
    path = plugin.mount('vol1', 'id-1')
    plugin.mount('vol1', 'id-2')

    plugin.unmount('vol1', 'id-1')
    assert host.is_mounted(path)
    assert host.calls_of('unmount') == []

    plugin.unmount('vol1', 'id-2')
    assert host.calls_of('unmount') == [(path,)]
    assert [c[0] for c in host.calls][-2:] == ['unmount', 'disconnect']
    assert host.connected == set()
    record = _books(plugin)['vol1']
    assert record['mount_ids'] == []
    assert record['mountpoint'] is None and record['device_info'] is None
    assert plugin.get('vol1')['Mountpoint'] == ''


def test_unknown_mount_ids_are_tolerated(plugin, host):
    _create(plugin)
    plugin.mount('vol1', 'id-1')
    plugin.unmount('vol1', 'from-a-previous-life')
    assert host.calls_of('unmount') == []
    assert plugin.get('vol1')['Status']['mounts'] == 1
    plugin.unmount('vol1', 'id-1')
    plugin.unmount('vol1', 'id-1')  # again: nothing left to do
    assert len(host.calls_of('unmount')) == 1
    assert len(host.calls_of('disconnect')) == 1


def test_unmount_of_an_unknown_volume(plugin):
    with pytest.raises(exception.DockerVolumeNotFound):
        plugin.unmount('nope', 'id-1')


def test_a_failed_unmount_is_an_error_and_remove_retries_it(plugin, host):
    _create(plugin)
    path = plugin.mount('vol1', 'id-1')
    host.fail['unmount'] = processutils.ProcessExecutionError(
        exit_code=32, stderr='umount: target is busy.', cmd='umount x')

    with pytest.raises(exception.DockerVolumeDeviceError) as raised:
        plugin.unmount('vol1', 'id-1')
    assert 'target is busy' in str(raised.value)
    record = _books(plugin)['vol1']
    assert record['mount_ids'] == []  # dockerd forgets it either way
    assert record['mountpoint'] == path and record['device_info']
    assert host.connected == {DEVICE}

    with pytest.raises(exception.DockerVolumeDeviceError):
        plugin.remove('vol1')
    assert 'vol1' in _books(plugin)

    del host.fail['unmount']
    plugin.remove('vol1')
    assert not host.is_mounted(path)
    assert host.connected == set()
    assert _books(plugin) == {}


# Remove

def test_remove_refuses_a_mounted_volume(plugin, host):
    _create(plugin)
    plugin.mount('vol1', 'id-1')
    with pytest.raises(exception.DockerVolumeInUse) as raised:
        plugin.remove('vol1')
    assert 'mounted by 1 container(s)' in str(raised.value)
    assert 'vol1' in _books(plugin)


def test_remove_forgets_the_volume_and_its_empty_directory(plugin, host):
    _create(plugin)
    path = plugin.mount('vol1', 'id-1')
    plugin.unmount('vol1', 'id-1')

    plugin.remove('vol1')

    assert not os.path.exists(path)
    assert _books(plugin) == {}
    assert plugin.list() == []
    with pytest.raises(exception.DockerVolumeNotFound):
        plugin.get('vol1')


def test_remove_keeps_a_directory_with_files(plugin, host):
    _create(plugin)
    path = plugin.mount('vol1', 'id-1')
    plugin.unmount('vol1', 'id-1')
    with open(os.path.join(path, 'written-while-unmounted'), 'w'):
        pass
    plugin.remove('vol1')
    assert os.path.exists(os.path.join(path, 'written-while-unmounted'))
    assert _books(plugin) == {}


def test_remove_of_a_never_mounted_volume(plugin, host):
    _create(plugin)
    plugin.remove('vol1')
    assert host.calls == []
    assert _books(plugin) == {}


def test_remove_of_an_unknown_volume(plugin):
    with pytest.raises(exception.DockerVolumeNotFound):
        plugin.remove('nope')


# Reads

def test_list_and_path(plugin, host):
    _create(plugin, 'b', connection_info=connection_info('/dev/b'))
    _create(plugin, 'a', connection_info=connection_info('/dev/a'))
    path = plugin.mount('a', 'id-1')
    assert plugin.list() == [{'Name': 'a', 'Mountpoint': path},
                             {'Name': 'b', 'Mountpoint': ''}]
    assert plugin.path('a') == path
    assert plugin.path('b') == ''


# Persistence

def test_a_restarted_plugin_has_the_same_books(make_plugin, host):
    plugin = make_plugin()
    _create(plugin, volume_id='cinder-1')
    path = plugin.mount('vol1', 'id-1')
    plugin.mount('vol1', 'id-2')
    before = plugin.get('vol1')

    again = make_plugin()

    assert again.get('vol1') == before
    host.calls.clear()
    assert again.mount('vol1', 'id-3') == path
    assert host.calls == []
    again.unmount('vol1', 'id-1')
    again.unmount('vol1', 'id-2')
    again.unmount('vol1', 'id-3')
    assert host.calls_of('unmount') == [(path,)]


def test_a_failed_write_changes_neither_file_nor_memory(plugin):
    _create(plugin, 'vol1')
    with open(plugin.state_file) as f:
        before = f.read()
    with mock.patch.object(plugin_module.os, 'replace',
                           side_effect=OSError(28, 'No space left')):
        with pytest.raises(OSError):
            _create(plugin, 'vol2',
                    connection_info=connection_info('/dev/b'))
    with open(plugin.state_file) as f:
        assert f.read() == before
    assert [v['Name'] for v in plugin.list()] == ['vol1']
    # No temporary file is left behind.
    assert sorted(os.listdir(plugin.state_dir)) == ['mnt', 'volumes.json']


def test_writes_are_synced_before_the_rename(plugin):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    with mock.patch.object(plugin_module.os, 'fsync',
                           side_effect=lambda fd: (events.append('fsync'),
                                                   real_fsync(fd))), \
            mock.patch.object(plugin_module.os, 'replace',
                              side_effect=lambda a, b: (
                                  events.append('replace'),
                                  real_replace(a, b))):
        _create(plugin)
    # The file, then the rename, then the directory that holds it.
    assert events == ['fsync', 'replace', 'fsync']


def test_leftovers_of_a_crashed_write_are_removed(make_plugin, state_dir):
    plugin = make_plugin()
    _create(plugin)
    leftover = os.path.join(state_dir, '.volumes.json.abc123')
    with open(leftover, 'w') as f:
        f.write('{"half": ')
    again = make_plugin()
    assert not os.path.exists(leftover)
    assert [v['Name'] for v in again.list()] == ['vol1']


@pytest.mark.parametrize('content, reason', [
    ('{"version": 1, "volumes": ', 'Expecting value'),
    ('{"version": 1}', 'unexpected content'),
    ('{"version": 1, "volumes": {"v": {}}}', 'unexpected content'),
    ('{"version": 2, "volumes": {}}', 'newer than this plugin'),
])
def test_unreadable_books_stop_the_plugin(make_plugin, state_dir, content,
                                          reason):
    # Starting with no books would forget mounted volumes.
    os.makedirs(state_dir)
    with open(os.path.join(state_dir, 'volumes.json'), 'w') as f:
        f.write(content)
    with pytest.raises(exception.VolumePluginStateError) as raised:
        make_plugin()
    assert reason in str(raised.value)


def test_after_a_reboot_the_next_mount_mounts_again(make_plugin, host):
    plugin = make_plugin()
    _create(plugin)
    path = plugin.mount('vol1', 'id-old')
    # The host reboots: mounts and connections are gone, the disk is not.
    host.mounted.clear()
    host.connected.clear()
    host.calls.clear()

    again = make_plugin()

    assert _books(again)['vol1']['mount_ids'] == []
    assert again.get('vol1')['Mountpoint'] == ''
    assert again.mount('vol1', 'id-new') == path
    assert [c[0] for c in host.calls] == ['connect', 'probe', 'mount']
    # dockerd's Unmount of the old ID changes nothing.
    again.unmount('vol1', 'id-old')
    assert host.is_mounted(path)
    again.unmount('vol1', 'id-new')
    assert not host.is_mounted(path)


def test_a_restart_keeps_mounts_that_are_still_there(make_plugin, host):
    plugin = make_plugin()
    _create(plugin)
    plugin.mount('vol1', 'id-1')
    again = make_plugin()
    assert _books(again)['vol1']['mount_ids'] == ['id-1']
    with pytest.raises(exception.DockerVolumeInUse):
        again.remove('vol1')


def test_a_mount_without_a_record_is_adopted(make_plugin, host):
    plugin = make_plugin()
    _create(plugin)
    path = plugin.mountpoint('vol1')
    # A Mount that died between mount(8) and its record.
    host.mounted[path] = DEVICE

    again = make_plugin()

    assert _books(again)['vol1']['mountpoint'] == path
    assert again.get('vol1')['Mountpoint'] == path
    # No mount ID holds it: the next Unmount, of any ID, releases it.
    again.unmount('vol1', 'id-unknown')
    assert not host.is_mounted(path)


# Host: the commands and os-brick behind the plugin

def test_host_is_mounted_reads_mountinfo(tmp_path):
    mountinfo = tmp_path / 'mountinfo'
    mountinfo.write_text(
        '22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n'
        '90 22 7:0 / /var/lib/x/mnt/with\\040space rw - ext4 /dev/loop0 rw\n')
    host = plugin_module.Host(mountinfo=str(mountinfo))
    assert host.is_mounted('/var/lib/x/mnt/with space')
    assert host.is_mounted('/')
    assert not host.is_mounted('/var/lib/x/mnt')


def test_host_probe_reads_the_device_then_asks_blkid(tmp_path):
    device = tmp_path / 'device'
    device.write_bytes(b'\0' * 4096)
    host = plugin_module.Host()
    with mock.patch.object(processutils, 'execute', return_value=(
            'DEVNAME=/dev/x\nUUID=1234\nTYPE=ext4\nUSAGE=filesystem\n',
            '')) as execute:
        assert host.probe(str(device)) == (0, {
            'DEVNAME': '/dev/x', 'UUID': '1234', 'TYPE': 'ext4',
            'USAGE': 'filesystem'})
    assert execute.call_args.args == ('blkid', '-p', '-o', 'export',
                                      str(device))
    with mock.patch.object(processutils, 'execute', side_effect=(
            processutils.ProcessExecutionError(exit_code=2))):
        assert host.probe(str(device)) == (2, {})


def test_host_probe_of_an_unreadable_device_raises(tmp_path):
    host = plugin_module.Host()
    with mock.patch.object(processutils, 'execute') as execute:
        with pytest.raises(FileNotFoundError):
            host.probe(str(tmp_path / 'missing'))
    execute.assert_not_called()


def test_host_commands_never_force(tmp_path):
    host = plugin_module.Host()
    with mock.patch.object(processutils, 'execute',
                           return_value=('', '')) as execute:
        host.make_filesystem('ext4', '/dev/loop9')
        host.mount('/dev/loop9', '/m', 'ext4', read_only=True)
        host.mount('/dev/loop9', '/m', 'xfs')
        host.unmount('/m')
    assert [c.args for c in execute.call_args_list] == [
        ('mkfs.ext4', '/dev/loop9'),
        ('mount', '-t', 'ext4', '-o', 'ro', '/dev/loop9', '/m'),
        ('mount', '-t', 'xfs', '/dev/loop9', '/m'),
        ('umount', '/m'),
    ]


def test_host_connects_through_os_brick_by_protocol():
    host = plugin_module.Host(root_helper='sudo helper')
    info = {'driver_volume_type': 'iscsi',
            'data': {'target_portal': '10.0.0.1:3260'}}
    factory = mock.patch.object(
        plugin_module.brick_connector.InitiatorConnector, 'factory')
    with factory as make:
        connector = make.return_value
        connector.connect_volume.return_value = {'type': 'block',
                                                 'path': '/dev/sdb'}
        assert host.connect(info) == {'type': 'block', 'path': '/dev/sdb'}
        host.disconnect(info, {'type': 'block', 'path': '/dev/sdb'})
    make.assert_called_once_with('ISCSI', 'sudo helper',
                                 do_local_attach=True)
    connector.connect_volume.assert_called_once_with(info['data'])
    connector.disconnect_volume.assert_called_once_with(
        info['data'], {'type': 'block', 'path': '/dev/sdb'})


def test_host_local_connection_is_the_device_itself():
    host = plugin_module.Host()
    info = {'driver_volume_type': 'local',
            'data': {'device_path': '/dev/loop7'}}
    assert host.supports('local') and host.supports('RBD')
    assert not host.supports('carrier_pigeon')
    assert host.connect(info)['path'] == '/dev/loop7'
    host.disconnect(info, {'type': 'local', 'path': '/dev/loop7'})


def test_errors_of_commands_name_the_command_and_its_output():
    error = processutils.ProcessExecutionError(
        exit_code=1, stdout='', stderr='mke2fs: Device size reported to be '
        'zero.\n', cmd='mkfs.ext4 /dev/loop9')
    assert plugin_module._error_text(error) == (
        'mkfs.ext4 exited with 1: mke2fs: Device size reported to be zero.')
    assert plugin_module._error_text(ValueError()) == 'ValueError'
