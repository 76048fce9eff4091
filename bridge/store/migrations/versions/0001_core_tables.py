"""core tables: vendors, BAAs, patients, consent, rooms, transactions

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:55:09.926455
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appservice_txns",
        sa.Column("txn_id", sa.String(length=255), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("done_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("txn_id", "body_sha256", name=op.f("pk_appservice_txns")),
    )
    op.create_table(
        "patients",
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("consent_state", sa.String(length=16), nullable=False),
        sa.Column("consent_expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("consent_updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_patients")),
    )
    op.create_table(
        "room_members",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("membership", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_room_members")),
    )
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "rooms",
        sa.Column("room_id", sa.String(length=255), nullable=False),
        sa.Column("is_control", sa.Boolean(), nullable=False),
        sa.Column("managed", sa.Boolean(), nullable=False),
        sa.Column("can_redact", sa.Boolean(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("gate", sa.String(length=8), nullable=False),
        sa.Column("joined_ms", sa.BigInteger(), nullable=False),
        sa.Column("updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_rooms")),
    )
    op.create_table(
        "vendors",
        sa.Column("vendor_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.Column("baa_state", sa.String(length=16), nullable=False),
        sa.Column("baa_expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("baa_updated_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("vendor_id", name=op.f("pk_vendors")),
    )
    op.create_table(
        "baa_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("vendor_id", sa.String(length=64), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.vendor_id"], name=op.f("fk_baa_transitions_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baa_transitions")),
    )
    with op.batch_alter_table("baa_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_baa_transitions_vendor_id_at_ms"), ["vendor_id", "at_ms"], unique=False
        )

    op.create_table(
        "consent_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("expires_ms", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["patients.user_id"], name=op.f("fk_consent_transitions_user_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_transitions")),
    )
    with op.batch_alter_table("consent_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_transitions_user_id_at_ms"), ["user_id", "at_ms"], unique=False
        )

    op.create_table(
        "vendor_links",
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("vendor_id", sa.String(length=64), nullable=False),
        sa.Column("is_user", sa.Boolean(), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"], ["vendors.vendor_id"], name=op.f("fk_vendor_links_vendor_id_vendors")
        ),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_vendor_links")),
    )
    with op.batch_alter_table("vendor_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vendor_links_vendor_id"), ["vendor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("vendor_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vendor_links_vendor_id"))

    op.drop_table("vendor_links")
    with op.batch_alter_table("consent_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_transitions_user_id_at_ms"))

    op.drop_table("consent_transitions")
    with op.batch_alter_table("baa_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_baa_transitions_vendor_id_at_ms"))

    op.drop_table("baa_transitions")
    op.drop_table("vendors")
    op.drop_table("rooms")
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_members_user_id"))

    op.drop_table("room_members")
    op.drop_table("patients")
    op.drop_table("appservice_txns")
