"""Small fakes at snapzun's boundaries: RPC, the Docker engine, contexts.

And helpers that put rows in a test database through snapzun.db.api.
"""

import collections
import datetime
import inspect
import itertools
import types
from unittest import mock

import oslo_messaging as messaging
from oslo_messaging import _utils as messaging_utils
from oslo_serialization import jsonutils
from oslo_utils import timeutils

from snapzun import context as snapzun_context
from snapzun import exception
from snapzun.common import rpc
from snapzun.common import states
from snapzun.db import api as db_api
from snapzun.db import models

PROJECT_A = 'project-a'
PROJECT_B = 'project-b'
COMPUTE = 'snapzun-compute'


# Request contexts

def context(project_id=PROJECT_A, user_id='user-a',
            roles=('member', 'reader'), all_projects=False):
    roles = list(roles)
    return snapzun_context.RequestContext(
        user_id=user_id, project_id=project_id, roles=roles,
        is_admin='admin' in roles, all_projects=all_projects,
        overwrite=False)


def admin_context():
    return snapzun_context.get_admin_context()


# Rows

_names = itertools.count(1)


def make_container(ctx, **values):
    """A container row of ``ctx``'s project, Created on test-host."""
    values.setdefault('name', f'container-{next(_names)}')
    values.setdefault('image', 'busybox')
    values.setdefault('image_driver', 'docker')
    values.setdefault('status', states.CREATED)
    values.setdefault('host', 'test-host')
    values.setdefault('memory', '512')
    values.setdefault('cpu', 1.0)
    values.setdefault('project_id', ctx.project_id)
    values.setdefault('user_id', ctx.user_id)
    return db_api.container_create(ctx, values)


def make_service(host, binary=COMPUTE, seconds_ago=0, disabled=False,
                 forced_down=False):
    """A service row whose last heartbeat was ``seconds_ago``."""
    then = timeutils.utcnow() - datetime.timedelta(seconds=seconds_ago)
    with mock.patch.object(timeutils, 'utcnow', autospec=True,
                           return_value=then):
        service = db_api.service_heartbeat(admin_context(), host, binary)
    if not (disabled or forced_down):
        return service
    ctx = admin_context()
    with db_api.context_manager.writer.using(ctx):
        row = ctx.session.query(models.Service).filter_by(
            id=service.id).one()
        row.disabled = disabled
        row.forced_down = forced_down
    return row


# RPC

Message = collections.namedtuple(
    'Message', 'kind topic server version method kwargs context')


class FakeRPC:
    """Stands in for oslo.messaging: clients record what they send.

    ``replies`` maps a called method to its result (an exception is
    raised); ``error``, when set, is raised by every cast and call.
    """

    def __init__(self):
        self.clients = []
        self.messages = []
        self.replies = {}
        self.error = None

    def get_client(self, target, version_cap=None):
        client = FakeRPCClient(self, target, version_cap)
        self.clients.append(client)
        return client

    def sent(self, method):
        return [m for m in self.messages if m.method == method]


class FakeRPCClient:
    def __init__(self, bus, target, version_cap):
        self.bus = bus
        self.target = target
        self.version_cap = version_cap

    def prepare(self, **options):
        # Only what oslo.messaging's own prepare() accepts.
        _PREPARE.bind(None, **options)
        return _PreparedClient(self, options.get('server'),
                               options.get('version', self.target.version),
                               options)


_PREPARE = inspect.signature(messaging.RPCClient.prepare)


class _PreparedClient:
    def __init__(self, client, server, version, options):
        self.client = client
        self.server = server
        self.version = version
        self.options = options

    def _send(self, kind, ctx, method, kwargs):
        bus = self.client.bus
        bus.messages.append(Message(kind, self.client.target.topic,
                                    self.server, self.version, method,
                                    kwargs, ctx))
        if bus.error is not None:
            raise bus.error

    def can_send_version(self, version):
        cap = self.client.version_cap
        return cap is None or messaging_utils.version_is_compatible(cap,
                                                                    version)

    def cast(self, ctx, method, **kwargs):
        self._send('cast', ctx, method, kwargs)

    def call(self, ctx, method, **kwargs):
        self._send('call', ctx, method, kwargs)
        reply = self.client.bus.replies.get(method)
        if isinstance(reply, Exception):
            raise reply
        return reply


