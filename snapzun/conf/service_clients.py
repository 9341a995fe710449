"""Options of the service clients: [glance] and [cinder].

Each group holds a keystoneauth session, the service user's auth (used for
service tokens and endpoint lookup) and the endpoint's adapter options.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUPS = {'glance': 'image', 'cinder': 'volumev3'}

_extra = [
    cfg.IntOpt('upload_chunk_size', default=8 * 1024 * 1024, min=65536,
               help='Bytes read from the engine per chunk when streaming an '
                    'image to the service.'),
]


def register_opts(conf):
    for group, service_type in GROUPS.items():
        ks_loading.register_session_conf_options(conf, group)
        ks_loading.register_auth_conf_options(conf, group)
        ks_loading.register_adapter_conf_options(conf, group)
        conf.set_default('service_type', service_type, group=group)
        conf.set_default('valid_interfaces', ['internal', 'public'],
                         group=group)
    conf.register_opts(_extra, group='glance')


def list_opts():
    common = (ks_loading.get_session_conf_options() +
              ks_loading.get_auth_common_conf_options() +
              ks_loading.get_auth_plugin_conf_options('password') +
              ks_loading.get_adapter_conf_options(include_deprecated=False))
    return {'glance': common + _extra, 'cinder': common}
