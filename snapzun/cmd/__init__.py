"""Entry points of the snapzun processes."""

import sys

from oslo_config import cfg
from oslo_log import log as logging

from snapzun import conf  # noqa: F401 -- registers the options
from snapzun.common import rpc
from snapzun.conf import opts

CONF = cfg.CONF


def prepare(argv=None, defaults=None):
    """Parse config, set up logging and RPC for a snapzun process.

    :param defaults: {(group, option): value} this binary defaults to.
    """
    logging.register_options(CONF)
    opts.set_defaults(CONF)
    for (group, option), value in (defaults or {}).items():
        CONF.set_default(option, value, group=group)
    CONF(sys.argv[1:] if argv is None else argv, project='snapzun')
    logging.setup(CONF, 'snapzun')
    rpc.init(CONF)
