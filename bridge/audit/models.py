"""Tables of the audit log (SQLAlchemy 2, portable between SQLite and PostgreSQL).

* ``audit_record`` — the chain. ``seq`` is assigned by the application (1, 2, 3 … without
  gaps) and is the primary key, so two writers that both try to append after the same tail
  collide on it instead of forking the chain. On SQLite the column is ``INTEGER PRIMARY KEY``
  (an alias of the rowid: the table *is* the seq index and rows are stored in chain order);
  elsewhere it is ``BIGINT``.
* ``audit_party`` — a derived index for "records involving vendor V / user U / room R": one
  row per (record, party key) with the key ``v:<vendor id>``, ``u:<user id>`` or
  ``r:<room id>``, and the record's category and time copied in.
* ``audit_keys`` — every audit key that has encrypted records here, with a ciphertext of a
  constant under that key, so a wrong key file is recognised before anything is written.
* ``audit_checkpoint`` — a copy of every checkpoint this database's log signed (the signed
  notes themselves live outside the database, see :mod:`bridge.audit.checkpoint`). Only used
  to *name* what ``verify`` finds: a log truncated in place still lists checkpoints beyond
  its head here, a restored older copy does not.
* ``audit_hold`` / ``audit_prune`` — legal holds, and the prunes carried out
  (:mod:`bridge.audit.retention`).
* ``audit_token`` — the blind index of content words (:mod:`bridge.audit.search`): one row
  per (record, keyed hash of a normalised word), bucketed like ``audit_party``.

Why the index keys start with a *bucket* (``seq >> 12``, 4096 records): an index keyed on
``(party_key, seq)`` receives each new entry at a random place (after that party's last
entry), so a batch of 500 records dirties roughly one page per entry — on SQLite every dirty
page is written to the WAL whole, and appends became bound by write volume (~6k records/s).
With the bucket first, all new entries land in the small region of the current bucket and
share pages. A query then seeks ``(bucket, party_key, category)`` in each bucket, newest
bucket first, and stops when it has enough rows (see :meth:`AuditLog.query`). For the same
reason events are found by ``(event_ts, event_id)`` — origin timestamps arrive roughly in
order — and not by the random event ID alone.

Neither index is part of the hash chain. ``verify`` checks the party index's row count
against the chain, ``verify(deep=True)`` checks it row by row.

The metadata columns mirror :class:`~bridge.audit.records.AuditEntry`; the fields nothing
filters on by column (sender kind, counterparties, reason, subject vendor/user) live in the
``details`` JSON text, which keeps rows narrow and verify fast.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bridge.store.base import Base

# 64-bit everywhere; on SQLite "INTEGER PRIMARY KEY" makes seq the rowid (no second b-tree).
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class AuditRecordRow(Base):
    """One record of the hash chain (see :mod:`bridge.audit.chain` for what is hashed)."""

    __tablename__ = "audit_record"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    recorded_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)
    event_ts: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    party_count: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String, nullable=False)
    event_type: Mapped[str] = mapped_column(String, nullable=False)
    event_id: Mapped[str | None] = mapped_column(String, nullable=True)
    room_id: Mapped[str | None] = mapped_column(String, nullable=True)
    sender: Mapped[str | None] = mapped_column(String, nullable=True)
    category: Mapped[str | None] = mapped_column(String, nullable=True)
    decision: Mapped[str | None] = mapped_column(String, nullable=True)
    details: Mapped[str] = mapped_column(Text, nullable=False)
    key_id: Mapped[str] = mapped_column(String, nullable=False)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (
        # has_events(): dedupe of Matrix events across restarts, by (origin ts, event ID).
        Index("ix_audit_record_event_ts_event_id", "event_ts", "event_id"),
        # query(since/until) without a party, export --since.
        Index("ix_audit_record_recorded_ts", "recorded_ts"),
    )


#: Records per index bucket (as a power of two). Part of the storage format.
BUCKET_BITS = 12


class AuditPartyRow(Base):
    """Derived index row: record ``seq`` involves ``party_key`` (``v:``/``u:``/``r:`` + ID).

    ``category`` is ``""`` for records without one (primary-key columns cannot be NULL).
    """

    __tablename__ = "audit_party"

    bucket: Mapped[int] = mapped_column(Integer, nullable=False)
    party_key: Mapped[str] = mapped_column(String, nullable=False)
    category: Mapped[str] = mapped_column(String, nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    recorded_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("bucket", "party_key", "category", "seq", name="pk_audit_party"),
        # On SQLite the table is stored as its primary-key b-tree (no rowid b-tree to keep
        # in step); other databases ignore the option.
        {"sqlite_with_rowid": False},
    )


class AuditKeyRow(Base):
    """An audit key known to this database (never the key itself)."""

    __tablename__ = "audit_keys"

    key_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # nonce || AES-256-GCM(key, KEY_CHECK_PLAINTEXT, aad=key_id): proves a key file is the
    # one this ID was registered with.
    key_check: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class AuditCheckpointRow(Base):
    """A checkpoint this log signed: its size, head hash, time and the signed note."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    head_hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    signed_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)


class AuditTokenRow(Base):
    """Derived index row: record ``seq`` contains the word whose keyed hash is ``token``.

    The bucket comes first for the reason given in the module docstring: new rows land in
    the current bucket's pages instead of at random places in the index.
    """

    __tablename__ = "audit_token"

    bucket: Mapped[int] = mapped_column(Integer, nullable=False)
    token: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (
        PrimaryKeyConstraint("bucket", "token", "seq", name="pk_audit_token"),
        {"sqlite_with_rowid": False},
    )


class AuditHoldRow(Base):
    """A legal hold: records involving ``party_key`` (``r:``/``u:``/``v:`` + ID, as in
    ``audit_party``) are never pruned. The reason may name a matter or a person, so it is
    sealed under the audit key like record content (``nonce || AES-256-GCM``, aad = key)."""

    __tablename__ = "audit_hold"

    party_key: Mapped[str] = mapped_column(String, primary_key=True)
    held_by: Mapped[str] = mapped_column(String, nullable=False)
    held_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)
    key_id: Mapped[str] = mapped_column(String, nullable=False)
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class AuditPruneRow(Base):
    """A prune that was carried out: records up to ``through_seq`` (whose hash was
    ``through_hash``) were deleted; record ``record_seq`` (``org.phigate.audit_prune``, in
    the chain and authenticated with it) says so. ``verify`` starts the walk there; the row
    is only a pointer, the record is what is trusted."""

    __tablename__ = "audit_prune"

    through_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    through_hash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    record_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    pruned_ts: Mapped[int] = mapped_column(BigInteger, nullable=False)


record_table = AuditRecordRow.__table__
party_table = AuditPartyRow.__table__
keys_table = AuditKeyRow.__table__
checkpoint_table = AuditCheckpointRow.__table__
token_table = AuditTokenRow.__table__
hold_table = AuditHoldRow.__table__
prune_table = AuditPruneRow.__table__
