"""A real SQLite database and audit log, a clock the test moves, and in-memory rooms.

The rooms fake implements :class:`~bridge.service.rooms.RoomOverview` the way the appservice
does: each room's counterparties and gate are computed from its members and the service's
live registry, so a `!baa set` shows up in `!room list` exactly as it would in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from bridge.audit import AuditKeyRow, AuditPartyRow, AuditRecordRow, generate_key_file
from bridge.commands import CommandProcessor, CommandReply
from bridge.config import load_config, render_new_config
from bridge.errors import NotFound
from bridge.policy import RoomGate, room_gate
from bridge.service.agreements import AgreementService
from bridge.service.app import Services, open_services
from bridge.service.rooms import RoomStatus
from bridge.store.base import Base
from bridge.store.database import open_database
from tests import databases

ADMIN = "@admin:clinic.example"
STAFF = "@nurse:clinic.example"
OTHER_ADMIN = "@it:clinic.example"
CONTROL = "!control:clinic.example"
OTHER_ROOM = "!billing:clinic.example"
# 2026-01-01T00:00:00Z
START_MS = 1_767_225_600_000
DAY_MS = 86_400_000


class FakeClock:
    def __init__(self, now_ms: int = START_MS) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms

    def advance(self, ms: int) -> None:
        self.now_ms += ms


@dataclass
class FakeRoom:
    room_id: str
    name: str | None
    members: set[str]
    aliases: tuple[str, ...] = ()
    protected: bool = True
    encrypted: bool = True
    undecryptable: dict[str, int] = field(default_factory=dict)


class FakeRooms:
    """In-memory RoomOverview: no homeserver involved, gates computed from the registry."""

    def __init__(self, agreements: AgreementService) -> None:
        self._agreements = agreements
        self.rooms: dict[str, FakeRoom] = {}

    def add(self, room: FakeRoom) -> FakeRoom:
        self.rooms[room.room_id] = room
        return room

    def _status(self, room: FakeRoom) -> RoomStatus:
        now = self._agreements.now_ms()
        parties = self._agreements.registry.counterparties(room.members, now)
        return RoomStatus(
            room_id=room.room_id,
            name=room.name,
            gate=room_gate(parties),
            protected=room.protected,
            encrypted=room.encrypted,
            counterparties=tuple(parties),
            staff_by_default=tuple(self._agreements.registry.staff_by_default(room.members)),
            members=tuple(sorted(room.members)),
            undecryptable=dict(room.undecryptable),
        )

    async def room_status(self, room: str) -> RoomStatus:
        for r in self.rooms.values():
            if room == r.room_id or room in r.aliases:
                return self._status(r)
        raise NotFound("no managed room by that ID or alias")

    def list_rooms(self, gate: RoomGate | None = None) -> list[RoomStatus]:
        statuses = [self._status(r) for r in self.rooms.values()]
        return [s for s in statuses if gate is None or s.gate is gate]


def write_config(tmp_path: Path) -> Path:
    """What `phigate init` writes, pointed at a temp database."""
    raw = yaml.safe_load(render_new_config())
    raw["database"] = databases.database_url(tmp_path)
    raw["audit"] = {"key_file": str(tmp_path / "audit.key")}
    raw["organization"]["admins"] = [ADMIN, OTHER_ADMIN]
    raw["organization"]["staff_users"] = [STAFF]
    raw["organization"]["confirm_changes"] = True
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    generate_key_file(tmp_path / "audit.key")
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def ensure_audit_tables(database_url: str) -> None:
    """Create the audit tables if no migration has yet.

    While the audit log's Alembic migration is being written, the tables come from its
    models; ``checkfirst`` makes this a no-op once the migration creates them.
    """
    engine = await open_database(database_url)
    try:
        tables = [m.__table__ for m in (AuditRecordRow, AuditPartyRow, AuditKeyRow)]
        async with engine.begin() as conn:
            await conn.run_sync(
                lambda sync: Base.metadata.create_all(sync, tables=tables, checkfirst=True)
            )
    finally:
        await engine.dispose()


@pytest.fixture
async def services(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Services]:
    config = load_config(write_config(tmp_path))
    await ensure_audit_tables(config.database)
    opened = await open_services(config, clock)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def rooms(services: Services) -> FakeRooms:
    return FakeRooms(services.agreements)


@dataclass
class Bot:
    """The processor plus shortcuts the tests read well with."""

    processor: CommandProcessor
    services: Services
    rooms: FakeRooms
    clock: FakeClock

    async def say(self, body: str, *, sender: str = ADMIN, room: str = CONTROL) -> CommandReply:
        reply = await self.processor.handle(room, sender, body)
        assert reply is not None, f"{body!r} was not taken as a command"
        return reply

    async def ok(self, body: str) -> CommandReply:
        reply = await self.say(body)
        assert reply.ok, reply.text
        return reply

    async def confirmed(self, body: str) -> CommandReply:
        """A change that waits for `!confirm` (the preview says so), confirmed."""
        preview = await self.ok(body)
        assert preview.text.startswith("not applied yet:"), preview.text
        return await self.ok("!confirm")

    async def applied(self, body: str) -> CommandReply:
        """A change applied, confirmed if it waited for `!confirm` (set-up steps)."""
        reply = await self.ok(body)
        return await self.ok("!confirm") if reply.text.startswith("not applied yet:") else reply

    async def fails(self, body: str) -> CommandReply:
        reply = await self.say(body)
        assert not reply.ok, reply.text
        assert reply.text.startswith("⚠ "), reply.text
        return reply


@pytest.fixture
def bot(services: Services, rooms: FakeRooms, clock: FakeClock) -> Bot:
    processor = CommandProcessor(
        services, rooms, admins=frozenset({ADMIN, OTHER_ADMIN}), control_room_id=lambda: CONTROL
    )
    return Bot(processor, services, rooms, clock)
