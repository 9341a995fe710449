"""API side of volumes: create and delete them, check a container's mounts.

Cinder volumes are created and deleted here, while the request waits
(boundedly). A local volume lives on a host once a container used it, so
its deletion goes to that host's agent. A container's ``size`` mounts are
only recorded here; its agent makes them (see compute.volumes).
"""

import posixpath

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from snapzun import exception
from snapzun.compute import rpcapi as compute_rpcapi
from snapzun.db import api as db_api
from snapzun.volume import driver as volume_driver
from snapzun.volume import states

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

MOUNT_TYPE_VOLUME = 'volume'
MOUNT_TYPE_BIND = 'bind'


def _invalid(field, value, why):
    return exception.ValidationError(
        detail=f'Invalid input for field/attribute {field}. Value: '
               f'{value!r}. {why}')


def check_size(value, field='size'):
    """A size in GiB, as an int within [volume] max_size_gb.

    :raises: ValidationError
    """
    largest = CONF.volume.max_size_gb
    why = f'A volume size is a whole number of GiB from 1 to {largest}.'
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _invalid(field, value, why)
    if isinstance(value, str) and not value.strip().lstrip('-').isdigit():
        raise _invalid(field, value, why)
    size = int(value)
    if not 1 <= size <= largest:
        raise _invalid(field, value, why)
    return size


def check_name(name):
    if name is not None and uuidutils.is_uuid_like(name):
        raise _invalid('name', name, 'A volume name cannot look like a '
                       'uuid: volumes are found by uuid or by name.')
    return name


def _destination(value, field):
    if not isinstance(value, str) or not value.startswith('/'):
        raise _invalid(field, value, 'The destination must be an absolute '
                       'path in the container.')
    # normpath keeps a leading '//'; POSIX lets it mean something else.
    path = '/' + posixpath.normpath(value).lstrip('/')
    if path == '/':
        raise _invalid(field, value, 'A volume cannot be mounted over the '
                       'root of the container.')
    return path


