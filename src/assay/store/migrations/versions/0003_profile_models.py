"""fitted traffic maps in the store

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('profile_models',
    sa.Column('profile_id', sa.String(length=64), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('profile_id')
    )
