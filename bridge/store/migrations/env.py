"""Alembic environment: runs on the connection PHI Gate hands over (see bridge/store/database.py),
or on ``sqlalchemy.url`` when a developer runs ``alembic`` by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bridge.store.schema import metadata

config = context.config


def _include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    # mautrix's crypto and state tables share the database and keep their own versions.
    return not (type_ == "table" and reflected and compare_to is None)


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as conn:
            _migrate(conn)
        return
    _migrate(connection)


def _migrate(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        version_table="phigate_alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
