"""The ``m.room.policy`` state PHI Gate keeps in the gated rooms it manages (MSC4284).

It names the practice's server (``via``, where the bot is joined: a policy server whose
server has no joined user is ignored) and PHI Gate's own policy-server key. Only gated rooms
name it: in an open room every message may pass, so asking PHI Gate would only make vendors'
sends there fail while PHI Gate is down; when a room opens the event is emptied, when it
closes PHI Gate names itself again (the practice's server refuses, on arrival, what a vendor
server sent without asking meanwhile). Synapse does not check changes to it, so PHI Gate
watches them: any other content is put back where the bot may, and the control room is told.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bridge.matrix.homeserver import Homeserver, HomeserverRefused, HomeserverUnavailable
from bridge.matrix.power import event_level, user_level
from bridge.matrix.rooms import Room
from bridge.policy.parties import server_of

log = logging.getLogger(__name__)

POLICY_EVENT = "m.room.policy"
# Only admins may name a room's policy server: a moderator (PL 50) could otherwise switch
# the vendor-side check off.
ADMIN_LEVEL = 100
SERVERS_KEY = "org.phigate.servers"
POLICY_KEY_ID = "ed25519:policy_server"


class PolicyState:
    def __init__(
        self,
        *,
        homeserver: Homeserver,
        bot_id: str,
        server_name: str,
        public_key: str,
        alert: Callable[[str], Awaitable[None]],
    ) -> None:
        self._hs = homeserver
        self._bot = bot_id
        self._alert = alert
        self._server = server_name
        self._keys = {"ed25519": public_key}
        # room → the remote servers the room's m.room.policy was last published for (gated
        # rooms only: an open room's is emptied).
        self._published: dict[str, tuple[str, ...]] = {}
        # Rooms whose m.room.policy PHI Gate emptied because they are open.
        self._cleared: set[str] = set()
        # Servers the control room was told do not honour the policy server.
        self._unhonoured: set[str] = set()

    def is_ours(self, content: Mapping[str, Any]) -> bool:
        return content.get("via") == self._server and content.get("public_keys") == self._keys

    def _remote_servers(self, room: Room) -> tuple[str, ...]:
        return tuple(
            sorted(
                {
                    server_of(user)
                    for user, membership in room.members.items()
                    if membership == "join" and server_of(user) != self._server
                }
            )
        )

    def content(self, room: Room) -> dict[str, Any]:
        """``via`` and the key, plus the remote servers it was published for: a server that
        joins later gets the event before its join only redacted (history visibility
        "joined"), and redaction strips m.room.policy's content, so the event is sent again,
        changed, whenever a new server joins."""
        return {
            "via": self._server,
            "public_keys": dict(self._keys),
            SERVERS_KEY: list(self._remote_servers(room)),
        }

    async def note_arrival(self, room: Room, raw: Mapping[str, Any]) -> None:
        """A remote member's message reached the practice's server (the pre-persist module
        sees it with its signatures): one whose server had the room's policy yet sent it
        without PHI Gate's signature does not honour the policy server. The control room is
        told once per server; the module still judges the event on arrival."""
        sender = raw.get("sender")
        server = server_of(sender) if isinstance(sender, str) else ""
        if (
            not server
            or server == self._server
            or "state_key" in raw
            or server in self._unhonoured
            or server not in self._published.get(room.room_id, ())
        ):
            return
        signatures = raw.get("signatures")
        ours = signatures.get(self._server) if isinstance(signatures, Mapping) else None
        if isinstance(ours, Mapping) and POLICY_KEY_ID in ours:
            return
        self._unhonoured.add(server)
        await self._alert(
            f"⚠ The vendor server {server} does not honour PHI Gate as the policy server: "
            f"its user {sender} sent a message in room {room.room_id} without asking PHI Gate "
            "first, so that server keeps its users' blocked messages itself (the practice's "
            "server still refuses them on arrival). Ask the vendor to update its homeserver."
        )

    async def follow_gate(self, room: Room, gated: bool) -> None:
        """Name PHI Gate the policy server of a gated room; empty it in an open one."""
        if gated:
            if room.room_id not in self._published:
                await self.ensure(room)
        elif room.room_id not in self._cleared:
            await self._clear(room)

    async def _clear(self, room: Room) -> None:
        try:
            await self._hs.put_state(room.room_id, POLICY_EVENT, {}, as_user=self._bot)
        except (HomeserverRefused, HomeserverUnavailable) as e:
            # Only availability is at stake (vendors' sends fail while PHI Gate is down).
            log.warning("could not empty m.room.policy in open room %s: %s", room.room_id, e)
            return
        self._published.pop(room.room_id, None)
        self._cleared.add(room.room_id)

    async def on_membership(self, room: Room) -> None:
        """A member joined or left: publish again for a server not covered yet."""
        published = self._published.get(room.room_id)
        if published is not None and not set(self._remote_servers(room)) <= set(published):
            await self.ensure(room)

    async def ensure(self, room: Room) -> bool:
        """Name PHI Gate the room's policy server (Synapse answers an identical state event
        with the existing one) and keep the power to change that with admins. False, with a
        control-room alert saying why, where the bot may not."""
        if user_level(room.power_levels, self._bot, room.creators) < event_level(
            room.power_levels, POLICY_EVENT, state=True
        ):
            await self._alert(
                f"⚠ Room {room.room_id}: PHI Gate may not name itself the room's policy "
                "server (m.room.policy needs more power than it has), so vendors' own servers "
                "are not asked before they send its members' messages"
            )
            return False
        content = self.content(room)
        try:
            await self._hs.put_state(room.room_id, POLICY_EVENT, content, as_user=self._bot)
        except (HomeserverRefused, HomeserverUnavailable) as e:
            await self._alert(
                f"⚠ Room {room.room_id}: PHI Gate could not set the room's policy server ({e})"
            )
            return False
        self._published[room.room_id] = tuple(content[SERVERS_KEY])
        self._cleared.discard(room.room_id)
        await self._admins_only(room)
        return True

    async def _admins_only(self, room: Room) -> None:
        levels = dict(room.power_levels)
        events = dict(levels.get("events") or {})
        bot_level = user_level(room.power_levels, self._bot, room.creators)
        wanted = min(ADMIN_LEVEL, bot_level)
        if event_level(
            room.power_levels, POLICY_EVENT, state=True
        ) >= wanted or bot_level < event_level(
            room.power_levels, "m.room.power_levels", state=True
        ):
            return
        events[POLICY_EVENT] = wanted
        levels["events"] = events
        # Best effort: where the bot may not change power levels, m.room.policy keeps the
        # room's state_default (moderators), which the alert on any change still covers.
        with contextlib.suppress(HomeserverRefused, HomeserverUnavailable):
            await self._hs.put_state(room.room_id, "m.room.power_levels", levels, as_user=self._bot)

    async def on_change(self, room: Room, sender: str, content: Mapping[str, Any]) -> None:
        """Someone changed the room's policy server: put PHI Gate back (or, in an open room,
        nothing), tell the control room."""
        if sender == self._bot or self.is_ours(content):
            return
        if room.room_id not in self._published:  # open: no policy server wanted
            if content:
                self._cleared.discard(room.room_id)
                await self._clear(room)
                await self._alert(
                    f"⚠ Room {room.room_id}: {sender} named another policy server; PHI Gate "
                    "emptied it (the room is open, so none is asked)"
                )
            return
        what = "removed" if not content else "changed"
        restored = await self.ensure(room)
        outcome = "PHI Gate restored it" if restored else "PHI Gate could NOT restore it"
        await self._alert(
            f"⚠ Room {room.room_id}: {sender} {what} the room's policy server; {outcome}. "
            "Without it, vendors' own servers send their users' messages without asking PHI "
            "Gate first (the practice's server still refuses blocked ones on arrival)."
        )
