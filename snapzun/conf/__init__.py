"""snapzun configuration: one module per option group."""

from oslo_config import cfg

from snapzun.conf import api, compute, database, default, docker

CONF = cfg.CONF

for _module in (default, api, compute, database, docker):
    _module.register_opts(CONF)
