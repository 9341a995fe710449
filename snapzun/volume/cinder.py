"""Cinder volumes: create, delete, and the legacy attach bookkeeping.

The compute agent does the Cinder side of an attach (reserve,
initialize_connection with this host's connector, attach with the
container's uuid as the server); the host side is the Docker volume
plugin's, which gets the connection_info with ``docker volume create``.
cinderclient's errors become snapzun's by type here and nowhere else.
"""

import contextlib
import json
import os
import shlex
import threading
import time

from cinderclient import client as cinder_client
from cinderclient import exceptions as cinder_exc
from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import uuidutils

from snapzun import exception
from snapzun.common import keystone
from snapzun.volume import driver
from snapzun.volume import states

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

GROUP = 'cinder'
# The legacy attach actions (os-reserve, os-initialize_connection,
# os-attach, os-begin_detaching, os-terminate_connection, os-detach) are
# all in 3.0 and need no service token; the attachments API (3.27+) does
# to delete an attachment that has connection_info.
CINDER_API_VERSION = '3.0'
# Cinder statuses this module acts on.
CINDER_AVAILABLE = 'available'
CINDER_IN_USE = 'in-use'
CINDER_ATTACHING = 'attaching'
CINDER_DETACHING = 'detaching'
# Metadata key naming the snapzun volume a Cinder volume was made for.
METADATA_KEY = 'snapzun_volume'


@contextlib.contextmanager
def translate_errors(volume=None):
    try:
        yield
    except cinder_exc.NotFound as e:
        raise exception.VolumeNotFound(volume=volume) from e
    except cinder_exc.Forbidden as e:
        raise exception.PolicyNotAuthorized(action=f'volume {volume}') from e
    except cinder_exc.OverLimit as e:
        raise exception.VolumeQuotaExceeded(reason=e.message) from e
    except cinder_exc.BadRequest as e:
        # Cinder's way of refusing an action in the volume's state.
        raise exception.VolumeNotUsable(volume=volume,
                                        reason=e.message) from e
    except (cinder_exc.ConnectionError, ks_exc.ConnectFailure,
            ks_exc.EndpointNotFound, ks_exc.DiscoveryFailure,
            ks_exc.ServiceUnavailable) as e:
        raise exception.VolumeServiceUnavailable(reason=str(e)) from e
    except cinder_exc.ClientException as e:
        if e.code == 409:
            raise exception.VolumeNotUsable(volume=volume,
                                            reason=e.message) from e
        if e.code >= 500:
            raise exception.VolumeServiceUnavailable(reason=str(e)) from e
        raise exception.VolumeServiceError(reason=str(e)) from e
    except ks_exc.ClientException as e:
        raise exception.VolumeServiceError(reason=str(e)) from e


def client(context):
    """A cinderclient acting for ``context``'s user.

    :raises: VolumeDriverNotAvailable without any credentials.
    """
    auth = keystone.auth_for(context, GROUP)
    if auth is None:
        raise exception.VolumeDriverNotAvailable(
            driver='cinder', reason='the request carries no token and '
            '[cinder] names no service user')
    session = keystone.session(GROUP)
    kwargs = keystone.adapter_kwargs(GROUP)
    kwargs['endpoint_override'] = _endpoint(context, session, auth, kwargs)
    return cinder_client.Client(
        CINDER_API_VERSION, session=session, auth=auth,
        global_request_id=context.global_id, **kwargs)


def _endpoint(context, session, auth, adapter_kwargs):
    """Cinder's URL for the request's project.

    Cinder's URLs name a project (``.../v3/<project_id>``) that must be
    the token's. The user's token comes without a catalog, so the endpoint
    is looked up with the service user's, whose URL names the service
    project: the request's project goes in its place.
    """
    template = adapter_kwargs.get('endpoint_override')
    if template:
        return template % {'project_id': context.project_id}
    with translate_errors():
        url = session.get_endpoint(
            auth, service_type=adapter_kwargs['service_type'],
            interface=adapter_kwargs['interface'],
            region_name=adapter_kwargs['region_name'])
        service = keystone.service_auth(GROUP)
        if context.auth_token and service is not None:
            theirs = service.get_project_id(session)
            if theirs and context.project_id:
                url = url.replace(f'/{theirs}', f'/{context.project_id}')
    return url


_PRIVSEP_LOCK = threading.Lock()
_privsep_ready = False


def _prepare_privsep():
    """Let os-brick collect connector properties in this process.

    Without a root helper os-brick would start its privsep daemon through
    sudo; the agent runs as root and needs none.
    """
    global _privsep_ready
    with _PRIVSEP_LOCK:
        if _privsep_ready:
            return
        from os_brick import privileged as brick_privileged
        from oslo_privsep import priv_context
        if CONF.volume.root_helper:
            priv_context.init(
                root_helper=shlex.split(CONF.volume.root_helper))
        elif os.geteuid() == 0:
            for context in (brick_privileged.default,
                            brick_privileged.brick_privsep_hide_output):
                context.set_client_mode(False)
        _privsep_ready = True


