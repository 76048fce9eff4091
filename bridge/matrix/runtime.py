"""PHI Gate running: the services, the homeserver connection, the HTTP side, the control room,
the expiry timer — started in an order where nothing is missed and stopped cleanly."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Any

import aiohttp

from bridge.audit import AuditEntry, RecordKind
from bridge.audit.checkpoint import WITNESS_EVENT_TYPE, witness_event_content
from bridge.audit.checkpointer import Checkpointer
from bridge.commands.background import WORKING, BackgroundCommands, long_command
from bridge.commands.processor import CommandProcessor
from bridge.config import Config
from bridge.errors import ConfigError
from bridge.health import HealthChecks, PrePersistWatch
from bridge.matrix import policy_server
from bridge.matrix.assembly import Gate, assemble_gate
from bridge.matrix.catch_up import CatchUp
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.events import MatrixEvent
from bridge.matrix.expiry import ExpiryTimer
from bridge.matrix.homeserver import Homeserver, HomeserverRefused, HomeserverUnavailable
from bridge.matrix.policy_server import PolicyServer
from bridge.matrix.policy_state import PolicyState
from bridge.matrix.prepersist import Decision, PrePersistChecks
from bridge.matrix.rooms import RoomTracker
from bridge.matrix.server import AppserviceServer
from bridge.matrix.typing import TypingWarner
from bridge.media import ClamdScanner, ClamdUnavailable, MediaChecker, MediaFetcher
from bridge.metrics import Metrics
from bridge.policy import SenderKind
from bridge.service.agreements import Clock
from bridge.service.app import Services, open_services, wall_clock
from bridge.service.audit import DailyPrune, checkpoint_file, signing_keys
from bridge.store.checkpoint import WalCheckpointer
from bridge.store.database import sqlite_path
from bridge.store.rooms import RoomStore
from bridge.store.transactions import TransactionStore

log = logging.getLogger(__name__)
MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}


class PhiGateBridge:
    def __init__(
        self, config: Config, clock: Clock = wall_clock, metrics: Metrics | None = None
    ) -> None:
        self.config = config
        self.clock = clock
        # One registry per bridge, handed to every part that counts (GET /metrics).
        self.metrics = metrics or Metrics()
        self._started = False
        self.services: Services | None = None
        self.gate: Gate | None = None
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
        self._prune: DailyPrune | None = None
        self._catch_up: CatchUp | None = None
        self.policy_server: PolicyServer | None = None
        self._checks: PrePersistChecks | None = None

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
        metrics = self.metrics
        audit_append = metrics.timed(metrics.audit_append_latency, services.audit.append)
        await self._wait_for_homeserver(hs, homeserver_wait_seconds)
        await hs.ensure_bot_registered()
        # The device tells the control room when its key sync fails; the notifier that
        # speaks there needs the device (to encrypt), so the alert goes through self.
        self.device = device = BotDevice(
            config, rooms, self._session, alert=self._alert, metrics=metrics
        )
        await device.start()
        scanner = ClamdScanner(
            config.media.clamav,
            timeout=config.media.scan_timeout,
            stream_max_length=config.media.clamav.stream_max_length,
            metrics=metrics,
        )
        await _check_stream_limit(scanner)
        self.media = MediaChecker(
            config.media,
            MediaFetcher(
                config.homeserver.address,
                config.appservice.as_token,
                config.bot_user_id,
                self._session,
            ),
            scanner,
        )
        policy_state = None
        if config.policy_server.enabled:
            # Before any room is managed: each gets m.room.policy naming PHI Gate.
            self.policy_server = policy_server.build(
                config, hs, self._session, self._decide, self.clock
            )
            policy_state = PolicyState(
                homeserver=hs,
                bot_id=config.bot_user_id,
                server_name=config.homeserver.domain,
                public_key=self.policy_server.public_key,
                alert=self._alert,
            )
        self.gate = gate = assemble_gate(
            config,
            services,
            hs,
            rooms,
            device,
            self.media,
            on_command=self._on_command,
            policy_state=policy_state,
            metrics=metrics,
            audit_append=audit_append,
            clock=self.clock,
        )
        # The pre-persist checks and the policy server's /sign decide alike (one verdict).
        self._checks = PrePersistChecks(
            gate.events,
            audit_append=audit_append,
            key_wait_seconds=config.antispam.key_wait_seconds,
            clock=self.clock,
            metrics=metrics,
            on_arrival=policy_state.note_arrival if policy_state is not None else None,
            policy_signed=(
                self.policy_server.carries_signature if self.policy_server is not None else None
            ),
        )
        self.commands = CommandProcessor(
            services,
            gate.gates,
            admins=config.organization.admins,
            control_room_id=lambda: gate.notifier.control_room_id,
            witness=self._read_witness,
        )
        gatekeeper = gate.gatekeeper
        gate.notifier.control_room_id = control_room_id = await self._control_room(hs)
        if config.media.unscannable is not None:
            log.warning("%s", config.media.unscannable)
            await gate.notifier.alert(f"⚠ {config.media.unscannable}")
        control = rooms.add(control_room_id)
        control.is_control = True
        await gate.guard.refresh_all()
        if not control.managed:
            await gate.guard.manage(control)
        await gatekeeper.resume()

        # Signed checkpoints of the audit chain head, outside the database (the file) and
        # beyond the database owner's reach (a state event in the control room).
        self._checkpoints = Checkpointer(
            services.audit,
            signing_keys(config, create=True),
            checkpoint_file(config),
            witness=self._witness_checkpoint,
            interval_s=config.audit.checkpoint_interval_seconds,
            clock=self.clock,
            alert=gate.notifier.alert,
        )
        await self._checkpoints.start()
        # audit.retention: once a day, signed through the same checkpointer.
        self._prune = DailyPrune(
            services, self._checkpoints, actor=config.bot_user_id, alert=gate.notifier.alert
        )
        self._prune.start()

        self._expiry = ExpiryTimer(
            services.agreements,
            actor=config.bot_user_id,
            alert=gate.notifier.alert,
            ahead=gate.gates.before_expiry,
        )
        self._expiry.start()
        # Listen last: the homeserver queues transactions while we are not answering.
        prepersist = self._checks if config.antispam.enabled else None
        self.typing = TypingWarner(gate.events, gate.notifier, self.clock)
        watch = PrePersistWatch(gate.events.service_users) if prepersist is not None else None
        self.server = AppserviceServer(
            hs_token=config.appservice.hs_token,
            handler=gatekeeper,
            transactions=TransactionStore(services.engine),
            clock=self.clock,
            prepersist=prepersist,
            antispam_secret=config.antispam.secret,
            policy_server=self.policy_server,
            metrics=metrics,
            health=HealthChecks(
                engine=services.engine, key_sync=self.device, scanner=scanner, prepersist=watch
            ),
            prepersist_watch=watch,
            on_ephemeral=self.typing.receive,
        )
        await self.server.start(config.appservice.hostname, config.appservice.port)
        self._catch_up = CatchUp(
            rooms,
            messages=hs.messages,
            seen=services.audit.has_events,
            handle=gatekeeper.handle_transaction,
            exclusive=self.server.exclusive,
            clock=self.clock,
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
                sender_kind=SenderKind.BOT,
                decision="started",
                room_id=control_room_id,
            )
        )
        self._started = True
        log.info(
            "PHI Gate is running: %s on %s:%d, control room %s",
            config.bot_user_id,
            config.appservice.hostname,
            config.appservice.port,
            control_room_id,
        )

    async def _decide(self, event: dict[str, Any]) -> Decision:
        # /sign can be asked before the HTTP side is up (it is not routed until then).
        assert self._checks is not None
        return await self._checks.decide(event)

    async def stop(self, why: str = "stopped") -> None:
        """Stop taking work, finish what is running, record the stop, sign the head.

        Args:
            why: the stop record's reason (e.g. "SIGTERM").
        """
        if self._catch_up is not None:
            await self._catch_up.stop()
        if self.server is not None:
            await self.server.stop()
        if self._expiry is not None:
            await self._expiry.stop()
        await self._background.stop()
        if self.typing is not None:
            await self.typing.stop()
        if self.gate is not None:
            await self.gate.gatekeeper.stop()
        if self._prune is not None:
            await self._prune.stop()
        if self._started and self.services is not None:
            # The last record of this run, before the final checkpoint signs the head: a
            # gap between a stop and the next start is then visible in the audit log.
            self._started = False
            try:
                await self.services.audit.append_one(
                    AuditEntry(
                        kind=RecordKind.SYSTEM,
                        recorded_ts=self.clock(),
                        event_type="org.phigate.stop",
                        sender=self.config.bot_user_id,
                        sender_kind=SenderKind.BOT,
                        decision="stopped",
                        reason=why,
                        room_id=self.gate.notifier.control_room_id if self.gate else None,
                    )
                )
            except Exception as e:  # the database may be what failed; stop the rest anyway
                log.error("the stop could not be recorded in the audit log: %s", type(e).__name__)
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
        assert self.homeserver is not None and self.gate is not None
        control = self.gate.notifier.control_room_id
        if control is None:
            raise RuntimeError("no control room yet")
        await self.homeserver.put_state(
            control,
            WITNESS_EVENT_TYPE,
            witness_event_content(note),
            as_user=self.config.bot_user_id,
        )

    async def _read_witness(self) -> dict[str, Any] | None:
        """The witness copy `!audit verify` checks: the control room's checkpoint state."""
        assert self.homeserver is not None and self.gate is not None
        control = self.gate.notifier.control_room_id
        if control is None:
            return None
        for event in await self.homeserver.room_state(control, as_user=self.config.bot_user_id):
            if event.get("type") == WITNESS_EVENT_TYPE and event.get("state_key") == "":
                content = event.get("content")
                return content if isinstance(content, dict) and content else None
        return None

    async def _on_command(self, event: MatrixEvent) -> None:
        body = event.content.get("body")
        if not isinstance(body, str) or self.commands is None or self.gate is None:
            return
        control = self.gate.notifier.control_room_id
        name = long_command(body)
        if (
            name is not None
            and event.room_id == control
            and event.sender in self.config.organization.admins
        ):
            # Off the transaction path: the gate must not wait for a whole-log read.
            await self.gate.notifier.notice(
                control,
                f"{WORKING} !{name} beside the gate (the gate does not wait); the "
                "answer follows here",
                reply_to=event.event_id,
            )
            self._background.spawn(name, self._answer(event, body))
            return
        await self._answer(event, body)

    async def _answer(self, event: MatrixEvent, body: str) -> None:
        """The reply replies to the command (alerts and other answers share the room)."""
        assert self.commands is not None and self.gate is not None
        reply = await self.commands.handle(event.room_id, event.sender, body)
        control = self.gate.notifier.control_room_id
        if reply is not None and reply.post and control:
            # A reply can only point at an event of the same room.
            to = event.event_id if event.room_id == control else None
            await self.gate.notifier.notice(control, reply.text, reply.html, reply_to=to)

    async def _alert(self, text: str) -> None:
        if self.gate is not None:
            await self.gate.notifier.alert(text)
        else:
            log.warning("%s (before the control room is known)", text)

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


