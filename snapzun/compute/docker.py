"""The Docker engine, through docker-py's low-level API client.

One method per engine call snapzun makes; docker-py's errors become
snapzun's by type here and nowhere else.
"""

import contextlib

import docker
from docker import errors as docker_errors
from oslo_config import cfg
import requests

from snapzun import exception

CONF = cfg.CONF

LABEL_UUID = 'snapzun.uuid'
LABEL_HOST = 'snapzun.host'
CPU_PERIOD = 100000
MiB = 1024 * 1024

# Docker's State.Status to snapzun's status.
_STATUS = {
    'created': 'Created',
    'running': 'Running',
    'paused': 'Paused',
    'restarting': 'Restarting',
    'removing': 'Deleting',
    'exited': 'Stopped',
    'dead': 'Dead',
}


def status_of(docker_state):
    """snapzun's status for a Docker state string ('running', ...)."""
    return _STATUS.get(docker_state, 'Unknown')


@contextlib.contextmanager
def translate_errors(container=None, image=None):
    try:
        yield
    except docker_errors.ImageNotFound as e:
        raise exception.ImageNotFound(image=image) from e
    except docker_errors.NotFound as e:
        if image is not None and container is None:
            raise exception.ImageNotFound(image=image) from e
        raise exception.ContainerVanished(container=container) from e
    except docker_errors.APIError as e:
        raise exception.DockerError(reason=e.explanation or str(e)) from e
    except (docker_errors.DockerException,
            requests.exceptions.RequestException) as e:
        raise exception.DockerUnavailable(reason=str(e)) from e


