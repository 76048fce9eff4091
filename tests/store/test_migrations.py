"""The migrations build exactly the schema the models describe, from empty and step by step."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bridge.store.database import _alembic_config, create_engine, migrate
from bridge.store.schema import metadata


def _differences(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"version_table": "phigate_alembic_version"})
    return list(compare_metadata(context, metadata))


async def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await engine.dispose()


async def test_each_revision_upgrades_from_the_previous_one(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")

    def step(conn: Connection, revision: str) -> None:
        command.upgrade(_alembic_config(conn), revision)

    try:
        for revision in ("0001", "0002", "0003", "0004", "0005"):
            async with engine.begin() as conn:
                await conn.run_sync(step, revision)
        await migrate(engine)  # head: a no-op now
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            indexes = await conn.run_sync(
                lambda c: {i["name"] for i in inspect(c).get_indexes("appservice_txns")}
            )
        assert "ix_appservice_txns_done_ms" in indexes
    finally:
        await engine.dispose()
