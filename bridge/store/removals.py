"""The removals of blocked events (redaction and notice), kept as an outbox.

A removal is written in the same database transaction as its event's audit record and carried
out only after that commit; each step is marked once it went out. So a transaction the
homeserver retries (its first commit failed) or a bridge killed half-way repeats nothing that
was done, and loses nothing that was decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bridge.store.inserts import BulkInsert
from bridge.store.models import BlockedEvent

_BLOCKED = BlockedEvent.__table__


@dataclass(frozen=True, slots=True)
class Removal:
    """What to do about one blocked event; the notice never quotes the event."""

    event_id: str
    room_id: str
    sender: str
    blocked_ms: int
    reason: str  # the redaction reason (federates: rule names, never content)
    notice_text: str
    notice_html: str
    redacted: bool = False
    noticed: bool = False

    def row(self) -> dict[str, object]:
        return {
            "event_id": self.event_id,
            "room_id": self.room_id,
            "blocked_ms": self.blocked_ms,
            "sender": self.sender,
            "reason": self.reason,
            "notice_text": self.notice_text,
            "notice_html": self.notice_html,
            "redacted_ms": None,
            "noticed_ms": None,
            "failure": None,
        }


@dataclass(frozen=True, slots=True)
class Mark:
    """A removal's step that went out (or was refused for good, with why)."""

    event_id: str
    redacted_ms: int | None = None
    noticed_ms: int | None = None
    failure: str | None = None

    def values(self) -> dict[str, object]:
        values: dict[str, object] = {}
        if self.redacted_ms is not None:
            values["redacted_ms"] = self.redacted_ms
        if self.noticed_ms is not None:
            values["noticed_ms"] = self.noticed_ms
        if self.failure is not None:
            values["failure"] = self.failure[:500]
        return values


class RemovalStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = BulkInsert(engine.dialect, _BLOCKED, skip_conflicts=True)

    async def write(self, conn: AsyncConnection, removals: list[Removal]) -> None:
        """In the caller's transaction, the one that commits the events' audit records. An
        event blocked before (a replayed transaction) keeps its first removal."""
        if removals:
            keys = [c.key for c in _BLOCKED.columns]
            await self._insert(conn, [tuple(r.row()[k] for k in keys) for r in removals])

    async def mark_all(self, marks: Sequence[Mark]) -> None:
        """Steps carried out, in one commit."""
        if not marks:
            return
        # One executemany per shape of mark (which columns it sets).
        shapes: dict[tuple[str, ...], list[dict[str, object]]] = {}
        for mark in marks:
            values = mark.values()
            if values:
                params = {f"b_{k}": v for k, v in values.items()}
                shapes.setdefault(tuple(values), []).append({**params, "b_id": mark.event_id})
        if not shapes:
            return
        async with self._engine.begin() as conn:
            for columns, rows in shapes.items():
                statement = (
                    update(_BLOCKED)
                    .where(_BLOCKED.c.event_id == bindparam("b_id"))
                    .values({c: bindparam(f"b_{c}") for c in columns})
                )
                await conn.execute(statement, rows)

    async def due(self) -> list[Removal]:
        """Removals not carried out in full (a crash or an unreachable homeserver came between
        the commit and the homeserver), oldest first."""
        query = (
            select(_BLOCKED)
            .where(or_(_BLOCKED.c.redacted_ms.is_(None), _BLOCKED.c.noticed_ms.is_(None)))
            .order_by(_BLOCKED.c.blocked_ms)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            Removal(
                event_id=r["event_id"],
                room_id=r["room_id"],
                sender=r["sender"],
                blocked_ms=r["blocked_ms"],
                reason=r["reason"],
                notice_text=r["notice_text"],
                notice_html=r["notice_html"],
                redacted=r["redacted_ms"] is not None,
                noticed=r["noticed_ms"] is not None,
            )
            for r in rows
        ]