def deliver(message, *endpoints):
    """Serve a recorded message as an RPC server would.

    Context and arguments make the JSON round trip a broker imposes, and
    oslo.messaging's dispatcher picks the endpoint by version and method.
    """
    serializer = rpc.ContextSerializer()
    wire = jsonutils.loads(jsonutils.dumps({
        'ctxt': serializer.serialize_context(message.context),
        'message': {'method': message.method, 'args': message.kwargs,
                    'version': message.version}}))
    incoming = types.SimpleNamespace(client_timeout=None, **wire)
    dispatcher = messaging.RPCDispatcher(list(endpoints), serializer)
    return dispatcher.dispatch(incoming)


# The Docker engine

class FakeEngine:
    """An in-memory Docker engine with DockerEngine's methods.

    Containers are dicts of Docker's own state fields; ``vanish`` and
    ``set_state`` change them behind snapzun's back, as a user of the
    host's docker CLI would.
    """

    def __init__(self, images=('busybox',), registry=()):
        self.images = set(images)
        self.registry = set(registry)
        self.containers = {}
        self.calls = []
        self._ids = itertools.count(1)

    # Test controls

    def vanish(self, container_id):
        del self.containers[container_id]

    def set_state(self, container_id, status, exit_code=0, paused=False):
        self.containers[container_id].update(
            Status=status, ExitCode=exit_code, Paused=paused)

    def _get(self, container_id):
        if container_id not in self.containers:
            raise exception.ContainerVanished(container=container_id)
        return self.containers[container_id]

    # DockerEngine's interface

    def ping(self):
        return True

    def info(self):
        return {'NCPU': 4, 'MemTotal': 8 * 1024 ** 3,
                'Containers': len(self.containers)}

    def image_exists(self, ref):
        return ref in self.images

    def pull(self, ref):
        self.calls.append(('pull', ref))
        if ref not in self.registry:
            raise exception.ImageNotFound(image=ref)
        self.images.add(ref)

    def create(self, container, image_ref, mounts=None):
        self.calls.append(('create', container.uuid, image_ref))
        container_id = f'engine-{next(self._ids)}'
        self.containers[container_id] = {
            'uuid': container.uuid, 'host': container.host,
            'Status': 'created', 'ExitCode': 0, 'Paused': False}
        return container_id

    def start(self, container_id):
        self.calls.append(('start', container_id))
        self._get(container_id).update(Status='running', ExitCode=0)

    def stop(self, container_id, timeout):
        self.calls.append(('stop', container_id, timeout))
        self._get(container_id).update(Status='exited', Paused=False)

    def restart(self, container_id, timeout):
        self.calls.append(('restart', container_id, timeout))
        self._get(container_id).update(Status='running', Paused=False)

    def pause(self, container_id):
        self.calls.append(('pause', container_id))
        self._get(container_id).update(Status='paused', Paused=True)

    def unpause(self, container_id):
        self.calls.append(('unpause', container_id))
        self._get(container_id).update(Status='running', Paused=False)

    def kill(self, container_id, signal=None):
        self.calls.append(('kill', container_id, signal))
        self._get(container_id).update(Status='exited', ExitCode=137)

    def remove(self, container_id, force=False):
        self.calls.append(('remove', container_id, force))
        self.containers.pop(container_id, None)

    def update(self, container_id, memory=None, cpu=None):
        self.calls.append(('update', container_id, memory, cpu))
        self._get(container_id)

    def inspect(self, container_id):
        found = self._get(container_id)
        return {'Id': container_id,
                'State': {'Status': found['Status'],
                          'Paused': found['Paused'],
                          'ExitCode': found['ExitCode']}}

    def list_managed(self, host):
        return {c['uuid']: {'Id': cid, 'State': c['Status'],
                            'Status': _summary(c)}
                for cid, c in self.containers.items() if c['host'] == host}

    def logs(self, container_id, stdout=True, stderr=True,
             timestamps=False, tail='all', since=None):
        self._get(container_id)
        return ''

    def execute(self, container_id, command):
        self._get(container_id)
        return 0, ''

    def top(self, container_id, ps_args=None):
        self._get(container_id)
        return {'Titles': [], 'Processes': []}

    def stats(self, container_id):
        self._get(container_id)
        return {}


def _summary(container):
    """Docker's human ``Status`` of a container list entry."""
    if container['Status'] == 'running':
        return 'Up 2 seconds'
    if container['Status'] == 'paused':
        return 'Up 2 seconds (Paused)'
    if container['Status'] == 'exited':
        return f"Exited ({container['ExitCode']}) 1 second ago"
    return container['Status'].capitalize()
