"""Test-only Cinder volume driver: sparse files attached through loop devices.

Used by tools/stack/stack.sh with SNAPZUN_STACK_CINDER_BACKEND=loop, imported
by cinder-volume as ``loop_volume_driver.LoopVolumeDriver`` (stack.sh puts this
folder on its PYTHONPATH). Cinder's fake driver only keeps books; this one has
a data path:

- a volume is a sparse file ``<cinder state_path>/loop-volumes/volume-<id>``;
- a snapshot is a ``cp --sparse=always`` of it, and so are clones and volumes
  made from snapshots;
- initialize_connection attaches the file with ``losetup -f --show`` and
  returns a ``local`` connection (os-brick's LOCAL connector uses the device
  path as it is); the device is recorded next to the file, and
  terminate_connection detaches that device only;
- delete_volume detaches every loop device still backed by the file and
  removes it.

Needs root and loop devices. One attachment per volume (no multiattach).
"""

import os

from cinder.tests import fake_driver
from oslo_concurrency import lockutils
from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_log import log as logging

CONF = cfg.CONF
LOG = logging.getLogger(__name__)
GiB = 1024 ** 3
LOCK = "snapzun-loop-volume-driver"


def _run(*cmd):
    out, _err = processutils.execute(*cmd)
    return out.strip()


def _backing_devices(path):
    """Loop devices whose backing file is ``path``."""
    return _run("losetup", "--noheadings", "--output", "NAME",
                "--associated", path).split()


class LoopVolumeDriver(fake_driver.FakeLoggingVolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backend_name = (
            self.configuration.safe_get("volume_backend_name") or "loop")
        self._dir = os.path.join(CONF.state_path, "loop-volumes")

    def check_for_setup_error(self):
        os.makedirs(self._dir, exist_ok=True)
        _run("losetup", "--version")

    def local_path(self, volume):
        return os.path.join(self._dir, volume.name)

    def _snapshot_path(self, snapshot):
        return os.path.join(self._dir, snapshot.name)

    def _record_path(self, volume):
        return self.local_path(volume) + ".loop"

    def _recorded_device(self, volume):
        """The device this driver attached for ``volume``, if still so."""
        try:
            with open(self._record_path(volume)) as record:
                device = record.read().strip()
        except FileNotFoundError:
            return None
        if device in _backing_devices(self.local_path(volume)):
            return device
        os.unlink(self._record_path(volume))
        return None

    @staticmethod
    def _resize(path, size_gb):
        os.truncate(path, size_gb * GiB)

    def _copy(self, src, volume):
        dst = self.local_path(volume)
        _run("cp", "--sparse=always", src, dst)
        if os.path.getsize(dst) < volume.size * GiB:
            self._resize(dst, volume.size)

    def create_volume(self, volume):
        path = self.local_path(volume)
        open(path, "wb").close()
        self._resize(path, volume.size)

    def extend_volume(self, volume, new_size):
        self._resize(self.local_path(volume), new_size)

    def create_cloned_volume(self, volume, src_vref):
        self._copy(self.local_path(src_vref), volume)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy(self._snapshot_path(snapshot), volume)

    @lockutils.synchronized(LOCK)
    def create_snapshot(self, snapshot):
        device = self._recorded_device(snapshot.volume)
        if device:
            # a forced snapshot of an attached volume: flush what was written
            # to the device into the file first
            _run("blockdev", "--flushbufs", device)
        _run("cp", "--sparse=always", self.local_path(snapshot.volume),
             self._snapshot_path(snapshot))

    def delete_snapshot(self, snapshot):
        try:
            os.unlink(self._snapshot_path(snapshot))
        except FileNotFoundError:
            pass

    @lockutils.synchronized(LOCK)
    def delete_volume(self, volume):
        path = self.local_path(volume)
        if os.path.exists(path):
            for device in _backing_devices(path):
                LOG.info("Detaching %s from deleted %s", device, volume.name)
                _run("losetup", "--detach", device)
            os.unlink(path)
        try:
            os.unlink(self._record_path(volume))
        except FileNotFoundError:
            pass

    def validate_connector(self, connector):
        """A local attachment needs nothing from the connector (LVM: iSCSI)."""

    @lockutils.synchronized(LOCK)
    def initialize_connection(self, volume, connector):
        device = self._recorded_device(volume)
        if device is None:
            device = _run("losetup", "--find", "--show",
                          self.local_path(volume))
            with open(self._record_path(volume), "w") as record:
                record.write(device + "\n")
            LOG.info("Attached %s as %s", volume.name, device)
        return {"driver_volume_type": "local",
                "data": {"device_path": device}}

    @lockutils.synchronized(LOCK)
    def terminate_connection(self, volume, connector, **kwargs):
        device = self._recorded_device(volume)
        if device:
            _run("losetup", "--detach", device)
            os.unlink(self._record_path(volume))
            LOG.info("Detached %s from %s", device, volume.name)
