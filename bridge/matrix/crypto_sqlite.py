"""mautrix's SQLite transactions, made to wait for the write lock instead of failing.

mautrix begins its SQLite transactions DEFERRED. One that reads and then writes, after PHI
Gate's own connection committed in between (they share one database file), fails at once with
"database is locked" (SQLITE_BUSY_SNAPSHOT): the busy timeout cannot help a transaction whose
snapshot is stale. Seen after a crash and restart, when device-list handling and the backlog
of transactions write at the same time. BEGIN IMMEDIATE takes the write lock up front, so the
busy timeout applies and the transaction waits its turn.

The one place PHI Gate changes mautrix's code: ``TxnConnection.transaction``, replaced on
import of this module (by :mod:`bridge.matrix.e2ee`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from mautrix.util.async_db import aiosqlite as mautrix_sqlite


@asynccontextmanager
async def _immediate_transaction(self: mautrix_sqlite.TxnConnection) -> AsyncIterator[None]:
    if mautrix_sqlite.in_transaction.get():
        yield
        return
    await self.execute("BEGIN IMMEDIATE TRANSACTION")
    token = mautrix_sqlite.in_transaction.set(True)
    try:
        yield
    except Exception:
        await self.rollback()
        raise
    else:
        await self.commit()
    finally:
        mautrix_sqlite.in_transaction.reset(token)


mautrix_sqlite.TxnConnection.transaction = _immediate_transaction  # type: ignore[method-assign,assignment]
