"""blocked_events carry their removal (redaction and notice) as an outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blocked_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sender", sa.String(length=255), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("notice_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("notice_html", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("redacted_ms", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("noticed_ms", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("failure", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_blocked_events_redacted_ms"), ["redacted_ms"])
    # Blocked before this revision: redacted and noticed then, nothing left to do.
    op.execute("UPDATE blocked_events SET redacted_ms = blocked_ms, noticed_ms = blocked_ms")
    with op.batch_alter_table("blocked_events", schema=None) as batch_op:
        batch_op.alter_column("sender", server_default=None)
        batch_op.alter_column("reason", server_default=None)
        batch_op.alter_column("notice_text", server_default=None)
        batch_op.alter_column("notice_html", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("blocked_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_blocked_events_redacted_ms"))
        for column in (
            "failure",
            "noticed_ms",
            "redacted_ms",
            "notice_html",
            "notice_text",
            "reason",
            "sender",
        ):
            batch_op.drop_column(column)
