"""pending encrypted events

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:11:10.375072
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_encrypted",
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.String(length=255), nullable=False),
        sa.Column("device_id", sa.String(length=255), nullable=False),
        sa.Column("session_id", sa.String(length=255), nullable=False),
        sa.Column("sender_key", sa.String(length=255), nullable=False),
        sa.Column("raw_event", sa.Text(), nullable=False),
        sa.Column("first_seen_ms", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_pending_encrypted")),
    )
    with op.batch_alter_table("pending_encrypted", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_encrypted_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_encrypted", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_encrypted_room_id"))

    op.drop_table("pending_encrypted")
