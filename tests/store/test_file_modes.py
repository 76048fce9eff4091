"""PHI Gate's database files are its own: created 0600, tightened when found open."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bridge.store.database import open_database


async def test_database_wal_and_shm_are_created_private(tmp_path: Path) -> None:
    db = tmp_path / "phigate.db"
    old = os.umask(0o022)  # a permissive umask, as a service manager may give
    try:
        engine = await open_database(f"sqlite+aiosqlite:///{db}")
        try:
            async with engine.begin() as conn:
                await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            files = [db, db.with_name("phigate.db-wal"), db.with_name("phigate.db-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {
                f.name: "0o600" for f in files
            }
        finally:
            await engine.dispose()
    finally:
        os.umask(old)


async def test_existing_open_database_is_tightened_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "phigate.db"
    db.touch(mode=0o644)
    db.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        engine = await open_database(f"sqlite+aiosqlite:///{db}")
    await engine.dispose()
    assert db.stat().st_mode & 0o777 == 0o600
    assert "readable by others" in caplog.text
