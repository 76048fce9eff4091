"""The attachment check: one class owns the pipeline and its caches.

For each file of a media event (the file itself, then its thumbnail):

1. **size** — ``info.size`` above ``media.max_size`` is refused without downloading;
2. **download** through the homeserver (`MediaFetcher`), streaming, cut off past
   ``max_size``; encrypted files are decrypted on the fly and the ciphertext's SHA-256
   checked (`AttachmentDecryptor`);
3. **type** — libmagic on the first bytes (`sniff_type`), compared with the declared
   mimetype and the allow-list;
4. **scan** — clamd INSTREAM (`ClamdScanner`) from the spooled plaintext.

Memory stays bounded whatever the file size: chunks go into a `SpooledTemporaryFile` (the
first `spool_memory` bytes in memory, the rest in an unnamed temporary file) while being
hashed, and the scanner reads the spool back in 256 KB chunks. Only the first 16 KB are kept
for sniffing.

Plaintext on disk: the spill file is created by `tempfile.TemporaryFile` in a private
0700 directory — on Linux with ``O_TMPFILE``, so it never has a name another process could
open, elsewhere unlinked at once. It is closed (and its blocks freed) in a ``finally`` as
soon as the file's verdict is known, or by the kernel if the process dies. The blocks are
not overwritten: where decrypted attachments must never reach a disk, point `spool_dir` at
a tmpfs (``/dev/shm``, ``/run``).

Caches, bounded LRU with a TTL, and why they hold what they hold:

* by **content SHA-256** (of the plaintext): the sniffed type and clamd's verdict — the
  expensive parts, true of the bytes whatever event carries them. The declared-type check
  is redone per event because it depends on the event. The TTL lets a file be rescanned
  once signatures have been updated (freshclam).
* by **source** (mxc URL, plus key/IV/hash for an encrypted file): the content hash, or a
  verdict that follows from the stored bytes alone (too large while streaming, hash
  mismatch). Media in a homeserver's repository is immutable, so a second event reusing
  the same file is answered without downloading it again.

Transient failures (download errors, scanner unreachable or timed out) are never cached.

Coalescing: a source being fetched is not fetched twice, and content being examined is not
scanned twice — a second request awaits the first one's task/future. The shared work runs
in a task of its own, so a caller giving up (cancelled) does not cancel it for the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import shutil
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from bridge.config import MediaConfig, ScanFailure

from .clamd import ClamdScanner
from .download import AttachmentDecryptor, EncryptionInfo, MediaFetcher, parse_mxc
from .errors import (
    BlockReason,
    ClamdUnavailable,
    MediaBlocked,
    MediaPart,
    ScanLimitExceeded,
)
from .sniff import SNIFF_BYTES, canonical_type, sniff_type, type_allowed, types_match

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_CACHE_TTL",
    "DEFAULT_SPOOL_MEMORY",
    "MEDIA_MSGTYPES",
    "CheckerStats",
    "ContentFacts",
    "MediaChecker",
    "MediaSource",
    "MediaVerdict",
    "ScanStatus",
]

log = logging.getLogger(__name__)

MEDIA_MSGTYPES = frozenset({"m.image", "m.file", "m.audio", "m.video"})
DEFAULT_CACHE_SIZE = 4096
DEFAULT_CACHE_TTL = 3600.0
DEFAULT_SPOOL_MEMORY = 1024 * 1024

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class MediaVerdict:
    """The outcome of checking one media event.

    Attributes:
        allowed: the event may stay.
        reason: why not (None when allowed).
        sha256: hex SHA-256 of the (decrypted) file the verdict is about, when it was read.
        sniffed_type: the type libmagic saw, when it was read.
        size: the file's size in bytes, when known.
        note: set when allowed without a full check (scanner down under
            ``media.scan_failure: allow``), for the audit log.
    """

    allowed: bool
    reason: MediaBlocked | None
    sha256: str | None
    sniffed_type: str | None
    size: int | None
    note: str | None = None

    @property
    def message(self) -> str | None:
        """The one human line: the block reason, else the note."""
        return str(self.reason) if self.reason is not None else self.note


class ScanStatus(StrEnum):
    """clamd's part of `ContentFacts`."""

    CLEAN = "clean"
    INFECTED = "infected"
    SKIPPED = "skipped"  # sniffed type not allowed: blocked whatever clamd would say
    TOO_LONG = "too_long"  # above the scanner's stream limit
    UNAVAILABLE = "unavailable"  # transient: scanner unreachable / timed out / error


