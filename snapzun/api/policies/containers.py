"""Policies of containers and their actions."""

from oslo_policy import policy

from snapzun.api.policies import base

PREFIX = 'container:%s'
BASE_PATH = '/v1/containers'


def _rule(name, check, method, path, description):
    return policy.DocumentedRuleDefault(
        name=PREFIX % name, check_str=check, description=description,
        operations=[{'method': method, 'path': path}])


_ONE = BASE_PATH + '/{container_ident}'

# (name, check, method, path, description)
_RULES = (
    ('create', base.PROJECT_MEMBER, 'POST', BASE_PATH, 'Create a container.'),
    ('create:requested_destination', base.ADMIN, 'POST', BASE_PATH,
     'Create a container on a named host.'),
    ('create:runtime', base.ADMIN, 'POST', BASE_PATH,
     'Create a container with a given runtime.'),
    ('create:privileged', '!', 'POST', BASE_PATH,
     'Create a privileged container.'),
    ('get_all', base.PROJECT_READER, 'GET', BASE_PATH,
     'List the containers of a project.'),
    ('get_all_all_projects', base.ADMIN, 'GET', BASE_PATH,
     'List the containers of all projects.'),
    ('get_one', base.PROJECT_READER, 'GET', _ONE, 'Show a container.'),
    ('get_one:admin_fields', base.ADMIN, 'GET', _ONE,
     'See host, runtime, privileged and image_pull_policy of containers.'),
    ('update', base.PROJECT_MEMBER, 'PATCH', _ONE, 'Update a container.'),
    ('delete', base.PROJECT_MEMBER, 'DELETE', _ONE, 'Delete a container.'),
    ('delete_force', base.ADMIN, 'DELETE', _ONE,
     'Delete a container whatever its state.'),
    ('logs', base.PROJECT_READER, 'GET', _ONE + '/logs',
     'Read the logs of a container.'),
    ('top', base.PROJECT_READER, 'GET', _ONE + '/top',
     'List the processes of a container.'),
    ('stats', base.PROJECT_READER, 'GET', _ONE + '/stats',
     'Show resource usage of a container.'),
    ('actions', base.PROJECT_READER, 'GET', _ONE + '/container_actions',
     'List and show the actions taken on a container.'),
    ('actions:traceback', base.ADMIN, 'GET',
     _ONE + '/container_actions/{request_id}',
     'See the traceback of a failed action event.'),
    ('execute', base.PROJECT_MEMBER, 'POST', _ONE + '/execute',
     'Run a command in a container.'),
    ('commit', base.PROJECT_MEMBER, 'POST', _ONE + '/commit',
     'Commit a container to an image.'),
)

ACTIONS = ('start', 'stop', 'reboot', 'pause', 'unpause', 'kill')


def list_rules():
    rules = [_rule(*spec) for spec in _RULES]
    rules += [_rule(action, base.PROJECT_MEMBER, 'POST',
                    f'{_ONE}/{action}', f'{action.capitalize()} a container.')
              for action in ACTIONS]
    return rules
