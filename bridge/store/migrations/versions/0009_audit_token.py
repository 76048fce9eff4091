"""audit_token: the blind index of content words (keyed hashes, no plaintext)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 09:05:00

Records written before this revision are not in the index until ``phigate audit reindex``
(the migration cannot do it: the index key is derived from the audit key, which the database
never sees).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_token",
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "token", "seq", name="pk_audit_token"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("audit_token")
