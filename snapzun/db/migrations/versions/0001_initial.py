"""Containers, services, container actions and their events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _timestamps():
    return [sa.Column('created_at', sa.DateTime),
            sa.Column('updated_at', sa.DateTime)]


def upgrade():
    op.create_table(
        'container',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('image', sa.String(255), nullable=False),
        sa.Column('image_driver', sa.String(32)),
        sa.Column('image_pull_policy', sa.String(32)),
        sa.Column('command', sa.Text),
        sa.Column('entrypoint', sa.Text),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('status_reason', sa.Text),
        sa.Column('status_detail', sa.String(255)),
        sa.Column('task_state', sa.String(32)),
        sa.Column('cpu', sa.Float),
        sa.Column('memory', sa.String(32)),
        sa.Column('disk', sa.Integer),
        sa.Column('environment', sa.Text),
        sa.Column('labels', sa.Text),
        sa.Column('workdir', sa.String(255)),
        sa.Column('hostname', sa.String(63)),
        sa.Column('ports', sa.Text),
        sa.Column('exposed_ports', sa.Text),
        sa.Column('restart_policy', sa.Text),
        sa.Column('healthcheck', sa.Text),
        sa.Column('interactive', sa.Boolean),
        sa.Column('tty', sa.Boolean),
        sa.Column('auto_remove', sa.Boolean),
        sa.Column('auto_heal', sa.Boolean),
        sa.Column('privileged', sa.Boolean),
        sa.Column('runtime', sa.String(32)),
        sa.Column('host', sa.String(255)),
        sa.Column('container_id', sa.String(64)),
        *_timestamps(),
        sa.UniqueConstraint('uuid', name='uniq_container0uuid'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
    op.create_index('container_project_id_idx', 'container', ['project_id'])
    op.create_index('container_host_idx', 'container', ['host'])
    op.create_index('container_name_idx', 'container', ['name'])

    op.create_table(
        'service',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('binary', sa.String(255), nullable=False),
        sa.Column('disabled', sa.Boolean, nullable=False),
        sa.Column('disabled_reason', sa.String(255)),
        sa.Column('forced_down', sa.Boolean, nullable=False),
        sa.Column('last_seen_up', sa.DateTime),
        sa.Column('report_count', sa.Integer, nullable=False),
        sa.Column('availability_zone', sa.String(255)),
        *_timestamps(),
        sa.UniqueConstraint('host', 'binary', name='uniq_service0host0binary'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )

    op.create_table(
        'container_action',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('container_uuid', sa.String(36), nullable=False),
        sa.Column('action', sa.String(255), nullable=False),
        sa.Column('request_id', sa.String(255), nullable=False),
        sa.Column('user_id', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('start_time', sa.DateTime),
        sa.Column('finish_time', sa.DateTime),
        sa.Column('message', sa.Text),
        *_timestamps(),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
    op.create_index('container_action_uuid_req_idx', 'container_action',
                    ['container_uuid', 'request_id'])

    op.create_table(
        'container_action_event',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('action_id', sa.Integer,
                  sa.ForeignKey('container_action.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('event', sa.String(255), nullable=False),
        sa.Column('start_time', sa.DateTime),
        sa.Column('finish_time', sa.DateTime),
        sa.Column('result', sa.String(255)),
        sa.Column('traceback', sa.Text),
        sa.Column('details', sa.Text),
        *_timestamps(),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
    op.create_index('ix_container_action_event_action_id',
                    'container_action_event', ['action_id'])
