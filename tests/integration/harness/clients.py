"""matrix-nio clients and waiting helpers for integration tests.

Tests wait on conditions (`wait_for`, `sync_until`, `next_event`), never on fixed sleeps:
fixed sleeps are slow when generous and flaky when not.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    JoinError,
    LoginResponse,
    RoomCreateError,
    SyncResponse,
)

from bridge.demo.waiting import wait_for as poll

from .synapse import SynapseServer

__all__ = [
    "SyncedEvent",
    "create_room",
    "fetch_event",
    "join_room",
    "key_housekeeping",
    "login_client",
    "next_event",
    "raw_request",
    "room_messages",
    "sync_events",
    "sync_once",
    "sync_until",
    "wait_for",
]

T = TypeVar("T")

MEGOLM_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


# ---------------------------------------------------------------------------- clients


def _device_file(store_dir: Path) -> Path:
    return store_dir / "device_ids.json"


async def login_client(
    server: SynapseServer,
    user_id_or_localpart: str,
    password: str = "pw",
    *,
    e2ee: bool = False,
    store_dir: Path,
) -> AsyncClient:
    """Log a matrix-nio client in, keeping its device across calls with the same store_dir.

    The device id is remembered in `store_dir`, so logging in again after a client or
    homeserver restart reuses the device and its olm account (nio's store is keyed by user
    and device) instead of creating a new, unknown device. With `e2ee` the device keys are
    uploaded before returning. Close the client (`await client.close()`) when done.
    """
    user_id = server.user_id(user_id_or_localpart)
    store_dir = Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    device_file = _device_file(store_dir)
    devices: dict[str, str] = json.loads(device_file.read_text()) if device_file.exists() else {}

    client = AsyncClient(
        server.url,
        user_id,
        device_id=devices.get(user_id, ""),
        store_path=str(store_dir),
        config=AsyncClientConfig(encryption_enabled=e2ee, store_sync_tokens=True),
    )
    resp = await client.login(password, device_name=f"harness {user_id_or_localpart}")
    if not isinstance(resp, LoginResponse):
        await client.close()
        raise AssertionError(f"login of {user_id} failed: {resp}")
    if devices.get(user_id) != resp.device_id:
        devices[user_id] = resp.device_id
        device_file.write_text(json.dumps(devices))
    if e2ee and client.should_upload_keys:
        await _checked(client.keys_upload(), "keys_upload")
    return client


async def _checked(awaitable: Awaitable[Any], what: str) -> Any:
    resp = await awaitable
    # nio answers errors as *Error response objects rather than raising.
    if type(resp).__name__.endswith("Error"):
        raise AssertionError(f"{what} failed: {resp}")
    return resp


async def create_room(
    client: AsyncClient,
    *,
    encrypted: bool = False,
    invite: Sequence[str] = (),
    name: str | None = None,
    initial_state: Sequence[dict[str, Any]] = (),
    power_level_override: dict[str, Any] | None = None,
) -> str:
    """Create a private room and return its id.

    Room version 12 (Synapse's default): the creator must not appear in
    `power_level_override["users"]`.
    """
    state = list(initial_state)
    if encrypted:
        state.append(MEGOLM_STATE)
    resp = await client.room_create(
        name=name,
        invite=list(invite),
        initial_state=state,
        power_level_override=power_level_override,
    )
    if isinstance(resp, RoomCreateError):
        raise AssertionError(f"createRoom failed: {resp}")
    return resp.room_id


async def join_room(client: AsyncClient, room_id: str) -> None:
    resp = await client.join(room_id)
    if isinstance(resp, JoinError):
        raise AssertionError(f"{client.user_id} could not join {room_id}: {resp}")


# ---------------------------------------------------------------------------- waiting


async def wait_for(
    predicate: Callable[[], T | Awaitable[T]] | Awaitable[T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition not met",
) -> T:
    """Wait until `predicate()` (sync or async) returns something truthy, and return it.

    Given an awaitable instead of a callable, wait for it to finish. Raises AssertionError
    with `message` after `timeout` seconds.
    """
    if inspect.isawaitable(predicate):
        try:
            return await asyncio.wait_for(predicate, timeout)
        except TimeoutError:
            raise AssertionError(f"{message} (waited {timeout:g} s)") from None
    return await poll(predicate, message, timeout=timeout, interval=interval, error=AssertionError)


@dataclass(frozen=True)
class SyncedEvent:
    """One event from a /sync response, with where it came from.

    `event` is nio's parsed event: in encrypted rooms nio has already replaced what it
    could decrypt (e.g. `RoomMessageText`); what it could not stays `MegolmEvent`.
    """

    kind: Literal["timeline", "state", "invite", "to_device"]
    room_id: str | None
    event: Any


def _events_of(resp: SyncResponse) -> list[SyncedEvent]:
    out: list[SyncedEvent] = []
    for room_id, info in resp.rooms.join.items():
        out += [SyncedEvent("state", room_id, e) for e in info.state]
        out += [SyncedEvent("timeline", room_id, e) for e in info.timeline.events]
    for room_id, info in resp.rooms.leave.items():
        out += [SyncedEvent("state", room_id, e) for e in info.state]
        out += [SyncedEvent("timeline", room_id, e) for e in info.timeline.events]
    for room_id, info in resp.rooms.invite.items():
        out += [SyncedEvent("invite", room_id, e) for e in info.invite_state]
    out += [SyncedEvent("to_device", None, e) for e in resp.to_device_events]
    return out


async def sync_once(client: AsyncClient, timeout: float = 0.0) -> list[SyncedEvent]:
    """One /sync (long-polling up to `timeout` s) plus the E2EE housekeeping that nio's
    `sync_forever` would do: send queued to-device messages, upload/query/claim keys.
    Without it, room keys asked for or owed to others are never sent."""
    events = await sync_events(client, timeout)
    await key_housekeeping(client)
    return events


async def sync_events(client: AsyncClient, timeout: float = 0.0) -> list[SyncedEvent]:
    """One /sync (long-polling up to `timeout` s), without the key housekeeping: a caller
    that keeps what it received must keep it even if the housekeeping then fails (nio has
    already moved its sync token past these events)."""
    resp = await client.sync(timeout=int(timeout * 1000))
    if not isinstance(resp, SyncResponse):
        raise AssertionError(f"/sync for {client.user_id} failed: {resp}")
    return _events_of(resp)


async def key_housekeeping(client: AsyncClient) -> None:
    """What nio's `sync_forever` does after each /sync: send queued to-device messages,
    upload/query/claim keys."""
    if not client.config.encryption_enabled:
        return
    await _checked(client.send_to_device_messages(), "send_to_device_messages")
    if client.should_upload_keys:
        await _checked(client.keys_upload(), "keys_upload")
    if client.should_query_keys:
        await _checked(client.keys_query(), "keys_query")
    if client.should_claim_keys:
        await _checked(client.keys_claim(client.get_users_for_key_claiming()), "keys_claim")


async def sync_until(
    client: AsyncClient,
    predicate: Callable[[list[SyncedEvent]], bool],
    timeout: float = 10.0,
    message: str = "sync_until: predicate never held",
) -> list[SyncedEvent]:
    """Sync repeatedly until `predicate(all events received during this call)` holds;
    return those events. The first /sync does not long-poll, so a predicate already true
    after one sync returns at once."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    seen: list[SyncedEvent] = []
    poll = 0.0
    while True:
        seen += await sync_once(client, poll)
        if predicate(seen):
            return seen
        remaining = deadline - loop.time()
        if remaining <= 0:
            kinds = [(e.kind, type(e.event).__name__) for e in seen]
            raise AssertionError(f"{message} (waited {timeout} s; received {kinds})")
        # Long-poll: Synapse answers as soon as something arrives.
        poll = min(remaining, 2.0)


async def next_event(
    client: AsyncClient,
    match: Callable[[SyncedEvent], bool],
    timeout: float = 10.0,
    message: str = "no matching event arrived",
) -> SyncedEvent:
    """Sync until one received event satisfies `match`; return that event."""
    events = await sync_until(client, lambda evs: any(map(match, evs)), timeout, message)
    return next(e for e in events if match(e))


# ---------------------------------------------------------------------------- raw API


async def raw_request(
    client: AsyncClient,
    method: str,
    path: str,
    body: Any = None,
    params: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """(status, JSON body) of a raw client-server call with the client's access token:
    for what nio parses away (e.g. whether an event was redacted)."""
    headers = {"Authorization": f"Bearer {client.access_token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.request(
            method, client.homeserver + path, json=body, params=params, headers=headers
        ) as resp,
    ):
        return resp.status, await resp.json(content_type=None)


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


async def fetch_event(client: AsyncClient, room_id: str, event_id: str) -> dict[str, Any]:
    """The raw event as the server serves it now. A redacted event has empty (or pruned)
    `content` and `unsigned.redacted_because`."""
    status, body = await raw_request(
        client, "GET", f"/_matrix/client/v3/rooms/{_q(room_id)}/event/{_q(event_id)}"
    )
    if status != 200:
        raise AssertionError(f"GET event {event_id} -> {status}: {body}")
    return body


async def room_messages(
    client: AsyncClient, room_id: str, limit: int = 50, direction: str = "b"
) -> list[dict[str, Any]]:
    """Raw events from `/messages`, newest first by default (not decrypted)."""
    status, body = await raw_request(
        client,
        "GET",
        f"/_matrix/client/v3/rooms/{_q(room_id)}/messages",
        params={"dir": direction, "limit": str(limit)},
    )
    if status != 200:
        raise AssertionError(f"GET messages in {room_id} -> {status}: {body}")
    return body["chunk"]
