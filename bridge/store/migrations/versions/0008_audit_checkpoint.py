"""audit_checkpoint: the checkpoints the audit log signed, mirrored in the database

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.LargeBinary(), nullable=False),
        sa.Column("signed_ts", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoint")),
    )
    with op.batch_alter_table("audit_checkpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checkpoint_size"), ["size"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checkpoint_size"))
    op.drop_table("audit_checkpoint")
