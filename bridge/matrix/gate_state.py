"""Each managed room's gate: computed from its counterparties' agreements, published as the
room's ``org.phigate.gate`` state (which the homeserver's module reads while PHI Gate is
unreachable), announced when it opens or closes, and reported to `!room` commands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from bridge.audit import AuditEntry, RecordKind
from bridge.audit import Counterparty as AuditCounterparty
from bridge.config import Config
from bridge.errors import NotFound
from bridge.matrix.expiry import AHEAD_MS
from bridge.matrix.homeserver import Homeserver, HomeserverRefused
from bridge.matrix.notices import gate_notice
from bridge.matrix.notifier import Notifier
from bridge.matrix.policy_state import PolicyState
from bridge.matrix.rooms import Room, RoomTracker
from bridge.matrix.undecryptable import UndecryptableCounts
from bridge.policy import Counterparty, RoomGate, SenderKind, room_gate
from bridge.service.agreements import AgreementChange, AgreementService
from bridge.service.rooms import RoomStatus

log = logging.getLogger(__name__)


class RoomGates:
    def __init__(
        self,
        config: Config,
        agreements: AgreementService,
        homeserver: Homeserver,
        rooms: RoomTracker,
        notifier: Notifier,
        undecryptable: UndecryptableCounts,
        *,
        audit_append: Callable[..., Awaitable[Any]],
        clock: Callable[[], int],
        policy_state: PolicyState | None = None,
    ) -> None:
        self._config = config
        # PHI Gate as the policy server of the gated rooms (bridge.matrix.policy_state).
        self._policy = policy_state
        self._agreements = agreements
        self._hs = homeserver
        self._rooms = rooms
        self._notifier = notifier
        self._undecryptable = undecryptable
        self._append = audit_append
        self._clock = clock
        self.service_users = frozenset({config.bot_user_id, config.sender_user_id})
        agreements.subscribe(self._on_agreement_change)

    def counterparties(self, room: Room, extra: Sequence[str] = ()) -> list[Counterparty]:
        """The room's vendors and patients with their agreements' effective states now."""
        users = [*room.present_members(), *extra]
        users = [u for u in users if u not in self.service_users]
        return self._agreements.registry.counterparties(users, self._clock())

    async def publish(self, room: Room) -> None:
        """Keep ``org.phigate.gate`` current; one notice whenever the gate opens or closes."""
        counterparties = self.counterparties(room)
        gate = room_gate(counterparties)
        content: dict[str, Any] = {
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
            registry = self._agreements.registry
            expiries = [e for c in counterparties if (e := registry.expiry_of(c)) is not None]
            if expiries:
                content["open_until"] = min(expiries)
        now = self._clock()
        if self._policy is not None:
            await self._policy.follow_gate(
                room, gate is RoomGate.GATED or _closing_soon(content, now)
            )
        if content == room.published:
            return
        previous = room.gate
        try:
            await self._hs.set_gate_state(room.room_id, {**content, "updated_at": now})
        except HomeserverRefused as refused:
            log.warning("cannot publish the gate state in %s: %s", room.room_id, refused.errcode)
        room.published = content
        room.gate = gate
        room.updated_ms = now
        await self._rooms.save(room)
        if previous is not gate:
            text, html = gate_notice(
                gate, counterparties, self._config.organization, self._config.policy
            )
            await self._notifier.notice(room.room_id, text, html)
            await self._append(
                [
                    AuditEntry(
                        kind=RecordKind.SYSTEM,
                        recorded_ts=now,
                        event_type="org.phigate.gate",
                        room_id=room.room_id,
                        sender=self._config.bot_user_id,
                        sender_kind=SenderKind.BOT,
                        counterparties=audit_parties(counterparties),
                        decision=gate.value,
                        reason=f"gate {previous.value if previous else 'unknown'} → {gate.value}",
                    )
                ]
            )

    async def _on_agreement_change(self, change: AgreementChange) -> None:
        """Re-evaluate every managed room before the command that changed things returns.
        Not under the rooms' locks: a command runs inside the control room's lock, and
        re-evaluating must not wait for a busy room's transaction to finish."""
        await asyncio.gather(
            *(self.publish(room) for room in self._rooms.managed() if not room.is_control)
        )

    async def before_expiry(self) -> None:
        """An agreement expires within AHEAD_MS: the open rooms it keeps open name PHI Gate
        their policy server now, so vendors' servers know it by the time the gate closes."""
        if self._policy is None:
            return
        now = self._clock()
        for room in self._rooms.managed():
            if room.published is not None and _closing_soon(room.published, now):
                await self._policy.follow_gate(room, True)

    # --- `!room status` / `!room list` (service.rooms.RoomOverview) --------------------------

    async def room_status(self, room_ref: str) -> RoomStatus:
        room_id = room_ref
        if room_ref.startswith("#"):
            room_id = await self._hs.resolve_alias(room_ref) or ""
        room = self._rooms.get(room_id)
        if room is None or not room.managed:
            raise NotFound(f"PHI Gate does not manage room {room_ref}")
        return self._status(room)

    def list_rooms(self, gate: RoomGate | None = None) -> list[RoomStatus]:
        statuses = [self._status(r) for r in self._rooms.managed() if not r.is_control]
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
            undecryptable=self._undecryptable.in_room(room.room_id),
            staff_by_default=tuple(
                self._agreements.registry.staff_by_default(room.present_members())
            ),
            members=tuple(u for u in room.present_members() if u not in self.service_users),
        )


def _closing_soon(gate_content: Mapping[str, Any], now: int) -> bool:
    """An open room whose gate closes by itself (an agreement expires) within AHEAD_MS."""
    until = gate_content.get("open_until")
    return isinstance(until, int) and until - now <= AHEAD_MS


def audit_parties(counterparties: Sequence[Counterparty]) -> tuple[AuditCounterparty, ...]:
    return tuple(
        AuditCounterparty(c.user_id, c.kind.value, c.agreement, c.status.value)
        for c in counterparties
    )
