"""The homeserver asks PHI Gate before it stores an event (pre-persist checks).

PHI Gate's Synapse module (``synapse_module/phigate_synapse``) calls these for every event
sent in a room on the practice's server and every event arriving over federation, before
Synapse stores or sends it. A refusal reaches the sender as ``403 M_FORBIDDEN`` with the
reason; nothing is stored, nothing federated (a federated event is soft-failed: staff never
see it). The decision is :func:`bridge.policy.judge`, exactly as on the redaction path,
which stays the backstop for anything accepted while PHI Gate was unreachable.

Speed matters here: every send waits for the answer. Rooms PHI Gate does not manage and open
rooms are answered from memory (no decryption, no database); only gated rooms decrypt and
classify, and only refusals are written (an accepted event is recorded when it arrives by
transaction, like any other).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bridge.audit import AuditEntry
from bridge.matrix.event_gate import EventGate, Judgement
from bridge.matrix.events import MatrixEvent, parse_event
from bridge.matrix.megolm_reader import Undecryptable
from bridge.matrix.notices import refusal_text
from bridge.matrix.rooms import Room
from bridge.metrics import Metrics, Outcome
from bridge.policy import (
    ContentCategory,
    EventFacts,
    EventKind,
    PartyKind,
    RoomGate,
    Verdict,
    judge,
    room_gate,
)
from bridge.policy.parties import server_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    allow: bool
    error: str = ""

    def json(self) -> dict[str, Any]:
        if self.allow:
            return {"allow": True}
        return {"allow": False, "errcode": "M_FORBIDDEN", "error": self.error}


ALLOW = Answer(True)


@dataclass(frozen=True, slots=True)
class Decision:
    answer: Answer
    # What a refusal is audited with (the pre-persist module's; the policy server writes
    # nothing): the event, the verdict and the facts it was reached on.
    refused: tuple[MatrixEvent, Verdict, EventFacts] | None = None


ALLOWED = Decision(ALLOW)


class PrePersistChecks:
    def __init__(
        self,
        gate: EventGate,
        *,
        audit_append: Callable[[list[AuditEntry]], Awaitable[object]],
        key_wait_seconds: float,
        clock: Callable[[], int],
        metrics: Metrics | None = None,
        on_arrival: Callable[[Room, Mapping[str, Any]], Awaitable[None]] | None = None,
        policy_signed: Callable[[Mapping[str, Any]], Awaitable[bool]] | None = None,
    ) -> None:
        self._gate = gate
        # Refusals only: an accepted event is counted when it arrives by transaction.
        self._metrics = metrics
        self._append = audit_append
        self._key_wait = key_wait_seconds
        self._clock = clock
        # Told of every event the module asks about in a managed room (the policy server
        # checks whether remote servers honour it: bridge.matrix.policy_state).
        self.on_arrival = on_arrival
        # With PHI Gate as the rooms' policy server: whether an event from another server
        # carries its signature (its server asked first).
        self._policy_signed = policy_signed

    async def check_event(self, raw: Any) -> Answer:
        """``check_event_for_spam``: local sends and federated arrivals alike. A refusal is
        audited (the event was never stored)."""
        decision = await self.decide(raw, arriving=True)
        if self.on_arrival is not None and isinstance(raw, Mapping):
            room_id = raw.get("room_id")
            room = self._gate.rooms.get(room_id) if isinstance(room_id, str) else None
            if room is not None and room.managed and not room.is_control:
                await self.on_arrival(room, raw)
        if decision.refused is not None:
            await self._record(*decision.refused)
        return decision.answer

    async def decide(self, raw: Any, *, arriving: bool = False) -> Decision:
        """The verdict on one event as the homeserver (or, for the policy server, another
        homeserver) built it, without writing anything: the one decision behind the
        pre-persist module and ``/_matrix/policy/v1/sign`` alike. ``arriving``: the
        practice's server is about to store it (an event from another server must then
        carry the policy signature in a gated room)."""
        gate = self._gate
        event = parse_event(raw)
        if event is None:
            # The homeserver built it, so it has an ID, room and sender; without them here
            # the module is not sending what it should: refuse where it matters.
            room_id = raw.get("room_id") if isinstance(raw, Mapping) else None
            room = gate.rooms.get(room_id) if isinstance(room_id, str) else None
            if room is None or not room.managed or room.is_control:
                return ALLOWED
            return Decision(
                Answer(False, "PHI Gate could not read this event's ID, room or sender")
            )
        room = gate.rooms.get(event.room_id)
        if (
            room is None
            or not room.managed
            or room.is_control
            or event.sender in gate.service_users
            or not event.is_gated_kind
        ):
            return ALLOWED
        counterparties = tuple(gate.counterparties(room, [event.sender]))
        gated = room_gate(counterparties) is not RoomGate.OPEN
        if not gated and event.type == "m.room.encrypted":
            return ALLOWED  # from memory: the redaction path checks its attachments
        if (
            arriving
            and gated
            and self._policy_signed is not None
            and server_of(event.sender) != gate.config.homeserver.domain
            and not await self._policy_signed(raw)
        ):
            # Its server skipped the room's policy server (old, or patched not to ask): it
            # kept the event whatever PHI Gate would have said, so it is not let in here.
            facts = EventFacts(
                counterparties,
                ContentCategory.UNKNOWN,
                EventKind.UNREADABLE,
                f"{server_of(event.sender)} sent it without asking PHI Gate, the room's policy "
                "server",
            )
            return self._decision(event, judge(facts, gate.config.policy), facts)
        if event.type == "m.room.encrypted" and gate.device is not None:
            try:
                event = await gate.decrypt(event, wait=self._key_wait)
            except Undecryptable as unreadable:
                facts = EventFacts(
                    counterparties,
                    ContentCategory.UNKNOWN,
                    EventKind.UNDECRYPTABLE,
                    f"PHI Gate could not read this message: {unreadable}",
                )
                return self._decision(event, judge(facts, gate.config.policy), facts)
        facts, verdict = await gate.decide(event, counterparties)
        return self._decision(event, verdict, facts)

    def _decision(self, event: MatrixEvent, verdict: Verdict, facts: EventFacts) -> Decision:
        if not verdict.blocked:
            return ALLOWED
        answer = Answer(False, refusal_text(verdict, self._gate.config.organization))
        return Decision(answer, (event, verdict, facts))

    async def _record(self, event: MatrixEvent, verdict: Verdict, facts: EventFacts) -> None:
        gate = self._gate
        room = gate.rooms.add(event.room_id)
        judgement = Judgement(
            facts.category,
            Verdict(
                verdict.decision, f"refused before storage: {verdict.reason}", verdict.blocking
            ),
            counterparties=facts.counterparties,
        )
        entry = gate.event_entry(room, event, judgement, self._clock())
        # "refused", not "block": never stored, never delivered (the accounting of
        # disclosures counts blocks as late, after delivery).
        await self._append([replace(entry, decision="refused")])
        gate.rooms.remember_blocked(event.room_id, event.event_id)
        if self._metrics is not None:
            self._metrics.verdict(Outcome.REFUSED)
            if facts.kind is EventKind.UNDECRYPTABLE:
                self._metrics.undecryptable_event()

    def _outsider(self, user: str, room_id: str) -> PartyKind | None:
        """What ``user`` is when a vendor or patient (or anyone not staff) and PHI Gate does
        not manage ``room_id``: the one rule behind the invite and join checks (no room
        escapes the gate). None when nothing stands in the way."""
        gate = self._gate
        kind = gate.agreements.registry.party(user).kind
        if kind is PartyKind.STAFF or user in gate.service_users:
            return None
        room = gate.rooms.get(room_id)
        return None if room is not None and room.managed else kind

    async def user_may_invite(self, body: Mapping[str, Any]) -> Answer:
        """A vendor or patient may be invited only where PHI Gate is (or is being) let in."""
        invitee, room_id = body.get("invitee"), body.get("room_id")
        if not isinstance(invitee, str) or not isinstance(room_id, str):
            return ALLOW
        kind = self._outsider(invitee, room_id)
        if kind is None or body.get("bot_membership") in ("invite", "join"):
            return ALLOW
        return Answer(
            False,
            f"PHI Gate must be in this room before {invitee} (a {kind.value}) can be "
            f"invited: invite {self._gate.bot_id} first, with moderator power",
        )

    async def federated_user_may_invite(self, body: Mapping[str, Any]) -> Answer:
        """Someone on another server invites a local user (the homeserver asks
        ``user_may_invite`` about the invitee afterwards). A vendor or patient may not pull
        staff into a room PHI Gate does not protect: what staff say there would reach them
        ungated."""
        inviter, room_id = body.get("inviter"), body.get("room_id")
        if not isinstance(inviter, str) or not isinstance(room_id, str):
            return Answer(False, "PHI Gate could not read who sent this invitation")
        kind = self._outsider(inviter, room_id)
        if kind is None:
            return ALLOW
        return Answer(
            False,
            f"PHI Gate does not protect this room, so {inviter} (a {kind.value}) cannot "
            "invite people from the practice into it: rooms with vendors and patients are "
            "started by staff on the practice's server, where PHI Gate is in them",
        )

    async def user_may_join_room(self, body: Mapping[str, Any]) -> Answer:
        """A vendor or patient joins only once PHI Gate manages the room (it gates what they
        read from their first moment in it)."""
        user, room_id = body.get("user"), body.get("room_id")
        if not isinstance(user, str) or not isinstance(room_id, str):
            return ALLOW
        if self._outsider(user, room_id) is None:
            return ALLOW
        return Answer(
            False,
            "PHI Gate is not protecting this room yet, so vendors and patients cannot join it; "
            "ask staff to invite PHI Gate first, or try again in a moment",
        )
