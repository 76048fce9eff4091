"""A real Synapse with PHI Gate registered, PHI Gate running in the test's event loop, and
helpers to act as the admin, staff, vendors and patients."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bridge.audit import AuditFilter
from bridge.commands.background import WORKING
from bridge.config import Config, load_config
from bridge.demo.client import DemoClient
from bridge.demo.deploy import point_at, write_deployment
from bridge.matrix.runtime import PhiGateBridge
from bridge.synapse_config import synapse_config
from tests import databases
from tests.clamd import ClamdNotInstalled, LocalClamd

from ..harness.clients import wait_for
from ..harness.synapse import SynapseServer

DOMAIN = "clinic.test"
MEDIA_MAX = 1024 * 1024  # media.max_size in the tests
# The 68-byte EICAR anti-virus test file, split so this source file is not itself flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + b"$H+H*"
EICAR_NAME = "Eicar-Test-Signature"
CLAMD_STREAM_MAX = 2 * 1024 * 1024
ADMIN = f"@admin:{DOMAIN}"


@dataclass
class Deployment:
    base: Path
    synapse: SynapseServer
    config_path: Path
    config: Config
    bridge: PhiGateBridge
    # Each client syncs in the background; what it received is ``client.received``.
    clients: dict[str, DemoClient] = field(default_factory=dict)
    registered: set[str] = field(default_factory=lambda: {"admin"})

    @property
    def bot(self) -> str:
        return self.config.bot_user_id

    @property
    def control_room(self) -> str:
        room = self.bridge.gate.notifier.control_room_id if self.bridge.gate else None
        assert room
        return room

    async def restart_bridge(self, config: Config | None = None) -> None:
        await self.bridge.stop()
        self.bridge = PhiGateBridge(config or self.config)
        await self.bridge.start()

    async def user(self, localpart: str, *, e2ee: bool = True) -> DemoClient:
        """A logged-in E2EE client for a (new or existing) local user, syncing in the
        background like a real client does."""
        if localpart not in self.clients:
            if localpart not in self.registered:
                self.synapse.register_user(localpart)
                self.registered.add(localpart)
            self.clients[localpart] = await started(
                DemoClient(
                    self.synapse.url,
                    self.synapse.user_id(localpart),
                    "pw",
                    self.base / "nio" / localpart,
                    device_name=f"harness {localpart}",
                    encryption=e2ee,
                )
            )
        return self.clients[localpart]

    async def stop_clients(self) -> None:
        for client in self.clients.values():
            await client.close()

    async def admin(self) -> DemoClient:
        """The admin, joined to the control room."""
        client = await self.user("admin")
        if self.control_room not in client.rooms:
            await client.join_room(self.control_room)
            await self.wait_room_known(client, self.control_room)
        return client

    async def wait_room_known(self, client: DemoClient, room_id: str) -> None:
        """nio knows the room, its members and whether it is encrypted (or sends plaintext)."""

        def known() -> bool:
            room = client.rooms.get(room_id)
            if not (room and room.encrypted and client.user_id in room.users):
                return False
            # Where the gate is in the room, a message must reach its device too.
            return self.bot not in room.users or client.knows_devices([self.bot])

        await client.wait(known, 15, f"never synced {room_id} or the bot's keys")

    def bot_notices(self, client: DemoClient, room_id: str) -> list[str]:
        """The bot's notices in the room as this client reads them (decrypted)."""
        return client.notices_from(room_id, self.bot)

    def notices_replying_to(self, client: DemoClient, room_id: str, event_id: str) -> list[str]:
        """The bot's notices that reply to ``event_id``, in order, as the client reads them."""
        return client.replies_from(room_id, self.bot, event_id)

    def notice_replying_to(self, client: DemoClient, room_id: str, event_id: str) -> str | None:
        """The body of the bot's first notice that replies to ``event_id``, if any."""
        replies = self.notices_replying_to(client, room_id, event_id)
        return replies[0] if replies else None

    async def command(self, text: str, client: DemoClient | None = None) -> str:
        """Send a command to the control room and return the bot's (decrypted) reply."""
        client = client or await self.admin()
        event_id = await self.send(client, self.control_room, text)

        def reply() -> str | None:
            # The answer replies to the command (alerts share the room); a long command
            # (`!audit verify`) is first acknowledged, then answered.
            replies = self.notices_replying_to(client, self.control_room, event_id)
            answers = [n for n in replies if not n.startswith(WORKING)]
            return answers[0] if answers else None

        try:
            return await client.wait(reply, 15, f"no reply to {text!r}")
        except TimeoutError as missing:
            raise AssertionError(
                f"{missing}; {await self._why_no_reply(client, event_id)}"
            ) from None

    async def confirmed(self, text: str) -> str:
        """A change that waits for `!confirm` (the bot says what it will do), confirmed;
        returns the reply to `!confirm`."""
        preview = await self.command(text)
        assert preview.startswith("not applied yet:"), preview
        return await self.command("!confirm")

    async def applied(self, text: str) -> str:
        """A change applied, confirmed if the bot asked (a link reaching room members)."""
        reply = await self.command(text)
        return await self.command("!confirm") if reply.startswith("not applied yet:") else reply

    async def _why_no_reply(self, client: DemoClient, event_id: str) -> str:
        """What the gate recorded of a command, and what the client could not decrypt: a
        missing reply is otherwise a riddle."""
        records = await self.bridge.services.audit.query(
            AuditFilter(room=self.control_room, limit=None)
        )
        mine = [
            f"{r.kind.value}:{r.decision}:{r.reason}" for r in records if r.event_id == event_id
        ]
        undecrypted = sum(e.room_id == self.control_room for e in client.undecrypted)
        return (
            f"audit of the command {mine or 'none'}; {undecrypted} events in the control "
            "room the client could not decrypt"
        )

    async def staff_room(
        self, owner: DemoClient, invite: list[str], *, bot_power: int | None = 50
    ) -> str:
        """A room created by staff with the bot invited (at ``bot_power``) plus ``invite``."""
        power = {self.bot: bot_power} if bot_power is not None else None
        # Element creates private rooms encrypted.
        room_id = await owner.create_room(invite=[self.bot, *invite], power_users=power)
        await wait_for(
            lambda: self.managed(room_id), timeout=15, message="bot never managed the room"
        )
        return room_id

    def managed(self, room_id: str) -> bool:
        room = self.bridge.gate.events.rooms.get(room_id) if self.bridge.gate else None
        return bool(room and room.managed)

    async def send(self, client: DemoClient, room_id: str, body: str, **extra: Any) -> str:
        """An E2EE send, as Element would: encrypted once nio knows the room is."""
        await self.wait_room_known(client, room_id)
        return await client.send_text(room_id, body, **extra)

    async def is_redacted(self, client: DemoClient, room_id: str, event_id: str) -> bool:
        event = await client.event(room_id, event_id)
        return "redacted_because" in event.get("unsigned", {})

    async def wait_redacted(self, client: DemoClient, room_id: str, event_id: str) -> None:
        await wait_for(
            lambda: self.is_redacted(client, room_id, event_id),
            timeout=10,
            message=f"{event_id} was never redacted",
        )

    async def notices(self, client: DemoClient, room_id: str) -> list[str]:
        return self.bot_notices(client, room_id)

    def noticed(self, client: DemoClient, room_id: str, text: str) -> bool:
        """The bot said something containing ``text`` in the room, as the client reads it."""
        return any(text in n for n in self.bot_notices(client, room_id))

    async def gate_state(self, client: DemoClient, room_id: str) -> dict[str, Any] | None:
        status, body = await client.raw_request(
            "GET", f"/_matrix/client/v3/rooms/{room_id}/state/org.phigate.gate/"
        )
        return body if status == 200 else None

    async def wait_gate(self, client: DemoClient, room_id: str, state: str) -> dict[str, Any]:
        async def gate() -> dict[str, Any] | None:
            content = await self.gate_state(client, room_id)
            return content if content and content.get("state") == state else None

        return await wait_for(gate, timeout=10, message=f"gate never became {state}")


