"""Database access. The only module callers use to reach the database.

Plain functions on one enginefacade transaction context, context first.
Rows come back as detached model objects with every column loaded.
"""

import datetime

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_db.sqlalchemy import utils as db_utils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa

from snapzun import exception
from snapzun.db import models
from snapzun.volume import states as volume_states

context_manager = enginefacade.transaction_context()
context_manager.configure(sqlite_fk=True)


def _serialize_sqlite_writers(engine):
    """Let many threads share one SQLite file without 'database is locked'.

    WAL lets readers run beside the writer; BEGIN IMMEDIATE takes the
    write lock up front, where waiting for it (busy_timeout) works, rather
    than on the first write, where SQLite gives up at once.
    """
    if engine.dialect.name != 'sqlite':
        return

    @sa.event.listens_for(engine, 'connect')
    def _connect(dbapi_connection, record):
        dbapi_connection.execute('PRAGMA journal_mode=WAL')
        # In WAL mode NORMAL cannot corrupt the file; a power cut may lose
        # the last commits, not the database.
        dbapi_connection.execute('PRAGMA synchronous=NORMAL')
        dbapi_connection.execute('PRAGMA busy_timeout=30000')

    def _begin(connection):
        if 'in_transaction' not in connection.info:
            connection.exec_driver_sql('BEGIN IMMEDIATE')
            connection.info['in_transaction'] = True

    # Ours must run before oslo.db's own BEGIN listener, which then sees
    # the transaction open and emits no second BEGIN.
    earlier = list(engine.dispatch.begin)
    for listener in earlier:
        sa.event.remove(engine, 'begin', listener)
    sa.event.listen(engine, 'begin', _begin)
    for listener in earlier:
        sa.event.listen(engine, 'begin', listener)

    # oslo.db connected once to test the URL, before these listeners.
    engine.dispose()


context_manager.append_on_engine_create(_serialize_sqlite_writers)

# Sort keys a list request may name; anything else is a 400.
CONTAINER_SORT_KEYS = ('id', 'uuid', 'name', 'image', 'status', 'host',
                       'created_at', 'updated_at', 'project_id', 'memory',
                       'cpu', 'task_state')
CONTAINER_FILTERS = ('name', 'image', 'project_id', 'user_id', 'task_state',
                     'status', 'memory', 'host', 'auto_remove')


def get_engine():
    return context_manager.writer.get_engine()


def _scoped(context, query, model=models.Container):
    if context.all_projects:
        return query
    return query.filter(model.project_id == context.project_id)


# Containers

@context_manager.writer
def container_create(context, values):
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    container = models.Container(**values)
    context.session.add(container)
    context.session.flush()
    return container


@context_manager.reader
def container_get(context, uuid):
    """:raises: ContainerNotFound, also for another project's container."""
    query = context.session.query(models.Container).filter_by(uuid=uuid)
    container = _scoped(context, query).first()
    if container is None:
        raise exception.ContainerNotFound(container=uuid)
    return container


@context_manager.reader
def container_get_by_name(context, name):
    """:raises: ContainerNotFound, AmbiguousName"""
    query = context.session.query(models.Container).filter_by(name=name)
    found = _scoped(context, query).limit(2).all()
    if not found:
        raise exception.ContainerNotFound(container=name)
    if len(found) > 1:
        raise exception.AmbiguousName(name=name)
    return found[0]


@context_manager.reader
def container_list(context, filters=None, limit=None, marker=None,
                   sort_key='id', sort_dir='asc'):
    """Containers of the context's project (or all), one page.

    :param marker: uuid of the last container of the previous page.
    :raises: ContainerNotFound if the marker names no container.
    """
    query = _scoped(context, context.session.query(models.Container))
    for key, value in (filters or {}).items():
        query = query.filter(getattr(models.Container, key) == value)
    marker_row = None
    if marker is not None:
        marker_row = _scoped(context, context.session.query(
            models.Container).filter_by(uuid=marker)).first()
        if marker_row is None:
            raise exception.ContainerNotFound(container=marker)
    sort_keys = [sort_key] if sort_key == 'id' else [sort_key, 'id']
    query = db_utils.paginate_query(query, models.Container, limit, sort_keys,
                                    marker=marker_row, sort_dir=sort_dir)
    return query.all()


@context_manager.reader
def containers_on_host(context, host):
    return context.session.query(models.Container).filter_by(host=host).all()


