"""The accounting of disclosures (HIPAA §164.528), read from the audit log.

**What counts.** A *disclosure* is a PHI-bearing event delivered to a party outside the
workforce. From the records:

* PHI-bearing: the record's category is ``phi``, or ``unknown`` (content PHI Gate could not
  read — undecryptable, malformed, an unknown event type — is gated like PHI, and so is it
  accounted for; such rows say so).
* an event that reached the room: a record of kind ``event`` or ``decision`` (the re-decision
  after a room key arrived) whose decision is not one that kept it from being stored
  (:data:`NOT_DELIVERED`: ``pending`` means a later ``decision`` record settles it). PHI
  Gate sees events after the homeserver accepted them, so an event *blocked* here was
  delivered and then removed: a **late block**, listed and flagged.
* one row per recipient: every counterparty on the record (the room's vendors, patients and
  unknown parties, with their agreement's state at that moment) except the sender.

The same event can have several records (accepted while undecryptable, re-decided when its
key arrived): the newest record of an event is the one accounted for.

**Covered or not.** A delivery is covered when the recipient's agreement was ``Active`` at
that moment (a vendor's BAA, a patient's consent). Any other delivery — a late block, an
undecryptable event let through by ``undecryptable_in_gated_room: allow``, anything that
slipped past — is flagged as a **possible breach** for the compliance officer to assess.

**Per patient or per vendor.** ``vendor=V``: deliveries to V's users. ``patient=U``:
PHI-bearing events in U's presence — sent by U or delivered to U or to any other outside
party in a room with U. PHI Gate cannot know whose PHI a message is about; this is the
closest reading of "disclosures of U's PHI" the records allow, and says so.

HIPAA leaves some disclosures out of the accounting (to the individual, for treatment,
payment and health-care operations, §164.528(a)(1)); the listing is complete and the officer
leaves those out, which is why each row names the recipient's kind and the agreement.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bridge.audit.models import record_table
from bridge.audit.records import AuditFilter, AuditRecord, Counterparty, RecordKind
from bridge.classify import classify_content
from bridge.errors import AuditIntegrityError, AuditKeyError, InvalidArgument
from bridge.policy.agreements import format_ms

if TYPE_CHECKING:
    from bridge.audit.log import AuditLog

#: Categories a disclosure can carry.
PHI_BEARING = ("phi", "unknown")
#: Decisions under which an event was not stored, so not delivered.
NOT_DELIVERED = frozenset({"pending", "refused", "rejected"})
#: The HIPAA look-back: an accounting covers the six years before the request.
DEFAULT_YEARS = 6
FORMATS = ("table", "csv", "json")
_DELIVERED_KINDS = (RecordKind.EVENT, RecordKind.DECISION)
_RE_DERIVE_CHUNK = 500


@dataclass(frozen=True, slots=True)
class DisclosureQuery:
    """Whose accounting, over which range.

    Attributes:
        patient: Events in this user's presence (see the module docstring).
        vendor: Deliveries to this vendor's users.
        since_ms: From (inclusive, by record time).
        until_ms: To (exclusive).
    """

    since_ms: int
    until_ms: int
    patient: str | None = None
    vendor: str | None = None

    def __post_init__(self) -> None:
        if self.patient is not None and self.vendor is not None:
            raise InvalidArgument("ask for one patient or one vendor, not both")
        if self.since_ms >= self.until_ms:
            raise InvalidArgument("since must be before until")

    @property
    def subject(self) -> str:
        if self.vendor is not None:
            return f"vendor {self.vendor}"
        if self.patient is not None:
            return f"patient {self.patient}"
        return "all parties"


@dataclass(frozen=True, slots=True)
class Disclosure:
    """One delivery of a PHI-bearing event to one party outside the workforce.

    Attributes:
        seq: The audit record it is read from.
        at_ms: When the event was sent (origin time; the record time if unknown).
        recipient: Matrix user ID of the party it reached.
        recipient_kind: ``vendor``, ``patient``, ``unknown`` or ``unrecognised``.
        agreement: The vendor ID for a vendor's user, else ``None``.
        agreement_state: The BAA or consent state at that moment.
        category: ``phi`` or ``unknown``.
        reasons: The classifier's reason names (never text).
        reasons_derived: The record carried none; they were derived again from the
            decrypted content with today's classifier.
        event_type, event_id, room_id, sender: The event.
        decision: The gate's decision (``allow``, ``block``…).
        decision_reason: The gate's reason.
    """

    seq: int
    at_ms: int
    recipient: str
    recipient_kind: str
    agreement: str | None
    agreement_state: str
    category: str
    reasons: tuple[str, ...]
    reasons_derived: bool
    event_type: str
    event_id: str | None
    room_id: str | None
    sender: str | None
    decision: str | None
    decision_reason: str | None

    @property
    def covered(self) -> bool:
        return self.agreement_state == "Active"

    @property
    def late_block(self) -> bool:
        return (self.decision or "").lower() in ("block", "blocked")

    @property
    def possible_breach(self) -> bool:
        return not self.covered

    @property
    def recipient_server(self) -> str:
        return self.recipient.partition(":")[2]

    @property
    def agreement_kind(self) -> str:
        return {"vendor": "BAA", "patient": "consent"}.get(self.recipient_kind, "BAA")

    @property
    def basis(self) -> str:
        """``BAA acme Active`` / ``consent Revoked`` / ``BAA None (unknown party)``."""
        who = f" {self.agreement}" if self.agreement else ""
        unknown = {
            "unknown": " (unknown party)",
            "unrecognised": " (local account not recognised as staff)",
        }.get(self.recipient_kind, "")
        return f"{self.agreement_kind}{who} {self.agreement_state}{unknown}"

    @property
    def description(self) -> str:
        """Category, reasons, event type and room, and how it was delivered."""
        reasons = ", ".join(self.reasons) or "no reason recorded"
        if self.reasons_derived:
            reasons += " (re-derived)"
        parts = [f"{self.category} ({reasons})", self.event_type, f"in {self.room_id or '-'}"]
        if self.category == "unknown":
            parts.append("content unreadable to PHI Gate")
        if self.late_block:
            parts.append("late block: removed after delivery")
        return "; ".join(parts)

    @property
    def flag(self) -> str:
        return "POSSIBLE BREACH" if self.possible_breach else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": _iso(self.at_ms),
            "at_ms": self.at_ms,
            "recipient": self.recipient,
            "recipient_kind": self.recipient_kind,
            "recipient_server": self.recipient_server,
            "agreement_kind": self.agreement_kind,
            "agreement": self.agreement,
            "agreement_state": self.agreement_state,
            "covered": self.covered,
            "possible_breach": self.possible_breach,
            "late_block": self.late_block,
            "category": self.category,
            "reasons": list(self.reasons),
            "reasons_derived": self.reasons_derived,
            "description": self.description,
            "event_type": self.event_type,
            "event_id": self.event_id,
            "room_id": self.room_id,
            "sender": self.sender,
            "decision": self.decision,
            "decision_reason": self.decision_reason,
            "seq": self.seq,
        }


def default_since(now_ms: int, years: int = DEFAULT_YEARS) -> int:
    """The same calendar instant ``years`` years before ``now_ms`` (29 February → 28th)."""
    now = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    try:
        then = now.replace(year=now.year - years)
    except ValueError:
        then = now.replace(year=now.year - years, day=28)
    return int(then.timestamp() * 1000)


async def disclosures(log: AuditLog, query: DisclosureQuery) -> list[Disclosure]:
    """The accounting for ``query``, oldest first.

    Raises:
        AuditKeyError: a record without recorded reasons is under a key not in the keyring.
    """
    latest: dict[str, AuditRecord] = {}
    async for record in _candidates(log, query):
        # The newest record of an event settles it (an undecryptable event re-decided).
        key = record.event_id or f"#{record.seq}"
        if key not in latest or latest[key].seq < record.seq:
            latest[key] = record
    superseded = await _superseded(log, [r for r in latest.values() if r.category == "unknown"])
    records = sorted((r for r in latest.values() if r.seq not in superseded), key=lambda r: r.seq)
    derived = await _rederive_reasons(log, [r for r in records if not r.category_reasons])
    rows: list[Disclosure] = []
    for record in records:
        if (record.decision or "").lower() in NOT_DELIVERED:
            continue
        reasons, was_derived = derived.get(record.seq, (record.category_reasons, False))
        for party in _recipients(record, query):
            rows.append(_row(record, party, reasons, was_derived))
    rows.sort(key=lambda d: (d.at_ms, d.seq, d.recipient))
    return rows


async def _candidates(log: AuditLog, query: DisclosureQuery) -> AsyncIterator[AuditRecord]:
    for category in PHI_BEARING:
        f = AuditFilter(
            vendor=query.vendor,
            user=query.patient,
            category=category,
            since_ms=query.since_ms,
            until_ms=query.until_ms,
            limit=None,
        )
        async for record in log.iter_query(f):
            if record.kind in _DELIVERED_KINDS:
                yield record


async def _superseded(log: AuditLog, records: Sequence[AuditRecord]) -> set[int]:
    """Seqs of these records that a newer record of the same event overrides, whatever its
    category: an event accepted while undecryptable (``unknown``) whose key came later and
    showed ``non_phi`` content was no disclosure. Looked up by (origin time, event ID), the
    pair the records are indexed by."""
    keyed = {(r.event_ts, r.event_id): r.seq for r in records if r.event_id and r.event_ts}
    pairs = list(keyed)
    newest: dict[tuple[int, str], int] = {}
    c = record_table.c
    kinds = [k.value for k in _DELIVERED_KINDS]
    async with log.engine.connect() as conn:
        for i in range(0, len(pairs), _RE_DERIVE_CHUNK // 2):
            chunk = set(pairs[i : i + _RE_DERIVE_CHUNK // 2])
            stmt = select(c.event_ts, c.event_id, c.seq).where(
                c.event_ts.in_({ts for ts, _ in chunk}),
                c.event_id.in_({eid for _, eid in chunk}),
                c.kind.in_(kinds),
            )
            for ts, eid, seq in await conn.execute(stmt):
                if (ts, eid) in chunk:
                    newest[(ts, eid)] = max(seq, newest.get((ts, eid), 0))
    return {seq for pair, seq in keyed.items() if newest.get(pair, seq) > seq}


def _recipients(record: AuditRecord, query: DisclosureQuery) -> list[Counterparty]:
    seen: set[str] = set()
    found = []
    for party in record.counterparties:
        if party.user_id == record.sender or party.user_id in seen:
            continue
        if query.vendor is not None and party.agreement != query.vendor:
            continue
        seen.add(party.user_id)
        found.append(party)
    return found


def _row(
    record: AuditRecord, party: Counterparty, reasons: tuple[str, ...], derived: bool
) -> Disclosure:
    return Disclosure(
        seq=record.seq,
        at_ms=record.event_ts if record.event_ts is not None else record.recorded_ts,
        recipient=party.user_id,
        recipient_kind=party.kind,
        agreement=party.agreement,
        agreement_state=party.status,
        category=record.category or "unknown",
        reasons=reasons,
        reasons_derived=derived,
        event_type=record.event_type,
        event_id=record.event_id,
        room_id=record.room_id,
        sender=record.sender,
        decision=record.decision,
        decision_reason=record.reason,
    )


async def _rederive_reasons(
    log: AuditLog, records: Sequence[AuditRecord]
) -> dict[int, tuple[tuple[str, ...], bool]]:
    """Reasons for records written without them: decrypt (nothing is shown) and classify.

    A record whose content fails authentication gets the reason ``content_fails_authentication``
    (``audit verify`` names it); the accounting still lists the delivery.
    """
    found: dict[int, tuple[tuple[str, ...], bool]] = {}
    seqs = [r.seq for r in records]
    for i in range(0, len(seqs), _RE_DERIVE_CHUNK):
        chunk = seqs[i : i + _RE_DERIVE_CHUNK]
        try:
            loaded = await log.records_at(chunk, with_content=True)
        except (AuditIntegrityError, AuditKeyError):
            loaded = []
            for seq in chunk:
                try:
                    loaded.extend(await log.records_at([seq], with_content=True))
                except AuditIntegrityError:
                    found[seq] = (("content_fails_authentication",), False)
        for record in loaded:
            found[record.seq] = (_classify_again(record), True)
    return found


def _classify_again(record: AuditRecord) -> tuple[str, ...]:
    content = record.content
    inner = content.get("content") if isinstance(content, dict) else None
    if not isinstance(inner, dict):
        return ()
    return tuple(classify_content(inner, event_type=record.event_type).reasons)


# --- output -------------------------------------------------------------------------------------


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="seconds")


def summary(rows: Sequence[Disclosure], query: DisclosureQuery) -> str:
    """``N disclosure(s) of PHI to vendor acme from … to …; K possible breach(es)``."""
    breaches = sum(d.possible_breach for d in rows)
    flagged = (
        f"{breaches} possible breach(es) (no Active agreement)" if breaches else "none flagged"
    )
    return (
        f"{len(rows)} disclosure(s) of PHI, {query.subject}, from {format_ms(query.since_ms)}"
        f" to {format_ms(query.until_ms)}; {flagged}"
    )


TABLE_HEADER = ("DATE", "RECIPIENT", "KIND", "AGREEMENT", "FLAG", "DESCRIPTION")


def table_rows(rows: Iterable[Disclosure]) -> list[tuple[str, ...]]:
    """Rows for an aligned table (header first)."""
    out: list[tuple[str, ...]] = [TABLE_HEADER]
    out += [
        (format_ms(d.at_ms), d.recipient, d.recipient_kind, d.basis, d.flag or "-", d.description)
        for d in rows
    ]
    return out


def render_table(rows: Sequence[Disclosure], query: DisclosureQuery) -> str:
    lines = [summary(rows, query)]
    if rows:
        cells = table_rows(rows)
        width = [max(len(r[i]) for r in cells) for i in range(len(TABLE_HEADER) - 1)]
        for r in cells:
            lines.append("  ".join(c.ljust(width[i]) for i, c in enumerate(r[:-1])) + "  " + r[-1])
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "date",
    "recipient",
    "recipient_kind",
    "recipient_server",
    "agreement_kind",
    "agreement",
    "agreement_state",
    "covered",
    "possible_breach",
    "late_block",
    "category",
    "reasons",
    "description",
    "event_type",
    "event_id",
    "room_id",
    "sender",
    "decision",
    "decision_reason",
    "seq",
)
_USER_ID = re.compile(r"@[^\s:]+:[A-Za-z0-9.\-\[\]:]+")


def _csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run: text starting with ``= + - @`` (or a tab or CR)
    gets a leading apostrophe, except a plain Matrix user ID."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _USER_ID.fullmatch(text):
        return "'" + text
    return text


def render_csv(rows: Sequence[Disclosure]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in rows:
        doc = d.to_dict()
        writer.writerow([_csv_cell(doc[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()


def render_json(rows: Sequence[Disclosure], query: DisclosureQuery, now_ms: int) -> str:
    doc = {
        "accounting_of_disclosures": "HIPAA 45 CFR 164.528",
        "generated_at": _iso(now_ms),
        "subject": {"patient": query.patient, "vendor": query.vendor},
        "since": _iso(query.since_ms),
        "until": _iso(query.until_ms),
        "count": len(rows),
        "possible_breaches": sum(d.possible_breach for d in rows),
        "disclosures": [d.to_dict() for d in rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render(fmt: str, rows: Sequence[Disclosure], query: DisclosureQuery, now_ms: int) -> str:
    """The accounting in ``table``, ``csv`` or ``json``.

    Raises:
        InvalidArgument: another format.
    """
    if fmt == "table":
        return render_table(rows, query)
    if fmt == "csv":
        return render_csv(rows)
    if fmt == "json":
        return render_json(rows, query, now_ms)
    raise InvalidArgument(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
