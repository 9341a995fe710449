"""In-process RPC for snapzun-all: ``transport_url = local://``.

oslo.messaging's fake driver passes messages in memory but its listeners
look for new ones every 50 ms, which adds up to 50 ms to every hop. This
driver wakes a listener as soon as a message is queued for any listener.
"""

import threading
import time

from oslo_messaging._drivers import base
from oslo_messaging._drivers import impl_fake

# Held while queueing a message and while a listener checks its queues,
# so a listener cannot miss the wake-up for a message queued meanwhile.
_QUEUED = threading.Condition()

# A listener re-checks at least this often, e.g. to notice it was stopped.
_MAX_WAIT = 0.5


class _Listener(impl_fake.FakeListener):

    def _take(self):
        for target in self._targets:
            exchange = self._exchange_manager.get_exchange(target.exchange)
            ctxt, message, reply_q, requeue = exchange.poll(target,
                                                            self._pool)
            if message is not None:
                return impl_fake.FakeIncomingMessage(ctxt, message, reply_q,
                                                     requeue)
        return None

    @base.batch_poll_helper
    def poll(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        with _QUEUED:
            while not self._stopped.is_set():
                message = self._take()
                if message is not None:
                    return message
                wait = _MAX_WAIT
                if deadline is not None:
                    wait = min(wait, deadline - time.monotonic())
                    if wait <= 0:
                        return None
                _QUEUED.wait(wait)
        return None

    def stop(self):
        super().stop()
        with _QUEUED:
            _QUEUED.notify_all()


class _Exchange(impl_fake.FakeExchange):

    def deliver_message(self, *args, **kwargs):
        with _QUEUED:
            super().deliver_message(*args, **kwargs)
            _QUEUED.notify_all()


class _ExchangeManager(impl_fake.FakeExchangeManager):
    _exchanges_lock = threading.Lock()
    _exchanges = {}

    def get_exchange(self, name):
        name = name or self._default_exchange
        with self._exchanges_lock:
            return self._exchanges.setdefault(name, _Exchange(name))


class LocalDriver(impl_fake.FakeDriver):
    """The fake driver's queues with immediate wake-up of listeners."""

    def __init__(self, conf, url, default_exchange=None,
                 allowed_remote_exmods=None):
        super().__init__(conf, url, default_exchange, allowed_remote_exmods)
        self._exchange_manager = _ExchangeManager(default_exchange)

    def listen(self, target, batch_size, batch_timeout):
        exchange = target.exchange or self._default_exchange
        listener = _Listener(self._exchange_manager, [
            target.__class__(topic=target.topic, server=target.server,
                             exchange=exchange),
            target.__class__(topic=target.topic, exchange=exchange)])
        return base.PollStyleListenerAdapter(listener, batch_size,
                                             batch_timeout)
