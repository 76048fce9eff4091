"""PHI Gate running: the services, the homeserver connection, the HTTP side, the control room,
the expiry timer — started in an order where nothing is missed and stopped cleanly."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp

from bridge.audit import AuditEntry, RecordKind
from bridge.audit.checkpoint import WITNESS_EVENT_TYPE, witness_event_content
from bridge.audit.checkpointer import Checkpointer
from bridge.commands.background import WORKING, BackgroundCommands, long_command
from bridge.commands.processor import CommandProcessor
from bridge.config import Config
from bridge.errors import ConfigError
from bridge.matrix.catch_up import CatchUp
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.events import MatrixEvent
from bridge.matrix.expiry import ExpiryTimer
from bridge.matrix.gatekeeper import Gatekeeper
from bridge.matrix.homeserver import Homeserver, HomeserverRefused, HomeserverUnavailable
from bridge.matrix.prepersist import PrePersistChecks
from bridge.matrix.rooms import RoomTracker
from bridge.matrix.server import AppserviceServer
from bridge.matrix.typing import TypingWarner
from bridge.media import ClamdScanner, MediaChecker, MediaFetcher
from bridge.service.agreements import Clock
from bridge.service.app import Services, open_services, wall_clock
from bridge.service.audit import checkpoint_file, signing_keys
from bridge.store.checkpoint import WalCheckpointer
from bridge.store.database import sqlite_path
from bridge.store.pending import PendingStore
from bridge.store.removals import RemovalStore
from bridge.store.rooms import RoomStore
from bridge.store.transactions import TransactionStore

log = logging.getLogger(__name__)
MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}


class PhiGateBridge:
    def __init__(self, config: Config, clock: Clock = wall_clock) -> None:
        self.config = config
        self.clock = clock
        self.services: Services | None = None
        self.gatekeeper: Gatekeeper | None = None
        self.homeserver: Homeserver | None = None
        self.commands: CommandProcessor | None = None
        self._session: aiohttp.ClientSession | None = None
        self.server: AppserviceServer | None = None
        self._expiry: ExpiryTimer | None = None
        self._background = BackgroundCommands()
        self.typing: TypingWarner | None = None
        self.device: BotDevice | None = None
        self.media: MediaChecker | None = None
        self._checkpointer: WalCheckpointer | None = None
        self._checkpoints: Checkpointer | None = None
        self._catch_up: CatchUp | None = None

    async def start(self, *, homeserver_wait_seconds: float = 60.0) -> None:
        config = self.config
        self.services = services = await open_services(config, self.clock)
        db_file = sqlite_path(config.database)
        if db_file is not None:
            self._checkpointer = WalCheckpointer(db_file)
            self._checkpointer.start()
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.homeserver = hs = Homeserver(config, self._session)
        rooms = RoomTracker(RoomStore(services.engine))
        await rooms.load()
        self.gatekeeper = gatekeeper = Gatekeeper(
            config,
            services.agreements,
            hs,
            rooms,
            audit_append=services.audit.append,
            audit_seen=services.audit.has_events,
            clock=self.clock,
            removals=RemovalStore(services.engine),
        )
        self.commands = CommandProcessor(
            services,
            gatekeeper,
            admins=config.organization.admins,
            control_room_id=lambda: gatekeeper.control_room_id,
        )
        gatekeeper.on_command = self._on_command

        await self._wait_for_homeserver(hs, homeserver_wait_seconds)
        await hs.ensure_bot_registered()
        self.device = BotDevice(config, rooms, self._session, alert=gatekeeper.alert)
        await self.device.start()
        gatekeeper.device = self.device
        gatekeeper.pending = PendingStore(services.engine)
        self.media = MediaChecker(
            config.media,
            MediaFetcher(
                config.homeserver.address,
                config.appservice.as_token,
                config.bot_user_id,
                self._session,
            ),
            ClamdScanner(
                config.media.clamav,
                timeout=config.media.scan_timeout,
                stream_max_length=config.media.clamav.stream_max_length,
            ),
        )
        gatekeeper.media = self.media
        gatekeeper.control_room_id = await self._control_room(hs)
        control = rooms.add(gatekeeper.control_room_id)
        control.is_control = True
        await gatekeeper.refresh_all()
        if not control.managed:
            await gatekeeper.manage(control)
        await gatekeeper.resume_pending()
        await gatekeeper.remover.resume()

        # Signed checkpoints of the audit chain head, outside the database (the file) and
        # beyond the database owner's reach (a state event in the control room).
        self._checkpoints = Checkpointer(
            services.audit,
            signing_keys(config, create=True),
            checkpoint_file(config),
            witness=self._witness_checkpoint,
            interval_s=config.audit.checkpoint_interval_seconds,
            clock=self.clock,
            alert=gatekeeper.alert,
        )
        await self._checkpoints.start()

        self._expiry = ExpiryTimer(services.agreements, actor=config.bot_user_id)
        self._expiry.start()
        # Listen last: the homeserver queues transactions while we are not answering.
        prepersist = None
        if config.antispam.enabled:
            prepersist = PrePersistChecks(
                gatekeeper,
                audit_append=services.audit.append,
                key_wait_seconds=config.antispam.key_wait_seconds,
                clock=self.clock,
            )
        self.server = AppserviceServer(
            hs_token=config.appservice.hs_token,
            handler=gatekeeper,
            transactions=TransactionStore(services.engine),
            clock=self.clock,
            prepersist=prepersist,
            antispam_secret=config.antispam.secret,
        )
        self.typing = TypingWarner(gatekeeper, self.clock)
        self.server.on_ephemeral = self.typing.receive
        await self.server.start(config.appservice.hostname, config.appservice.port)
        self._catch_up = CatchUp(
            rooms,
            messages=hs.messages,
            seen=services.audit.has_events,
            handle=gatekeeper.handle_transaction,
            exclusive=self.server.exclusive,
        )
        self._catch_up.start()
        try:
            await hs.ping_appservice()
        except (HomeserverUnavailable, HomeserverRefused) as e:
            log.warning(
                "the homeserver could not ping PHI Gate (%s): held-back transactions "
                "come after its own backoff",
                e,
            )
        await services.audit.append_one(
            AuditEntry(
                kind=RecordKind.SYSTEM,
                recorded_ts=self.clock(),
                event_type="org.phigate.start",
                sender=config.bot_user_id,
                sender_kind="bot",
                decision="started",
                room_id=gatekeeper.control_room_id,
            )
        )
        log.info(
            "PHI Gate is running: %s on %s:%d, control room %s",
            config.bot_user_id,
            config.appservice.hostname,
            config.appservice.port,
            gatekeeper.control_room_id,
        )

    async def stop(self) -> None:
        if self._catch_up is not None:
            await self._catch_up.stop()
        if self.server is not None:
            await self.server.stop()
        if self._expiry is not None:
            await self._expiry.stop()
        await self._background.stop()
        if self.typing is not None:
            await self.typing.stop()
        if self.gatekeeper is not None:
            await self.gatekeeper.stop()
        if self._checkpoints is not None:
            # After the last records; before the HTTP session closes (the witness needs it).
            await self._checkpoints.stop()
        if self.device is not None:
            await self.device.stop()
        if self.media is not None:
            await self.media.close()
        if self._session is not None:
            await self._session.close()
        if self._checkpointer is not None:
            await self._checkpointer.stop()
        if self.services is not None:
            await self.services.close()

    async def _witness_checkpoint(self, note: str) -> None:
        """The checkpoint's copy in the control room (raises on failure: it is offered again)."""
        assert self.homeserver is not None and self.gatekeeper is not None
        control = self.gatekeeper.control_room_id
        if control is None:
            raise RuntimeError("no control room yet")
        await self.homeserver.put_state(
            control,
            WITNESS_EVENT_TYPE,
            witness_event_content(note),
            as_user=self.config.bot_user_id,
        )

    async def _on_command(self, event: MatrixEvent) -> None:
        body = event.content.get("body")
        if not isinstance(body, str) or self.commands is None or self.gatekeeper is None:
            return
        control = self.gatekeeper.control_room_id
        name = long_command(body)
        if (
            name is not None
            and event.room_id == control
            and event.sender in self.config.organization.admins
        ):
            # Off the transaction path: the gate must not wait for a whole-log read.
            await self.gatekeeper.notice(
                control,
                f"{WORKING} !{name} beside the gate (the gate does not wait); the "
                "answer follows here",
            )
            self._background.spawn(name, self._answer(event.room_id, event.sender, body))
            return
        await self._answer(event.room_id, event.sender, body)

    async def _answer(self, room_id: str, sender: str, body: str) -> None:
        assert self.commands is not None and self.gatekeeper is not None
        reply = await self.commands.handle(room_id, sender, body)
        control = self.gatekeeper.control_room_id
        if reply is not None and reply.post and control:
            await self.gatekeeper.notice(control, reply.text, reply.html)

    async def _wait_for_homeserver(self, hs: Homeserver, seconds: float) -> None:
        """A homeserver that is still starting is waited for; one that never answers is an error."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        delay = 0.2
        while True:
            try:
                await hs.whoami()
                return
            except HomeserverUnavailable as e:
                if loop.time() >= deadline:
                    raise HomeserverUnavailable(
                        f"homeserver {self.config.homeserver.address} did not answer in "
                        f"{seconds:.0f} s ({e})"
                    ) from e
                log.warning("waiting for the homeserver: %s", e)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _control_room(self, hs: Homeserver) -> str:
        org = self.config.organization
        ref = org.control_room
        if ref.startswith("!"):
            await hs.join(ref)
            return ref
        room_id = await hs.resolve_alias(ref)
        if room_id is not None:
            if room_id not in await hs.joined_rooms():
                await hs.join(room_id)
            return room_id
        localpart, _, server = ref[1:].partition(":")
        if server != self.config.homeserver.domain:
            raise ConfigError(
                f"config key organization.control_room: {ref} does not exist and is not on "
                f"{self.config.homeserver.domain}, so PHI Gate cannot create it"
            )
        admins = sorted(org.admins)
        return await hs.create_room(
            alias_localpart=localpart,
            name="PHI Gate control",
            topic="PHI Gate admin commands (!help). Only admins may use them.",
            invitees=admins,
            initial_state=_control_room_state(),
            power_users=dict.fromkeys(admins, 100),
        )


def _control_room_state() -> list[dict[str, Any]]:
    return [
        {
            "type": "m.room.history_visibility",
            "state_key": "",
            "content": {"history_visibility": "joined"},
        },
        {"type": "m.room.guest_access", "state_key": "", "content": {"guest_access": "forbidden"}},
        {"type": "m.room.encryption", "state_key": "", "content": MEGOLM},
    ]


async def run_forever(config: Config) -> None:
    # Whatever PHI Gate writes (database, WAL, key files, logs) is its own to read.
    os.umask(0o077)
    bridge = PhiGateBridge(config)
    await bridge.start()
    try:
        await asyncio.Event().wait()
    finally:
        await bridge.stop()
