"""Domain types of the audit log: what callers append, what queries return, what verify says.

Nothing here touches the database or the key; these are plain frozen values so the rest of
PHI Gate (policy, service layer, CLI) can build and read audit records without I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bridge.errors import AuditIntegrityError

#: Content categories a record may carry (``None`` = not a message, e.g. a membership event).
CATEGORIES: frozenset[str] = frozenset({"phi", "non_phi", "unknown"})


@dataclass(frozen=True, slots=True)
class Counterparty:
    """A non-staff member of a room and the state of their agreement at that moment.

    Attributes:
        user_id: Matrix user ID.
        kind: ``"vendor"``, ``"patient"`` or ``"unknown"``.
        agreement: The vendor ID for vendors; ``None`` for patients and unknown parties.
        status: The BAA or consent state: ``None``, ``Staging``, ``Pending``, ``Active``,
            ``Expired`` or ``Revoked``.
    """

    user_id: str
    kind: str
    agreement: str | None
    status: str


class RecordKind(StrEnum):
    """What a record is about."""

    EVENT = "event"  # a Matrix event the bridge saw
    DECISION = "decision"  # a gate decision about an event (allow / block …)
    COMMAND = "command"  # an admin command (bot or CLI), accepted or refused
    TRANSITION = "transition"  # a BAA or consent state change
    SYSTEM = "system"  # start, stop, key rotation, gate open/close …


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One record to append. ``seq``, hashes and the key are assigned by :class:`AuditLog`.

    Attributes:
        kind: What the record is about.
        recorded_ts: When PHI Gate recorded it (ms since the epoch, passed in by the caller).
        event_type: e.g. ``m.room.message``, ``m.room.member``, ``org.phigate.baa_transition``,
            ``org.phigate.command``.
        event_id: Matrix event ID, if the record is about an event.
        room_id: Matrix room ID.
        sender: Matrix user ID of whoever caused the record.
        sender_kind: ``staff``, ``vendor``, ``patient``, ``unknown``, ``bot`` or ``admin``.
        counterparties: The room's counterparties and their agreement status at that moment.
        category: ``phi``, ``non_phi``, ``unknown`` or ``None``.
        decision: ``allow``, ``block``, ``undecryptable``, ``refused``, ``applied`` …
        reason: Human-readable reason for the decision.
        event_ts: The event's ``origin_server_ts`` (ms).
        subject_vendor: The vendor a transition or command concerns.
        subject_user: The user a consent transition or command concerns.
        content: The event content (any JSON value; normally a mapping). It is encrypted at
            rest and never stored in plaintext.
        category_reasons: Why the content got its category — the classifier's reason names
            (``date_of_birth``, ``declared_phi``…), never text. The accounting of
            disclosures describes each disclosure with them.
    """

    kind: RecordKind
    recorded_ts: int
    event_type: str
    event_id: str | None = None
    room_id: str | None = None
    sender: str | None = None
    sender_kind: str | None = None
    counterparties: tuple[Counterparty, ...] = ()
    category: str | None = None
    decision: str | None = None
    reason: str | None = None
    event_ts: int | None = None
    subject_vendor: str | None = None
    subject_user: str | None = None
    content: Mapping[str, Any] | None = None
    category_reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """A stored record as read back from the log.

    ``content`` is only filled when the query asked for it (``with_content=True``) — the
    ciphertext stays in ``sealed`` otherwise, and :meth:`AuditLog.content_of` decrypts it on
    demand.

    Attributes:
        seq: Position in the chain, 1-based, gap-free.
        key_id: ID of the audit key the content is encrypted with.
        prev_hash: Hex SHA-256 of the previous record (64 zeros for the first).
        hash: Hex SHA-256 of this record (see :mod:`bridge.audit.chain`).
        sealed: ``nonce || ciphertext || tag`` of the content (AES-256-GCM).
        content: The decrypted content, when requested.
        content_loaded: Whether ``content`` was decrypted (``content`` may legitimately be
            ``None``).
        category_reasons: The classifier's reason names, when the writer recorded them.
    """

    seq: int
    kind: RecordKind
    recorded_ts: int
    event_type: str
    event_id: str | None
    room_id: str | None
    sender: str | None
    sender_kind: str | None
    counterparties: tuple[Counterparty, ...]
    category: str | None
    decision: str | None
    reason: str | None
    event_ts: int | None
    subject_vendor: str | None
    subject_user: str | None
    key_id: str
    prev_hash: str
    hash: str
    sealed: bytes = field(repr=False)
    content: Any = None
    content_loaded: bool = False
    category_reasons: tuple[str, ...] = ()

    @property
    def content_sha256(self) -> str:
        """Hex SHA-256 of the *encrypted* content blob (``sealed``).

        It identifies the stored ciphertext (a SIEM copy can be matched to the database
        row) without revealing anything about the plaintext: a hash of the plaintext would
        let anyone confirm a guessed message such as "HIV positive".
        """
        return hashlib.sha256(self.sealed).hexdigest()

    def to_entry(self) -> AuditEntry:
        """The :class:`AuditEntry` this record was appended from (content only if loaded)."""
        return AuditEntry(
            kind=self.kind,
            recorded_ts=self.recorded_ts,
            event_type=self.event_type,
            event_id=self.event_id,
            room_id=self.room_id,
            sender=self.sender,
            sender_kind=self.sender_kind,
            counterparties=self.counterparties,
            category=self.category,
            decision=self.decision,
            reason=self.reason,
            event_ts=self.event_ts,
            subject_vendor=self.subject_vendor,
            subject_user=self.subject_user,
            content=self.content,
            category_reasons=self.category_reasons,
        )


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which records :meth:`AuditLog.query` returns (all given criteria must hold).

    Attributes:
        vendor: Records where a counterparty's agreement is this vendor ID, or the record's
            ``subject_vendor`` is.
        user: Records whose sender, a counterparty, or ``subject_user`` is this user ID.
        room: Records in this room.
        category: ``phi``, ``non_phi`` or ``unknown``.
        since_ms: ``recorded_ts >= since_ms``.
        until_ms: ``recorded_ts < until_ms`` (exclusive, so consecutive windows don't overlap).
        kind: Only records of this kind.
        limit: At most this many records (newest first); ``None`` for all.
    """

    vendor: str | None = None
    user: str | None = None
    room: str | None = None
    category: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    kind: RecordKind | None = None
    limit: int | None = 100


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Outcome of :meth:`AuditLog.verify`.

    Attributes:
        ok: The chain is intact (and, if checked, the query index matches it).
        count: Records walked (all of them when ``ok``).
        first_bad_seq: The first record that is edited / missing / out of order, if any.
        problem: ``None`` when ok; otherwise ``"edited"`` (hash or authentication tag does
            not match: a field, the ciphertext or the hash itself was changed),
            ``"deleted"`` (a seq is missing), ``"reordered"`` (the record does not link to
            its predecessor: moved, or a predecessor deleted and the rest renumbered),
            ``"front-truncated"`` (records are missing at the start and no prune accounts
            for them), ``"bad key"`` (a record is under a key that is not in the keyring) or
            ``"index"`` (the query index ``audit_party`` disagrees with the records).
        message: One line for people (CLI / bot).
        head_seq: Seq of the last record verified good (``0`` for an empty log); records
            appended while verify ran are not included.
        head_hash: Hex hash of that record. Note it somewhere outside the database to
            detect truncation later: dropping records from the *end* cannot be seen from
            inside the log.
    """

    ok: bool
    count: int
    first_bad_seq: int | None
    problem: str | None
    message: str
    head_seq: int = 0
    head_hash: str | None = None

    def raise_if_bad(self) -> None:
        """Raise :class:`~bridge.errors.AuditIntegrityError` (with ``message``) unless ok."""
        if not self.ok:
            raise AuditIntegrityError(self.message)
