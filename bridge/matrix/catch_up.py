"""Catching up on events the homeserver stored but never pushed to PHI Gate.

Seen here (Synapse 1.163, a bridge killed under load): an event created while Synapse's
appservice recoverer was finishing stays in its queue of unsent transactions, and Synapse,
back to pushing new transactions, sends it only at the next outage. The gate never judged it
and the audit record never saw it. So after every start, and then now and then, PHI Gate
reads each managed room's recent timeline itself and hands what it has no record of to the
same transaction handling (under the same one-at-a-time lock); whatever the homeserver
delivers later is recognised as already recorded.

Only message-like events are read back: state is taken afresh from the room at start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from bridge.matrix.homeserver import HomeserverRefused, HomeserverUnavailable
from bridge.matrix.rooms import RoomTracker
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

# After a start: soon (the homeserver's backlog has arrived), once more, then every 5 min.
FIRST_PASSES_S = (5.0, 30.0)
PERIOD_S = 300.0
PAGE = 50
# A room's pass reads back to its horizon: the start of the previous pass (the first passes
# after a start: the start itself), less a margin for clocks; it goes on past it only while
# a page holds nothing on the record, and never beyond this many events.
MAX_PER_ROOM = 500
HORIZON_MARGIN_MS = 60_000

Messages = Callable[[str, str | None, int], Awaitable[tuple[list[dict[str, Any]], str | None]]]
Seen = Callable[[Mapping[str, int]], Awaitable[set[str]]]
Handle = Callable[[str, list[Any]], Awaitable[None]]
Exclusive = Callable[[Callable[[], Awaitable[None]]], Awaitable[None]]


class CatchUp:
    def __init__(
        self,
        rooms: RoomTracker,
        *,
        messages: Messages,
        seen: Seen,
        handle: Handle,
        exclusive: Exclusive,
        clock: Callable[[], int],
        first_passes: Sequence[float] = FIRST_PASSES_S,
        period: float = PERIOD_S,
    ) -> None:
        self._rooms = rooms
        self._messages = messages
        self._seen = seen
        self._handle = handle
        self._exclusive = exclusive
        self._first = tuple(first_passes)
        self._period = period
        self._clock = clock
        # Events since then may be missing even behind newer recorded ones: the homeserver
        # pushes the events of a transaction it holds back after later ones.
        self._horizon_ms = clock()
        self._task: asyncio.Task[None] | None = None
        self.caught_up = 0  # events found this way (for operators and tests)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="phigate-catch-up")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)

    async def _loop(self) -> None:
        delays = [*self._first]
        while True:
            await asyncio.sleep(delays.pop(0) if delays else self._period)
            try:
                await self.run_once()
            except Exception as e:  # the homeserver or database away: next pass
                log.warning("catching up on missed events failed: %s", type(e).__name__)

    async def run_once(self) -> int:
        """One pass over every managed room; returns how many events it handed on."""
        found = 0
        horizon = self._horizon_ms - HORIZON_MARGIN_MS
        self._horizon_ms = self._clock()
        for room in list(self._rooms.managed()):
            try:
                missed = await self._missed(room.room_id, horizon)
            except (HomeserverRefused, HomeserverUnavailable) as e:
                log.warning("cannot read back %s: %s", room.room_id, e)
                continue
            if missed:
                # After a restart most are the homeserver's backlog, about to be pushed anyway
                # (they are recognised then); a few would never have come.
                log.info(
                    "%d events in %s not pushed (yet) by the homeserver; judging them now",
                    len(missed),
                    room.room_id,
                )
                await self._exclusive(lambda missed=missed: self._handle("catch-up", missed))
                found += len(missed)
        self.caught_up += found
        return found

    async def _missed(self, room_id: str, horizon_ms: int) -> list[dict[str, Any]]:
        missed: list[dict[str, Any]] = []
        token: str | None = None
        read = 0
        while read < MAX_PER_ROOM:
            chunk, token = await self._messages(room_id, token, PAGE)
            read += len(chunk)
            candidates = [
                e
                for e in chunk
                if isinstance(e, dict)
                and "state_key" not in e
                and isinstance(e.get("event_id"), str)
                and isinstance(e.get("origin_server_ts"), int)
            ]
            if candidates:
                seen = await self._seen({e["event_id"]: e["origin_server_ts"] for e in candidates})
                new = [e for e in candidates if e["event_id"] not in seen]
                missed.extend(new)
                oldest = min(e["origin_server_ts"] for e in candidates)
                if oldest < horizon_ms and len(new) < len(candidates):
                    break  # past the horizon, and reached what is on the record
            if not chunk or token is None:
                break
        missed.reverse()  # oldest first, as the homeserver would have pushed them
        return missed
