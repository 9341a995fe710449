"""Client side of the compute agent's RPC API."""

from oslo_config import cfg
import oslo_messaging as messaging

from snapzun import exception
from snapzun.common import rpc

CONF = cfg.CONF

TOPIC = 'snapzun-compute'

# Seconds a synchronous call (logs, execute, ...) waits for the agent.
CALL_TIMEOUT = 60


class ComputeAPI:
    """Client side of the compute RPC API.

    API version history:

    * 1.0 - Initial version: create, start, stop, reboot, pause, unpause,
      kill, update, delete, logs, execute, top, stats.
    * 1.1 - container_commit.
    * 1.2 - volume_delete.
    """

    RPC_API_VERSION = '1.2'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, version='1.0')
        cap = CONF.compute.rpc_version_cap or self.RPC_API_VERSION
        self._client = rpc.get_client(target, version_cap=cap)

    def _cast(self, context, host, method, version='1.0', **kwargs):
        cctxt = self._client.prepare(server=host, version=version,
                                     retry=rpc.SEND_RETRIES)
        cctxt.cast(context, method, **kwargs)

    def _call(self, context, host, method, version='1.0', **kwargs):
        cctxt = self._client.prepare(server=host, version=version,
                                     timeout=CALL_TIMEOUT,
                                     retry=rpc.SEND_RETRIES)
        try:
            return cctxt.call(context, method, **kwargs)
        except (messaging.MessagingTimeout,
                messaging.MessageDeliveryFailure) as e:
            raise exception.ComputeUnavailable(host=host) from e

    def container_create(self, context, host, container_uuid, run):
        self._cast(context, host, 'container_create',
                   container_uuid=container_uuid, run=run)

    def container_action(self, context, host, container_uuid, action,
                         **kwargs):
        """Cast one of the asynchronous actions (start, stop, ...)."""
        self._cast(context, host, f'container_{action}',
                   container_uuid=container_uuid, **kwargs)

    def container_commit(self, context, host, container_uuid, commit_uuid):
        """:raises: ComputeTooOld if the host cannot commit yet."""
        cctxt = self._client.prepare(server=host, version='1.1',
                                     retry=rpc.SEND_RETRIES)
        if not cctxt.can_send_version('1.1'):
            raise exception.ComputeTooOld(host=host, feature='commit')
        cctxt.cast(context, 'container_commit',
                   container_uuid=container_uuid, commit_uuid=commit_uuid)

    def volume_delete(self, context, host, volume_uuid):
        """Delete a volume whose data is on ``host``; wait for it.

        :raises: ComputeTooOld, ComputeUnavailable
        """
        cctxt = self._client.prepare(server=host, version='1.2',
                                     timeout=CALL_TIMEOUT,
                                     retry=rpc.SEND_RETRIES)
        if not cctxt.can_send_version('1.2'):
            raise exception.ComputeTooOld(host=host,
                                          feature='delete volumes')
        try:
            cctxt.call(context, 'volume_delete', volume_uuid=volume_uuid)
        except (messaging.MessagingTimeout,
                messaging.MessageDeliveryFailure) as e:
            raise exception.ComputeUnavailable(host=host) from e

    def container_update(self, context, host, container_uuid, values):
        return self._call(context, host, 'container_update',
                          container_uuid=container_uuid, values=values)

    def container_logs(self, context, host, container_uuid, **kwargs):
        return self._call(context, host, 'container_logs',
                          container_uuid=container_uuid, **kwargs)

    def container_execute(self, context, host, container_uuid, command):
        return self._call(context, host, 'container_execute',
                          container_uuid=container_uuid, command=command)

    def container_top(self, context, host, container_uuid, ps_args):
        return self._call(context, host, 'container_top',
                          container_uuid=container_uuid, ps_args=ps_args)

    def container_stats(self, context, host, container_uuid):
        return self._call(context, host, 'container_stats',
                          container_uuid=container_uuid)
