"""Audit operations both the CLI and the bot commands call: time arguments, filters, verify
against the signed checkpoints, the accounting of disclosures, content search, key rotation,
retention (prune) and legal holds."""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bridge.audit import AuditEntry, AuditFilter, AuditRecord, RecordKind, record_to_jsonl
from bridge.audit.checkpoint import (
    AnchoredReport,
    CheckpointFile,
    CheckpointSet,
    read_checkpoints,
    verify_anchored,
)
from bridge.audit.checkpointer import Checkpointer, CheckpointRefused
from bridge.audit.disclosures import (
    Disclosure,
    DisclosureQuery,
    default_since,
    disclosures,
    render,
)
from bridge.audit.keyring import AuditKeyring, rotate_key_file
from bridge.audit.records import CATEGORIES
from bridge.audit.retention import PruneResult, prune
from bridge.audit.search import rebuild_index, search
from bridge.audit.signed_note import NoteVerifier
from bridge.audit.signing import SigningKeys, rotate_signing_key
from bridge.config import Config
from bridge.errors import AuditIntegrityError, InvalidArgument
from bridge.policy import SenderKind
from bridge.policy.agreements import format_ms, parse_expiry
from bridge.tasks import cancel_and_wait

if TYPE_CHECKING:
    from bridge.service.app import Services

log = logging.getLogger(__name__)
#: The running bridge prunes this often (and once shortly after start).
PRUNE_INTERVAL_S = 86_400.0
PRUNE_FIRST_DELAY_S = 300.0

