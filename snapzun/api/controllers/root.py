"""GET / : the version document clients negotiate against."""

import pecan
from pecan import rest

from snapzun.api import controllers
from snapzun.api import versions
from snapzun.api.controllers import v1


def version_document():
    url = controllers.base_url()
    return {'id': 'v1',
            'links': [{'href': f'{url}/v1/', 'rel': 'self'}],
            'status': 'CURRENT',
            'min_version': versions.to_string(versions.MIN_VERSION),
            'max_version': versions.to_string(versions.MAX_VERSION)}


class RootController(rest.RestController):
    v1 = v1.Controller()

    @pecan.expose('json')
    def get(self):
        version = version_document()
        return {'name': 'OpenStack snapzun API',
                'description': 'snapzun is an OpenStack container service '
                               'built around container snapshots.',
                'versions': [version],
                'default_version': version}

    @pecan.expose()
    def _route(self, args, request=None):
        # Zun serves /containers as well as /v1/containers.
        if args and args[0] and args[0] != 'v1':
            args = ['v1'] + list(args)
        return super()._route(args, request)
