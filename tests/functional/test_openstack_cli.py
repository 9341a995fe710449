"""python-zunclient's OSC plugin against snapzun-all in noauth mode."""

import json
import os
import subprocess

from tests.functional import harness

OPENSTACK = os.path.join(harness.BIN, 'openstack')


def _openstack(snapzun, *args, json_output=True):
    # The format goes before positional arguments: `run` takes the rest
    # of the line as the container's command.
    verb, *rest = args
    command = [OPENSTACK, '--os-auth-type', 'none', '--os-endpoint',
               f'{snapzun.endpoint}/v1', 'appcontainer', verb,
               *(['-f', 'json'] if json_output else []), *rest]
    env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if json_output else result.stdout


def test_run_list_show_stop_start_delete(snapzun, api):
    created = _openstack(snapzun, 'run', '--name', 'osc-demo',
                         harness.BASE_IMAGE, 'sleep', '600')
    uuid = created['uuid']
    api.wait_status(uuid, 'Running')

    listed = _openstack(snapzun, 'list')
    assert any(c['uuid'] == uuid and c['status'] == 'Running'
               for c in listed)
    shown = _openstack(snapzun, 'show', 'osc-demo')
    assert shown['uuid'] == uuid and shown['command'] == ['sleep', '600']

    _openstack(snapzun, 'stop', '--timeout', '1', uuid, json_output=False)
    api.wait_status(uuid, 'Stopped')
    _openstack(snapzun, 'start', uuid, json_output=False)
    api.wait_status(uuid, 'Running')
    _openstack(snapzun, 'delete', '--stop', uuid, json_output=False)
    api.wait_gone(uuid)