_AGO = re.compile(r"(\d{1,6})([mhdw])")
_UNIT_MS = {"m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A ``since`` / ``until`` value: an instant, or a duration before now (``24h``).

    Parsed before the clock is read, so a relative value is resolved later.
    """

    absolute_ms: int | None = None
    ago_ms: int | None = None

    def resolve(self, now_ms: int) -> int:
        return self.absolute_ms if self.absolute_ms is not None else now_ms - (self.ago_ms or 0)


def parse_instant(text: str) -> TimeRef:
    """``YYYY-MM-DD`` (00:00 UTC), an ISO date-time with zone, a number of ms since the epoch,
    or ``30m`` / ``24h`` / ``7d`` / ``2w`` ago.

    Raises:
        InvalidArgument: none of these.
    """
    value = text.strip()
    match = _AGO.fullmatch(value.lower())
    if match:
        return TimeRef(ago_ms=int(match.group(1)) * _UNIT_MS[match.group(2)])
    if value.isdigit() and len(value) >= 12:
        return TimeRef(absolute_ms=int(value))
    try:
        return TimeRef(absolute_ms=parse_expiry(value))
    except InvalidArgument:
        shown = value if len(value) <= 40 else value[:37] + "..."
        raise InvalidArgument(
            f"bad time {shown!r}; expected YYYY-MM-DD, an ISO date-time with zone, "
            "or a duration ago such as 24h or 7d"
        ) from None


def audit_filter(
    *,
    vendor: str | None = None,
    user: str | None = None,
    room: str | None = None,
    category: str | None = None,
    since: TimeRef | None = None,
    until: TimeRef | None = None,
    limit: int | None = 100,
    now_ms: int,
) -> AuditFilter:
    """The one place query arguments become a filter (CLI flags and `!audit query` alike)."""
    if category is not None and category not in CATEGORIES:
        raise InvalidArgument(
            f"unknown category {category!r}; expected one of: {', '.join(sorted(CATEGORIES))}"
        )
    if limit is not None and limit < 1:
        raise InvalidArgument("limit must be at least 1")
    since_ms = since.resolve(now_ms) if since else None
    until_ms = until.resolve(now_ms) if until else None
    if since_ms is not None and until_ms is not None and since_ms >= until_ms:
        raise InvalidArgument("since must be before until")
    return AuditFilter(
        vendor=vendor,
        user=user,
        room=room,
        category=category,
        since_ms=since_ms,
        until_ms=until_ms,
        limit=limit,
    )


def record_line(record: AuditRecord) -> str:
    """One human-readable line per record (never the content)."""
    parts = [
        f"#{record.seq}",
        format_ms(record.recorded_ts),
        record.kind.value,
        record.event_type,
        f"room={record.room_id or '-'}",
        f"sender={record.sender or '-'}",
        f"category={record.category or '-'}",
        f"decision={record.decision or '-'}",
    ]
    if record.reason:
        parts.append(f"reason={record.reason}")
    return "  ".join(parts)


# --- checkpoints ------------------------------------------------------------------------------


def signing_keys(config: Config, *, create: bool = False) -> SigningKeys:
    """The checkpoint signing key (and earlier ones); ``create`` writes one if missing.

    Raises:
        AuditKeyError: the key file is missing (without ``create``) or invalid.
    """
    load = SigningKeys.load_or_create if create else SigningKeys.load
    return load(config.audit.signing_key_file, config.audit.checkpoint_origin)


def checkpoint_file(config: Config) -> CheckpointFile:
    return CheckpointFile(config.audit.checkpoint_file)


def checkpointer(services: Services, keys: SigningKeys | None = None) -> Checkpointer:
    """A checkpointer for one-off use (the CLI); the bridge builds its own with a witness."""
    config = services.config
    return Checkpointer(
        services.audit,
        keys if keys is not None else signing_keys(config, create=True),
        checkpoint_file(config),
        interval_s=config.audit.checkpoint_interval_seconds,
        clock=services.agreements.now_ms,
    )


def checkpoint_sources(config: Config, extra: Sequence[Path] = ()) -> list[CheckpointSet]:
    """The checkpoint file and any further copies (a witness's), each read and checked.
    The signing keys are only needed (and loaded) when there is a checkpoint to check.

    Raises:
        AuditKeyError: there are checkpoints but no signing key file to check them with.
    """
    files = [checkpoint_file(config), *(CheckpointFile(p) for p in extra)]
    notes = [(f, f.read_notes(witness_copy=i > 0)) for i, f in enumerate(files)]
    return [checkpoint_set(config, found, str(f.path)) for f, found in notes if found]


def checkpoint_set(config: Config, notes: Sequence[str], source: str) -> CheckpointSet:
    """Notes from one source (a file, the witness), opened with the signing keys.

    Raises:
        AuditKeyError: no signing key file to check them with.
    """
    verifiers: Sequence[NoteVerifier] = signing_keys(config).verifiers
    return read_checkpoints(notes, verifiers, config.audit.checkpoint_origin, source)


async def verify_sources(
    services: Services,
    sources: Sequence[CheckpointSet],
    *,
    deep: bool = False,
    progress: Callable[[int], None] | None = None,
) -> AnchoredReport:
    """The chain, then the newest signed checkpoint of each source (the file, copies of the
    witness): what `audit verify` and `!audit verify` report."""
    return await verify_anchored(services.audit, sources, deep=deep, progress=progress)


# --- retention -------------------------------------------------------------------------------


async def prune_log(
    services: Services, signer: Checkpointer, *, actor: str, dry_run: bool = False
) -> PruneResult:
    """Prune what ``audit.retention`` lets go (bridge.audit.retention); ``signer`` signs the
    checkpoint that records the prune before anything is deleted.

    Raises:
        AuditIntegrityError: the chain does not verify, or the checkpoint was refused;
            nothing was deleted.
    """

    async def sign(pruned: tuple[int, bytes]) -> None:
        try:
            await signer.checkpoint(pruned=pruned)
        except CheckpointRefused as e:
            raise AuditIntegrityError(f"not pruning: {e}") from None

    return await prune(
        services.audit,
        services.config.audit.retention,
        now_ms=services.agreements.now_ms(),
        actor=actor,
        sign=sign,
        dry_run=dry_run,
    )


class DailyPrune:
    """The running bridge's retention: a prune shortly after start, then once a day. A
    failure is logged and told to the control room, and tried again the next day."""

    def __init__(
        self,
        services: Services,
        signer: Checkpointer,
        *,
        actor: str,
        alert: Callable[[str], Awaitable[None]] | None = None,
        interval_s: float = PRUNE_INTERVAL_S,
        first_delay_s: float = PRUNE_FIRST_DELAY_S,
    ) -> None:
        self._services = services
        self._signer = signer
        self._actor = actor
        self._alert = alert
        self._interval = interval_s
        self._first_delay = first_delay_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="phigate-audit-prune")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        await asyncio.sleep(self._first_delay)
        while True:
            await self.once()
            await asyncio.sleep(self._interval)

    async def once(self) -> PruneResult | None:
        try:
            result = await prune_log(self._services, self._signer, actor=self._actor)
        except Exception as e:
            log.exception("audit retention prune failed")
            if self._alert is not None:
                why = str(e) or type(e).__name__
                await self._alert(f"⚠ Audit retention: the daily prune failed: {why}")
            return None
        if result.pruned:
            log.info("audit retention: %s", result.message)
        return result


# --- the accounting of disclosures ---------------------------------------------------------------


def disclosure_query(
    *,
    patient: str | None,
    vendor: str | None,
    since: TimeRef | None,
    until: TimeRef | None,
    now_ms: int,
) -> DisclosureQuery:
    """The one place disclosure arguments become a query (CLI flags and the bot alike);
    the range defaults to the six years up to now (inclusive)."""
    until_ms = until.resolve(now_ms) if until else now_ms + 1
    since_ms = since.resolve(now_ms) if since else default_since(now_ms)
    return DisclosureQuery(since_ms=since_ms, until_ms=until_ms, patient=patient, vendor=vendor)


async def accounting(services: Services, query: DisclosureQuery) -> list[Disclosure]:
    return await disclosures(services.audit, query)


# --- progress on a terminal ------------------------------------------------------------------


class TerminalProgress:
    """A progress line on stderr while a long verify or export runs — only when stderr is a
    terminal: piped or redirected, nothing extra is written. Call it with the seq reached
    (from any thread); it redraws at most every ``every_s`` seconds.

    Args:
        label: What is running (``verify``, ``export``).
        first: The first seq of the walk.
        last: The last seq (``None``: unknown, then only counts are shown).
    """

    WIDTH = 30

    def __init__(
        self,
        label: str,
        first: int,
        last: int | None,
        *,
        stream: TextIO | None = None,
        every_s: float = 0.2,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self.enabled = self._stream.isatty()
        self._label = label
        self._first = first
        self._last = last
        self._every = every_s
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn = 0
        self._lock = threading.Lock()

    def __call__(self, seq: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn_at < self._every:
            return
        with self._lock:
            self._drawn_at = now
            self._draw(seq, now)

    def _draw(self, seq: int, now: float) -> None:
        done = max(0, seq - self._first + 1)
        rate = done / max(now - self._started, 1e-6)
        if self._last is not None and self._last >= self._first:
            total = self._last - self._first + 1
            share = min(1.0, done / total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = f"{self._label} [{bar}] {share:4.0%}  {done:,}/{total:,} records  {rate:,.0f}/s"
        else:
            text = f"{self._label}  {done:,} records  {rate:,.0f}/s"
        pad = " " * max(0, self._drawn - len(text))
        self._stream.write("\r" + text + pad)
        self._stream.flush()
        self._drawn = len(text)

    def close(self) -> None:
        """Wipe the line, so the result line that follows stands alone."""
        if self.enabled and self._drawn:
            self._stream.write("\r" + " " * self._drawn + "\r")
            self._stream.flush()
            self._drawn = 0


async def _walk_progress(services: Services, label: str) -> TerminalProgress:
    first = await services.audit.first_seq()
    last, _ = await services.audit.read_head()
    return TerminalProgress(label, max(first, 1), last)


# --- CLI entry points (bridge/cli.py) ----------------------------------------------------------


async def verify(services: Services, args: argparse.Namespace | None = None) -> int:
    extra = [Path(p) for p in (getattr(args, "checkpoint", None) or [])]
    deep = bool(getattr(args, "deep", False))
    progress = await _walk_progress(services, "verify")
    try:
        report = await verify_sources(
            services,
            checkpoint_sources(services.config, extra),
            deep=deep,
            progress=progress if progress.enabled else None,
        )
    finally:
        progress.close()
    stream = sys.stdout if report.ok else sys.stderr
    print(report.message, file=stream)
    return 0 if report.ok else 1


async def prune_command(services: Services, args: argparse.Namespace) -> int:
    """Prune now (``--dry-run``: say what would go, change nothing)."""
    result = await prune_log(
        services, checkpointer(services), actor="cli", dry_run=bool(args.dry_run)
    )
    print(result.message)
    return 0


async def checkpoint_command(services: Services, args: argparse.Namespace) -> int:
    """Sign the head now (``--reanchor REASON``: accept a head that does not extend the last
    checkpoint, after a restore from backup; the reason goes on the audit record)."""
    signer = checkpointer(services)
    if args.reanchor:
        await _audit_system(
            services, "org.phigate.audit_reanchor", "reanchored", args.reanchor.strip()
        )
    checkpoint = await signer.checkpoint(reanchor=bool(args.reanchor))
    if checkpoint is None:
        last = signer.last
        print(f"nothing appended since the {last.describe()}" if last else "nothing to sign")
        return 0
    print(f"signed the {checkpoint.describe()} into {services.config.audit.checkpoint_file}")
    return 0


async def rotate_key_command(config: Config, args: argparse.Namespace) -> int:
    """Rotate the content key and/or the signing key; old keys stay (in ``.old/``) for
    reading and verifying what they sealed or signed."""
    both = not args.content and not args.signing
    lines: list[str] = []
    if args.content or both:
        old_id = AuditKeyring.load(config.audit_key_file).primary_id
        new_id = rotate_key_file(config.audit_key_file)
        lines.append(f"audit content key {old_id} → {new_id} (old key kept in .old/)")
    old_keys = None
    if args.signing or both:
        old_keys = signing_keys(config, create=True)
        rotate_signing_key(config.audit.signing_key_file)
    from bridge.service.app import open_services

    services = await open_services(config)
    try:
        for line in lines:
            await _audit_system(services, "org.phigate.audit_key_rotation", "rotated", line)
        if old_keys is not None:
            keys = signing_keys(config)
            line = (
                f"audit signing key {old_keys.signer.verifier.key_id.hex()} →"
                f" {keys.signer.verifier.key_id.hex()} (old key kept in .old/)"
            )
            await _audit_system(services, "org.phigate.audit_key_rotation", "rotated", line)
            lines.append(line)
            # The first checkpoint under the new key is signed by the old one too, so the new
            # key is vouched for by a key the auditors already trust.
            await checkpointer(services, keys).checkpoint(cosigners=[old_keys.signer])
            lines.append(f"new verifier key: {keys.vkey}")
    finally:
        await services.close()
    for line in lines:
        print(line)
    print("restart PHI Gate so it encrypts and signs with the new keys")
    return 0


def vkey_command(config: Config) -> int:
    keys = signing_keys(config)
    print(keys.vkey)
    for old in keys.old_signers:
        print(f"{old.verifier.vkey}  (earlier key)")
    return 0


async def reindex_command(services: Services) -> int:
    indexed, skipped = await rebuild_index(services.audit)
    bad = f"; {skipped} skipped (content fails authentication: run audit verify)"
    print(f"content index rebuilt for {indexed} record(s){bad if skipped else ''}")
    return 0


async def disclosures_command(services: Services, args: argparse.Namespace) -> int:
    now = services.agreements.now_ms()
    query = disclosure_query(
        patient=args.patient,
        vendor=args.vendor,
        since=parse_instant(args.since) if args.since else None,
        until=parse_instant(args.until) if args.until else None,
        now_ms=now,
    )
    rows = await accounting(services, query)
    sys.stdout.write(render(args.format, rows, query, now))
    return 0


async def _audit_system(services: Services, event_type: str, decision: str, reason: str) -> None:
    await services.audit.append_one(
        AuditEntry(
            kind=RecordKind.SYSTEM,
            recorded_ts=services.agreements.now_ms(),
            event_type=event_type,
            sender="cli",
            sender_kind=SenderKind.ADMIN,
            decision=decision,
            reason=reason,
        )
    )


async def query_command(services: Services, args: argparse.Namespace) -> int:
    now = services.agreements.now_ms()
    f = audit_filter(
        vendor=args.vendor,
        user=args.user,
        room=args.room,
        category=args.category,
        since=parse_instant(args.since) if args.since else None,
        until=parse_instant(args.until) if args.until else None,
        limit=args.limit,
        now_ms=now,
    )
    contains = getattr(args, "contains", None)
    if contains:
        records = await search(services.audit, contains, f, with_content=args.content)
    else:
        records = await services.audit.query(f, with_content=args.content)
    for record in records:
        print(record_to_jsonl(record) if args.json else record_line(record))
    if not args.json:
        print(f"{len(records)} record(s)", file=sys.stderr)
    return 0


async def export_command(services: Services, args: argparse.Namespace) -> int:
    now = services.agreements.now_ms()
    since = parse_instant(args.since).resolve(now) if args.since else None
    total = None
    if since is None:
        first, (last, _) = await services.audit.first_seq(), await services.audit.read_head()
        total = last - first + 1 if first else 0
    progress = TerminalProgress("export", 1, total)  # counts lines; the total when known
    count = 0
    try:
        async for line in services.audit.iter_export(args.format, since):
            sys.stdout.write(line if line.endswith("\n") else line + "\n")
            count += 1
            if count % 1000 == 0:
                progress(count)
    finally:
        progress.close()
    return 0
