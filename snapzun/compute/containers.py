"""Container lifecycle on a compute host: the engine and the database.

Callers hold the container's lock (see compute.manager).
"""

from oslo_log import log as logging

from snapzun import exception
from snapzun import image
from snapzun.common import states
from snapzun.compute import docker
from snapzun.compute import volumes
from snapzun.db import api as db_api

LOG = logging.getLogger(__name__)

VANISHED_REASON = 'The container no longer exists in the Docker engine.'


def observed_state(engine, container_id):
    """Status and detail of an engine container, as the engine sees it."""
    state = engine.inspect(container_id)['State']
    status = docker.status_of(state.get('Status'))
    if status == states.RUNNING and state.get('Paused'):
        status = states.PAUSED
    if status == states.STOPPED:
        detail = f"Exited({state.get('ExitCode', 0)})"
    elif status == states.PAUSED:
        detail = 'Up (Paused)'
    elif status == states.RUNNING:
        detail = 'Up'
    else:
        detail = status
    return {'status': status, 'status_detail': detail}


class ContainerFlows:
    """The work behind each container action, on one host's engine."""

    def __init__(self, host, engine):
        self.host = host
        self.engine = engine
        self.volumes = volumes.VolumeFlows(host, engine)

    def _settle(self, context, container, **values):
        """Record what the engine now says and end the task."""
        values.setdefault('task_state', None)
        if container.container_id and 'status' not in values:
            try:
                values.update(observed_state(self.engine,
                                             container.container_id))
            except exception.ContainerVanished:
                values.update(status=states.ERROR, status_detail=None,
                              status_reason=VANISHED_REASON)
        return db_api.container_update(context, container.uuid, values)

    def _run(self, context, container, work, **values):
        """Do ``work``; whatever happens, record the outcome."""
        try:
            work()
        except exception.SnapzunException as e:
            self._settle(context, container, status_reason=str(e))
            raise
        self._settle(context, container, **values)

    def create(self, context, container, run):
        try:
            driver = image.get_driver(container.image_driver)
            image_ref = driver.ensure_local(
                context, self.engine, container.image,
                container.image_pull_policy or 'ifnotpresent')
            mounts = self.volumes.attach(context, container)
            try:
                container_id = self.engine.create(container, image_ref,
                                                  mounts)
            except Exception:
                self.volumes.release(context, container, quiet=True)
                raise
        except exception.SnapzunException as e:
            db_api.container_update(context, container.uuid, {
                'status': states.ERROR, 'status_reason': str(e),
                'task_state': None})
            raise
        container = db_api.container_update(context, container.uuid, {
            'container_id': container_id, 'status': states.CREATED,
            'status_detail': 'Created',
            'task_state': states.CONTAINER_STARTING if run else None})
        if run:
            self.start(context, container)

    def start(self, context, container):
        self._run(context, container,
                  lambda: self.engine.start(container.container_id),
                  status_reason=None)

    def stop(self, context, container, timeout):
        self._run(context, container,
                  lambda: self.engine.stop(container.container_id, timeout))

    def reboot(self, context, container, timeout):
        self._run(context, container,
                  lambda: self.engine.restart(container.container_id,
                                              timeout),
                  status_reason=None)

    def pause(self, context, container):
        self._run(context, container,
                  lambda: self.engine.pause(container.container_id))

    def unpause(self, context, container):
        self._run(context, container,
                  lambda: self.engine.unpause(container.container_id))

    def kill(self, context, container, signal):
        self._run(context, container,
                  lambda: self.engine.kill(container.container_id, signal))

    def update(self, context, container, values):
        """Apply new limits in the engine, then record them."""
        if container.container_id:
            cpu = values.get('cpu')
            memory = values.get('memory')
            self._run(context, container,
                      lambda: self.engine.update(container.container_id,
                                                 memory=memory, cpu=cpu),
                      **values)
        else:
            db_api.container_update(context, container.uuid,
                                    dict(values, task_state=None))
        return db_api.container_get(context, container.uuid)

    def delete(self, context, container, force, stop):
        if container.container_id:
            def work():
                if stop and not force:
                    observed = observed_state(self.engine,
                                              container.container_id)
                    if observed['status'] in (states.RUNNING,
                                              states.PAUSED):
                        self.engine.stop(container.container_id,
                                         timeout=None)
                self.engine.remove(container.container_id, force=force)
            try:
                work()
            except exception.SnapzunException as e:
                self._settle(context, container, status_reason=str(e))
                raise
        self._destroy(context, container)

    def _destroy(self, context, container):
        """Release the volumes of a container the engine lost; forget it.

        :raises: SnapzunException, with the container kept (in Error) for a
            later delete to release what is left.
        """
        try:
            self.volumes.release(context, container)
        except exception.SnapzunException as e:
            db_api.container_update(context, container.uuid, {
                'status': states.ERROR, 'task_state': None,
                'status_reason': f'Cannot release its volumes: {e}'})
            raise
        db_api.container_destroy(context, container.uuid)
        db_api.actions_destroy(context, container.uuid)

    # Status kept true to the engine

    def sync(self, context, lock):
        """Bring every idle container's status in line with the engine.

        :param lock: callable returning the container's lock.
        """
        managed = self.engine.list_managed(self.host)
        for row in db_api.containers_on_host(context, self.host):
            if row.task_state is not None or row.container_id is None:
                continue
            summary = managed.get(row.uuid)
            seen = (docker.status_of(summary['State'])
                    if summary is not None else None)
            if seen == row.status:
                if summary['Status'] != row.status_detail:
                    db_api.container_update(
                        context, row.uuid,
                        {'status_detail': summary['Status']},
                        expected_task_state=None)
                continue
            with lock(row.uuid):
                self._resync_one(context, row)

    def _resync_one(self, context, row):
        """Re-read one container the engine disagrees on; record it."""
        try:
            values = observed_state(self.engine, row.container_id)
        except exception.ContainerVanished:
            if row.auto_remove:
                LOG.info('Container %s removed itself; deleting it',
                         row.uuid)
                self._destroy(context, row)
                return
            values = {'status': states.ERROR, 'status_detail': None,
                      'status_reason': VANISHED_REASON}
        if values['status'] != row.status:
            LOG.info('Container %s is now %s (was %s)', row.uuid,
                     values['status'], row.status)
            db_api.container_update(context, row.uuid, values,
                                    expected_task_state=None)

    def recover(self, context):
        """After a restart: finish or settle what was under way.

        Any task still recorded was interrupted when this agent stopped.
        """
        managed = self.engine.list_managed(self.host)
        for row in db_api.containers_on_host(context, self.host):
            if row.task_state is None and row.status != states.DELETING:
                continue
            LOG.info('Recovering container %s (%s, %s)', row.uuid,
                     row.status, row.task_state)
            if row.status == states.DELETING:
                if row.container_id:
                    self.engine.remove(row.container_id, force=True)
                try:
                    self._destroy(context, row)
                except exception.SnapzunException as e:
                    LOG.error('Cannot finish deleting container %s: %s',
                              row.uuid, e)
                continue
            if row.container_id is None and row.uuid in managed:
                row = db_api.container_update(
                    context, row.uuid, {'container_id':
                                        managed[row.uuid]['Id']})
            if row.container_id is None:
                db_api.container_update(context, row.uuid, {
                    'status': states.ERROR, 'task_state': None,
                    'status_reason': 'Creation was interrupted by a '
                                     'restart of the compute agent.'})
                self.volumes.release(context, row, quiet=True)
                continue
            self._settle(context, row)
        self._recheck_volumes(context)

    def _recheck_volumes(self, context):
        """Volumes of this host's containers as the engine should hold them."""
        for row in db_api.containers_on_host(context, self.host):
            if row.container_id is not None and row.task_state is None:
                self.volumes.recheck(context, row)
            elif row.container_id is None and row.task_state is None:
                # A creation that failed while this agent was away.
                self.volumes.release(context, row, quiet=True)
