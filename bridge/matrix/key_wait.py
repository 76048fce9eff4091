"""Encrypted events whose room key has not arrived: queued durably with their audit record, the
key asked for and waited on off the transaction path, then decided on their content, or by
``policy.undecryptable_in_gated_room`` when the wait ends (an event in an open room is decided
again if its key ever comes)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bridge.audit import AuditEntry, RecordKind
from bridge.config import Config
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.event_gate import EventGate, Judgement
from bridge.matrix.events import MatrixEvent, parse_event
from bridge.matrix.megolm_reader import Undecryptable
from bridge.matrix.removals import Remover
from bridge.matrix.rooms import Room, RoomTracker
from bridge.matrix.undecryptable import UndecryptableCounts
from bridge.matrix.work import Committer, Work
from bridge.metrics import Metrics, Outcome
from bridge.policy import ContentCategory, EventFacts, EventKind, judge
from bridge.store.pending import PendingStatus, PendingStore

log = logging.getLogger(__name__)

# Keys usually arrive (by the device's /sync) just before or with the event: a short wait
# inside the transaction catches that race; longer waits happen off the transaction path.
INLINE_KEY_WAIT = 0.5
LATE_KEY_WAIT = 7 * 24 * 3600.0


class KeyWaits:
    def __init__(
        self,
        config: Config,
        device: BotDevice,
        pending: PendingStore,
        rooms: RoomTracker,
        events: EventGate,
        committer: Committer,
        remover: Remover,
        undecryptable: UndecryptableCounts,
        *,
        metrics: Metrics | None = None,
        clock: Callable[[], int],
    ) -> None:
        self._config = config
        self._device = device
        self._pending = pending
        self._rooms = rooms
        self._events = events
        self._committer = committer
        self._remover = remover
        self._undecryptable = undecryptable
        self._clock = clock
        self._metrics = metrics
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Work) -> None:
        """Key waits start once their events are queued for good: a key that came at once
        must find the queue row to mark."""
        for room, event, wait in work.key_waits:
            self._spawn(self._await_key(room, event, wait))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def defer(
        self, room: Room, event: MatrixEvent, why: Undecryptable, now: int, work: Work
    ) -> AuditEntry:
        """No key yet: queue the event (durably, with its audit record) and decide when the
        key wait is over."""
        work.pending.append(self._pending.row(event.raw(), now))
        self._undecryptable.add(event)
        work.key_waits.append((room, event, self._config.key_wait_seconds - INLINE_KEY_WAIT))
        return self._events.event_entry(
            room, event, Judgement(None, None, f"awaiting key: {why}"), now, pending=True
        )

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _await_key(self, room: Room, event: MatrixEvent, wait: float) -> None:
        content = event.content
        session_id = content.get("session_id")
        if isinstance(session_id, str):
            await self._device.request_key(
                room.room_id,
                event.sender,
                str(content.get("sender_key", "")),
                session_id,
                content.get("device_id") if isinstance(content.get("device_id"), str) else None,
            )
            await self._device.wait_for_session(room.room_id, session_id, max(wait, 0.0))
        try:
            await self._redecide(room, event, final=False)
        except Exception:
            log.exception("re-deciding %s failed; it stays queued", event.event_id)

    async def _redecide(self, room: Room, event: MatrixEvent, *, final: bool) -> None:
        """After the key wait (or when a late key arrives): decrypt and gate, or apply
        ``policy.undecryptable_in_gated_room``."""
        work = Work()
        async with room.lock:
            now = self._clock()
            try:
                plain = await self._events.decrypt(event, wait=0, work=work)
            except Undecryptable as failure:
                why = str(failure)
                session = event.content.get("session_id")
                withheld = self._device.withheld.get(session) if isinstance(session, str) else None
                if withheld:
                    why = f"key withheld by the sender's device ({withheld})"
                counterparties = tuple(self._events.counterparties(room, [event.sender]))
                facts = EventFacts(
                    counterparties, ContentCategory.UNKNOWN, EventKind.UNDECRYPTABLE, why
                )
                verdict = judge(facts, self._config.policy)
                blocked = verdict.blocked and room.managed and not room.is_control
                if self._metrics is not None:
                    self._metrics.undecryptable_event()
                    self._metrics.verdict(Outcome.BLOCK if blocked else Outcome.ALLOW)
                if blocked:
                    self._events.block(room, event, verdict, now, work)
                    work.pending_status[event.event_id] = PendingStatus.BLOCKED
                else:
                    work.pending_status[event.event_id] = PendingStatus.UNDECRYPTABLE
                    if not final:
                        self._spawn(self._late_key(room, event))
                judgement = Judgement(
                    ContentCategory.UNKNOWN,
                    verdict,
                    None if verdict.blocked else why,
                    counterparties,
                )
                entry = self._events.event_entry(
                    room, event, judgement, now, kind=RecordKind.DECISION
                )
            else:
                work.pending_status[event.event_id] = PendingStatus.DECRYPTED
                self._undecryptable.remove(event)
                judgement = await self._events.judge(room, plain, now, work)
                entry = self._events.event_entry(
                    room, plain, judgement, now, decrypted=True, kind=RecordKind.DECISION
                )
        await self._committer.commit([entry], work)
        self.start(work)
        await self._remover.carry_out(work.removals)

    async def _late_key(self, room: Room, event: MatrixEvent) -> None:
        """An undecryptable event in an open room is re-decided if its key ever arrives."""
        session_id = event.content.get("session_id")
        if not isinstance(session_id, str):
            return
        if await self._device.wait_for_session(
            room.room_id, session_id, LATE_KEY_WAIT, honour_withheld=False
        ):
            await self._redecide(room, event, final=True)

    async def resume(self) -> None:
        """At start: everything still waiting for a key is asked for again and waited on
        (to-device messages sent while PHI Gate was down may never be delivered)."""
        self._undecryptable.load(await self._pending.counts())
        for pending in await self._pending.open_events():
            event = parse_event(pending.raw_event)
            room = self._rooms.get(pending.room_id)
            if event is None or room is None:
                continue
            if pending.status is PendingStatus.WAITING:
                elapsed = (self._clock() - pending.first_seen_ms) / 1000
                self._spawn(self._await_key(room, event, self._config.key_wait_seconds - elapsed))
            else:
                self._spawn(self._await_key(room, event, 0))
