"""The gate at work: every event of every transaction is classified, decided, enforced and
audited here, room by room in order.

The decision itself is :func:`bridge.policy.decide` (pure); this module gathers its inputs
(members, agreements, content category) and carries out its verdict (redaction, notice,
the room's ``org.phigate.gate`` state).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bridge.audit import AuditEntry, RecordKind
from bridge.audit import Counterparty as AuditCounterparty
from bridge.classify import Classification, classify_content, classify_text
from bridge.config import Config
from bridge.errors import NotFound
from bridge.matrix.events import MatrixEvent, parse_event
from bridge.matrix.homeserver import Homeserver, HomeserverRefused
from bridge.matrix.notices import block_notice, gate_notice, unprotected_notice
from bridge.matrix.power import MODERATOR, can_grant, can_invite, can_redact, with_user_level
from bridge.matrix.rooms import Room, RoomTracker
from bridge.policy import (
    ContentCategory,
    Counterparty,
    Decision,
    EventKind,
    PartyKind,
    RoomGate,
    Verdict,
    classify_party,
    decide,
    room_gate,
)
from bridge.service.agreements import AgreementChange, AgreementService
from bridge.service.rooms import RoomStatus

log = logging.getLogger(__name__)

CommandHook = Callable[[MatrixEvent], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the gate concluded about one event (for the audit record)."""

    category: ContentCategory | None
    verdict: Verdict | None
    enforced: str | None = None  # None, "redacted", or why the redaction failed


