"""Signed checkpoints: the C2SP format, the file, and tamper tests on copies of a real log —
tail truncation, an emptied log, rollback to an older copy, a rewritten chain, an edited
checkpoint file, a wrong signing key — each named in one line."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import AuditKeyring, AuditLog
from bridge.audit.chain import GENESIS, encode_meta, record_hash
from bridge.audit.checkpoint import (
    Checkpoint,
    CheckpointFile,
    CheckpointSet,
    judge,
    read_checkpoints,
    split_notes,
    verify_anchored,
    witness_event_content,
    witness_notes,
)
from bridge.audit.checkpointer import Checkpointer, CheckpointRefused
from bridge.audit.signing import SigningKeys, rotate_signing_key

from .conftest import NOW, create_tables, execute, make_sqlite_engine, message, scalar

ORIGIN = "clinic.example/phigate-audit"


@pytest.fixture
def keys(tmp_path: Path) -> SigningKeys:
    return SigningKeys.load_or_create(tmp_path / "audit-signing.key", ORIGIN)


@pytest.fixture
def sink(tmp_path: Path) -> CheckpointFile:
    return CheckpointFile(tmp_path / "audit-checkpoints.txt")


def checkpointer(log: AuditLog, keys: SigningKeys, sink: CheckpointFile, **kw: Any) -> Checkpointer:
    return Checkpointer(log, keys, sink, clock=lambda: NOW + 10_000, **kw)


def sources(sink: CheckpointFile, keys: SigningKeys) -> list[CheckpointSet]:
    return [read_checkpoints(sink.read_notes(), keys.verifiers, ORIGIN, "the file")]


async def fill(log: AuditLog, start: int, n: int) -> None:
    await log.append([message(i) for i in range(start, start + n)])


async def cut_after(engine: AsyncEngine, seq: int) -> None:
    """What an attacker with write access does: drop records and their index rows."""
    for table in ("audit_record", "audit_party", "audit_token"):
        await execute(engine, f"DELETE FROM {table} WHERE seq > :s", s=seq)


async def rehash_from(engine: AsyncEngine, seq: int) -> None:
    """Re-hash the chain from ``seq`` on (no key needed), as after editing record ``seq``."""
    async with engine.begin() as conn:
        rows = list(
            await conn.execute(
                text(
                    "SELECT seq, recorded_ts, event_ts, party_count, kind, event_type, event_id,"
                    " room_id, sender, category, decision, details, key_id, sealed"
                    " FROM audit_record WHERE seq >= :s ORDER BY seq"
                ),
                {"s": seq},
            )
        )
        prev = (
            await conn.execute(text("SELECT hash FROM audit_record WHERE seq = :s"), {"s": seq - 1})
        ).scalar() or GENESIS
        for row in rows:
            meta = encode_meta(*row[:13])
            digest = record_hash(bytes(prev), meta, bytes(row[13]))
            await conn.execute(
                text("UPDATE audit_record SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": bytes(prev), "h": digest, "s": row[0]},
            )
            prev = digest


# ---------------------------------------------------------------- format


def test_checkpoint_body_follows_tlog_checkpoint() -> None:
    head = bytes(range(32))
    cp = Checkpoint(ORIGIN, 1234, head, NOW)
    assert cp.body() == f"{ORIGIN}\n1234\n{base64.b64encode(head).decode()}\ntimestamp {NOW}\n"
    assert Checkpoint.parse(cp.body()) == cp
    again = Checkpoint(ORIGIN, 0, GENESIS, NOW, reanchored=True)
    assert again.body().endswith("\nreanchored\n") and Checkpoint.parse(again.body()) == again


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n12\nAAAA\ntimestamp 1\n",  # hash not 32 bytes
        f"{ORIGIN}\n012\n{base64.b64encode(bytes(32)).decode()}\ntimestamp 1\n",  # leading 0
        f"{ORIGIN}\n12\n{base64.b64encode(bytes(32)).decode()}\n",  # no timestamp
        f"{ORIGIN}\n0\n{base64.b64encode(b'x' * 32).decode()}\ntimestamp 1\n",  # empty ≠ zeros
    ],
)
def test_bad_checkpoint_bodies(body: str) -> None:
    with pytest.raises(ValueError):
        Checkpoint.parse(body)


def test_the_file_holds_notes_one_after_another(sink: CheckpointFile, keys: SigningKeys) -> None:
    from bridge.audit.signed_note import sign_note

    notes = [
        sign_note(Checkpoint(ORIGIN, n, os.urandom(32), NOW).body(), [keys.signer]) for n in (1, 5)
    ]
    for note in notes:
        sink.append(note)
    assert sink.read_notes() == notes
    assert split_notes(sink.path.read_text()) == notes
    assert CheckpointFile(sink.path.with_name("none")).read_notes() == []


# ---------------------------------------------------------------- judging (pure)


def _cps(*sizes: int) -> list[Checkpoint]:
    return [Checkpoint(ORIGIN, s, bytes([s]) * 32, NOW + s) for s in sizes]


def test_judge_names_each_case() -> None:
    cps = _cps(10, 20)
    good = {10: bytes([10]) * 32, 20: bytes([20]) * 32}
    assert judge(cps, 25, good, 20).ok
    assert judge(cps, 20, good, 20).problem is None
    assert judge(cps, 15, {10: good[10]}, 20).problem == "truncated"
    assert judge(cps, 15, {10: good[10]}, 10).problem == "rollback"  # DB knows no later cp
    assert judge(cps, 0, {}, 20).problem == "emptied"
    assert judge(cps, 25, {10: good[10], 20: b"x" * 32}, 20).problem == "rewritten"
    assert judge(cps, 25, {10: good[10], 20: b"x" * 32}, 10).problem == "rollback"  # forked copy
    assert judge(cps, 25, {10: b"y" * 32, 20: b"x" * 32}, 20).problem == "rewritten"


# ---------------------------------------------------------------- tamper tests on a real log


async def signed_log(log: AuditLog, keys: SigningKeys, sink: CheckpointFile) -> Checkpointer:
    """20 records, checkpointed at 10 and at 20."""
    signer = checkpointer(log, keys, sink)
    await fill(log, 1, 10)
    assert (await signer.checkpoint()) is not None
    await fill(log, 11, 10)
    cp = await signer.checkpoint()
    assert cp is not None and cp.size == 20
    return signer


async def test_an_intact_log_matches_its_checkpoint(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    await fill(log, 21, 3)  # appended after the last checkpoint: still fine
    report = await verify_anchored(log, sources(sink, keys))
    assert report.ok, report.message
    assert "holds all the checkpoint of" in report.message and "(size 20)" in report.message


async def test_without_checkpoints_verify_says_truncation_is_not_covered(log: AuditLog) -> None:
    await fill(log, 1, 3)
    report = await verify_anchored(log, [])
    assert report.ok and "no signed checkpoint yet" in report.message


async def test_tail_truncation_is_named(
    log: AuditLog, engine: AsyncEngine, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    await cut_after(engine, 15)
    assert (await log.verify()).ok  # the chain alone cannot see it
    report = await verify_anchored(log, sources(sink, keys))
    assert not report.ok and report.problem == "truncated"
    assert report.message.startswith("TRUNCATED: records 16–20 were deleted from the end")
    assert "\n" not in report.message


async def test_an_emptied_log_is_named(
    log: AuditLog, engine: AsyncEngine, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    await cut_after(engine, 0)
    report = await verify_anchored(log, sources(sink, keys))
    assert (report.ok, report.problem) == (False, "emptied")
    assert "has no records but the checkpoint of" in report.message


async def test_a_rewritten_chain_is_named(
    log: AuditLog, engine: AsyncEngine, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    await execute(engine, "UPDATE audit_record SET decision = 'block' WHERE seq = 5")
    await rehash_from(engine, 5)
    report = await verify_anchored(log, sources(sink, keys))
    assert (report.ok, report.problem) == (False, "rewritten")
    assert report.message.startswith("REWRITTEN: record 10's hash differs from the checkpoint")
    assert "record 5 fails authentication" in report.message  # the chain's own finding too


async def test_rollback_to_an_older_copy_is_named(tmp_path: Path, keyring: AuditKeyring) -> None:
    db = tmp_path / "live.db"
    engine = make_sqlite_engine(db)
    await create_tables(engine)
    log = await AuditLog.open(engine, keyring, now_ms=NOW)
    keys = SigningKeys.load_or_create(tmp_path / "sign.key", ORIGIN)
    sink = CheckpointFile(tmp_path / "cps.txt")
    signer = checkpointer(log, keys, sink)
    await fill(log, 1, 10)
    await signer.checkpoint()
    backup = tmp_path / "backup.db"
    with sqlite3.connect(db) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)  # the nightly copy, taken right after the checkpoint of size 10
    await fill(log, 11, 10)
    await signer.checkpoint()
    await engine.dispose()

    with sqlite3.connect(backup) as src, sqlite3.connect(db) as dst:
        src.backup(dst)  # restored
    engine = make_sqlite_engine(db)
    try:
        log = await AuditLog.open(engine, keyring, now_ms=NOW)
        report = await verify_anchored(log, sources(sink, keys))
        assert (report.ok, report.problem) == (False, "rollback")
        assert report.message.startswith(
            "ROLLBACK: the database is an older copy ending at record 10"
        )

        # PHI Gate restarted on the copy and wrote on: still a rollback, now a fork.
        await fill(log, 100, 15)
        report = await verify_anchored(log, sources(sink, keys))
        assert (report.ok, report.problem) == (False, "rollback")
        assert "agrees up to record 10 and differs from the checkpoint of" in report.message
        # ...and the checkpointer refuses to sign the forked head.
        with pytest.raises(CheckpointRefused):
            await checkpointer(log, keys, sink).checkpoint()
    finally:
        await engine.dispose()


async def test_an_edited_checkpoint_file_is_named(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    sink.path.write_text(sink.path.read_text().replace("\n20\n", "\n19\n"))
    report = await verify_anchored(log, sources(sink, keys))
    assert (report.ok, report.problem) == (False, "bad checkpoint")
    assert report.message.startswith("checkpoint 2 of 2 in the file fails its signature (edited)")


async def test_a_checkpoint_under_a_wrong_key_is_named(
    log: AuditLog, tmp_path: Path, sink: CheckpointFile
) -> None:
    other = SigningKeys.load_or_create(tmp_path / "other.key", ORIGIN)
    await signed_log(log, other, sink)  # signed by a key this deployment does not have
    ours = SigningKeys.load_or_create(tmp_path / "ours.key", ORIGIN)
    report = await verify_anchored(log, sources(sink, ours))
    assert (report.ok, report.problem) == (False, "bad checkpoint")
    assert "is signed by no known PHI Gate signing key" in report.message


async def test_a_checkpoint_of_another_log_is_refused(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await signed_log(log, keys, sink)
    found = read_checkpoints(sink.read_notes(), keys.verifiers, "other.example/log", "f")
    assert not found.checkpoints and "is for log" in found.problems[0]


# ---------------------------------------------------------------- the checkpointer


async def test_checkpointer_signs_at_interval_and_at_stop_and_feeds_the_witness(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile, engine: AsyncEngine
) -> None:
    seen: list[str] = []

    async def witness(note: str) -> None:
        seen.append(note)

    signer = checkpointer(log, keys, sink, witness=witness, interval_s=0.02)
    await signer.start()
    await fill(log, 1, 5)
    for _ in range(200):
        if seen:
            break
        await asyncio.sleep(0.01)
    assert len(seen) == 1 and "\n5\n" in seen[0]
    await asyncio.sleep(0.1)
    assert len(seen) == 1  # nothing appended: nothing signed
    await fill(log, 6, 2)
    await signer.stop()
    assert "\n7\n" in seen[-1]
    assert sink.read_notes()[-1] == seen[-1]
    content = witness_event_content(seen[-1])
    assert (content["size"], content["origin"], content["checkpoint"]) == (7, ORIGIN, seen[-1])
    # What an admin copies back out of the control room reads as the notes again.
    event = {"type": "org.phigate.checkpoint", "state_key": "", "content": content}
    assert witness_notes(json.dumps([event, content])) == [seen[-1], seen[-1]]
    assert witness_notes(seen[-1]) == [seen[-1]]
    assert await scalar(engine, "SELECT max(size) FROM audit_checkpoint") == 7


async def test_a_failed_witness_gets_the_note_again(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile
) -> None:
    calls: list[str] = []

    async def flaky(note: str) -> None:
        calls.append(note)
        if len(calls) == 1:
            raise ConnectionError("homeserver away")

    signer = checkpointer(log, keys, sink, witness=flaky)
    await fill(log, 1, 2)
    await signer.checkpoint()
    assert await signer.checkpoint() is None  # nothing new, but the note is offered again
    assert len(calls) == 2 and calls[0] == calls[1]


async def test_checkpointer_stops_on_a_truncated_log_and_alerts_once(
    log: AuditLog, engine: AsyncEngine, keys: SigningKeys, sink: CheckpointFile
) -> None:
    alerts: list[str] = []

    async def alert(text: str) -> None:
        alerts.append(text)

    await signed_log(log, keys, sink)
    await cut_after(engine, 12)
    signer = checkpointer(log, keys, sink, alert=alert)
    for _ in range(2):
        with pytest.raises(CheckpointRefused):
            await signer.checkpoint()
    assert len(alerts) == 1 and "record 20 is missing" in alerts[0]
    assert len(sink.read_notes()) == 2  # nothing signed

    # An admin who restored on purpose re-anchors; verify then judges by the new anchor.
    cp = await signer.checkpoint(reanchor=True)
    assert cp is not None and cp.reanchored and cp.size == 12
    report = await verify_anchored(log, sources(sink, keys))
    assert report.ok, report.message


async def test_checkpointer_refuses_records_added_without_the_key(
    log: AuditLog, engine: AsyncEngine, keys: SigningKeys, sink: CheckpointFile
) -> None:
    signer = checkpointer(log, keys, sink)
    await fill(log, 1, 3)
    await signer.checkpoint()
    await fill(log, 4, 2)
    # Record 5 is replaced by a forgery whose hash is right but whose tag cannot be.
    await execute(
        engine, "UPDATE audit_record SET decision = 'allow', sender = '@x:y' WHERE seq = 5"
    )
    await rehash_from(engine, 5)
    with pytest.raises(CheckpointRefused, match="record 5 fails authentication"):
        await signer.checkpoint()


async def test_signing_key_rotation_keeps_old_checkpoints_valid(
    log: AuditLog, tmp_path: Path, sink: CheckpointFile
) -> None:
    path = tmp_path / "audit-signing.key"
    old = SigningKeys.load_or_create(path, ORIGIN)
    await signed_log(log, old, sink)
    rotate_signing_key(path)
    new = SigningKeys.load(path, ORIGIN)
    assert new.vkey != old.vkey and [v.vkey for v in new.verifiers][1] == old.vkey
    await fill(log, 21, 1)
    cp = await checkpointer(log, new, sink).checkpoint(cosigners=[old.signer])
    assert cp is not None
    assert cp.note.count("\u2014 ") == 2  # the first note under the new key, vouched by the old
    report = await verify_anchored(log, sources(sink, new))
    assert report.ok, report.message
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_two_heads_for_one_size_contradict(keys: SigningKeys) -> None:
    from bridge.audit.signed_note import sign_note

    notes = [
        sign_note(Checkpoint(ORIGIN, 7, head, NOW).body(), [keys.signer])
        for head in (b"a" * 32, b"b" * 32)
    ]
    found = read_checkpoints(notes, keys.verifiers, ORIGIN, "f")
    assert found.problems == (
        "f: two checkpoints of size 7 sign different heads (checkpoints contradict each other)",
    )
    # Written out of order by two processes is fine: the largest is the newest.
    later = [
        sign_note(Checkpoint(ORIGIN, n, bytes([n]) * 32, NOW).body(), [keys.signer]) for n in (9, 8)
    ]
    ordered = read_checkpoints(later, keys.verifiers, ORIGIN, "f")
    assert not ordered.problems and ordered.newest is not None and ordered.newest.size == 9
