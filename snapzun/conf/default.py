"""Options in [DEFAULT]."""

import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt('host', default=socket.gethostname(),
               sample_default='<hostname>',
               help='Name of this node; compute agents listen on an RPC '
                    'server of this name.'),
    cfg.StrOpt('state_path', default='/var/lib/snapzun',
               help='Directory for snapzun state (SQLite database, locks).'),
    cfg.IntOpt('default_memory', default=512, min=4,
               help='Memory in MiB given to a container that asks none.'),
    cfg.FloatOpt('default_cpu', default=1.0, min=0.1,
                 help='CPUs given to a container that asks none.'),
    cfg.StrOpt('default_image_driver', default='docker',
               choices=['docker', 'glance'],
               help='Image driver used when a request names none.'),
]


def register_opts(conf):
    conf.register_opts(opts)


def list_opts():
    return {'DEFAULT': opts}
