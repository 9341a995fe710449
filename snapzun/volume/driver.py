"""The interface every volume driver implements, and finding a driver."""

import abc
import importlib

from snapzun import exception

# Driver name: module under snapzun.volume holding its ``Driver``. Imported
# on first use, so the volume plugin never loads Cinder's client.
_MODULES = {'cinder': 'snapzun.volume.cinder',
            'local': 'snapzun.volume.local'}


class VolumeDriver(abc.ABC):
    """Where a volume's data lives, and how a host makes it reachable.

    The Docker side of every driver is a named Docker volume,
    ``volume.docker_volume_name``, that the engine container mounts.
    """

    @abc.abstractmethod
    def create(self, context, volume, save):
        """Make the volume's storage; return when it can be attached.

        :param save: callable(values) recording progress on the volume row
            at once, so that what exists is known even if this process
            dies before it returns.
        :returns: values to record on the volume row.
        :raises: SnapzunException, having deleted what it made where it
            could (what it could not delete stays recorded through save).
        """

    @abc.abstractmethod
    def delete(self, context, volume, engine=None):
        """Delete the volume's storage; storage already gone is fine.

        :param engine: the host's DockerEngine, for drivers whose storage
            lives on a host.
        """

    @abc.abstractmethod
    def attach(self, context, volume, container_uuid, destination, host,
               engine):
        """Make the volume mountable on ``host`` as its Docker volume.

        Unwinds its own steps when one fails.

        :returns: values to record on the volume row.
        """

    @abc.abstractmethod
    def detach(self, context, volume, container_uuid, engine):
        """Release the volume from ``container_uuid`` on this host.

        Works from any point an attach or an earlier detach stopped at;
        the engine container is gone already.

        :returns: values to record on the volume row.
        """

    @abc.abstractmethod
    def restore(self, volume, engine):
        """Create the Docker volume of an attached volume again.

        From what the volume row recorded, with no storage-side call.
        """

    def find(self, context, ident):
        """The volume ``ident`` of the backend that snapzun does not know.

        :returns: values of a volume row adopting it, or None when this
            driver has no such volumes.
        :raises: VolumeNotFound, VolumeNotUsable
        """
        return None


def get_driver(name):
    """:raises: VolumeDriverNotAvailable"""
    if name not in _MODULES:
        raise exception.VolumeDriverNotAvailable(
            driver=name, reason=f'the drivers are {", ".join(_MODULES)}')
    return importlib.import_module(_MODULES[name]).Driver()


def driver_names():
    return tuple(_MODULES)
