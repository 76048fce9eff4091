"""The gate at work: every event of every transaction is classified, decided, enforced and
audited here, room by room in order.

The decision itself is :func:`bridge.policy.judge` (pure); this module gathers its inputs
(members, agreements, content category) and carries out its verdict (redaction, notice,
the room's ``org.phigate.gate`` state).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bridge.audit import AuditEntry, RecordKind
from bridge.audit import Counterparty as AuditCounterparty
from bridge.classify import (
    NO_PRACTICE_SETTINGS,
    Classification,
    PracticeSettings,
    classify_content,
    classify_text,
)
from bridge.config import Config
from bridge.errors import NotFound
from bridge.matrix.e2ee import (
    BotDevice,
    MessageIndexRow,
    Undecryptable,
    write_message_indices,
)
from bridge.matrix.events import MatrixEvent, parse_event
from bridge.matrix.homeserver import Homeserver, HomeserverRefused, HomeserverUnavailable
from bridge.matrix.notices import (
    block_notice,
    gate_notice,
    reply_relation,
    unprotected_notice,
)
from bridge.matrix.power import (
    MODERATOR,
    can_grant,
    can_invite,
    can_redact,
    event_level,
    user_level,
    with_user_level,
)
from bridge.matrix.removals import Remover
from bridge.matrix.rooms import Room, RoomTracker
from bridge.media import MediaChecker
from bridge.policy import (
    ContentCategory,
    Counterparty,
    EventFacts,
    EventKind,
    PartyKind,
    Relation,
    RoomGate,
    Verdict,
    classify_party,
    judge,
    room_gate,
)
from bridge.service.agreements import AgreementChange, AgreementService
from bridge.service.rooms import RoomStatus
from bridge.store.database import STORAGE_ERRORS
from bridge.store.pending import PendingEvent, PendingStatus, PendingStore
from bridge.store.removals import Removal, RemovalStore

log = logging.getLogger(__name__)

CommandHook = Callable[[MatrixEvent], Awaitable[None]]
# Keys usually arrive (by the device's /sync) just before or with the event: a short wait
# inside the transaction catches that race; longer waits happen off the transaction path.
INLINE_KEY_WAIT = 0.5
MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}
LATE_KEY_WAIT = 7 * 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the gate concluded about one event (for the audit record)."""

    category: ContentCategory | None
    verdict: Verdict | None
    enforced: str | None = None  # None, or why a blocked event could not be removed
    # The counterparties the verdict was reached on (the audit record names them).
    counterparties: tuple[Counterparty, ...] | None = None
    # Why the content got its category: the classifier's rule names (never text).
    category_reasons: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.verdict is not None and self.verdict.blocked


@dataclass(slots=True)
class Work:
    """What one appservice transaction (or one late re-decision) changes, committed together:
    the removals of the events it blocked ride in the commit of their audit records."""

    removals: list[Removal] = field(default_factory=list)
    # Megolm message indices of the events decrypted for it (replay protection).
    indices: list[MessageIndexRow] = field(default_factory=list)
    # Encrypted events queued for their key, and queued events whose wait ended.
    pending: list[PendingEvent] = field(default_factory=list)
    pending_status: dict[str, PendingStatus] = field(default_factory=dict)
    # Key waits to start once the queued events are committed (room, event, seconds).
    key_waits: list[tuple[Room, MatrixEvent, float]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.removals or self.indices or self.pending or self.pending_status)


# Failures that say nothing about the event (the database or the homeserver is away): the
# transaction is answered with an error and the homeserver retries it. Anything else an
# event causes is the event's problem: it is recorded as unreadable and judged as such.
RETRYABLE = (*STORAGE_ERRORS, HomeserverUnavailable)


