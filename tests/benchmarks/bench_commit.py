"""Commit benchmarks on the real stack (Glance, Keystone, RabbitMQ).

For containers with 10 MB, 100 MB and 1 GB of changed files, prints:
(a) how long the container stays paused during a snapzun commit, beside
    a plain ``docker commit`` of the same container;
(b) snapzun commit -> image active in Glance, beside the raw pipeline
    ``docker commit && docker save | glance image-upload``;
(c) peak RSS growth of the compute agent during the commit.

    python tests/benchmarks/bench_commit.py [--sizes 10,100,1000]
"""

import argparse
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

from tests.functional import deployment as deployment_module  # noqa: E402
from tests.functional import harness  # noqa: E402
from tests.functional import stack as stack_module  # noqa: E402

HOST = deployment_module.HOSTS[0]
CHUNK = 8 * 1024 * 1024


class RssSampler:
    """Peak resident set size of a process, sampled every 10 ms."""

    def __init__(self, pid):
        self.pid = pid
        self.peak = self.baseline = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self):
        with open(f'/proc/{self.pid}/status') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) * 1024
        return 0

    def _run(self):
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._rss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def pause_window(engine, container_id, since, until):
    """Seconds between the engine's pause and unpause events."""
    events = list(engine.events(since=since, until=until, decode=True,
                                filters={'container': container_id}))
    stamps = {e['Action']: e['timeNano'] / 1e9 for e in events
              if e.get('Action') in ('pause', 'unpause')}
    if {'pause', 'unpause'} <= set(stamps):
        return stamps['unpause'] - stamps['pause']
    return None


def raw_pipeline(engine_api, glance, container_id, name):
    """docker commit && docker save | glance image-upload, streamed."""
    start = time.perf_counter()
    image = engine_api.commit(container_id, repository=f'raw/{name}',
                              tag='latest')
    committed = time.perf_counter()
    created = glance.images.create(name=f'raw-{name}',
                                   container_format='docker',
                                   disk_format='raw')
    chunks = engine_api.get_image(image['Id'], chunk_size=CHUNK)

    class Reader:
        pending = b''

        def read(self, size=-1):
            while len(self.pending) < size:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                self.pending += chunk
            data, self.pending = self.pending[:size], self.pending[size:]
            return data

    glance.images.upload(created['id'], Reader())
    done = time.perf_counter()
    glance.images.delete(created['id'])
    engine_api.remove_image(image['Id'], force=True)
    return committed - start, done - start


def snapzun_commit(deployment, admin, glance, uuid, container_id, name):
    engine = deployment.docker_hosts[HOST].client
    agent = deployment.computes[HOST].proc.pid
    since = time.time()
    with RssSampler(agent) as rss:
        start = time.perf_counter()
        response = admin.action(uuid, 'commit', repository=f'bench/{name}')
        image_id = response.json()['uuid']
        harness.wait_for(
            lambda: glance.images.get(image_id)['status'] == 'active',
            900, 0.05, 'the image to be active')
        elapsed = time.perf_counter() - start
    paused = pause_window(engine.api, container_id, since, time.time() + 1)
    glance.images.delete(image_id)
    return elapsed, paused, rss.peak - rss.baseline


def bench_size(deployment, megabytes, report=True):
    admin = deployment.client('admin')
    glance = deployment.stack.glance('admin')
    engine = deployment.docker_hosts[HOST].client
    uuid = admin.create(host=HOST, command=[
        'sh', '-c', f'dd if=/dev/urandom of=/changed bs=1M '
                    f'count={megabytes} 2>/dev/null; touch /ready; '
                    f'sleep 3600'])['uuid']
    admin.wait_status(uuid, 'Running')
    harness.wait_for(lambda: admin.action(uuid, 'execute',
                                          command='ls /ready').json()[
        'exit_code'] == 0, 600, 0.5, 'the changed files')
    container_id = engine.containers.get(f'snapzun-{uuid}').id
    try:
        commit_only, raw_total = raw_pipeline(engine.api, glance,
                                              container_id, f'{megabytes}m')
        ours, paused, rss = snapzun_commit(deployment, admin, glance, uuid,
                                           container_id, f'{megabytes}m')
    finally:
        admin.delete(f'/v1/containers/{uuid}', params={'stop': True})
        admin.wait_gone(uuid)
    if not report:
        return
    print(f'{megabytes:>5} MB changed:')
    paused_text = f'{paused * 1000:.0f} ms' if paused is not None else 'n/a'
    print(f'  (a) paused during snapzun commit: {paused_text}; '
          f'docker commit alone: {commit_only * 1000:.0f} ms '
          f'(target <= {commit_only * 1000 + 50:.0f} ms)')
    print(f'  (b) commit -> active: {ours:.2f} s; raw pipeline: '
          f'{raw_total:.2f} s; ratio {ours / raw_total:.2f} '
          f'(target <= 1.2)')
    print(f'  (c) compute agent peak RSS growth: {rss / 2**20:.1f} MiB '
          f'(target <= 64 MiB)')
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--sizes', default='10,100,1000')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='snapzun-bench-commit-')
    stack = stack_module.Stack(os.path.join(work, 'stack'),
                               harness.free_port())
    hosts = [harness.DockerHost(name, os.path.join(work, 'hosts'))
             for name in deployment_module.HOSTS]
    deployment = None
    try:
        stack.start()
        for host in hosts:
            host.start()
        deployment = deployment_module.Deployment(
            stack, os.path.join(work, 'deployment'), hosts)
        deployment.start()
        deployment.wait_computes_up()
        # Steady state: the first commit also fills token caches (the
        # service token in Glance) and endpoint discovery.
        bench_size(deployment, 1, report=False)
        for size in (int(s) for s in args.sizes.split(',')):
            bench_size(deployment, size)
    finally:
        if deployment is not None:
            deployment.stop()
        for host in hosts:
            host.remove_managed()
            host.stop()
        stack.stop()


if __name__ == '__main__':
    main()
