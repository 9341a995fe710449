"""Compute nodes: what each host's engine reports.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'compute_node',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('hostname', sa.String(255), nullable=False),
        sa.Column('mem_total', sa.Integer),
        sa.Column('cpus', sa.Integer),
        sa.Column('architecture', sa.String(32)),
        sa.Column('os_type', sa.String(32)),
        sa.Column('os', sa.String(255)),
        sa.Column('kernel_version', sa.String(255)),
        sa.Column('total_containers', sa.Integer),
        sa.Column('running_containers', sa.Integer),
        sa.Column('paused_containers', sa.Integer),
        sa.Column('stopped_containers', sa.Integer),
        sa.Column('runtimes', sa.Text),
        sa.Column('labels', sa.Text),
        sa.Column('created_at', sa.DateTime),
        sa.Column('updated_at', sa.DateTime),
        sa.UniqueConstraint('hostname', name='uniq_compute_node0hostname'),
        mysql_engine='InnoDB', mysql_charset='utf8mb4',
    )
