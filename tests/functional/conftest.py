"""Session-wide real services for the functional tests."""

import os
import shutil
import tempfile

import pytest

from tests.functional import harness

WORK_DIR = os.environ.get('SNAPZUN_FUNCTIONAL_DIR',
                          os.path.join(tempfile.gettempdir(),
                                       'snapzun-functional'))


@pytest.fixture(scope='session')
def work_dir():
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    os.makedirs(WORK_DIR)
    return WORK_DIR


@pytest.fixture(scope='session')
def docker_host(work_dir):
    host = harness.DockerHost('ft-host1', os.path.join(work_dir, 'hosts'))
    host.start()
    yield host
    host.remove_managed()
    host.stop()


@pytest.fixture(scope='session')
def snapzun(work_dir, docker_host):
    """snapzun-all, the embedded default, on its own Docker engine."""
    process = harness.SnapzunProcess(os.path.join(work_dir, 'all'),
                                     'ft-host1', docker_host.url)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def api(snapzun):
    return harness.Api(snapzun.endpoint)


@pytest.fixture
def cleanup(api):
    """Containers a test registers here are force-deleted after it."""
    created = []
    yield created
    for uuid in created:
        if api.get(f'/v1/containers/{uuid}').status_code == 200:
            api.delete(f'/v1/containers/{uuid}',
                       params={'force': True, 'stop': True})
    for uuid in created:
        api.wait_gone(uuid)


@pytest.fixture(scope='session')
def stack(work_dir):
    """RabbitMQ, MariaDB, Keystone, Glance and Cinder on 127.0.0.1."""
    from tests.functional import stack as stack_module
    local = stack_module.Stack(os.path.join(work_dir, 'stack'),
                               harness.free_port())
    try:
        local.start()
        yield local
    finally:
        local.stop()


@pytest.fixture(scope='session')
def deployment(stack, work_dir):
    """snapzun-api, -conductor and two -compute over RabbitMQ and MariaDB."""
    from tests.functional import deployment as deployment_module
    hosts = [harness.DockerHost(name, os.path.join(work_dir, 'hosts'))
             for name in deployment_module.HOSTS]
    for host in hosts:
        host.start()
    deployed = deployment_module.Deployment(
        stack, os.path.join(work_dir, 'deployment'), hosts)
    try:
        deployed.start()
        yield deployed
    finally:
        deployed.stop()
        for host in hosts:
            host.remove_managed()
            host.stop()
