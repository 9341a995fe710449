"""Options in [volume_plugin]."""

from oslo_config import cfg

GROUP = 'volume_plugin'

opts = [
    cfg.StrOpt('name', default='fuxi',
               help='Name Docker knows the volume plugin by: the '
                    '--driver of "docker volume create". The plugin '
                    'listens on <socket_dir>/<name>.sock.'),
    cfg.StrOpt('socket_dir', default='/run/docker/plugins',
               help='Directory of the plugin socket; dockerd discovers '
                    'plugins in /run/docker/plugins.'),
    # Not '$state_path/volume-plugin': inside this group $state_path would
    # name this very option.
    cfg.StrOpt('state_path',
               sample_default='<[DEFAULT] state_path>/volume-plugin',
               help='Directory of the plugin bookkeeping and of the '
                    'volume mountpoints (<state_path>/mnt/<volume>). '
                    'Unset: volume-plugin under [DEFAULT] state_path.'),
    cfg.StrOpt('default_fstype', default='ext4',
               help='Filesystem made on a volume that has none, when '
                    'its creation names no fstype.'),
    cfg.StrOpt('root_helper', default='',
               help='Command prefix os-brick runs privileged commands '
                    'with, e.g. "sudo snapzun-rootwrap '
                    '/etc/snapzun/rootwrap.conf". Empty: the plugin runs '
                    'as root and does privileged work in its own '
                    'process.'),
    cfg.IntOpt('threads', default=8, min=1,
               help='Requests the plugin serves at once; more wait.'),
]


def register_opts(conf):
    conf.register_opts(opts, group=GROUP)


def list_opts():
    return {GROUP: opts}
