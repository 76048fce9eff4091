"""Engine creation and start-up migrations."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, make_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bridge.errors import PhiGateError
from bridge.store.checkpoint import WRITER_AUTOCHECKPOINT_PRAGMA

log = logging.getLogger(__name__)


class DatabaseError(PhiGateError):
    """The database cannot be reached, or its schema cannot be brought up to date."""


# The database is away, locked, full or closed: nothing about the data written, so the same
# write may succeed later. (Integrity and data errors are not here: retrying cannot cure
# them.) mautrix's crypto store raises its drivers' own errors, hence sqlite3 and asyncpg.
STORAGE_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    sa_exc.ResourceClosedError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InsufficientResourcesError,
    ConnectionError,
)


def create_engine(url: str) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        # hide_parameters: an error's message never carries bound values (content, IDs).
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            # WAL: readers (the CLI, `audit verify`) never block the bridge's writer.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Checkpoints belong to the bridge's WalCheckpointer, not to a commit.
            cursor.execute(WRITER_AUTOCHECKPOINT_PRAGMA)
            cursor.close()

        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _alembic_config(connection: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option(
        "script_location", str(resources.files("bridge.store").joinpath("migrations"))
    )
    cfg.attributes["connection"] = connection
    return cfg


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (run at every start; a no-op when current)."""

    def upgrade(connection: Connection) -> None:
        command.upgrade(_alembic_config(connection), "head")

    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade)
    except (SQLAlchemyError, OSError) as e:
        raise DatabaseError(f"database migration failed: {_one_line(e)}") from e


async def open_database(url: str) -> AsyncEngine:
    path = sqlite_path(url)
    if path is not None:
        private_sqlite_files(path)
    engine = create_engine(url)
    try:
        await migrate(engine)
    except BaseException:
        await asyncio.shield(engine.dispose())
        raise
    return engine


def private_sqlite_files(path: Path) -> None:
    """The database file (and so its WAL and shared-memory files, which SQLite creates with
    the database file's mode) readable by its owner only: the audit metadata says who talked
    to whom, and when. An existing file open to others is tightened, with a warning."""
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        for file in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
            path.with_name(path.name + "-journal"),
        ):
            if file.exists() and file.stat().st_mode & 0o077:
                log.warning("%s was readable by others; now mode 0600", file)
                file.chmod(0o600)
    except OSError as e:
        raise DatabaseError(f"cannot make {path} private: {e}") from e


def _one_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e)
    return text.splitlines()[0] if text else type(e).__name__
