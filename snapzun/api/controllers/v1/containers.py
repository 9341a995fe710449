"""/v1/containers and their actions."""

import datetime
import shlex

from oslo_config import cfg
from oslo_utils import uuidutils
import pecan
from pecan import rest

from snapzun import exception
from snapzun import image
from snapzun.api import controllers
from snapzun.api import policy
from snapzun.api import validation
from snapzun.api import versions
from snapzun.api.controllers.v1 import container_actions
from snapzun.api.schemas import containers as schema
from snapzun.api.views import containers as view
from snapzun.db import api as db_api
from snapzun.volume import api as volume_api

CONF = cfg.CONF

_NOT_SUPPORTED = {
    'registry': 'private registries are not supported',
    'disk': 'disk quotas are not supported by this service',
}


def _show(container):
    admin = policy.check(controllers.context(),
                         'container:get_one:admin_fields')
    return view.show(container, controllers.base_url(), admin)


def _limits(values):
    """memory as a string of MiB, cpu as a float, both in range."""
    if values.get('memory') is not None:
        memory = int(values['memory'])
        if not 4 <= memory <= 8192:
            raise exception.ValidationError(
                detail=f'Invalid input for field/attribute memory. Value: '
                       f'{memory}. It must be between 4 and 8192 MiB.')
        values['memory'] = str(memory)
    if values.get('cpu') is not None:
        cpu = float(values['cpu'])
        if not 0.1 <= cpu <= 16:
            raise exception.ValidationError(
                detail=f'Invalid input for field/attribute cpu. Value: '
                       f'{cpu}. It must be between 0.1 and 16.')
        values['cpu'] = cpu
    return values


def _create_values(body, version):
    for field, reason in _NOT_SUPPORTED.items():
        if body.get(field):
            raise exception.Invalid(reason=f'{field}: {reason}')
    values = {k: v for k, v in body.items()
              if k not in ('mounts', 'nets', 'hints', 'security_groups',
                           'availability_zone', 'registry', 'disk',
                           'cpu_policy', 'exposed_ports')}
    if isinstance(values.get('command'), str):
        values['command'] = _split(values['command'], 'command')
    if body.get('exposed_ports'):
        values['exposed_ports'] = body['exposed_ports']
    values.setdefault('memory', CONF.default_memory)
    values.setdefault('cpu', CONF.default_cpu)
    if not values.get('image_driver'):
        values['image_driver'] = CONF.default_image_driver
    image.get_driver(values['image_driver'])
    values['uuid'] = uuidutils.generate_uuid()
    if not values.get('name'):
        values['name'] = f"container-{values['uuid'][:8]}"
    values['restart_policy'] = _restart_policy(values.get('restart_policy'))
    if 'healthcheck' in values and values['healthcheck']:
        check = dict(values['healthcheck'])
        check['test'] = check.pop('cmd', check.get('test'))
        values['healthcheck'] = check
    return _limits(values)


def _restart_policy(requested):
    """Zun's normal form: a name and a retry count as a string."""
    requested = requested or {}
    name = requested.get('Name', 'no')
    count = int(requested.get('MaximumRetryCount') or 0)
    if name == 'no':
        count = 0
    elif name in ('always', 'unless-stopped') and count:
        raise exception.Invalid(
            reason=f'restart policy {name} takes no MaximumRetryCount')
    return {'Name': name, 'MaximumRetryCount': str(count)}


def _split(command, field):
    try:
        return shlex.split(command)
    except ValueError as e:
        raise exception.ValidationError(
            detail=f'Invalid input for field/attribute {field}. Value: '
                   f'{command!r}. {e}') from e


def _image_name(query):
    """(repository, tag) from repository+tag or the spec's image-name."""
    if 'image-name' in query:
        name = query['image-name']
        repository, sep, tag = name.rpartition(':')
        if not sep or '/' in tag:
            repository, tag = name, None
        query = validation.validate(schema.commit_params,
                                    {'repository': repository, 'tag': tag})
    return query['repository'], query.get('tag') or 'latest'


