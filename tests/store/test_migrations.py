"""The migrations build exactly the schema the models describe, from empty and step by step,
on the database the suite runs on (SQLite, or PostgreSQL with ``PHIGATE_TEST_DB=postgresql``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bridge.store.database import _alembic_config, create_engine, migrate
from bridge.store.schema import metadata
from tests.databases import database_url


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    assert len(script.get_heads()) == 1
    revisions = _revisions()
    assert revisions[0] == "0001" and revisions[-1] == script.get_current_head()


def _differences(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"version_table": "phigate_alembic_version"})
    return list(compare_metadata(context, metadata))


async def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    engine = create_engine(database_url(tmp_path))
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await engine.dispose()


async def test_each_revision_upgrades_from_the_previous_one(tmp_path: Path) -> None:
    engine = create_engine(database_url(tmp_path))

    def step(conn: Connection, revision: str) -> None:
        command.upgrade(_alembic_config(conn), revision)

    try:
        for revision in _revisions():
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
