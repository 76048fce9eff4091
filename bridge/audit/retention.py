"""Retention and legal hold: pruning the oldest records while the rest still verifies.

**What is pruned.** Only a *prefix* of the chain: records 1 … p (or, after an earlier prune,
its first record … p), every one of them recorded before the retention cutoff and none
involving a held party. So what remains is one contiguous chain, and its first record's
``prev_hash`` is the hash of record p. A hold in the middle of the chain stops the prefix
just before the first held record: the log over-retains (keeps unheld records after that
one too) rather than leave holes that a verifier could not tell from deletions.

**How it stays verifiable.** A prune, in this order:

1. checks the chain (hashes and the tail's tag) — pruning a tampered log would destroy the
   evidence;
2. appends an ``org.phigate.audit_prune`` record whose (encrypted, authenticated) content
   says ``{"first", "through": p, "hash": hex hash of record p, "cutoff_ms", "retention",
   "holds"}`` and whose plaintext reason says the same without the hash;
3. signs a checkpoint of the head (which covers that record) carrying the extension line
   ``pruned <p> <base64 hash of record p>``; every later checkpoint carries it too, so the
   newest checkpoint alone says where the log legitimately begins;
4. deletes records ≤ p and their index rows, and notes the prune in ``audit_prune`` (a
   pointer to the record of step 2), in one transaction.

``verify`` then begins at p + 1 with the hash the prune record states
(:meth:`AuditLog.chain_start`). Records missing at the front without such a record, or more
of them than it states, are ``front-truncated``; against checkpoints, more missing than the
newest checkpoint's ``pruned`` line allows is ``FRONT-TRUNCATED`` too. A crash between
steps 2 and 4 leaves a log that says it will be pruned and is not yet: it verifies, and the
next prune does the deletion.

**Holds** are rows of ``audit_hold`` keyed like the query index (``r:<room>``,
``u:<user>``, ``v:<vendor>``); their reasons are sealed under the audit key. Holds, releases
and prunes are each an audit record.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from bridge.audit.chain import NONCE_BYTES, clean_text
from bridge.audit.log import PRUNE_EVENT, AuditLog
from bridge.audit.models import (
    BUCKET_BITS,
    hold_table,
    party_table,
    prune_table,
    record_table,
    token_table,
)
from bridge.audit.period import Retention
from bridge.audit.records import AuditEntry, RecordKind
from bridge.errors import AlreadyExists, AuditIntegrityError, NotFound
from bridge.policy.agreements import format_ms

HOLD_EVENT = "org.phigate.audit_hold"
RELEASE_EVENT = "org.phigate.audit_release"

_H = hold_table.c
_P = party_table.c
_R = record_table.c


# --- holds ----------------------------------------------------------------------------------


class HoldKind(StrEnum):
    """What a legal hold names."""

    ROOM = "room"
    USER = "user"
    VENDOR = "vendor"


_PREFIX = {HoldKind.ROOM: "r:", HoldKind.USER: "u:", HoldKind.VENDOR: "v:"}


@dataclass(frozen=True, slots=True)
class HoldTarget:
    """Whose records a hold keeps: a room, a user or a vendor."""

    kind: HoldKind
    target: str

    @property
    def party_key(self) -> str:
        return _PREFIX[self.kind] + clean_text(self.target)

    @classmethod
    def from_key(cls, key: str) -> HoldTarget:
        kind = next(k for k, p in _PREFIX.items() if key.startswith(p))
        return cls(kind, key[2:])

    def describe(self) -> str:
        return f"{self.kind.value} {self.target}"

    @property
    def user(self) -> str | None:
        """The held user (the command processor puts it on the command's record)."""
        return self.target if self.kind is HoldKind.USER else None

    @property
    def vendor(self) -> str | None:
        return self.target if self.kind is HoldKind.VENDOR else None


@dataclass(frozen=True, slots=True)
class Hold:
    """A hold in force: whose records, who placed it, when, and why (decrypted)."""

    target: HoldTarget
    held_by: str
    held_ts: int
    reason: str


async def add_hold(
    log: AuditLog, target: HoldTarget, reason: str, *, actor: str, now_ms: int
) -> Hold:
    """Put records involving ``target`` under legal hold, and audit it.

    Raises:
        AlreadyExists: the target is already held.
    """
    keyring = log.keyring
    key = target.party_key
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + keyring.primary.encrypt(nonce, reason.encode(), key.encode())
    entry = _hold_entry(HOLD_EVENT, "held", target, reason, actor, now_ms)

    async def write(conn: AsyncConnection) -> None:
        await conn.execute(
            insert(hold_table).values(
                party_key=key,
                held_by=actor,
                held_ts=now_ms,
                key_id=keyring.primary_id,
                reason_sealed=sealed,
            )
        )

    try:
        await log.append([entry], also=write)
    except IntegrityError:
        if await _held(log, key):
            raise AlreadyExists(f"{target.describe()} is already on hold") from None
        raise
    return Hold(target, actor, now_ms, reason)


async def release_hold(
    log: AuditLog, target: HoldTarget, reason: str, *, actor: str, now_ms: int
) -> None:
    """Lift the hold on ``target`` (its records become prunable again), and audit it.

    Raises:
        NotFound: the target is not held.
    """
    key = target.party_key
    if not await _held(log, key):
        raise NotFound(f"{target.describe()} is not on hold; see !audit holds")

    async def write(conn: AsyncConnection) -> None:
        await conn.execute(delete(hold_table).where(_H.party_key == key))

    entry = _hold_entry(RELEASE_EVENT, "released", target, reason, actor, now_ms)
    await log.append([entry], also=write)


async def list_holds(log: AuditLog) -> list[Hold]:
    """Every hold, oldest first, with its reason decrypted."""
    async with log.engine.connect() as conn:
        rows = (await conn.execute(select(hold_table).order_by(_H.held_ts))).all()
    holds = []
    for row in rows:
        sealed = bytes(row.reason_sealed)
        reason = (
            log.keyring.aead(row.key_id)
            .decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], row.party_key.encode())
            .decode()
        )
        holds.append(Hold(HoldTarget.from_key(row.party_key), row.held_by, row.held_ts, reason))
    return holds


