"""MegolmReader: the gate's own megolm decryption — raw content, replay protection that
survives a restart, and clear errors for what it cannot read."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import olm
import pytest
from mautrix.crypto import InboundGroupSession, PgCryptoStore
from mautrix.types import IdentityKey, RoomID, SessionID, SigningKey
from mautrix.util.async_db import Database

from bridge.matrix.crypto_store import mautrix_database_url
from bridge.matrix.megolm_reader import MegolmReader, Undecryptable
from bridge.matrix.replay import MessageIndexRow, write_message_indices
from bridge.store.database import create_engine
from tests.databases import database_url

ROOM = "!room:clinic.test"


async def no_wait(*_: Any, **__: Any) -> bool:
    return False


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[PgCryptoStore]:
    db = Database.create(
        mautrix_database_url(database_url(tmp_path, "c.db")),
        upgrade_table=PgCryptoStore.upgrade_table,
    )
    await db.start()
    crypto = PgCryptoStore("@phigate:clinic.test", "pickle-key", db)
    await crypto.open()
    yield crypto
    await db.stop()


class Sender:
    def __init__(self) -> None:
        self.account = olm.Account()
        self.outbound = olm.OutboundGroupSession()
        self.first_key = self.outbound.session_key  # at index 0, before any message

    async def share_with(self, store: PgCryptoStore) -> None:
        keys = self.account.identity_keys
        inbound = InboundGroupSession(
            self.first_key,
            SigningKey(keys["ed25519"]),
            IdentityKey(keys["curve25519"]),
            RoomID(ROOM),
        )
        await store.put_group_session(
            RoomID(ROOM), IdentityKey(keys["curve25519"]), SessionID(inbound.id), inbound
        )

    def event(self, event_id: str, content: dict[str, Any], room: str = ROOM) -> dict[str, Any]:
        payload = {"type": "m.room.message", "content": content, "room_id": room}
        return {
            "event_id": event_id,
            "room_id": ROOM,
            "sender": "@pat:clinic.test",
            "type": "m.room.encrypted",
            "origin_server_ts": 1_800_000_000_000,
            "content": {
                "algorithm": "m.megolm.v1.aes-sha2",
                "ciphertext": self.outbound.encrypt(json.dumps(payload)),
                "session_id": self.outbound.id,
                "sender_key": self.account.identity_keys["curve25519"],
                "device_id": "PATDEVICE",
            },
        }


async def test_edit_outer_body_is_kept(store: PgCryptoStore) -> None:
    sender = Sender()
    await sender.share_with(store)
    content = {
        "msgtype": "m.text",
        "body": "* my SSN is 123-45-6789",
        "m.new_content": {"msgtype": "m.text", "body": "see you wednesday"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$orig"},
    }
    event_type, plain = await MegolmReader(store, no_wait).decrypt(
        sender.event("$e1", content), wait=0
    )
    assert event_type == "m.room.message" and plain == content


async def test_replayed_index_is_refused_also_after_restart(
    store: PgCryptoStore, tmp_path: Path
) -> None:
    sender = Sender()
    await sender.share_with(store)
    first = sender.event("$e1", {"msgtype": "m.text", "body": "hello"})
    reader = MegolmReader(store, no_wait)
    rows: list[MessageIndexRow] = []
    await reader.decrypt(first, wait=0, indices=rows)
    # A retried transaction: the same event again is fine, and its row is handed on again
    # (the first commit may have failed); the replay hands on nothing.
    await reader.decrypt(first, wait=0, indices=rows)
    replay = {**first, "event_id": "$replayed"}
    with pytest.raises(Undecryptable, match="replayed"):
        await reader.decrypt(replay, wait=0, indices=rows)
    assert len(rows) == 2 and rows[0] == rows[1] and rows[0][3] == "$e1"
    # Written through PHI Gate's own connection to the same database, as the gatekeeper does
    # with the audit records.
    engine = create_engine(database_url(tmp_path, "c.db"))
    try:
        async with engine.begin() as conn:
            await write_message_indices(conn, rows)
    finally:
        await engine.dispose()
    restarted = MegolmReader(store, no_wait)
    with pytest.raises(Undecryptable, match="replayed"):
        await restarted.decrypt(replay, wait=0)
    assert (await restarted.decrypt(first, wait=0))[1]["body"] == "hello"


async def test_missing_key_and_bad_events(store: PgCryptoStore) -> None:
    sender = Sender()
    reader = MegolmReader(store, no_wait)
    with pytest.raises(Undecryptable) as missing:
        await reader.decrypt(sender.event("$e1", {"body": "x"}), wait=0)
    assert missing.value.missing_key and missing.value.session_id == sender.outbound.id
    await sender.share_with(store)
    other_room = sender.event("$e2", {"body": "x"}, room="!elsewhere:clinic.test")
    with pytest.raises(Undecryptable, match="another room"):
        await reader.decrypt(other_room, wait=0)
    for broken in (
        {"room_id": ROOM, "content": "nope"},
        {"room_id": ROOM, "content": {"algorithm": "m.olm.v1", "ciphertext": "x"}},
        {
            **sender.event("$e3", {}),
            "content": {**sender.event("$e3", {})["content"], "ciphertext": "AAAA"},
        },
    ):
        with pytest.raises(Undecryptable):
            await reader.decrypt(broken, wait=0)


async def test_tampered_ciphertext_is_refused(store: PgCryptoStore) -> None:
    sender = Sender()
    await sender.share_with(store)
    event = sender.event("$e1", {"msgtype": "m.text", "body": "hello"})
    ciphertext = event["content"]["ciphertext"]
    # Flip one character inside the payload: the MAC (and signature) no longer match.
    i = len(ciphertext) // 2
    flipped = ciphertext[:i] + ("A" if ciphertext[i] != "A" else "B") + ciphertext[i + 1 :]
    tampered = {**event, "content": {**event["content"], "ciphertext": flipped}}
    with pytest.raises(Undecryptable, match="decryption failed"):
        await MegolmReader(store, no_wait).decrypt(tampered, wait=0)


async def test_key_from_a_later_index_then_the_full_key(store: PgCryptoStore) -> None:
    """A forwarded key that starts after a message cannot read it; once the full key is in
    the store, the same reader reads it (the failed session is not kept cached)."""
    sender = Sender()
    early = sender.event("$e0", {"msgtype": "m.text", "body": "first"})
    later = sender.event("$e1", {"msgtype": "m.text", "body": "second"})
    keys = sender.account.identity_keys
    partial = InboundGroupSession.import_session(
        olm.InboundGroupSession(sender.first_key).export_session(1),
        SigningKey(keys["ed25519"]),
        IdentityKey(keys["curve25519"]),
        RoomID(ROOM),
    )
    await store.put_group_session(
        RoomID(ROOM), IdentityKey(keys["curve25519"]), SessionID(partial.id), partial
    )
    reader = MegolmReader(store, no_wait)
    assert (await reader.decrypt(later, wait=0))[1]["body"] == "second"
    with pytest.raises(Undecryptable, match="decryption failed"):
        await reader.decrypt(early, wait=0)
    await sender.share_with(store)
    assert (await reader.decrypt(early, wait=0))[1]["body"] == "first"