@context_manager.reader
def container_count_by_host(context):
    rows = (context.session.query(models.Container.host,
                                  sa.func.count(models.Container.id))
            .filter(models.Container.host.isnot(None))
            .group_by(models.Container.host).all())
    return dict(rows)


_ANY = object()


@context_manager.writer
def container_update(context, uuid, values, expected_status=None,
                     expected_task_state=_ANY):
    """Update a container, optionally only if it is in an expected state.

    The check and the write are one UPDATE statement, so two requests
    racing for the same container cannot both pass.

    :param expected_status: a tuple of statuses the row must have.
    :param expected_task_state: the task state the row must have (None for
        idle); not checked when omitted.
    :returns: the updated container, or None when the row is not in the
        expected state.
    :raises: ContainerNotFound
    """
    query = _scoped(context, context.session.query(
        models.Container).filter_by(uuid=uuid))
    if expected_status is not None:
        query = query.filter(models.Container.status.in_(expected_status))
    if expected_task_state is not _ANY:
        query = query.filter(
            models.Container.task_state.is_(expected_task_state)
            if expected_task_state is None else
            models.Container.task_state == expected_task_state)
    values = dict(values, updated_at=timeutils.utcnow())
    if query.update(values, synchronize_session=False) == 0:
        if _scoped(context, context.session.query(
                models.Container).filter_by(uuid=uuid)).count() == 0:
            raise exception.ContainerNotFound(container=uuid)
        return None
    return context.session.query(models.Container).filter_by(
        uuid=uuid).one()


@context_manager.writer
def container_destroy(context, uuid):
    count = _scoped(context, context.session.query(
        models.Container).filter_by(uuid=uuid)).delete(
            synchronize_session=False)
    if count == 0:
        raise exception.ContainerNotFound(container=uuid)


# Services

@context_manager.writer
def service_heartbeat(context, host, binary):
    """Record that a service is alive, creating its row on first report."""
    now = timeutils.utcnow()
    service = (context.session.query(models.Service)
               .filter_by(host=host, binary=binary).first())
    if service is None:
        service = models.Service(host=host, binary=binary, report_count=0)
        context.session.add(service)
    service.last_seen_up = now
    service.report_count = (service.report_count or 0) + 1
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry as e:
        # Another process registered the same service a moment ago.
        raise exception.Conflict(
            reason=f'service {binary} on {host} registered twice') from e
    return service


@context_manager.reader
def service_list(context, binary=None):
    query = context.session.query(models.Service)
    if binary is not None:
        query = query.filter_by(binary=binary)
    return query.order_by(models.Service.id).all()


def service_is_up(service, down_time):
    if service.forced_down:
        return False
    last = service.last_seen_up or service.updated_at or service.created_at
    age = timeutils.utcnow() - last
    return age <= datetime.timedelta(seconds=down_time)


# Container actions and their events

@context_manager.writer
def action_start(context, container_uuid, action, message=None):
    row = models.ContainerAction(
        container_uuid=container_uuid, action=action,
        request_id=context.request_id, user_id=context.user_id,
        project_id=context.project_id, start_time=timeutils.utcnow(),
        message=message)
    context.session.add(row)
    context.session.flush()
    return row


def _action_of_request(context, container_uuid, request_id):
    return (context.session.query(models.ContainerAction)
            .filter_by(container_uuid=container_uuid, request_id=request_id)
            .order_by(models.ContainerAction.id.desc()).first())


@context_manager.writer
def action_finish(context, container_uuid, request_id, message=None):
    action = _action_of_request(context, container_uuid, request_id)
    if action is None:
        return None
    action.finish_time = timeutils.utcnow()
    if message is not None:
        action.message = message
    return action


@context_manager.writer
def action_event_start(context, container_uuid, request_id, event):
    action = _action_of_request(context, container_uuid, request_id)
    if action is None:
        return None
    row = models.ContainerActionEvent(
        action_id=action.id, event=event, start_time=timeutils.utcnow())
    context.session.add(row)
    context.session.flush()
    return row


@context_manager.writer
def action_event_update(context, event_id, values):
    context.session.query(models.ContainerActionEvent).filter_by(
        id=event_id).update(values, synchronize_session=False)


@context_manager.reader
def action_list(context, container_uuid):
    return (context.session.query(models.ContainerAction)
            .filter_by(container_uuid=container_uuid)
            .order_by(models.ContainerAction.id.desc()).all())