async def _check_stream_limit(scanner: ClamdScanner) -> None:
    """clamd must take a stream of ``media.clamav.stream_max_length`` bytes whole: with a
    lower StreamMaxLength, attachments between the two would be blocked as "not scannable"
    with no hint why. clamd cannot be asked its limit, so it is shown one such stream.
    An unreachable clamd is not a reason to refuse to start (the health check reports it)."""
    size = scanner.stream_max_length
    try:
        accepted = await scanner.accepts_stream_of(size)
    except ClamdUnavailable as e:
        log.warning("clamd's stream limit was not checked: %s", e)
        return
    if not accepted:
        raise ConfigError(
            f"config key media.clamav.stream_max_length: clamd at {scanner.address} refused a "
            f"stream of {size} bytes, so its StreamMaxLength is lower; raise StreamMaxLength "
            "(and MaxFileSize, MaxScanSize) in clamd.conf, or lower stream_max_length and "
            "media.max_size to clamd's value"
        )


async def run_forever(config: Config) -> None:
    """Run until SIGTERM or SIGINT, then stop cleanly (exit status 0): transactions in
    flight are finished, the stop is recorded and the audit head signed."""
    # Whatever PHI Gate writes (database, WAL, key files, logs) is its own to read.
    os.umask(0o077)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    received: list[str] = []

    def on_signal(signum: signal.Signals) -> None:
        received.append(signum.name)
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    bridge = PhiGateBridge(config)
    try:
        await bridge.start()
        await stopping.wait()
        log.info("%s received: stopping", received[0])
    finally:
        await bridge.stop(received[0] if received else "stopped")
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    log.info("PHI Gate stopped")
