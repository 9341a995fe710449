"""Options in [compute]."""

from oslo_config import cfg

opts = [
    cfg.IntOpt('sync_interval', default=10, min=1,
               help='Seconds between syncs of container status from the '
                    'engine to the database.'),
    cfg.IntOpt('report_interval', default=10, min=1,
               help='Seconds between service heartbeats.'),
    cfg.IntOpt('service_down_time', default=60, min=1,
               help='A service whose last heartbeat is older than this '
                    'many seconds is down and gets no new containers.'),
    cfg.IntOpt('max_concurrent_commits', default=2, min=1,
               help='Commits of different containers an agent runs at '
                    'once; more wait. Commits of one container always run '
                    'one at a time.'),
    cfg.StrOpt('rpc_version_cap',
               help='Highest compute RPC version to send, during a rolling '
                    'upgrade. Defaults to the newest this code knows.'),
]


def register_opts(conf):
    conf.register_opts(opts, group='compute')


def list_opts():
    return {'compute': opts}
