"""/v1/volumes: volumes containers mount, Cinder's or Docker local ones."""

from oslo_config import cfg
import pecan
from pecan import rest

from snapzun import exception
from snapzun.api import controllers
from snapzun.api import policy
from snapzun.api import validation
from snapzun.api.schemas import volumes as schema
from snapzun.api.views import volumes as view
from snapzun.db import api as db_api
from snapzun.volume import api as volume_api

CONF = cfg.CONF


def get_volume(ident, rule):
    """A volume by uuid, Cinder volume id or name, after checking ``rule``.

    Administrators find volumes of every project; other projects' volumes
    are as good as absent: 404.

    :raises: VolumeNotFound, AmbiguousVolumeName, PolicyNotAuthorized
    """
    context = controllers.context()
    context.all_projects = context.is_admin
    volume = db_api.volume_find(context, ident)
    policy.authorize(context, rule, {'project_id': volume.project_id,
                                     'user_id': volume.user_id})
    return volume


def _show(volume):
    mapping = db_api.volume_mappings_of_volumes(
        controllers.context(), [volume.uuid]).get(volume.uuid)
    return view.show(volume, mapping, controllers.base_url())


class VolumesController(rest.RestController):
    """Volumes: create, list, show, delete."""

    @pecan.expose('json')
    def get_all(self, **_params):
        context = controllers.context()
        query = controllers.params(schema.list_query)
        if query.get('all_projects'):
            policy.authorize(context, 'volume:get_all_all_projects')
            context.all_projects = True
        else:
            policy.authorize(context, 'volume:get_all')
        found = db_api.volume_list(context)
        mappings = db_api.volume_mappings_of_volumes(
            context, [v.uuid for v in found])
        return view.collection(found, mappings, controllers.base_url())

    @pecan.expose('json')
    def get_one(self, ident, **_params):
        controllers.params(schema.show_query)
        return _show(get_volume(ident, 'volume:get_one'))

    @pecan.expose('json')
    def post(self, **_params):
        context = controllers.context()
        body = validation.validate(schema.create,
                                   validation.json_body(pecan.request))
        policy.authorize(context, 'volume:create')
        volume = volume_api.API().create(
            context, body.get('name'), volume_api.check_size(body['size']),
            body.get('driver') or CONF.volume.default_driver)
        pecan.response.status = 201
        pecan.response.location = (f'{controllers.base_url()}/v1/volumes/'
                                   f'{volume.uuid}')
        return _show(volume)

    # No template: a 204 must carry no body at all, not JSON's "null".
    @pecan.expose()
    def delete(self, ident=None, **_params):
        if ident is None:
            raise exception.MethodNotAllowed(method=pecan.request.method,
                                             path=pecan.request.path)
        controllers.params(schema.delete_query)
        volume = get_volume(ident, 'volume:delete')
        volume_api.API().delete(controllers.context(), volume)
        pecan.response.status = 204
        return ''
