"""Blocked and refused events per vendor and month, counted from the log's metadata."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bridge.audit import AuditLog, RecordKind
from bridge.audit.stats import blocked_per_vendor_and_month

from .conftest import message


def ms(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp() * 1000)


async def test_counts_per_vendor_and_month(log: AuditLog) -> None:
    entries = [
        message(1, decision="block", ts=ms("2026-11-03T10:00")),
        message(2, decision="refused", ts=ms("2026-11-30T23:59")),
        message(3, decision="allow", ts=ms("2026-11-04T10:00")),
        message(4, decision="block", ts=ms("2026-12-01T00:00")),
        message(5, vendor="lab", decision="block", ts=ms("2026-12-02T08:00")),
        # Before the window: not counted.
        message(6, decision="block", ts=ms("2026-10-31T23:59")),
        # Not an event (a command refused, say): not a blocked delivery.
        replace(message(7, decision="refused", ts=ms("2026-12-02T09:00")), kind=RecordKind.COMMAND),
        # A staff-only room: no vendor to count it for.
        message(8, vendor=None, decision="block", ts=ms("2026-12-02T10:00")),
    ]
    await log.append(sorted(entries, key=lambda e: e.recorded_ts))
    counts = await blocked_per_vendor_and_month(log.engine, ms("2026-11-01T00:00"))
    assert counts == {"acme": {"2026-11": 2, "2026-12": 1}, "lab": {"2026-12": 1}}


async def test_an_empty_log_counts_nothing(log: AuditLog) -> None:
    assert await blocked_per_vendor_and_month(log.engine, 0) == {}
