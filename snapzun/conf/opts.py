"""Options for oslo-config-generator."""

import oslo_messaging
from oslo_messaging import opts as messaging_opts

from snapzun.conf import api
from snapzun.conf import compute
from snapzun.conf import database
from snapzun.conf import default
from snapzun.conf import docker
from snapzun.conf import service_clients
from snapzun.conf import volume
from snapzun.conf import volume_plugin

_MODULES = (default, api, compute, docker, service_clients, volume,
            volume_plugin)


def list_opts():
    groups = {}
    for module in _MODULES:
        for group, opts in module.list_opts().items():
            groups.setdefault(group, []).extend(opts)
    return sorted(groups.items())


def set_defaults(conf):
    """Register library options snapzun sets defaults for, and set them."""
    database.register_opts(conf)
    oslo_messaging.set_transport_defaults(control_exchange='snapzun')
    for group, options in messaging_opts.list_opts():
        if group in (None, 'oslo_messaging_rabbit'):
            conf.register_opts(options, group=group)
    # Queues that outlive a broker restart keep the casts sent while the
    # services reconnect; transient ones would drop them.
    conf.set_default('amqp_durable_queues', True,
                     group='oslo_messaging_rabbit')


def update_defaults():
    """oslo-config-generator's hook: snapzun's defaults of library options."""
    from oslo_config import cfg
    set_defaults(cfg.CONF)
