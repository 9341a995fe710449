"""Options in [docker]."""

from oslo_config import cfg

GROUP = 'docker'

opts = [
    cfg.StrOpt('api_url', default='unix:///var/run/docker.sock',
               help='URL of the Docker engine this compute agent drives.'),
    cfg.StrOpt('api_version', default='auto',
               help='Docker Engine API version, or "auto".'),
    cfg.IntOpt('timeout', default=120, min=1,
               help='Seconds to wait for one Docker API request.'),
    cfg.StrOpt('default_network', default='none',
               help='Docker network containers join: "none", "host" or '
                    'the name of a Docker network.'),
    cfg.IntOpt('default_stop_timeout', default=10, min=0,
               help='Seconds a container gets to stop before it is '
                    'killed, when a request names none.'),
]


def register_opts(conf):
    conf.register_opts(opts, group=GROUP)


def list_opts():
    return {GROUP: opts}
