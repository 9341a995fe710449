"""/v1/containers/<ident>/container_actions: what was done, and how."""

import pecan
from pecan import rest

from snapzun.api import controllers
from snapzun.api import policy
from snapzun.api.schemas import containers as schema
from snapzun.api.views import actions as view
from snapzun.db import api as db_api


class ContainerActionsController(rest.RestController):

    @pecan.expose('json')
    def get_all(self, container_ident, **_params):
        controllers.params(schema.no_params)
        container = controllers.get_container(container_ident,
                                              'container:actions')
        return view.collection(db_api.action_list(controllers.context(),
                                                  container.uuid))

    @pecan.expose('json')
    def get_one(self, container_ident, request_id, **_params):
        controllers.params(schema.no_params)
        container = controllers.get_container(container_ident,
                                              'container:actions')
        action, events = db_api.action_get(controllers.context(),
                                           container.uuid, request_id)
        show_traceback = policy.check(controllers.context(),
                                      'container:actions:traceback')
        return view.show(action, events, show_traceback)
