"""keystoneauth sessions for calling other services on a user's behalf.

A request to Glance or Cinder carries the user's token and, when a service
user is configured, a service token too, so that long work (an image
upload) still succeeds after the user's token expires.
"""

from keystoneauth1 import loading as ks_loading
from keystoneauth1 import plugin
from keystoneauth1 import service_token
from oslo_config import cfg

CONF = cfg.CONF

_SERVICE_AUTHS = {}


def service_auth(group):
    """The service user's auth plugin from [group], or None if unset."""
    if group not in _SERVICE_AUTHS:
        _SERVICE_AUTHS[group] = ks_loading.load_auth_from_conf_options(
            CONF, group)
    return _SERVICE_AUTHS[group]


class _UserToken(plugin.BaseAuthPlugin):
    """The request's token; endpoints found through the service user."""

    def __init__(self, token, endpoint_auth):
        super().__init__()
        self._token = token
        self._endpoint_auth = endpoint_auth

    def get_token(self, session, **kwargs):
        return self._token

    def get_endpoint_data(self, session, **kwargs):
        if self._endpoint_auth is None:
            return super().get_endpoint_data(session, **kwargs)
        return self._endpoint_auth.get_endpoint_data(session, **kwargs)

    def get_endpoint(self, session, **kwargs):
        if self._endpoint_auth is None:
            return super().get_endpoint(session, **kwargs)
        return self._endpoint_auth.get_endpoint(session, **kwargs)


def auth_for(context, group):
    """Auth for a call made on behalf of ``context``'s user."""
    service = service_auth(group)
    if not context.auth_token:
        return service
    user = _UserToken(context.auth_token, service)
    if service is None:
        return user
    return service_token.ServiceTokenAuthWrapper(user_auth=user,
                                                 service_auth=service)


def session(group):
    return ks_loading.load_session_from_conf_options(CONF, group)


def adapter_kwargs(group):
    """Endpoint selection options of [group] for a client constructor."""
    conf = CONF[group]
    kwargs = {'service_type': conf.service_type,
              'interface': conf.valid_interfaces,
              'region_name': conf.region_name}
    if conf.endpoint_override:
        kwargs['endpoint_override'] = conf.endpoint_override
    return kwargs
