"""Appservice transactions already handled, so a retry is acknowledged without re-processing."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.store.inserts import dialect_insert
from bridge.store.models import AppserviceTransaction

_TABLE = AppserviceTransaction.__table__


class TransactionStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def is_done(self, txn_id: str, body_sha256: str) -> bool:
        async with self._engine.connect() as conn:
            row = await conn.execute(
                select(_TABLE.c.txn_id).where(
                    _TABLE.c.txn_id == txn_id, _TABLE.c.body_sha256 == body_sha256
                )
            )
            return row.first() is not None

    async def mark_done(self, txn_id: str, body_sha256: str, now_ms: int) -> None:
        values = {"txn_id": txn_id, "body_sha256": body_sha256, "done_ms": now_ms}
        insert = dialect_insert(self._engine.dialect, _TABLE).values(values)
        async with self._engine.begin() as conn:
            await conn.execute(insert.on_conflict_do_nothing())

    async def prune(self, older_than_ms: int) -> int:
        """Forget transactions handled before ``older_than_ms``; returns how many."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(_TABLE).where(_TABLE.c.done_ms < older_than_ms))
            return int(result.rowcount or 0)
