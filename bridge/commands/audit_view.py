"""`!audit query` and `!audit verify`: reading the audit log from the control room.

Calls :class:`~bridge.audit.AuditLog` directly (the CLI's formatting lives elsewhere and
prints JSON or full records to a terminal; a chat notice needs fewer columns). Content is
never decrypted here: the control room is a chat room, and "what was said" is a question for
the CLI with its explicit ``--content``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bridge.audit import AuditFilter, AuditRecord
from bridge.commands.parsing import shown
from bridge.commands.replies import WARN, Output, table
from bridge.errors import InvalidArgument
from bridge.policy.agreements import format_ms, parse_expiry
from bridge.service.app import Services

_AGO = re.compile(r"(\d{1,6})([mhdw])")
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A `since=` / `until=` value: an instant, or a duration before now (``24h``).

    Parsing happens before the clock is read, so a relative value is resolved later.
    """

    absolute_ms: int | None = None
    ago_ms: int | None = None

    def resolve(self, now_ms: int) -> int:
        return self.absolute_ms if self.absolute_ms is not None else now_ms - (self.ago_ms or 0)


def parse_instant(text: str) -> TimeRef:
    """``YYYY-MM-DD`` (00:00 UTC), an ISO date-time with zone, or ``30m`` / ``24h`` / ``7d`` /
    ``2w`` ago.

    Raises:
        InvalidArgument: none of these.
    """
    match = _AGO.fullmatch(text.lower())
    if match:
        return TimeRef(ago_ms=int(match.group(1)) * _UNIT_MS[match.group(2)])
    try:
        return TimeRef(absolute_ms=parse_expiry(text))
    except InvalidArgument:
        raise InvalidArgument(
            f"bad time {shown(text)}; expected YYYY-MM-DD, an ISO date-time with zone, "
            "or a duration ago such as 24h or 7d"
        ) from None


async def audit_query_output(
    services: Services,
    *,
    vendor: str | None,
    user: str | None,
    room: str | None,
    category: str | None,
    since: TimeRef | None,
    until: TimeRef | None,
    limit: int,
    now_ms: int,
) -> Output:
    since_ms = since.resolve(now_ms) if since else None
    until_ms = until.resolve(now_ms) if until else None
    if since_ms is not None and until_ms is not None and since_ms >= until_ms:
        raise InvalidArgument("since= must be before until=")
    f = AuditFilter(
        vendor=vendor,
        user=user,
        room=room,
        category=category,
        since_ms=since_ms,
        until_ms=until_ms,
        limit=limit,
    )
    records = await services.audit.query(f, with_content=False)
    if not records:
        return Output("no audit records match")
    total = await services.audit.count(f)
    more = (
        f" of {total} matching (narrow with since= or raise limit=)" if total > len(records) else ""
    )
    return Output(
        f"{len(records)} audit record(s){more}, newest first:", _rows(records), table=True
    )


def _rows(records: Sequence[AuditRecord]) -> tuple[str, ...]:
    rows: list[Sequence[object]] = [
        ("SEQ", "TIME", "ROOM", "SENDER", "TYPE", "CATEGORY", "DECISION", "REASON")
    ]
    rows += [
        (
            r.seq,
            format_ms(r.recorded_ts),
            r.room_id or "-",
            r.sender or "-",
            r.event_type,
            r.category or "-",
            r.decision or "-",
            r.reason or "-",
        )
        for r in records
    ]
    return table(rows, (12, 20, 48, 48, 40, 8, 12, 100))


async def audit_verify_output(services: Services) -> Output:
    report = await services.audit.verify()
    if report.ok:
        return Output(report.message)
    return Output(f"{WARN} {report.message}", ok=False)
