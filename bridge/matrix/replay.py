"""Replay protection for megolm: each message index of a session is used by one event only.
The indices live in mautrix's ``crypto_message_index`` table, written through PHI Gate's own
connection so that they commit with the audit records of the same events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Text
from sqlalchemy.ext.asyncio import AsyncConnection

from bridge.store.inserts import BulkInsert

# Sessions whose indices are kept in memory (the oldest read is forgotten first).
SESSION_CACHE = 4096

#: (sender key, session ID, message index, event ID, origin timestamp) of a decrypted event.
MessageIndexRow = tuple[str, str, int, str, int]

# mautrix's replay table (its schema, not ours: described here only to write to it), written
# through PHI Gate's own connection so that it commits in one transaction with the audit
# records (same database; both SQLite and PostgreSQL).
_MESSAGE_INDEX = Table(
    "crypto_message_index",
    MetaData(),
    Column("sender_key", String, primary_key=True),
    Column("session_id", String, primary_key=True),
    Column("index", Integer, primary_key=True),
    Column("event_id", Text, nullable=False),
    Column("timestamp", BigInteger, nullable=False),
)
_index_inserts: dict[str, BulkInsert] = {}  # by dialect name


async def write_message_indices(conn: AsyncConnection, rows: Sequence[MessageIndexRow]) -> None:
    """Record used megolm message indices in the caller's transaction."""
    dialect = conn.dialect
    insert = _index_inserts.get(dialect.name)
    if insert is None:
        insert = _index_inserts[dialect.name] = BulkInsert(
            dialect, _MESSAGE_INDEX, skip_conflicts=True
        )
    await insert(conn, list(rows))


class ReplayIndex:
    """Megolm message indices used so far, per (sender key, session): read once per session
    from mautrix's table, then checked in memory; each use is handed to the caller's unit of
    work and written with the audit records of the same events (no round trip per event)."""

    def __init__(self, db: Callable[[], Any]) -> None:
        self._db = db  # mautrix's Database of the crypto store
        self._indices: dict[tuple[str, str], dict[int, tuple[str, int]]] = {}

    async def first_use(
        self,
        sender_key: str,
        session_id: str,
        index: int,
        event_id: str,
        ts: Any,
        indices: list[MessageIndexRow] | None,
    ) -> bool:
        """False when this message index of the session was already used by another event
        (a replay); the same event seen again (a retried transaction) is fine, and its row is
        handed on again (its first commit may have failed; writing it twice is harmless)."""
        timestamp = ts if isinstance(ts, int) and not isinstance(ts, bool) else 0
        seen = self._indices.get((sender_key, session_id))
        if seen is None:
            seen = await self._read_indices(sender_key, session_id)
        previous = seen.get(index)
        if previous is not None and previous != (event_id, timestamp):
            return False
        seen[index] = (event_id, timestamp)
        if indices is not None:
            indices.append((sender_key, session_id, index, event_id, timestamp))
        return True

    async def _read_indices(self, sender_key: str, session_id: str) -> dict[int, tuple[str, int]]:
        """The message indices of a session used so far (read once, then kept)."""
        if len(self._indices) >= SESSION_CACHE:
            self._indices.pop(next(iter(self._indices)))
        rows = await self._db().fetch(
            'SELECT "index", event_id, timestamp FROM crypto_message_index '
            "WHERE sender_key=$1 AND session_id=$2",
            sender_key,
            session_id,
        )
        seen = {r["index"]: (r["event_id"], r["timestamp"]) for r in rows}
        # Another event of the session may have read them meanwhile: keep its entries.
        return self._indices.setdefault((sender_key, session_id), seen)
