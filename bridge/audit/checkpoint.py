"""Signed checkpoints of the audit chain, kept outside the database, and checking a log
against them.

**Why.** The hash chain shows an edited, reordered or deleted-in-the-middle record, but a log
whose newest records were cut off is still a valid chain. So PHI Gate signs the chain head
now and then (:mod:`bridge.audit.checkpointer`) with an Ed25519 key kept beside the audit key,
appends the signed checkpoint to a file outside the database, and sends a copy to a witness
(the control room). :func:`check_against` then tells a database that is behind, or
different from, what was signed.

**Format.** A checkpoint is a C2SP ``tlog-checkpoint`` (https://c2sp.org/tlog-checkpoint): a
C2SP signed note (:mod:`bridge.audit.signed_note`) whose text is::

    clinic.example/phigate-audit        origin (audit.checkpoint_origin)
    1234                                tree size: records 1..1234
    q1bT…Yg=                            "root hash": base64 of record 1234's chain hash
    timestamp 1767225600000             extension line: when it was signed (ms, UTC)
    reanchored                          extension line, only on a re-anchoring checkpoint
    pruned 1000 Zm9v…=                  extension line, after a prune: records 1..1000 were
                                        removed by retention, record 1000 hashing to this

    — clinic.example/phigate-audit <base64(key ID || Ed25519 signature)>

PHI Gate's log is a hash chain, not an RFC 6962 Merkle tree, so the third line carries the
chain's head hash (``bridge.audit.chain``: the hash of record ``size``, which commits to
every record before it; 32 zero bytes for an empty log) where a transparency log puts its
Merkle root. Tools that read C2SP checkpoints parse and verify these notes, but consistency
between two of them is proved by walking the chain between the two sizes (the database
holds it), not by a Merkle consistency proof.

**The file.** Notes are appended, each followed by one blank line, with ``O_APPEND`` and an
fsync; PHI Gate never rewrites it. Make it append-only for the database owner too
(``chattr +a``, or a directory they cannot write) — docs/audit.md.

**What a check names** (:func:`check_against`; the newest checkpoint is the largest):

* ``emptied`` — the log has no records, the checkpoint signed some.
* ``truncated`` — the log is a prefix of the signed one: its newest records were deleted
  (the database still lists checkpoints beyond its head in ``audit_checkpoint``).
* ``rollback`` — the log is an older copy: a prefix that knows of no checkpoint beyond its
  head, or one that agrees with the checkpoints up to some record and then differs, written
  on after it was restored.
* ``rewritten`` — the log differs from a signed head at a size it has, while the database
  knew of that checkpoint: records were changed and the chain re-hashed.
* ``bad checkpoint`` — a note in the file is malformed, fails its signature (edited), or is
  signed by no known key (wrong key); or two notes sign different heads for one size.

Truncation and rollback to an exact earlier state look the same from the records alone; the
``audit_checkpoint`` mirror tells them apart, and an attacker who also empties the mirror
only changes the name, never the verdict.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit.chain import GENESIS
from bridge.audit.models import checkpoint_table
from bridge.audit.records import VerifyReport
from bridge.audit.signed_note import NoteError, NoteVerifier, open_note
from bridge.errors import AuditIntegrityError
from bridge.policy.agreements import format_ms

if TYPE_CHECKING:
    from bridge.audit.log import AuditLog

TIMESTAMP = "timestamp"
REANCHORED = "reanchored"
PRUNED = "pruned"
#: State event type of the witness copy in the control room (state key ``""``).
WITNESS_EVENT_TYPE = "org.phigate.checkpoint"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The signed statement "the log ``origin`` had ``size`` records, the last one hashing to
    ``head_hash``, at ``time_ms``".

    Attributes:
        origin: The log's name (first line).
        size: Records 1..size are covered.
        head_hash: Chain hash of record ``size`` (32 zero bytes when ``size`` is 0).
        time_ms: When it was signed.
        reanchored: An admin accepted this head although it does not extend the previous
            checkpoint (a restore from backup); earlier checkpoints no longer bind.
        note: The signed note it was read from (empty for one not yet signed).
        pruned: ``(p, hash of record p)`` when records 1..p were removed by retention
            (bridge.audit.retention): the log legitimately begins at p + 1.
    """

    origin: str
    size: int
    head_hash: bytes
    time_ms: int
    reanchored: bool = False
    note: str = ""
    pruned: tuple[int, bytes] | None = None

    def body(self) -> str:
        """The note text to sign."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.head_hash).decode(),
            f"{TIMESTAMP} {self.time_ms}",
        ]
        if self.reanchored:
            lines.append(REANCHORED)
        if self.pruned is not None:
            lines.append(f"{PRUNED} {self.pruned[0]} {base64.b64encode(self.pruned[1]).decode()}")
        return "\n".join(lines) + "\n"

    @property
    def when(self) -> str:
        return format_ms(self.time_ms)

    def describe(self) -> str:
        """``checkpoint of <time> (size N)`` for messages."""
        return f"checkpoint of {self.when} (size {self.size})"

    @classmethod
    def parse(cls, text: str, note: str = "") -> Checkpoint:
        """Read a checkpoint body (the text of an opened note).

        Raises:
            ValueError: not a PHI Gate checkpoint.
        """
        lines = text.split("\n")
        if lines[-1] != "" or len(lines) < 5:
            raise ValueError("a checkpoint needs origin, size, head hash and timestamp lines")
        origin, size_text, hash_text, *extensions = lines[:-1]
        if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
            raise ValueError(f"bad tree size {size_text[:30]!r}")
        try:
            head = base64.b64decode(hash_text, validate=True)
        except binascii.Error:
            raise ValueError("the head hash is not base64") from None
        if len(head) != 32:
            raise ValueError("the head hash is not 32 bytes")
        time_ms: int | None = None
        reanchored = False
        pruned: tuple[int, bytes] | None = None
        for line in extensions:
            word, _, value = line.partition(" ")
            if word == TIMESTAMP and value.isdigit():
                time_ms = int(value)
            elif line == REANCHORED:
                reanchored = True
            elif word == PRUNED:
                pruned = _pruned_line(value, int(size_text))
        if time_ms is None:
            raise ValueError("no timestamp line")
        size = int(size_text)
        if size == 0 and head != GENESIS:
            raise ValueError("an empty log's head hash must be 32 zero bytes")
        return cls(origin, size, head, time_ms, reanchored, note, pruned)


def _pruned_line(value: str, size: int) -> tuple[int, bytes]:
    """``<p> <base64 hash>`` of a ``pruned`` line.

    Raises:
        ValueError: malformed, or p is not below the size.
    """
    seq_text, _, hash_text = value.partition(" ")
    try:
        digest = base64.b64decode(hash_text, validate=True)
    except binascii.Error:
        digest = b""
    if not seq_text.isdigit() or len(digest) != 32 or not 0 < int(seq_text) < size:
        raise ValueError("bad pruned line")
    return int(seq_text), digest


def witness_event_content(note: str) -> dict[str, object]:
    """Content of the ``org.phigate.checkpoint`` state event that carries a signed note to
    the control room: the note verbatim (what ``audit verify --checkpoint`` reads back) and
    its fields for people and integrations. No PHI: a size, a hash, a time.

    Raises:
        ValueError: ``note`` is not a checkpoint note.
    """
    split = note.rfind("\n\n")
    if split < 0:
        raise ValueError("not a signed note")
    checkpoint = Checkpoint.parse(note[: split + 1], note)
    return {
        "checkpoint": note,
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "head_hash": base64.b64encode(checkpoint.head_hash).decode(),
        "signed_at": checkpoint.time_ms,
    }


class CheckpointFile:
    """The append-only file of signed checkpoints (one note, then a blank line, each)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, note: str) -> None:
        """Append one signed note durably (``O_APPEND``, one write, fsync).

        Raises:
            OSError: the file cannot be written.
        """
        data = (note + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(f"short write to {self.path}")
            os.fsync(fd)
        finally:
            os.close(fd)

    def read_notes(self, *, witness_copy: bool = False) -> list[str]:
        """The notes in the file, in order (empty when there is no file). A
        ``witness_copy`` may also be JSON (see :func:`witness_notes`)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except UnicodeDecodeError:
            raise AuditIntegrityError(f"checkpoint file {self.path} is not UTF-8") from None
        return witness_notes(text) if witness_copy else split_notes(text)


def witness_notes(text: str) -> list[str]:
    """The notes in a copy taken from the witness: plain notes as in the checkpoint file, or
    JSON — the ``org.phigate.checkpoint`` event content, the event itself, or a list of
    either (what a client's "view source" or the room state API gives)."""
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return split_notes(text)
    try:
        doc = json.loads(stripped)
    except json.JSONDecodeError:
        return split_notes(text)
    notes: list[str] = []
    for item in doc if isinstance(doc, list) else [doc]:
        if isinstance(item, dict) and isinstance(item.get("content"), dict):
            item = item["content"]
        if isinstance(item, dict) and isinstance(item.get("checkpoint"), str):
            notes.append(item["checkpoint"])
    return notes


def split_notes(text: str) -> list[str]:
    """Cut a file of concatenated notes (each: text lines, blank line, signature lines)
    into notes. An incomplete note at the end is returned as it is (it will not verify)."""
    notes: list[str] = []
    body: list[str] = []
    sigs: list[str] = []
    in_sigs = False
    for line in text.split("\n"):
        if not in_sigs:
            if line:
                body.append(line)
            elif body:
                in_sigs = True
            continue
        if line.startswith("\u2014 "):
            sigs.append(line)
            continue
        notes.append("\n".join(body) + "\n\n" + "".join(s + "\n" for s in sigs))
        body, sigs, in_sigs = ([line] if line else []), [], False
    if body:
        notes.append("\n".join(body) + "\n" + ("\n" + "".join(s + "\n" for s in sigs)))
    return notes


@dataclass(frozen=True, slots=True)
class CheckpointSet:
    """The checkpoints read from one source, and what was wrong with it.

    Attributes:
        source: Where they came from (for messages).
        checkpoints: Every valid checkpoint in file order.
        problems: One line per bad note (malformed, failed signature, unknown key, other
            origin) or contradiction between notes.
    """

    source: str
    checkpoints: tuple[Checkpoint, ...]
    problems: tuple[str, ...]

    @property
    def binding(self) -> tuple[Checkpoint, ...]:
        """The checkpoints from the last re-anchoring on (all when there was none)."""
        start = 0
        for i, cp in enumerate(self.checkpoints):
            if cp.reanchored:
                start = i
        return self.checkpoints[start:]

    @property
    def newest(self) -> Checkpoint | None:
        """The binding checkpoint of the largest size (two processes may append out of
        order: the bridge and a CLI `audit checkpoint`)."""
        binding = self.binding
        return max(reversed(binding), key=_size) if binding else None


def read_checkpoints(
    notes: Sequence[str], verifiers: Sequence[NoteVerifier], origin: str, source: str
) -> CheckpointSet:
    """Open every note with the trusted keys and check the checkpoints agree with each other
    (one size, one head) except across a re-anchoring. Whether each extends the one before
    is a question for the database (:func:`judge` checks every binding checkpoint)."""
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    for i, note in enumerate(notes, 1):
        where = f"checkpoint {i} of {len(notes)} in {source}"
        try:
            opened = open_note(note, verifiers)
        except NoteError as e:
            why = str(e)
            if why.startswith("no trusted key"):
                why = "is signed by no known PHI Gate signing key (wrong key, or not ours)"
            elif "does not verify" in why:
                why = f"fails its signature (edited): {why}"
            else:
                why = f"is malformed: {why}"
            problems.append(f"{where} {why}")
            continue
        try:
            checkpoint = Checkpoint.parse(opened.text, note)
        except ValueError as e:
            problems.append(f"{where} is not a PHI Gate checkpoint: {e}")
            continue
        if checkpoint.origin != origin:
            problems.append(f"{where} is for log {checkpoint.origin!r}, not {origin!r}")
            continue
        checkpoints.append(checkpoint)
    by_size: dict[int, bytes] = {}
    for cp in checkpoints:
        if cp.reanchored:
            by_size = {}
        seen = by_size.setdefault(cp.size, cp.head_hash)
        if seen != cp.head_hash:
            problems.append(
                f"{source}: two checkpoints of size {cp.size} sign different heads"
                " (checkpoints contradict each other)"
            )
    return CheckpointSet(source, tuple(checkpoints), tuple(problems))


@dataclass(frozen=True, slots=True)
class CheckpointVerdict:
    """What comparing a log with its checkpoints found.

    Attributes:
        ok: The log holds everything the newest checkpoint signed, unchanged.
        problem: ``None``, ``"emptied"``, ``"truncated"``, ``"rollback"``, ``"rewritten"``
            or ``"bad checkpoint"``.
        message: One line for people.
        checkpoint: The checkpoint the log was judged against.
    """

    ok: bool
    problem: str | None
    message: str
    checkpoint: Checkpoint | None = None


def judge(
    checkpoints: Sequence[Checkpoint],
    db_size: int,
    db_hashes: Mapping[int, bytes],
    db_known_size: int,
    db_first: int = 1,
) -> CheckpointVerdict:
    """Compare a log with the checkpoints that bind it (pure: the facts are passed in).

    Args:
        checkpoints: The binding checkpoints (non-empty); the largest is the newest.
        db_size: The log's newest seq.
        db_hashes: The log's stored hash at each checkpoint size it has.
        db_known_size: The largest size in the database's own ``audit_checkpoint`` mirror
            (0 when it lists none).
        db_first: The log's oldest seq (above 1 after a prune); ``db_hashes`` then holds the
            hash before it (the prune's anchor) at ``db_first - 1``.
    """
    newest = max(reversed(checkpoints), key=_size)
    if db_first > 1:
        # Records before db_first are gone: legitimately only if a signed checkpoint says
        # they were pruned, up to exactly that record and hash.
        signed = max((cp.pruned for cp in checkpoints if cp.pruned), default=None)
        through = db_first - 1
        if signed is None or signed[0] < through:
            allowed = (
                f"the {newest.describe()} allows records 1–{signed[0]}"
                if signed
                else (f"no signed checkpoint records a prune (the {newest.describe()} has none)")
            )
            return CheckpointVerdict(
                False,
                "front-truncated",
                f"FRONT-TRUNCATED: records 1–{through} are gone from the start of the log;"
                f" {allowed}",
                newest,
            )
        if signed[0] == through and db_hashes.get(through) != signed[1]:
            return CheckpointVerdict(
                False,
                "front-truncated",
                f"FRONT-TRUNCATED: the log begins after record {through}, but not after the"
                f" record the signed prune names (its hash differs)",
                newest,
            )
    ordered = sorted(
        {cp.size: cp for cp in checkpoints if cp.size >= max(db_first, 1)}.values(), key=_size
    )
    differs = next(
        (cp for cp in ordered if cp.size <= db_size and db_hashes.get(cp.size) != cp.head_hash),
        None,
    )
    if differs is None and db_size >= newest.size:
        return CheckpointVerdict(True, None, f"matches the {newest.describe()}", newest)
    if differs is not None:
        agreed = max((cp.size for cp in ordered if cp.size < differs.size), default=0)
        since = f"it agrees up to record {agreed} and" if agreed else "it"
        if db_known_size < differs.size:
            return CheckpointVerdict(
                False,
                "rollback",
                f"ROLLBACK: the database is an older copy written on since it was restored:"
                f" {since} differs from the {differs.describe()} at record {differs.size}",
                differs,
            )
        return CheckpointVerdict(
            False,
            "rewritten",
            f"REWRITTEN: record {differs.size}'s hash differs from the {differs.describe()};"
            f" {since} was changed and re-hashed after that",
            differs,
        )
    if db_size == 0:
        return CheckpointVerdict(
            False,
            "emptied",
            f"EMPTIED: the audit log has no records but the {newest.describe()} signed"
            f" {newest.size}",
            newest,
        )
    missing = f"records {db_size + 1}–{newest.size}"
    if db_known_size <= db_size:
        return CheckpointVerdict(
            False,
            "rollback",
            f"ROLLBACK: the database is an older copy ending at record {db_size};"
            f" the {newest.describe()} signed {missing} too",
            newest,
        )
    return CheckpointVerdict(
        False,
        "truncated",
        f"TRUNCATED: {missing} were deleted from the end; the {newest.describe()} signed them",
        newest,
    )


def _size(cp: Checkpoint) -> int:
    return cp.size


# --- the database side ------------------------------------------------------------------------


async def mirror(engine: AsyncEngine, checkpoint: Checkpoint) -> None:
    """Note a signed checkpoint in the database's ``audit_checkpoint`` table."""
    async with engine.begin() as conn:
        await conn.execute(
            insert(checkpoint_table).values(
                size=checkpoint.size,
                head_hash=checkpoint.head_hash,
                signed_ts=checkpoint.time_ms,
                note=checkpoint.note,
            )
        )


async def mirrored_size(engine: AsyncEngine) -> int:
    """The largest checkpoint size the database itself lists (0 for none)."""
    async with engine.connect() as conn:
        value = (await conn.execute(select(func.max(checkpoint_table.c.size)))).scalar()
    return int(value or 0)


async def check_against(log: AuditLog, checkpoints: CheckpointSet) -> CheckpointVerdict | None:
    """Judge the log against the checkpoints that bind it; ``None`` when there are none."""
    binding = checkpoints.binding
    if not binding:
        return None
    db_size, _ = await log.read_head()
    hashes = await log.hashes_at(cp.size for cp in binding if 0 < cp.size <= db_size)
    db_first = await log.first_seq()
    if db_first > 1:
        begin = await log.chain_start()
        if not isinstance(begin, VerifyReport):
            hashes[db_first - 1] = begin[1]
    return judge(binding, db_size, hashes, await mirrored_size(log.engine), db_first)


@dataclass(frozen=True, slots=True)
class AnchoredReport:
    """``audit verify``: the chain's own check plus the checkpoints'.

    Attributes:
        ok: The chain is intact, holds all the newest checkpoint signed, and every note read
            is valid.
        problem: The first thing wrong, by name: a checkpoint verdict (``truncated``,
            ``emptied``, ``rollback``, ``rewritten``), ``bad checkpoint``, or the chain's
            own problem (``edited``, ``deleted``, ``reordered``, ``bad key``, ``index``).
        message: One line for people.
        chain: The chain's report.
        verdicts: One verdict per checkpoint source that had any.
    """

    ok: bool
    problem: str | None
    message: str
    chain: VerifyReport
    verdicts: tuple[CheckpointVerdict, ...]


async def verify_anchored(
    log: AuditLog,
    sources: Sequence[CheckpointSet],
    *,
    deep: bool = False,
    progress: Callable[[int], None] | None = None,
) -> AnchoredReport:
    """Verify the chain, then judge it against each source of checkpoints (the file, a
    witness copy). A log that is short of, or different from, a signed head comes first in
    the message, then a broken chain, then bad notes."""
    chain = await log.verify(deep=deep, progress=progress)
    verdicts = [v for s in sources if (v := await check_against(log, s)) is not None]
    failed = [v for v in verdicts if not v.ok]
    notes = [p for s in sources for p in s.problems]
    parts = [v.message for v in failed]
    if not chain.ok:
        parts.append(chain.message)
    if notes:
        more = f" (and {len(notes) - 1} more)" if len(notes) > 1 else ""
        parts.append(notes[0] + more)
    if parts:
        problem = (
            failed[0].problem if failed else chain.problem if not chain.ok else "bad checkpoint"
        )
        return AnchoredReport(False, problem, "; ".join(parts), chain, tuple(verdicts))
    if verdicts:
        newest = max((v.checkpoint for v in verdicts if v.checkpoint), key=_size)
        tail = f"; holds all the {newest.describe()}"
    else:
        tail = "; no signed checkpoint yet, so records deleted from the end would go unseen"
    return AnchoredReport(True, None, chain.message + tail, chain, tuple(verdicts))
