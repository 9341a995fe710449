"""JSON Schemas of container requests, per microversion."""

import copy
import signal

from snapzun.api import versions

_boolean = {'type': 'boolean'}
_nullable_string = {'type': ['string', 'null'], 'maxLength': 255}
_string_map = {'type': ['object', 'null'],
               'additionalProperties': {'type': 'string',
                                        'maxLength': 4096}}
NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.-]+$'
_name = {'type': 'string', 'minLength': 2, 'maxLength': 255,
         'pattern': NAME_PATTERN}
_memory = {'type': ['string', 'integer'], 'pattern': '^[0-9]+$',
           'minimum': 4, 'maximum': 8192}
_cpu = {'type': ['string', 'number'], 'pattern': r'^[0-9]*\.?[0-9]+$',
        'minimum': 0.1, 'maximum': 16}
_command_list = {'type': ['array', 'null'],
                 'items': {'type': 'string', 'maxLength': 4096}}
_restart_policy = {
    'type': ['object', 'null'],
    'properties': {
        'Name': {'type': 'string',
                 'enum': ['no', 'on-failure', 'always', 'unless-stopped']},
        'MaximumRetryCount': {'type': ['string', 'integer'],
                              'pattern': '^[0-9]+$'},
    },
    'additionalProperties': False,
}
_healthcheck = {
    'type': ['object', 'null'],
    'properties': {
        'cmd': {'type': 'string'},
        'test': {'type': 'string'},
        'interval': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$'},
        'retries': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$'},
        'timeout': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$'},
    },
    'additionalProperties': False,
}

# As python-zunclient sends them: a source (an existing volume) or a size
# (a new one, GiB as a string), and where it goes. Checked further in
# snapzun.volume.api, with messages that say what is wrong.
_mount = {
    'type': 'object',
    'properties': {
        'type': {'type': ['string', 'null'], 'enum': ['volume', 'bind', None]},
        # No length limit: a bind mount's source is a whole file, which
        # gets its own "not supported" answer.
        'source': {'type': ['string', 'null']},
        'destination': {'type': 'string', 'maxLength': 255},
        'size': {'type': ['string', 'integer', 'null']},
    },
    'required': ['destination'],
    'additionalProperties': False,
}

_CREATE_BASE = {
    'type': 'object',
    'properties': {
        'name': _name,
        'image': {'type': 'string', 'minLength': 1, 'maxLength': 255},
        'command': {'type': ['string', 'null'], 'maxLength': 4096},
        'cpu': _cpu,
        'memory': _memory,
        'workdir': _nullable_string,
        'image_pull_policy': {'type': ['string', 'null'],
                              'enum': ['always', 'never', 'ifnotpresent',
                                       None]},
        'image_driver': {'type': ['string', 'null'],
                         'enum': ['docker', 'glance', None]},
        'labels': _string_map,
        'environment': _string_map,
        'restart_policy': _restart_policy,
        'interactive': _boolean,
        'tty': _boolean,
        'auto_heal': _boolean,
        'hints': {'type': ['object', 'null']},
        'nets': {'type': ['array', 'null'], 'maxItems': 0},
        'security_groups': {'type': ['array', 'null'],
                            'items': {'type': 'string'}},
        'availability_zone': _nullable_string,
        'disk': {'type': ['integer', 'null']},
        'cpu_policy': {'type': ['string', 'null'],
                       'enum': ['shared', None]},
    },
    'required': ['image'],
    'additionalProperties': False,
}

# Fields each microversion adds to the create body.
_CREATE_ADDITIONS = (
    (versions.MINOR_AUTO_REMOVE, {'auto_remove': _boolean}),
    (versions.MINOR_RUNTIME, {'runtime': _nullable_string}),
    (versions.MINOR_HOSTNAME, {'hostname': {
        'type': ['string', 'null'], 'minLength': 2, 'maxLength': 63}}),
    (versions.MINOR_MOUNTS, {'mounts': {'type': ['array', 'null'],
                                        'items': _mount}}),
    (versions.MINOR_COMMAND_LIST, {'command': _command_list}),
    (versions.MINOR_PRIVILEGED, {'privileged': _boolean}),
    (versions.MINOR_HEALTHCHECK, {'healthcheck': _healthcheck}),
    (versions.MINOR_EXPOSED_PORTS, {'exposed_ports': {
        'type': ['object', 'null'],
        'additionalProperties': {'type': 'object'}}}),
    (versions.MINOR_REGISTRY, {'registry': _nullable_string}),
    (versions.MINOR_REQUESTED_HOST, {'host': _nullable_string}),
    (versions.MINOR_ENTRYPOINT, {'entrypoint': _command_list}),
)


