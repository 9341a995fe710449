"""Server side of the conductor RPC API."""

from oslo_log import log as logging
import oslo_messaging as messaging

from snapzun import exception
from snapzun.common import states
from snapzun.compute import rpcapi as compute_rpcapi
from snapzun.conductor import rpcapi
from snapzun.conductor import scheduler
from snapzun.db import api as db_api

LOG = logging.getLogger(__name__)


class ConductorManager:
    RPC_API_VERSION = rpcapi.ConductorAPI.RPC_API_VERSION
    target = messaging.Target(version=RPC_API_VERSION)

    def __init__(self):
        self.compute_rpcapi = compute_rpcapi.ComputeAPI()

    @messaging.expected_exceptions(exception.SnapzunException)
    def schedule_and_create(self, context, container_uuid, run):
        admin = context.elevated()
        container = db_api.container_get(admin, container_uuid)
        try:
            host = scheduler.choose_host(admin, container.host)
        except exception.NoValidHost as e:
            LOG.warning('Cannot place container %s: %s', container_uuid, e)
            # No host: the container can be deleted without an agent.
            db_api.container_update(admin, container_uuid, {
                'status': states.ERROR, 'task_state': None, 'host': None,
                'status_reason': str(e)})
            db_api.action_finish(context, container_uuid,
                                 context.request_id, message=str(e))
            return
        db_api.container_update(admin, container_uuid, {'host': host})
        self.compute_rpcapi.container_create(context, host, container_uuid,
                                             run)
