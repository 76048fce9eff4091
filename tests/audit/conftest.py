"""Fixtures for the audit log tests: the test's database (a temporary SQLite file in WAL
mode, or with ``PHIGATE_TEST_DB=postgresql`` a fresh PostgreSQL database), a key file, a log.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import (
    AuditEntry,
    AuditKeyring,
    AuditLog,
    Counterparty,
    RecordKind,
    generate_key_file,
)
from bridge.audit.models import (
    checkpoint_table,
    hold_table,
    keys_table,
    party_table,
    prune_table,
    record_table,
    token_table,
)
from bridge.store.base import Base
from bridge.store.database import create_engine
from tests import databases

NOW = 1_700_000_000_000
AUDIT_TABLES = [
    record_table,
    party_table,
    keys_table,
    token_table,
    checkpoint_table,
    hold_table,
    prune_table,
]


def make_sqlite_engine(path: Path) -> AsyncEngine:
    """SQLite engine exactly as PHI Gate makes it (WAL, NORMAL sync, busy timeout)."""
    return create_engine(f"sqlite+aiosqlite:///{path}")


async def create_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=AUDIT_TABLES))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "a.db"


# Parametrized so that a SQLite-only test can ask for "sqlite" (indirect) on either run.
@pytest.fixture(params=[databases.selected()])
async def engine(
    request: pytest.FixtureRequest, db_path: Path, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        eng = make_sqlite_engine(db_path)
    else:
        eng = create_engine(databases.database_url(tmp_path))
    await create_tables(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "audit.key"
    generate_key_file(path)
    return path


@pytest.fixture
def keyring(key_file: Path) -> AuditKeyring:
    return AuditKeyring.load(key_file)


@pytest.fixture
async def log(engine: AsyncEngine, keyring: AuditKeyring) -> AuditLog:
    return await AuditLog.open(engine, keyring, now_ms=NOW)


def message(
    i: int,
    *,
    vendor: str | None = "acme",
    category: str | None = "phi",
    sender: str = "@alice:clinic.example",
    room: str = "!r1:clinic.example",
    patient: str | None = None,
    decision: str = "allow",
    body: str | None = None,
    ts: int | None = None,
) -> AuditEntry:
    """A message event record in a room with a vendor (and optionally a patient)."""
    cps: list[Counterparty] = []
    if vendor is not None:
        cps.append(Counterparty(f"@bot:{vendor}.example", "vendor", vendor, "Active"))
    if patient is not None:
        cps.append(Counterparty(patient, "patient", None, "Active"))
    when = NOW + i if ts is None else ts
    return AuditEntry(
        kind=RecordKind.EVENT,
        recorded_ts=when,
        event_type="m.room.message",
        event_id=f"$event{i}",
        room_id=room,
        sender=sender,
        sender_kind="staff",
        counterparties=tuple(cps),
        category=category,
        decision=decision,
        reason=None if decision == "allow" else "BAA is not Active",
        event_ts=when - 3,
        content={"msgtype": "m.text", "body": body if body is not None else f"message {i}"},
    )


async def scalar(engine: AsyncEngine, sql: str, **params: Any) -> Any:
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


async def execute(engine: AsyncEngine, sql: str, **params: Any) -> None:
    async with engine.begin() as conn:
        await conn.execute(text(sql), params)
