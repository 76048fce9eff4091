"""The rooms PHI Gate manages, kept protectable: joining when staff invite it (and, with
``auto_protect``, where staff meet a vendor or patient), end-to-end encryption on, history
hidden from later joiners, the bot's power to redact watched, and the control room told when a
room cannot be protected."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from bridge.config import Config
from bridge.matrix.events import MatrixEvent
from bridge.matrix.gate_state import RoomGates
from bridge.matrix.homeserver import Homeserver, HomeserverRefused
from bridge.matrix.notices import unprotected_notice
from bridge.matrix.notifier import Notifier
from bridge.matrix.policy_state import PolicyState
from bridge.matrix.power import (
    MODERATOR,
    can_grant,
    can_invite,
    can_redact,
    event_level,
    user_level,
    with_user_level,
)
from bridge.matrix.rooms import Room, RoomTracker
from bridge.policy import PartyKind, classify_party
from bridge.service.agreements import AgreementService

log = logging.getLogger(__name__)
MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}
GATE_STATE = "org.phigate.gate"


class RoomGuard:
    def __init__(
        self,
        config: Config,
        agreements: AgreementService,
        homeserver: Homeserver,
        rooms: RoomTracker,
        gates: RoomGates,
        notifier: Notifier,
        *,
        policy_state: PolicyState | None,
        clock: Callable[[], int],
    ) -> None:
        self._config = config
        self._agreements = agreements
        self._hs = homeserver
        self._rooms = rooms
        self._gates = gates
        self._notifier = notifier
        self._clock = clock
        # PHI Gate as the rooms' policy server (m.room.policy kept), when enabled.
        self._policy = policy_state
        self.bot_id = config.bot_user_id
        self.service_users = gates.service_users

    async def on_removal_refused(self, room_id: str, refused: HomeserverRefused) -> None:
        """No power to redact makes the room unprotected; other refusals (an event the
        homeserver does not know) are recorded by the remover and change nothing else."""
        room = self._rooms.get(room_id)
        if room is not None and refused.errcode == "M_FORBIDDEN":
            await self._mark_unprotected(room, self._clock())

    async def on_membership(self, room: Room, event: MatrixEvent) -> None:
        user, membership = event.state_key or "", event.membership or "leave"
        if user == self.bot_id:
            if membership == "invite":
                await self._on_bot_invited(room, event)
            elif membership == "join":
                if not room.managed:
                    await self.manage(room)
            elif room.managed:
                room.managed = False
                await self._rooms.save(room)
                await self._notifier.alert(
                    f"⚠ PHI Gate was removed from room {room.room_id} by {event.sender}"
                )
            return
        if not room.members and not room.managed:
            await self._discover(room, (event.sender, user))
        await self._rooms.set_member(room, user, membership)
        if room.managed and not room.is_control:
            if self._policy is not None:
                await self._policy.on_membership(room)
            await self._gates.publish(room)
        elif self._config.organization.auto_protect and not room.managed:
            await self._maybe_protect(room)

    async def _on_bot_invited(self, room: Room, event: MatrixEvent) -> None:
        inviter = classify_party(event.sender, self._agreements.registry.directory)
        if inviter.kind is not PartyKind.STAFF or event.sender in self.service_users:
            log.info("declining an invite from a %s to %s", inviter.kind.value, room.room_id)
            await self._hs.leave(room.room_id)
            return
        await self._hs.join(room.room_id)
        await self.manage(room)

    async def manage(self, room: Room) -> None:
        """The bot is in: learn the room, publish its gate, say if it cannot protect it."""
        now = self._clock()
        room.apply_state(await self._hs.room_state(room.room_id), self.bot_id)
        room.managed = True
        room.joined_ms = room.joined_ms or now
        room.updated_ms = now
        room.is_control = room.room_id == self._notifier.control_room_id
        await self._rooms.save(room, members=True)
        if not room.encrypted:
            await self._turn_on_encryption(room)
        if room.is_control:
            return
        if not room.history_hidden:
            await self._hide_history(room)
        if not room.can_redact:
            await self._mark_unprotected(room, now, force=True)
        await self._gates.publish(room)  # and the room's policy server (gated rooms)

    async def _turn_on_encryption(self, room: Room) -> None:
        """Managed rooms are end-to-end encrypted, always."""
        if await self._put_protective_state(room, "m.room.encryption", dict(MEGOLM)):
            room.encrypted = True
            await self._rooms.save(room)
            return
        await self._notifier.alert(
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
        await self._notifier.alert(
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
        if self._config.organization.auto_protect:
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
                await self._hs.put_state(room.room_id, event_type, content, as_user=sender)
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
                state = await self._hs.room_state(room.room_id, as_user=user)
            except HomeserverRefused:
                continue  # not (yet) a member who may read the state
            room.apply_state(state, self.bot_id)
            await self._rooms.save(room, members=True)
            return

    def _is_local_staff(self, user_id: str) -> bool:
        return user_id.endswith(":" + self._config.homeserver.domain) and (
            self._agreements.registry.party(user_id).kind is PartyKind.STAFF
        )

    async def _maybe_protect(self, room: Room) -> None:
        """Bring the bot into a room where staff meet a counterparty (auto_protect)."""
        if not self._gates.counterparties(room):
            return
        staff = [
            u
            for u, m in room.members.items()
            if m == "join" and u not in self.service_users and self._is_local_staff(u)
        ]
        inviter = next((u for u in staff if can_invite(room.power_levels, u, room.creators)), None)
        if inviter is None:
            await self._notifier.alert(
                f"⚠ Room {room.room_id} has a vendor or patient but no local staff member who "
                "may invite PHI Gate: it is UNPROTECTED"
            )
            return
        await self._hs.invite(room.room_id, self.bot_id, as_user=inviter)
        await self._hs.join(room.room_id)
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
            await self._hs.put_state(room.room_id, "m.room.power_levels", content, as_user=granter)
        except HomeserverRefused as refused:
            log.warning("could not raise the bot in %s: %s", room.room_id, refused)

    async def on_room_state(self, room: Room, event: MatrixEvent) -> None:
        if event.type == "m.room.power_levels":
            room.power_levels = dict(event.content)
            was = room.can_redact
            room.can_redact = can_redact(room.power_levels, self.bot_id, room.creators)
            if room.managed and was != room.can_redact:
                await self._rooms.save(room)
                if not room.can_redact:
                    await self._mark_unprotected(room, self._clock(), force=True)
                else:
                    await self._notifier.alert(f"✅ Room {room.room_id} is protected again")
        elif event.type == "m.room.encryption":
            room.encrypted = True
            if room.managed:
                await self._rooms.save(room)
        elif event.type == "m.room.history_visibility":
            room.set_history_visibility(event.content)
            if room.managed and not room.is_control and not room.history_hidden:
                await self._hide_history(room)
        elif (
            event.type == "m.room.policy"
            and room.managed
            and not room.is_control
            and self._policy is not None
        ):
            await self._policy.on_change(room, event.sender, event.content)
        elif (
            event.type == GATE_STATE
            and event.sender not in self.service_users
            and room.managed
            and not room.is_control
        ):
            # The homeserver's module trusts only PHI Gate's own gate state, so this opens
            # nothing; PHI Gate's is put back so that every reader sees the real gate.
            await self._notifier.alert(
                f"⚠ {event.sender} changed PHI Gate's gate state in room {room.room_id}; "
                "PHI Gate put its own back"
            )
            room.published = None
            await self._gates.publish(room)

    async def _mark_unprotected(self, room: Room, now: int, *, force: bool = False) -> None:
        if room.can_redact or force:
            room.can_redact = False
            room.updated_ms = now
            await self._rooms.save(room)
            text, html = unprotected_notice(self.bot_id)
            # It may not even speak there; the control room alert still goes out.
            with contextlib.suppress(HomeserverRefused):
                await self._notifier.notice(room.room_id, text, html)
            await self._notifier.alert(
                f"⚠ Room {room.room_id} is UNPROTECTED: PHI Gate cannot redact there"
            )

    async def refresh_all(self) -> None:
        """At start: re-read every managed room (changes while PHI Gate was down)."""
        for room in list(self._rooms.managed()):
            try:
                await self.manage(room)
            except HomeserverRefused as refused:
                log.warning("room %s is no longer reachable: %s", room.room_id, refused.errcode)
                room.managed = False
                await self._rooms.save(room)
