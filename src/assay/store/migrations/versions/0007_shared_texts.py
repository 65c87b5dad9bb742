"""shared texts: long system prompts stored once, records refer to them by hash

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

Forward-only: never edit a released migration; add a new one.
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # records stored before keep their messages inline; readers expand both forms
    op.create_table(
        'texts',
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('hash'),
    )
