"""The fast verify walk of a large SQLite log in a child process with APSW
(bridge.audit.sqlite_walk): it reports exactly what the walk in PHI Gate's own process
reports, on an intact log and on each kind of tampering, and a child that fails changes
nothing but the speed. SQLite on either run (PostgreSQL never uses the child)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import AuditLog, VerifyReport, sqlite_walk
from bridge.audit.chain import META_COLUMNS, encode_meta, record_hash
from bridge.audit.models import record_table
from bridge.audit.period import Retention
from bridge.audit.retention import prune
from bridge.audit.walk import ChainWalk, SqliteWalkSql

from .conftest import NOW, execute, message

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


@pytest.fixture
def child_results(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each walk the child was asked for came back from the child."""
    results: list[bool] = []
    original = sqlite_walk.walk_in_child

    async def recorded(walk: ChainWalk, path: str, sql: SqliteWalkSql) -> bool:
        done = await original(walk, path, sql)
        results.append(done)
        return done

    monkeypatch.setattr(sqlite_walk, "walk_in_child", recorded)
    yield results


async def both_ways(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> VerifyReport:
    """Verify in-process and in the child; assert the child ran and agreed."""
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 10**12)
    here = await log.verify()
    assert child_results == []
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 0)
    there = await log.verify()
    assert child_results == [True]
    assert there == here
    return there


async def test_intact_log_same_report(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    await log.append([message(i) for i in range(1, 701)])  # past the first batch
    report = await both_ways(log, monkeypatch, child_results)
    assert report.ok and report.count == 700 and report.head_hash


@pytest.mark.parametrize(
    ("edit", "seq", "problem"),
    [
        ("UPDATE audit_record SET category = 'non_phi' WHERE seq = 4", 4, "edited"),
        ("UPDATE audit_record SET sender = '@x:y' WHERE seq = 613", 613, "edited"),
        ("UPDATE audit_record SET details = details || char(0) || 'x' WHERE seq = 5", 5, "edited"),
        ("UPDATE audit_record SET room_id = CAST(room_id AS BLOB) WHERE seq = 6", 6, "edited"),
        ("UPDATE audit_record SET hash = randomblob(32) WHERE seq = 2", 2, "edited"),
        ("DELETE FROM audit_record WHERE seq = 300", 300, "deleted"),
        ("DELETE FROM audit_record WHERE seq > 690", None, None),  # truncation: checkpoints' job
        ("DELETE FROM audit_party WHERE seq = 5", None, "index"),
    ],
)
async def test_tampering_same_report(
    log: AuditLog,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    child_results: list[bool],
    edit: str,
    seq: int | None,
    problem: str | None,
) -> None:
    await log.append([message(i) for i in range(1, 701)])
    await execute(engine, edit)
    report = await both_ways(log, monkeypatch, child_results)
    assert (report.first_bad_seq, report.problem) == (seq, problem)
    assert report.ok == (problem is None)


async def test_swapped_records_same_report(
    log: AuditLog, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    await log.append([message(i) for i in range(1, 11)])
    await execute(engine, "UPDATE audit_record SET seq = -3 WHERE seq = 3")
    await execute(engine, "UPDATE audit_record SET seq = 3 WHERE seq = 8")
    await execute(engine, "UPDATE audit_record SET seq = 8 WHERE seq = -3")
    report = await both_ways(log, monkeypatch, child_results)
    assert (report.first_bad_seq, report.problem) == (3, "reordered")


async def test_rehashed_tail_fails_its_tag_after_the_child(
    log: AuditLog, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    """The child knows no key: the tail tag it hands back is checked in PHI Gate's process."""
    await log.append([message(i) for i in range(1, 11)])
    # A forger edits the last record and re-hashes it (no key needed for the hash).
    await execute(engine, "UPDATE audit_record SET decision = 'block' WHERE seq = 10")
    async with engine.begin() as conn:
        row = (await conn.execute(select(record_table).where(record_table.c.seq == 10))).one()
        meta = encode_meta(*(row._mapping[c] for c in META_COLUMNS))
        forged = record_hash(row.prev_hash, meta, row.sealed)
        await conn.execute(update(record_table).where(record_table.c.seq == 10).values(hash=forged))
    report = await both_ways(log, monkeypatch, child_results)
    assert (report.first_bad_seq, report.problem) == (10, "edited")
    assert "fails authentication" in report.message


async def test_pruned_log_walks_from_the_prune(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    old = NOW - 7 * 365 * 86_400_000
    await log.append([message(i, ts=old + i) for i in range(1, 31)])
    await log.append([message(30 + i) for i in range(1, 21)])

    async def sign(pruned: tuple[int, bytes]) -> None:
        return None

    done = await prune(log, Retention(years=6, text="6y"), now_ms=NOW + 1000, actor="t", sign=sign)
    assert done.pruned == 30
    report = await both_ways(log, monkeypatch, child_results)
    assert report.ok and "pruned by retention" in report.message


async def test_progress_reported_from_the_child(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 0)
    monkeypatch.setattr(sqlite_walk, "_PROGRESS_EVERY", 100)
    await log.append([message(i) for i in range(1, 701)])
    seen: list[int] = []
    assert (await log.verify(progress=seen.append)).ok
    assert child_results == [True]
    assert seen and seen == sorted(seen) and 600 <= seen[-1] <= 700


async def test_failed_child_falls_back_to_the_same_answer(
    log: AuditLog,
    engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
    child_results: list[bool],
    tmp_path: Path,
) -> None:
    await log.append([message(i) for i in range(1, 21)])
    await execute(engine, "UPDATE audit_record SET category = 'non_phi' WHERE seq = 9")
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 0)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # the child dies at once
    report = await log.verify()
    assert child_results == [False]
    assert (report.first_bad_seq, report.problem) == (9, "edited")


async def test_child_only_for_a_large_unauthenticated_walk(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 25)
    await log.append([message(i) for i in range(1, 25)])
    assert (await log.verify()).ok and child_results == []  # 24 records: in-process
    await log.append([message(25)])
    assert (await log.verify()).ok and child_results == [True]  # 25: the child
    assert (await log.verify(deep=True)).ok and child_results == [True]  # every tag: here


async def test_child_walk_while_the_gate_appends(
    log: AuditLog, monkeypatch: pytest.MonkeyPatch, child_results: list[bool]
) -> None:
    """The child reads one snapshot while PHI Gate's process keeps writing the file (WAL):
    records appended meanwhile are neither checked nor taken for index damage, and both
    SQLite copies' locks stay intact (every append commits, the log verifies after)."""
    monkeypatch.setattr(sqlite_walk, "CHILD_MIN_RECORDS", 0)
    await log.append([message(i) for i in range(1, 3001)])

    async def keep_appending() -> None:
        for i in range(20):
            await log.append([message(10_000 + i * 10 + j) for j in range(10)])
            await asyncio.sleep(0.01)

    first, _ = await asyncio.gather(log.verify(), keep_appending())
    assert first.ok, first.message
    assert first.count >= 3000
    again = await log.verify()
    assert (again.ok, again.count) == (True, 3200)
    assert child_results == [True, True]
