"""`!audit query`, `!audit verify` and `!audit disclosures`: reading the audit log from the
control room.

Filters and time arguments come from :mod:`bridge.service.audit`, shared with the CLI; only
the chat formatting (a table in a notice) lives here. Content is
never decrypted here: the control room is a chat room, and "what was said" is a question for
the CLI with its explicit ``--content``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.audit import AuditRecord
from bridge.audit.disclosures import summary, table_rows
from bridge.commands.replies import WARN, Output, table
from bridge.policy.agreements import format_ms
from bridge.service.app import Services
from bridge.service.audit import (
    TimeRef,
    accounting,
    audit_filter,
    disclosure_query,
    verify_report,
)

#: Disclosures listed in one notice (the newest); the CLI gives the whole accounting.
DISCLOSURES_SHOWN = 50


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
    f = audit_filter(
        vendor=vendor,
        user=user,
        room=room,
        category=category,
        since=since,
        until=until,
        limit=limit,
        now_ms=now_ms,
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
    report = await verify_report(services)
    if report.ok:
        return Output(report.message)
    return Output(f"{WARN} {report.message}", ok=False)


async def audit_disclosures_output(
    services: Services,
    *,
    patient: str | None,
    vendor: str | None,
    since: TimeRef | None,
    until: TimeRef | None,
    now_ms: int,
) -> Output:
    query = disclosure_query(
        patient=patient, vendor=vendor, since=since, until=until, now_ms=now_ms
    )
    rows = await accounting(services, query)
    head = summary(rows, query)
    if not rows:
        return Output(head)
    breaches = any(d.possible_breach for d in rows)
    shown = rows[-DISCLOSURES_SHOWN:]
    lines = table(table_rows(shown), (20, 60, 8, 40, 15, 160))
    if len(rows) > len(shown):
        lines += (
            f"… and {len(rows) - len(shown)} earlier; the whole accounting:"
            " phigate audit disclosures --format csv",
        )
    return Output(f"{WARN} {head}" if breaches else head, lines, table=True, ok=not breaches)
