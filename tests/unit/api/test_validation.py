"""Query strings and JSON bodies checked against JSON Schema."""

import pytest
import webob

from snapzun import exception
from snapzun.api import validation
from snapzun.api.schemas import containers as schema

SCHEMA = {
    'type': 'object',
    'properties': {
        'flag': {'type': 'boolean'},
        'count': {'type': 'integer', 'minimum': 0},
        'maybe': {'type': ['string', 'null']},
        'size': {'type': ['string', 'integer'], 'pattern': '^[0-9]+$'},
        'name': {'type': 'string'},
    },
    'additionalProperties': False,
}


@pytest.mark.parametrize('raw, value', [
    ('True', True), ('true', True), ('1', True), ('yes', True),
    ('False', False), ('false', False), ('0', False), ('off', False),
])
def test_coerce_booleans(raw, value):
    assert validation.coerce(SCHEMA, {'flag': raw}) == {'flag': value}


def test_coerce_leaves_a_non_boolean_for_validation_to_refuse():
    coerced = validation.coerce(SCHEMA, {'flag': 'maybe'})

    assert coerced == {'flag': 'maybe'}
    with pytest.raises(exception.ValidationError) as raised:
        validation.validate(SCHEMA, coerced)
    assert 'flag' in str(raised.value)


@pytest.mark.parametrize('raw, value', [
    ('10', 10), ('0', 0), ('-3', -3), ('ten', 'ten'), ('1.5', '1.5'),
])
def test_coerce_integers(raw, value):
    assert validation.coerce(SCHEMA, {'count': raw}) == {'count': value}


@pytest.mark.parametrize('raw', ['None', 'none', 'null'])
def test_coerce_none_strings_where_null_is_allowed(raw):
    assert validation.coerce(SCHEMA, {'maybe': raw}) == {'maybe': None}
    assert validation.coerce(SCHEMA, {'name': raw}) == {'name': raw}


def test_coerce_passes_non_strings_and_unknown_keys_through():
    params = {'flag': True, 'count': 3, 'other': '1'}

    assert validation.coerce(SCHEMA, params) == params


def test_checked_params_coerce_then_validate():
    assert validation.checked_params(
        schema.list_query, {'limit': '5', 'all_projects': 'True',
                            'sort_dir': 'desc'}) == {
        'limit': 5, 'all_projects': True, 'sort_dir': 'desc'}


@pytest.mark.parametrize('params, words', [
    ({'count': -1}, 'Invalid input for field/attribute count. Value: -1.'),
    ({'bogus': 1}, "Invalid input: Additional properties are not allowed "
                   "('bogus' was unexpected)"),
    ({'size': 'big'}, 'field/attribute size'),
    ({'name': 7}, "Value: 7. 7 is not of type 'string'"),
])
def test_validate_names_the_field(params, words):
    with pytest.raises(exception.ValidationError) as raised:
        validation.validate(SCHEMA, params)
    assert words in str(raised.value)
    assert raised.value.code == 400


def test_validate_returns_valid_data():
    assert validation.validate(SCHEMA, {'count': 2}) == {'count': 2}


def _request(method='POST', body=b'', content_type='application/json',
             query=''):
    request = webob.Request.blank(f'/v1/containers{query}', method=method)
    if body:
        request.body = body
        request.content_type = content_type
    return request


def test_request_params_merges_query_and_body():
    request = _request(body=b'{"timeout": 5}', query='?signal=KILL')

    assert validation.request_params(request) == {'signal': 'KILL',
                                                  'timeout': 5}


def test_request_params_ignore_the_body_of_a_get():
    request = _request(method='GET', query='?limit=1')
    request.body = b'not json'

    assert validation.request_params(request) == {'limit': '1'}


def test_request_params_without_a_body():
    assert validation.request_params(_request(query='?stop=True')) == {
        'stop': 'True'}


@pytest.mark.parametrize('body, words', [
    (b'{not json', 'not valid JSON'),
    (b'[1, 2]', 'must be a JSON object'),
    (b'"text"', 'must be a JSON object'),
    (b'null', 'must be a JSON object'),
])
def test_malformed_bodies(body, words):
    with pytest.raises(exception.MalformedRequestBody) as raised:
        validation.request_params(_request(body=body))
    assert words in str(raised.value)
    assert raised.value.code == 400


def test_a_body_of_another_media_type_is_refused():
    with pytest.raises(exception.UnsupportedMediaType) as raised:
        validation.json_body(_request(body=b'image=x',
                                      content_type='text/plain'))
    assert raised.value.code == 415