@context_manager.reader
def action_get(context, container_uuid, request_id):
    """:returns: (action, [events]) :raises: ActionNotFound"""
    action = _action_of_request(context, container_uuid, request_id)
    if action is None:
        raise exception.ActionNotFound(container=container_uuid,
                                       request_id=request_id)
    events = (context.session.query(models.ContainerActionEvent)
              .filter_by(action_id=action.id)
              .order_by(models.ContainerActionEvent.id).all())
    return action, events


@context_manager.writer
def actions_destroy(context, container_uuid):
    context.session.query(models.ContainerAction).filter_by(
        container_uuid=container_uuid).delete(synchronize_session=False)


# Compute nodes

@context_manager.writer
def compute_node_report(context, hostname, values):
    """Record what a host's engine reports, creating its row if new."""
    node = (context.session.query(models.ComputeNode)
            .filter_by(hostname=hostname).first())
    if node is None:
        node = models.ComputeNode(hostname=hostname,
                                  uuid=uuidutils.generate_uuid())
        context.session.add(node)
    for key, value in values.items():
        setattr(node, key, value)
    node.updated_at = timeutils.utcnow()
    return node


@context_manager.reader
def compute_node_list(context):
    return (context.session.query(models.ComputeNode)
            .order_by(models.ComputeNode.id).all())


@context_manager.reader
def compute_node_get(context, ident):
    """A node by uuid or hostname. :raises: HostNotFound"""
    query = context.session.query(models.ComputeNode)
    column = (models.ComputeNode.uuid if uuidutils.is_uuid_like(ident)
              else models.ComputeNode.hostname)
    node = query.filter(column == ident).first()
    if node is None:
        raise exception.HostNotFound(host=ident)
    return node


# Container commits

@context_manager.writer
def commit_create(context, values):
    row = models.ContainerCommit(**values)
    context.session.add(row)
    context.session.flush()
    return row


@context_manager.writer
def commit_update(context, uuid, values):
    context.session.query(models.ContainerCommit).filter_by(
        uuid=uuid).update(dict(values, updated_at=timeutils.utcnow()),
                          synchronize_session=False)


@context_manager.reader
def commit_get(context, uuid):
    row = (context.session.query(models.ContainerCommit)
           .filter_by(uuid=uuid).first())
    if row is None:
        raise exception.NotFound()
    return row


@context_manager.reader
def commits_on_host(context, host, statuses):
    return (context.session.query(models.ContainerCommit)
            .filter_by(host=host)
            .filter(models.ContainerCommit.status.in_(statuses)).all())


@context_manager.writer
def commit_destroy(context, uuid):
    context.session.query(models.ContainerCommit).filter_by(
        uuid=uuid).delete(synchronize_session=False)


# Volumes and their mappings to containers

def _volume_query(context):
    return _scoped(context, context.session.query(models.Volume),
                   models.Volume)


def _volume_duplicate(error, values):
    if 'cinder_volume_id' in (error.columns or ()):
        return exception.VolumeNotUsable(
            volume=values.get('cinder_volume_id'),
            reason='snapzun manages it already')
    return exception.VolumeExists(name=values.get('name'))


@context_manager.writer
def volume_create(context, values):
    """:raises: VolumeExists, VolumeNotUsable (a Cinder volume known)"""
    values = dict(values)
    values.setdefault('uuid', uuidutils.generate_uuid())
    values.setdefault('docker_volume_name', f'snapzun-{values["uuid"]}')
    volume = models.Volume(**values)
    context.session.add(volume)
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry as e:
        raise _volume_duplicate(e, values) from e
    return volume


@context_manager.reader
def volume_get(context, uuid):
    """:raises: VolumeNotFound, also for another project's volume."""
    volume = _volume_query(context).filter_by(uuid=uuid).first()
    if volume is None:
        raise exception.VolumeNotFound(volume=uuid)
    return volume


@context_manager.reader
def volume_find(context, ident):
    """A volume by snapzun uuid, Cinder volume id or name.

    :raises: VolumeNotFound, AmbiguousVolumeName
    """
    query = _volume_query(context)
    if uuidutils.is_uuid_like(ident):
        found = query.filter(sa.or_(
            models.Volume.uuid == ident,
            models.Volume.cinder_volume_id == ident)).all()
        # A snapzun uuid wins over a Cinder id that happens to equal it.
        found = [v for v in found if v.uuid == ident] or found
    else:
        found = query.filter_by(name=ident).limit(2).all()
    if not found:
        raise exception.VolumeNotFound(volume=ident)
    if len(found) > 1:
        raise exception.AmbiguousVolumeName(name=ident)
    return found[0]