class Gatekeeper:
    def __init__(
        self,
        config: Config,
        agreements: AgreementService,
        homeserver: Homeserver,
        rooms: RoomTracker,
        audit_append: Callable[..., Awaitable[Any]],  # AuditLog.append
        audit_seen: Callable[[Mapping[str, int]], Awaitable[set[str]]],
        clock: Callable[[], int],
        removals: RemovalStore,
    ) -> None:
        self.config = config
        self.agreements = agreements
        self.hs = homeserver
        self.rooms = rooms
        self._append = audit_append
        self._seen = audit_seen
        self._clock = clock
        self.bot_id = config.bot_user_id
        self.service_users = frozenset({config.bot_user_id, config.sender_user_id})
        self.control_room_id: str | None = None
        self.on_command: CommandHook | None = None
        self.device: BotDevice | None = None
        self.pending: PendingStore | None = None
        self.media: MediaChecker | None = None
        # room → "sender|device" → encrypted events never decrypted (for `!room status`).
        self.undecryptable: dict[str, dict[str, int]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.remover = Remover(
            removals,
            redact=homeserver.redact,
            notice=self.notice,
            on_refused=self._on_removal_refused,
            audit_append=audit_append,
            bot_id=config.bot_user_id,
            clock=clock,
        )
        agreements.subscribe(self._on_agreement_change)

    # --- transactions ----------------------------------------------------------------------

    async def handle_transaction(self, txn_id: str, raw_events: list[Any]) -> None:
        """Decide and record every event; carry out the removals once recorded. Raises only
        for what a retry can cure (:data:`RETRYABLE`), never for what an event holds."""
        now = self._clock()
        events: list[MatrixEvent] = []
        entries: list[AuditEntry] = []
        for raw in raw_events:
            event = parse_event(raw)
            if event is None:
                entries.append(_malformed_entry(raw, now))
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
        await self._commit(entries, work)
        self._after_commit(work)
        await self.remover.carry_out(work.removals)

    def _after_commit(self, work: Work) -> None:
        """Key waits start once their events are queued for good: a key that came at once
        must find the queue row to mark."""
        for room, event, wait in work.key_waits:
            self._spawn(self._await_key(room, event, wait))

    async def _commit(self, entries: list[AuditEntry], work: Work) -> None:
        """The audit records, the replay indices of the events decrypted for them and the
        removals of the events blocked among them, in one database transaction."""
        if not entries and work.is_empty():
            return

        async def also(conn: AsyncConnection) -> None:
            if work.indices:
                await write_message_indices(conn, work.indices)
            await self.remover.store.write(conn, work.removals)
            if work.pending or work.pending_status:
                assert self.pending is not None
                await self.pending.write(conn, work.pending, work.pending_status)

        try:
            await self._append(entries, also=also)
        except RETRYABLE:
            raise
        except Exception as e:
            # Something in the records themselves cannot be written (no retry can cure that,
            # and a failed transaction holds back every later one): the events go on the
            # record without their content, which the log says.
            log.error(
                "audit content could not be written (%s); recorded without it", type(e).__name__
            )
            stripped = [
                replace(entry, content={"unrecordable": type(e).__name__}) for entry in entries
            ]
            await self._append(stripped, also=also)

    async def _handle_room(self, events: list[MatrixEvent], work: Work) -> list[AuditEntry]:
        room = self.rooms.add(events[0].room_id)
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
            judgement = await self._judge(room, unreadable, now, work)
        except RETRYABLE:
            raise
        except Exception as again:
            log.error("event %s could not be judged (%s)", event.event_id, type(again).__name__)
            judgement = Judgement(None, None, f"not judged ({type(again).__name__})", ())
        try:
            return self.event_entry(room, unreadable, judgement, now)
        except RETRYABLE:
            raise
        except Exception:  # still on the record, with what can be read of it
            return _malformed_entry(event.raw(), now, why)

    async def _handle_event(self, room: Room, event: MatrixEvent, work: Work) -> AuditEntry:
        now = self._clock()
        if event.type == "m.room.member" and event.state_key is not None:
            if event.malformed is None:
                await self._on_membership(room, event)
                if self.device is not None:
                    await self.device.on_member_event(event.raw())
        elif event.is_state and event.state_key == "":
            await self._on_room_state(room, event)

        if (
            event.type == "m.room.encrypted"
            and room.managed
            and self.device is not None
            and event.sender not in self.service_users
        ):
            try:
                plain = await self.decrypt(event, wait=INLINE_KEY_WAIT, work=work)
            except Undecryptable as undecryptable:
                return self._defer(room, event, undecryptable, now, work)
            judgement = await self._judge(room, plain, now, work)
            return self.event_entry(room, plain, judgement, now, decrypted=True)
        return self.event_entry(room, event, await self._judge(room, event, now, work), now)

    async def _judge(self, room: Room, event: MatrixEvent, now: int, work: Work) -> Judgement:
        """Gate one (plaintext or decrypted) event and hand commands to the processor."""
        judgement = Judgement(None, None)
        if (
            room.managed
            and not room.is_control
            and event.is_gated_kind
            and event.sender not in self.service_users
        ):
            judgement = await self._gate_event(room, event, now, work)
        if (
            not judgement.blocked
            and event.malformed is None
            and event.type == "m.room.message"
            and self.on_command
            and _looks_like_command(event)
        ):
            # Also outside the control room: the command processor refuses and audits those.
            await self.on_command(event)
        return judgement

    # --- encrypted events ------------------------------------------------------------------

    async def decrypt(
        self, event: MatrixEvent, *, wait: float, work: Work | None = None
    ) -> MatrixEvent:
        """The event as its sender wrote it. The message index it used goes with ``work``'s
        records (replay protection); a pre-persist check has no records to go with."""
        assert self.device is not None
        # What the reader needs of the event, without copying its content.
        encrypted = {
            "event_id": event.event_id,
            "room_id": event.room_id,
            "origin_server_ts": event.origin_server_ts,
            "content": event.content,
        }
        indices = work.indices if work is not None else None
        event_type, content = await self.device.decrypt(encrypted, wait=wait, indices=indices)
        return event.decrypted_as(event_type, content)

    def _defer(
        self, room: Room, event: MatrixEvent, why: Undecryptable, now: int, work: Work
    ) -> AuditEntry:
        """No key yet: queue the event (durably, with its audit record) and decide when the
        key wait is over."""
        assert self.pending is not None
        work.pending.append(self.pending.row(event.raw(), now))
        self._count_undecryptable(room.room_id, event)
        work.key_waits.append((room, event, self.config.key_wait_seconds - INLINE_KEY_WAIT))
        return self.event_entry(
            room, event, Judgement(None, None, f"awaiting key: {why}"), now, pending=True
        )

    def _count_undecryptable(self, room_id: str, event: MatrixEvent) -> None:
        device = event.content.get("device_id")
        key = f"{event.sender}|{device if isinstance(device, str) else '?'}"
        per_room = self.undecryptable.setdefault(room_id, {})
        per_room[key] = per_room.get(key, 0) + 1

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _await_key(self, room: Room, event: MatrixEvent, wait: float) -> None:
        assert self.device is not None
        content = event.content
        session_id = content.get("session_id")
        if isinstance(session_id, str):
            await self.device.request_key(
                room.room_id,
                event.sender,
                str(content.get("sender_key", "")),
                session_id,
                content.get("device_id") if isinstance(content.get("device_id"), str) else None,
            )
            await self.device.wait_for_session(room.room_id, session_id, max(wait, 0.0))
        try:
            await self._redecide(room, event, final=False)
        except Exception:
            log.exception("re-deciding %s failed; it stays queued", event.event_id)

    async def _redecide(self, room: Room, event: MatrixEvent, *, final: bool) -> None:
        """After the key wait (or when a late key arrives): decrypt and gate, or apply
        ``policy.undecryptable_in_gated_room``."""
        assert self.pending is not None and self.device is not None
        work = Work()
        async with room.lock:
            now = self._clock()
            try:
                plain = await self.decrypt(event, wait=0, work=work)
            except Undecryptable as failure:
                why = str(failure)
                session = event.content.get("session_id")
                withheld = self.device.withheld.get(session) if isinstance(session, str) else None
                if withheld:
                    why = f"key withheld by the sender's device ({withheld})"
                counterparties = tuple(self.counterparties(room, [event.sender]))
                facts = EventFacts(
                    counterparties, ContentCategory.UNKNOWN, EventKind.UNDECRYPTABLE, why
                )
                verdict = judge(facts, self.config.policy)
                if verdict.blocked and room.managed and not room.is_control:
                    self._block(room, event, verdict, now, work)
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
                entry = self.event_entry(room, event, judgement, now, kind=RecordKind.DECISION)
            else:
                work.pending_status[event.event_id] = PendingStatus.DECRYPTED
                self._uncount(room.room_id, event)
                judgement = await self._judge(room, plain, now, work)
                entry = self.event_entry(
                    room, plain, judgement, now, decrypted=True, kind=RecordKind.DECISION
                )
        await self._commit([entry], work)
        self._after_commit(work)
        await self.remover.carry_out(work.removals)

    def _uncount(self, room_id: str, event: MatrixEvent) -> None:
        device = event.content.get("device_id")
        key = f"{event.sender}|{device if isinstance(device, str) else '?'}"
        per_room = self.undecryptable.get(room_id, {})
        if per_room.get(key, 0) > 1:
            per_room[key] -= 1
        else:
            per_room.pop(key, None)

    async def _late_key(self, room: Room, event: MatrixEvent) -> None:
        """An undecryptable event in an open room is re-decided if its key ever arrives."""
        assert self.device is not None
        session_id = event.content.get("session_id")
        if not isinstance(session_id, str):
            return
        if await self.device.wait_for_session(
            room.room_id, session_id, LATE_KEY_WAIT, honour_withheld=False
        ):
            await self._redecide(room, event, final=True)

    async def resume_pending(self) -> None:
        """At start: everything still waiting for a key is asked for again and waited on
        (to-device messages sent while PHI Gate was down may never be delivered)."""
        assert self.pending is not None
        self.undecryptable = await self.pending.counts()
        for pending in await self.pending.open_events():
            event = parse_event(pending.raw_event)
            room = self.rooms.get(pending.room_id)
            if event is None or room is None:
                continue
            if pending.status is PendingStatus.WAITING:
                elapsed = (self._clock() - pending.first_seen_ms) / 1000
                self._spawn(self._await_key(room, event, self.config.key_wait_seconds - elapsed))
            else:
                self._spawn(self._await_key(room, event, 0))

    async def stop(self) -> None:
        await self.remover.stop()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- the gate ----------------------------------------------------------------------------

    def counterparties(self, room: Room, extra: Sequence[str] = ()) -> list[Counterparty]:
        users = [*room.present_members(), *extra]
        users = [u for u in users if u not in self.service_users]
        return self.agreements.registry.counterparties(users, self._clock())

    async def _gate_event(self, room: Room, event: MatrixEvent, now: int, work: Work) -> Judgement:
        counterparties = tuple(self.counterparties(room, [event.sender]))
        facts = await self.facts(event, counterparties)
        verdict = judge(facts, self.config.policy)
        attachment = event.attachment
        if not verdict.blocked and attachment is not None and self.media is not None:
            # Only what the gate lets through is downloaded: in a gated room an attachment
            # is blocked above without the bot ever fetching it.
            checked = await self.media.check(attachment)
            if not checked.allowed:
                facts = replace(facts, attachment_refused=checked.message)
                verdict = judge(facts, self.config.policy)
        if verdict.blocked:
            self._block(room, event, verdict, now, work)
            if self.config.antispam.enabled:
                # The homeserver asks PHI Gate before it stores an event: one blocked here got
                # past that check (accepted while PHI Gate was unreachable, or an attachment
                # in an encrypted event of an open room, which the check does not decrypt).
                verdict = replace(verdict, reason=f"late block: {verdict.reason}")
        return Judgement(
            facts.category,
            verdict,
            counterparties=counterparties,
            category_reasons=facts.category_reasons,
        )

    async def facts(
        self, event: MatrixEvent, counterparties: tuple[Counterparty, ...]
    ) -> EventFacts:
        """What decides the event, gathered (the classifier; the blocked events it relates
        to) for :func:`bridge.policy.judge`."""
        if event.malformed is not None:
            # What the gate cannot read is judged like what it cannot decrypt: fail closed.
            return EventFacts(
                counterparties, ContentCategory.UNKNOWN, EventKind.UNREADABLE, event.malformed
            )
        classification = classify_event(event, self.config.classify)
        category = classification.category
        kind = EventKind.MEDIA if event.is_media else EventKind.MESSAGE
        if event.type == "m.room.encrypted":
            return EventFacts(
                counterparties, category, EventKind.UNDECRYPTABLE, "no key within the wait"
            )
        return EventFacts(
            counterparties,
            category,
            kind,
            relation=await self._relation(event),
            category_reasons=tuple(classification.reasons),
        )

    async def _relation(self, event: MatrixEvent) -> Relation:
        """An edit of a blocked event, or a reply quoting one, must not carry its text on."""
        rel_type, target = event.relates_to
        if target is None or rel_type not in ("m.replace", "m.in_reply_to"):
            return Relation.NONE
        if not await self.rooms.is_blocked(event.room_id, target):
            return Relation.NONE
        return Relation.EDITS_BLOCKED if rel_type == "m.replace" else Relation.QUOTES_BLOCKED

    def _block(
        self, room: Room, event: MatrixEvent, verdict: Verdict, now: int, work: Work
    ) -> None:
        """Queue the event's removal in the unit of work; it is carried out after the commit."""
        self.rooms.remember_blocked(room.room_id, event.event_id)
        text, html = block_notice(verdict, event.sender, self.config.organization)
        work.removals.append(
            Removal(
                event_id=event.event_id,
                room_id=room.room_id,
                sender=event.sender,
                blocked_ms=now,
                reason=verdict.reason,
                notice_text=text,
                notice_html=html,
            )
        )

    async def _on_removal_refused(self, room_id: str, refused: HomeserverRefused) -> None:
        """No power to redact makes the room unprotected; other refusals (an event the
        homeserver does not know) are recorded by the remover and change nothing else."""
        room = self.rooms.get(room_id)
        if room is not None and refused.errcode == "M_FORBIDDEN":
            await self._mark_unprotected(room, self._clock())

    # --- membership, invites, auto-protect ---------------------------------------------------

    async def _on_membership(self, room: Room, event: MatrixEvent) -> None:
        user, membership = event.state_key or "", event.membership or "leave"
        if user == self.bot_id:
            if membership == "invite":
                await self._on_bot_invited(room, event)
            elif membership == "join":
                if not room.managed:
                    await self.manage(room)
            elif room.managed:
                room.managed = False
                await self.rooms.save(room)
                await self.alert(
                    f"⚠ PHI Gate was removed from room {room.room_id} by {event.sender}"
                )
            return
        if not room.members and not room.managed:
            await self._discover(room, (event.sender, user))
        await self.rooms.set_member(room, user, membership)
        if room.managed and not room.is_control:
            await self.publish_gate(room)
        elif self.config.organization.auto_protect and not room.managed:
            await self._maybe_protect(room)

    async def _on_bot_invited(self, room: Room, event: MatrixEvent) -> None:
        inviter = classify_party(event.sender, self.agreements.registry.directory)
        if inviter.kind is not PartyKind.STAFF or event.sender in self.service_users:
            log.info("declining an invite from a %s to %s", inviter.kind.value, room.room_id)
            await self.hs.leave(room.room_id)
            return
        await self.hs.join(room.room_id)
        await self.manage(room)

    async def manage(self, room: Room) -> None:
        """The bot is in: learn the room, publish its gate, say if it cannot protect it."""
        now = self._clock()
        room.apply_state(await self.hs.room_state(room.room_id), self.bot_id)
        room.managed = True
        room.joined_ms = room.joined_ms or now
        room.updated_ms = now
        room.is_control = room.room_id == self.control_room_id
        await self.rooms.save(room, members=True)
        if not room.encrypted:
            await self._turn_on_encryption(room)
        if room.is_control:
            return
        if not room.history_hidden:
            await self._hide_history(room)
        if not room.can_redact:
            await self._mark_unprotected(room, now, force=True)
        await self.publish_gate(room)

    async def _turn_on_encryption(self, room: Room) -> None:
        """Managed rooms are end-to-end encrypted, always."""
        if await self._put_protective_state(room, "m.room.encryption", dict(MEGOLM)):
            room.encrypted = True
            await self.rooms.save(room)
            return
        await self.alert(
            f"⚠ Room {room.room_id} is not encrypted and PHI Gate may not turn encryption on: "
            "it is UNPROTECTED"
        )

    async def _hide_history(self, room: Room) -> None:
        """A vendor or patient who joins later must not read what was said before: PHI that
        passed among staff, or under an agreement that has since ended."""
        if await self._put_protective_state(
            room, "m.room.history_visibility", {"history_visibility": "joined"}
        ):
            room.history_visibility = "joined"
            return
        await self.alert(
            f"⚠ Room {room.room_id} lets members who join later read earlier messages "
            f"(history visibility {room.history_visibility or 'shared'}) and PHI Gate may not "
            "change that"
        )

    async def _put_protective_state(
        self, room: Room, event_type: str, content: dict[str, Any]
    ) -> bool:
        """Send a state event that protects the room, as the bot where it may; with
        auto_protect, as a local staff member who may. False if nobody may."""
        needed = event_level(room.power_levels, event_type, state=True)
        senders = [self.bot_id]
        if self.config.organization.auto_protect:
            senders += [
                u
                for u, m in room.members.items()
                if m == "join"
                and self._is_local_staff(u)
                and user_level(room.power_levels, u, room.creators) >= needed
            ]
        for sender in senders:
            if user_level(room.power_levels, sender, room.creators) < needed:
                continue
            try:
                await self.hs.put_state(room.room_id, event_type, content, as_user=sender)
            except HomeserverRefused:
                continue
            return True
        return False

    async def _discover(self, room: Room, candidates: Sequence[str]) -> None:
        """First sight of a room the bot is not in (the staff namespace shows it to us): read
        its state as a local staff member who is in it."""
        for user in candidates:
            if user in self.service_users or not self._is_local_staff(user):
                continue
            try:
                state = await self.hs.room_state(room.room_id, as_user=user)
            except HomeserverRefused:
                continue  # not (yet) a member who may read the state
            room.apply_state(state, self.bot_id)
            await self.rooms.save(room, members=True)
            return

    def _is_local_staff(self, user_id: str) -> bool:
        return user_id.endswith(":" + self.config.homeserver.domain) and (
            self.agreements.registry.party(user_id).kind is PartyKind.STAFF
        )

    async def _maybe_protect(self, room: Room) -> None:
        """Bring the bot into a room where staff meet a counterparty (auto_protect)."""
        if not self.counterparties(room):
            return
        staff = [
            u
            for u, m in room.members.items()
            if m == "join" and u not in self.service_users and self._is_local_staff(u)
        ]
        inviter = next((u for u in staff if can_invite(room.power_levels, u, room.creators)), None)
        if inviter is None:
            await self.alert(
                f"⚠ Room {room.room_id} has a vendor or patient but no local staff member who "
                "may invite PHI Gate: it is UNPROTECTED"
            )
            return
        await self.hs.invite(room.room_id, self.bot_id, as_user=inviter)
        await self.hs.join(room.room_id)
        await self._raise_bot(room, staff)
        await self.manage(room)

    async def _raise_bot(self, room: Room, staff: list[str]) -> None:
        if can_redact(room.power_levels, self.bot_id, room.creators):
            return
        granter = next(
            (u for u in staff if can_grant(room.power_levels, u, MODERATOR, room.creators)), None
        )
        if granter is None:
            return
        content = with_user_level(room.power_levels, self.bot_id, MODERATOR)
        try:
            await self.hs.put_state(room.room_id, "m.room.power_levels", content, as_user=granter)
        except HomeserverRefused as refused:
            log.warning("could not raise the bot in %s: %s", room.room_id, refused)

    async def _on_room_state(self, room: Room, event: MatrixEvent) -> None:
        if event.type == "m.room.power_levels":
            room.power_levels = dict(event.content)
            was = room.can_redact
            room.can_redact = can_redact(room.power_levels, self.bot_id, room.creators)
            if room.managed and was != room.can_redact:
                await self.rooms.save(room)
                if not room.can_redact:
                    await self._mark_unprotected(room, self._clock(), force=True)
                else:
                    await self.alert(f"✅ Room {room.room_id} is protected again")
        elif event.type == "m.room.encryption":
            room.encrypted = True
            if room.managed:
                await self.rooms.save(room)
        elif event.type == "m.room.history_visibility":
            room.set_history_visibility(event.content)
            if room.managed and not room.is_control and not room.history_hidden:
                await self._hide_history(room)

    async def _mark_unprotected(self, room: Room, now: int, *, force: bool = False) -> None:
        if room.can_redact or force:
            room.can_redact = False
            room.updated_ms = now
            await self.rooms.save(room)
            text, html = unprotected_notice(self.bot_id)
            # It may not even speak there; the control room alert still goes out.
            with contextlib.suppress(HomeserverRefused):
                await self.notice(room.room_id, text, html)
            await self.alert(f"⚠ Room {room.room_id} is UNPROTECTED: PHI Gate cannot redact there")

    # --- the room's gate state ---------------------------------------------------------------

    async def publish_gate(self, room: Room) -> None:
        """Keep ``org.phigate.gate`` current; one notice whenever the gate opens or closes."""
        counterparties = self.counterparties(room)
        gate = room_gate(counterparties)
        content = {
            "state": gate.value,
            "counterparties": [
                {
                    "user_id": c.user_id,
                    "kind": c.kind.value,
                    "agreement": c.agreement,
                    "status": c.status.value,
                }
                for c in counterparties
            ],
        }
        if gate is RoomGate.OPEN:
            # For the homeserver's module while PHI Gate is unreachable: past this instant an
            # agreement may have expired by itself, and the open state is no longer trusted.
            registry = self.agreements.registry
            expiries = [e for c in counterparties if (e := registry.expiry_of(c)) is not None]
            if expiries:
                content["open_until"] = min(expiries)
        if content == room.published:
            return
        previous = room.gate
        now = self._clock()
        try:
            await self.hs.set_gate_state(room.room_id, {**content, "updated_at": now})
        except HomeserverRefused as refused:
            log.warning("cannot publish the gate state in %s: %s", room.room_id, refused.errcode)
        room.published = content
        room.gate = gate.value
        room.updated_ms = now
        await self.rooms.save(room)
        if previous != gate.value:
            text, html = gate_notice(
                gate, counterparties, self.config.organization, self.config.policy
            )
            await self.notice(room.room_id, text, html)
            await self._append(
                [
                    AuditEntry(
                        kind=RecordKind.SYSTEM,
                        recorded_ts=now,
                        event_type="org.phigate.gate",
                        room_id=room.room_id,
                        sender=self.bot_id,
                        sender_kind="bot",
                        counterparties=_audit_parties(counterparties),
                        decision=gate.value,
                        reason=f"gate {previous} → {gate.value}",
                    )
                ]
            )

    async def _on_agreement_change(self, change: AgreementChange) -> None:
        """Re-evaluate every managed room before the command that changed things returns."""
        await asyncio.gather(*(self._republish(room) for room in self.rooms.managed()))

    async def _republish(self, room: Room) -> None:
        if room.is_control:
            return
        # Not under room.lock: a command runs inside the control room's lock, and re-evaluating
        # must not wait for a busy room's transaction to finish.
        await self.publish_gate(room)

    async def refresh_all(self) -> None:
        """At start: re-read every managed room (changes while PHI Gate was down)."""
        for room in list(self.rooms.managed()):
            try:
                await self.manage(room)
            except HomeserverRefused as refused:
                log.warning("room %s is no longer reachable: %s", room.room_id, refused.errcode)
                room.managed = False
                await self.rooms.save(room)

    # --- control room ------------------------------------------------------------------------

    async def notice(
        self,
        room_id: str,
        text: str,
        html: str | None = None,
        *,
        txn_id: str | None = None,
        reply_to: str | None = None,
    ) -> None:
        """An m.notice, megolm-encrypted where the room is encrypted. The same ``txn_id``
        sends it once, however often this is called. ``reply_to``: the event it is about."""
        room = self.rooms.get(room_id)
        if room is None or not room.encrypted or self.device is None:
            await self.hs.send_notice(room_id, text, html, txn_id=txn_id, reply_to=reply_to)
            return
        content: dict[str, Any] = {"msgtype": "m.notice", "body": text}
        if html:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        if reply_to:
            content.update(reply_relation(reply_to))
        members = [u for u in room.present_members() if u != self.bot_id] + [self.bot_id]
        encrypted = await self.device.encrypt(room_id, "m.room.message", content, members)
        await self.hs.send_event(room_id, "m.room.encrypted", encrypted, txn_id=txn_id)

    async def alert(self, text: str) -> None:
        if self.control_room_id is None:
            log.warning("%s (no control room)", text)
            return
        try:
            await self.notice(self.control_room_id, text)
        except HomeserverRefused as refused:
            log.error("cannot alert the control room: %s", refused.errcode)

    # --- overview for commands ---------------------------------------------------------------

    async def room_status(self, room_ref: str) -> RoomStatus:
        room_id = room_ref
        if room_ref.startswith("#"):
            room_id = await self.hs.resolve_alias(room_ref) or ""
        room = self.rooms.get(room_id)
        if room is None or not room.managed:
            raise NotFound(f"PHI Gate does not manage room {room_ref}")
        return self._status(room)

    def list_rooms(self, gate: RoomGate | None = None) -> list[RoomStatus]:
        statuses = [self._status(r) for r in self.rooms.managed() if not r.is_control]
        return [s for s in statuses if gate is None or s.gate is gate]

    def _status(self, room: Room) -> RoomStatus:
        counterparties = self.counterparties(room)
        return RoomStatus(
            room_id=room.room_id,
            name=None,
            gate=room_gate(counterparties),
            # Unprotected: the bot cannot redact, or cannot read (the room is not encrypted
            # and encryption could not be turned on).
            protected=room.can_redact and room.encrypted,
            encrypted=room.encrypted,
            counterparties=tuple(counterparties),
            is_control=room.is_control,
            undecryptable=dict(self.undecryptable.get(room.room_id, {})),
            staff_by_default=tuple(
                self.agreements.registry.staff_by_default(room.present_members())
            ),
            members=tuple(u for u in room.present_members() if u not in self.service_users),
        )

    # --- audit -------------------------------------------------------------------------------

    def event_entry(
        self,
        room: Room,
        event: MatrixEvent,
        judgement: Judgement,
        now: int,
        *,
        decrypted: bool = False,
        pending: bool = False,
        kind: RecordKind = RecordKind.EVENT,
    ) -> AuditEntry:
        sender_kind = (
            "bot"
            if event.sender in self.service_users
            else self.agreements.registry.party(event.sender).kind.value
        )
        verdict = judgement.verdict
        decision = verdict.decision.value if verdict else None
        reason = verdict.reason if verdict else judgement.enforced
        if verdict and verdict.blocked and judgement.enforced is not None:
            reason = f"{reason}; {judgement.enforced}"
        if event.malformed is not None and (reason is None or event.malformed not in reason):
            reason = f"malformed event ({event.malformed})" + (f": {reason}" if reason else "")
        if pending:
            decision, reason = "pending", judgement.enforced
        content = _audited_content(event)
        if decrypted:
            content["decrypted"] = True
        return AuditEntry(
            kind=kind,
            recorded_ts=now,
            event_type=event.type,
            event_id=event.event_id,
            room_id=event.room_id,
            sender=event.sender,
            sender_kind=sender_kind,
            counterparties=_audit_parties(
                judgement.counterparties
                if judgement.counterparties is not None
                else self.counterparties(room, [event.sender])
            ),
            category=judgement.category.value if judgement.category else None,
            decision=decision,
            reason=reason,
            event_ts=event.origin_server_ts,
            content=content,
            category_reasons=judgement.category_reasons,
        )


def classify_event(
    event: MatrixEvent, practice: PracticeSettings = NO_PRACTICE_SETTINGS
) -> Classification:
    """The content category of any message-like event (unknown types fail closed), with the
    practice's own identifier formats and contacts."""
    if event.type in ("m.room.message", "m.sticker"):
        return classify_content(event.content, event_type=event.type, practice=practice)
    if event.type == "m.reaction":
        relation = event.content.get("m.relates_to")
        key = relation.get("key") if isinstance(relation, Mapping) else None
        if isinstance(key, str):
            return classify_text(key, practice=practice)
    return Classification(ContentCategory.UNKNOWN, ("unrecognised_event_type",))


def _looks_like_command(event: MatrixEvent) -> bool:
    body = event.content.get("body")
    return isinstance(body, str) and body.startswith("!")


def _audit_parties(counterparties: Sequence[Counterparty]) -> tuple[AuditCounterparty, ...]:
    return tuple(
        AuditCounterparty(c.user_id, c.kind.value, c.agreement, c.status.value)
        for c in counterparties
    )


def _audited_content(event: MatrixEvent) -> dict[str, Any]:
    content: dict[str, Any] = {"content": dict(event.content)}
    if event.state_key is not None:
        content["state_key"] = event.state_key
    if event.redacts:
        content["redacts"] = event.redacts
    return content


def _malformed_entry(
    raw: Any, now: int, why: str = "event lacks an ID, room, sender or type"
) -> AuditEntry:
    """A pushed event too broken to handle is still on the record (encrypted), never dropped."""
    fields = raw if isinstance(raw, Mapping) else {}

    def text(key: str) -> str | None:
        value = fields.get(key)
        return value[:255] if isinstance(value, str) else None

    return AuditEntry(
        kind=RecordKind.SYSTEM,
        recorded_ts=now,
        event_type=text("type") or "org.phigate.malformed_event",
        event_id=text("event_id"),
        room_id=text("room_id"),
        sender=text("sender"),
        decision="malformed",
        reason=why,
        content={"raw": raw if isinstance(raw, dict | list | str | int | float) else repr(raw)},
    )