class Gatekeeper:
    def __init__(
        self,
        config: Config,
        agreements: AgreementService,
        homeserver: Homeserver,
        rooms: RoomTracker,
        audit_append: Callable[[Sequence[AuditEntry]], Awaitable[Any]],
        audit_seen: Callable[[list[str]], Awaitable[set[str]]],
        clock: Callable[[], int],
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
        agreements.subscribe(self._on_agreement_change)

    # --- transactions ----------------------------------------------------------------------

    async def handle_transaction(self, txn_id: str, raw_events: list[Any]) -> None:
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
        seen = await self._seen([e.event_id for e in events]) if events else set()
        by_room: dict[str, list[MatrixEvent]] = {}
        for event in events:
            if event.event_id not in seen:
                by_room.setdefault(event.room_id, []).append(event)
                seen.add(event.event_id)
        results = await asyncio.gather(*(self._handle_room(evs) for evs in by_room.values()))
        for room_entries in results:
            entries.extend(room_entries)
        if entries:
            await self._append(entries)

    async def _handle_room(self, events: list[MatrixEvent]) -> list[AuditEntry]:
        room = self.rooms.add(events[0].room_id)
        entries = []
        async with room.lock:
            for event in events:
                entries.append(await self._handle_event(room, event))
        return entries

    async def _handle_event(self, room: Room, event: MatrixEvent) -> AuditEntry:
        now = self._clock()
        if event.type == "m.room.member" and event.state_key is not None:
            await self._on_membership(room, event)
        elif event.is_state and event.state_key == "":
            await self._on_room_state(room, event)

        judgement = Judgement(None, None)
        if (
            room.managed
            and not room.is_control
            and event.is_gated_kind
            and event.sender not in self.service_users
        ):
            judgement = await self._gate_event(room, event, now)
        if event.type == "m.room.message" and self.on_command and _looks_like_command(event):
            # Also outside the control room: the command processor refuses and audits those.
            await self.on_command(event)
        return self._event_entry(room, event, judgement, now)

    # --- the gate ----------------------------------------------------------------------------

    def counterparties(self, room: Room, extra: Sequence[str] = ()) -> list[Counterparty]:
        users = [*room.present_members(), *extra]
        users = [u for u in users if u not in self.service_users]
        return self.agreements.registry.counterparties(users, self._clock())

    async def _gate_event(self, room: Room, event: MatrixEvent, now: int) -> Judgement:
        counterparties = self.counterparties(room, [event.sender])
        classification = classify_event(event)
        kind = EventKind.MEDIA if event.is_media else EventKind.MESSAGE
        if event.type == "m.room.encrypted":
            kind = EventKind.UNDECRYPTABLE
        verdict = decide(counterparties, classification.category, kind, self.config.policy)
        if not verdict.blocked:
            verdict = await self._inherited_block(event, verdict)
        if not verdict.blocked:
            return Judgement(classification.category, verdict)
        enforced = await self._enforce(room, event, verdict, now)
        return Judgement(classification.category, verdict, enforced)

    async def _inherited_block(self, event: MatrixEvent, verdict: Verdict) -> Verdict:
        """An edit of a blocked event, or a reply quoting one, must not carry its text on."""
        rel_type, target = event.relates_to
        if target is None or rel_type not in ("m.replace", "m.in_reply_to"):
            return verdict
        if not await self.rooms.blocked([target]):
            return verdict
        what = "an edit of" if rel_type == "m.replace" else "a reply quoting"
        return Verdict(Decision.BLOCK, f"{what} a blocked message", verdict.blocking)

    async def _enforce(self, room: Room, event: MatrixEvent, verdict: Verdict, now: int) -> str:
        await self.rooms.add_blocked(event.event_id, room.room_id, now)
        try:
            await self.hs.redact(room.room_id, event.event_id, f"PHI Gate: {verdict.reason}")
        except HomeserverRefused as refused:
            await self._mark_unprotected(room, now)
            return f"redaction refused ({refused.errcode or refused.status})"
        text, html = block_notice(verdict, event.sender, self.config.organization)
        await self.hs.send_notice(room.room_id, text, html)
        return "redacted"

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
        if room.is_control:
            return
        if not room.can_redact:
            await self._mark_unprotected(room, now, force=True)
        await self.publish_gate(room)

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
            classify_party(user_id, self.agreements.registry.directory).kind is PartyKind.STAFF
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

    async def _mark_unprotected(self, room: Room, now: int, *, force: bool = False) -> None:
        if room.can_redact or force:
            room.can_redact = False
            room.updated_ms = now
            await self.rooms.save(room)
            text, html = unprotected_notice(self.bot_id)
            # It may not even speak there; the control room alert still goes out.
            with contextlib.suppress(HomeserverRefused):
                await self.hs.send_notice(room.room_id, text, html)
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
            text, html = gate_notice(gate, counterparties, self.config.organization)
            await self.hs.send_notice(room.room_id, text, html)
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

    async def alert(self, text: str) -> None:
        if self.control_room_id is None:
            log.warning("%s (no control room)", text)
            return
        try:
            await self.hs.send_notice(self.control_room_id, text)
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
            protected=room.can_redact,
            encrypted=room.encrypted,
            counterparties=tuple(counterparties),
            is_control=room.is_control,
        )

    # --- audit -------------------------------------------------------------------------------

    def _event_entry(
        self, room: Room, event: MatrixEvent, judgement: Judgement, now: int
    ) -> AuditEntry:
        directory = self.agreements.registry.directory
        sender_kind = (
            "bot"
            if event.sender in self.service_users
            else classify_party(event.sender, directory).kind.value
        )
        verdict = judgement.verdict
        decision = verdict.decision.value if verdict else None
        reason = verdict.reason if verdict else None
        if verdict and verdict.blocked and judgement.enforced != "redacted":
            reason = f"{reason}; {judgement.enforced}"
        return AuditEntry(
            kind=RecordKind.EVENT,
            recorded_ts=now,
            event_type=event.type,
            event_id=event.event_id,
            room_id=event.room_id,
            sender=event.sender,
            sender_kind=sender_kind,
            counterparties=_audit_parties(self.counterparties(room, [event.sender])),
            category=judgement.category.value if judgement.category else None,
            decision=decision,
            reason=reason,
            event_ts=event.origin_server_ts,
            content=_audited_content(event),
        )


def classify_event(event: MatrixEvent) -> Classification:
    """The content category of any message-like event (unknown types fail closed)."""
    if event.type in ("m.room.message", "m.sticker"):
        return classify_content(event.content, event_type=event.type)
    if event.type == "m.reaction":
        relation = event.content.get("m.relates_to")
        key = relation.get("key") if isinstance(relation, Mapping) else None
        if isinstance(key, str):
            return classify_text(key)
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


def _malformed_entry(raw: Any, now: int) -> AuditEntry:
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
        reason="event lacks an ID, room, sender or type",
        content={"raw": raw if isinstance(raw, dict | list | str | int | float) else repr(raw)},
    )
