"""Formatting of audit records for people and SIEMs: JSON objects and ArcSight CEF lines.

JSON (``phigate audit query --json`` and ``export --format jsonl``): one object per record
with every metadata field, ``hash``/``prev_hash`` (so the copy anchors the chain outside the
database) and ``content_sha256`` — a fingerprint of the *encrypted* content, never the
content. Content is added only when explicitly asked for (``include_content``).

CEF (``export --format cef``)::

    CEF:0|PHI Gate|phigate|<version>|<event_type>|<name>|<severity>|<extensions>

Header fields escape ``\\`` and ``|``; extension values escape ``\\``, ``=`` and line breaks
(``\\n``, ``\\r``), per the CEF specification. Extensions used: ``rt`` (recorded, ms),
``start`` (event time), ``externalId`` (event ID), ``suser`` (sender), ``act`` (decision),
``msg`` (reason), ``cat`` (record kind), ``cn1`` seq, ``cs1`` room, ``cs2`` category,
``cs3`` counterparties, ``cs4`` subject vendor, ``cs5`` subject user, ``cs6`` record hash,
``flexString1`` sender kind, ``flexString2`` content_sha256 — each ``csN``/``cnN`` with its
``…Label``. Blocks are severity 8, undecryptable events 7, refusals 6, agreement
transitions 5, other records 2–3.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from importlib import metadata
from typing import Any

from bridge.audit.records import AuditRecord, RecordKind


@cache
def product_version() -> str:
    """The installed phigate version for the CEF header ("0" when not installed)."""
    try:
        return metadata.version("phigate")
    except metadata.PackageNotFoundError:
        return "0"


def record_to_dict(record: AuditRecord, *, include_content: bool = False) -> dict[str, Any]:
    """JSON-ready dict of a record (content only with ``include_content`` and if loaded)."""
    doc: dict[str, Any] = {
        "seq": record.seq,
        "recorded_ts": record.recorded_ts,
        "recorded_at": _iso(record.recorded_ts),
        "kind": record.kind.value,
        "event_type": record.event_type,
        "event_id": record.event_id,
        "room_id": record.room_id,
        "sender": record.sender,
        "sender_kind": record.sender_kind,
        "counterparties": [
            {"user_id": c.user_id, "kind": c.kind, "agreement": c.agreement, "status": c.status}
            for c in record.counterparties
        ],
        "category": record.category,
        "category_reasons": list(record.category_reasons),
        "decision": record.decision,
        "reason": record.reason,
        "event_ts": record.event_ts,
        "subject_vendor": record.subject_vendor,
        "subject_user": record.subject_user,
        "key_id": record.key_id,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
        "content_sha256": record.content_sha256,
    }
    if include_content and record.content_loaded:
        doc["content"] = record.content
    return doc


def record_to_jsonl(record: AuditRecord) -> str:
    """One JSON line; includes ``content`` if the record was read with its content."""
    return json.dumps(
        record_to_dict(record, include_content=record.content_loaded),
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds")


def cef_header_escape(value: str) -> str:
    """Escape a CEF header field: backslash and pipe; line breaks become spaces (a header
    cannot contain them)."""
    return (
        value.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")
    ).replace("\r", " ")


def cef_ext_escape(value: str) -> str:
    """Escape a CEF extension value: backslash, equals sign, and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace("=", "\\=")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def cef_severity(record: AuditRecord) -> int:
    """0–10: blocks highest, then undecryptable, refusals, agreement transitions."""
    decision = (record.decision or "").lower()
    if decision in ("block", "blocked"):
        return 8
    if decision == "undecryptable":
        return 7
    if decision in ("refused", "denied"):
        return 6
    if record.kind is RecordKind.TRANSITION:
        return 5
    if record.kind in (RecordKind.COMMAND, RecordKind.SYSTEM) or record.category == "phi":
        return 3
    return 2


def _counterparties_text(record: AuditRecord) -> str:
    parts = []
    for c in record.counterparties:
        agreement = f" {c.agreement}" if c.agreement else ""
        parts.append(f"{c.user_id} ({c.kind}{agreement}: {c.status})")
    return ", ".join(parts)


def record_to_cef(record: AuditRecord) -> str:
    """One CEF line for a record (never includes the content)."""
    name = record.kind.value + (f" {record.decision}" if record.decision else "")
    header = "|".join(
        [
            "CEF:0",
            "PHI Gate",
            "phigate",
            cef_header_escape(product_version()),
            cef_header_escape(record.event_type),
            cef_header_escape(name),
            str(cef_severity(record)),
        ]
    )
    ext: list[tuple[str, Any]] = [
        ("rt", record.recorded_ts),
        ("start", record.event_ts),
        ("externalId", record.event_id),
        ("suser", record.sender),
        ("act", record.decision),
        ("msg", record.reason),
        ("cat", record.kind.value),
        ("cn1Label", "seq"),
        ("cn1", record.seq),
        ("cs1Label", "room"),
        ("cs1", record.room_id),
        ("cs2Label", "category"),
        ("cs2", record.category),
        ("cs3Label", "counterparties"),
        ("cs3", _counterparties_text(record) or None),
        ("cs4Label", "subjectVendor"),
        ("cs4", record.subject_vendor),
        ("cs5Label", "subjectUser"),
        ("cs5", record.subject_user),
        ("cs6Label", "recordHash"),
        ("cs6", record.hash),
        ("flexString1Label", "senderKind"),
        ("flexString1", record.sender_kind),
        ("flexString2Label", "contentSha256"),
        ("flexString2", record.content_sha256),
    ]
    # Drop empty values together with their label, so no dangling "csNLabel=" is emitted.
    present = {k for k, v in ext if v is not None and not k.endswith("Label")}
    fields = [
        f"{k}={cef_ext_escape(str(v))}"
        for k, v in ext
        if v is not None and (not k.endswith("Label") or k[: -len("Label")] in present)
    ]
    return f"{header}|{' '.join(fields)}"
