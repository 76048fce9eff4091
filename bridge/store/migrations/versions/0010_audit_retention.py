"""audit_hold and audit_prune: legal holds and the prunes of the audit log's retention

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_hold",
        sa.Column("party_key", sa.String(), primary_key=True),
        sa.Column("held_by", sa.String(), nullable=False),
        sa.Column("held_ts", sa.BigInteger(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("reason_sealed", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "audit_prune",
        sa.Column("through_seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("through_hash", sa.LargeBinary(), nullable=False),
        sa.Column("record_seq", sa.BigInteger(), nullable=False),
        sa.Column("pruned_ts", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_prune")
    op.drop_table("audit_hold")
