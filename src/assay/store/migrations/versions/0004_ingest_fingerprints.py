"""ingest fingerprints: skip a file whose content was ingested already

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ingests') as batch:
        batch.add_column(sa.Column('size', sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('fingerprint', sa.String(length=64), nullable=True))
