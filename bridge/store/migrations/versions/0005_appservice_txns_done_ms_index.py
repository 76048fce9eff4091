"""index appservice_txns.done_ms (pruning handled transactions)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("appservice_txns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appservice_txns_done_ms"), ["done_ms"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("appservice_txns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appservice_txns_done_ms"))