_CONNECTORS = {}


def connector_properties():
    """This host as Cinder's initialize_connection wants to know it.

    Collected once per setting: os-brick probes every protocol (and warns
    about each one the host lacks) at every call.
    """
    from os_brick.initiator import connector as brick_connector
    key = (CONF.volume.root_helper, CONF.volume.my_block_storage_ip,
           CONF.volume.use_multipath, CONF.host)
    with _PRIVSEP_LOCK:
        if key in _CONNECTORS:
            return dict(_CONNECTORS[key])
    _prepare_privsep()
    properties = brick_connector.get_connector_properties(
        CONF.volume.root_helper or None, CONF.volume.my_block_storage_ip,
        CONF.volume.use_multipath, enforce_multipath=True, host=CONF.host)
    with _PRIVSEP_LOCK:
        _CONNECTORS[key] = properties
    return dict(properties)


class CinderAPI:
    """The Cinder calls snapzun makes, one method each."""

    def __init__(self, context, cinder=None):
        self._cinder = cinder if cinder is not None else client(context)
        self._project_id = context.project_id

    def get(self, volume_id):
        with translate_errors(volume_id):
            return self._cinder.volumes.get(volume_id)

    def find(self, ident):
        """A volume by id, else by exact name.

        :raises: VolumeNotFound, AmbiguousVolumeName
        """
        if uuidutils.is_uuid_like(ident):
            with contextlib.suppress(exception.VolumeNotFound):
                return self.get(ident)
        with translate_errors(ident):
            found = [v for v in self._cinder.volumes.list(
                search_opts={'name': ident}) if v.name == ident]
        if not found:
            raise exception.VolumeNotFound(volume=ident)
        if len(found) > 1:
            raise exception.AmbiguousVolumeName(name=ident)
        return found[0]

    def create(self, size, name, snapzun_uuid):
        with translate_errors(name):
            return self._cinder.volumes.create(
                size, name=name, metadata={METADATA_KEY: snapzun_uuid})

    def delete(self, volume_id):
        """Ask for the deletion; a volume already gone is fine."""
        with contextlib.suppress(exception.VolumeNotFound):
            with translate_errors(volume_id):
                self._cinder.volumes.delete(volume_id)

    def _poll(self, volume_id, timeout, done, what):
        deadline = time.monotonic() + timeout
        while True:
            volume = done(volume_id)
            if volume is not None:
                return volume
            if time.monotonic() >= deadline:
                current = self.get(volume_id)
                raise exception.VolumeServiceError(
                    reason=f'volume {volume_id} is still {current.status} '
                           f'after {timeout}s waiting for it to be {what}')
            time.sleep(CONF.volume.poll_interval)

    def wait_available(self, volume_id, timeout):
        def done(volume_id):
            volume = self.get(volume_id)
            if volume.status.startswith('error'):
                raise exception.VolumeServiceError(
                    reason=f'volume {volume_id} went to status '
                           f'{volume.status}')
            return volume if volume.status == CINDER_AVAILABLE else None
        return self._poll(volume_id, timeout, done, 'available')

    def wait_deleted(self, volume_id, timeout):
        def done(volume_id):
            try:
                volume = self.get(volume_id)
            except exception.VolumeNotFound:
                return True
            if volume.status == 'error_deleting':
                raise exception.VolumeServiceError(
                    reason=f'Cinder failed to delete volume {volume_id}')
            return None
        self._poll(volume_id, timeout, done, 'deleted')

    def _action(self, method, volume_id, *args, **kwargs):
        with translate_errors(volume_id):
            return getattr(self._cinder.volumes, method)(volume_id, *args,
                                                         **kwargs)

    def reserve(self, volume_id):
        self._action('reserve', volume_id)

    def unreserve(self, volume_id):
        self._action('unreserve', volume_id)

    def initialize_connection(self, volume_id, connector):
        return dict(self._action('initialize_connection', volume_id,
                                 connector))

    def terminate_connection(self, volume_id, connector):
        self._action('terminate_connection', volume_id, connector)

    def attach(self, volume_id, server_id, mountpoint, host_name):
        self._action('attach', volume_id, server_id, mountpoint,
                     host_name=host_name)

    def begin_detaching(self, volume_id):
        self._action('begin_detaching', volume_id)

    def detach(self, volume_id, attachment_id):
        self._action('detach', volume_id, attachment_id)


def attachment_of(volume, server_id):
    """The attachment of a Cinder volume to ``server_id``, or None."""
    for attachment in getattr(volume, 'attachments', None) or []:
        if attachment.get('server_id') == server_id:
            return attachment
    return None


