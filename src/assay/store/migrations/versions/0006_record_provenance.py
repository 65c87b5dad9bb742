"""record provenance: the ingest that stored each record, so a file's records can be deleted or replaced

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ALTER TABLE ADD COLUMN: a nullable column without default does not rewrite the
    # table (records stored before have none)
    op.add_column('records', sa.Column('ingest_id', sa.Integer(), nullable=True))
