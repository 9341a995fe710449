"""Docker's volume plugin protocol: JSON over HTTP on a unix socket.

Each endpoint is a POST of one JSON object; every answer carries ``Err``,
empty on success. See https://docs.docker.com/engine/extend/plugins_volume/.
"""

import http.server
import json
import os
import socket
import socketserver
import threading
import time

from oslo_log import log as logging

from snapzun import exception

LOG = logging.getLogger(__name__)

CONTENT_TYPE = 'application/vnd.docker.plugins.v1+json'
MAX_BODY = 1024 * 1024


def _name(body):
    name = body.get('Name')
    if not isinstance(name, str) or not name:
        raise exception.Invalid(reason='Name must be a non-empty string')
    return name


def _mount_id(body):
    mount_id = body.get('ID')
    if not isinstance(mount_id, str) or not mount_id:
        raise exception.Invalid(reason='ID must be a non-empty string')
    return mount_id


def _activate(plugin, body):
    return {'Implements': ['VolumeDriver']}


def _create(plugin, body):
    plugin.create(_name(body), body.get('Opts'))
    return {}


def _remove(plugin, body):
    plugin.remove(_name(body))
    return {}


def _mount(plugin, body):
    return {'Mountpoint': plugin.mount(_name(body), _mount_id(body))}


def _unmount(plugin, body):
    plugin.unmount(_name(body), _mount_id(body))
    return {}


def _path(plugin, body):
    return {'Mountpoint': plugin.path(_name(body))}


def _get(plugin, body):
    return {'Volume': plugin.get(_name(body))}


def _list(plugin, body):
    return {'Volumes': plugin.list()}


def _capabilities(plugin, body):
    return {'Capabilities': {'Scope': 'global'}}


ROUTES = {
    '/Plugin.Activate': _activate,
    '/VolumeDriver.Create': _create,
    '/VolumeDriver.Remove': _remove,
    '/VolumeDriver.Mount': _mount,
    '/VolumeDriver.Unmount': _unmount,
    '/VolumeDriver.Path': _path,
    '/VolumeDriver.Get': _get,
    '/VolumeDriver.List': _list,
    '/VolumeDriver.Capabilities': _capabilities,
}


def answer(plugin, path, raw_body):
    """(HTTP status, answer) of one request; never raises."""
    route = ROUTES.get(path)
    if route is None:
        return 404, {'Err': f'{path} is not an endpoint of this plugin'}
    try:
        body = json.loads(raw_body) if raw_body.strip() else {}
    except ValueError as e:
        return 400, {'Err': f'Malformed request body: {e}'}
    # dockerd sends "null" to endpoints that take nothing.
    body = {} if body is None else body
    if not isinstance(body, dict):
        return 400, {'Err': 'Malformed request body: not a JSON object'}
    refused = None
    try:
        result = route(plugin, body)
    except exception.SnapzunException as e:
        refused = e
    except Exception:
        LOG.exception('%s failed', path)
        return 500, {'Err': f'{path.lstrip("/")} failed unexpectedly; see '
                            'the volume plugin log'}
    if refused is not None:
        # Logged out of the except block: oslo.log would append the
        # exception once more. dockerd asks for volumes to learn whether
        # they exist: not found is no news.
        log = (LOG.debug if isinstance(refused, exception.NotFound)
               else LOG.warning)
        log('%s refused: %s', path, refused)
        return 200, {'Err': str(refused)}
    result.setdefault('Err', '')
    return 200, result


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = 'snapzun-volume-plugin'
    # Reading a request; a client that stalls frees its thread.
    timeout = 60

    def do_POST(self):
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._reply(400, {'Err': 'Content-Length must be 0 to '
                                     f'{MAX_BODY}'})
            return
        raw = self.rfile.read(length).decode('utf-8', 'replace')
        started = time.monotonic()
        status, result = answer(self.server.plugin, self.path, raw)
        LOG.debug('%s -> %s %s in %.3fs', self.path, status,
                  result.get('Err') or 'ok', time.monotonic() - started)
        self._reply(status, result)

    def _not_allowed(self):
        self._reply(405, {'Err': f'{self.command} is not allowed; plugin '
                                 'endpoints take POST'})

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = _not_allowed

    def _reply(self, status, result):
        data = json.dumps(result).encode()
        self.send_response(status)
        self.send_header('Content-Type', CONTENT_TYPE)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(data)

    def address_string(self):
        # Unix socket peers have no address.
        return 'unix'

    def log_message(self, format, *args):
        LOG.debug('%s', format % args)


def _claim_socket(path):
    """Remove a socket a dead plugin left; refuse one a live one serves."""
    if not os.path.lexists(path):
        return
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(2)
    try:
        probe.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        LOG.info('Removing stale socket %s', path)
        os.unlink(path)
        return
    except OSError as e:
        raise exception.Conflict(
            reason=f'{path} exists and cannot be probed: {e}') from e
    finally:
        probe.close()
    raise exception.Conflict(reason=f'another process serves {path}; is '
                                    'the plugin already running?')


class PluginServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """The plugin's socket, served by at most ``threads`` threads."""

    daemon_threads = True
    # stop() waits, boundedly, instead of server_close() joining forever.
    block_on_close = False

    def __init__(self, socket_path, plugin, threads=8):
        self.plugin = plugin
        self.socket_path = socket_path
        self._max_threads = threads
        self._slots = threading.BoundedSemaphore(threads)
        self._closing = threading.Event()
        self._inode = None
        self._thread = None
        os.makedirs(os.path.dirname(socket_path), mode=0o755, exist_ok=True)
        _claim_socket(socket_path)
        super().__init__(socket_path, Handler)

    def server_bind(self):
        # Whoever reaches the socket can mount any block device: root only,
        # from the moment it exists.
        umask = os.umask(0o177)
        try:
            super().server_bind()
        finally:
            os.umask(umask)
        self._inode = os.stat(self.socket_path).st_ino

    def process_request(self, request, client_address):
        # Blocking here leaves further connections in the listen backlog.
        while not self._slots.acquire(timeout=0.5):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def start(self):
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={'poll_interval': 0.2},
            name='volume-plugin', daemon=True)
        self._thread.start()
        LOG.info('Volume plugin listening on %s', self.socket_path)

    def is_alive(self):
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout=30):
        """Stop accepting, remove the socket, let requests finish."""
        if self._closing.is_set():
            return
        self._closing.set()
        if self.is_alive():
            self.shutdown()
        self._remove_socket()
        deadline = time.monotonic() + timeout
        drained = 0
        while drained < self._max_threads:
            if not self._slots.acquire(
                    timeout=max(0, deadline - time.monotonic())):
                LOG.warning('%d request(s) still running after %ss; '
                            'stopping anyway', self._max_threads - drained,
                            timeout)
                break
            drained += 1
        self.server_close()
        LOG.info('Volume plugin stopped')

    def _remove_socket(self):
        try:
            if os.stat(self.socket_path).st_ino == self._inode:
                os.unlink(self.socket_path)
        except FileNotFoundError:
            pass
