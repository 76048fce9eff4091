"""The one Matrix client of the demo, the benches and the tests: a matrix-nio client,
end-to-end encrypted like Element.

Each person is a :class:`DemoClient` — a matrix-nio ``AsyncClient`` with its own device —
that syncs in the background (sending and claiming keys as a real client does), sends
encrypted messages in encrypted rooms and decrypts what it receives, trying again for an
event whose room key came after it. What the homeserver itself serves (is an event redacted?
the room's ``org.phigate.gate`` state) is read with plain client-server calls under the same
login. Waits are on conditions with a deadline, woken by each /sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

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
DEVICE_FILE = "device_ids.json"
T = TypeVar("T")


class MatrixCallFailed(PhiGateError):
    """The homeserver refused or failed a call the client needed."""


class SendRefused(MatrixCallFailed):
    """The homeserver refused a message before storing it (PHI Gate's pre-persist check);
    the message is PHI Gate's reason, as the sender's client shows it."""


@dataclass(frozen=True)
class SyncedEvent:
    """One event from a /sync response, with where it came from.

    ``event`` is nio's parsed event: in encrypted rooms what could be decrypted (e.g.
    ``RoomMessageText``); what could not (yet) stays ``MegolmEvent``.
    """

    kind: Literal["timeline", "state", "invite", "to_device"]
    room_id: str | None
    event: Any


def events_of(resp: SyncResponse) -> list[SyncedEvent]:
    """Every event of a /sync response: joined and left rooms' state and timeline, invites,
    to-device events."""
    out: list[SyncedEvent] = []
    for rooms in (resp.rooms.join, resp.rooms.leave):
        for room_id, info in rooms.items():
            out += [SyncedEvent("state", room_id, e) for e in info.state]
            out += [SyncedEvent("timeline", room_id, e) for e in info.timeline.events]
    for room_id, invited in resp.rooms.invite.items():
        out += [SyncedEvent("invite", room_id, e) for e in invited.invite_state]
    out += [SyncedEvent("to_device", None, e) for e in resp.to_device_events]
    return out


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


async def _checked(awaitable: Awaitable[Any], what: str) -> Any:
    resp = await awaitable
    # nio answers errors as *Error response objects rather than raising.
    if type(resp).__name__.endswith("Error"):
        raise MatrixCallFailed(f"{what} failed: {resp}")
    return resp


class DemoClient(AsyncClient):
    """One person's matrix-nio client: :meth:`start` logs in with the password (keeping the
    device across logins with the same ``store_dir``) and syncs in the background until
    :meth:`close`."""

    def __init__(
        self,
        homeserver: str,
        user_id: str,
        password: str,
        store_dir: Path,
        *,
        device_name: str = DEVICE_NAME,
        encryption: bool = True,
    ) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.store_dir = store_dir
        self.password = password
        self.device_name = device_name
        device_file = store_dir / DEVICE_FILE
        devices: dict[str, str] = (
            json.loads(device_file.read_text()) if device_file.exists() else {}
        )
        super().__init__(
            homeserver.rstrip("/"),
            user_id,
            device_id=devices.get(user_id, ""),
            store_path=str(store_dir),
            config=AsyncClientConfig(encryption_enabled=encryption, store_sync_tokens=True),
        )
        self.user_id = user_id
        # Every event /sync brought, in order; a megolm event is replaced in place once its
        # key has come (see :meth:`_decrypt_late`).
        self.received: list[SyncedEvent] = []
        self._undecrypted: list[int] = []  # indexes into received
        self.sync_errors = 0
        self._changed = asyncio.Condition()
        self._syncer: asyncio.Task[None] | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def log_in(self) -> None:
        """Log in (reusing the device this store knows, so its olm account and the keys others
        hold for it stay valid) and upload the device keys; no /sync yet."""
        resp = await self.login(self.password, device_name=self.device_name)
        if not isinstance(resp, LoginResponse):
            raise MatrixCallFailed(f"login of {self.user_id} failed: {resp}")
        device_file = self.store_dir / DEVICE_FILE
        devices = json.loads(device_file.read_text()) if device_file.exists() else {}
        if devices.get(self.user_id) != resp.device_id:
            devices[self.user_id] = resp.device_id
            device_file.write_text(json.dumps(devices))
        if self.config.encryption_enabled and self.should_upload_keys:
            await _checked(self.keys_upload(), "keys_upload")

    async def start(self) -> None:
        """Log in, sync once and keep syncing in the background."""
        await self.log_in()
        await self.sync_once()
        self._syncer = asyncio.create_task(self._sync_forever())

    async def close(self) -> None:
        if self._syncer is not None:
            self._syncer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._syncer
            self._syncer = None
        with contextlib.suppress(Exception):
            await super().close()

    async def _sync_forever(self) -> None:
        while True:
            try:
                await self.sync_once(1.0)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # e.g. the homeserver restarting: the next round retries
                self.sync_errors += 1
                log.warning("sync of %s failed: %s", self.user_id, e)
                await asyncio.sleep(0.3)

    async def sync_once(self, timeout: float = 0.0) -> list[SyncedEvent]:
        """One /sync (long-polling up to ``timeout`` s) plus the key housekeeping nio's
        ``sync_forever`` would do; returns the events it brought. (The background sync calls
        it: call it yourself only on a client not started.)"""
        resp = await self.sync(timeout=int(timeout * 1000))
        if not isinstance(resp, SyncResponse):
            raise MatrixCallFailed(f"/sync for {self.user_id} failed: {resp}")
        fresh = events_of(resp)
        first = len(self.received)
        # Kept before the housekeeping: nio's sync token has already moved past them.
        self.received += fresh
        self._undecrypted += [
            first + i for i, s in enumerate(fresh) if isinstance(s.event, MegolmEvent)
        ]
        self._decrypt_late()
        try:
            # A send in another task may be doing part of this already.
            with contextlib.suppress(LocalProtocolError):
                await self.key_housekeeping()
        finally:
            async with self._changed:
                self._changed.notify_all()
        return fresh

    def _decrypt_late(self) -> None:
        """Megolm events whose key had not come: tried again after each /sync."""
        still: list[int] = []
        for i in self._undecrypted:
            synced = self.received[i]
            try:
                event = self.decrypt_event(synced.event)
            except EncryptionError:
                still.append(i)  # its key is not here yet
                continue
            self.received[i] = replace(synced, event=event)
        self._undecrypted = still

    async def key_housekeeping(self) -> None:
        """What nio's ``sync_forever`` does after each /sync: send queued to-device messages,
        upload, query and claim keys. Without it, room keys asked for or owed to others are
        never sent."""
        if not self.config.encryption_enabled:
            return
        await _checked(self.send_to_device_messages(), "send_to_device_messages")
        if self.should_upload_keys:
            await _checked(self.keys_upload(), "keys_upload")
        if self.should_query_keys:
            await _checked(self.keys_query(), "keys_query")
        if self.should_claim_keys:
            await _checked(self.keys_claim(self.get_users_for_key_claiming()), "keys_claim")

    # --- waiting -------------------------------------------------------------------------------

    async def wait(self, predicate: Callable[[], T | None], timeout: float, what: str) -> T:
        """Wait (woken by each /sync) until ``predicate()`` is truthy; return it.

        Raises:
            TimeoutError: naming the user and ``what``, after ``timeout`` seconds.
        """
        # The value that held, not a second look: by the time this coroutine runs again (the
        # wait ran in a task of its own) another /sync may have changed the answer.
        found: list[T] = []

        def holds() -> bool:
            result = predicate()
            if result:
                found.append(result)
            return bool(result)

        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(holds), timeout)
        except TimeoutError:
            raise TimeoutError(f"{self.user_id}: {what} (waited {timeout:g} s)") from None
        return found[-1]

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

    async def wait_event(
        self, match: Callable[[SyncedEvent], bool], timeout: float = 10.0, what: str = ""
    ) -> SyncedEvent:
        """The first received event (since login) that satisfies ``match``, once there is
        one; megolm events count as what they decrypt to once their key has come."""
        return await self.wait(
            lambda: next((e for e in self.received if match(e)), None),
            timeout,
            what or "no matching event arrived",
        )

    # --- what this client knows --------------------------------------------------------------

    def knows_devices(self, users: Iterable[str]) -> bool:
        """nio has the device keys of every one of ``users``, so a megolm session it shares now
        reaches them (nio never re-shares a session with devices it learns of later)."""
        if self.should_query_keys:
            return False
        devices = self.device_store
        return all(any(True for _ in devices.active_user_devices(u)) for u in users)

    def ready_in(self, room_id: str, members: Iterable[str], encrypted: bool) -> bool:
        """The client knows the room as it is (encryption, who joined) and the device keys of
        everyone in it, so a message it sends can be read by all of them."""
        room = self.rooms.get(room_id)
        if room is None or room.encrypted != encrypted:
            return False
        members = list(members)
        if any(m not in room.users for m in [self.user_id, *members]):
            return False
        return not encrypted or self.knows_devices(members)

    def timeline(self, room_id: str) -> list[Any]:
        """The room's timeline events as received, in order (``MegolmEvent`` where the key
        has not come)."""
        return [s.event for s in self.received if s.kind == "timeline" and s.room_id == room_id]

    @property
    def undecrypted(self) -> list[SyncedEvent]:
        """Received megolm events whose key has not come (yet)."""
        return [self.received[i] for i in self._undecrypted]

    def _notices(self, room_id: str, sender: str) -> list[RoomMessageNotice]:
        return [
            e
            for e in self.timeline(room_id)
            if isinstance(e, RoomMessageNotice) and e.sender == sender
        ]

    def notices_from(self, room_id: str, sender: str) -> list[str]:
        """Bodies of ``m.notice`` messages ``sender`` posted in the room, in order (those
        whose key has come)."""
        return [e.body for e in self._notices(room_id, sender)]

    def replies_from(self, room_id: str, sender: str, event_id: str) -> list[str]:
        """Bodies of ``sender``'s ``m.notice`` messages that reply to ``event_id``
        (``m.in_reply_to``), in order (those whose key has come)."""
        replies = []
        for e in self._notices(room_id, sender):
            relates = e.source.get("content", {}).get("m.relates_to", {})
            if relates.get("m.in_reply_to", {}).get("event_id") == event_id:
                replies.append(e.body)
        return replies

    def encrypted(self, room_id: str) -> bool:
        room = self.rooms.get(room_id)
        return bool(room and room.encrypted)

    # --- acting --------------------------------------------------------------------------------

    async def send_text(self, room_id: str, body: str, **extra: Any) -> str:
        """A text message (encrypted where the room is); its event id.

        Raises:
            SendRefused: the homeserver refused it before storing it (M_FORBIDDEN).
        """
        resp = await self.room_send(
            room_id,
            "m.room.message",
            {"msgtype": "m.text", "body": body, **extra},
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
        name: str | None = None,
        invite: Sequence[str] = (),
        *,
        encrypted: bool = True,
        power_users: dict[str, int] | None = None,
        initial_state: Sequence[dict[str, Any]] = (),
    ) -> str:
        """A private room, encrypted as Element creates one unless told otherwise; its id.
        Room version 12: the creator must not be in ``power_users``."""
        body: dict[str, Any] = {
            "preset": "private_chat",
            "invite": list(invite),
            "initial_state": [*initial_state, *([MEGOLM_STATE] if encrypted else [])],
        }
        if name is not None:
            body["name"] = name
        if power_users is not None:
            body["power_level_content_override"] = {"users": power_users}
        resp = await self.request("POST", "/_matrix/client/v3/createRoom", body)
        return str(resp["room_id"])

    async def join_room(self, room_id_or_alias: str) -> str:
        """Join; the room's id."""
        resp = await self.request("POST", f"/_matrix/client/v3/join/{_q(room_id_or_alias)}", {})
        return str(resp["room_id"])

    # --- what the homeserver serves ------------------------------------------------------------

    async def raw_request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """(status, JSON body) of a client-server call with this login's access token: for
        what nio parses away (e.g. whether an event was redacted)."""
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        headers = {"Authorization": f"Bearer {self.access_token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        data = None if body is None else json.dumps(body)
        async with await self.send(method, path, data, headers) as resp:
            return resp.status, await resp.json(content_type=None)

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Any:
        """The JSON body of a call answered 200 (None for another status in ``expect``).

        Raises:
            MatrixCallFailed: any other status.
        """
        status, payload = await self.raw_request(method, path, body, params)
        if status not in expect:
            errcode = payload.get("errcode") if isinstance(payload, dict) else None
            error = payload.get("error") if isinstance(payload, dict) else payload
            detail = f"{errcode or ''} {error or ''}".strip()
            raise MatrixCallFailed(f"{method} {path} as {self.user_id} -> {status} {detail}")
        return payload if status == 200 else None

    async def event(self, room_id: str, event_id: str) -> dict[str, Any]:
        """The event as served now: a redacted one has empty (or pruned) ``content`` and
        ``unsigned.redacted_because``."""
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

    async def messages(
        self, room_id: str, limit: int = 50, direction: str = "b"
    ) -> list[dict[str, Any]]:
        """Raw events from ``/messages``, newest first by default (not decrypted)."""
        body = await self.request(
            "GET",
            f"/_matrix/client/v3/rooms/{_q(room_id)}/messages",
            params={"dir": direction, "limit": str(limit)},
        )
        return body["chunk"]
