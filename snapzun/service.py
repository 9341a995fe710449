"""The pieces a snapzun process runs: RPC servers, periodic tasks, API."""

import os
import threading

from cheroot import wsgi
from oslo_config import cfg
from oslo_log import log as logging
import oslo_messaging as messaging

from snapzun import context as snapzun_context
from snapzun.api import app as api_app
from snapzun.common import periodic
from snapzun.common import process
from snapzun.common import rpc
from snapzun.compute import docker
from snapzun.compute import manager as compute_manager
from snapzun.compute import rpcapi as compute_rpcapi
from snapzun.conductor import manager as conductor_manager
from snapzun.conductor import rpcapi as conductor_rpcapi
from snapzun.db import api as db_api

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

COMPUTE = 'snapzun-compute'
CONDUCTOR = 'snapzun-conductor'


class RPCService:
    """An RPC server for one manager, plus its heartbeat."""

    def __init__(self, binary, topic, manager):
        self.binary = binary
        self.manager = manager
        target = messaging.Target(topic=topic, server=CONF.host)
        self._server = rpc.get_server(target, [manager])
        self._tasks = [periodic.PeriodicTask(
            f'{binary}-heartbeat', self.heartbeat,
            lambda: CONF.compute.report_interval, initial_delay=0)]

    def heartbeat(self):
        db_api.service_heartbeat(snapzun_context.get_admin_context(),
                                 CONF.host, self.binary)

    def add_periodic(self, name, func, interval):
        self._tasks.append(periodic.PeriodicTask(name, func, interval))

    def start(self):
        self.heartbeat()
        self._server.start()
        for task in self._tasks:
            task.start()
        LOG.info('%s started on host %s', self.binary, CONF.host)

    def stop(self):
        for task in self._tasks:
            task.stop()
        self._server.stop()
        self._server.wait()
        LOG.info('%s stopped', self.binary)


def compute_service():
    engine = docker.DockerEngine()
    manager = compute_manager.ComputeManager(CONF.host, engine)
    service = RPCService(COMPUTE, compute_rpcapi.TOPIC, manager)
    service.add_periodic('sync-status', manager.sync_status,
                         lambda: CONF.compute.sync_interval)
    service.add_periodic('report-resources', manager.report_resources,
                         lambda: CONF.compute.report_interval)
    service.add_periodic('commit-cleanup', manager.retry_commit_cleanup,
                         lambda: CONF.compute.sync_interval)
    engine.ping()
    manager.init_host()
    manager.report_resources()
    return service


def conductor_service():
    return RPCService(CONDUCTOR, conductor_rpcapi.TOPIC,
                      conductor_manager.ConductorManager())


class APIService:
    """The HTTP API on a pool of threads."""

    def __init__(self):
        self._server = wsgi.Server(
            (CONF.api.host_ip, CONF.api.port), api_app.setup_app(),
            numthreads=CONF.api.threads, server_name='snapzun-api')
        self._thread = None

    def start(self):
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve,
                                        name='snapzun-api', daemon=True)
        self._thread.start()
        LOG.info('API listening on http://%s:%s', CONF.api.host_ip,
                 CONF.api.port)

    def stop(self):
        self._server.stop()
        if self._thread is not None:
            self._thread.join(10)


def run(services):
    """Start ``services``; stop them all on SIGTERM or SIGINT."""
    try:
        return process.run_until_signalled(services)
    finally:
        rpc.cleanup()


def ensure_state_path():
    os.makedirs(CONF.state_path, mode=0o750, exist_ok=True)
