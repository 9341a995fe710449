"""Microversion negotiation."""

import pytest

from snapzun import exception
from snapzun.api import versions


def test_bounds():
    assert versions.MIN_VERSION == (1, 1)
    assert versions.MAX_VERSION == (1, 40)
    assert versions.MAX_VERSION[1] == versions.MINOR_ENTRYPOINT


@pytest.mark.parametrize('header, version', [
    (None, (1, 1)),
    ('', (1, 1)),
    ('container latest', (1, 40)),
    ('container 1.40', (1, 40)),
    ('container 1.1', (1, 1)),
    ('container 1.20', (1, 20)),
    ('Container 1.12', (1, 12)),
    ('container   1.5 ', (1, 5)),
    ('compute 2.1, container 1.30', (1, 30)),
    ('compute 2.90', (1, 1)),
    ('compute 2.1, volume 3.0', (1, 1)),
])
def test_parse(header, version):
    assert versions.parse(header) == version


@pytest.mark.parametrize('header', [
    'container 1.41', 'container 2.0', 'container 1.0', 'container 0.9',
    'container 1', 'container 1.x', 'container 1.05', 'container',
    'container v1.2', 'container 1.2.3', 'container LATEST',
])
def test_parse_refuses(header):
    with pytest.raises(exception.VersionNotAcceptable) as raised:
        versions.parse(header)
    assert raised.value.code == 406
    assert '[1.1, 1.40]' in str(raised.value)


def test_response_headers():
    assert versions.response_headers((1, 12)) == {
        'OpenStack-API-Minimum-Version': 'container 1.1',
        'OpenStack-API-Maximum-Version': 'container 1.40',
        'OpenStack-API-Version': 'container 1.12',
        'Vary': 'OpenStack-API-Version'}
    assert 'OpenStack-API-Version' not in versions.response_headers(None)
