"""Choosing the compute host a new container lands on."""

import random

from oslo_config import cfg

from snapzun import exception
from snapzun.db import api as db_api

CONF = cfg.CONF

COMPUTE_BINARY = 'snapzun-compute'


def live_compute_hosts(context):
    down_time = CONF.compute.service_down_time
    return [s.host for s in db_api.service_list(context, COMPUTE_BINARY)
            if not s.disabled and db_api.service_is_up(s, down_time)]


def choose_host(context, requested_host=None):
    """The live compute host with the fewest containers.

    :raises: NoValidHost
    """
    hosts = live_compute_hosts(context)
    if requested_host is not None:
        if requested_host not in hosts:
            raise exception.NoValidHost(
                reason=f'host {requested_host} is not a live compute host')
        return requested_host
    if not hosts:
        raise exception.NoValidHost(reason='no compute host is up')
    load = db_api.container_count_by_host(context)
    fewest = min(load.get(h, 0) for h in hosts)
    return random.choice([h for h in hosts if load.get(h, 0) == fewest])
