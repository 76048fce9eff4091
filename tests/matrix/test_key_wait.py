"""The bot device's wait for a room key: a key already stored when the wait begins (it came
between the caller's last look and the wait) ends the wait at once instead of costing the
whole key wait, and a key that comes during the wait wakes it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import olm
import pytest
from mautrix.client import Client
from mautrix.crypto import InboundGroupSession, MemoryCryptoStore, OlmMachine
from mautrix.types import IdentityKey, RoomID, SessionID, SigningKey, UserID

from bridge.config import load_config
from bridge.demo.deploy import write_deployment
from bridge.matrix.crypto_store import TrackedRoomsCryptoState
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.rooms import RoomTracker
from bridge.store.database import create_engine
from bridge.store.rooms import RoomStore

ROOM = "!room:clinic.test"
BOT = "@phigate:clinic.test"
# Far longer than any test may take: a wait that runs to its timeout hangs the test, and the
# outer limit below fails it.
KEY_WAIT = 3600.0
LIMIT = 10.0


def session() -> InboundGroupSession:
    account = olm.Account()
    keys = account.identity_keys
    return InboundGroupSession(
        olm.OutboundGroupSession().session_key,
        SigningKey(keys["ed25519"]),
        IdentityKey(keys["curve25519"]),
        RoomID(ROOM),
    )


@pytest.fixture
async def device(tmp_path: Path) -> AsyncIterator[BotDevice]:
    config_path, _ = write_deployment(tmp_path, domain="clinic.test", admins=[])
    config = load_config(config_path)
    engine = create_engine(config.database)
    rooms = RoomTracker(RoomStore(engine))
    async with aiohttp.ClientSession() as http:
        bot = BotDevice(config, rooms, http)
        client = Client(mxid=UserID(BOT), base_url="http://127.0.0.1:9", client_session=http)
        bot.machine = OlmMachine(
            client, MemoryCryptoStore(BOT, "pickle"), TrackedRoomsCryptoState(rooms)
        )
        yield bot
    await engine.dispose()


async def put(bot: BotDevice, inbound: InboundGroupSession) -> None:
    assert bot.machine is not None
    await bot.machine.crypto_store.put_group_session(
        RoomID(ROOM), inbound.sender_key, SessionID(inbound.id), inbound
    )


async def test_key_stored_before_the_wait_ends_it_at_once(device: BotDevice) -> None:
    inbound = session()
    await put(device, inbound)  # stored, but nobody was waiting to be told
    found = await asyncio.wait_for(device.wait_for_session(ROOM, inbound.id, KEY_WAIT), LIMIT)
    assert found is True


async def test_key_arriving_during_the_wait_wakes_it(device: BotDevice) -> None:
    inbound = session()
    waiting = asyncio.create_task(device.wait_for_session(ROOM, inbound.id, KEY_WAIT))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await put(device, inbound)
    assert device.machine is not None
    device.machine._mark_session_received(SessionID(inbound.id))  # what mautrix does next
    assert await asyncio.wait_for(waiting, LIMIT) is True


async def test_no_key_within_the_wait_is_false(device: BotDevice) -> None:
    assert await device.wait_for_session(ROOM, "unknown-session", 0.05) is False
