"""Docker volumes on Cinder connections: bookkeeping and the host data path.

The compute agent attaches a Cinder volume on the Cinder side and passes
the resulting ``connection_info`` with ``docker volume create``. Here a
volume is recorded at Create, connected through os-brick, given a
filesystem if it has none, and mounted at ``<state_dir>/mnt/<name>`` at its
first Mount, and released at its last Unmount. HTTP is plugin_server.py's.

The books are one JSON file in the state directory, replaced atomically on
every change, so they survive restarts of the plugin, of dockerd and of the
host.
"""

import contextlib
import copy
import datetime
import glob
import json
import os
import re
import stat
import tempfile
import threading

from os_brick.initiator import connector as brick_connector
from oslo_concurrency import lockutils
from oslo_concurrency import processutils
from oslo_log import log as logging
from oslo_utils import strutils

from snapzun import exception

LOG = logging.getLogger(__name__)

STATE_FILE = 'volumes.json'
STATE_VERSION = 1
MOUNT_DIR = 'mnt'
OPTIONS = ('connection_info', 'volume_id', 'fstype')

# Names become directory names: no separators, no dot-dot, no hidden files.
_NAME_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$')
# Names mkfs.<fstype> and mount -t <fstype> take.
_FSTYPE_RE = re.compile(r'^[a-z0-9]{2,16}$')
# blkid exit codes (blkid(8)).
_BLKID_FOUND = 0
_BLKID_NOTHING = 2
# Enough to tell that the device can be read before trusting blkid's
# "nothing found", which it also says when it cannot read.
_HEAD_BYTES = 64 * 1024


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        '%Y-%m-%dT%H:%M:%SZ')


def _unescape_mountinfo(field):
    # mountinfo escapes space, tab, newline and backslash as \ooo.
    return re.sub(r'\\([0-7]{3})', lambda m: chr(int(m.group(1), 8)), field)


class Host:
    """The host side of the data path: os-brick, blkid, mkfs, mount.

    Commands run as this process, or through ``root_helper`` when it is not
    root. Unit tests replace the whole class.
    """

    def __init__(self, root_helper='', mountinfo='/proc/self/mountinfo'):
        self._root_helper = root_helper
        self._mountinfo = mountinfo
        self._connectors = {}
        self._connectors_lock = threading.Lock()

    def _run(self, *cmd, **kwargs):
        return processutils.execute(*cmd, run_as_root=os.geteuid() != 0,
                                    root_helper=self._root_helper or None,
                                    **kwargs)

    def supports(self, protocol):
        return protocol.upper() in brick_connector.get_connector_mapping()

    def _connector(self, protocol):
        protocol = protocol.upper()
        with self._connectors_lock:
            if protocol not in self._connectors:
                # do_local_attach: RBD as a kernel block device, not as a
                # librbd file object; other connectors ignore it.
                self._connectors[protocol] = (
                    brick_connector.InitiatorConnector.factory(
                        protocol, self._root_helper, do_local_attach=True))
            return self._connectors[protocol]

    def connect(self, connection_info):
        """Attach the volume to this host; os-brick's device_info."""
        connector = self._connector(connection_info['driver_volume_type'])
        return connector.connect_volume(connection_info['data'])

    def disconnect(self, connection_info, device_info):
        connector = self._connector(connection_info['driver_volume_type'])
        connector.disconnect_volume(connection_info['data'], device_info)

    def is_block_device(self, path):
        try:
            return stat.S_ISBLK(os.stat(path).st_mode)
        except FileNotFoundError:
            return False

    def probe(self, device):
        """(blkid exit code, {TYPE, PTTYPE, USAGE, ...}) of ``device``.

        Low-level probing (-p) reads the device itself, not blkid's cache.
        """
        fd = os.open(device, os.O_RDONLY)
        try:
            os.read(fd, _HEAD_BYTES)
        finally:
            os.close(fd)
        try:
            out, _err = self._run('blkid', '-p', '-o', 'export', device)
        except processutils.ProcessExecutionError as e:
            return e.exit_code, {}
        return _BLKID_FOUND, dict(line.split('=', 1)
                                  for line in out.splitlines() if '=' in line)

    def make_filesystem(self, fstype, device):
        # Never -F/-f: mkfs's own check for an existing filesystem stays on.
        self._run(f'mkfs.{fstype}', device)

    def mount(self, device, path, fstype, read_only=False):
        cmd = ['mount', '-t', fstype]
        if read_only:
            cmd += ['-o', 'ro']
        self._run(*cmd, device, path)

    def unmount(self, path):
        self._run('umount', path)

    def is_mounted(self, path):
        with open(self._mountinfo) as f:
            for line in f:
                fields = line.split(' ')
                if len(fields) > 4 and _unescape_mountinfo(fields[4]) == path:
                    return True
        return False