@context_manager.reader
def volume_list(context, filters=None):
    query = _volume_query(context)
    for key, value in (filters or {}).items():
        query = query.filter(getattr(models.Volume, key) == value)
    return query.order_by(models.Volume.id).all()


@context_manager.writer
def volume_update(context, uuid, values, expected_status=None):
    """Update a volume, optionally only if it is in an expected status.

    :param expected_status: a tuple of statuses the row must have.
    :returns: the updated volume, or None when it is not in one of them.
    :raises: VolumeNotFound
    """
    query = _volume_query(context).filter_by(uuid=uuid)
    if expected_status is not None:
        query = query.filter(models.Volume.status.in_(expected_status))
    values = dict(values, updated_at=timeutils.utcnow())
    if query.update(values, synchronize_session=False) == 0:
        if _volume_query(context).filter_by(uuid=uuid).count() == 0:
            raise exception.VolumeNotFound(volume=uuid)
        return None
    return context.session.query(models.Volume).filter_by(uuid=uuid).one()


@context_manager.writer
def volume_destroy(context, uuid):
    """:raises: VolumeNotFound, VolumeInUse while a container maps it."""
    mapping = (context.session.query(models.VolumeMapping)
               .filter_by(volume_uuid=uuid).first())
    if mapping is not None:
        raise exception.VolumeInUse(volume=uuid,
                                    container=mapping.container_uuid)
    count = _volume_query(context).filter_by(uuid=uuid).delete(
        synchronize_session=False)
    if count == 0:
        raise exception.VolumeNotFound(volume=uuid)


@context_manager.writer
def container_create_with_mounts(context, values, mounts):
    """A container and its volume mappings, in one transaction.

    :param mounts: dicts of a ``destination`` and either ``volume_uuid``,
        an existing available volume that is claimed here (reserved), or
        ``volume``, the values of a volume row created here.
    :raises: VolumeNotUsable if a volume is no longer available,
        VolumeExists.
    """
    container = container_create(context, values)
    now = timeutils.utcnow()
    for mount in mounts:
        if 'volume' in mount:
            volume_uuid = volume_create(context, mount['volume']).uuid
        else:
            volume_uuid = mount['volume_uuid']
            # Conditional, so a racing claim or delete cannot both win.
            claimed = _volume_query(context).filter_by(
                uuid=volume_uuid, status=volume_states.AVAILABLE).update(
                    {'status': volume_states.RESERVED, 'updated_at': now},
                    synchronize_session=False)
            if not claimed:
                raise exception.VolumeNotUsable(
                    volume=volume_uuid, reason='another request took it '
                    'or changed it; it is no longer available')
        context.session.add(models.VolumeMapping(
            uuid=uuidutils.generate_uuid(), container_uuid=container.uuid,
            volume_uuid=volume_uuid, destination=mount['destination']))
    try:
        context.session.flush()
    except db_exc.DBDuplicateEntry as e:
        raise exception.VolumeNotUsable(
            volume=', '.join(m['volume_uuid'] for m in mounts
                             if 'volume_uuid' in m),
            reason='a container mounts it already') from e
    return container


@context_manager.reader
def volume_mappings_of_container(context, container_uuid):
    """[(mapping, volume)] of a container, in the order it asked them."""
    rows = (context.session.query(models.VolumeMapping, models.Volume)
            .join(models.Volume,
                  models.Volume.uuid == models.VolumeMapping.volume_uuid)
            .filter(models.VolumeMapping.container_uuid == container_uuid)
            .order_by(models.VolumeMapping.id).all())
    return [tuple(row) for row in rows]


@context_manager.reader
def volume_mappings_of_volumes(context, volume_uuids):
    """{volume uuid: its mapping} of those volumes a container maps."""
    if not volume_uuids:
        return {}
    rows = (context.session.query(models.VolumeMapping)
            .filter(models.VolumeMapping.volume_uuid.in_(
                list(volume_uuids))).all())
    return {row.volume_uuid: row for row in rows}


@context_manager.writer
def volume_mapping_destroy(context, uuid):
    context.session.query(models.VolumeMapping).filter_by(
        uuid=uuid).delete(synchronize_session=False)