async def started(client: DemoClient) -> DemoClient:
    """The client logged in and syncing in the background (closed if that fails)."""
    try:
        await client.start()
    except BaseException:
        await client.close()
        raise
    return client


@pytest.fixture(scope="session")
def clamd() -> Iterator[LocalClamd]:
    """One real clamd for the session, with the EICAR signature the tests write."""
    daemon = LocalClamd({EICAR_NAME: EICAR}, stream_max_length=CLAMD_STREAM_MAX)
    try:
        daemon.start()
    except ClamdNotInstalled as err:
        pytest.fail(f"{err} (.ci/run installs clamav-daemon)", pytrace=False)
    yield daemon
    daemon.stop()
    daemon.cleanup()


async def deploy(
    tmp_path: Path,
    synapse_factory: Any,
    clamd: LocalClamd,
    *,
    guarded: bool,
    policy_server: bool = False,
) -> Deployment:
    """PHI Gate on a real Synapse. ``guarded``: with PHI Gate's pre-persist module installed
    and configured exactly as ``phigate synapse-config`` prints it; without, the redaction
    backstop alone (a deployment that has not installed the module)."""

    def settings(raw: dict[str, Any]) -> None:
        raw["media"]["max_size"] = MEDIA_MAX
        raw["media"]["scan_timeout"] = 5
        raw["media"]["clamav"] = {
            "socket": str(clamd.socket_path),
            "stream_max_length": CLAMD_STREAM_MAX,
        }
        raw["antispam"]["enabled"] = guarded
        raw["policy_server"]["enabled"] = policy_server

    config_path, registration_path = write_deployment(
        tmp_path / "phigate", domain=DOMAIN, admins=[ADMIN], settings=settings
    )
    additions = synapse_config(load_config(config_path), registration_path)
    files = additions.pop("app_service_config_files")
    server = synapse_factory(app_service_config_files=files, extra_config=additions)
    config = point_at(config_path, server.url)
    server.register_user("admin")
    bridge = PhiGateBridge(config)
    await bridge.start()
    return Deployment(tmp_path, server, config_path, config, bridge)


@asynccontextmanager
async def running(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd, *, guarded: bool
) -> AsyncIterator[Deployment]:
    """A deployment for one test, its clients and bridge stopped afterwards."""
    deployment = await deploy(tmp_path, synapse_factory, clamd, guarded=guarded)
    try:
        yield deployment
    finally:
        await deployment.stop_clients()
        await deployment.bridge.stop()


@pytest.fixture
async def deployment(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd
) -> AsyncIterator[Deployment]:
    async with running(tmp_path, synapse_factory, clamd, guarded=False) as deployment:
        yield deployment


@pytest.fixture
async def guarded(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd
) -> AsyncIterator[Deployment]:
    """The deployment with the pre-persist module: blocked events are refused before they
    are stored."""
    async with running(tmp_path, synapse_factory, clamd, guarded=True) as deployment:
        yield deployment


async def sql(url: str, statement: str, *args: Any) -> list[tuple[Any, ...]]:
    """One statement (``?`` placeholders) on PHI Gate's database from outside (SQLite: in a
    worker thread, so a wait for the bridge's write lock cannot stop the bridge's loop)."""
    return await databases.execute(url, statement, *args)


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
