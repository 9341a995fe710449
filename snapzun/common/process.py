"""Running a process's services until it is told to stop."""

import signal
import threading

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def run_until_signalled(services):
    """Start ``services``; stop them all on SIGTERM or SIGINT.

    A service with an ``is_alive()`` that turns false stops the process.

    :returns: 0 after a signal, 1 if a service died.
    """
    stopping = threading.Event()

    def _stop(signum, frame):
        LOG.info('Signal %s received, stopping', signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    started = []
    try:
        for service in services:
            service.start()
            started.append(service)
        while not stopping.wait(1):
            dead = [s for s in started
                    if hasattr(s, 'is_alive') and not s.is_alive()]
            if dead:
                LOG.error('%s stopped unexpectedly', dead[0])
                return 1
        return 0
    finally:
        for service in reversed(started):
            try:
                service.stop()
            except Exception:
                LOG.exception('Failed to stop %s', service)