@dataclass(frozen=True, slots=True)
class ContentFacts:
    """What is true of a file's bytes, whatever event carries them (the content cache)."""

    sha256: str
    size: int
    sniffed_type: str
    scan: ScanStatus
    signature: str | None = None
    detail: str | None = None  # human text for TOO_LONG / UNAVAILABLE

    @property
    def cacheable(self) -> bool:
        return self.scan is not ScanStatus.UNAVAILABLE


@dataclass(frozen=True, slots=True)
class MediaSource:
    """Where a file's bytes come from: an mxc URL, decrypted with `encryption` if set."""

    mxc: str
    encryption: EncryptionInfo | None = None

    @property
    def key(self) -> tuple[Hashable, ...]:
        # The same ciphertext decrypted with another key is other content: key on all of it.
        if self.encryption is None:
            return (self.mxc,)
        enc = self.encryption
        return (self.mxc, enc.key, enc.iv, enc.sha256)


@dataclass(slots=True)
class CheckerStats:
    """Counters for logs, metrics and tests."""

    checks: int = 0
    source_cache_hits: int = 0  # answered without downloading
    content_cache_hits: int = 0  # downloaded, but not scanned again
    coalesced: int = 0  # waited for an identical check in flight


@dataclass(frozen=True, slots=True)
class _PartRequest:
    part: MediaPart
    source: MediaSource | None
    declared_type: str | None
    declared_size: int | None
    error: MediaBlocked | None = None


class _TtlLru(Generic[K, V]):
    """A bounded LRU whose entries also expire `ttl` seconds after being stored."""

    def __init__(self, max_entries: int, ttl: float, clock: Callable[[], float]) -> None:
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._max = max_entries
        self._ttl = ttl
        self._clock = clock

    def get(self, key: K) -> V | None:
        item = self._data.get(key)
        if item is None:
            return None
        stored, value = item
        if self._clock() - stored > self._ttl:
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._data[key] = (self._clock(), value)
        self._data.move_to_end(key)
        while len(self._data) > self._max:
            self._data.popitem(last=False)

    def clear(self) -> None:
        self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class _Spool:
    """The plaintext being checked: spooled to memory, then an unnamed temp file; hashed
    and sized as it is written, its head kept for sniffing."""

    def __init__(self, memory_limit: int, directory: str | None) -> None:
        # Closed by the owner's `finally` (`close`), not a `with`: it outlives this call.
        self.file = tempfile.SpooledTemporaryFile(max_size=memory_limit, dir=directory)  # noqa: SIM115
        self.sha = hashlib.sha256()
        self.size = 0
        self.head = bytearray()

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.sha.update(data)
        self.size += len(data)
        if len(self.head) < SNIFF_BYTES:
            self.head += data[: SNIFF_BYTES - len(self.head)]

    def close(self) -> None:
        self.file.close()