def _require_ident(ident):
    """DELETE and PATCH act on one container, not the collection."""
    if ident is None:
        raise exception.MethodNotAllowed(method=pecan.request.method,
                                         path=pecan.request.path)


def _since(value):
    """A logs ``since``: epoch seconds or 'YYYY-MM-DD HH:MM:SS,mmm'."""
    if isinstance(value, int) or value.isdigit():
        return int(value)
    stamp = datetime.datetime.strptime(value.replace(',', '.'),
                                       '%Y-%m-%d %H:%M:%S' +
                                       ('.%f' if ',' in value else ''))
    # Epoch seconds cross RPC as they are; a datetime would not.
    return int(stamp.replace(tzinfo=datetime.timezone.utc).timestamp())


def _authorize_create(context, body):
    policy.authorize(context, 'container:create')
    if body.get('host'):
        policy.authorize(context, 'container:create:requested_destination')
    if body.get('runtime'):
        policy.authorize(context, 'container:create:runtime')
    if body.get('privileged'):
        policy.authorize(context, 'container:create:privileged')


class ContainersController(rest.RestController):
    """Containers: create, list, show, update, delete, and actions."""

    container_actions = container_actions.ContainerActionsController()

    _custom_actions = {
        'start': ['POST'], 'stop': ['POST'], 'reboot': ['POST'],
        'pause': ['POST'], 'unpause': ['POST'], 'kill': ['POST'],
        'execute': ['POST'], 'logs': ['GET'], 'top': ['GET'],
        'stats': ['GET'], 'commit': ['POST'],
    }

    @pecan.expose('json')
    def get_all(self, **_params):
        context = controllers.context()
        query = controllers.params(schema.list_query)
        if query.pop('all_projects', False):
            policy.authorize(context, 'container:get_all_all_projects')
            context.all_projects = True
        else:
            policy.authorize(context, 'container:get_all')
        limit = min(query.pop('limit', CONF.api.max_limit),
                    CONF.api.max_limit)
        marker = query.pop('marker', None)
        sort_key = query.pop('sort_key', 'id')
        sort_dir = query.pop('sort_dir', 'asc')
        if sort_key not in db_api.CONTAINER_SORT_KEYS:
            raise exception.Invalid(
                reason=f'sort_key {sort_key} is not one of '
                       f'{", ".join(db_api.CONTAINER_SORT_KEYS)}')
        found = db_api.container_list(context, query, limit, marker,
                                      sort_key, sort_dir)
        admin = policy.check(context, 'container:get_one:admin_fields')
        return view.collection(found, controllers.base_url(), limit, admin,
                               sort_key, sort_dir)

    @pecan.expose('json')
    def get_one(self, ident, **_params):
        controllers.params(schema.show_query)
        return _show(controllers.get_container(ident, 'container:get_one'))

    @pecan.expose('json')
    def post(self, **_params):
        context = controllers.context()
        version = pecan.request.version
        query = validation.checked_params(schema.create_query,
                                          dict(pecan.request.GET.items()))
        body = validation.validate(schema.create(version),
                                   validation.json_body(pecan.request))
        _authorize_create(context, body)
        values = _create_values(body, version)
        mounts = volume_api.API().plan_mounts(context, body.get('mounts'),
                                              values)
        container = pecan.request.compute_api.create(
            context, values, run=query.get('run', False), mounts=mounts)
        pecan.response.status = 202
        pecan.response.location = (f'{controllers.base_url()}/v1/containers/'
                                   f'{container.uuid}')
        return _show(container)

    @pecan.expose('json')
    def patch(self, ident=None, **_params):
        _require_ident(ident)
        container = controllers.get_container(ident, 'container:update')
        body = validation.validate(schema.update,
                                   validation.json_body(pecan.request))
        updated = pecan.request.compute_api.update(
            controllers.context(), container, _limits(body))
        return _show(updated)

    # No template: a 204 must carry no body at all, not JSON's "null".
    @pecan.expose()
    def delete(self, ident=None, **_params):
        _require_ident(ident)
        version = pecan.request.version
        query = controllers.params(schema.delete_query)
        container = controllers.get_container(ident, 'container:delete')
        force = query.get('force', False)
        stop = query.get('stop', False)
        if force and version[1] < versions.MINOR_DELETE_FORCE:
            raise exception.InvalidParamInVersion(param='force',
                                                  min_version='1.7')
        if stop and version[1] < versions.MINOR_DELETE_STOP:
            raise exception.InvalidParamInVersion(param='stop',
                                                  min_version='1.12')
        if force:
            policy.authorize(controllers.context(), 'container:delete_force')
        pecan.request.compute_api.delete(controllers.context(), container,
                                         force=force, stop=stop)
        pecan.response.status = 204
        return ''


    def _action(self, ident, action, params_schema, **defaults):
        container = controllers.get_container(ident, f'container:{action}')
        kwargs = dict(defaults, **controllers.params(params_schema))
        pecan.request.compute_api.action(controllers.context(), container,
                                         action, **kwargs)
        pecan.response.status = 202

    @pecan.expose('json')
    def start(self, ident, **_params):
        self._action(ident, 'start', schema.no_params)

    @pecan.expose('json')
    def stop(self, ident, **_params):
        self._action(ident, 'stop', schema.timeout_params,
                     timeout=CONF.docker.default_stop_timeout)

    @pecan.expose('json')
    def reboot(self, ident, **_params):
        self._action(ident, 'reboot', schema.timeout_params,
                     timeout=CONF.docker.default_stop_timeout)

    @pecan.expose('json')
    def pause(self, ident, **_params):
        self._action(ident, 'pause', schema.no_params)

    @pecan.expose('json')
    def unpause(self, ident, **_params):
        self._action(ident, 'unpause', schema.no_params)

    @pecan.expose('json')
    def kill(self, ident, **_params):
        self._action(ident, 'kill', schema.kill_params, signal=None)

    @pecan.expose('json')
    def logs(self, ident, **_params):
        container = controllers.get_container(ident, 'container:logs')
        query = controllers.params(schema.logs_params)
        if query.get('tail', 'all') != 'all':
            query['tail'] = int(query['tail'])
        if query.get('since') is not None:
            query['since'] = _since(query['since'])
        return pecan.request.compute_api.logs(controllers.context(),
                                              container, **query)

    @pecan.expose('json')
    def execute(self, ident, **_params):
        container = controllers.get_container(ident, 'container:execute')
        query = controllers.params(schema.execute_params)
        if query.get('interactive') or not query.get('run', True):
            raise exception.Invalid(
                reason='only non-interactive commands run to completion '
                       '(run=true, interactive=false) are supported')
        command = _split(query['command'], 'command')
        result = pecan.request.compute_api.execute(
            controllers.context(), container, command)
        return {'output': result['output'], 'exit_code': result['exit_code'],
                'exec_id': None, 'proxy_url': None}

    @pecan.expose('json')
    def top(self, ident, **_params):
        container = controllers.get_container(ident, 'container:top')
        query = controllers.params(schema.top_params)
        return pecan.request.compute_api.top(controllers.context(),
                                             container, query.get('ps_args'))

    @pecan.expose('json')
    def commit(self, ident, **_params):
        """Commit the container to an image: 202 and the image's id."""
        container = controllers.get_container(ident, 'container:commit')
        query = controllers.params(schema.commit_params)
        repository, tag = _image_name(query)
        image_id = pecan.request.compute_api.commit(
            controllers.context(), container, repository, tag)
        pecan.response.status = 202
        return {'uuid': image_id}

    @pecan.expose('json')
    def stats(self, ident, **_params):
        container = controllers.get_container(ident, 'container:stats')
        controllers.params(schema.no_params)
        raw = pecan.request.compute_api.stats(controllers.context(),
                                              container)
        return view.stats(container, raw)

