"""The WAL checkpointer: commits stop paying for checkpoints, and the log stays bounded."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import text

from bridge.demo.waiting import wait_for
from bridge.store.checkpoint import WRITER_AUTOCHECKPOINT_PAGES, WalCheckpointer
from bridge.store.database import create_engine, sqlite_path


def test_sqlite_path() -> None:
    assert sqlite_path("sqlite+aiosqlite:////var/lib/phigate/phigate.db") == Path(
        "/var/lib/phigate/phigate.db"
    )
    assert sqlite_path("sqlite+aiosqlite:///:memory:") is None
    assert sqlite_path("postgresql+asyncpg://u:p@db/phigate") is None


async def test_checkpoints_in_the_background_and_truncates_on_stop(tmp_path: Path) -> None:
    db = tmp_path / "phigate.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        async with engine.begin() as conn:
            pages = (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one()
            assert pages == WRITER_AUTOCHECKPOINT_PAGES
            await conn.execute(text("CREATE TABLE t (x BLOB)"))
        # ~5 MB of commits: beyond SQLite's default autocheckpoint (1000 pages) ...
        for _ in range(120):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (randomblob(40000))"))
        wal = db.with_name(db.name + "-wal")
        # ... yet no commit checkpointed: the log holds every page written.
        assert wal.stat().st_size > 1000 * 4096
        checkpointer = WalCheckpointer(db, interval=0.05)
        checkpointer.start()
        await wait_for(lambda: checkpointer.checkpoints >= 2, "two checkpoints", timeout=10)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (randomblob(100))"))
        await checkpointer.stop()
        assert wal.stat().st_size == 0  # TRUNCATE: everything is in the database file
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 121
    finally:
        await engine.dispose()


async def test_a_broken_database_does_not_stop_the_loop(tmp_path: Path) -> None:
    not_a_db = tmp_path / "garbage.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    checkpointer = WalCheckpointer(not_a_db, interval=0.01)
    checkpointer.start()
    await asyncio.sleep(0.1)
    assert checkpointer._task is not None and not checkpointer._task.done()
    assert checkpointer.checkpoints == 0
    await checkpointer.stop()  # logs, does not raise


async def test_stop_waits_for_a_checkpoint_still_running_in_its_thread(tmp_path: Path) -> None:
    """Cancelling the loop leaves a running checkpoint in its worker thread: the final
    checkpoint and the close wait for it instead of using the connection at the same time
    (closing it under a running checkpoint crashed the process)."""
    db = tmp_path / "phigate.db"
    sqlite3.connect(db).execute("PRAGMA journal_mode=WAL").fetchone()
    checkpointer = WalCheckpointer(db, interval=0.01)
    running, release = threading.Event(), threading.Event()
    real = sqlite3.connect(db, check_same_thread=False)
    seen = {"active": 0, "most": 0, "closed_while_active": False}

    class Slow:
        """The checkpointer's connection; its first checkpoint is held until released."""

        def execute(self, sql: str) -> sqlite3.Cursor:
            seen["active"] += 1
            seen["most"] = max(seen["most"], seen["active"])
            running.set()
            release.wait(10)
            try:
                return real.execute(sql)
            finally:
                seen["active"] -= 1

        def close(self) -> None:
            seen["closed_while_active"] = seen["active"] > 0

    checkpointer._conn = Slow()  # type: ignore[assignment]
    checkpointer.start()
    await asyncio.to_thread(running.wait, 10)
    stopping = asyncio.create_task(checkpointer.stop())
    await asyncio.sleep(0.2)
    release.set()
    await asyncio.wait_for(stopping, 10)
    assert seen["most"] == 1, "two checkpoints ran on one connection at once"
    assert not seen["closed_while_active"]
    real.close()
