"""audit log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:30:59.878422
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_keys",
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("created_ts", sa.BigInteger(), nullable=False),
        sa.Column("key_check", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_audit_keys")),
    )
    op.create_table(
        "audit_party",
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("recorded_ts", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "party_key", "category", "seq", name="pk_audit_party"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "audit_record",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("recorded_ts", sa.BigInteger(), nullable=False),
        sa.Column("event_ts", sa.BigInteger(), nullable=True),
        sa.Column("party_count", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=True),
        sa.Column("room_id", sa.String(), nullable=True),
        sa.Column("sender", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=True),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_record")),
    )
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_record_event_ts_event_id", ["event_ts", "event_id"], unique=False
        )
        batch_op.create_index("ix_audit_record_recorded_ts", ["recorded_ts"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_record", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_record_recorded_ts")
        batch_op.drop_index("ix_audit_record_event_ts_event_id")

    op.drop_table("audit_record")
    op.drop_table("audit_party")
    op.drop_table("audit_keys")
