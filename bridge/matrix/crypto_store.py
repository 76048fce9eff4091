"""mautrix's crypto store in PHI Gate's database, the device's secrets beside the audit key,
and what mautrix's OlmMachine asks about rooms."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from mautrix.crypto import PgCryptoStore, StateStore
from mautrix.types import EncryptionAlgorithm, RoomEncryptionStateEventContent, RoomID, UserID
from mautrix.util.async_db import Database

from bridge.errors import ConfigError
from bridge.matrix.rooms import RoomTracker
from bridge.store.checkpoint import WRITER_AUTOCHECKPOINT_PRAGMA


def mautrix_database_url(url: str) -> str:
    """mautrix's URL for the same database SQLAlchemy uses (its scheme names differ)."""
    if url.startswith("sqlite+aiosqlite:///"):
        return "sqlite:///" + url.removeprefix("sqlite+aiosqlite:///")
    if url.startswith("postgresql+asyncpg://"):
        return "postgres://" + url.removeprefix("postgresql+asyncpg://")
    raise ConfigError(f"config key database: mautrix cannot use {url.split(':', 1)[0]}")


def crypto_database(url: str) -> Database:
    """mautrix's database for the crypto store: the same database as PHI Gate's tables."""
    mautrix_url = mautrix_database_url(url)
    sqlite = mautrix_url.startswith("sqlite")
    return Database.create(
        mautrix_url,
        upgrade_table=PgCryptoStore.upgrade_table,
        log=logging.getLogger("phigate.crypto.db"),
        # Shares the SQLite file with PHI Gate's own tables: wait for the other writer, and
        # leave checkpoints to the WalCheckpointer as they do.
        db_args={"init_commands": ["PRAGMA busy_timeout = 30000", WRITER_AUTOCHECKPOINT_PRAGMA]}
        if sqlite
        else None,
    )


def read_or_create_secret(path: Path, *, what: str) -> str:
    """A secret kept beside the audit key, outside the database; made on first start."""
    if path.exists():
        mode = path.stat().st_mode & 0o077
        if mode:
            raise ConfigError(f"{what} {path} is readable by others; chmod 600 it")
        value = path.read_text(encoding="ascii").strip()
        if not value:
            raise ConfigError(f"{what} {path} is empty")
        return value
    value = secrets.token_urlsafe(32)
    write_secret(path, value)
    return value


def write_secret(path: Path, value: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(value + "\n")


class TrackedRoomsCryptoState(StateStore):
    """What mautrix's OlmMachine asks about rooms, answered from PHI Gate's room tracker."""

    def __init__(self, rooms: RoomTracker) -> None:
        self._rooms = rooms

    async def is_encrypted(self, room_id: RoomID) -> bool:
        room = self._rooms.get(room_id)
        return bool(room and room.encrypted)

    async def get_encryption_info(self, room_id: RoomID) -> RoomEncryptionStateEventContent | None:
        room = self._rooms.get(room_id)
        if room is None or not room.encrypted:
            return None
        return RoomEncryptionStateEventContent(algorithm=EncryptionAlgorithm.MEGOLM_V1)

    async def find_shared_rooms(self, user_id: UserID) -> list[RoomID]:
        return [
            RoomID(r.room_id)
            for r in self._rooms.rooms.values()
            if r.managed and r.encrypted and user_id in r.members
        ]
