"""Periodic work on daemon threads, stoppable at once."""

import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class PeriodicTask:
    """Calls ``func`` every ``interval()`` seconds until stopped."""

    def __init__(self, name, func, interval, initial_delay=None):
        self._name = name
        self._func = func
        self._interval = interval
        self._initial_delay = initial_delay
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name,
                                        daemon=True)

    def start(self):
        self._thread.start()

    def stop(self, timeout=10):
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self):
        delay = (self._interval() if self._initial_delay is None
                 else self._initial_delay)
        while not self._stopped.wait(delay):
            try:
                self._func()
            except Exception:
                LOG.exception('Periodic task %s failed', self._name)
            delay = self._interval()
