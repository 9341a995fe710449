"""Pecan hooks: request context, microversion, error rendering."""

from oslo_config import cfg
import pecan
import webob.exc

from snapzun import context as snapzun_context
from snapzun.api import errors
from snapzun.api import versions
from snapzun.compute import api as compute_api

CONF = cfg.CONF

NOAUTH_PROJECT = 'noauth'
NOAUTH_USER = 'noauth'


def _context_from_request(request):
    environ = request.environ
    if CONF.api.auth_strategy == 'noauth':
        headers = request.headers
        roles = [r.strip() for r in headers.get('X-Roles', 'admin').split(',')
                 if r.strip()]
        return snapzun_context.RequestContext(
            user_id=headers.get('X-User-Id', NOAUTH_USER),
            project_id=headers.get('X-Project-Id', NOAUTH_PROJECT),
            roles=roles, is_admin='admin' in roles,
            request_id=environ.get('openstack.request_id'),
            overwrite=False)
    context = snapzun_context.RequestContext.from_environ(environ,
                                                          overwrite=False)
    context.is_admin = 'admin' in context.roles
    return context


class ContextHook(pecan.hooks.PecanHook):
    """Builds the request context from auth headers."""

    def before(self, state):
        state.request.context = _context_from_request(state.request)


class VersionHook(pecan.hooks.PecanHook):
    """Negotiates the microversion of /v1 requests and echoes it."""

    def before(self, state):
        request = state.request
        if errors.is_versioned(request.path):
            version = versions.parse(request.headers.get(versions.HEADER))
            request.environ[errors.VERSION_ENVIRON_KEY] = version
            request.version = version

    def after(self, state):
        state.response.headers.update(
            errors.versions_headers(state.request.environ))


class ComputeAPIHook(pecan.hooks.PecanHook):
    """One compute API object shared by every request."""

    def __init__(self):
        self.compute_api = compute_api.API()

    def before(self, state):
        state.request.compute_api = self.compute_api


class ErrorHook(pecan.hooks.PecanHook):
    """Renders exceptions from handlers as Zun's error body."""

    def on_error(self, state, exc):
        # Pecan's own HTTP errors (no route, wrong method) pass through to
        # JsonErrorMiddleware, which rewrites them.
        if isinstance(exc, webob.exc.HTTPException):
            return None
        return errors.response_for(state.request.environ, exc)
