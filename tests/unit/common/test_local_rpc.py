"""The local:// oslo.messaging driver: a real RPC server and client."""

import statistics
import threading
import time

from oslo_config import cfg
import oslo_messaging as messaging
import pytest

from snapzun.common import local_rpc

CONF = cfg.CONF
TOPIC = 'local-rpc-test'
# oslo.messaging's fake driver polls every 50 ms; local:// must not.
FAKE_DRIVER_POLL = 0.05


class Endpoint:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.casts = []
        self.cast_done = threading.Event()

    def echo(self, ctxt, value):
        return {'echo': value}

    def remember(self, ctxt, value):
        self.casts.append(value)
        self.cast_done.set()


@pytest.fixture
def transport():
    transport = messaging.get_rpc_transport(CONF, url='local://')
    yield transport
    transport.cleanup()


@pytest.fixture
def endpoint():
    return Endpoint()


@pytest.fixture
def topic(request):
    # A topic per test, so no test sees messages another one left behind.
    return f'{TOPIC}-{request.node.name}'


@pytest.fixture
def server(transport, endpoint, topic):
    target = messaging.Target(topic=topic, server='host-1')
    server = messaging.get_rpc_server(transport, target, [endpoint],
                                      executor='threading')
    server.start()
    yield server
    server.stop()
    server.wait()


@pytest.fixture
def client(transport, server, topic):
    target = messaging.Target(topic=topic, version='1.0')
    return messaging.get_rpc_client(transport, target).prepare(
        server='host-1', timeout=10)


def test_local_url_loads_the_local_driver(transport):
    assert isinstance(transport._driver, local_rpc.LocalDriver)


def test_a_call_is_answered(client):
    assert client.call({}, 'echo', value='ping') == {'echo': 'ping'}


def test_a_cast_is_delivered(client, endpoint):
    client.cast({}, 'remember', value=42)

    assert endpoint.cast_done.wait(5)
    assert endpoint.casts == [42]


def test_a_call_does_not_wait_for_a_poll(client):
    client.call({}, 'echo', value='warm-up')
    durations = []
    for i in range(20):
        started = time.monotonic()
        assert client.call({}, 'echo', value=i) == {'echo': i}
        durations.append(time.monotonic() - started)

    assert statistics.median(durations) < FAKE_DRIVER_POLL * 0.4


def test_a_cast_is_delivered_without_waiting_for_a_poll(client, endpoint):
    client.call({}, 'echo', value='warm-up')
    durations = []
    for i in range(10):
        endpoint.cast_done.clear()
        started = time.monotonic()
        client.cast({}, 'remember', value=i)
        assert endpoint.cast_done.wait(5)
        durations.append(time.monotonic() - started)

    assert endpoint.casts == list(range(10))
    assert statistics.median(durations) < FAKE_DRIVER_POLL * 0.4


def test_stopping_an_idle_server_returns_promptly(transport, endpoint):
    target = messaging.Target(topic=f'{TOPIC}-stop', server='host-1')
    server = messaging.get_rpc_server(transport, target, [endpoint],
                                      executor='threading')
    server.start()
    # Let the listener settle into its wait for messages.
    time.sleep(0.1)

    started = time.monotonic()
    server.stop()
    server.wait()

    # Well under a listener's longest sleep: stop wakes it up.
    assert time.monotonic() - started < local_rpc._MAX_WAIT


def test_stopping_a_server_that_served_returns_in_bounded_time(transport,
                                                               endpoint):
    target = messaging.Target(topic=f'{TOPIC}-stop-busy', server='host-1')
    server = messaging.get_rpc_server(transport, target, [endpoint],
                                      executor='threading')
    server.start()
    client = messaging.get_rpc_client(
        transport, messaging.Target(topic=target.topic, version='1.0'))
    assert client.prepare(server='host-1', timeout=10).call(
        {}, 'echo', value=1) == {'echo': 1}

    started = time.monotonic()
    server.stop()
    stopped = time.monotonic() - started
    server.wait()
    waited = time.monotonic() - started

    # stop() wakes the listener at once; wait() also lets the executor's
    # idle worker thread notice the shutdown (futurist: up to 1 s).
    assert stopped < local_rpc._MAX_WAIT
    assert waited < 3
