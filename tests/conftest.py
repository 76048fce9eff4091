"""Suite-wide fixtures: the database every test runs on (tests/databases.py).

``PHIGATE_TEST_DB=postgresql`` runs everything on a private PostgreSQL server, a fresh
database per test; the default is SQLite files in each test's temp directory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bridge.config import load_config
from bridge.demo import deploy
from bridge.service.app import Services, open_services
from tests import databases


def pytest_configure(config: pytest.Config) -> None:
    try:
        kind = databases.selected()
        if kind == "postgresql":
            databases.server_binaries()  # fail at once, in one line, if not installed
    except databases.DatabaseSetupError as err:
        raise pytest.UsageError(str(err)) from None


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {databases.selected()} (${databases.ENV})"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    databases.stop_cluster()


@pytest.fixture(scope="module", autouse=True)
def _module_database(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[None]:
    """On PostgreSQL, a throwaway deployment started in another process (``phigate demo``)
    finds its database in ``$PHIGATE_DEMO_DATABASE``: one fresh database per test module."""
    if not databases.on_postgresql():
        yield
        return
    databases.push_scope()
    try:
        monkeypatch_module.setenv(deploy.DATABASE_ENV, databases.fresh_postgres_url())
        yield
    finally:
        databases.pop_scope()


@pytest.fixture(autouse=True)
def _test_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's databases are its own: on PostgreSQL every deployment written in the test
    process (``write_deployment``) gets a fresh database, dropped after the test."""
    if not databases.on_postgresql():
        yield
        return
    databases.push_scope()
    monkeypatch.setattr(deploy, "database_url", lambda _base: databases.fresh_postgres_url())
    try:
        yield
    finally:
        databases.pop_scope()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """This test's database (SQLAlchemy URL): a SQLite file in ``tmp_path``, or a fresh
    PostgreSQL database."""
    return databases.database_url(tmp_path)


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    """PHI Gate's services on a fresh deployment (``write_deployment``: clinic.test, the
    admin ``@admin:clinic.test``), on this test's database, with the real clock."""
    config_path, _ = deploy.write_deployment(
        tmp_path / "phigate", domain="clinic.test", admins=["@admin:clinic.test"]
    )
    opened = await open_services(load_config(config_path))
    try:
        yield opened
    finally:
        await opened.close()
