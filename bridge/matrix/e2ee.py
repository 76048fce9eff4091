"""The bot as an end-to-end encryption participant: one device, its keys, its room keys.

Room keys reach the bot through **its own /sync loop**, not through appservice push
(MSC2409): keys pushed while PHI Gate is down are lost for good (Synapse drops to-device
messages for an appservice it cannot reach and its retried transactions do not carry them),
whereas keys waiting in the device inbox survive until a /sync acknowledges them — and this
loop stores the sync token only *after* the keys in that response are handled. Room events
still come by transaction; the sync filter keeps room timelines out.

The lifecycle follows mautrix's bridge/e2ee.py: crypto store → device ID → create the device
(MSC4190) → load the account → share keys → cross-sign the device (clients in "exclude
insecure devices" mode share room keys only with cross-signed devices).

The device's parts: the crypto store and secrets (:mod:`bridge.matrix.crypto_store`), the
reader that decrypts room events (:mod:`bridge.matrix.megolm_reader`) and its replay index
(:mod:`bridge.matrix.replay`). PHI Gate goes past mautrix's public API in three places only:
``OlmMachine._inbound_session_waiters`` (a withheld key ends a running wait,
:meth:`BotDevice._on_withheld`), the crypto store's ``db`` (the reader's replay index reads
mautrix's ``crypto_message_index`` table) and ``TxnConnection.transaction`` (made to wait for
SQLite's write lock, :mod:`bridge.matrix.crypto_sqlite`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from mautrix.client import Client
from mautrix.client.state_store import MemoryStateStore
from mautrix.crypto import OlmMachine, PgCryptoStore
from mautrix.errors import EncryptionError
from mautrix.types import (
    DeviceID,
    EventType,
    Filter,
    FilterID,
    IdentityKey,
    RoomEventFilter,
    RoomFilter,
    RoomID,
    SessionID,
    StateEvent,
    StateFilter,
    TrustState,
    UserID,
)
from mautrix.util.async_db import Database

from bridge.config import Config
from bridge.errors import ConfigError
from bridge.matrix import crypto_sqlite  # noqa: F401  (mautrix's SQLite transactions wait)
from bridge.matrix.crypto_store import (
    TrackedRoomsCryptoState,
    crypto_database,
    read_or_create_secret,
    write_secret,
)
from bridge.matrix.megolm_reader import MegolmReader
from bridge.matrix.replay import MessageIndexRow
from bridge.matrix.rooms import RoomTracker
from bridge.metrics import KeyWaitResult, Metrics
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

DEVICE_NAME = "PHI Gate"
SESSION_CACHE = 4096
LONG_POLL_MS = 30_000
SYNC_FAILURES_LOUD = 5


def long_poll_ms(request_timeout: float | None) -> int:
    """The device's /sync long-poll, ended well inside the HTTP session's per-request limit:
    a long-poll the client itself times out counts as a failure, and the backoff after a run
    of them would hold room keys back for up to 30 s on a quiet day."""
    if request_timeout is None:
        return LONG_POLL_MS
    return max(0, min(LONG_POLL_MS, int((request_timeout - 5) * 1000)))


Alert = Callable[[str], Awaitable[None]]


class BotDevice:
    def __init__(
        self,
        config: Config,
        rooms: RoomTracker,
        session: aiohttp.ClientSession,
        *,
        alert: Alert | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self._metrics = metrics
        self._rooms = rooms
        self._session = session
        # Tells the admins (the control room) when room keys stop arriving, and when they
        # arrive again: encrypted events are blocked meanwhile, and only a log says why.
        self._alert = alert
        self.loud_after = SYNC_FAILURES_LOUD
        self._db: Database | None = None
        self.client: Client | None = None
        self.machine: OlmMachine | None = None
        self._sync_task: asyncio.Task[None] | None = None
        # One group-session share at a time, across rooms: two concurrent shares may each
        # open a new olm session to the same device, and that device then rejects one.
        self._share_lock = asyncio.Lock()
        self.reader: MegolmReader | None = None
        # session ID → the withheld code a sender's device gave instead of the key.
        self.withheld: dict[str, str] = {}
        # Rounds of the device's /sync handled, and failed rounds since the last good one.
        self.sync_rounds = 0
        self.sync_failures = 0
        # time.monotonic() of the last round that succeeded: the health check's signal that
        # room keys still reach the device (None until the first round).
        self.last_sync_ok: float | None = None

    @property
    def device_id(self) -> str:
        return str(self.client.device_id) if self.client else ""

    async def start(self) -> None:
        config = self.config
        pickle_key = read_or_create_secret(
            config.encryption_pickle_key_file, what="crypto pickle key"
        )
        self._db = crypto_database(config.database)
        await self._db.start()
        store = PgCryptoStore(config.bot_user_id, pickle_key, self._db)
        await store.open()
        client = Client(
            mxid=UserID(config.bot_user_id),
            base_url=config.homeserver.address,
            token=config.appservice.as_token,
            client_session=self._session,
            sync_store=store,
            state_store=MemoryStateStore(),
            log=logging.getLogger("phigate.mautrix.client"),
        )
        self.client = client
        machine = OlmMachine(client, store, TrackedRoomsCryptoState(self._rooms))
        # Notices carry no PHI: every member's device may read them, verified or not.
        machine.share_keys_min_trust = TrustState.UNVERIFIED
        machine.send_keys_min_trust = TrustState.UNVERIFIED
        self.machine = machine
        self.reader = MegolmReader(store, self._wait_registered)
        # mautrix ignores withheld notices; without this, a key a client refuses to share
        # (e.g. "m.unverified") costs the whole key wait for nothing.
        for kind in (EventType.ROOM_KEY_WITHHELD, EventType.ORG_MATRIX_ROOM_KEY_WITHHELD):
            client.add_event_handler(kind, self._on_withheld)

        device_id = await store.get_device_id()
        await client.create_device_msc4190(
            device_id=device_id or "", initial_display_name=DEVICE_NAME
        )
        try:
            await machine.load()
        except Exception as e:  # a pickle under another key does not unpickle
            raise ConfigError(
                "the crypto store does not open with the crypto pickle key file; was it replaced?"
            ) from e
        if not device_id:
            await store.put_device_id(DeviceID(client.device_id))
            await machine.share_keys()
        elif not machine.account.shared:
            await machine.share_keys()
        await self._cross_sign()
        self._sync_task = asyncio.create_task(self._sync_loop(), name="phigate-device-sync")
        log.info("bot device %s ready", client.device_id)

    async def _cross_sign(self) -> None:
        """Sign the device with the bot's self-signing key (made once; the recovery key, kept
        in a file beside the audit key, re-imports it after a restart)."""
        assert self.machine is not None
        path = self.config.encryption_recovery_key_file
        if path.exists():
            recovery_key = read_or_create_secret(path, what="recovery key")
            await self.machine.verify_with_recovery_key(recovery_key)
            return
        recovery_key = await self.machine.generate_recovery_key()
        write_secret(path, recovery_key)
        log.info("cross-signing keys made; recovery key written to %s", path)

    async def stop(self) -> None:
        await cancel_and_wait(self._sync_task)
        if self._db is not None:
            await self._db.stop()

    async def _sync_loop(self) -> None:
        """Room keys for as long as PHI Gate runs. A failed round (homeserver down, database
        error) is logged and retried with backoff, never the end of key delivery: without
        keys every encrypted event in a gated room would be blocked."""
        poll = long_poll_ms(self._session.timeout.total)
        filter_id: FilterID | None = None
        backoff = 1.0
        while True:
            try:
                if filter_id is None:
                    filter_id = await self._create_sync_filter()
                await self._sync_round(filter_id, poll)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self.sync_failures += 1
                if self._metrics is not None:
                    self._metrics.sync_failures.inc()
                loud = self.sync_failures == self.loud_after
                log.log(
                    logging.ERROR if loud else logging.WARNING,
                    "device /sync round failed %d time(s) in a row (%s: %.200s); room keys are "
                    "held back; retrying in %.0f s",
                    self.sync_failures,
                    type(e).__name__,
                    e,
                    backoff,
                )
                if loud:
                    await self._tell(
                        f"⚠ Room keys are not reaching PHI Gate's device: its /sync failed "
                        f"{self.sync_failures} times in a row ({type(e).__name__}). Encrypted "
                        "events in gated rooms are blocked when their key wait ends, until "
                        "this clears."
                    )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
                continue
            if self.sync_failures:
                log.info("device /sync works again after %d failures", self.sync_failures)
                if self.sync_failures >= self.loud_after:
                    await self._tell(
                        f"✅ Room keys reach PHI Gate's device again (after "
                        f"{self.sync_failures} failed rounds)"
                    )
            self.sync_failures = 0
            self.sync_rounds += 1
            self.last_sync_ok = time.monotonic()
            backoff = 1.0

    async def _tell(self, text: str) -> None:
        if self._alert is None:
            return
        try:
            await self._alert(text)
        except Exception as e:  # the homeserver may be what is failing
            log.warning("could not alert the control room: %s", type(e).__name__)

    async def _create_sync_filter(self) -> FilterID:
        """Keeps room timelines out: room events come by transaction."""
        assert self.client is not None
        return await self.client.create_filter(
            Filter(
                room=RoomFilter(
                    rooms=[],
                    state=StateFilter(not_types=[EventType.find("*")]),
                    timeline=RoomEventFilter(not_types=[EventType.find("*")]),
                ),
            )
        )

    async def _sync_round(self, filter_id: FilterID, poll_ms: int) -> None:
        assert self.client is not None and self.machine is not None
        store = self.machine.crypto_store
        token = await store.get_next_batch()
        data = await self.client.sync(
            since=token, timeout=poll_ms if token else 0, filter_id=filter_id
        )
        await asyncio.gather(*self.client.handle_sync(data))
        # Only now is the token stored: a crash before this line re-delivers the keys.
        await store.put_next_batch(data.get("next_batch"))

    # --- decryption ------------------------------------------------------------------------

    async def decrypt(
        self,
        raw: Mapping[str, Any],
        *,
        wait: float,
        indices: list[MessageIndexRow] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """See :meth:`MegolmReader.decrypt`."""
        assert self.reader is not None
        return await self.reader.decrypt(raw, wait=wait, indices=indices)

    async def _on_withheld(self, event: Any) -> None:
        content = getattr(event, "content", None)
        session_id = getattr(content, "session_id", None)
        if not session_id or self.machine is None:
            return
        code = getattr(content, "code", None)
        self.withheld[str(session_id)] = str(getattr(code, "value", code) or "withheld")
        # End a running key wait now (mautrix keeps one future per awaited session).
        # Popped, not just resolved: mautrix resolves it again if the key comes after all.
        waiter = self.machine._inbound_session_waiters.pop(SessionID(session_id), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(False)

    async def request_key(
        self, room_id: str, sender: str, sender_key: str, session_id: str, device_id: str | None
    ) -> None:
        """Ask the sender's devices for a session (answered by clients that share keys)."""
        assert self.machine is not None
        devices = [DeviceID(device_id)] if device_id else []
        if not devices:
            known = await self.machine.crypto_store.get_devices(UserID(sender)) or {}
            devices = list(known)
        if not devices:
            return
        with contextlib.suppress(Exception):
            await self.machine.request_room_key(
                RoomID(room_id),
                IdentityKey(sender_key),
                SessionID(session_id),
                {UserID(sender): devices},
                timeout=0,
            )

    async def has_session(self, room_id: str, session_id: str) -> bool:
        assert self.machine is not None
        return await self.machine.crypto_store.has_group_session(
            RoomID(room_id), SessionID(session_id)
        )

    async def wait_for_session(
        self, room_id: str, session_id: str, timeout: float, *, honour_withheld: bool = True
    ) -> bool:
        """Wait for a room key; False at once if the sender's device withheld it."""
        assert self.machine is not None
        if honour_withheld and session_id in self.withheld:
            if self._metrics is not None:
                self._metrics.key_wait(KeyWaitResult.WITHHELD)
            return await self.has_session(room_id, session_id)
        return await self._wait_registered(RoomID(room_id), SessionID(session_id), timeout=timeout)

    async def _wait_registered(
        self, room_id: RoomID, session_id: SessionID, timeout: float
    ) -> bool:
        """mautrix's wait for a room key, without its gap: a key stored after the caller last
        looked but before the wait began wakes no one, and would cost the whole timeout.
        The waiter is registered first, then the store is read."""
        assert self.machine is not None
        waiting = asyncio.ensure_future(
            self.machine.wait_for_session(room_id, session_id, timeout=timeout)
        )
        await asyncio.sleep(0)  # runs mautrix's wait up to its await: the waiter is in place
        try:
            arrived = await self.machine.crypto_store.has_group_session(
                room_id, session_id
            ) or bool(await waiting)
            if self._metrics is not None:
                self._metrics.key_wait(
                    KeyWaitResult.ARRIVED if arrived else KeyWaitResult.TIMED_OUT
                )
            return arrived
        finally:
            if not waiting.done():
                waiting.cancel()

    # --- encryption ------------------------------------------------------------------------

    async def encrypt(
        self, room_id: str, event_type: str, content: dict[str, Any], members: list[str]
    ) -> dict[str, Any]:
        """Megolm-encrypt one event for the room's current members."""
        assert self.machine is not None
        kind = EventType.find(event_type, EventType.Class.MESSAGE)
        machine = self.machine
        try:
            encrypted = await machine.encrypt_megolm_event(RoomID(room_id), kind, content)
        except EncryptionError:
            async with self._share_lock:
                try:  # someone may have shared a session for this room while we waited
                    encrypted = await machine.encrypt_megolm_event(RoomID(room_id), kind, content)
                except EncryptionError:
                    await machine.share_group_session(RoomID(room_id), [UserID(u) for u in members])
                    encrypted = await machine.encrypt_megolm_event(RoomID(room_id), kind, content)
        return encrypted.serialize()

    async def on_member_event(self, raw: Mapping[str, Any]) -> None:
        """A membership change may end the room's outbound session (a leaver must not read
        what comes next)."""
        if self.machine is None:
            return
        with contextlib.suppress(Exception):
            await self.machine.handle_member_event(StateEvent.deserialize(dict(raw)))
