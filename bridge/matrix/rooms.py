"""The rooms PHI Gate knows: members, power, encryption and the gate last published.

Kept in memory for the gate's hot path and written through to the database so a restart
resumes where it stopped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bridge.matrix.power import can_redact
from bridge.policy import RoomGate
from bridge.store.rooms import RoomRow, RoomStore

# Memberships that can read what is sent now (an invited user reads it after joining).
PRESENT = frozenset({"join", "invite"})
HIDDEN_HISTORY = frozenset({"joined", "invited"})
# How the database row says "not published yet" (the column is text).
UNKNOWN_GATE = "unknown"
GATE_VALUES = frozenset(g.value for g in RoomGate)


@dataclass(eq=False)
class Room:
    room_id: str
    members: dict[str, str] = field(default_factory=dict)
    managed: bool = False
    is_control: bool = False
    can_redact: bool = False
    encrypted: bool = False
    # m.room.history_visibility; None when the room has none (the spec's default: "shared").
    history_visibility: str | None = None
    # The gate last published (None: not yet).
    gate: RoomGate | None = None
    joined_ms: int = 0
    updated_ms: int = 0
    power_levels: Mapping[str, Any] | None = None
    creators: frozenset[str] = frozenset()
    # The content of the last org.phigate.gate state published, minus its timestamp.
    published: dict[str, Any] | None = None
    # Events of one room are handled in order.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def present_members(self) -> list[str]:
        return [u for u, m in self.members.items() if m in PRESENT]

    def set_history_visibility(self, content: Mapping[str, Any]) -> None:
        """From the content of an ``m.room.history_visibility`` state event."""
        visibility = content.get("history_visibility")
        self.history_visibility = visibility if isinstance(visibility, str) else None

    @property
    def history_hidden(self) -> bool:
        """Members who join later cannot read what was said before they were invited."""
        return self.history_visibility in HIDDEN_HISTORY

    def row(self) -> RoomRow:
        return RoomRow(
            room_id=self.room_id,
            is_control=self.is_control,
            managed=self.managed,
            can_redact=self.can_redact,
            encrypted=self.encrypted,
            gate=self.gate.value if self.gate is not None else UNKNOWN_GATE,
            joined_ms=self.joined_ms,
            updated_ms=self.updated_ms,
        )

    def apply_state(self, events: Iterable[Mapping[str, Any]], bot_id: str) -> None:
        """Take members, power levels, creators and encryption from full room state."""
        members: dict[str, str] = {}
        create: Mapping[str, Any] | None = None
        for event in events:
            content = event.get("content")
            if not isinstance(content, Mapping):
                continue
            kind, key = event.get("type"), event.get("state_key")
            if kind == "m.room.member" and isinstance(key, str):
                membership = content.get("membership")
                if membership in PRESENT:
                    members[key] = str(membership)
            elif kind == "m.room.power_levels" and key == "":
                self.power_levels = dict(content)
            elif kind == "m.room.encryption" and key == "":
                self.encrypted = True
            elif kind == "m.room.history_visibility" and key == "":
                self.set_history_visibility(content)
            elif kind == "m.room.create" and key == "":
                create = event
        self.members = members
        if create is not None:
            self.creators = creators_of(create)
        self.can_redact = can_redact(self.power_levels, bot_id, self.creators)


def creators_of(create_event: Mapping[str, Any]) -> frozenset[str]:
    """Room version 12+ creators hold unlimited power; earlier versions rely on power levels."""
    content = create_event.get("content")
    if not isinstance(content, Mapping):
        return frozenset()
    version = str(content.get("room_version", "1"))
    if not version.isdigit() or int(version) < 12:
        return frozenset()
    creators = {create_event.get("sender")}
    extra = content.get("additional_creators")
    if isinstance(extra, list):
        creators.update(extra)
    return frozenset(c for c in creators if isinstance(c, str))


class RoomTracker:
    def __init__(self, store: RoomStore) -> None:
        self._store = store
        self.rooms: dict[str, Room] = {}
        self._blocked: dict[str, set[str]] = {}  # room → blocked event IDs, once read
        self._early_blocked: dict[str, set[str]] = {}  # blocked before the room's were read

    async def load(self) -> None:
        rows, members = await self._store.load()
        for row in rows:
            self.rooms[row.room_id] = Room(
                room_id=row.room_id,
                members=members.get(row.room_id, {}),
                managed=row.managed,
                is_control=row.is_control,
                can_redact=row.can_redact,
                encrypted=row.encrypted,
                gate=RoomGate(row.gate) if row.gate in GATE_VALUES else None,
                joined_ms=row.joined_ms,
                updated_ms=row.updated_ms,
            )

    def get(self, room_id: str) -> Room | None:
        return self.rooms.get(room_id)

    def add(self, room_id: str) -> Room:
        room = self.rooms.get(room_id)
        if room is None:
            room = self.rooms[room_id] = Room(room_id)
        return room

    def managed(self) -> list[Room]:
        return [r for r in self.rooms.values() if r.managed]

    async def save(self, room: Room, *, members: bool = False) -> None:
        await self._store.save_room(room.row())
        if members:
            await self._store.replace_members(room.room_id, room.members)

    async def set_member(self, room: Room, user_id: str, membership: str) -> None:
        if membership in PRESENT:
            room.members[user_id] = membership
            await self._store.set_member(room.room_id, user_id, membership)
        else:
            room.members.pop(user_id, None)
            await self._store.set_member(room.room_id, user_id, None)

    def remember_blocked(self, room_id: str, event_id: str) -> None:
        """A blocked event, known at once to edits and replies that follow it (its row is
        written with its audit record, in its transaction's unit of work)."""
        known = self._blocked.get(room_id)
        if known is not None:
            known.add(event_id)
        else:  # not read yet: kept until it is (its row may not be committed by then)
            self._early_blocked.setdefault(room_id, set()).add(event_id)

    async def is_blocked(self, room_id: str, event_id: str) -> bool:
        """Whether the gate blocked this event of the room. A room's blocked events are read
        from the database once, then kept: replies and edits ask on the hot path."""
        known = self._blocked.get(room_id)
        if known is None:
            stored = await self._store.blocked_in(room_id)
            known = self._blocked.setdefault(room_id, stored)
            known |= self._early_blocked.pop(room_id, set())
        return event_id in known
