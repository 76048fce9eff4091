"""Repository for the rooms PHI Gate knows, their members, and the events it blocked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.store.inserts import dialect_insert
from bridge.store.models import BlockedEvent, ManagedRoom, RoomMember

_ROOMS = ManagedRoom.__table__
_MEMBERS = RoomMember.__table__
_BLOCKED = BlockedEvent.__table__


@dataclass(slots=True)
class RoomRow:
    room_id: str
    is_control: bool
    managed: bool
    can_redact: bool
    encrypted: bool
    gate: str
    joined_ms: int
    updated_ms: int


class RoomStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def load(self) -> tuple[list[RoomRow], dict[str, dict[str, str]]]:
        async with self._engine.connect() as conn:
            rooms = [RoomRow(**row._mapping) for row in await conn.execute(select(_ROOMS))]
            members: dict[str, dict[str, str]] = {}
            for room_id, user_id, membership in await conn.execute(select(_MEMBERS)):
                members.setdefault(room_id, {})[user_id] = membership
        return rooms, members

    async def save_room(self, row: RoomRow) -> None:
        values = {
            "room_id": row.room_id,
            "is_control": row.is_control,
            "managed": row.managed,
            "can_redact": row.can_redact,
            "encrypted": row.encrypted,
            "gate": row.gate,
            "joined_ms": row.joined_ms,
            "updated_ms": row.updated_ms,
        }
        insert = dialect_insert(self._engine.dialect, _ROOMS).values(values)
        upsert = insert.on_conflict_do_update(
            index_elements=["room_id"], set_={k: v for k, v in values.items() if k != "room_id"}
        )
        async with self._engine.begin() as conn:
            await conn.execute(upsert)

    async def replace_members(self, room_id: str, members: dict[str, str]) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(delete(_MEMBERS).where(_MEMBERS.c.room_id == room_id))
            if members:
                await conn.execute(
                    _MEMBERS.insert(),
                    [
                        {"room_id": room_id, "user_id": u, "membership": m}
                        for u, m in members.items()
                    ],
                )

    async def set_member(self, room_id: str, user_id: str, membership: str | None) -> None:
        """Record a membership; None removes the user (left, kicked, banned)."""
        async with self._engine.begin() as conn:
            if membership is None:
                await conn.execute(
                    delete(_MEMBERS).where(
                        _MEMBERS.c.room_id == room_id, _MEMBERS.c.user_id == user_id
                    )
                )
                return
            insert = dialect_insert(self._engine.dialect, _MEMBERS).values(
                room_id=room_id, user_id=user_id, membership=membership
            )
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["room_id", "user_id"], set_={"membership": membership}
                )
            )

    async def blocked_in(self, room_id: str) -> set[str]:
        """Every event the gate blocked in the room."""
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(_BLOCKED.c.event_id).where(_BLOCKED.c.room_id == room_id)
            )
            return {r[0] for r in rows}
