"""Reading and checking request input against JSON Schema.

Query strings carry only strings; ``coerce`` turns them into the types a
schema asks for, so one schema checks a parameter whether it came in the
query string (python-zunclient) or in a JSON body (tempest).
"""

import json

import jsonschema
from oslo_utils import strutils

from snapzun import exception

_NONE_STRINGS = ('None', 'none', 'null')


def request_params(request):
    """The query string merged with the JSON object in the body, if any.

    :raises: MalformedRequestBody
    """
    params = dict(request.GET.items())
    if request.method != 'GET' and request.body:
        params.update(json_body(request))
    return params


def json_body(request):
    """:raises: MalformedRequestBody, UnsupportedMediaType"""
    if request.content_type not in ('application/json', '',
                                    'application/octet-stream'):
        raise exception.UnsupportedMediaType(
            content_type=request.content_type)
    try:
        body = json.loads(request.body)
    except ValueError as e:
        raise exception.MalformedRequestBody(
            reason=f'not valid JSON: {e}') from e
    if not isinstance(body, dict):
        raise exception.MalformedRequestBody(
            reason='the body must be a JSON object')
    return body


def _types(schema):
    kind = schema.get('type', [])
    return [kind] if isinstance(kind, str) else kind


def coerce(schema, params):
    """Query-string values converted to the types ``schema`` names.

    A value that does not convert is left alone for validation to refuse.
    """
    props = schema.get('properties', {})
    result = dict(params)
    for key, value in params.items():
        if not isinstance(value, str) or key not in props:
            continue
        kinds = _types(props[key])
        if 'null' in kinds and value in _NONE_STRINGS:
            result[key] = None
        elif 'boolean' in kinds:
            try:
                result[key] = strutils.bool_from_string(value, strict=True)
            except ValueError:
                pass
        elif 'integer' in kinds and value.lstrip('-').isdigit():
            result[key] = int(value)
    return result


def validate(schema, data):
    """:raises: ValidationError naming the field and what is wrong."""
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return data
    if error.validator == 'additionalProperties':
        detail = f'Invalid input: {error.message}'
    elif error.path:
        field = '/'.join(str(p) for p in error.path)
        detail = (f'Invalid input for field/attribute {field}. '
                  f'Value: {error.instance!r}. {error.message}')
    else:
        detail = f'Invalid input: {error.message}'
    raise exception.ValidationError(detail=detail)


def checked_params(schema, params):
    return validate(schema, coerce(schema, params))
