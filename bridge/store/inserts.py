"""INSERT statements that work on both databases PHI Gate runs on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection


def dialect_insert(dialect: Dialect, table: Table) -> PostgresInsert | SqliteInsert:
    """``INSERT INTO table`` with the dialect's ``ON CONFLICT`` clauses available."""
    return (postgresql if dialect.name == "postgresql" else sqlite).insert(table)


class BulkInsert:
    """Bulk INSERT of row tuples (in table column order) into one table.

    SQLAlchemy's Core executemany builds and processes a parameter dict per row, which costs
    as much as SQLite's own work for narrow rows. When the dialect takes positional
    parameters and SQLAlchemy's compiled INSERT lists the columns in table order (checked
    here, once), the tuples go to the driver's executemany as they are; otherwise they are
    turned into dicts for a normal Core insert.

    ``skip_conflicts``: rows whose key is already there are left as they are (``ON CONFLICT
    DO NOTHING``).
    """

    def __init__(self, dialect: Dialect, table: Table, *, skip_conflicts: bool = False) -> None:
        self._keys = [c.key for c in table.columns]
        statement = dialect_insert(dialect, table)
        self._statement = statement.on_conflict_do_nothing() if skip_conflicts else statement
        compiled = self._statement.compile(dialect=dialect, column_keys=self._keys)
        positional = bool(compiled.positional) and list(compiled.positiontup or ()) == self._keys
        self._sql: str | None = str(compiled) if positional else None

    async def __call__(self, conn: AsyncConnection, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._sql is not None:
            await conn.exec_driver_sql(self._sql, rows)
        else:
            keys = self._keys
            await conn.execute(self._statement, [dict(zip(keys, r, strict=True)) for r in rows])
