"""The durable queue of encrypted events that could not be decrypted yet."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bridge.store.inserts import dialect_insert
from bridge.store.models import PendingEncrypted

_TABLE = PendingEncrypted.__table__


class PendingStatus(StrEnum):
    WAITING = "waiting"  # its key wait is running
    BLOCKED = "blocked"  # the wait ended without a key in a gated room: removed
    UNDECRYPTABLE = "undecryptable"  # no key in an open room: decided again if one comes
    DECRYPTED = "decrypted"


OPEN_STATUSES = (PendingStatus.WAITING.value, PendingStatus.UNDECRYPTABLE.value)


@dataclass(frozen=True, slots=True)
class PendingEvent:
    event_id: str
    room_id: str
    sender: str
    device_id: str
    session_id: str
    sender_key: str
    raw_event: dict[str, Any]
    first_seen_ms: int
    status: PendingStatus


class PendingStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @staticmethod
    def row(raw: Mapping[str, Any], now_ms: int) -> PendingEvent:
        content = raw.get("content") if isinstance(raw.get("content"), Mapping) else {}
        assert isinstance(content, Mapping)
        return PendingEvent(
            event_id=str(raw["event_id"]),
            room_id=str(raw["room_id"]),
            sender=str(raw["sender"]),
            device_id=_text(content.get("device_id")),
            session_id=_text(content.get("session_id")),
            sender_key=_text(content.get("sender_key")),
            raw_event=dict(raw),
            first_seen_ms=now_ms,
            status=PendingStatus.WAITING,
        )

    async def write(
        self,
        conn: AsyncConnection,
        new: list[PendingEvent],
        statuses: Mapping[str, PendingStatus],
    ) -> None:
        """In the caller's transaction (the one that commits the events' audit records)."""
        for row in new:
            values = _values(row)
            values["raw_event"] = json.dumps(row.raw_event)
            values["status"] = row.status.value
            insert = dialect_insert(conn.dialect, _TABLE).values(values)
            await conn.execute(insert.on_conflict_do_nothing())
        for event_id, status in statuses.items():
            await conn.execute(
                update(_TABLE).where(_TABLE.c.event_id == event_id).values(status=status.value)
            )

    async def open_events(self) -> list[PendingEvent]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(_TABLE).where(_TABLE.c.status.in_(OPEN_STATUSES)))
            return [_from_row(r._mapping) for r in rows]

    async def counts(self) -> dict[str, dict[str, int]]:
        """room → "sender|device" → events never decrypted."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(_TABLE.c.room_id, _TABLE.c.sender, _TABLE.c.device_id).where(
                    _TABLE.c.status != PendingStatus.DECRYPTED.value
                )
            )
            counts: dict[str, dict[str, int]] = {}
            for room_id, sender, device_id in rows:
                key = f"{sender}|{device_id or '?'}"
                per_room = counts.setdefault(room_id, {})
                per_room[key] = per_room.get(key, 0) + 1
            return counts


def _text(value: Any) -> str:
    return value[:255] if isinstance(value, str) else ""


def _values(row: PendingEvent) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PendingEvent.__slots__}  # type: ignore[attr-defined]


def _from_row(m: Mapping[str, Any]) -> PendingEvent:
    return PendingEvent(
        event_id=m["event_id"],
        room_id=m["room_id"],
        sender=m["sender"],
        device_id=m["device_id"],
        session_id=m["session_id"],
        sender_key=m["sender_key"],
        raw_event=json.loads(m["raw_event"]),
        first_seen_ms=m["first_seen_ms"],
        status=PendingStatus(m["status"]),
    )
