"""Handled appservice transactions: remembered for retries, forgotten after a week."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.matrix.server import KEEP_TRANSACTIONS_MS, AppserviceServer
from bridge.store.database import open_database
from bridge.store.transactions import TransactionStore
from tests.databases import database_url

NOW = 1_800_000_000_000


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await open_database(database_url(tmp_path))
    yield engine
    await engine.dispose()


async def test_prune_forgets_only_old_transactions(engine: AsyncEngine) -> None:
    store = TransactionStore(engine)
    await store.mark_done("1", "a" * 64, NOW - 10)
    await store.mark_done("2", "b" * 64, NOW)
    assert await store.prune(NOW) == 1
    assert not await store.is_done("1", "a" * 64)
    assert await store.is_done("2", "b" * 64)
    assert await store.prune(NOW) == 0


class NoHandler:
    async def handle_transaction(self, txn_id: str, events: list[Any]) -> None:
        raise AssertionError("no transaction expected")


async def test_the_server_prunes_at_start(engine: AsyncEngine) -> None:
    store = TransactionStore(engine)
    await store.mark_done("old", "a" * 64, NOW - KEEP_TRANSACTIONS_MS - 1)
    await store.mark_done("recent", "b" * 64, NOW - KEEP_TRANSACTIONS_MS + 60_000)
    server = AppserviceServer(
        hs_token="t", handler=NoHandler(), transactions=store, clock=lambda: NOW
    )
    await server.start("127.0.0.1", 0)
    try:
        assert not await store.is_done("old", "a" * 64)
        assert await store.is_done("recent", "b" * 64)
    finally:
        await server.stop()