class MediaChecker:
    """Checks media events: size, real type, allow-list, virus scan (see the module doc)."""

    def __init__(
        self,
        config: MediaConfig,
        fetch: MediaFetcher,
        scanner: ClamdScanner,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        spool_memory: int = DEFAULT_SPOOL_MEMORY,
        spool_dir: str | Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Args:
        config: the ``media:`` section.
        fetch: downloads from the homeserver.
        scanner: the clamd client.
        cache_size: entries per cache (content and source).
        cache_ttl: seconds a verdict stays valid (rescan after signature updates).
        spool_memory: bytes of a file kept in memory before spilling to a temp file.
        spool_dir: where the private spill directory is made (default: the system's
            temporary directory; a tmpfs keeps plaintext off disk entirely).
        clock: monotonic seconds, for the TTL.
        """
        self.config = config
        self.fetcher = fetch
        self.scanner = scanner
        self.stats = CheckerStats()
        self._allowed = frozenset(canonical_type(t) for t in config.allowed_types)
        self._content: _TtlLru[str, ContentFacts] = _TtlLru(cache_size, cache_ttl, clock)
        self._sources: _TtlLru[tuple[Hashable, ...], str | MediaBlocked] = _TtlLru(
            cache_size, cache_ttl, clock
        )
        self._fetching: dict[tuple[Hashable, ...], asyncio.Task[ContentFacts]] = {}
        self._examining: dict[str, asyncio.Future[ContentFacts]] = {}
        self._spool_memory = spool_memory
        self._spool_parent = str(spool_dir) if spool_dir is not None else None
        self._spool_dir: str | None = None

    # ------------------------------------------------------------------ public API

    async def check(self, content: Mapping[str, Any] | Any) -> MediaVerdict:
        """Check a media event's content: the file, then its thumbnail if any.

        Args:
            content: ``m.room.message`` content with msgtype m.image / m.file / m.audio /
                m.video, or ``m.sticker`` content (a dict, or a mautrix content object).
                ``url`` or ``file`` (EncryptedFile), ``info.mimetype``, ``info.size``,
                ``info.thumbnail_url`` / ``info.thumbnail_file`` and
                ``info.thumbnail_info`` are used.

        Returns:
            The first blocking verdict (the file before its thumbnail; a thumbnail is not
            downloaded once the file is blocked), else the file's verdict.
            Never raises for a bad file or a failing scanner: every failure is a verdict,
            and an unexpected error is NOT_SCANNABLE (fail closed).
        """
        if not isinstance(content, Mapping) and hasattr(content, "serialize"):
            content = content.serialize()
        self.stats.checks += 1
        verdict: MediaVerdict | None = None
        notes: list[str] = []
        for request in _media_parts(content if isinstance(content, Mapping) else {}):
            part_verdict = await self._check_part(request)
            if not part_verdict.allowed:
                return part_verdict
            if part_verdict.note:
                notes.append(part_verdict.note)
            verdict = verdict or part_verdict
        assert verdict is not None  # _media_parts always yields the file part
        if notes and verdict.note is None:
            verdict = replace(verdict, note=notes[0])
        return verdict

    async def close(self) -> None:
        """Cancel checks in flight and remove the private spool directory."""
        tasks = list(self._fetching.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._spool_dir is not None:
            shutil.rmtree(self._spool_dir, ignore_errors=True)
            self._spool_dir = None

    # ------------------------------------------------------------------ one file

    async def _check_part(self, request: _PartRequest) -> MediaVerdict:
        part = request.part
        facts: ContentFacts | None = None
        try:
            if request.error is not None:
                raise request.error
            assert request.source is not None
            limit = self.config.max_size
            if request.declared_size is not None and request.declared_size > limit:
                raise MediaBlocked.too_large(request.declared_size, limit)
            facts = await self._facts(request.source)
            return self._decide(facts, request.declared_type, part)
        except MediaBlocked as err:
            return _blocked(err.for_part(part), facts)
        except Exception:
            # Fail closed: a bug or an unforeseen library error must not let a file through.
            log.exception("media check of %s failed unexpectedly", request.source)
            return _blocked(MediaBlocked.not_scannable("internal error").for_part(part), facts)

    def _decide(
        self, facts: ContentFacts, declared_type: str | None, part: MediaPart
    ) -> MediaVerdict:
        if not types_match(declared_type, facts.sniffed_type):
            assert declared_type is not None
            mismatch = MediaBlocked.type_mismatch(declared_type, facts.sniffed_type)
            return _blocked(mismatch.for_part(part), facts)
        if not type_allowed(facts.sniffed_type, self._allowed):
            refused = MediaBlocked.type_not_allowed(facts.sniffed_type)
            return _blocked(refused.for_part(part), facts)
        blocked: MediaBlocked | None = None
        note: str | None = None
        match facts.scan:
            case ScanStatus.INFECTED:
                blocked = MediaBlocked.malware(facts.signature or "unknown signature")
            case ScanStatus.TOO_LONG:
                blocked = MediaBlocked.not_scannable(facts.detail or "too large for the scanner")
            case ScanStatus.UNAVAILABLE if self.config.scan_failure is ScanFailure.BLOCK:
                blocked = MediaBlocked.not_scannable(facts.detail or "scanner unavailable")
            case ScanStatus.UNAVAILABLE:
                note = (
                    f"not virus-scanned: {facts.detail or 'scanner unavailable'} "
                    "(media.scan_failure: allow)"
                )
            case ScanStatus.CLEAN | ScanStatus.SKIPPED:
                pass
        if blocked is not None:
            return _blocked(blocked.for_part(part), facts)
        return MediaVerdict(True, None, facts.sha256, facts.sniffed_type, facts.size, note)

    async def _facts(self, source: MediaSource) -> ContentFacts:
        """The content facts for a source: from the caches, or by fetching it once."""
        known = self._sources.get(source.key)
        if isinstance(known, MediaBlocked):
            self.stats.source_cache_hits += 1
            raise known.for_part(known.part)
        if known is not None:
            facts = self._content.get(known)
            if facts is not None:
                self.stats.source_cache_hits += 1
                return facts
        task = self._fetching.get(source.key)
        if task is None:
            task = asyncio.create_task(self._fetch_and_examine(source))
            self._fetching[source.key] = task
            task.add_done_callback(lambda t, key=source.key: self._fetch_done(key, t))
        else:
            self.stats.coalesced += 1
        # Shielded: this caller being cancelled must not cancel the work others await.
        return await asyncio.shield(task)

    def _fetch_done(self, key: tuple[Hashable, ...], task: asyncio.Task[ContentFacts]) -> None:
        if self._fetching.get(key) is task:
            del self._fetching[key]
        if not task.cancelled():
            task.exception()  # retrieved here, so a task nobody awaits any more stays quiet

    async def _fetch_and_examine(self, source: MediaSource) -> ContentFacts:
        spool = _Spool(self._spool_memory, self._private_dir())
        try:
            try:
                await self._download(source, spool)
            except MediaBlocked as err:
                # Verdicts that follow from the stored bytes alone: no need to fetch again.
                if err.reason in (BlockReason.TOO_LARGE, BlockReason.HASH_MISMATCH):
                    self._sources.put(source.key, err)
                raise
            except OSError as err:  # disk full, spool directory gone …
                raise MediaBlocked.not_scannable(f"could not spool the file ({err})") from err
            sha = spool.sha.hexdigest()
            facts = self._content.get(sha)
            if facts is not None:
                self.stats.content_cache_hits += 1
            else:
                facts = await self._examine_once(sha, spool)
            if facts.cacheable:
                self._sources.put(source.key, sha)
            return facts
        finally:
            # The plaintext goes as soon as its verdict is known.
            spool.close()

    async def _download(self, source: MediaSource, spool: _Spool) -> None:
        decryptor = AttachmentDecryptor(source.encryption) if source.encryption else None

        def sink(chunk: bytes) -> None:
            spool.write(decryptor.update(chunk) if decryptor is not None else chunk)

        await self.fetcher.fetch(source.mxc, sink, max_size=self.config.max_size)
        if decryptor is not None:
            decryptor.verify()

    async def _examine_once(self, sha: str, spool: _Spool) -> ContentFacts:
        """Sniff and scan, unless the same content is being examined already (then wait)."""
        pending = self._examining.get(sha)
        if pending is not None:
            self.stats.coalesced += 1
            return await asyncio.shield(pending)
        future: asyncio.Future[ContentFacts] = asyncio.get_running_loop().create_future()
        self._examining[sha] = future
        try:
            facts = await self._examine(sha, spool)
        except BaseException as err:
            failure = err
            if isinstance(err, asyncio.CancelledError):
                failure = MediaBlocked.not_scannable("the check was cancelled")
            future.set_exception(failure)
            future.exception()  # mark retrieved: there may be no waiter
            raise
        else:
            future.set_result(facts)
            return facts
        finally:
            del self._examining[sha]

    async def _examine(self, sha: str, spool: _Spool) -> ContentFacts:
        # libmagic releases the GIL; text heuristics cost milliseconds, so keep them off
        # the event loop.
        sniffed = await asyncio.to_thread(sniff_type, bytes(spool.head))
        size = spool.size
        if not type_allowed(sniffed, self._allowed):
            # Blocked whatever clamd would say; spare the scan.
            facts = ContentFacts(sha, size, sniffed, ScanStatus.SKIPPED)
        else:
            spool.file.seek(0)
            try:
                result = await self.scanner.scan_file(spool.file, size)
            except ScanLimitExceeded as err:
                log.warning(
                    "attachment %s (%d bytes) exceeds clamd's stream limit (%d): raise "
                    "StreamMaxLength to at least media.max_size",
                    sha,
                    size,
                    err.limit,
                )
                facts = ContentFacts(sha, size, sniffed, ScanStatus.TOO_LONG, detail=str(err))
            except ClamdUnavailable as err:
                log.warning("attachment %s not scanned: %s", sha, err)
                facts = ContentFacts(sha, size, sniffed, ScanStatus.UNAVAILABLE, detail=str(err))
            else:
                status = ScanStatus.INFECTED if result.infected else ScanStatus.CLEAN
                facts = ContentFacts(sha, size, sniffed, status, signature=result.signature)
        if facts.cacheable:
            self._content.put(sha, facts)
        return facts

    def _private_dir(self) -> str | None:
        """A 0700 directory of our own for spill files (made on first use)."""
        if self._spool_dir is None or not Path(self._spool_dir).is_dir():
            self._spool_dir = tempfile.mkdtemp(prefix="phigate-media-", dir=self._spool_parent)
        return self._spool_dir


# ---------------------------------------------------------------------- event parsing


def _blocked(reason: MediaBlocked, facts: ContentFacts | None) -> MediaVerdict:
    if facts is None:
        return MediaVerdict(False, reason, None, None, None)
    return MediaVerdict(False, reason, facts.sha256, facts.sniffed_type, facts.size)


def _declared_size(value: object) -> int | None:
    # A declared size is only a hint (it can lie; the download enforces the limit anyway).
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _declared_type(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _source(url: object, file: object) -> MediaSource:
    if file is not None:
        enc = EncryptionInfo.from_file(file)
        return MediaSource(enc.url, enc)
    # Validate now, so a bad URL is a verdict rather than an error inside the fetch.
    parse_mxc(url)
    return MediaSource(str(url))


def _media_parts(content: Mapping[str, Any]) -> list[_PartRequest]:
    """The file and (if any) the thumbnail of a media event, in checking order."""
    info = content.get("info")
    info = info if isinstance(info, Mapping) else {}
    parts: list[_PartRequest] = []
    declared = (_declared_type(info.get("mimetype")), _declared_size(info.get("size")))
    if content.get("file") is None and content.get("url") is None:
        parts.append(
            _PartRequest(
                MediaPart.FILE,
                None,
                *declared,
                error=MediaBlocked.not_scannable("the event names no media file"),
            )
        )
    else:
        try:
            parts.append(
                _PartRequest(
                    MediaPart.FILE, _source(content.get("url"), content.get("file")), *declared
                )
            )
        except MediaBlocked as err:
            parts.append(_PartRequest(MediaPart.FILE, None, *declared, error=err))
    thumb_url, thumb_file = info.get("thumbnail_url"), info.get("thumbnail_file")
    if thumb_url is not None or thumb_file is not None:
        tinfo = info.get("thumbnail_info")
        tinfo = tinfo if isinstance(tinfo, Mapping) else {}
        tdeclared = (_declared_type(tinfo.get("mimetype")), _declared_size(tinfo.get("size")))
        try:
            source = _source(thumb_url, thumb_file)
            parts.append(_PartRequest(MediaPart.THUMBNAIL, source, *tdeclared))
        except MediaBlocked as err:
            parts.append(_PartRequest(MediaPart.THUMBNAIL, None, *tdeclared, error=err))
    return parts
