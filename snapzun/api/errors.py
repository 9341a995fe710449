"""Every error answer has Zun's body: ``{"errors": [{...}]}``."""

import http.client
import json
import re

from oslo_log import log as logging
from oslo_utils import uuidutils
import webob

from snapzun import exception
from snapzun.api import versions

LOG = logging.getLogger(__name__)

VERSION_ENVIRON_KEY = 'snapzun.api_version'
_TAG = re.compile(r'<[^>]*>')
# Our own faults: the client learns only a correlation id. A 502 or 503
# names the service at fault, which helps the client and reveals nothing.
HIDDEN_SERVER_ERRORS = (500,)


def error_body(status, title, detail, code, request_id=''):
    return {'errors': [{'request_id': request_id or '', 'code': code,
                        'status': status, 'title': title, 'detail': detail,
                        'links': []}]}


def _request_id(environ):
    return environ.get('openstack.request_id', '')


def response_for(environ, exc):
    """The HTTP response for a snapzun exception (or any other)."""
    request_id = _request_id(environ)
    if (isinstance(exc, exception.SnapzunException) and
            exc.code not in HIDDEN_SERVER_ERRORS):
        status, title, detail = exc.code, exc.message, exc.message
        code = exc.error_code
        extra = {}
        if isinstance(exc, exception.VersionNotAcceptable):
            extra = {'min_version': versions.to_string(versions.MIN_VERSION),
                     'max_version': versions.to_string(versions.MAX_VERSION)}
    else:
        correlation = uuidutils.generate_uuid()
        LOG.error('Unexpected error, correlation id %s', correlation,
                  exc_info=(type(exc), exc, exc.__traceback__))
        status = 500
        title = http.client.responses[500]
        detail = ('Your request could not be handled because of a problem '
                  f'in the server. Error Correlation id is: {correlation}')
        code, extra = 'snapzun.internal_error', {}
    body = error_body(status, title, detail, code, request_id)
    body['errors'][0].update(extra)
    response = webob.Response(status=status, json_body=body)
    response.headers.update(versions_headers(environ))
    return response


def is_versioned(path):
    """Every path but the root document is v1 (``/containers`` too)."""
    return path.strip('/') != ''


def versions_headers(environ):
    if not is_versioned(environ.get('PATH_INFO', '')):
        return {}
    return versions.response_headers(environ.get(VERSION_ENVIRON_KEY))


class JsonErrorMiddleware:
    """Rewrites errors from outside our handlers (routing, auth) as JSON."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        request = webob.Request(environ)
        response = request.get_response(self.app)
        if response.status_int >= 400 and not _is_error_json(response):
            title = response.status.split(' ', 1)[1]
            detail = _plain_text(response) or title
            code = f'snapzun.http.{response.status_int}'
            kept = {k: v for k, v in response.headers.items()
                    if k.lower() in ('www-authenticate', 'allow',
                                     'x-openstack-request-id')}
            response = webob.Response(
                status=response.status_int, json_body=error_body(
                    response.status_int, title, detail, code,
                    _request_id(environ)))
            response.headers.update(kept)
            response.headers.update(versions_headers(environ))
        return response(environ, start_response)


def _is_error_json(response):
    if response.content_type != 'application/json':
        return False
    try:
        return 'errors' in json.loads(response.body)
    except ValueError:
        return False


def _plain_text(response):
    """The message of a webob/keystonemiddleware error page, if any."""
    if response.content_type == 'application/json':
        try:
            body = json.loads(response.body)
        except ValueError:
            return ''
        error = body.get('error') if isinstance(body, dict) else None
        if isinstance(error, dict):
            return error.get('message', '')
        return ''
    text = response.text if response.charset else ''
    words = _TAG.sub(' ', text).split()
    return ' '.join(words)[:500]
