"""Volumes and the containers they are mounted in.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'volume',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255)),
        sa.Column('project_id', sa.String(255)),
        sa.Column('user_id', sa.String(255)),
        sa.Column('driver', sa.String(32), nullable=False),
        sa.Column('size', sa.Integer),
        sa.Column('cinder_volume_id', sa.String(36)),
        sa.Column('status', sa.String(32), nullable=False),
        sa.Column('auto_remove', sa.Boolean, nullable=False),
        sa.Column('host', sa.String(255)),
        sa.Column('connection_info', sa.Text),
        sa.Column('docker_volume_name', sa.String(255)),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('uuid', name='uniq_volume0uuid'),
        sa.UniqueConstraint('project_id', 'name',
                            name='uniq_volume0project_id0name'),
        sa.UniqueConstraint('cinder_volume_id',
                            name='uniq_volume0cinder_volume_id'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
    op.create_index('volume_host_idx', 'volume', ['host'])
    op.create_table(
        'volume_mapping',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('container_uuid', sa.String(36), nullable=False),
        sa.Column('volume_uuid', sa.String(36),
                  sa.ForeignKey('volume.uuid',
                                name='volume_mapping_volume_fk'),
                  nullable=False),
        sa.Column('destination', sa.String(255), nullable=False),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('uuid', name='uniq_volume_mapping0uuid'),
        sa.UniqueConstraint('volume_uuid',
                            name='uniq_volume_mapping0volume_uuid'),
        sa.UniqueConstraint(
            'container_uuid', 'destination',
            name='uniq_volume_mapping0container_uuid0destination'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
