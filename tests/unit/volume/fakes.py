"""A fake host for the volume plugin: devices, filesystems and mounts."""

import json

DEVICE = '/dev/fake0'


def connection_info(device=DEVICE, protocol='local', **data):
    return json.dumps({'driver_volume_type': protocol,
                       'data': dict(data, device_path=device)})


class FakeHost:
    """Records every call; devices hold what ``filesystems`` says."""

    protocols = {'LOCAL', 'ISCSI'}

    def __init__(self):
        self.calls = []
        self.filesystems = {}  # device: blkid fields, e.g. {'TYPE': ...}
        self.probe_codes = {}  # device: blkid exit code other than 0 / 2
        self.mounted = {}  # path: device
        self.connected = set()
        self.fail = {}  # method name: exception it raises

    def _call(self, method, *args):
        self.calls.append((method, *args))
        if method in self.fail:
            raise self.fail[method]

    def calls_of(self, method):
        return [call[1:] for call in self.calls if call[0] == method]

    def supports(self, protocol):
        return protocol.upper() in self.protocols

    def connect(self, connection_info):
        self._call('connect', connection_info)
        device = connection_info['data']['device_path']
        self.connected.add(device)
        return {'type': connection_info['driver_volume_type'],
                'path': device}

    def disconnect(self, connection_info, device_info):
        self._call('disconnect', connection_info, device_info)
        self.connected.discard(device_info['path'])

    def is_block_device(self, path):
        return path.startswith('/dev/')

    def probe(self, device):
        self._call('probe', device)
        if device in self.probe_codes:
            return self.probe_codes[device], {}
        fields = self.filesystems.get(device)
        return (0, dict(fields, DEVNAME=device)) if fields else (2, {})

    def make_filesystem(self, fstype, device):
        self._call('make_filesystem', fstype, device)
        self.filesystems[device] = {'TYPE': fstype, 'USAGE': 'filesystem'}

    def mount(self, device, path, fstype, read_only=False):
        self._call('mount', device, path, fstype, read_only)
        self.mounted[path] = device

    def unmount(self, path):
        self._call('unmount', path)
        del self.mounted[path]

    def is_mounted(self, path):
        return path in self.mounted
