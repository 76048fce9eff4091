"""Audit operations both the CLI and the bot commands call: time arguments, filters, verify."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bridge.audit import AuditFilter, AuditRecord, record_to_jsonl
from bridge.audit.records import CATEGORIES
from bridge.errors import InvalidArgument
from bridge.policy.agreements import format_ms, parse_expiry

if TYPE_CHECKING:
    from bridge.service.app import Services

_AGO = re.compile(r"(\d{1,6})([mhdw])")
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A ``since`` / ``until`` value: an instant, or a duration before now (``24h``).

    Parsed before the clock is read, so a relative value is resolved later.
    """

    absolute_ms: int | None = None
    ago_ms: int | None = None

    def resolve(self, now_ms: int) -> int:
        return self.absolute_ms if self.absolute_ms is not None else now_ms - (self.ago_ms or 0)


def parse_instant(text: str) -> TimeRef:
    """``YYYY-MM-DD`` (00:00 UTC), an ISO date-time with zone, a number of ms since the epoch,
    or ``30m`` / ``24h`` / ``7d`` / ``2w`` ago.

    Raises:
        InvalidArgument: none of these.
    """
    value = text.strip()
    match = _AGO.fullmatch(value.lower())
    if match:
        return TimeRef(ago_ms=int(match.group(1)) * _UNIT_MS[match.group(2)])
    if value.isdigit() and len(value) >= 12:
        return TimeRef(absolute_ms=int(value))
    try:
        return TimeRef(absolute_ms=parse_expiry(value))
    except InvalidArgument:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise InvalidArgument(
            f"bad time {shown!r}; expected YYYY-MM-DD, an ISO date-time with zone, "
            "or a duration ago such as 24h or 7d"
        ) from None


def audit_filter(
    *,
    vendor: str | None = None,
    user: str | None = None,
    room: str | None = None,
    category: str | None = None,
    since: TimeRef | None = None,
    until: TimeRef | None = None,
    limit: int | None = 100,
    now_ms: int,
) -> AuditFilter:
    """The one place query arguments become a filter (CLI flags and `!audit query` alike)."""
    if category is not None and category not in CATEGORIES:
        raise InvalidArgument(
            f"unknown category {category!r}; expected one of: {', '.join(sorted(CATEGORIES))}"
        )
    if limit is not None and limit < 1:
        raise InvalidArgument("limit must be at least 1")
    since_ms = since.resolve(now_ms) if since else None
    until_ms = until.resolve(now_ms) if until else None
    if since_ms is not None and until_ms is not None and since_ms >= until_ms:
        raise InvalidArgument("since must be before until")
    return AuditFilter(
        vendor=vendor,
        user=user,
        room=room,
        category=category,
        since_ms=since_ms,
        until_ms=until_ms,
        limit=limit,
    )


def record_line(record: AuditRecord) -> str:
    """One human-readable line per record (never the content)."""
    parts = [
        f"#{record.seq}",
        format_ms(record.recorded_ts),
        record.kind.value,
        record.event_type,
        f"room={record.room_id or '-'}",
        f"sender={record.sender or '-'}",
        f"category={record.category or '-'}",
        f"decision={record.decision or '-'}",
    ]
    if record.reason:
        parts.append(f"reason={record.reason}")
    return "  ".join(parts)


# --- CLI entry points (bridge/cli.py) ----------------------------------------------------------


async def verify(services: Services) -> int:
    report = await services.audit.verify()
    stream = sys.stdout if report.ok else sys.stderr
    print(report.message, file=stream)
    return 0 if report.ok else 1


async def query_command(services: Services, args: argparse.Namespace) -> int:
    now = services.agreements.now_ms()
    f = audit_filter(
        vendor=args.vendor,
        user=args.user,
        room=args.room,
        category=args.category,
        since=parse_instant(args.since) if args.since else None,
        until=parse_instant(args.until) if args.until else None,
        limit=args.limit,
        now_ms=now,
    )
    records = await services.audit.query(f, with_content=args.content)
    for record in records:
        print(record_to_jsonl(record) if args.json else record_line(record))
    if not args.json:
        print(f"{len(records)} record(s)", file=sys.stderr)
    return 0


async def export_command(services: Services, args: argparse.Namespace) -> int:
    now = services.agreements.now_ms()
    since = parse_instant(args.since).resolve(now) if args.since else None
    async for line in services.audit.iter_export(args.format, since):
        sys.stdout.write(line if line.endswith("\n") else line + "\n")
    return 0
