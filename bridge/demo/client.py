"""The demo's scripted users: real Matrix clients, end-to-end encrypted like Element.

Each person is a matrix-nio client with its own device that syncs in the background (sending
and claiming keys as a real client does), sends encrypted messages in encrypted rooms and
decrypts what it receives. What the homeserver itself serves (is an event redacted? the room's
``org.phigate.gate`` state) is read with plain client-server calls under the same login.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    MegolmEvent,
    RoomMessageNotice,
    RoomSendError,
    RoomSendResponse,
    SyncResponse,
)

from bridge.errors import PhiGateError

log = logging.getLogger(__name__)

MEGOLM_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
DEVICE_NAME = "PHI Gate demo script"


def knows_devices(nio: AsyncClient, users: Iterable[str]) -> bool:
    """nio has the device keys of every one of ``users``, so a megolm session it shares now
    reaches them (nio never re-shares a session with devices it learns of later)."""
    if nio.should_query_keys:
        return False
    devices = nio.device_store
    return all(any(True for _ in devices.active_user_devices(u)) for u in users)


class MatrixCallFailed(PhiGateError):
    """The homeserver refused or failed a call the demo needed."""


class SendRefused(MatrixCallFailed):
    """The homeserver refused a message before storing it (PHI Gate's pre-persist check);
    the message is PHI Gate's reason, as the sender's client shows it."""


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class DemoClient:
    """One person, logged in with a password, syncing until :meth:`close`."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        homeserver: str,
        user_id: str,
        password: str,
        store_dir: Path,
    ) -> None:
        self.session = session
        self.homeserver = homeserver.rstrip("/")
        self.user_id = user_id
        self.password = password
        store_dir.mkdir(parents=True, exist_ok=True)
        self.nio = AsyncClient(
            self.homeserver,
            user_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=True),
        )
        # Timeline events per room, in order, decrypted where the keys allowed.
        self.timeline: dict[str, list[Any]] = {}
        self._syncer: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def login(self) -> None:
        resp = await self.nio.login(self.password, device_name=DEVICE_NAME)
        if not isinstance(resp, LoginResponse):
            raise MatrixCallFailed(f"login of {self.user_id} failed: {resp}")
        if self.nio.should_upload_keys:
            await self.nio.keys_upload()
        await self._sync_once(0)
        self._syncer = asyncio.create_task(self._sync_forever())

    async def close(self) -> None:
        if self._syncer is not None:
            self._syncer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._syncer
        with contextlib.suppress(Exception):
            await self.nio.close()

    async def _sync_forever(self) -> None:
        while True:
            try:
                await self._sync_once(1.0)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # e.g. the homeserver shutting down
                log.warning("sync of %s failed: %s", self.user_id, e)
                await asyncio.sleep(0.3)

    async def _sync_once(self, timeout: float) -> None:
        """One /sync plus the key housekeeping nio's sync_forever would do."""
        nio = self.nio
        resp = await nio.sync(timeout=int(timeout * 1000))
        if not isinstance(resp, SyncResponse):
            raise MatrixCallFailed(f"/sync for {self.user_id} failed: {resp}")
        for room_id, info in resp.rooms.join.items():
            self.timeline.setdefault(room_id, []).extend(info.timeline.events)
        await nio.send_to_device_messages()
        if nio.should_upload_keys:
            await nio.keys_upload()
        if nio.should_query_keys:
            await nio.keys_query()
        if nio.should_claim_keys:
            await nio.keys_claim(nio.get_users_for_key_claiming())

    # --- what this client knows --------------------------------------------------------------

    def ready_in(self, room_id: str, members: Iterable[str], encrypted: bool) -> bool:
        """The client knows the room as it is (encryption, who joined) and the device keys of
        everyone in it, so a message it sends can be read by all of them."""
        room = self.nio.rooms.get(room_id)
        if room is None or room.encrypted != encrypted:
            return False
        members = list(members)
        if any(m not in room.users for m in [self.user_id, *members]):
            return False
        return not encrypted or knows_devices(self.nio, members)

    def notices_from(self, room_id: str, sender: str) -> list[str]:
        """Bodies of ``m.notice`` messages ``sender`` posted in the room, in order."""
        events = self.timeline.get(room_id, [])
        bodies: list[str] = []
        for i, event in enumerate(events):
            if isinstance(event, MegolmEvent) and event.sender == sender:
                # The room key may have come after the message: try again now.
                with contextlib.suppress(Exception):
                    event = events[i] = self.nio.decrypt_event(event)
            if isinstance(event, RoomMessageNotice) and event.sender == sender:
                bodies.append(event.body)
        return bodies

    # --- acting --------------------------------------------------------------------------------

    async def send_text(self, room_id: str, body: str) -> str:
        resp = await self.nio.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": body},
            ignore_unverified_devices=True,
        )
        if isinstance(resp, RoomSendError) and resp.status_code == "M_FORBIDDEN":
            raise SendRefused(resp.message)
        if not isinstance(resp, RoomSendResponse):
            raise MatrixCallFailed(f"{self.user_id} could not send to {room_id}: {resp}")
        return resp.event_id

    async def set_display_name(self, name: str) -> None:
        await self.request(
            "PUT",
            f"/_matrix/client/v3/profile/{_q(self.user_id)}/displayname",
            {"displayname": name},
        )

    async def create_room(self, name: str, invite: list[str], power_users: dict[str, int]) -> str:
        """A private, encrypted room, as Element creates one."""
        body: dict[str, Any] = {
            "name": name,
            "preset": "private_chat",
            "invite": invite,
            "initial_state": [MEGOLM_STATE],
            "power_level_content_override": {"users": power_users},
        }
        resp = await self.request("POST", "/_matrix/client/v3/createRoom", body)
        return str(resp["room_id"])

    async def join(self, room_id_or_alias: str) -> str:
        resp = await self.request("POST", f"/_matrix/client/v3/join/{_q(room_id_or_alias)}", {})
        return str(resp["room_id"])

    # --- what the homeserver serves ------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.nio.access_token}"}
        async with self.session.request(
            method, self.homeserver + path, json=body, params=params, headers=headers
        ) as resp:
            payload = await resp.json(content_type=None)
            if resp.status not in expect:
                errcode = payload.get("errcode") if isinstance(payload, dict) else None
                error = payload.get("error") if isinstance(payload, dict) else payload
                raise MatrixCallFailed(
                    f"{method} {path} as {self.user_id} -> {resp.status} "
                    f"{errcode or ''} {error or ''}".strip()
                )
            return payload if resp.status == 200 else None

    async def event(self, room_id: str, event_id: str) -> dict[str, Any]:
        """The event as served now: a redacted one has ``unsigned.redacted_because``."""
        return await self.request(
            "GET", f"/_matrix/client/v3/rooms/{_q(room_id)}/event/{_q(event_id)}"
        )

    async def state(self, room_id: str, event_type: str, state_key: str = "") -> Any:
        """The content of a state event, or None if the room has none."""
        return await self.request(
            "GET",
            f"/_matrix/client/v3/rooms/{_q(room_id)}/state/{_q(event_type)}/{_q(state_key)}",
            expect=(200, 404),
        )
