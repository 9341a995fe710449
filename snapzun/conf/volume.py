"""Options in [volume]: volumes of containers, Cinder's and Docker's."""

from oslo_config import cfg
from oslo_utils import netutils

GROUP = 'volume'

DRIVERS = ('cinder', 'local')

opts = [
    cfg.StrOpt('default_driver', default='local', choices=DRIVERS,
               help='Driver of a volume whose request names none, and of '
                    'the volumes a container creates with "size" mounts: '
                    '"local" (Docker local volumes, kept on the host that '
                    'first used them) or "cinder".'),
    cfg.StrOpt('docker_volume_driver', default='fuxi',
               help='Docker volume driver the compute agent hands Cinder '
                    'volumes to: the name snapzun-volume-plugin (or Fuxi) '
                    'serves under, its [volume_plugin] name.'),
    cfg.IntOpt('max_size_gb', default=100, min=1,
               help='Largest volume, in GiB, one request may create.'),
    cfg.IntOpt('max_mounts', default=16, min=1,
               help='Most volumes one container may mount.'),
    cfg.IntOpt('timeout_wait_available', default=60, min=0,
               help='Seconds to wait for a new Cinder volume to become '
                    'available before giving up on it (and deleting it).'),
    cfg.IntOpt('timeout_wait_deleted', default=60, min=0,
               help='Seconds to wait for Cinder to delete a volume.'),
    cfg.FloatOpt('poll_interval', default=0.5, min=0.01,
                 help='Seconds between two looks at a Cinder volume while '
                      'waiting for it.'),
    cfg.StrOpt('fstype', default='ext4',
               help='Filesystem the volume plugin makes on a new Cinder '
                    'volume.'),
    cfg.StrOpt('my_block_storage_ip', default=netutils.get_my_ipv4(),
               sample_default='<host ipv4>',
               help='Address of this host on the storage network, given '
                    'to Cinder in the connector.'),
    cfg.BoolOpt('use_multipath', default=False,
                help='Ask Cinder for multipath connections.'),
    cfg.StrOpt('root_helper', default='',
               help='Command prefix os-brick runs privileged commands '
                    'with when the agent collects connector properties. '
                    'Empty: the agent runs as root and does it in its own '
                    'process.'),
]


def register_opts(conf):
    conf.register_opts(opts, group=GROUP)


def list_opts():
    return {GROUP: opts}