class Driver(driver.VolumeDriver):
    """Cinder volumes, attached through the legacy attach flow."""

    def __init__(self, cinder_api=None, connector=None):
        # Looked up at call time, so that tests may replace them.
        self._api = cinder_api or (lambda context: CinderAPI(context))
        self._connector = connector or (lambda: connector_properties())

    def create(self, context, volume, save):
        cinder = self._api(context)
        name = volume.name or volume.docker_volume_name
        created = cinder.create(volume.size, name, volume.uuid)
        save({'cinder_volume_id': created.id})
        try:
            cinder.wait_available(created.id,
                                  CONF.volume.timeout_wait_available)
        except exception.SnapzunException as e:
            LOG.warning('Cinder volume %s of volume %s did not become '
                        'available: %s; deleting it', created.id,
                        volume.uuid, e)
            if self._discard(cinder, created.id):
                save({'cinder_volume_id': None})
            raise exception.VolumeCreateFailed(volume=volume.uuid,
                                               reason=str(e)) from e
        return {'cinder_volume_id': created.id}

    @staticmethod
    def _discard(cinder, volume_id):
        """Delete a volume that failed; whether it is gone."""
        try:
            cinder.delete(volume_id)
            cinder.wait_deleted(volume_id, CONF.volume.timeout_wait_deleted)
        except exception.SnapzunException as e:
            LOG.error('Cannot delete Cinder volume %s: %s; it stays '
                      'recorded, in error', volume_id, e)
            return False
        return True

    def delete(self, context, volume, engine=None):
        if volume.cinder_volume_id is None:
            return
        cinder = self._api(context)
        cinder.delete(volume.cinder_volume_id)
        cinder.wait_deleted(volume.cinder_volume_id,
                            CONF.volume.timeout_wait_deleted)

    def attach(self, context, volume, container_uuid, destination, host,
               engine):
        cinder = self._api(context)
        volume_id = volume.cinder_volume_id
        connector = self._connector()
        cinder.reserve(volume_id)
        try:
            info = json.dumps(cinder.initialize_connection(volume_id,
                                                           connector))
            self._docker_volume(volume, info, engine)
            cinder.attach(volume_id, container_uuid, destination, host)
        except Exception:
            self._unwind(cinder, volume, connector, engine)
            raise
        return {'status': states.IN_USE, 'host': host,
                'connection_info': info}

    @staticmethod
    def _docker_volume(volume, connection_info, engine):
        # What the plugin (Fuxi's protocol) takes: it connects, formats
        # on first use and mounts at the container's start.
        engine.volume_create(volume.docker_volume_name,
                             CONF.volume.docker_volume_driver,
                             {'connection_info': connection_info,
                              'volume_id': volume.cinder_volume_id,
                              'fstype': CONF.volume.fstype})

    def restore(self, volume, engine):
        self._docker_volume(volume, volume.connection_info, engine)

    @staticmethod
    def _unwind(cinder, volume, connector, engine):
        """Undo a failed attach, step by step; log what stays."""
        steps = (
            ('remove the Docker volume',
             lambda: engine.volume_remove(volume.docker_volume_name)),
            ('terminate the connection',
             lambda: cinder.terminate_connection(volume.cinder_volume_id,
                                                 connector)),
            ('unreserve', lambda: cinder.unreserve(volume.cinder_volume_id)),
        )
        for what, step in steps:
            try:
                step()
            except exception.SnapzunException as e:
                LOG.error('Volume %s: cannot %s after a failed attach: %s',
                          volume.uuid, what, e)

    def detach(self, context, volume, container_uuid, engine):
        engine.volume_remove(volume.docker_volume_name)
        released = {'status': states.AVAILABLE, 'host': None,
                    'connection_info': None}
        if volume.cinder_volume_id is None:
            return released
        cinder = self._api(context)
        try:
            current = cinder.get(volume.cinder_volume_id)
        except exception.VolumeNotFound:
            LOG.warning('Cinder volume %s of volume %s is gone',
                        volume.cinder_volume_id, volume.uuid)
            return released
        attachment = attachment_of(current, container_uuid)
        if current.status in (CINDER_IN_USE, CINDER_DETACHING):
            if attachment is None:
                # Attached, but not to this container: not ours to undo.
                LOG.warning('Cinder volume %s is %s but not attached to '
                            'container %s; leaving it', current.id,
                            current.status, container_uuid)
                return released
            if current.status == CINDER_IN_USE:
                cinder.begin_detaching(current.id)
            cinder.terminate_connection(current.id, self._connector())
            cinder.detach(current.id, attachment['attachment_id'])
        elif current.status == CINDER_ATTACHING:
            # An attach that stopped between reserve and attach.
            cinder.terminate_connection(current.id, self._connector())
            cinder.unreserve(current.id)
        return released

    def find(self, context, ident):
        cinder = self._api(context)
        found = cinder.find(ident)
        owner = getattr(found, 'os-vol-tenant-attr:tenant_id', None)
        if owner is not None and owner != context.project_id:
            raise exception.VolumeNotUsable(
                volume=ident, reason='it belongs to another project')
        if found.status != CINDER_AVAILABLE:
            raise exception.VolumeNotUsable(
                volume=ident, reason=f'its Cinder status is {found.status}, '
                'not available')
        return {'driver': 'cinder', 'cinder_volume_id': found.id,
                'size': found.size}
