"""AuditLog against a real database: append, verify and tampering, keys, concurrency."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bridge.audit import (
    AuditEntry,
    AuditFilter,
    AuditKeyring,
    AuditLog,
    Counterparty,
    RecordKind,
    generate_key_file,
    old_keys_dir,
    rotate_key_file,
)
from bridge.audit.chain import GENESIS, META_COLUMNS, encode_meta
from bridge.audit.models import record_table
from bridge.errors import AuditIntegrityError, AuditKeyError

from .conftest import NOW, create_tables, execute, make_sqlite_engine, message, scalar


async def fill(log: AuditLog, n: int = 10) -> list[int]:
    return await log.append([message(i) for i in range(1, n + 1)])


async def counts(engine: AsyncEngine) -> tuple[int, int, int]:
    return (
        await scalar(engine, "SELECT count(*) FROM audit_record"),
        await scalar(engine, "SELECT count(*) FROM audit_party"),
        await scalar(engine, "SELECT count(*) FROM audit_keys"),
    )


# ---------------------------------------------------------------- append / verify


async def test_append_and_verify_round_trip(log: AuditLog) -> None:
    empty = await log.verify()
    assert empty.ok and empty.count == 0 and empty.head_seq == 0

    assert await fill(log, 5) == [1, 2, 3, 4, 5]
    assert await log.append_one(message(6)) == 6
    assert await log.append([]) == []

    report = await log.verify()
    assert report.ok, report.message
    assert (report.count, report.first_bad_seq, report.problem) == (6, None, None)
    assert report.head_seq == 6 and report.head_hash == log.head[1]
    assert "intact" in report.message and "6 records" in report.message
    report.raise_if_bad()
    deep = await log.verify(deep=True)
    assert deep.ok, deep.message


async def test_records_read_back_as_appended(log: AuditLog) -> None:
    entries = [
        message(1, patient="@pat:patients.example"),
        AuditEntry(
            kind=RecordKind.TRANSITION,
            recorded_ts=NOW + 5,
            event_type="org.phigate.baa_transition",
            sender="@admin:clinic.example",
            sender_kind="admin",
            decision="applied",
            reason="signed BAA received — Überweisung",
            subject_vendor="acme",
            content={"from": "Pending", "to": "Active"},
        ),
        AuditEntry(kind=RecordKind.SYSTEM, recorded_ts=NOW + 6, event_type="org.phigate.start"),
    ]
    await log.append(entries)
    records = await log.query(AuditFilter(limit=None), with_content=True)
    assert [r.seq for r in records] == [3, 2, 1]
    for record, entry in zip(reversed(records), entries, strict=True):
        assert record.to_entry() == entry
        assert record.content_loaded and record.key_id == log.keyring.primary_id
    first = records[-1]
    assert first.prev_hash == GENESIS.hex()
    assert records[-2].prev_hash == first.hash
    without = (await log.query(AuditFilter(limit=1)))[0]
    assert without.content is None and not without.content_loaded
    assert await log.content_of(without) == entries[2].content


async def test_metadata_is_sanitised_and_still_verifies(log: AuditLog) -> None:
    entry = message(1, body="x")
    weird = AuditEntry(
        kind="command",  # type: ignore[arg-type]  # plain strings are accepted
        recorded_ts=NOW,
        event_type="org.phigate.command",
        sender="@a\x00b:x",
        room_id="!r\x1f:x",
        reason="tab\tnewline\n nul\x00 sep\x1f surrogate\ud800",
    )
    await log.append([entry, weird])
    report = await log.verify(deep=True)
    assert report.ok, report.message
    record = (await log.query(AuditFilter(limit=1)))[0]
    assert record.kind is RecordKind.COMMAND
    assert record.sender == "@a\ufffdb:x" and record.room_id == "!r\ufffd:x"
    assert record.reason == "tab\tnewline\n nul\x00 sep\x1f surrogate\ud800"


async def test_invalid_entries_rejected_and_nothing_written(
    log: AuditLog, engine: AsyncEngine
) -> None:
    await fill(log, 2)
    before = await counts(engine)
    with pytest.raises(ValueError):
        await log.append([message(3), message(4, category="secret")])
    with pytest.raises(ValueError):
        await log.append([AuditEntry(kind="nonsense", recorded_ts=1, event_type="x")])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await log.append([AuditEntry(kind=RecordKind.EVENT, recorded_ts=1, event_type="x",
                                     content={"x": object()})])  # fmt: skip
    assert await counts(engine) == before
    assert await log.append_one(message(3)) == 3


# ---------------------------------------------------------------- tampering


async def test_edited_metadata_field_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(engine, "UPDATE audit_record SET category = 'non_phi' WHERE seq = 4")
    report = await log.verify()
    assert not report.ok
    assert (report.first_bad_seq, report.problem, report.count) == (4, "edited", 3)
    assert "record 4" in report.message
    with pytest.raises(AuditIntegrityError, match="record 4"):
        report.raise_if_bad()


async def test_edited_details_json_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(engine, "UPDATE audit_record SET details = '{}' WHERE seq = 7")
    report = await log.verify()
    assert (report.first_bad_seq, report.problem) == (7, "edited")


async def test_edit_beyond_the_first_batch_named(log: AuditLog, engine: AsyncEngine) -> None:
    # verify hashes whole batches at a time and walks a failing batch row by row.
    await log.append([message(i) for i in range(1, 701)])
    assert (await log.verify()).ok
    await execute(engine, "UPDATE audit_record SET sender = '@x:y' WHERE seq = 613")
    report = await log.verify()
    assert (report.first_bad_seq, report.problem, report.count) == (613, "edited", 612)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # on either run
@pytest.mark.parametrize(
    "edit",
    [
        "room_id = CAST(room_id AS BLOB)",  # the same bytes, but read back as bytes
        "recorded_ts = CAST(CAST(recorded_ts AS TEXT) AS BLOB)",
        "details = details || char(0) || 'tail'",  # printf() would stop at the NUL
        "decision = CAST(decision AS BLOB)",
    ],
)
async def test_sqlite_value_types_checked(log: AuditLog, engine: AsyncEngine, edit: str) -> None:
    # SQLite renders the metadata encoding itself for verify; a value it would render as
    # the original bytes but that does not read back as the original is still an edit.
    # (SQLite stores any type in any column; PostgreSQL's columns refuse these edits.)
    await fill(log)
    await execute(engine, f"UPDATE audit_record SET {edit} WHERE seq = 5")
    report = await log.verify()
    assert (report.first_bad_seq, report.problem) == (5, "edited")


async def test_edited_ciphertext_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    async with engine.begin() as conn:
        sealed = (
            await conn.execute(select(record_table.c.sealed).where(record_table.c.seq == 5))
        ).scalar_one()
        flipped = sealed[:20] + bytes([sealed[20] ^ 1]) + sealed[21:]
        await conn.execute(
            update(record_table).where(record_table.c.seq == 5).values(sealed=flipped)
        )
    report = await log.verify()
    assert (report.first_bad_seq, report.problem) == (5, "edited")
    record = (await log.query(AuditFilter(limit=None)))[5]  # newest first: seq 5
    with pytest.raises(AuditIntegrityError, match="record 5"):
        await log.content_of(record)


async def test_edited_hash_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    async with engine.begin() as conn:
        await conn.execute(
            update(record_table).where(record_table.c.seq == 2).values(hash=os.urandom(32))
        )
    report = await log.verify()
    assert (report.first_bad_seq, report.problem) == (2, "edited")


async def test_deleted_middle_record_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(engine, "DELETE FROM audit_record WHERE seq = 6")
    report = await log.verify()
    assert (report.first_bad_seq, report.problem, report.count) == (6, "deleted", 5)
    assert "record 6 is missing" in report.message and "next record is 7" in report.message


async def test_deleted_first_record_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log, 3)
    await execute(engine, "DELETE FROM audit_record WHERE seq = 1")
    report = await log.verify()
    # Missing at the front, and no prune (bridge.audit.retention) accounts for it.
    assert (report.first_bad_seq, report.problem) == (1, "front-truncated")


async def test_swapped_records_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(engine, "UPDATE audit_record SET seq = -3 WHERE seq = 3")
    await execute(engine, "UPDATE audit_record SET seq = 3 WHERE seq = 8")
    await execute(engine, "UPDATE audit_record SET seq = 8 WHERE seq = -3")
    report = await log.verify()
    assert (report.first_bad_seq, report.problem) == (3, "reordered")
    assert "does not follow record 2" in report.message


async def test_rehashed_forgery_detected_by_tag(log: AuditLog, engine: AsyncEngine) -> None:
    """Someone without the key edits record 4 and recomputes every later hash: the hash
    chain is consistent again, but the tags (which cover prev_hash) are not."""
    await fill(log)
    await execute(engine, "UPDATE audit_record SET decision = 'block' WHERE seq = 4")
    cols = record_table.c
    async with engine.begin() as conn:
        rows = (await conn.execute(select(record_table).order_by(cols.seq))).all()
        prev = GENESIS
        for row in rows:
            m = encode_meta(*(row._mapping[c] for c in META_COLUMNS))
            digest = hashlib.sha256(prev + len(m).to_bytes(8, "big") + m + row.sealed).digest()
            await conn.execute(
                update(record_table).where(cols.seq == row.seq).values(prev_hash=prev, hash=digest)
            )
            prev = digest
    report = await log.verify()
    assert not report.ok
    assert (report.first_bad_seq, report.problem) == (4, "edited")
    assert "fails authentication" in report.message


async def test_tampered_query_index_detected(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(engine, "DELETE FROM audit_party WHERE seq = 5 AND party_key = 'v:acme'")
    report = await log.verify()
    assert (report.ok, report.problem, report.first_bad_seq) == (False, "index", None)
    deep = await log.verify(deep=True)
    assert (deep.ok, deep.problem, deep.first_bad_seq) == (False, "index", 5)


async def test_edited_query_index_found_by_deep_verify(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    await execute(
        engine,
        "UPDATE audit_party SET party_key = 'v:other' WHERE seq = 8 AND party_key = 'v:acme'",
    )
    assert (await log.verify()).ok  # same row count: only the deep check sees it
    deep = await log.verify(deep=True)
    assert (deep.problem, deep.first_bad_seq) == ("index", 8)


async def test_verify_on_sqlite_without_file_path(tmp_path: Path, keyring: AuditKeyring) -> None:
    """The generic (non-SQLite-file) walk checks the same things."""
    engine = make_sqlite_engine(tmp_path / "b.db")
    await create_tables(engine)
    log = await AuditLog.open(engine, keyring, now_ms=NOW)
    await fill(log)
    await execute(engine, "DELETE FROM audit_record WHERE seq = 6")
    from bridge.audit import log as log_module

    original = log_module._sqlite_file
    log_module._sqlite_file = lambda _engine: None  # type: ignore[assignment]
    try:
        report = await log.verify()
    finally:
        log_module._sqlite_file = original
    assert (report.first_bad_seq, report.problem) == (6, "deleted")
    await engine.dispose()


# ---------------------------------------------------------------- keys


async def test_wrong_key_refused_and_nothing_written(
    engine: AsyncEngine, log: AuditLog, tmp_path: Path
) -> None:
    await fill(log, 3)
    before = await counts(engine)
    other = tmp_path / "other.key"
    generate_key_file(other)
    with pytest.raises(AuditKeyError) as err:
        await AuditLog.open(engine, AuditKeyring.load(other), now_ms=NOW)
    message_ = str(err.value)
    assert message_.startswith("audit key does not match")
    assert str(other) in message_ and "\n" not in message_
    assert await counts(engine) == before


async def test_fresh_database_accepts_any_key(engine: AsyncEngine, tmp_path: Path) -> None:
    path = tmp_path / "k"
    generate_key_file(path)
    ring = AuditKeyring.load(path)
    await AuditLog.open(engine, ring, now_ms=NOW)
    await AuditLog.open(engine, ring, now_ms=NOW + 1)  # registering is idempotent
    rows = await scalar(engine, "SELECT count(*) FROM audit_keys")
    assert rows == 1


async def test_altered_key_check_refused(engine: AsyncEngine, log: AuditLog) -> None:
    await fill(log, 1)
    await execute(engine, "UPDATE audit_keys SET key_check = :x", x=os.urandom(60))
    with pytest.raises(AuditKeyError, match="check value"):
        await AuditLog.open(engine, log.keyring, now_ms=NOW)


async def test_key_rotation(engine: AsyncEngine, key_file: Path) -> None:
    first = await AuditLog.open(engine, AuditKeyring.load(key_file), now_ms=NOW)
    await first.append([message(1), message(2)])
    old_id = first.keyring.primary_id

    new_id = rotate_key_file(key_file)
    ring = AuditKeyring.load(key_file)
    second = await AuditLog.open(engine, ring, now_ms=NOW + 10)
    await second.append([message(3)])
    assert await scalar(engine, "SELECT count(*) FROM audit_keys") == 2

    records = await second.query(AuditFilter(limit=None), with_content=True)
    assert [(r.seq, r.key_id) for r in records] == [(3, new_id), (2, old_id), (1, old_id)]
    assert records[2].content == message(1).content
    assert (await second.verify()).ok
    assert (await second.verify(deep=True)).ok  # every tag checked, under both keys

    # Without the old key's file the old records cannot be authenticated or decrypted…
    only_new = AuditKeyring(key_file.read_bytes())
    third = await AuditLog.open(engine, only_new, now_ms=NOW + 20)  # newest records: ok
    assert (await third.verify()).ok  # the tail is under the new key
    deep = await third.verify(deep=True)
    assert (deep.problem, deep.first_bad_seq) == ("bad key", 1)
    with pytest.raises(AuditKeyError, match=old_id):
        await third.query(AuditFilter(limit=None), with_content=True)

    # …and with only the old key the log refuses nothing: it is still a known key.
    for child in old_keys_dir(key_file).iterdir():
        assert AuditKeyring(child.read_bytes()).primary_id == old_id


async def test_rotation_without_old_key_is_a_wrong_key(engine: AsyncEngine, log: AuditLog) -> None:
    await fill(log, 2)
    before = await counts(engine)
    with pytest.raises(AuditKeyError, match="does not match"):
        await AuditLog.open(engine, AuditKeyring(os.urandom(32)), now_ms=NOW)
    assert await counts(engine) == before


# ---------------------------------------------------------------- at rest


# Both look at, or share, the SQLite file itself: SQLite only, whatever backends are configured.
SQLITE_ONLY = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_no_plaintext_content_in_database_file(
    log: AuditLog, engine: AsyncEngine, db_path: Path
) -> None:
    marker = "PLAINTEXT-MARKER-7f3a9c Jane Doe SSN 123-45-6789"
    await log.append([message(i, body=f"{marker} #{i}") for i in range(1, 50)])
    files = [p for p in db_path.parent.glob(db_path.name + "*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)
    for path in files:
        data = path.read_bytes()
        assert marker.encode() not in data, path
        assert b"123-45-6789" not in data, path
    # The metadata (non-content) is there, as expected.
    assert b"m.room.message" in b"".join(p.read_bytes() for p in files)
    await engine.dispose()  # checkpoint the WAL into the main file and check again
    assert marker.encode() not in db_path.read_bytes()


# ---------------------------------------------------------------- concurrency


async def test_concurrent_appends_in_one_instance_are_serialised(log: AuditLog) -> None:
    results = await asyncio.gather(*(log.append([message(i), message(i + 100)]) for i in range(20)))
    seqs = sorted(s for r in results for s in r)
    assert seqs == list(range(1, 41))
    assert (await log.verify()).ok


@SQLITE_ONLY
async def test_second_writer_on_same_database_does_not_fork_chain(
    db_path: Path, log: AuditLog, keyring: AuditKeyring, engine: AsyncEngine
) -> None:
    await fill(log, 3)
    other_engine = make_sqlite_engine(db_path)  # stands in for the CLI in another process
    other = await AuditLog.open(other_engine, keyring, now_ms=NOW)
    # Both caches say the tail is 3; whoever commits second collides and retries.
    assert await other.append_one(message(4)) == 4
    assert await log.append_one(message(5)) == 5  # stale tail: reload and retry

    async def writer(al: AuditLog, base: int) -> list[int]:
        out: list[int] = []
        for i in range(15):
            out += await al.append([message(base + i), message(base + i + 1000)])
        return out

    first, second = await asyncio.gather(writer(log, 10), writer(other, 5000))
    assert len(set(first) | set(second)) == 60
    report = await log.verify()
    assert report.ok and report.count == 65
    await other_engine.dispose()


async def test_verify_while_appending(log: AuditLog) -> None:
    """Records appended during a verify are neither checked nor mistaken for index damage."""
    await log.append([message(i) for i in range(1, 3001)])

    async def keep_appending() -> None:
        for i in range(20):
            await log.append([message(10_000 + i * 10 + j) for j in range(10)])
            await asyncio.sleep(0)

    reports = await asyncio.gather(log.verify(), keep_appending(), log.verify(deep=True))
    for report in (reports[0], reports[2]):
        assert report.ok, report.message
        assert report.count >= 3000
    assert (await log.verify()).count == 3200


# ---------------------------------------------------------------- has_events


async def test_has_events(log: AuditLog) -> None:
    await log.append([message(1), message(2)])
    decision = AuditEntry(
        kind=RecordKind.DECISION,
        recorded_ts=NOW,
        event_type="m.room.message",
        event_id="$decided-only",
        event_ts=NOW - 3,
        decision="block",
    )
    await log.append_one(decision)
    e1, e2 = message(1), message(2)
    assert e1.event_ts is not None and e2.event_ts is not None
    pairs = {
        "$event1": e1.event_ts,
        "$event2": e2.event_ts,
        "$new": NOW,
        "$decided-only": NOW - 3,
    }
    assert await log.has_events(pairs) == {"$event1", "$event2"}
    assert await log.has_events(list(pairs.items())) == {"$event1", "$event2"}
    # Plain IDs work too (slower: a scan of the event index).
    assert await log.has_events(["$event1", "$nope", "$decided-only"]) == {"$event1"}
    assert await log.has_events([]) == set()
    many = {f"$x{i}": i for i in range(1200)} | {"$event2": e2.event_ts}
    assert await log.has_events(many) == {"$event2"}


async def test_has_events_needs_the_matching_timestamp(log: AuditLog) -> None:
    await log.append_one(message(1))
    assert await log.has_events({"$event1": 12345}) == set()


def test_counterparty_is_hashable() -> None:
    one, two = (Counterparty("@a:b", "vendor", "v", "Active") for _ in range(2))
    assert len({one, two}) == 1


async def test_unicode_metadata_round_trips(engine: AsyncEngine, log: AuditLog) -> None:
    await log.append_one(message(1, room="!ünïcødé😀:clinic.example", sender="@ß:clinic.example"))
    assert (await log.verify()).ok
    rows = await log.query(AuditFilter(room="!ünïcødé😀:clinic.example"))
    assert [r.sender for r in rows] == ["@ß:clinic.example"]
    assert await scalar(engine, "SELECT count(*) FROM audit_record WHERE room_id = :r",
                        r="!ünïcødé😀:clinic.example") == 1  # fmt: skip


async def test_also_commits_with_the_records_or_not_at_all(
    log: AuditLog, engine: AsyncEngine
) -> None:
    async def side_row(conn: AsyncConnection) -> None:
        await conn.execute(text("INSERT INTO side VALUES (1)"))

    async def side_row_then_fail(conn: AsyncConnection) -> None:
        await side_row(conn)
        raise RuntimeError("disk full")

    await execute(engine, "CREATE TABLE side (n INTEGER)")
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            await log.append([message(1)], also=side_row_then_fail)
        assert await scalar(engine, "SELECT count(*) FROM audit_record") == 0
        assert await scalar(engine, "SELECT count(*) FROM side") == 0
        assert await log.append([message(1)], also=side_row) == [1]
        assert await scalar(engine, "SELECT count(*) FROM side") == 1
        # Nothing to record but the side writes: they still commit.
        assert await log.append([], also=side_row) == []
        assert await scalar(engine, "SELECT count(*) FROM side") == 2
        assert (await log.verify()).ok
    finally:  # a PostgreSQL scratch database outlives the test
        await execute(engine, "DROP TABLE side")
