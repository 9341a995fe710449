"""A deployment of separate snapzun processes over the local stack."""

import os
import subprocess
import zlib

from tests.functional import harness

HOSTS = ('dep-host1', 'dep-host2')
DOWN_TIME = 6
# dockerd finds volume plugins in this one directory, shared by every
# dockerd of the machine.
PLUGIN_SOCKET_DIR = '/run/docker/plugins'


class Deployment:

    def __init__(self, stack, work_dir, docker_hosts):
        self.stack = stack
        self.docker_hosts = dict(zip(HOSTS, docker_hosts, strict=True))
        options = stack.snapzun_options()
        options[('compute', 'service_down_time')] = DOWN_TIME
        port = int(stack.environ['SNAPZUN_API_PORT'])
        self.api = harness.SnapzunProcess(
            os.path.join(work_dir, 'api'), 'dep-api', 'unix:///nowhere',
            port=port, binary='snapzun-api', options=options)
        self.conductor = harness.SnapzunProcess(
            os.path.join(work_dir, 'conductor'), 'dep-conductor',
            'unix:///nowhere', binary='snapzun-conductor', options=options)
        # One volume plugin per host, named for it (and for this run, so
        # that two runs on one machine do not take each other's sockets).
        run = f'{zlib.crc32(work_dir.encode()):08x}'
        self.plugin_names = {name: f'fuxi-{name}-{run}' for name in HOSTS}
        self.plugins = {
            name: harness.SnapzunProcess(
                os.path.join(work_dir, name, 'volume-plugin'), name,
                host.url, binary='snapzun-volume-plugin', options={
                    ('volume_plugin', 'name'): self.plugin_names[name],
                    ('volume_plugin', 'socket_dir'): PLUGIN_SOCKET_DIR})
            for name, host in self.docker_hosts.items()}
        self.computes = {
            name: harness.SnapzunProcess(
                os.path.join(work_dir, name), name, host.url,
                binary='snapzun-compute', options=options | {
                    ('volume', 'docker_volume_driver'):
                        self.plugin_names[name]})
            for name, host in self.docker_hosts.items()}

    @property
    def processes(self):
        return [*self.plugins.values(), self.conductor,
                *self.computes.values(), self.api]

    def start(self):
        subprocess.run([os.path.join(harness.BIN, 'snapzun-manage'),
                        '--config-file', self.api.config, 'db', 'sync'],
                       check=True, timeout=120)
        for process in self.processes:
            process.start()

    def stop(self):
        for process in self.processes[len(self.plugins):]:
            process.stop()
        # Containers go while the plugins still answer dockerd's Unmounts:
        # no filesystem stays mounted behind the run.
        for host in self.docker_hosts.values():
            host.remove_managed()
        for process in self.plugins.values():
            process.stop()

    def client(self, user):
        # The base image is local to each engine; Glance is the default
        # driver of this deployment.
        return harness.Api(self.api.endpoint, image_driver='docker',
                           headers={'X-Auth-Token': self.stack.token(user)})

    def wait_computes_up(self, hosts=HOSTS):
        admin = self.client('admin')

        def up():
            services = admin.get('/v1/services').json()['services']
            return {s['host'] for s in services if s['state'] == 'up' and
                    s['binary'] == 'snapzun-compute'} >= set(hosts)
        harness.wait_for(up, 30, 0.2, f'{hosts} up')

    def zun(self, user, *args):
        """The real zun CLI as ``user``; its output."""
        result = subprocess.run([os.path.join(harness.BIN, 'zun'), *args],
                                capture_output=True, text=True, timeout=120,
                                env=self.stack.cli_environ(user))
        assert result.returncode == 0, result.stderr
        # zun prints "... failed: ..." and exits 0 for several commands.
        assert 'failed' not in result.stdout.lower(), result.stdout
        return result.stdout
