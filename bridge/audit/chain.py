"""Canonical encoding of a record, its hash, and the encryption of its content.

The format (version ``A1``) is the contract between writers and verifiers; changing any byte
of it breaks every existing chain, so it is spelled out here.

**Metadata encoding** ``meta`` (UTF-8 bytes of one string): ``"A1"`` followed, for each
field below in this order, by the separator U+001F and the field::

    seq, recorded_ts, event_ts?, party_count, kind, event_type, event_id?, room_id?,
    sender?, category?, decision?, details, key_id

Integers are written in decimal and text as it is; an optional field (``?``) is empty when
``None`` and ``"="`` + its value otherwise, so ``None`` and ``""`` differ. No field ever
contains U+001F (writers replace it, and ``details`` is ASCII-escaped JSON), so a valid
encoding has exactly 13 separators and is unambiguous: a different set of values cannot
produce the same string. Values are hashed exactly as the database returns them (text and
integers round-trip unchanged on SQLite and PostgreSQL), so the encoding is the same on
both. ``details`` is the JSON text of the remaining metadata (sender kind, counterparties,
reason, subject vendor/user), stored and hashed verbatim.

**Content**: ``sealed = nonce(12) || AES-256-GCM(key, nonce, content_json, aad)`` with
``aad = prev_hash(32) || meta``. Every record is sealed, also those without content (the
JSON ``null`` is encrypted), so each record's metadata *and its link to the chain* are
authenticated under the audit key.

**Hash**: ``hash = SHA-256(prev_hash || u64be(len(meta)) || meta || sealed)``; the first
record's ``prev_hash`` is 32 zero bytes. The length prefix fixes where ``meta`` ends and the
ciphertext begins (``sealed`` is arbitrary bytes), so the input is unambiguous.

Why the tag binds ``prev_hash``: SHA-256 alone needs no secret, so someone with write access
could edit a record and recompute every later hash. Because the last record's tag covers its
``prev_hash``, which commits to the whole chain before it, checking the hash of every record
plus the tag of the *last* one authenticates the whole log under the key (see
:meth:`AuditLog.verify`). Dropping records from the end is the one change a log cannot see
in itself; keep the head hash that verify prints (or the SIEM export) outside the database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from bridge.audit.records import AuditEntry, Counterparty

#: ``prev_hash`` of the first record.
GENESIS = bytes(32)
FORMAT = "A1"
NONCE_BYTES = 12

_sha256 = hashlib.sha256


# The record columns encode_meta() takes, in its argument order.
META_COLUMNS: tuple[str, ...] = (
    "seq",
    "recorded_ts",
    "event_ts",
    "party_count",
    "kind",
    "event_type",
    "event_id",
    "room_id",
    "sender",
    "category",
    "decision",
    "details",
    "key_id",
)


def encode_meta(
    seq: int,
    recorded_ts: int,
    event_ts: int | None,
    party_count: int,
    kind: str,
    event_type: str,
    event_id: str | None,
    room_id: str | None,
    sender: str | None,
    category: str | None,
    decision: str | None,
    details: str,
    key_id: str,
) -> bytes:
    """Canonical metadata encoding (see the module docstring). Verify calls this for every
    record, so it is a single f-string."""
    return (
        f"A1\x1f{seq}\x1f{recorded_ts}\x1f{'' if event_ts is None else f'={event_ts}'}"
        f"\x1f{party_count}\x1f{kind}\x1f{event_type}"
        f"\x1f{'' if event_id is None else '=' + event_id}"
        f"\x1f{'' if room_id is None else '=' + room_id}"
        f"\x1f{'' if sender is None else '=' + sender}"
        f"\x1f{'' if category is None else '=' + category}"
        f"\x1f{'' if decision is None else '=' + decision}"
        f"\x1f{details}\x1f{key_id}"
    ).encode()


def record_hash(prev_hash: bytes, meta: bytes, sealed: bytes) -> bytes:
    """``SHA-256(prev_hash || u64be(len(meta)) || meta || sealed)``."""
    return _sha256(prev_hash + len(meta).to_bytes(8, "big") + meta + sealed).digest()


def clean_text(value: str) -> str:
    """Make a metadata string storable everywhere and safe to encode: NUL (PostgreSQL
    rejects it in text), U+001F (the field separator of :func:`encode_meta`) and lone
    surrogates (no database stores them) become U+FFFD — an audit append must not fail
    over a stray control character in a reason.

    Raises:
        TypeError: ``value`` is not a string.
    """
    if type(value) is not str:
        raise TypeError(f"audit metadata must be text, got {type(value).__name__}")
    if "\x00" in value or "\x1f" in value:
        value = value.replace("\x00", "\ufffd").replace("\x1f", "\ufffd")
    if value.isascii():  # O(1) in CPython: the common case
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    return value


# Compact JSON; ensure_ascii (the default) escapes NUL, control characters and lone
# surrogates, so the text is storable on every database as it is.
_json_encode = json.JSONEncoder(separators=(",", ":")).encode


def encode_details(
    sender_kind: str | None,
    counterparties: Sequence[Counterparty],
    reason: str | None,
    subject_vendor: str | None,
    subject_user: str | None,
    category_reasons: Sequence[str] = (),
) -> str:
    """JSON text of the metadata that is shown but not filtered on by column.

    Keys with no value are left out (so records written before a key existed hash exactly
    as they did). The text is hashed verbatim as stored, so it need not be canonical JSON;
    the fixed key order just keeps it stable and readable.
    """
    doc: dict[str, Any] = {}
    if sender_kind is not None:
        doc["sender_kind"] = sender_kind
    if counterparties:
        doc["counterparties"] = [
            {"user_id": c.user_id, "kind": c.kind, "agreement": c.agreement, "status": c.status}
            for c in counterparties
        ]
    if reason is not None:
        doc["reason"] = reason
    if subject_vendor is not None:
        doc["subject_vendor"] = subject_vendor
    if subject_user is not None:
        doc["subject_user"] = subject_user
    if category_reasons:
        doc["category_reasons"] = [str(r) for r in category_reasons]
    return _json_encode(doc)


def decode_details(details: str) -> dict[str, Any]:
    """Parse ``details`` back; counterparties become a tuple of :class:`Counterparty`."""
    doc = json.loads(details)
    doc["counterparties"] = tuple(
        Counterparty(c["user_id"], c["kind"], c.get("agreement"), c["status"])
        for c in doc.get("counterparties", ())
    )
    return doc


def party_keys(entry: AuditEntry) -> list[str]:
    """Keys under which a record is found by vendor / user / room (the ``audit_party`` index).

    ``v:<vendor>`` for every counterparty agreement and the subject vendor;
    ``u:<user>`` for the sender, every counterparty and the subject user;
    ``r:<room>`` for the room. Sorted, unique.
    """
    keys: set[str] = set()
    if entry.room_id is not None:
        keys.add("r:" + clean_text(entry.room_id))
    if entry.sender is not None:
        keys.add("u:" + clean_text(entry.sender))
    for cp in entry.counterparties:
        keys.add("u:" + clean_text(cp.user_id))
        if cp.agreement is not None:
            keys.add("v:" + clean_text(cp.agreement))
    if entry.subject_vendor is not None:
        keys.add("v:" + clean_text(entry.subject_vendor))
    if entry.subject_user is not None:
        keys.add("u:" + clean_text(entry.subject_user))
    return sorted(keys)


def party_keys_from_stored(
    room_id: str | None, sender: str | None, details: dict[str, Any]
) -> list[str]:
    """:func:`party_keys` recomputed from a stored record (for the deep index check)."""
    keys: set[str] = set()
    if room_id is not None:
        keys.add("r:" + room_id)
    if sender is not None:
        keys.add("u:" + sender)
    for cp in details.get("counterparties", ()):
        keys.add("u:" + clean_text(cp.user_id))
        if cp.agreement is not None:
            keys.add("v:" + clean_text(cp.agreement))
    if details.get("subject_vendor") is not None:
        keys.add("v:" + clean_text(details["subject_vendor"]))
    if details.get("subject_user") is not None:
        keys.add("u:" + clean_text(details["subject_user"]))
    return sorted(keys)


def encode_content(content: Any) -> bytes:
    """Content as compact JSON bytes (``null`` when there is none).

    Raises:
        TypeError: the content is not JSON-serialisable.
    """
    return _json_encode(content).encode("ascii")


def decode_content(plaintext: bytes) -> Any:
    """Inverse of :func:`encode_content`."""
    return json.loads(plaintext)
