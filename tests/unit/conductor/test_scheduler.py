"""Placement of new containers, and the conductor that applies it."""

import pytest

from snapzun import exception
from snapzun.common import states
from snapzun.conductor import manager as conductor_manager
from snapzun.conductor import scheduler
from snapzun.db import api as db_api
from tests.unit import fakes


@pytest.fixture
def admin(db):
    return fakes.admin_context()


def _load(ctx, host, count):
    for _ in range(count):
        fakes.make_container(ctx, host=host)


def test_picks_the_least_loaded_live_host(admin):
    for host, load in (('busy', 3), ('quiet', 1), ('middling', 2)):
        fakes.make_service(host)
        _load(admin, host, load)

    assert scheduler.choose_host(admin) == 'quiet'


def test_a_host_without_containers_is_the_least_loaded(admin):
    fakes.make_service('busy')
    _load(admin, 'busy', 1)
    fakes.make_service('empty')

    assert scheduler.choose_host(admin) == 'empty'


def test_ties_go_to_any_of_the_least_loaded(admin):
    for host in ('h1', 'h2', 'h3'):
        fakes.make_service(host)
    _load(admin, 'h3', 1)

    chosen = {scheduler.choose_host(admin) for _ in range(40)}

    assert chosen <= {'h1', 'h2'}
    assert chosen


def test_skips_down_disabled_and_forced_down_hosts(admin, conf):
    conf.set('service_down_time', 60, group='compute')
    fakes.make_service('loaded')
    _load(admin, 'loaded', 5)
    fakes.make_service('down', seconds_ago=61)
    fakes.make_service('disabled', disabled=True)
    fakes.make_service('forced', forced_down=True)
    fakes.make_service('conductor-only', binary='snapzun-conductor')

    assert scheduler.live_compute_hosts(admin) == ['loaded']
    assert scheduler.choose_host(admin) == 'loaded'


def test_a_requested_live_host_is_chosen_whatever_its_load(admin):
    fakes.make_service('loaded')
    _load(admin, 'loaded', 5)
    fakes.make_service('empty')

    assert scheduler.choose_host(admin, 'loaded') == 'loaded'


@pytest.mark.parametrize('requested', ['down', 'disabled', 'unknown'])
def test_a_requested_host_must_be_live(admin, requested):
    fakes.make_service('up')
    fakes.make_service('down', seconds_ago=3600)
    fakes.make_service('disabled', disabled=True)

    with pytest.raises(exception.NoValidHost) as raised:
        scheduler.choose_host(admin, requested)
    assert requested in str(raised.value)


def test_no_valid_host_without_live_compute_hosts(admin):
    fakes.make_service('down', seconds_ago=3600)

    with pytest.raises(exception.NoValidHost) as raised:
        scheduler.choose_host(admin)
    assert raised.value.code == 503


# The conductor

def test_conductor_places_then_asks_the_host_to_create(db, fake_rpc):
    ctx = fakes.context()
    fakes.make_service('h1')
    container = fakes.make_container(ctx, host=None, status=states.CREATING)

    conductor_manager.ConductorManager().schedule_and_create(
        ctx, container.uuid, run=True)

    assert db_api.container_get(ctx, container.uuid).host == 'h1'
    [sent] = fake_rpc.messages
    assert (sent.topic, sent.server, sent.method, sent.kwargs) == (
        'snapzun-compute', 'h1', 'container_create',
        {'container_uuid': container.uuid, 'run': True})


def test_conductor_without_a_host_marks_the_container_error(db, fake_rpc):
    ctx = fakes.context()
    container = fakes.make_container(ctx, host=None, status=states.CREATING,
                                     task_state=states.CONTAINER_CREATING)
    db_api.action_start(ctx, container.uuid, 'create')

    conductor_manager.ConductorManager().schedule_and_create(
        ctx, container.uuid, run=False)

    found = db_api.container_get(ctx, container.uuid)
    assert (found.status, found.task_state) == (states.ERROR, None)
    assert 'no compute host is up' in found.status_reason
    action, _ = db_api.action_get(ctx, container.uuid, ctx.request_id)
    assert action.finish_time is not None
    assert fake_rpc.messages == []
