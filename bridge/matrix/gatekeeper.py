"""The transaction pipeline: every event of every appservice transaction is judged, enforced
and audited, room by room in order, as one unit of work.

Each event is parsed at the edge, skipped if already on the audit record (a retried or
replayed transaction), decrypted where it can be (:mod:`bridge.matrix.key_wait` when its key
is late), judged by :class:`bridge.matrix.event_gate.EventGate`, and recorded; membership and
room state go to :class:`bridge.matrix.room_guard.RoomGuard`. The records, replay indices,
removals and queued events commit together (:mod:`bridge.matrix.work`); removals are carried
out after the commit (:mod:`bridge.matrix.removals`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

from bridge.audit import AuditEntry
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.event_gate import EventGate, Judgement, malformed_entry
from bridge.matrix.events import MatrixEvent, parse_event
from bridge.matrix.key_wait import INLINE_KEY_WAIT, KeyWaits
from bridge.matrix.megolm_reader import Undecryptable
from bridge.matrix.removals import Remover
from bridge.matrix.room_guard import RoomGuard
from bridge.matrix.rooms import Room, RoomTracker
from bridge.matrix.work import RETRYABLE, Committer, Work

log = logging.getLogger(__name__)


class Gatekeeper:
    def __init__(
        self,
        rooms: RoomTracker,
        device: BotDevice,
        events: EventGate,
        guard: RoomGuard,
        key_waits: KeyWaits,
        committer: Committer,
        remover: Remover,
        *,
        audit_seen: Callable[[Mapping[str, int]], Awaitable[set[str]]],
        clock: Callable[[], int],
    ) -> None:
        self._rooms = rooms
        self._device = device
        self._events = events
        self._guard = guard
        self._key_waits = key_waits
        self._committer = committer
        self._remover = remover
        self._seen = audit_seen
        self._clock = clock

    async def resume(self) -> None:
        """At start: events still waiting for their key, removals not carried out in full."""
        await self._key_waits.resume()
        await self._remover.resume()

    async def stop(self) -> None:
        await self._remover.stop()
        await self._key_waits.stop()

    async def handle_transaction(self, txn_id: str, raw_events: list[Any]) -> None:
        """Decide and record every event; carry out the removals once recorded. Raises only
        for what a retry can cure (:data:`RETRYABLE`), never for what an event holds."""
        now = self._clock()
        events: list[MatrixEvent] = []
        entries: list[AuditEntry] = []
        for raw in raw_events:
            event = parse_event(raw)
            if event is None:
                entries.append(malformed_entry(raw, now))
            else:
                events.append(event)
        # An event already on the audit record was handled before (a retried or replayed
        # transaction): handling it again would post duplicate notices.
        seen = (
            await self._seen({e.event_id: e.origin_server_ts for e in events}) if events else set()
        )
        by_room: dict[str, list[MatrixEvent]] = {}
        for event in events:
            if event.event_id not in seen:
                by_room.setdefault(event.room_id, []).append(event)
                seen.add(event.event_id)
        work = Work()
        results = await asyncio.gather(*(self._handle_room(evs, work) for evs in by_room.values()))
        for room_entries in results:
            entries.extend(room_entries)
        await self._committer.commit(entries, work)
        self._key_waits.start(work)
        await self._remover.carry_out(work.removals)

    async def _handle_room(self, events: list[MatrixEvent], work: Work) -> list[AuditEntry]:
        room = self._rooms.add(events[0].room_id)
        entries = []
        async with room.lock:
            for event in events:
                try:
                    entry = await self._handle_event(room, event, work)
                except RETRYABLE:
                    raise
                except Exception as failure:
                    entry = await self._unreadable(room, event, failure, work)
                entries.append(entry)
        return entries

    async def _unreadable(
        self, room: Room, event: MatrixEvent, failure: Exception, work: Work
    ) -> AuditEntry:
        """An event PHI Gate failed to handle is recorded and judged as one it cannot read
        (blocked in a gated room), instead of failing the transaction: a transaction answered
        with an error is re-sent, and every later event of every room waits behind it."""
        why = f"PHI Gate could not handle it ({type(failure).__name__})"
        # The type only: the message may quote the event's content.
        log.warning("event %s in %s: %s", event.event_id, event.room_id, why)
        log.debug("handling %s failed", event.event_id, exc_info=True)
        unreadable = replace(event, malformed=event.malformed or why)
        now = self._clock()
        try:
            judgement = await self._events.judge(room, unreadable, now, work)
        except RETRYABLE:
            raise
        except Exception as again:
            log.error("event %s could not be judged (%s)", event.event_id, type(again).__name__)
            judgement = Judgement(None, None, f"not judged ({type(again).__name__})", ())
        try:
            return self._events.event_entry(room, unreadable, judgement, now)
        except RETRYABLE:
            raise
        except Exception:  # still on the record, with what can be read of it
            return malformed_entry(event.raw(), now, why)

    async def _handle_event(self, room: Room, event: MatrixEvent, work: Work) -> AuditEntry:
        now = self._clock()
        if event.type == "m.room.member" and event.state_key is not None:
            if event.malformed is None:
                await self._guard.on_membership(room, event)
                await self._device.on_member_event(event.raw())
        elif event.is_state and event.state_key == "":
            await self._guard.on_room_state(room, event)

        if (
            event.type == "m.room.encrypted"
            and room.managed
            and event.sender not in self._events.service_users
        ):
            try:
                plain = await self._events.decrypt(event, wait=INLINE_KEY_WAIT, work=work)
            except Undecryptable as undecryptable:
                return self._key_waits.defer(room, event, undecryptable, now, work)
            judgement = await self._events.judge(room, plain, now, work)
            return self._events.event_entry(room, plain, judgement, now, decrypted=True)
        return self._events.event_entry(
            room, event, await self._events.judge(room, event, now, work), now
        )
