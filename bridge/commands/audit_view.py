"""`!audit query`, `!audit verify`, `!audit disclosures` and the legal holds (`!audit hold`,
`!audit release`, `!audit holds`): the audit log from the control room.

Filters and time arguments come from :mod:`bridge.service.audit`, shared with the CLI; only
the chat formatting (a table in a notice) lives here. Content is
never decrypted here: the control room is a chat room, and "what was said" is a question for
the CLI with its explicit ``--content``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bridge.audit import AuditRecord
from bridge.audit.checkpoint import CheckpointSet, witness_notes
from bridge.audit.disclosures import summary, table_rows
from bridge.audit.retention import HoldTarget, add_hold, list_holds, release_hold
from bridge.commands.replies import WARN, Output, table
from bridge.policy.agreements import format_ms
from bridge.service.app import Services
from bridge.service.audit import (
    TimeRef,
    accounting,
    audit_filter,
    checkpoint_set,
    checkpoint_sources,
    disclosure_query,
    verify_sources,
)

#: Reads the control room's ``org.phigate.checkpoint`` state event content (``None``: the
#: room has none). Raises when the homeserver cannot be asked.
WitnessReader = Callable[[], Awaitable[dict[str, Any] | None]]
WITNESS_SOURCE = "the control room's witness copy"

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


async def audit_verify_output(services: Services, witness: WitnessReader | None) -> Output:
    """The chain, judged against the checkpoint file and the witness copy in the control
    room (as `phigate audit verify --checkpoint` does with a file); the detail lines say
    which checkpoint each source gave."""
    sources = checkpoint_sources(services.config)
    lines: list[str] = []
    if witness is not None:
        try:
            content = await witness()
        except Exception as e:  # the homeserver may be away: say so, still check the file
            lines.append(f"{WITNESS_SOURCE}: could not be read ({type(e).__name__})")
            content = None
        else:
            if content is None:
                lines.append(f"{WITNESS_SOURCE}: none in this room yet")
        if content is not None:
            notes = witness_notes(json.dumps(content))
            sources.append(checkpoint_set(services.config, notes, WITNESS_SOURCE))
    report = await verify_sources(services, sources)
    lines = [_used(s) for s in sources] + lines
    if report.ok:
        return Output(report.message, tuple(lines))
    return Output(f"{WARN} {report.message}", tuple(lines), ok=False)


def _used(source: CheckpointSet) -> str:
    newest = source.newest
    used = newest.describe() if newest is not None else "no valid checkpoint"
    return f"{source.source}: judged by the {used}" if newest else f"{source.source}: {used}"


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


async def audit_hold_output(
    services: Services, target: HoldTarget, reason: str, *, actor: str
) -> Output:
    now = services.agreements.now_ms()
    await add_hold(services.audit, target, reason, actor=actor, now_ms=now)
    return Output(
        f"legal hold on {target.describe()}: its audit records are kept past the retention"
        f" ({services.config.audit.retention.text}) until !audit release"
    )


async def audit_release_output(
    services: Services, target: HoldTarget, reason: str, *, actor: str
) -> Output:
    now = services.agreements.now_ms()
    await release_hold(services.audit, target, reason, actor=actor, now_ms=now)
    return Output(
        f"released the legal hold on {target.describe()}: its records older than"
        f" {services.config.audit.retention.text} may be pruned at the next daily prune"
    )


async def audit_holds_output(services: Services) -> Output:
    holds = await list_holds(services.audit)
    retention = services.config.audit.retention.text
    if not holds:
        return Output(f"no legal holds; audit records are kept {retention}")
    rows: list[Sequence[object]] = [("ON HOLD", "SINCE", "BY", "REASON")]
    rows += [(h.target.describe(), format_ms(h.held_ts), h.held_by, h.reason or "-") for h in holds]
    return Output(
        f"{len(holds)} legal hold(s); other records are kept {retention}",
        table(rows, (80, 20, 60, 200)),
        table=True,
    )
