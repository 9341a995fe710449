"""API side of container work: check state, record the action, send it."""

from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging as messaging

from snapzun import exception
from snapzun import image
from snapzun.common import states
from snapzun.compute import commit
from snapzun.compute import rpcapi as compute_rpcapi
from snapzun.conductor import rpcapi as conductor_rpcapi
from snapzun.conductor import scheduler
from snapzun.db import api as db_api
from snapzun.volume import api as volume_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

# Tries to claim a container that other requests keep changing.
CLAIM_ATTEMPTS = 3


class API:
    """Everything the HTTP layer asks of containers goes through here."""

    def __init__(self):
        self.compute = compute_rpcapi.ComputeAPI()
        self.conductor = conductor_rpcapi.ConductorAPI()

    def create(self, context, values, run, mounts=None):
        """:param mounts: from snapzun.volume.api.API.plan_mounts."""
        values = dict(values, status=states.CREATING,
                      task_state=states.CONTAINER_CREATING,
                      project_id=context.project_id,
                      user_id=context.user_id)
        container = (db_api.container_create_with_mounts(context, values,
                                                         mounts)
                     if mounts else db_api.container_create(context, values))
        db_api.action_start(context, container.uuid, 'create')
        try:
            self.conductor.schedule_and_create(context, container.uuid, run)
        except messaging.MessagingException as e:
            reason = f'cannot reach the conductor: {e}'
            db_api.container_update(context, container.uuid, {
                'status': states.ERROR, 'task_state': None,
                'status_reason': reason})
            raise exception.ServiceUnavailable(reason=reason) from e
        return container

    def _ensure_host_up(self, context, container):
        for service in db_api.service_list(context,
                                           scheduler.COMPUTE_BINARY):
            if service.host == container.host and db_api.service_is_up(
                    service, CONF.compute.service_down_time):
                return
        raise exception.ComputeUnavailable(host=container.host)

    def _check_status(self, container, action, allowed=None):
        if container.status not in (allowed or states.ALLOWED[action]):
            raise exception.InvalidState(action=action,
                                         container=container.uuid,
                                         status=container.status)

    def _begin(self, context, container, action, allowed=None, values=None,
               ignore_task=False):
        """Claim the container for ``action``: state check and task state.

        One conditional UPDATE, so two racing requests cannot both pass.
        """
        allowed = allowed or states.ALLOWED[action]
        self._check_status(container, action, allowed)
        if container.host is not None:
            self._ensure_host_up(context, container)
        values = dict(values or {}, task_state=states.TASK_STATE.get(
            action, states.TASK_STATE['delete']))
        expected = {} if ignore_task else {'expected_task_state': None}
        for _attempt in range(CLAIM_ATTEMPTS):
            claimed = db_api.container_update(
                context, container.uuid, values, expected_status=allowed,
                **expected)
            if claimed is not None:
                db_api.action_start(context, container.uuid, action)
                return claimed
            # Another request changed the row first: say why, or, if it
            # is already done, try again on the row as it is now.
            current = db_api.container_get(context, container.uuid)
            if current.task_state is not None and not ignore_task:
                raise exception.ContainerBusy(action=action,
                                              container=container.uuid,
                                              task_state=current.task_state)
            self._check_status(current, action, allowed)
        raise exception.ContainerBusy(action=action, container=container.uuid,
                                      task_state='changing')

    def _send(self, context, container, action, **kwargs):
        try:
            self.compute.container_action(context, container.host,
                                          container.uuid, action, **kwargs)
        except messaging.MessagingException as e:
            db_api.container_update(context, container.uuid,
                                    {'task_state': None})
            raise exception.ServiceUnavailable(
                reason=f'cannot reach compute host {container.host}: {e}'
            ) from e

    def action(self, context, container, action, **kwargs):
        """start, stop, reboot, pause, unpause or kill."""
        self._begin(context, container, action)
        self._send(context, container, action, **kwargs)

    def delete(self, context, container, force=False, stop=False):
        gate = ('delete_force' if force else
                'delete_after_stop' if stop else 'delete')
        if container.host is None:
            self._check_status(container, 'delete', states.ALLOWED[gate])
            volume_api.API().release_unplaced(context, container.uuid)
            db_api.container_destroy(context, container.uuid)
            db_api.actions_destroy(context, container.uuid)
            return
        self._begin(context, container, 'delete', states.ALLOWED[gate],
                    values={'status': states.DELETING}, ignore_task=force)
        self._send(context, container, 'delete', force=force, stop=stop)

    def update(self, context, container, values):
        if not {'cpu', 'memory'} & set(values) or container.host is None:
            return db_api.container_update(context, container.uuid, values)
        self._begin(context, container, 'update')
        self.compute.container_update(context, container.host,
                                      container.uuid, values)
        return db_api.container_get(context, container.uuid)

    def commit(self, context, container, repository, tag):
        """Start a commit; its image's id is returned at once.

        The image is registered with the store before the work is sent,
        so a store that cannot be reached fails the request (503) with
        nothing left behind.
        """
        self._check_status(container, 'commit')
        self._ensure_host_up(context, container)
        driver_name = CONF.default_image_driver
        driver = image.get_driver(driver_name)
        image_id = driver.create_snapshot(
            context, repository, tag, commit.image_properties(container))
        db_api.commit_create(context, {
            'uuid': image_id, 'container_uuid': container.uuid,
            'host': container.host, 'project_id': context.project_id,
            'user_id': context.user_id, 'request_id': context.request_id,
            'image_driver': driver_name, 'repository': repository,
            'tag': tag, 'status': commit.QUEUED})
        db_api.action_start(context, container.uuid, 'commit')
        try:
            self.compute.container_commit(context, container.host,
                                          container.uuid, image_id)
        except (messaging.MessagingException,
                exception.SnapzunException) as e:
            driver.delete_snapshot(context, image_id)
            db_api.commit_destroy(context, image_id)
            db_api.action_finish(context, container.uuid,
                                 context.request_id, message=str(e))
            if isinstance(e, exception.SnapzunException):
                raise
            raise exception.ServiceUnavailable(
                reason=f'cannot reach compute host {container.host}: {e}'
            ) from e
        return image_id

    def _read(self, context, container, action, method, **kwargs):
        self._check_status(container, action)
        self._ensure_host_up(context, container)
        return method(context, container.host, container.uuid, **kwargs)

    def logs(self, context, container, **kwargs):
        if container.container_id is None:
            return ''
        return self._read(context, container, 'logs',
                          self.compute.container_logs, **kwargs)

    def execute(self, context, container, command):
        return self._read(context, container, 'execute',
                          self.compute.container_execute, command=command)

    def top(self, context, container, ps_args):
        return self._read(context, container, 'top',
                          self.compute.container_top, ps_args=ps_args)

    def stats(self, context, container):
        return self._read(context, container, 'stats',
                          self.compute.container_stats)
