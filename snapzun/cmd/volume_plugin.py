"""snapzun-volume-plugin: Cinder volumes as Docker volumes on this host."""

import os
import shlex
import sys

import os_brick
from os_brick import privileged as brick_privileged
from oslo_concurrency import lockutils
from oslo_config import cfg
from oslo_log import log as logging
from oslo_privsep import priv_context

from snapzun import conf  # noqa: F401 -- registers the options
from snapzun import exception
from snapzun.common import process
from snapzun.volume import plugin as volume_plugin
from snapzun.volume import plugin_server

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def state_dir():
    return (CONF.volume_plugin.state_path or
            os.path.join(CONF.state_path, 'volume-plugin'))


def _prepare(argv):
    # Not cmd.prepare(): that sets up RPC, which this process has no use for.
    logging.register_options(CONF)
    CONF(argv, project='snapzun')
    logging.setup(CONF, 'snapzun')
    lockutils.set_defaults(os.path.join(state_dir(), 'locks'))
    os_brick.setup(CONF)
    if CONF.volume_plugin.root_helper:
        priv_context.init(
            root_helper=shlex.split(CONF.volume_plugin.root_helper))
    elif os.geteuid() == 0:
        # Already root: os-brick's privileged calls run in this process
        # instead of a privsep daemon started through sudo.
        for context in (brick_privileged.default,
                        brick_privileged.brick_privsep_hide_output):
            context.set_client_mode(False)


def main(argv=None):
    _prepare(sys.argv[1:] if argv is None else argv)
    options = CONF.volume_plugin
    socket_path = os.path.join(options.socket_dir, f'{options.name}.sock')
    try:
        plugin = volume_plugin.Plugin(
            state_dir(), volume_plugin.Host(options.root_helper),
            default_fstype=options.default_fstype)
        server = plugin_server.PluginServer(socket_path, plugin,
                                            threads=options.threads)
    except (exception.SnapzunException, OSError) as e:
        LOG.error('Cannot start the volume plugin: %s', e)
        return 1
    return process.run_until_signalled([server])
