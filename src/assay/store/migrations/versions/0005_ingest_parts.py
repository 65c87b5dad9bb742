"""ingest parts: an interrupted ingest run again skips the parts of a file its workers stored

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'ingest_parts',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('file', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.create_index('ix_ingest_parts_file', 'ingest_parts', ['file'])
