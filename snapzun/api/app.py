"""The WSGI application: pecan app wrapped in middleware, built in code."""

from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_middleware import request_id
import pecan

from snapzun.api import errors
from snapzun.api import hooks

CONF = cfg.CONF

PUBLIC_ROUTES = ('/', '/v1', '/v1/')


class _PublicRoutes:
    """Keystone auth for everything but the version documents."""

    def __init__(self, app, auth_app):
        self.app = app
        self.auth_app = auth_app

    def __call__(self, environ, start_response):
        if environ.get('PATH_INFO', '/') in PUBLIC_ROUTES:
            return self.app(environ, start_response)
        return self.auth_app(environ, start_response)


def setup_app():
    app = pecan.make_app(
        'snapzun.api.controllers.root.RootController',
        hooks=[hooks.ContextHook(), hooks.VersionHook(),
               hooks.ComputeAPIHook(), hooks.ErrorHook()],
        debug=False, force_canonical=False, guess_content_type_from_ext=False)
    if CONF.api.auth_strategy == 'keystone':
        app = _PublicRoutes(app, auth_token.AuthProtocol(app, {}))
    app = errors.JsonErrorMiddleware(app)
    return request_id.RequestId(app)