async def _held(log: AuditLog, key: str) -> bool:
    async with log.engine.connect() as conn:
        found = await conn.execute(select(_H.party_key).where(_H.party_key == key))
        return found.first() is not None


def _hold_entry(
    event_type: str, decision: str, target: HoldTarget, reason: str, actor: str, now_ms: int
) -> AuditEntry:
    # The reason may name a person or a matter: it goes into the encrypted content only.
    return AuditEntry(
        kind=RecordKind.SYSTEM,
        recorded_ts=now_ms,
        event_type=event_type,
        sender=actor,
        sender_kind="admin",
        decision=decision,
        room_id=target.target if target.kind is HoldKind.ROOM else None,
        subject_user=target.target if target.kind is HoldKind.USER else None,
        subject_vendor=target.target if target.kind is HoldKind.VENDOR else None,
        content={"hold": target.describe(), "reason": reason},
    )


# --- pruning --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrunePlan:
    """What a prune removes (or would remove).

    Attributes:
        first: The oldest record now.
        through: The last record to remove (``first - 1``: nothing to remove).
        cutoff_ms: Records recorded before this are past retention (``None``: kept forever).
        held_seq: The first record kept because of a hold, when a hold stopped the prefix.
        holds: Holds in force.
    """

    first: int
    through: int
    cutoff_ms: int | None
    held_seq: int | None
    holds: int

    @property
    def count(self) -> int:
        return max(0, self.through - self.first + 1)

    def describe(self, retention: Retention) -> str:
        """One line for people."""
        if self.cutoff_ms is None:
            return "retention is forever: nothing is pruned"
        before = f"recorded before {format_ms(self.cutoff_ms)} (retention {retention.text})"
        held = (
            f"; a legal hold keeps record {self.held_seq} and everything after it"
            if self.held_seq is not None
            else ""
        )
        if self.count == 0:
            return f"nothing to prune: no records {before} at the start of the log{held}"
        return f"records {self.first}–{self.through} ({self.count}) {before}{held}"


