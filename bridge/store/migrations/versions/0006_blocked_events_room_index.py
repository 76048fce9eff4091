"""index blocked_events.room_id (a room's blocked events are read at once)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 11:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blocked_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_blocked_events_room_id"), ["room_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("blocked_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blocked_events_room_id"))
