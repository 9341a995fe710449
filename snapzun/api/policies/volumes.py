"""Policies of volumes."""

from oslo_policy import policy

from snapzun.api.policies import base

PREFIX = 'volume:%s'
BASE_PATH = '/v1/volumes'
_ONE = BASE_PATH + '/{volume_ident}'

# (name, check, method, path, description)
_RULES = (
    ('create', base.PROJECT_MEMBER, 'POST', BASE_PATH, 'Create a volume.'),
    ('get_all', base.PROJECT_READER, 'GET', BASE_PATH,
     'List the volumes of a project.'),
    ('get_all_all_projects', base.ADMIN, 'GET', BASE_PATH,
     'List the volumes of all projects.'),
    ('get_one', base.PROJECT_READER, 'GET', _ONE, 'Show a volume.'),
    ('delete', base.PROJECT_MEMBER, 'DELETE', _ONE, 'Delete a volume.'),
)


def list_rules():
    return [policy.DocumentedRuleDefault(
        name=PREFIX % name, check_str=check, description=description,
        operations=[{'method': method, 'path': path}])
        for name, check, method, path, description in _RULES]
