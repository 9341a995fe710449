"""API microversions: ``OpenStack-API-Version: container X.Y``.

History (one line a bump; each is a constant below):

* 1.1 - Initial version, as Zun's.
* 1.3 - ``auto_remove`` on create.
* 1.5 - ``runtime`` on create.
* 1.7 - ``force`` on delete.
* 1.9 - ``hostname`` on create.
* 1.11 - ``mounts`` on create.
* 1.12 - ``stop`` on delete.
* 1.14 - ``rename`` removed (use PATCH).
* 1.20 - ``command`` is a list, not a string.
* 1.21 - ``privileged`` on create.
* 1.22 - ``healthcheck`` on create.
* 1.24 - ``exposed_ports`` on create.
* 1.31 - ``registry`` on create.
* 1.39 - ``host`` on create.
* 1.40 - ``entrypoint`` on create.
"""

import re

from snapzun import exception

SERVICE_TYPE = 'container'
HEADER = 'OpenStack-API-Version'
MIN_HEADER = 'OpenStack-API-Minimum-Version'
MAX_HEADER = 'OpenStack-API-Maximum-Version'

MINOR_AUTO_REMOVE = 3
MINOR_RUNTIME = 5
MINOR_DELETE_FORCE = 7
MINOR_HOSTNAME = 9
MINOR_MOUNTS = 11
MINOR_DELETE_STOP = 12
MINOR_COMMAND_LIST = 20
MINOR_PRIVILEGED = 21
MINOR_HEALTHCHECK = 22
MINOR_EXPOSED_PORTS = 24
MINOR_REGISTRY = 31
MINOR_REQUESTED_HOST = 39
MINOR_ENTRYPOINT = 40

MIN_VERSION = (1, 1)
MAX_VERSION = (1, MINOR_ENTRYPOINT)

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


def to_string(version):
    return '%d.%d' % version


def parse(header_value):
    """The version a request asks for.

    :param header_value: the raw header, or None.
    :returns: (major, minor)
    :raises: VersionNotAcceptable
    """
    if not header_value:
        return MIN_VERSION
    for part in header_value.split(','):
        service, _, wanted = part.strip().partition(' ')
        if service.lower() == SERVICE_TYPE:
            break
    else:
        return MIN_VERSION
    wanted = wanted.strip()
    if wanted == 'latest':
        return MAX_VERSION
    match = _VERSION_RE.match(wanted)
    version = (int(match.group(1)), int(match.group(2))) if match else None
    if version is None or not MIN_VERSION <= version <= MAX_VERSION:
        raise exception.VersionNotAcceptable(
            version=wanted, min_version=to_string(MIN_VERSION),
            max_version=to_string(MAX_VERSION))
    return version


def response_headers(version):
    headers = {MIN_HEADER: f'{SERVICE_TYPE} {to_string(MIN_VERSION)}',
               MAX_HEADER: f'{SERVICE_TYPE} {to_string(MAX_VERSION)}',
               'Vary': HEADER}
    if version is not None:
        headers[HEADER] = f'{SERVICE_TYPE} {to_string(version)}'
    return headers
