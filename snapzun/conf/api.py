"""Options in [api]."""

from oslo_config import cfg

GROUP = 'api'

opts = [
    cfg.HostAddressOpt('host_ip', default='127.0.0.1',
                       help='Address the API listens on.'),
    cfg.PortOpt('port', default=9517, help='Port the API listens on.'),
    cfg.IntOpt('threads', default=16, min=1,
               help='Threads serving API requests.'),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help='Largest page a list request returns.'),
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Keystone tokens (keystonemiddleware)'),
                        ('noauth', 'No authentication: every request is '
                                   'an admin of the project it names in '
                                   'X-Project-Id, or of "noauth"')],
               help='How API requests are authenticated.'),
    cfg.StrOpt('public_endpoint',
               help='Base URL clients reach the API on, used in links. '
                    'Defaults to the URL of the request.'),
]


def register_opts(conf):
    conf.register_opts(opts, group=GROUP)


def list_opts():
    return {GROUP: opts}
