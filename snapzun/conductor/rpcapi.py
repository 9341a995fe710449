"""Client side of the conductor's RPC API."""

import oslo_messaging as messaging

from snapzun.common import rpc

TOPIC = 'snapzun-conductor'


class ConductorAPI:
    """Client side of the conductor RPC API.

    API version history:

    * 1.0 - Initial version: schedule_and_create.
    """

    RPC_API_VERSION = '1.0'

    def __init__(self):
        target = messaging.Target(topic=TOPIC, version='1.0')
        self._client = rpc.get_client(target,
                                      version_cap=self.RPC_API_VERSION)

    def schedule_and_create(self, context, container_uuid, run):
        cctxt = self._client.prepare(version='1.0', retry=rpc.SEND_RETRIES)
        cctxt.cast(context, 'schedule_and_create',
                   container_uuid=container_uuid, run=run)
