"""A warning before anyone writes: staff who start typing in a gated room are told once.

The homeserver pushes typing notifications (m.typing EDUs) with the transactions when the
registration says ``receive_ephemeral: true``. A staff member who starts typing in a gated
room is told — once per person and room within the throttle — that the room is gated, why,
and what will not be delivered, with the BAA record: the block after sending is then no
surprise, and PHI is not typed for nothing. Open rooms get nothing (nothing is blocked
there). The throttle is in memory on purpose: after a restart a reminder is harmless.

Notices are sent by background tasks: typing is not on the gate's path and must never hold
up a transaction.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bridge.matrix.homeserver import HomeserverRefused, HomeserverUnavailable
from bridge.matrix.notices import typing_notice
from bridge.policy import PartyKind, RoomGate, room_gate
from bridge.tasks import cancel_and_wait

if TYPE_CHECKING:
    from bridge.matrix.event_gate import EventGate
    from bridge.matrix.notifier import Notifier

log = logging.getLogger(__name__)

#: One warning per person and room within this long.
THROTTLE_MS = 15 * 60 * 1000
# Remembered (person, room) pairs; a flood of typists only empties the memory.
MEMORY = 10_000


class TypingWarner:
    def __init__(self, events: EventGate, notifier: Notifier, clock: Callable[[], int]) -> None:
        self._gate = events
        self._notifier = notifier
        self._clock = clock
        self._told: dict[tuple[str, str], int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Typing notifications looked at, and warnings decided on (tests wait on these
        # instead of sleeping).
        self.seen = 0
        self.warned = 0

    def receive(self, ephemeral: list[Any]) -> None:
        """The ephemeral events of one transaction (anything malformed is ignored)."""
        for event in ephemeral:
            if isinstance(event, Mapping) and event.get("type") == "m.typing":
                self._typing(event)

    def _typing(self, event: Mapping[str, Any]) -> None:
        room_id, content = event.get("room_id"), event.get("content")
        if not isinstance(room_id, str) or not isinstance(content, Mapping):
            return
        users = content.get("user_ids")
        self.seen += 1
        room = self._gate.rooms.get(room_id)
        if room is None or not room.managed or room.is_control or not isinstance(users, list):
            return
        counterparties = self._gate.counterparties(room)
        if room_gate(counterparties) is RoomGate.OPEN:
            return
        registry = self._gate.agreements.registry
        now = self._clock()
        for user in users:
            if not isinstance(user, str) or user in self._gate.service_users:
                continue
            if registry.party(user).kind is not PartyKind.STAFF:
                continue  # counterparties are gated, not coached
            told = self._told.get((user, room_id))
            if told is not None and now - told < THROTTLE_MS:
                continue
            if len(self._told) >= MEMORY:
                self._told.clear()
            self._told[(user, room_id)] = now
            self.warned += 1
            text, html = typing_notice(
                user, counterparties, self._gate.config.organization, self._gate.config.policy
            )
            task = asyncio.create_task(self._send(room_id, text, html), name="typing warning")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _send(self, room_id: str, text: str, html: str) -> None:
        try:
            await self._notifier.notice(room_id, text, html)
        except (HomeserverRefused, HomeserverUnavailable) as e:
            log.warning("typing warning in %s not sent: %s", room_id, e)

    async def stop(self) -> None:
        await cancel_and_wait(*self._tasks)