async def plan_prune(log: AuditLog, retention: Retention, now_ms: int) -> PrunePlan:
    """The prefix past retention and before the first held record."""
    cutoff = retention.cutoff(now_ms)
    first = await log.first_seq()
    async with log.engine.connect() as conn:
        holds = [r[0] for r in await conn.execute(select(_H.party_key))]
        if cutoff is None or first == 0:
            return PrunePlan(first, first - 1, cutoff, None, len(holds))
        # recorded_ts is nearly but not strictly monotonic (two writers): the prefix ends
        # before the first record at or after the cutoff, so every pruned one is older.
        young = (
            await conn.execute(select(func.min(_R.seq)).where(_R.recorded_ts >= cutoff))
        ).scalar()
        through = int(young) - 1 if young is not None else (await log.read_head())[0]
        held_seq = None
        if holds and through >= first:
            held_seq = await _first_held(conn, holds, first, through)
            if held_seq is not None:
                through = min(through, held_seq - 1)
    return PrunePlan(first, max(through, first - 1), cutoff, held_seq, len(holds))


async def _first_held(
    conn: AsyncConnection, keys: Sequence[str], first: int, through: int
) -> int | None:
    """The oldest record in ``first``..``through`` involving a held party. One indexed seek
    per bucket (the index is keyed by bucket first), oldest bucket first."""
    for bucket in range(first >> BUCKET_BITS, (through >> BUCKET_BITS) + 1):
        found = (
            await conn.execute(
                select(func.min(_P.seq)).where(
                    _P.bucket == bucket, _P.party_key.in_(list(keys)), _P.seq >= first
                )
            )
        ).scalar()
        if found is not None:
            return int(found) if found <= through else None
    return None


SignPrune = Callable[[tuple[int, bytes]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What a prune did: the plan, how many records went, the seq of the prune's own
    record (``None`` when nothing was pruned) and one line for people."""

    plan: PrunePlan
    pruned: int
    record_seq: int | None
    message: str


async def prune(
    log: AuditLog,
    retention: Retention,
    *,
    now_ms: int,
    actor: str,
    sign: SignPrune,
    dry_run: bool = False,
) -> PruneResult:
    """Prune the records past retention (see the module docstring for the steps).

    Args:
        sign: Signs a checkpoint of the head with the ``pruned`` line for ``(p, hash)``;
            raising stops the prune before anything is deleted.

    Raises:
        AuditIntegrityError: the chain does not verify; nothing is pruned.
    """
    plan = await plan_prune(log, retention, now_ms)
    line = plan.describe(retention)
    if dry_run or plan.count == 0:
        verb = "would prune " if dry_run and plan.count else ""
        return PruneResult(plan, 0, None, verb + line)
    report = await log.verify()
    if not report.ok:
        raise AuditIntegrityError(f"not pruning: {report.message}")
    through_hash = (await log.hashes_at([plan.through]))[plan.through]
    record_seq = await log.append_one(
        AuditEntry(
            kind=RecordKind.SYSTEM,
            recorded_ts=now_ms,
            event_type=PRUNE_EVENT,
            sender=actor,
            sender_kind="bot" if actor.startswith("@") else "admin",
            decision="pruned",
            reason=f"retention: {line}",
            content={
                "first": plan.first,
                "through": plan.through,
                "hash": through_hash.hex(),
                "cutoff_ms": plan.cutoff_ms,
                "retention": retention.text,
                "holds": plan.holds,
            },
        )
    )
    await sign((plan.through, through_hash))
    await carry_out(log, plan.through, through_hash, record_seq, now_ms)
    return PruneResult(plan, plan.count, record_seq, f"pruned {line}")


async def carry_out(
    log: AuditLog, through: int, through_hash: bytes, record_seq: int, now_ms: int
) -> None:
    """Delete records ≤ ``through`` and their index rows, and note the prune, at once."""
    bucket = through >> BUCKET_BITS
    async with log.engine.begin() as conn:
        await conn.execute(delete(record_table).where(_R.seq <= through))
        for table in (party_table, token_table):
            await conn.execute(
                delete(table).where(table.c.bucket <= bucket, table.c.seq <= through)
            )
        await conn.execute(
            insert(prune_table).values(
                through_seq=through,
                through_hash=through_hash,
                record_seq=record_seq,
                pruned_ts=now_ms,
            )
        )


async def pruned_through(log: AuditLog) -> tuple[int, bytes] | None:
    """The newest prune carried out: (last seq removed, its hash); ``None`` when none."""
    async with log.engine.connect() as conn:
        row = (
            await conn.execute(
                select(prune_table.c.through_seq, prune_table.c.through_hash)
                .order_by(prune_table.c.through_seq.desc())
                .limit(1)
            )
        ).first()
    return (int(row[0]), bytes(row[1])) if row is not None else None
