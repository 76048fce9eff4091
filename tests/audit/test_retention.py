"""Retention and legal hold on a log with fabricated old timestamps: a prune removes only a
prefix past retention and before the first held record, verify (alone and against the signed
checkpoints) still proves what remains, and records deleted from the front without a prune
are detected."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import AuditLog
from bridge.audit.checkpoint import (
    AnchoredReport,
    Checkpoint,
    CheckpointFile,
    read_checkpoints,
    verify_anchored,
)
from bridge.audit.checkpointer import Checkpointer
from bridge.audit.log import PRUNE_EVENT
from bridge.audit.models import record_table
from bridge.audit.period import Retention, parse_retention
from bridge.audit.retention import (
    HOLD_EVENT,
    RELEASE_EVENT,
    HoldKind,
    HoldTarget,
    PruneResult,
    add_hold,
    list_holds,
    plan_prune,
    prune,
    pruned_through,
    release_hold,
)
from bridge.audit.signing import SigningKeys
from bridge.errors import AlreadyExists, AuditIntegrityError, NotFound

from .conftest import NOW, execute, message, scalar

ORIGIN = "clinic.example/phigate-audit"
YEAR_MS = 365 * 86_400_000
OLD = NOW - 7 * YEAR_MS  # past a six-year retention
SIX_YEARS = Retention(years=6, text="6y")
ACME = HoldTarget(HoldKind.VENDOR, "acme")


@pytest.fixture
def keys(tmp_path: Path) -> SigningKeys:
    return SigningKeys.load_or_create(tmp_path / "audit-signing.key", ORIGIN)


@pytest.fixture
def sink(tmp_path: Path) -> CheckpointFile:
    return CheckpointFile(tmp_path / "audit-checkpoints.txt")


@pytest.fixture
def signer(log: AuditLog, keys: SigningKeys, sink: CheckpointFile) -> Checkpointer:
    return Checkpointer(log, keys, sink, clock=lambda: NOW + 10_000)


async def fill(log: AuditLog, old: int, new: int, *, held_at: int | None = None) -> None:
    """``old`` records seven years old, then ``new`` recent ones; record ``held_at`` (if
    any) involves vendor acme, the others vendor other."""
    entries = [
        message(i, vendor="acme" if i == held_at else "other", ts=OLD + i)
        for i in range(1, old + 1)
    ]
    entries += [message(old + i, vendor="other") for i in range(1, new + 1)]
    await log.append(entries)


async def run_prune(log: AuditLog, signer: Checkpointer, *, dry_run: bool = False) -> PruneResult:
    async def sign(pruned: tuple[int, bytes]) -> None:
        await signer.checkpoint(pruned=pruned)

    return await prune(log, SIX_YEARS, now_ms=NOW + 1000, actor="cli", sign=sign, dry_run=dry_run)


async def anchored(log: AuditLog, keys: SigningKeys, sink: CheckpointFile) -> AnchoredReport:
    found = read_checkpoints(sink.read_notes(), keys.verifiers, ORIGIN, "the file")
    return await verify_anchored(log, [found])


def test_retention_format() -> None:
    assert parse_retention("6y") == Retention(years=6, text="6y")
    assert parse_retention("10 years").years == 10
    assert parse_retention("2190d").days == 2190
    assert parse_retention("52w").days == 364
    assert parse_retention("forever").forever
    for bad in ("6 months", "0y", "", "-1y", "six years"):
        with pytest.raises(ValueError, match="expected a number of years, weeks or days"):
            parse_retention(bad)
    # Calendar years: 2026-12-03 minus six years is 2020-12-03, same clock time.
    assert SIX_YEARS.cutoff(1_796_342_400_000) == 1_607_040_000_000
    assert Retention(text="forever").cutoff(NOW) is None


async def test_prune_removes_the_old_prefix_and_the_rest_verifies(
    log: AuditLog, signer: Checkpointer, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await fill(log, 10, 5)
    await signer.checkpoint()  # a checkpoint that signed the records about to be pruned
    result = await run_prune(log, signer)
    assert (result.pruned, result.plan.first, result.plan.through) == (10, 1, 10)
    assert result.message.startswith("pruned records 1–10 (10) recorded before")
    assert await log.first_seq() == 11
    assert await pruned_through(log) == (10, (await _hash_from_prune_record(log))[1])
    # The prune is itself a record, and nothing of the pruned records' index is left.
    prune_record = (await log.records_at([result.record_seq or 0]))[0]
    assert prune_record.event_type == PRUNE_EVENT and prune_record.decision == "pruned"
    assert await scalar(log.engine, "SELECT count(*) FROM audit_party WHERE seq <= 10") == 0
    assert await scalar(log.engine, "SELECT count(*) FROM audit_token WHERE seq <= 10") == 0

    report = await log.verify()
    assert report.ok, report.message
    assert "6 records (records 1–10 pruned by retention)" in report.message
    assert (await log.verify(deep=True)).ok
    anchored_report = await anchored(log, keys, sink)
    assert anchored_report.ok, anchored_report.message

    # The checkpoint signed for the prune says so, and later ones carry it forward.
    newest = signer.last
    assert newest is not None and newest.pruned is not None and newest.pruned[0] == 10
    await log.append([message(100)])
    later = await signer.checkpoint()
    assert later is not None and later.pruned == newest.pruned
    assert Checkpoint.parse(later.body()).pruned == newest.pruned
    assert (await anchored(log, keys, sink)).ok

    # Nothing more is past retention: a second prune is a no-op and writes nothing.
    head = (await log.read_head())[0]
    again = await run_prune(log, signer)
    assert again.pruned == 0 and (await log.read_head())[0] == head


async def _hash_from_prune_record(log: AuditLog) -> tuple[int, bytes]:
    begin = await log.chain_start()
    assert isinstance(begin, tuple)
    return begin


async def test_dry_run_changes_nothing(log: AuditLog, signer: Checkpointer) -> None:
    await fill(log, 4, 2)
    result = await run_prune(log, signer, dry_run=True)
    assert result.pruned == 0 and result.message.startswith("would prune records 1–4 (4)")
    assert await log.first_seq() == 1 and (await log.read_head())[0] == 6
    assert signer.last is None


async def test_a_hold_stops_the_prefix_before_the_first_held_record(
    log: AuditLog, signer: Checkpointer, keys: SigningKeys, sink: CheckpointFile
) -> None:
    await fill(log, 10, 3, held_at=6)
    await add_hold(log, ACME, "litigation 2026-17", actor="@admin:clinic.example", now_ms=NOW)
    [hold] = await list_holds(log)
    assert (hold.target, hold.reason) == (ACME, "litigation 2026-17")
    with pytest.raises(AlreadyExists, match="vendor acme is already on hold"):
        await add_hold(log, ACME, "again", actor="@admin:clinic.example", now_ms=NOW)

    plan = await plan_prune(log, SIX_YEARS, NOW + 1000)
    assert (plan.through, plan.held_seq) == (5, 6)
    assert "a legal hold keeps record 6" in plan.describe(SIX_YEARS)
    result = await run_prune(log, signer)
    assert result.pruned == 5 and await log.first_seq() == 6
    assert (await log.verify()).ok and (await anchored(log, keys, sink)).ok

    await release_hold(log, ACME, "matter closed", actor="@admin:clinic.example", now_ms=NOW)
    assert await list_holds(log) == []
    with pytest.raises(NotFound, match="vendor acme is not on hold"):
        await release_hold(log, ACME, "", actor="@admin:clinic.example", now_ms=NOW)
    result = await run_prune(log, signer)
    assert (result.plan.first, result.plan.through) == (6, 10)
    assert await log.first_seq() == 11
    report = await log.verify()
    assert report.ok and "records 1–10 pruned" in report.message
    assert (await anchored(log, keys, sink)).ok

    # Hold, release and both prunes are on the record; the hold's reason is not in clear.
    async with log.engine.connect() as conn:
        types = [r[0] for r in await conn.execute(select(record_table.c.event_type))]
    assert types.count(HOLD_EVENT) == 1 and types.count(RELEASE_EVENT) == 1
    assert types.count(PRUNE_EVENT) == 2


async def test_a_hold_on_a_room_and_on_a_user(log: AuditLog, signer: Checkpointer) -> None:
    await log.append(
        [
            message(1, ts=OLD + 1),
            message(2, ts=OLD + 2, room="!kept:clinic.example"),
            message(3, ts=OLD + 3, patient="@pat:clinic.example"),
        ]
    )
    room = HoldTarget(HoldKind.ROOM, "!kept:clinic.example")
    await add_hold(log, room, "", actor="@admin:clinic.example", now_ms=NOW)
    assert (await plan_prune(log, SIX_YEARS, NOW)).through == 1
    await release_hold(log, room, "", actor="@admin:clinic.example", now_ms=NOW)
    user = HoldTarget(HoldKind.USER, "@pat:clinic.example")
    await add_hold(log, user, "", actor="@admin:clinic.example", now_ms=NOW)
    assert (await plan_prune(log, SIX_YEARS, NOW)).through == 2


async def test_front_truncation_without_a_prune_is_detected(
    log: AuditLog,
    signer: Checkpointer,
    keys: SigningKeys,
    sink: CheckpointFile,
    engine: AsyncEngine,
) -> None:
    await fill(log, 3, 5)
    await signer.checkpoint()
    for table in ("audit_record", "audit_party", "audit_token"):
        await execute(engine, f"DELETE FROM {table} WHERE seq <= 3")
    report = await log.verify()
    assert not report.ok and report.problem == "front-truncated"
    assert report.message == (
        "FRONT-TRUNCATED: records 1–3 are missing from the start of the log and no prune"
        " accounts for them (deleted)"
    )
    both = await anchored(log, keys, sink)
    assert not both.ok and both.problem == "front-truncated"
    assert "FRONT-TRUNCATED: records 1–3 are gone from the start of the log" in both.message
    assert "\n" not in both.message


async def test_deleting_more_than_was_pruned_is_detected(
    log: AuditLog,
    signer: Checkpointer,
    keys: SigningKeys,
    sink: CheckpointFile,
    engine: AsyncEngine,
) -> None:
    await fill(log, 4, 6)
    await run_prune(log, signer)
    assert await log.first_seq() == 5
    # An attacker deletes two more records at the front and forges the prune pointer.
    for table in ("audit_record", "audit_party", "audit_token"):
        await execute(engine, f"DELETE FROM {table} WHERE seq <= 6")
    report = await log.verify()
    assert report.problem == "front-truncated" and "no prune accounts for them" in report.message
    both = await anchored(log, keys, sink)
    assert both.problem == "front-truncated"
    assert "allows records 1–4" in both.message
    await execute(engine, "UPDATE audit_prune SET through_seq = 6")
    report = await log.verify()
    assert report.problem == "front-truncated" and "does not say so" in report.message


async def test_a_tampered_log_is_not_pruned(
    log: AuditLog, signer: Checkpointer, engine: AsyncEngine
) -> None:
    await fill(log, 4, 2)
    await execute(engine, "UPDATE audit_record SET sender = '@mallory:x' WHERE seq = 3")
    with pytest.raises(AuditIntegrityError, match="not pruning: record 3 was edited"):
        await run_prune(log, signer)
    assert await log.first_seq() == 1


async def test_a_checkpointer_whose_last_checkpoint_was_pruned_reloads_the_file(
    log: AuditLog, keys: SigningKeys, sink: CheckpointFile
) -> None:
    bridge = Checkpointer(log, keys, sink, clock=lambda: NOW + 10_000)
    await fill(log, 4, 0)
    await bridge.checkpoint()  # size 4: every record of it is about to be pruned
    await log.append([message(5)])
    await run_prune(log, Checkpointer(log, keys, sink, clock=lambda: NOW + 20_000))
    assert await log.first_seq() == 5
    await log.append([message(7)])
    signed = await bridge.checkpoint()
    assert signed is not None and signed.size == 7 and signed.pruned is not None
    assert bridge.refused is None
    assert (await anchored(log, keys, sink)).ok