def create(version):
    """The create body's schema at ``version``."""
    schema = copy.deepcopy(_CREATE_BASE)
    for minor, fields in _CREATE_ADDITIONS:
        if version[1] >= minor:
            schema['properties'].update(fields)
    return schema


create_query = {
    'type': 'object',
    'properties': {'run': _boolean},
    'additionalProperties': False,
}

update = {
    'type': 'object',
    'properties': {'name': _name, 'cpu': _cpu, 'memory': _memory,
                   'auto_heal': _boolean},
    'additionalProperties': False,
    'minProperties': 1,
}

list_query = {
    'type': 'object',
    'properties': {
        'limit': {'type': 'integer', 'minimum': 1},
        'marker': {'type': 'string', 'maxLength': 36},
        'sort_key': {'type': 'string'},
        'sort_dir': {'type': 'string', 'enum': ['asc', 'desc']},
        'all_projects': _boolean,
        'name': {'type': 'string'},
        'image': {'type': 'string'},
        'project_id': {'type': 'string'},
        'user_id': {'type': 'string'},
        'task_state': {'type': 'string'},
        'status': {'type': 'string'},
        'memory': {'type': 'string'},
        'host': {'type': 'string'},
        'auto_remove': _boolean,
    },
    'additionalProperties': False,
}

show_query = {
    'type': 'object',
    'properties': {'all_projects': _boolean},
    'additionalProperties': False,
}

delete_query = {
    'type': 'object',
    'properties': {'force': _boolean, 'stop': _boolean,
                   'all_projects': _boolean},
    'additionalProperties': False,
}

no_params = {'type': 'object', 'additionalProperties': False}

timeout_params = {
    'type': 'object',
    'properties': {'timeout': {'type': 'integer', 'minimum': 0}},
    'additionalProperties': False,
}

_SIGNALS = sorted({s.name for s in signal.Signals} |
                  {s.name[3:] for s in signal.Signals} |
                  {s.name.lower() for s in signal.Signals} |
                  {s.name[3:].lower() for s in signal.Signals} |
                  {str(s.value) for s in signal.Signals})

kill_params = {
    'type': 'object',
    'properties': {'signal': {'type': ['string', 'null'],
                              'enum': _SIGNALS + [None]}},
    'additionalProperties': False,
}

logs_params = {
    'type': 'object',
    'properties': {
        'stdout': _boolean,
        'stderr': _boolean,
        'timestamps': _boolean,
        'tail': {'type': ['string', 'integer'], 'pattern': '^(all|[0-9]+)$',
                 'minimum': 0},
        'since': {'type': ['string', 'integer', 'null'],
                  'pattern': r'^([0-9]+|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
                             r'(,\d{1,6})?)$',
                  'minimum': 0},
    },
    'additionalProperties': False,
}

execute_params = {
    'type': 'object',
    'properties': {
        'command': {'type': 'string', 'minLength': 1, 'maxLength': 65536},
        'run': _boolean,
        'interactive': _boolean,
    },
    'required': ['command'],
    'additionalProperties': False,
}

top_params = {
    'type': 'object',
    'properties': {'ps_args': {'type': ['string', 'null'],
                               'pattern': '^[a-zA-Z0-9 ,+-]*$'}},
    'additionalProperties': False,
}

# Docker's reference grammar: [registry[:port]/]path, lower-case path
# components separated by '.', '_', '__' or dashes.
_PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
REPOSITORY_PATTERN = (f'^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?{_PATH_COMPONENT}'
                      f'(?:/{_PATH_COMPONENT})*$')
TAG_PATTERN = r'^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$'

commit_params = {
    'type': 'object',
    'properties': {
        'repository': {'type': 'string', 'maxLength': 255,
                       'pattern': REPOSITORY_PATTERN},
        'tag': {'type': ['string', 'null'], 'pattern': TAG_PATTERN},
        # The container-snapshot spec's body: {"image-name": "repo[:tag]"}
        'image-name': {'type': 'string', 'maxLength': 384},
    },
    'oneOf': [{'required': ['repository']}, {'required': ['image-name']}],
    'additionalProperties': False,
}
