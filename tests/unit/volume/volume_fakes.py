"""Fakes at the volume boundaries: cinderclient, and Docker's volumes.

The fake Cinder enforces the status transitions Cinder does for the calls
snapzun makes and raises cinderclient's own exceptions, so snapzun's
translation of them is what the tests exercise.
"""

import uuid

from cinderclient import exceptions as cinder_exc

from snapzun import exception
from tests.unit import fakes

PROJECT = 'project-a'
DEVICE = '/dev/loop9'


class FakeVolume:
    def __init__(self, volume_id, size, name, status, metadata, project_id):
        self.id = volume_id
        self.size = size
        self.name = name
        self.status = status
        self.metadata = dict(metadata or {})
        self.attachments = []
        self.multiattach = False
        setattr(self, 'os-vol-tenant-attr:tenant_id', project_id)


def _bad(message):
    return cinder_exc.BadRequest(400, message=message)


class FakeVolumes:
    """cinderclient's VolumeManager, for the methods snapzun calls."""

    def __init__(self, cinder):
        self._cinder = cinder

    def _volume(self, volume):
        volume_id = getattr(volume, 'id', volume)
        self._cinder.calls.append((self._cinder.current, volume_id))
        failure = self._cinder.fail.get(self._cinder.current)
        if failure is not None:
            raise failure
        if volume_id not in self._cinder.volumes:
            raise cinder_exc.NotFound(404, message=f'Volume {volume_id} '
                                                   'could not be found.')
        return self._cinder.volumes[volume_id]

    def _expect(self, volume, *statuses):
        if volume.status not in statuses:
            raise _bad(f'Invalid volume: Volume {volume.id} status must be '
                       f'{" or ".join(statuses)}, not {volume.status}')

    def create(self, size, name=None, metadata=None):
        cinder = self._cinder
        cinder.calls.append(('create', size, name))
        if 'create' in cinder.fail:
            raise cinder.fail['create']
        volume = FakeVolume(str(uuid.uuid4()), size, name,
                            cinder.created_status, metadata, cinder.project)
        cinder.volumes[volume.id] = volume
        return volume

    def get(self, volume_id):
        volume = self._volume(volume_id)
        if volume.status == 'deleting':
            # Deleted by the time anyone looks again.
            del self._cinder.volumes[volume.id]
            raise cinder_exc.NotFound(404, message='gone')
        return volume

    def list(self, search_opts=None):
        self._cinder.calls.append(('list', search_opts))
        name = (search_opts or {}).get('name')
        return [v for v in self._cinder.volumes.values()
                if name is None or v.name == name]

    def delete(self, volume):
        volume = self._volume(volume)
        self._expect(volume, 'available', 'error')
        volume.status = self._cinder.deleted_status

    def reserve(self, volume):
        volume = self._volume(volume)
        self._expect(volume, 'available')
        volume.status = 'attaching'

    def unreserve(self, volume):
        volume = self._volume(volume)
        self._expect(volume, 'attaching')
        volume.status = 'available'

    def initialize_connection(self, volume, connector):
        volume = self._volume(volume)
        self._cinder.connectors.append(connector)
        self._cinder.connected.add(volume.id)
        return {'driver_volume_type': 'local',
                'data': {'device_path': DEVICE}}

    def terminate_connection(self, volume, connector):
        volume = self._volume(volume)
        self._cinder.connected.discard(volume.id)

    def attach(self, volume, instance_uuid, mountpoint, mode='rw',
               host_name=None):
        volume = self._volume(volume)
        self._expect(volume, 'attaching')
        volume.status = 'in-use'
        volume.attachments.append({
            'server_id': instance_uuid, 'attachment_id': str(uuid.uuid4()),
            'host_name': host_name, 'device': mountpoint,
            'volume_id': volume.id})

    def begin_detaching(self, volume):
        volume = self._volume(volume)
        self._expect(volume, 'in-use')
        volume.status = 'detaching'

    def detach(self, volume, attachment_uuid=None):
        volume = self._volume(volume)
        volume.attachments = [a for a in volume.attachments
                              if a['attachment_id'] != attachment_uuid]
        if not volume.attachments:
            volume.status = 'available'


class FakeCinder:
    """The client: ``volumes`` plus test controls.

    ``fail`` maps a method name to the exception it raises;
    ``created_status`` is what new volumes are at once ('available', or
    'error' / 'creating' to fail or time out a create);
    ``deleted_status`` is what a deleted volume turns into ('deleting':
    gone at the next look; 'error_deleting' to fail).
    """

    def __init__(self, project=PROJECT):
        self.project = project
        self.volumes = {}
        self.calls = []
        self.fail = {}
        self.connectors = []
        self.connected = set()
        self.created_status = 'available'
        self.deleted_status = 'deleting'
        self.current = None
        self._manager = FakeVolumes(self)

    @property
    def volumes_manager(self):
        return self._manager

    def methods(self):
        return [call[0] for call in self.calls]

    def add(self, size=1, name=None, status='available', project=None):
        volume = FakeVolume(str(uuid.uuid4()), size, name, status, {},
                            project or self.project)
        self.volumes[volume.id] = volume
        return volume


class _TracingManager:
    """Sets ``current`` to the method being called, for ``fail``."""

    def __init__(self, cinder):
        self._cinder = cinder

    def __getattr__(self, name):
        method = getattr(self._cinder.volumes_manager, name)

        def call(*args, **kwargs):
            self._cinder.current = name
            return method(*args, **kwargs)
        return call


class FakeClient:
    """What cinderclient.client.Client returns, over one FakeCinder."""

    def __init__(self, cinder):
        self.volumes = _TracingManager(cinder)


def connector():
    return {'host': 'test-host', 'ip': '127.0.0.1', 'platform': 'x86_64',
            'multipath': False, 'os_type': 'linux'}


class FakeVolumeEngine(fakes.FakeEngine):
    """FakeEngine with Docker volumes: {name: (driver, options)}.

    ``fail`` maps 'volume_create' / 'volume_remove' / 'create' to the
    exception that call raises.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.volumes = {}
        self.mounts = {}
        self.fail = {}

    def _maybe_fail(self, method):
        if method in self.fail:
            raise self.fail[method]

    def create(self, container, image_ref, mounts=None):
        self._maybe_fail('create')
        container_id = super().create(container, image_ref, mounts)
        for name, _destination in mounts or ():
            if name not in self.volumes:
                raise exception.DockerError(reason=f'no volume {name}')
        self.mounts[container_id] = list(mounts or ())
        return container_id

    def volume_create(self, name, driver, options):
        self.calls.append(('volume_create', name, driver))
        self._maybe_fail('volume_create')
        self.volumes[name] = (driver, dict(options))

    def volume_exists(self, name):
        return name in self.volumes

    def volume_remove(self, name):
        self.calls.append(('volume_remove', name))
        self._maybe_fail('volume_remove')
        self.volumes.pop(name, None)


def use_fake_cinder(monkeypatch, cinder=None):
    """Make snapzun's Cinder driver talk to a FakeCinder; return it."""
    from snapzun.volume import cinder as cinder_module
    cinder = cinder or FakeCinder()
    monkeypatch.setattr(cinder_module, 'client',
                        lambda context: FakeClient(cinder))
    monkeypatch.setattr(cinder_module, 'connector_properties', connector)
    return cinder
