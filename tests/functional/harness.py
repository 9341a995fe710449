"""Real services for functional tests: Docker engines and snapzun processes.

Everything started here is stopped here, by PID, with bounded waits.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import docker
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DOCKER_HOST_SCRIPT = os.path.join(ROOT, 'tools', 'docker-host.sh')
BIN = os.path.dirname(sys.executable)
BASE_IMAGE = 'snapzun/busybox:latest'
MICROVERSION = 'container 1.40'


def wait_for(predicate, timeout, interval=0.1, what='condition'):
    """Poll ``predicate`` until it returns a true value; fail at timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out after {timeout}s waiting for '
                                 f'{what}')
        time.sleep(interval)


def free_port():
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class DockerHost:
    """A dockerd of its own (socket, data-root, exec-root): one 'host'."""

    def __init__(self, name, hosts_dir):
        self.name = name
        self.env = dict(os.environ, SNAPZUN_HOSTS_DIR=hosts_dir)
        self.socket = os.path.join(hosts_dir, name, 'docker.sock')
        self.url = f'unix://{self.socket}'
        self._client = None

    def _script(self, action):
        subprocess.run([DOCKER_HOST_SCRIPT, action, self.name], check=True,
                       env=self.env, timeout=300)

    def start(self):
        self._script('start')

    def stop(self):
        if self._client is not None:
            self._client.close()
        self._script('stop')

    @property
    def client(self):
        if self._client is None:
            self._client = docker.DockerClient(base_url=self.url, timeout=60)
        return self._client

    def managed_containers(self):
        return self.client.containers.list(
            all=True, filters={'label': 'snapzun.uuid'})

    def remove_managed(self):
        for container in self.managed_containers():
            container.remove(force=True)


class SnapzunProcess:
    """One snapzun binary (snapzun-all by default) with its own config."""

    def __init__(self, workdir, host_name, docker_url, port=None,
                 binary='snapzun-all', options=None):
        """:param options: {(group, option): value} added to the config."""
        self.workdir = workdir
        self.binary = binary
        self.port = port or free_port()
        self.config = os.path.join(workdir, f'{binary}.conf')
        self.log = os.path.join(workdir, f'{binary}.log')
        os.makedirs(workdir, exist_ok=True)
        settings = {
            ('DEFAULT', 'host'): host_name,
            ('DEFAULT', 'state_path'): os.path.join(workdir, 'state'),
            ('api', 'host_ip'): '127.0.0.1',
            ('api', 'port'): self.port,
            ('docker', 'api_url'): docker_url,
            ('compute', 'sync_interval'): 1,
            ('compute', 'report_interval'): 1,
            ('compute', 'service_down_time'): 5,
        }
        settings.update(options or {})
        with open(self.config, 'w') as f:
            for group in dict.fromkeys(g for g, _ in settings):
                f.write(f'[{group}]\n')
                for (g, option), value in settings.items():
                    if g == group:
                        f.write(f'{option} = {value}\n')
        self.proc = None

    @property
    def endpoint(self):
        return f'http://127.0.0.1:{self.port}'

    def start(self, wait=True):
        log = open(self.log, 'ab')
        self.proc = subprocess.Popen(
            [os.path.join(BIN, self.binary), '--config-file', self.config],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        if wait and self.binary in ('snapzun-all', 'snapzun-api'):
            wait_for(self._answers, 60, 0.1, f'{self.binary} to answer')

    def _answers(self):
        if self.proc.poll() is not None:
            raise AssertionError(f'{self.binary} exited with '
                                 f'{self.proc.returncode}; see {self.log}')
        try:
            return requests.get(self.endpoint, timeout=2).ok
        except requests.ConnectionError:
            return False

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            raise AssertionError(f'{self.binary} ignored {sig} for '
                                 f'{timeout}s') from None

    def kill(self):
        self.stop(signal.SIGKILL)


class Api:
    """A thin HTTP client of the snapzun API."""

    def __init__(self, endpoint, version=MICROVERSION, headers=None,
                 image_driver=None):
        """:param image_driver: what create asks for unless told."""
        self.endpoint = endpoint
        self.image_driver = image_driver
        self.session = requests.Session()
        self.session.headers['OpenStack-API-Version'] = version
        self.session.headers.update(headers or {})

    def request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', 90)
        return self.session.request(method, self.endpoint + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.request('POST', path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request('PATCH', path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def create(self, run=True, **body):
        body.setdefault('image', BASE_IMAGE)
        if self.image_driver:
            body.setdefault('image_driver', self.image_driver)
        response = self.post('/v1/containers', params={'run': run},
                             json=body)
        assert response.status_code == 202, response.text
        return response.json()

    def show(self, ident):
        response = self.get(f'/v1/containers/{ident}')
        assert response.status_code == 200, response.text
        return response.json()

    def wait_status(self, ident, status, timeout=60):
        def reached():
            container = self.show(ident)
            if (container['status'] == status and
                    container['task_state'] is None):
                return container
            if container['status'] == 'Error' and status != 'Error':
                raise AssertionError(f'container went to Error: '
                                     f'{container["status_reason"]}')
            return None
        return wait_for(reached, timeout, 0.1, f'{ident} to be {status}')

    def wait_gone(self, ident, timeout=60):
        wait_for(lambda: self.get(f'/v1/containers/{ident}').status_code
                 == 404, timeout, 0.1, f'{ident} to be deleted')

    def action(self, ident, action, **params):
        return self.post(f'/v1/containers/{ident}/{action}', params=params)


def error_of(response):
    """The (title) of Zun's error body, asserting its shape."""
    body = response.json()
    error = body['errors'][0]
    assert error['status'] == response.status_code
    assert error['title'] and error['detail'] and error['code']
    return error['title']
