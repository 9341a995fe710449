"""JSON Schemas of volume requests."""

from snapzun.api.schemas import containers
from snapzun.volume import driver

_boolean = {'type': 'boolean'}

create = {
    'type': 'object',
    'properties': {
        'name': {'type': ['string', 'null'], 'minLength': 2,
                 'maxLength': 255, 'pattern': containers.NAME_PATTERN},
        # Range checked in code, against [volume] max_size_gb.
        'size': {'type': ['integer', 'string']},
        'driver': {'type': ['string', 'null'],
                   'enum': list(driver.driver_names()) + [None]},
    },
    'required': ['size'],
    'additionalProperties': False,
}

list_query = {
    'type': 'object',
    'properties': {'all_projects': _boolean},
    'additionalProperties': False,
}

show_query = list_query
delete_query = list_query
