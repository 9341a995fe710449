"""/v1/services: the snapzun services and whether they are up."""

from oslo_config import cfg
import pecan
from pecan import rest

from snapzun.api import controllers
from snapzun.api import policy
from snapzun.api.schemas import containers as schema
from snapzun.api.views import services as view
from snapzun.db import api as db_api

CONF = cfg.CONF


class ServicesController(rest.RestController):

    @pecan.expose('json')
    def get_all(self, **_params):
        context = controllers.context()
        policy.authorize(context, 'service:get_all')
        controllers.params(schema.no_params)
        down_time = CONF.compute.service_down_time
        return {'services': [
            view.show(s, db_api.service_is_up(s, down_time))
            for s in db_api.service_list(context)]}
