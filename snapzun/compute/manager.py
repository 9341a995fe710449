"""Server side of the compute RPC API: dispatch and locking only."""

import functools
import threading

from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging as messaging

from snapzun import context as snapzun_context
from snapzun import exception
from snapzun import image
from snapzun.common import locks
from snapzun.common import states
from snapzun.compute import actions
from snapzun.compute import commit
from snapzun.compute import containers
from snapzun.compute import rpcapi
from snapzun.db import api as db_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

COMMITTABLE = (states.RUNNING, states.STOPPED, states.PAUSED)


def _locked_action(func):
    """Run an action under the container's lock, recorded as an event."""
    event_name = f'compute_{func.__name__}'

    @functools.wraps(func)
    @messaging.expected_exceptions(exception.SnapzunException)
    def wrapper(self, context, container_uuid, **kwargs):
        with locks.container_lock(container_uuid), \
                actions.event(context, container_uuid, event_name):
            container = db_api.container_get(context.elevated(),
                                             container_uuid)
            return func(self, context.elevated(), container, **kwargs)
    return wrapper


def _read(func):
    @functools.wraps(func)
    @messaging.expected_exceptions(exception.SnapzunException)
    def wrapper(self, context, container_uuid, **kwargs):
        container = db_api.container_get(context.elevated(), container_uuid)
        return func(self, container, **kwargs)
    return wrapper


class ComputeManager:
    RPC_API_VERSION = rpcapi.ComputeAPI.RPC_API_VERSION
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self, host, engine):
        self.host = host
        self.engine = engine
        self.flows = containers.ContainerFlows(host, engine)
        self.commits = commit.CommitFlow(engine, image.get_driver)
        self._commit_slots = threading.BoundedSemaphore(
            CONF.compute.max_concurrent_commits)

    # Lifecycle of the agent

    def init_host(self):
        """Settle work a previous run left unfinished, then sync."""
        context = snapzun_context.get_admin_context()
        self.flows.recover(context)
        self.commits.recover(context, self.host)
        self.sync_status()

    def sync_status(self):
        self.flows.sync(snapzun_context.get_admin_context(),
                        locks.container_lock)

    def retry_commit_cleanup(self):
        self.commits.retry_cleanup(snapzun_context.get_admin_context(),
                                   self.host)

    def report_resources(self):
        """Record what the engine says about this host (``/v1/hosts``)."""
        info = self.engine.info()
        db_api.compute_node_report(snapzun_context.get_admin_context(),
                                   self.host, {
            'mem_total': info.get('MemTotal', 0) // (1024 * 1024),
            'cpus': info.get('NCPU'),
            'architecture': info.get('Architecture'),
            'os_type': info.get('OSType'),
            'os': info.get('OperatingSystem'),
            'kernel_version': info.get('KernelVersion'),
            'total_containers': info.get('Containers'),
            'running_containers': info.get('ContainersRunning'),
            'paused_containers': info.get('ContainersPaused'),
            'stopped_containers': info.get('ContainersStopped'),
            'runtimes': sorted(info.get('Runtimes') or {}),
            'labels': dict(label.split('=', 1)
                           for label in info.get('Labels') or []
                           if '=' in label),
        })

    # Mutating actions: cast, serialized per container

    @_locked_action
    def container_create(self, context, container, run):
        self.flows.create(context, container, run)

    @_locked_action
    def container_start(self, context, container):
        self.flows.start(context, container)

    @_locked_action
    def container_stop(self, context, container, timeout):
        self.flows.stop(context, container, timeout)

    @_locked_action
    def container_reboot(self, context, container, timeout):
        self.flows.reboot(context, container, timeout)

    @_locked_action
    def container_pause(self, context, container):
        self.flows.pause(context, container)

    @_locked_action
    def container_unpause(self, context, container):
        self.flows.unpause(context, container)

    @_locked_action
    def container_kill(self, context, container, signal):
        self.flows.kill(context, container, signal)

    @_locked_action
    def container_delete(self, context, container, force, stop):
        self.flows.delete(context, container, force, stop)

    @_locked_action
    def container_update(self, context, container, values):
        self.flows.update(context, container, values)

    @messaging.expected_exceptions(exception.SnapzunException)
    def container_commit(self, context, container_uuid, commit_uuid):
        """Capture under the container's lock; ship with no lock held.

        Commits of one container run one at a time; commits of different
        containers run side by side, up to max_concurrent_commits.
        """
        admin = context.elevated()
        with locks.commit_lock(container_uuid), self._commit_slots, \
                actions.event(context, container_uuid,
                              'compute_container_commit') as event:
            record = db_api.commit_get(admin, commit_uuid)
            try:
                with locks.container_lock(container_uuid):
                    container = db_api.container_get(admin, container_uuid)
                    if container.status not in COMMITTABLE:
                        raise exception.InvalidState(
                            action='commit', container=container_uuid,
                            status=container.status)
                    self.commits.capture(context, container, record)
                self.commits.ship(context, record, event)
            except Exception as e:
                self.commits.abandon(
                    context, db_api.commit_get(admin, commit_uuid), e)
                raise

    @messaging.expected_exceptions(exception.SnapzunException)
    def volume_delete(self, context, volume_uuid):
        """Delete a local volume of this host; the API claimed it."""
        admin = context.elevated()
        self.flows.volumes.delete_volume(
            admin, db_api.volume_get(admin, volume_uuid))

    # Reads: call, no lock

    @_read
    def container_logs(self, container, **kwargs):
        return self.engine.logs(container.container_id, **kwargs)

    @_read
    def container_execute(self, container, command):
        exit_code, output = self.engine.execute(container.container_id,
                                                command)
        return {'exit_code': exit_code, 'output': output}

    @_read
    def container_top(self, container, ps_args):
        return self.engine.top(container.container_id, ps_args)

    @_read
    def container_stats(self, container):
        return self.engine.stats(container.container_id)