class API:
    """Everything the HTTP layer asks of volumes goes through here."""

    def __init__(self, get_driver=None):
        self._driver_of = get_driver

    def _get_driver(self, name):
        return (self._driver_of or volume_driver.get_driver)(name)

    # /v1/volumes

    def create(self, context, name, size, driver_name):
        """Create a volume and wait until it can be mounted.

        :raises: VolumeExists, VolumeCreateFailed, VolumeQuotaExceeded,
            VolumeServiceUnavailable, VolumeDriverNotAvailable
        """
        driver = self._get_driver(driver_name)
        volume = db_api.volume_create(context, {
            'name': check_name(name), 'size': size, 'driver': driver_name,
            'status': states.CREATING, 'auto_remove': False,
            'project_id': context.project_id, 'user_id': context.user_id})
        try:
            values = driver.create(
                context, volume,
                lambda values: db_api.volume_update(context, volume.uuid,
                                                    values))
        except Exception:
            self._forget_failed(context, volume.uuid)
            raise
        return db_api.volume_update(context, volume.uuid,
                                    dict(values, status=states.AVAILABLE))

    @staticmethod
    def _forget_failed(context, uuid):
        """Drop the row of a failed create, unless storage stayed behind."""
        current = db_api.volume_get(context, uuid)
        if current.cinder_volume_id is None:
            db_api.volume_destroy(context, uuid)
        else:
            db_api.volume_update(context, uuid, {'status': states.ERROR})

    def delete(self, context, volume):
        """Delete an unused volume and its storage.

        :raises: VolumeInUse, VolumeNotUsable (in a transient status),
            VolumeServiceUnavailable, ...
        """
        claimed = db_api.volume_update(context, volume.uuid,
                                       {'status': states.DELETING},
                                       expected_status=states.DELETABLE)
        if claimed is None:
            mapping = db_api.volume_mappings_of_volumes(
                context, [volume.uuid]).get(volume.uuid)
            if mapping is not None:
                raise exception.VolumeInUse(volume=volume.uuid,
                                            container=mapping.container_uuid)
            current = db_api.volume_get(context, volume.uuid)
            raise exception.VolumeNotUsable(
                volume=volume.uuid, reason=f'it is {current.status}; try '
                'again when that finishes')
        try:
            if volume.driver == 'local' and volume.host is not None:
                # Its data is in a Docker volume on that host.
                compute_rpcapi.ComputeAPI().volume_delete(
                    context, volume.host, volume.uuid)
                return
            self._get_driver(volume.driver).delete(context, claimed)
            db_api.volume_destroy(context, volume.uuid)
        except exception.VolumeNotUsable:
            # The storage refused: nothing changed.
            db_api.volume_update(context, volume.uuid,
                                 {'status': volume.status})
            raise
        except Exception:
            db_api.volume_update(context, volume.uuid,
                                 {'status': states.ERROR})
            raise

    # The mounts of a new container

    def plan_mounts(self, context, mounts, values):
        """Check a create request's ``mounts``; what to record with it.

        A local volume that lives on a host pins the container there
        (``values['host']``).

        :returns: mounts as db_api.container_create_with_mounts takes them.
        :raises: ValidationError, Invalid, VolumeNotFound, VolumeInUse,
            VolumeNotUsable
        """
        if not mounts:
            return []
        if len(mounts) > CONF.volume.max_mounts:
            raise _invalid('mounts', f'{len(mounts)} mounts',
                           f'A container mounts at most '
                           f'{CONF.volume.max_mounts} volumes.')
        planned, destinations, volumes, hosts = [], set(), set(), {}
        for index, mount in enumerate(mounts):
            field = f'mounts/{index}'
            kind = mount.get('type') or MOUNT_TYPE_VOLUME
            if kind == MOUNT_TYPE_BIND:
                raise exception.Invalid(
                    reason=f'{field}: type=bind mounts (a file the client '
                           'sends) are not supported; use a volume')
            destination = _destination(mount.get('destination'),
                                       f'{field}/destination')
            if destination in destinations:
                raise _invalid(f'{field}/destination', destination,
                               'Another mount has the same destination.')
            destinations.add(destination)
            entry = self._plan_one(context, mount, field)
            key = entry.get('volume_uuid') or entry['volume'].get(
                'cinder_volume_id')
            if key is not None and key in volumes:
                raise _invalid(f'{field}/source', mount.get('source'),
                               'Another mount uses the same volume.')
            volumes.add(key)
            host = entry.pop('host', None)
            if host is not None:
                hosts.setdefault(host, mount['source'])
            planned.append(dict(entry, destination=destination))
        self._pin(values, hosts)
        return planned

    def _plan_one(self, context, mount, field):
        has_source = mount.get('source') not in (None, '')
        has_size = mount.get('size') not in (None, '')
        if has_source == has_size:
            raise _invalid(field, mount, 'A mount names either a source '
                           '(an existing volume) or a size (a new volume).')
        if has_size:
            return {'volume': {
                'size': check_size(mount['size'], f'{field}/size'),
                'driver': CONF.volume.default_driver,
                'status': states.CREATING, 'auto_remove': True,
                'project_id': context.project_id,
                'user_id': context.user_id}}
        return self._source(context, mount['source'])

    def _source(self, context, ident):
        try:
            volume = db_api.volume_find(context, ident)
        except exception.VolumeNotFound:
            return self._adopt(context, ident)
        mapping = db_api.volume_mappings_of_volumes(
            context, [volume.uuid]).get(volume.uuid)
        if mapping is not None:
            raise exception.VolumeInUse(volume=ident,
                                        container=mapping.container_uuid)
        if volume.status != states.AVAILABLE:
            raise exception.VolumeNotUsable(
                volume=ident, reason=f'it is {volume.status}, not available')
        entry = {'volume_uuid': volume.uuid}
        if volume.driver == 'local' and volume.host is not None:
            entry['host'] = volume.host
        return entry

    def _adopt(self, context, ident):
        """A Cinder volume snapzun does not know yet, from now on known."""
        try:
            values = self._get_driver('cinder').find(context, ident)
        except exception.VolumeDriverNotAvailable as e:
            raise exception.VolumeNotFound(volume=ident) from e
        return {'volume': dict(values, status=states.RESERVED,
                               auto_remove=False,
                               project_id=context.project_id,
                               user_id=context.user_id)}

    @staticmethod
    def _pin(values, hosts):
        """Put the container where its local volumes' data is.

        :param hosts: {host: a source naming a local volume there}
        """
        if not hosts:
            return
        if len(hosts) > 1:
            raise exception.Invalid(
                reason='the local volumes ' + ', '.join(
                    f'{source} (on {host})' for host, source in
                    sorted(hosts.items())) +
                ' live on different hosts; one container cannot use them '
                'all')
        [(host, source)] = hosts.items()
        if values.get('host') not in (None, host):
            raise exception.Invalid(
                reason=f'local volume {source} lives on host {host}, not '
                       f'on the requested host {values["host"]}')
        values['host'] = host

    # Containers that never reached a host

    def release_unplaced(self, context, container_uuid):
        """Free the volumes of a container no agent ever had."""
        for mapping, volume in db_api.volume_mappings_of_container(
                context, container_uuid):
            db_api.volume_mapping_destroy(context, mapping.uuid)
            if not volume.auto_remove:
                db_api.volume_update(context, volume.uuid,
                                     {'status': states.AVAILABLE})
                continue
            try:
                self._get_driver(volume.driver).delete(context, volume)
            except exception.SnapzunException as e:
                LOG.error('Cannot delete volume %s: %s; it stays, in error',
                          volume.uuid, e)
                db_api.volume_update(context, volume.uuid, {
                    'status': states.ERROR, 'auto_remove': False})
                continue
            db_api.volume_destroy(context, volume.uuid)

