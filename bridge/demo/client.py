"""The one Matrix client of the demo, the benches and the tests: real matrix-nio clients,
end-to-end encrypted like Element.

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
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

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
from nio.exceptions import EncryptionError, LocalProtocolError

from bridge.errors import PhiGateError

log = logging.getLogger(__name__)

MEGOLM_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
DEVICE_NAME = "PHI Gate demo script"
T = TypeVar("T")


def knows_devices(nio: AsyncClient, users: Iterable[str]) -> bool:
    """nio has the device keys of every one of ``users``, so a megolm session it shares now
    reaches them (nio never re-shares a session with devices it learns of later)."""
    if nio.should_query_keys:
        return False
    devices = nio.device_store
    return all(any(True for _ in devices.active_user_devices(u)) for u in users)


async def key_housekeeping(nio: AsyncClient) -> None:
    """What nio's ``sync_forever`` does after each /sync: send queued to-device messages,
    upload, query and claim keys."""
    if not nio.config.encryption_enabled:
        return
    await nio.send_to_device_messages()
    if nio.should_upload_keys:
        await nio.keys_upload()
    if nio.should_query_keys:
        await nio.keys_query()
    if nio.should_claim_keys:
        await nio.keys_claim(nio.get_users_for_key_claiming())


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
        *,
        device_name: str = DEVICE_NAME,
    ) -> None:
        self.session = session
        self.device_name = device_name
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
        # Megolm events whose key had not come yet: tried again after each /sync.
        self.undecrypted: list[tuple[str, MegolmEvent]] = []
        self.sync_errors = 0
        self._changed = asyncio.Condition()
        self._syncer: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def login(self) -> None:
        resp = await self.nio.login(self.password, device_name=self.device_name)
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
                self.sync_errors += 1
                log.warning("sync of %s failed: %s", self.user_id, e)
                await asyncio.sleep(0.3)

    async def _sync_once(self, timeout: float) -> None:
        """One /sync plus the key housekeeping nio's sync_forever would do."""
        nio = self.nio
        resp = await nio.sync(timeout=int(timeout * 1000))
        if not isinstance(resp, SyncResponse):
            raise MatrixCallFailed(f"/sync for {self.user_id} failed: {resp}")
        pending, self.undecrypted = self.undecrypted, []
        fresh = [(r, e) for r, info in resp.rooms.join.items() for e in info.timeline.events]
        for room_id, event in [*pending, *fresh]:
            if isinstance(event, MegolmEvent):
                try:
                    event = nio.decrypt_event(event)
                except EncryptionError:
                    self.undecrypted.append((room_id, event))  # its key is not here yet
                    continue
            self.timeline.setdefault(room_id, []).append(event)
        # A send in another task may be doing part of this already.
        with contextlib.suppress(LocalProtocolError):
            await key_housekeeping(nio)
        async with self._changed:
            self._changed.notify_all()

    async def wait(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait (woken by each /sync) until ``predicate()`` is truthy; return it."""
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
        except TimeoutError:
            raise TimeoutError(f"{self.user_id}: {what} (waited {timeout:g} s)") from None
        result = predicate()
        assert result
        return result

    async def wait_room(
        self, room_id: str, members: Iterable[str], *, encrypted: bool = True, timeout: float = 15.0
    ) -> None:
        """Until :meth:`ready_in`: the next send encrypts for everyone it should."""
        members = list(members)
        await self.wait(
            lambda: self.ready_in(room_id, members, encrypted),
            timeout,
            f"never saw {members} in {room_id}",
        )

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
        """Bodies of ``m.notice`` messages ``sender`` posted in the room, in order (those
        whose key has come)."""
        return [
            e.body
            for e in self.timeline.get(room_id, [])
            if isinstance(e, RoomMessageNotice) and e.sender == sender
        ]

    def encrypted(self, room_id: str) -> bool:
        room = self.nio.rooms.get(room_id)
        return bool(room and room.encrypted)

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

    async def create_room(
        self,
        name: str,
        invite: list[str],
        power_users: dict[str, int],
        *,
        encrypted: bool = True,
    ) -> str:
        """A private room, encrypted as Element creates one unless told otherwise. Room
        version 12: the creator must not be in ``power_users``."""
        body: dict[str, Any] = {
            "name": name,
            "preset": "private_chat",
            "invite": invite,
            "initial_state": [MEGOLM_STATE] if encrypted else [],
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