def _error_text(error):
    """One line for an Err: a command's stderr, else the exception."""
    if isinstance(error, processutils.ProcessExecutionError):
        detail = (error.stderr or error.stdout or '').strip()
        command = (error.cmd or '').split(' ')[0]
        return (f'{command} exited with {error.exit_code}: '
                f'{detail or error.description}')
    return str(error) or type(error).__name__


class Plugin:
    """Docker volumes of one host, by name."""

    def __init__(self, state_dir, host=None, default_fstype='ext4'):
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        # Mountpoints are compared with mountinfo, which has real paths.
        self.state_dir = os.path.realpath(state_dir)
        self.mount_root = os.path.join(self.state_dir, MOUNT_DIR)
        os.makedirs(self.mount_root, mode=0o700, exist_ok=True)
        self.host = host if host is not None else Host()
        self.default_fstype = default_fstype
        self.state_file = os.path.join(self.state_dir, STATE_FILE)
        # Held only to change self._volumes and write the file; device work
        # holds the volume's own lock instead.
        self._state_lock = threading.Lock()
        self._volumes = self._load()
        self._reconcile()

    # Bookkeeping

    def _load(self):
        for leftover in glob.glob(os.path.join(self.state_dir,
                                               f'.{STATE_FILE}.*')):
            # A write that crashed before its rename; the file still holds
            # the state before it.
            os.unlink(leftover)
        try:
            with open(self.state_file) as f:
                data = json.load(f)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            raise exception.VolumePluginStateError(path=self.state_file,
                                                   reason=str(e)) from e
        try:
            if data['version'] > STATE_VERSION:
                raise ValueError(f'version {data["version"]} is newer than '
                                 f'this plugin ({STATE_VERSION})')
            volumes = {}
            for name, record in data['volumes'].items():
                if not isinstance(
                        record['connection_info']['driver_volume_type'], str):
                    raise ValueError(f'volume {name} has no protocol')
                record['name'] = name
                record.setdefault('mount_ids', [])
                record.setdefault('mountpoint', None)
                record.setdefault('device_info', None)
                volumes[name] = record
            return volumes
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise exception.VolumePluginStateError(
                path=self.state_file, reason=f'unexpected content: {e!r}'
            ) from e

    def _write(self, volumes):
        data = json.dumps({'version': STATE_VERSION, 'volumes': volumes},
                          indent=1, sort_keys=True)
        # mkstemp makes the file 0600: connection_info may hold secrets.
        fd, tmp = tempfile.mkstemp(prefix=f'.{STATE_FILE}.',
                                   dir=self.state_dir)
        try:
            with os.fdopen(fd, 'w') as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.state_file)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        # The rename itself is durable only once the directory is synced.
        dir_fd = os.open(self.state_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _commit(self, name, record):
        """Record ``record`` as volume ``name`` (None: forget it)."""
        with self._state_lock:
            volumes = dict(self._volumes)
            if record is None:
                volumes.pop(name, None)
            else:
                volumes[name] = copy.deepcopy(record)
            # Memory changes only once the file did: both tell one story.
            self._write(volumes)
            self._volumes = volumes

    def _record(self, name):
        """A copy of volume ``name``'s record, to change and commit."""
        with self._state_lock:
            record = self._volumes.get(name)
            if record is None:
                raise exception.DockerVolumeNotFound(name=name)
            return copy.deepcopy(record)

    def _reconcile(self):
        """Make the books agree with the host's mounts, at start."""
        for name in sorted(self._volumes):
            record = self._record(name)
            path = self.mountpoint(name)
            mounted = self.host.is_mounted(path)
            if record['mountpoint'] and not mounted:
                # After a host reboot nothing holds the old mount IDs; the
                # next Mount mounts again, dockerd's Unmounts of old IDs
                # are tolerated.
                LOG.warning('Volume %s was mounted at %s for mount IDs %s '
                            'but is not mounted now; it is mounted again at '
                            'its next Mount', name, path,
                            record['mount_ids'])
                record['mount_ids'] = []
                record['mountpoint'] = None
                self._commit(name, record)
            elif mounted and not record['mountpoint']:
                # A Mount that mounted but died before recording it.
                LOG.warning('Volume %s is mounted at %s without a record; '
                            'adopting the mount', name, path)
                record['mountpoint'] = path
                self._commit(name, record)

    @staticmethod
    def _lock(name):
        return lockutils.lock(f'snapzun-volume-{name}')

    def mountpoint(self, name):
        return os.path.join(self.mount_root, name)

    # Create

    def _check_name(self, name):
        if not isinstance(name, str) or not _NAME_RE.match(name):
            raise exception.DockerVolumeInvalid(
                name=name, reason='a name is 1 to 255 letters, digits, '
                '"_", "." or "-", starting with a letter or digit')

    def _parse_options(self, name, options):
        if not isinstance(options, dict):
            raise exception.DockerVolumeInvalid(
                name=name, reason='Opts must be an object')
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise exception.DockerVolumeInvalid(
                name=name, reason=f'unknown option(s) {", ".join(unknown)}; '
                f'known: {", ".join(OPTIONS)}')
        for key, value in options.items():
            if not isinstance(value, str) or not value:
                raise exception.DockerVolumeInvalid(
                    name=name, reason=f'option {key} must be a non-empty '
                    'string')
        spec = {'volume_id': options.get('volume_id'),
                'fstype': options.get('fstype'),
                'connection_info': None}
        if 'connection_info' in options:
            spec['connection_info'] = self._parse_connection_info(
                name, options['connection_info'])
        if spec['volume_id'] is not None and len(spec['volume_id']) > 255:
            raise exception.DockerVolumeInvalid(
                name=name, reason='volume_id is longer than 255 characters')
        if spec['fstype'] is not None and not _FSTYPE_RE.match(
                spec['fstype']):
            raise exception.DockerVolumeInvalid(
                name=name, reason=f'fstype {spec["fstype"]!r} is not a '
                'filesystem type name')
        return spec

    def _parse_connection_info(self, name, text):
        try:
            info = json.loads(text)
        except ValueError as e:
            raise exception.DockerVolumeInvalid(
                name=name, reason=f'connection_info is not JSON: {e}'
            ) from e
        if (not isinstance(info, dict)
                or not isinstance(info.get('driver_volume_type'), str)
                or not isinstance(info.get('data'), dict)):
            raise exception.DockerVolumeInvalid(
                name=name, reason='connection_info must be Cinder\'s '
                'connection_info: {"driver_volume_type": ..., "data": {...}}')
        protocol = info['driver_volume_type']
        if not self.host.supports(protocol):
            raise exception.DockerVolumeInvalid(
                name=name, reason=f'driver_volume_type {protocol!r} is not '
                'one os-brick connects')
        if info['data'].get('encrypted'):
            # os-brick's encryptors would need the key manager; without
            # them the ciphertext would be mounted, or formatted.
            raise exception.DockerVolumeInvalid(
                name=name, reason='encrypted volumes are not supported')
        return info

    def create(self, name, options):
        """Record volume ``name``; no device work until it is mounted.

        Creating an existing volume with no options, or the same ones,
        succeeds: ``docker run -v name:/path`` creates with none.
        """
        self._check_name(name)
        spec = self._parse_options(name, options or {})
        with self._lock(name):
            with self._state_lock:
                existing = copy.deepcopy(self._volumes.get(name))
                others = {n: v.get('volume_id')
                          for n, v in self._volumes.items() if n != name}
            if existing is not None:
                if options:
                    self._check_same(name, existing, spec)
                return
            if spec['connection_info'] is None:
                raise exception.DockerVolumeInvalid(
                    name=name, reason='option connection_info is required: '
                    'the connection_info Cinder returned for this host')
            if spec['volume_id'] is not None:
                for other, volume_id in others.items():
                    if volume_id == spec['volume_id']:
                        # Two names on one device would mount it twice.
                        raise exception.DockerVolumeInvalid(
                            name=name, reason=f'Cinder volume '
                            f'{volume_id} is already Docker volume {other}')
            record = dict(spec, name=name, created_at=_now(), mount_ids=[],
                          mountpoint=None, device_info=None,
                          formatted_at=None)
            self._commit(name, record)
        LOG.info('Created volume %s (Cinder volume %s, %s): %s', name,
                 spec['volume_id'],
                 spec['connection_info']['driver_volume_type'],
                 strutils.mask_dict_password(spec['connection_info']))

    @staticmethod
    def _check_same(name, existing, spec):
        for key in OPTIONS:
            if spec[key] is not None and spec[key] != existing.get(key):
                raise exception.DockerVolumeExists(
                    name=name, reason=f'{key} differs; remove the volume '
                    'first')

    # Mount and Unmount

    def mount(self, name, mount_id):
        """Mount volume ``name`` for ``mount_id``; its mountpoint."""
        with self._lock(name):
            record = self._record(name)
            path = self.mountpoint(name)
            if not self.host.is_mounted(path):
                if record['mount_ids']:
                    LOG.warning('Volume %s is recorded as mounted for %s '
                                'but %s is not mounted; mounting again',
                                name, record['mount_ids'], path)
                self._attach(record, path)
            if mount_id not in record['mount_ids']:
                record['mount_ids'].append(mount_id)
            record['mountpoint'] = path
            self._commit(name, record)
        LOG.info('Volume %s mounted at %s for %s (%d mount(s))', name, path,
                 mount_id, len(record['mount_ids']))
        return path

    def _attach(self, record, path):
        name = record['name']
        info = record['connection_info']
        protocol = info['driver_volume_type']
        try:
            device_info = self.host.connect(info)
        except Exception as e:
            raise exception.DockerVolumeDeviceError(
                name=name, reason=f'cannot connect the {protocol} volume: '
                f'{_error_text(e)}') from e
        # Only what JSON keeps; os-brick's disconnect needs no more.
        record['device_info'] = json.loads(json.dumps(device_info,
                                                      default=str))
        # Recorded before anything can fail, so that it is disconnected.
        self._commit(name, record)
        try:
            device = device_info.get('path')
            if not isinstance(device, str) or not self.host.is_block_device(
                    device):
                raise exception.DockerVolumeDeviceError(
                    name=name, reason=f'the {protocol} connection gave '
                    f'{device!r}, not a block device')
            read_only = info['data'].get('access_mode') == 'ro'
            fstype = self._filesystem(record, device, read_only)
            os.makedirs(path, mode=0o755, exist_ok=True)
            try:
                self.host.mount(device, path, fstype, read_only)
            except Exception as e:
                # Never formatted because of this: a mount can fail for
                # reasons that say nothing about the data.
                raise exception.DockerVolumeDeviceError(
                    name=name, reason=f'cannot mount {device} ({fstype}) '
                    f'at {path}: {_error_text(e)}') from e
            record['filesystem'] = fstype
        except Exception:
            # Nothing uses the connection this Mount made.
            self._detach(record, quiet=True)
            raise

    def _filesystem(self, record, device, read_only):
        """The filesystem type on ``device``, made first if it has none."""
        name = record['name']
        wanted = record.get('fstype') or self.default_fstype
        try:
            code, fields = self.host.probe(device)
        except Exception as e:
            raise exception.FormatRefused(
                name=name, device=device,
                reason=f'cannot read it: {_error_text(e)}') from e
        if code == _BLKID_FOUND and fields.get('TYPE'):
            found = fields['TYPE']
            if fields.get('USAGE', 'filesystem') != 'filesystem':
                raise exception.DockerVolumeDeviceError(
                    name=name, reason=f'{device} holds {found} '
                    f'({fields["USAGE"]}), not a filesystem; it is neither '
                    'mounted nor formatted')
            if found != wanted:
                LOG.warning('Volume %s: %s has a %s filesystem, not %s; '
                            'mounting it as it is', name, device, found,
                            wanted)
            return found
        if code == _BLKID_FOUND:
            what = (f'a {fields["PTTYPE"]} partition table'
                    if fields.get('PTTYPE') else f'signatures {fields}')
            raise exception.FormatRefused(name=name, device=device,
                                          reason=f'it holds {what}')
        if code != _BLKID_NOTHING:
            raise exception.FormatRefused(
                name=name, device=device,
                reason=f'blkid cannot tell what it holds (exit {code}, '
                '8 is more than one signature)')
        if read_only:
            raise exception.DockerVolumeDeviceError(
                name=name, reason=f'{device} is read-only and has no '
                'filesystem')
        LOG.info('Volume %s: %s has no filesystem; making %s', name, device,
                 wanted)
        try:
            self.host.make_filesystem(wanted, device)
        except Exception as e:
            raise exception.DockerVolumeDeviceError(
                name=name, reason=f'cannot make a {wanted} filesystem on '
                f'{device}: {_error_text(e)}') from e
        record['formatted_at'] = _now()
        LOG.info('Volume %s: made %s filesystem on %s', name, wanted, device)
        return wanted

    def _detach(self, record, quiet=False):
        """Unmount and disconnect what ``record`` holds; commit the rest.

        :param quiet: log failures instead of raising (cleaning up after
                      another failure).
        """
        name = record['name']
        path = self.mountpoint(name)
        try:
            if self.host.is_mounted(path):
                try:
                    self.host.unmount(path)
                except Exception as e:
                    raise exception.DockerVolumeDeviceError(
                        name=name, reason=f'cannot unmount {path}: '
                        f'{_error_text(e)}') from e
            record['mountpoint'] = None
            if record['device_info'] is not None:
                try:
                    self.host.disconnect(record['connection_info'],
                                         record['device_info'])
                except Exception as e:
                    raise exception.DockerVolumeDeviceError(
                        name=name, reason='cannot disconnect the '
                        f'{record["connection_info"]["driver_volume_type"]} '
                        f'volume: {_error_text(e)}') from e
                record['device_info'] = None
        except exception.DockerVolumeDeviceError as e:
            if not quiet:
                raise
            LOG.error('%s', e)
        finally:
            self._commit(name, record)

    def unmount(self, name, mount_id):
        """Drop ``mount_id``; release the volume when it was the last."""
        with self._lock(name):
            record = self._record(name)
            if mount_id in record['mount_ids']:
                record['mount_ids'].remove(mount_id)
            else:
                # dockerd unmounts IDs of a previous life of this host or
                # of the plugin; nothing holds them.
                LOG.info('Volume %s: unknown mount ID %s; ignored', name,
                         mount_id)
            if record['mount_ids']:
                self._commit(name, record)
                LOG.info('Volume %s released by %s; %d mount(s) left', name,
                         mount_id, len(record['mount_ids']))
                return
            self._detach(record)
        LOG.info('Volume %s unmounted and disconnected', name)

    # Remove

    def remove(self, name):
        """Forget volume ``name``; refused while it is mounted."""
        with self._lock(name):
            record = self._record(name)
            if record['mount_ids']:
                raise exception.DockerVolumeInUse(
                    name=name, count=len(record['mount_ids']))
            # Leftovers of a failed Unmount: released here or kept.
            self._detach(record)
            path = self.mountpoint(name)
            try:
                os.rmdir(path)
            except FileNotFoundError:
                pass
            except OSError as e:
                # Files written there while nothing was mounted; not ours
                # to delete.
                LOG.warning('Volume %s: keeping %s: %s', name, path, e)
            self._commit(name, None)
        LOG.info('Removed volume %s', name)

    # Reads

    def _view(self, record):
        path = self.mountpoint(record['name'])
        mounted = bool(record['mountpoint']) and self.host.is_mounted(path)
        device = (record['device_info'] or {}).get('path')
        return {
            'Name': record['name'],
            'Mountpoint': path if mounted else '',
            'CreatedAt': record['created_at'],
            'Status': {
                'volume_id': record.get('volume_id') or '',
                'driver_volume_type':
                    record['connection_info']['driver_volume_type'],
                'fstype': record.get('fstype') or self.default_fstype,
                'filesystem': record.get('filesystem') or '',
                'mounts': len(record['mount_ids']),
                'device': device or '',
                'formatted_at': record.get('formatted_at') or '',
            },
        }

    def get(self, name):
        return self._view(self._record(name))

    def path(self, name):
        return self.get(name)['Mountpoint']

    def list(self):
        with self._state_lock:
            records = copy.deepcopy(list(self._volumes.values()))
        return [{'Name': view['Name'], 'Mountpoint': view['Mountpoint']}
                for view in sorted(map(self._view, records),
                                   key=lambda v: v['Name'])]
