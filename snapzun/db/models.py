"""SQLAlchemy models. Nothing outside snapzun.db imports this module."""

from oslo_db.sqlalchemy import models
from oslo_db.sqlalchemy import types as db_types
import sqlalchemy as sa
from sqlalchemy import orm

BASE = orm.declarative_base()


class Base(models.TimestampMixin, models.ModelBase):
    pass


class Container(BASE, Base):
    __tablename__ = 'container'
    __table_args__ = (
        sa.Index('container_project_id_idx', 'project_id'),
        sa.Index('container_host_idx', 'host'),
        sa.Index('container_name_idx', 'name'),
        sa.UniqueConstraint('uuid', name='uniq_container0uuid'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    image = sa.Column(sa.String(255), nullable=False)
    image_driver = sa.Column(sa.String(32))
    image_pull_policy = sa.Column(sa.String(32))
    command = sa.Column(db_types.JsonEncodedList)
    entrypoint = sa.Column(db_types.JsonEncodedList)
    status = sa.Column(sa.String(32), nullable=False)
    status_reason = sa.Column(sa.Text)
    status_detail = sa.Column(sa.String(255))
    task_state = sa.Column(sa.String(32))
    cpu = sa.Column(sa.Float)
    memory = sa.Column(sa.String(32))
    disk = sa.Column(sa.Integer)
    environment = sa.Column(db_types.JsonEncodedDict)
    labels = sa.Column(db_types.JsonEncodedDict)
    workdir = sa.Column(sa.String(255))
    hostname = sa.Column(sa.String(63))
    ports = sa.Column(db_types.JsonEncodedList)
    exposed_ports = sa.Column(db_types.JsonEncodedDict)
    restart_policy = sa.Column(db_types.JsonEncodedDict)
    healthcheck = sa.Column(db_types.JsonEncodedDict)
    interactive = sa.Column(sa.Boolean, default=False)
    tty = sa.Column(sa.Boolean, default=False)
    auto_remove = sa.Column(sa.Boolean, default=False)
    auto_heal = sa.Column(sa.Boolean, default=False)
    privileged = sa.Column(sa.Boolean, default=False)
    runtime = sa.Column(sa.String(32))
    host = sa.Column(sa.String(255))
    container_id = sa.Column(sa.String(64))


class Service(BASE, Base):
    __tablename__ = 'service'
    __table_args__ = (
        sa.UniqueConstraint('host', 'binary', name='uniq_service0host0binary'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    host = sa.Column(sa.String(255), nullable=False)
    binary = sa.Column(sa.String(255), nullable=False)
    disabled = sa.Column(sa.Boolean, default=False, nullable=False)
    disabled_reason = sa.Column(sa.String(255))
    forced_down = sa.Column(sa.Boolean, default=False, nullable=False)
    last_seen_up = sa.Column(sa.DateTime)
    report_count = sa.Column(sa.Integer, default=0, nullable=False)
    availability_zone = sa.Column(sa.String(255))


class ContainerAction(BASE, Base):
    __tablename__ = 'container_action'
    __table_args__ = (
        sa.Index('container_action_uuid_req_idx', 'container_uuid',
                 'request_id'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    container_uuid = sa.Column(sa.String(36), nullable=False)
    action = sa.Column(sa.String(255), nullable=False)
    request_id = sa.Column(sa.String(255), nullable=False)
    user_id = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    start_time = sa.Column(sa.DateTime)
    finish_time = sa.Column(sa.DateTime)
    message = sa.Column(sa.Text)


class ContainerActionEvent(BASE, Base):
    __tablename__ = 'container_action_event'

    id = sa.Column(sa.Integer, primary_key=True)
    action_id = sa.Column(sa.Integer,
                          sa.ForeignKey('container_action.id',
                                        ondelete='CASCADE'),
                          nullable=False, index=True)
    event = sa.Column(sa.String(255), nullable=False)
    start_time = sa.Column(sa.DateTime)
    finish_time = sa.Column(sa.DateTime)
    result = sa.Column(sa.String(255))
    traceback = sa.Column(sa.Text)
    details = sa.Column(db_types.JsonEncodedDict)


class ComputeNode(BASE, Base):
    """What a compute host's engine reports about itself."""

    __tablename__ = 'compute_node'
    __table_args__ = (
        sa.UniqueConstraint('hostname', name='uniq_compute_node0hostname'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    hostname = sa.Column(sa.String(255), nullable=False)
    mem_total = sa.Column(sa.Integer)
    cpus = sa.Column(sa.Integer)
    architecture = sa.Column(sa.String(32))
    os_type = sa.Column(sa.String(32))
    os = sa.Column(sa.String(255))
    kernel_version = sa.Column(sa.String(255))
    total_containers = sa.Column(sa.Integer)
    running_containers = sa.Column(sa.Integer)
    paused_containers = sa.Column(sa.Integer)
    stopped_containers = sa.Column(sa.Integer)
    runtimes = sa.Column(db_types.JsonEncodedList)
    labels = sa.Column(db_types.JsonEncodedDict)


class ContainerCommit(BASE, Base):
    """A commit of a container to an image, from request to outcome.

    Kept so an agent that restarts mid-commit can clean up after itself.
    """

    __tablename__ = 'container_commit'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_container_commit0uuid'),
        sa.Index('container_commit_host_status_idx', 'host', 'status'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    container_uuid = sa.Column(sa.String(36), nullable=False)
    host = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    request_id = sa.Column(sa.String(255))
    image_driver = sa.Column(sa.String(32), nullable=False)
    repository = sa.Column(sa.String(255), nullable=False)
    tag = sa.Column(sa.String(128), nullable=False)
    status = sa.Column(sa.String(32), nullable=False)
    local_image_id = sa.Column(sa.String(128))
    size = sa.Column(sa.BigInteger)
    checksum = sa.Column(sa.String(64))
    error = sa.Column(sa.Text)


class Volume(BASE, Base):
    """A volume of a project: a Cinder volume or a Docker local volume."""

    __tablename__ = 'volume'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_volume0uuid'),
        # Names are how users mount volumes: one per project.
        sa.UniqueConstraint('project_id', 'name',
                            name='uniq_volume0project_id0name'),
        # One row per Cinder volume, so adopting one twice cannot race.
        sa.UniqueConstraint('cinder_volume_id',
                            name='uniq_volume0cinder_volume_id'),
        sa.Index('volume_host_idx', 'host'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    name = sa.Column(sa.String(255))
    project_id = sa.Column(sa.String(255))
    user_id = sa.Column(sa.String(255))
    driver = sa.Column(sa.String(32), nullable=False)
    size = sa.Column(sa.Integer)
    cinder_volume_id = sa.Column(sa.String(36))
    status = sa.Column(sa.String(32), nullable=False)
    auto_remove = sa.Column(sa.Boolean, default=False, nullable=False)
    host = sa.Column(sa.String(255))
    # May hold secrets (CHAP passwords): never shown by the API.
    connection_info = sa.Column(sa.Text)
    docker_volume_name = sa.Column(sa.String(255))


class VolumeMapping(BASE, Base):
    """A volume mounted in a container at ``destination``."""

    __tablename__ = 'volume_mapping'
    __table_args__ = (
        sa.UniqueConstraint('uuid', name='uniq_volume_mapping0uuid'),
        # No multiattach: one container per volume.
        sa.UniqueConstraint('volume_uuid',
                            name='uniq_volume_mapping0volume_uuid'),
        sa.UniqueConstraint(
            'container_uuid', 'destination',
            name='uniq_volume_mapping0container_uuid0destination'),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    container_uuid = sa.Column(sa.String(36), nullable=False)
    volume_uuid = sa.Column(sa.String(36),
                            sa.ForeignKey('volume.uuid',
                                          name='volume_mapping_volume_fk'),
                            nullable=False)
    destination = sa.Column(sa.String(255), nullable=False)
