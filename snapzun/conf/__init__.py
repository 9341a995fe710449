"""snapzun configuration: one module per option group."""

from oslo_config import cfg

from snapzun.conf import api
from snapzun.conf import compute
from snapzun.conf import database
from snapzun.conf import default
from snapzun.conf import docker
from snapzun.conf import service_clients
from snapzun.conf import volume
from snapzun.conf import volume_plugin

CONF = cfg.CONF

for _module in (default, api, compute, database, docker, service_clients,
                volume, volume_plugin):
    _module.register_opts(CONF)
