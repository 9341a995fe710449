"""Volumes of a container on its compute host: attach, release, recover.

Before the engine container exists its volumes are made (``size``
mounts), attached on the storage side and created as named Docker volumes;
the engine container mounts those by name (the volume plugin does the
host side at its start). After the engine container is gone they are
released and, when they were made for the container, deleted.

Every step records the volume's status first, so an agent that restarts
finds where it stopped; releasing works from any of those points.
Callers hold the container's lock (see compute.manager).
"""

from oslo_log import log as logging

from snapzun import exception
from snapzun.db import api as db_api
from snapzun.volume import driver as volume_driver
from snapzun.volume import states

LOG = logging.getLogger(__name__)

# Volume statuses in which a host holds something to release.
_HELD = (states.ATTACHING, states.IN_USE, states.DETACHING)


class VolumeFlows:
    """The volume side of container create and delete on one host."""

    def __init__(self, host, engine, get_driver=None):
        self.host = host
        self.engine = engine
        self._driver_of = get_driver

    def _get_driver(self, name):
        return (self._driver_of or volume_driver.get_driver)(name)

    def _save(self, context, volume, **values):
        return db_api.volume_update(context, volume.uuid, values)

    # Attach, before the engine container is created

    def attach(self, context, container):
        """Make and attach the container's volumes, in the asked order.

        :returns: [(Docker volume name, destination)] for the engine.
        :raises: SnapzunException, after releasing every volume of the
            container (and deleting the ones made for it).
        """
        mapped = db_api.volume_mappings_of_container(context, container.uuid)
        mounts = []
        try:
            for mapping, volume in mapped:
                volume = self._attach_one(context, container, mapping,
                                          volume)
                mounts.append((volume.docker_volume_name,
                               mapping.destination))
        except Exception as e:
            LOG.warning('Cannot attach the volumes of container %s: %s; '
                        'releasing them', container.uuid, e)
            self.release(context, container, quiet=True)
            raise
        return mounts

    def _attach_one(self, context, container, mapping, volume):
        driver = self._get_driver(volume.driver)
        if volume.status == states.CREATING:
            values = driver.create(
                context, volume,
                lambda values: self._save(context, volume, **values))
            volume = self._save(context, volume, status=states.RESERVED,
                                **values)
        if volume.status == states.IN_USE and volume.host == self.host:
            # Attached by an earlier run of this flow: never twice.
            return volume
        if volume.status != states.RESERVED:
            raise exception.VolumeNotUsable(
                volume=volume.uuid, reason=f'it is {volume.status}, not '
                'reserved for this container')
        if volume.host not in (None, self.host):
            raise exception.VolumeNotUsable(
                volume=volume.uuid, reason=f'its data is on host '
                f'{volume.host}, not {self.host}')
        volume = self._save(context, volume, status=states.ATTACHING,
                            host=self.host)
        values = driver.attach(context, volume, container.uuid,
                               mapping.destination, self.host, self.engine)
        LOG.info('Volume %s attached for container %s at %s', volume.uuid,
                 container.uuid, mapping.destination)
        return self._save(context, volume, **values)

    # Release, after the engine container is gone

    def release(self, context, container, quiet=False):
        """Detach every volume of the container; delete those made for it.

        :param quiet: log failures instead of raising (unwinding after
            another failure).
        :raises: SnapzunException at the first volume that cannot be
            released (it stays mapped, so that a retry finds it).
        """
        for mapping, volume in db_api.volume_mappings_of_container(
                context, container.uuid):
            try:
                self._release_one(context, container, mapping, volume)
            except Exception as e:
                if not quiet:
                    raise
                LOG.error('Cannot release volume %s of container %s: %s',
                          volume.uuid, container.uuid, e)

    def _release_one(self, context, container, mapping, volume):
        driver = self._get_driver(volume.driver)
        if volume.status in _HELD:
            # Stays detaching if this fails: the next try detaches again.
            volume = self._save(context, volume, status=states.DETACHING)
            values = driver.detach(context, volume, container.uuid,
                                   self.engine)
            volume = self._save(context, volume, **values)
            LOG.info('Volume %s detached from container %s', volume.uuid,
                     container.uuid)
        elif not volume.auto_remove:
            # Claimed only (reserved): nothing to undo but the claim.
            volume = self._save(context, volume, status=states.AVAILABLE)
        db_api.volume_mapping_destroy(context, mapping.uuid)
        if volume.auto_remove:
            self._delete(context, driver, volume)

    def _delete(self, context, driver, volume):
        """Delete a volume made for a container; keep it, in error, if not.

        The container goes anyway: the volume stays listed, for its owner
        to delete again.
        """
        self._save(context, volume, status=states.DELETING)
        try:
            driver.delete(context, volume, self.engine)
        except exception.SnapzunException as e:
            LOG.error('Cannot delete volume %s: %s; it stays, in error',
                      volume.uuid, e)
            self._save(context, volume, status=states.ERROR,
                       auto_remove=False)
            return
        db_api.volume_destroy(context, volume.uuid)
        LOG.info('Deleted volume %s', volume.uuid)

    def delete_volume(self, context, volume):
        """Delete a volume that lives on this host (local), not mapped."""
        driver = self._get_driver(volume.driver)
        driver.delete(context, volume, self.engine)
        db_api.volume_destroy(context, volume.uuid)

    # After a restart of the agent

    def recheck(self, context, container):
        """Make the engine hold the Docker volumes of an attached container.

        The storage side stays as it is: the plugin and dockerd keep the
        mounts, and attaching again would attach twice.
        """
        for _mapping, volume in db_api.volume_mappings_of_container(
                context, container.uuid):
            if volume.status != states.IN_USE or volume.host != self.host:
                LOG.warning('Volume %s of container %s is %s on %s; '
                            'expected in-use here', volume.uuid,
                            container.uuid, volume.status, volume.host)
                continue
            if self.engine.volume_exists(volume.docker_volume_name):
                continue
            LOG.warning('Docker volume %s of container %s is missing; '
                        'creating it again', volume.docker_volume_name,
                        container.uuid)
            self._get_driver(volume.driver).restore(volume, self.engine)
