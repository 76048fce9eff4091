"""The health checks' own rules, on a real SQLite engine and a real (absent) clamd socket:
a stale or failing key sync, a module that never asked, a check that hangs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bridge import health
from bridge.config import ClamAVConfig
from bridge.health import Dependency, HealthChecks, PrePersistWatch, health_document
from bridge.media import ClamdScanner
from bridge.store.database import create_engine

BOT = "@phigate:clinic.test"


@dataclass
class Device:
    last_sync_ok: float | None
    sync_failures: int = 0


def message(event_id: str, sender: str = "@alice:clinic.test") -> dict[str, str]:
    return {"type": "m.room.message", "event_id": event_id, "sender": sender}


def test_watch_fails_only_when_the_newest_message_was_never_asked() -> None:
    watch = PrePersistWatch([BOT])
    watch.delivered([message("$bot", BOT), {"type": "m.room.member", "event_id": "$m"}])
    assert watch.unasked_in_a_row == 0  # the bot's own events and state are never asked
    watch.asked({"event_id": "$1"})
    watch.delivered([message("$1")])
    assert watch.unasked_in_a_row == 0
    watch.delivered([message("$2"), message("$3")])
    assert watch.unasked_in_a_row == 2
    watch.asked({"event_id": "$4"})
    watch.delivered([message("$4")])
    assert watch.unasked_in_a_row == 0


async def test_each_failing_dependency_is_named(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'h.db'}")
    now = 1000.0
    device = Device(last_sync_ok=now - 10)
    scanner = ClamdScanner(ClamAVConfig(socket=str(tmp_path / "no-clamd.sock")), timeout=1)
    watch = PrePersistWatch([BOT])
    checks = HealthChecks(
        engine=engine,
        key_sync=device,
        scanner=scanner,
        prepersist=watch,
        monotonic=lambda: now,
    )
    try:
        status, body = health_document(await checks.run())
        assert status == 503
        assert body["failing"] == ["database", "clamd"]
        assert "phigate_alembic_version" in body["checks"]["database"]["detail"]
        assert "no-clamd.sock" in body["checks"]["clamd"]["detail"]
        assert body["checks"]["prepersist_module"]["ok"]

        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE phigate_alembic_version (version_num TEXT)"))
            await conn.execute(text("INSERT INTO phigate_alembic_version VALUES ('0009')"))
        device.last_sync_ok = now - 200  # older than the stale limit
        watch.delivered([message("$unasked")])
        results = {r.dependency: r for r in await checks.run()}
        assert results[Dependency.DATABASE].ok and "0009" in results[Dependency.DATABASE].detail
        assert not results[Dependency.KEY_SYNC].ok
        assert "200 s ago" in results[Dependency.KEY_SYNC].detail
        assert not results[Dependency.PREPERSIST_MODULE].ok

        device.last_sync_ok, device.sync_failures = now - 1, 1  # the last round failed
        results = {r.dependency: r for r in await checks.run()}
        assert not results[Dependency.KEY_SYNC].ok
    finally:
        await engine.dispose()


async def test_a_hanging_check_is_a_failing_one() -> None:
    async def hangs() -> health.CheckResult:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    old = health.CHECK_TIMEOUT_SECONDS
    health.CHECK_TIMEOUT_SECONDS = 0.05
    try:
        result = await health._bounded(Dependency.CLAMD, hangs)
    finally:
        health.CHECK_TIMEOUT_SECONDS = old
    assert not result.ok and result.detail == "no answer in 0.05 s"
