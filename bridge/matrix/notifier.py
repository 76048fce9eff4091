"""What the bot says: notices in rooms (megolm-encrypted where the room is) and alerts in the
control room."""

from __future__ import annotations

import logging
from typing import Any

from bridge.matrix.e2ee import BotDevice
from bridge.matrix.homeserver import Homeserver, HomeserverRefused
from bridge.matrix.notices import reply_relation
from bridge.matrix.rooms import RoomTracker

log = logging.getLogger(__name__)


class Notifier:
    def __init__(
        self, homeserver: Homeserver, rooms: RoomTracker, device: BotDevice | None, bot_id: str
    ) -> None:
        self._hs = homeserver
        self._rooms = rooms
        self._device = device
        self._bot_id = bot_id
        # Found or created at start, after the parts that alert are built.
        self.control_room_id: str | None = None

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
        room = self._rooms.get(room_id)
        if room is None or not room.encrypted or self._device is None:
            await self._hs.send_notice(room_id, text, html, txn_id=txn_id, reply_to=reply_to)
            return
        content: dict[str, Any] = {"msgtype": "m.notice", "body": text}
        if html:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        if reply_to:
            content.update(reply_relation(reply_to))
        members = [u for u in room.present_members() if u != self._bot_id] + [self._bot_id]
        encrypted = await self._device.encrypt(room_id, "m.room.message", content, members)
        await self._hs.send_event(room_id, "m.room.encrypted", encrypted, txn_id=txn_id)

    async def alert(self, text: str) -> None:
        """Said in the control room (logged when there is none yet or it cannot be reached)."""
        if self.control_room_id is None:
            log.warning("%s (no control room)", text)
            return
        try:
            await self.notice(self.control_room_id, text)
        except HomeserverRefused as refused:
            log.error("cannot alert the control room: %s", refused.errcode)
