"""embedding cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('embeddings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('embedder', sa.String(length=200), nullable=False),
    sa.Column('dim', sa.Integer(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )

