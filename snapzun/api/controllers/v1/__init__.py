"""/v1: the version 1 API."""

import pecan
from pecan import rest

from snapzun.api import controllers
from snapzun.api.controllers.v1 import containers
from snapzun.api.controllers.v1 import hosts
from snapzun.api.controllers.v1 import services
from snapzun.api.controllers.v1 import volumes


def _link(url, resource):
    return [{'href': f'{url}/v1/{resource}/', 'rel': 'self'},
            {'href': f'{url}/{resource}/', 'rel': 'bookmark'}]


class Controller(rest.RestController):
    containers = containers.ContainersController()
    services = services.ServicesController()
    hosts = hosts.HostsController()
    volumes = volumes.VolumesController()

    @pecan.expose('json')
    def get(self):
        url = controllers.base_url()
        return {
            'id': 'v1',
            'media_types': [{'base': 'application/json',
                             'type': 'application/vnd.openstack.'
                                     'container.v1+json'}],
            'links': [{'href': f'{url}/v1/', 'rel': 'self'}],
            'containers': _link(url, 'containers'),
            'services': _link(url, 'services'),
            'hosts': _link(url, 'hosts'),
            'volumes': _link(url, 'volumes'),
        }
