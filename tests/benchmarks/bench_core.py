"""Service core benchmarks: list latency and create-to-Running latency.

Starts its own dockerd and snapzun-all (as the functional tests do), prints
figures, and stops everything it started.

    python tests/benchmarks/bench_core.py [--rows 1000] [--runs 20]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

from tests.functional import harness  # noqa: E402


def _median_ms(samples):
    return statistics.median(samples) * 1000


def _seed_rows(state_path, count):
    """Insert container rows straight into snapzun-all's database."""
    from oslo_config import cfg

    from snapzun import context
    import snapzun.conf  # noqa: F401
    from snapzun.db import api as db_api

    cfg.CONF([], project='snapzun')
    cfg.CONF.set_override('connection',
                          f'sqlite:///{state_path}/snapzun.sqlite',
                          group='database')
    ctx = context.get_admin_context()
    ctx.project_id = 'noauth'
    for i in range(count):
        db_api.container_create(ctx, {
            'name': f'bench-{i:04d}', 'image': harness.BASE_IMAGE,
            'status': 'Stopped', 'project_id': 'noauth',
            'user_id': 'noauth', 'command': ['sleep', '1'], 'cpu': 1.0,
            'memory': '512', 'environment': {'A': 'b'},
            'labels': {'bench': 'yes'}, 'host': 'bench-host',
            'restart_policy': {'Name': 'no', 'MaximumRetryCount': '0'}})


def bench_list(api, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = api.get('/v1/containers')
        body = response.json()
        samples.append(time.perf_counter() - start)
    return samples, len(body['containers'])


def bench_create_to_running(api, runs):
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        uuid = api.create(name=f'latency-{i}', command=['sleep', '600'])[
            'uuid']
        harness.wait_for(
            lambda u=uuid: api.show(u)['status'] == 'Running', 60, 0.005,
            'Running')
        samples.append(time.perf_counter() - start)
        api.delete(f'/v1/containers/{uuid}', params={'force': True})
        api.wait_gone(uuid)
    return samples


def bench_docker_run(client, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        container = client.containers.run(harness.BASE_IMAGE, ['sleep', '600'],
                                          detach=True, network_mode='none',
                                          mem_limit='512m')
        samples.append(time.perf_counter() - start)
        container.remove(force=True)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--rows', type=int, default=1000)
    parser.add_argument('--runs', type=int, default=20)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix='snapzun-bench-')
    host = harness.DockerHost('bench-host', os.path.join(work, 'hosts'))
    host.start()
    snapzun = harness.SnapzunProcess(os.path.join(work, 'all'), 'bench-host',
                                     host.url)
    try:
        snapzun.start()
        api = harness.Api(snapzun.endpoint)

        docker_runs = bench_docker_run(host.client, args.runs)
        api_runs = bench_create_to_running(api, args.runs)
        docker_ms = _median_ms(docker_runs)
        api_ms = _median_ms(api_runs)
        print(f'create->Running via API, median of {args.runs}: '
              f'{api_ms:.0f} ms')
        print(f'plain docker run -d, median of {args.runs}:       '
              f'{docker_ms:.0f} ms')
        print(f'target <= 1.5 x docker run + 100 ms = '
              f'{1.5 * docker_ms + 100:.0f} ms: '
              f'{"met" if api_ms <= 1.5 * docker_ms + 100 else "MISSED"}')

        _seed_rows(os.path.join(work, 'all', 'state'), args.rows)
        list_runs, listed = bench_list(api, args.runs)
        print(f'GET /v1/containers with {listed} containers, median of '
              f'{args.runs}: {_median_ms(list_runs):.0f} ms '
              f'(min {min(list_runs) * 1000:.0f}, '
              f'max {max(list_runs) * 1000:.0f})')
    finally:
        snapzun.stop()
        host.remove_managed()
        host.stop()


if __name__ == '__main__':
    main()
