"""oslo.messaging plumbing shared by every service."""

import oslo_messaging as messaging

from snapzun import context as snapzun_context

_TRANSPORT = None

# Reconnection attempts a send makes before giving up, so that a request
# meeting a broker outage gets an error instead of hanging.
SEND_RETRIES = 3


class ContextSerializer(messaging.NoOpSerializer):
    def serialize_context(self, context):
        return context.to_dict()

    def deserialize_context(self, context):
        return snapzun_context.RequestContext.from_dict(context)


def init(conf):
    global _TRANSPORT
    if _TRANSPORT is None:
        # Our own exceptions cross RPC as themselves, not RemoteError.
        _TRANSPORT = messaging.get_rpc_transport(
            conf, allowed_remote_exmods=['snapzun.exception'])
    return _TRANSPORT


def cleanup():
    global _TRANSPORT
    if _TRANSPORT is not None:
        _TRANSPORT.cleanup()
        _TRANSPORT = None


def get_client(target, version_cap=None):
    return messaging.get_rpc_client(_TRANSPORT, target,
                                    version_cap=version_cap,
                                    serializer=ContextSerializer())


def get_server(target, endpoints):
    return messaging.get_rpc_server(_TRANSPORT, target, endpoints,
                                    executor='threading',
                                    serializer=ContextSerializer())
