"""What the bot commands may ask about managed rooms (implemented by the appservice)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bridge.policy import Counterparty, RoomGate


@dataclass(frozen=True, slots=True)
class RoomStatus:
    room_id: str
    name: str | None
    gate: RoomGate
    # False: the bot cannot redact here, so the room is *unprotected*.
    protected: bool
    encrypted: bool
    counterparties: tuple[Counterparty, ...]
    is_control: bool = False
    # Undecryptable events per "sender|device", shown by `!room status` (E2EE).
    undecryptable: dict[str, int] = field(default_factory=dict)
    # Members counted as staff only by organization.staff_by_domain (named, never silent).
    staff_by_default: tuple[str, ...] = ()
    # Everyone in the room but PHI Gate itself (what a change's effect is computed over).
    members: tuple[str, ...] = ()


class RoomOverview(Protocol):
    async def room_status(self, room: str) -> RoomStatus:
        """Status of one managed room, by room ID or alias.

        Raises:
            NotFound: the room is unknown or not managed.
        """
        ...

    def list_rooms(self, gate: RoomGate | None = None) -> list[RoomStatus]:
        """Managed rooms (control room excluded), optionally only gated or only open ones."""
        ...
