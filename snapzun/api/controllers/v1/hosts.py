"""/v1/hosts: compute hosts and what their engines report."""

from oslo_config import cfg
import pecan
from pecan import rest

from snapzun.api import controllers
from snapzun.api import policy
from snapzun.api.schemas import containers as schema
from snapzun.api.views import hosts as view
from snapzun.conductor import scheduler
from snapzun.db import api as db_api

CONF = cfg.CONF


def _show(node, live_hosts):
    return view.show(node, controllers.base_url(), node.hostname in live_hosts)


class HostsController(rest.RestController):

    @pecan.expose('json')
    def get_all(self, **_params):
        context = controllers.context()
        policy.authorize(context, 'host:get_all')
        controllers.params(schema.no_params)
        live = set(scheduler.live_compute_hosts(context))
        return {'hosts': [_show(node, live)
                          for node in db_api.compute_node_list(context)]}

    @pecan.expose('json')
    def get_one(self, ident, **_params):
        context = controllers.context()
        policy.authorize(context, 'host:get')
        controllers.params(schema.no_params)
        node = db_api.compute_node_get(context, ident)
        return _show(node, set(scheduler.live_compute_hosts(context)))