class DockerEngine:
    """A Docker engine, one per compute host."""

    def __init__(self, client=None):
        self._client = client

    @property
    def api(self):
        if self._client is None:
            with translate_errors():
                self._client = docker.APIClient(
                    base_url=CONF.docker.api_url,
                    version=CONF.docker.api_version,
                    timeout=CONF.docker.timeout)
        return self._client

    def ping(self):
        with translate_errors():
            return self.api.ping()

    def info(self):
        with translate_errors():
            return self.api.info()

    # Images

    def image_exists(self, ref):
        try:
            with translate_errors(image=ref):
                self.api.inspect_image(ref)
        except exception.ImageNotFound:
            return False
        return True

    def commit(self, container_id, repository, tag, labels):
        """Capture a container's filesystem as a new image.

        The engine freezes the container for the capture only and thaws
        it whatever happens.

        :returns: the new image's id.
        """
        with translate_errors(container=container_id):
            created = self.api.commit(container_id, repository=repository,
                                      tag=tag, pause=True,
                                      conf={'Labels': labels})
        return created['Id']

    def save(self, ref, chunk_size):
        """The ``docker save`` tarball of an image, as a stream of chunks."""
        with translate_errors(image=ref):
            return self.api.get_image(ref, chunk_size=chunk_size)

    def load(self, chunks):
        """``docker load`` from a stream of chunks.

        :returns: a reference to the loaded image.
        """
        loaded = None
        with translate_errors():
            for message in self.api.load_image(chunks):
                if 'error' in message:
                    raise exception.DockerError(reason=message['error'])
                stream = message.get('stream', '')
                for prefix in ('Loaded image: ', 'Loaded image ID: '):
                    if stream.startswith(prefix):
                        loaded = stream[len(prefix):].strip()
        if loaded is None:
            raise exception.DockerError(reason='docker load named no image')
        return loaded

    def tag(self, image, ref):
        repository, _, tag = ref.rpartition(':')
        with translate_errors(image=image):
            self.api.tag(image, repository, tag=tag, force=True)

    def image_size(self, ref):
        with translate_errors(image=ref):
            return self.api.inspect_image(ref)['Size']

    def remove_image(self, ref):
        """Remove an image reference; one already gone is not an error."""
        try:
            with translate_errors(image=ref):
                self.api.remove_image(ref, noprune=False)
        except exception.ImageNotFound:
            pass

    def pull(self, ref):
        repository, _, tag = ref.rpartition(':')
        if not repository or '/' in tag:
            repository, tag = ref, 'latest'
        with translate_errors(image=ref):
            self.api.pull(repository, tag=tag)

    # Containers

    def create(self, container, image_ref, mounts=None):
        """Create the engine container for a snapzun container row.

        :param mounts: [(Docker volume name, destination)] to mount.
        :returns: the engine's container id.
        """
        host_config = self.api.create_host_config(
            mounts=[docker.types.Mount(target, source, type='volume')
                    for source, target in mounts or ()] or None,
            network_mode=CONF.docker.default_network,
            mem_limit=int(container.memory) * MiB if container.memory
            else None,
            cpu_period=CPU_PERIOD if container.cpu else None,
            cpu_quota=int(container.cpu * CPU_PERIOD) if container.cpu
            else None,
            restart_policy=_restart_policy(container.restart_policy),
            privileged=bool(container.privileged))
        labels = dict(container.labels or {})
        labels[LABEL_UUID] = container.uuid
        labels[LABEL_HOST] = container.host
        with translate_errors(container=container.uuid, image=image_ref):
            created = self.api.create_container(
                image_ref, command=container.command or None,
                entrypoint=container.entrypoint or None,
                name=f'snapzun-{container.uuid}',
                hostname=container.hostname, working_dir=container.workdir,
                environment=container.environment or None, labels=labels,
                tty=bool(container.tty),
                stdin_open=bool(container.interactive),
                healthcheck=_healthcheck(container.healthcheck),
                host_config=host_config)
        return created['Id']

    def start(self, container_id):
        with translate_errors(container=container_id):
            self.api.start(container_id)

    def stop(self, container_id, timeout):
        with translate_errors(container=container_id):
            self.api.stop(container_id, timeout=timeout)

    def restart(self, container_id, timeout):
        with translate_errors(container=container_id):
            self.api.restart(container_id, timeout=timeout)

    def pause(self, container_id):
        with translate_errors(container=container_id):
            self.api.pause(container_id)

    def unpause(self, container_id):
        with translate_errors(container=container_id):
            self.api.unpause(container_id)

    def kill(self, container_id, signal=None):
        with translate_errors(container=container_id):
            self.api.kill(container_id, signal=signal)

    def remove(self, container_id, force=False):
        """Remove a container; one already gone is not an error."""
        try:
            with translate_errors(container=container_id):
                self.api.remove_container(container_id, force=force)
        except exception.ContainerVanished:
            pass

    def update(self, container_id, memory=None, cpu=None):
        kwargs = {}
        if memory is not None:
            kwargs['mem_limit'] = int(memory) * MiB
            # Docker refuses a memory limit above the current swap limit.
            kwargs['memswap_limit'] = -1
        if cpu is not None:
            kwargs['cpu_period'] = CPU_PERIOD
            kwargs['cpu_quota'] = int(cpu * CPU_PERIOD)
        with translate_errors(container=container_id):
            self.api.update_container(container_id, **kwargs)

    def inspect(self, container_id):
        with translate_errors(container=container_id):
            return self.api.inspect_container(container_id)

    # Volumes

    def volume_create(self, name, driver, options):
        """``docker volume create --driver driver --opt k=v ... name``."""
        with translate_errors():
            self.api.create_volume(name, driver=driver,
                                   driver_opts=options or None)

    def volume_exists(self, name):
        try:
            with _volume_errors(name):
                self.api.inspect_volume(name)
        except exception.DockerVolumeNotFound:
            return False
        return True

    def volume_remove(self, name):
        """Remove a Docker volume; one already gone is not an error."""
        try:
            with _volume_errors(name):
                self.api.remove_volume(name)
        except exception.DockerVolumeNotFound:
            pass

    def list_managed(self, host):
        """Summaries of this host's snapzun containers, by snapzun uuid."""
        with translate_errors():
            summaries = self.api.containers(
                all=True, filters={'label': f'{LABEL_HOST}={host}'})
        return {s['Labels'][LABEL_UUID]: s for s in summaries
                if LABEL_UUID in (s.get('Labels') or {})}

    def logs(self, container_id, stdout=True, stderr=True, timestamps=False,
             tail='all', since=None):
        with translate_errors(container=container_id):
            data = self.api.logs(container_id, stdout=stdout, stderr=stderr,
                                 timestamps=timestamps, tail=tail,
                                 since=since)
        return data.decode('utf-8', errors='replace')

    def execute(self, container_id, command):
        """Run a command to completion. :returns: (exit_code, output)"""
        with translate_errors(container=container_id):
            exec_id = self.api.exec_create(container_id, command)['Id']
            output = self.api.exec_start(exec_id)
            exit_code = self.api.exec_inspect(exec_id)['ExitCode']
        return exit_code, output.decode('utf-8', errors='replace')

    def top(self, container_id, ps_args=None):
        with translate_errors(container=container_id):
            return self.api.top(container_id, ps_args=ps_args)

    def stats(self, container_id):
        with translate_errors(container=container_id):
            return self.api.stats(container_id, stream=False)


@contextlib.contextmanager
def _volume_errors(name):
    with translate_errors():
        try:
            yield
        except docker_errors.NotFound as e:
            raise exception.DockerVolumeNotFound(name=name) from e


def _restart_policy(policy):
    if not policy or not policy.get('Name'):
        return None
    return {'Name': policy['Name'],
            'MaximumRetryCount': int(policy.get('MaximumRetryCount') or 0)}


def _healthcheck(healthcheck):
    if not healthcheck:
        return None
    seconds = 1000000000
    test = healthcheck.get('test')
    return {'test': ['CMD-SHELL', test] if isinstance(test, str) else test,
            'interval': int(healthcheck.get('interval') or 0) * seconds,
            'timeout': int(healthcheck.get('timeout') or 0) * seconds,
            'retries': int(healthcheck.get('retries') or 0)}

