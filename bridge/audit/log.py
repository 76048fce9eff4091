"""The audit log: append (batched, hash-chained, encrypted), verify, query, export."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from sqlalchemy import Select, exists, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bridge.audit import chain, sqlite_walk
from bridge.audit.chain import GENESIS, META_COLUMNS, NONCE_BYTES, encode_meta
from bridge.audit.export import record_to_cef, record_to_jsonl
from bridge.audit.keyring import AuditKeyring
from bridge.audit.models import (
    BUCKET_BITS,
    keys_table,
    party_table,
    prune_table,
    record_table,
    token_table,
)
from bridge.audit.recent import ALWAYS_ASK, Known, RecentEvents
from bridge.audit.records import (
    CATEGORIES,
    AuditEntry,
    AuditFilter,
    AuditRecord,
    RecordKind,
    VerifyReport,
)
from bridge.audit.search import Blinder, blinder, content_words
from bridge.audit.walk import ChainWalk, Progress, SqliteWalkSql
from bridge.errors import AuditIntegrityError, AuditKeyError
from bridge.store.inserts import BulkInsert

# Plaintext sealed in audit_keys.key_check; decrypting it proves a key is the registered one.
KEY_CHECK_PLAINTEXT = b"phigate-audit-key-check-v1"
#: ``event_type`` of the record that announces a prune (bridge.audit.retention); its content
#: says up to which record and hash, and the walk of a pruned log starts from it.
PRUNE_EVENT = "org.phigate.audit_prune"
# A seq collision means another writer appended first; we reload its tail, wait a random
# moment (so two busy writers do not keep colliding in lockstep) and re-seal. Many in a row
# means something else is wrong, so give up loudly.
_MAX_APPEND_ATTEMPTS = 20
_RETRY_MAX_SLEEP = 0.05
# Rows per fetch when walking the chain: large enough that the per-fetch round trip to the
# driver thread is noise, small enough to keep memory flat.
_STREAM_BATCH = 5000
# Bound parameters per IN (…): well under SQLite's and asyncpg's limits.
_IN_CHUNK = 500
# A vendor/user/room query looks at this many index buckets first, then 4x more each round.
_FIRST_WINDOW = 4

_R = record_table.c
_P = party_table.c
# Everything verify hashes, in encode_meta() order, then the stored hash and ciphertext.
# prev_hash is not read: the running hash is what is chained; the column is only consulted
# to explain a mismatch.
_VERIFY_COLUMNS = (*(_R[name] for name in META_COLUMNS), _R.hash, _R.sealed)
_RECORD_COLUMNS = (*_VERIFY_COLUMNS, _R.prev_hash)

# RecordKind members hash like their values, so this maps both spellings in one lookup.
_KIND_VALUES: dict[str, str] = {k.value: k.value for k in RecordKind}

# Everything about an entry that does not depend on its place in the chain.
_Prepared = tuple[
    int, int | None, int, str, str, str | None, str | None, str | None, str | None,
    str | None, str, bytes, list[str], list[bytes],
]  # fmt: skip


def _prepare(entry: AuditEntry, blind: Blinder) -> _Prepared:
    """Validate an entry and encode what does not depend on its seq (so a retry after a seq
    collision only re-seals), including the blind-index tokens of its words."""
    kind = _KIND_VALUES.get(entry.kind)
    if kind is None:
        raise ValueError(f"audit record kind must be one of {', '.join(_KIND_VALUES)}")
    if entry.category is not None and entry.category not in CATEGORIES:
        raise ValueError(f"audit category must be one of {sorted(CATEGORIES)} or None")
    clean = chain.clean_text
    keys = chain.party_keys(entry)
    details = chain.encode_details(
        entry.sender_kind,
        tuple(entry.counterparties),
        entry.reason,
        entry.subject_vendor,
        entry.subject_user,
        entry.category_reasons,
    )
    return (
        int(entry.recorded_ts),
        None if entry.event_ts is None else int(entry.event_ts),
        len(keys),
        kind,
        clean(entry.event_type),
        None if entry.event_id is None else clean(entry.event_id),
        None if entry.room_id is None else clean(entry.room_id),
        None if entry.sender is None else clean(entry.sender),
        entry.category,
        None if entry.decision is None else clean(entry.decision),
        details,
        chain.encode_content(entry.content),
        keys,
        [blind(word) for word in content_words(entry.content)],
    )


class AuditLog:
    """Append-only, hash-chained, encrypted audit log (see :mod:`bridge.audit.chain`).

    One instance per process: appends are serialised by an :class:`asyncio.Lock` and the
    tail (last seq and hash) is cached. Another process (the CLI) may append to the same
    database; the primary key on ``seq`` makes the later writer fail, reload the tail and
    retry, so the chain never forks.

    Create with :meth:`open`.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        keyring: AuditKeyring,
        tail: tuple[int, bytes],
        recent: RecentEvents | None = None,
    ):
        self._engine = engine
        self._keyring = keyring
        self._tail = tail
        # Event records appended by this process (see bridge.audit.recent): most calls of
        # has_events need no query.
        self._recent = recent if recent is not None else RecentEvents(floor=ALWAYS_ASK)
        self._lock = asyncio.Lock()
        self._insert_records = BulkInsert(engine.dialect, record_table)
        self._insert_parties = BulkInsert(engine.dialect, party_table)
        self._insert_tokens = BulkInsert(engine.dialect, token_table)
        # Content words are indexed under the primary key's blind-index key (bridge.audit.search).
        self._blind = blinder(keyring.index_key(keyring.primary_id))

    # ------------------------------------------------------------------ opening, keys

    @classmethod
    async def open(cls, engine: AsyncEngine, keyring: AuditKeyring, *, now_ms: int) -> AuditLog:
        """Check the key against the database, register a new key, load the tail.

        A key is registered (row in ``audit_keys``) the first time it is used on a database:
        on an empty log, or on a log whose records use a key the keyring still holds as an
        old key (= rotation).

        Args:
            engine: Engine on a database whose audit tables exist (migrations ran).
            keyring: The audit keys.
            now_ms: Current time, stored as the key's registration time.

        Raises:
            AuditKeyError: the log holds records and none of the keys they were written
                with is in the keyring ("audit key does not match …"), or a registered key
                fails its check value. Nothing is written in that case.
        """
        async with engine.connect() as conn:
            registered = {
                row.key_id: bytes(row.key_check)
                for row in await conn.execute(select(keys_table.c.key_id, keys_table.c.key_check))
            }
            tail_row = (
                await conn.execute(
                    select(_R.seq, _R.hash, _R.key_id).order_by(_R.seq.desc()).limit(1)
                )
            ).first()
            newest_event_ts = (await conn.execute(select(func.max(_R.event_ts)))).scalar()
        for key_id, check in registered.items():
            if key_id in keyring:
                _check_key(keyring, key_id, check)
        if tail_row is not None:
            used = set(registered) | {tail_row.key_id}
            if not used & keyring.key_ids:
                raise AuditKeyError(
                    f"audit key does not match the audit log in the database"
                    f" ({keyring.describe()}; the log was written with key id"
                    f" {', '.join(sorted(used))})"
                )
        if keyring.primary_id not in registered:
            nonce = os.urandom(NONCE_BYTES)
            check = nonce + keyring.primary.encrypt(
                nonce, KEY_CHECK_PLAINTEXT, keyring.primary_id.encode()
            )
            try:
                async with engine.begin() as conn:
                    await conn.execute(
                        insert(keys_table).values(
                            key_id=keyring.primary_id, created_ts=int(now_ms), key_check=check
                        )
                    )
            except IntegrityError:
                pass  # another process registered the same key at the same moment
        tail = (tail_row.seq, bytes(tail_row.hash)) if tail_row is not None else (0, GENESIS)
        # No event on the record yet: every event is new until it is recorded.
        floor = int(newest_event_ts) if newest_event_ts is not None else -1
        return cls(engine, keyring, tail, RecentEvents(floor))

    @property
    def keyring(self) -> AuditKeyring:
        """The keys this log encrypts and decrypts with."""
        return self._keyring

    @property
    def head(self) -> tuple[int, str]:
        """Last seq and its hex hash as this instance knows them (0 and zeros when empty)."""
        return self._tail[0], self._tail[1].hex()

    @property
    def engine(self) -> AsyncEngine:
        """The database the log lives in (for the modules that keep tables beside it)."""
        return self._engine

    async def read_head(self) -> tuple[int, bytes]:
        """Last seq and hash as stored now (another process may have appended)."""
        return await self._read_tail()

    async def hashes_at(self, seqs: Iterable[int]) -> dict[int, bytes]:
        """The stored hash of each of these records that exists."""
        wanted = sorted(set(seqs))
        found: dict[int, bytes] = {}
        async with self._engine.connect() as conn:
            for i in range(0, len(wanted), _IN_CHUNK):
                stmt = select(_R.seq, _R.hash).where(_R.seq.in_(wanted[i : i + _IN_CHUNK]))
                found.update((row.seq, bytes(row.hash)) for row in await conn.execute(stmt))
        return found

    # ------------------------------------------------------------------ appending

    async def append(
        self,
        entries: Sequence[AuditEntry],
        *,
        also: Callable[[AsyncConnection], Awaitable[None]] | None = None,
    ) -> list[int]:
        """Append entries in order, in ONE transaction.

        ``also`` writes what must be committed together with the records (it runs inside the
        same transaction, again if the append is retried, and must be idempotent).

        Returns:
            The seqs assigned, in the order of ``entries``.

        Raises:
            ValueError: an entry has an unknown kind or category.
            TypeError: a metadata field is not text, or the content is not
                JSON-serialisable.
            AuditIntegrityError: another writer kept winning the race for the next seq.
        """
        prepared = [_prepare(e, self._blind) for e in entries]
        if not prepared and also is None:
            return []
        async with self._lock:
            for attempt in range(_MAX_APPEND_ATTEMPTS):
                seq0, prev = self._tail
                records, parties, tokens, last_hash = self._seal(prepared, seq0, prev)
                try:
                    async with self._engine.begin() as conn:
                        await self._insert_records(conn, records)
                        await self._insert_parties(conn, parties)
                        await self._insert_tokens(conn, tokens)
                        if also is not None:
                            await also(conn)
                except IntegrityError:
                    # Most likely another process appended after our cached tail: reload and
                    # re-seal on top of it. If the tail did not move, it was something else.
                    tail = await self._read_tail()
                    if tail == (seq0, prev):
                        raise
                    self._tail = tail
                    await asyncio.sleep(
                        random.uniform(0, min(_RETRY_MAX_SLEEP, 0.001 * 2**attempt))
                    )
                    continue
                self._tail = (seq0 + len(prepared), last_hash)
                for entry in entries:
                    if (
                        entry.kind == RecordKind.EVENT
                        and entry.event_id is not None
                        and entry.event_ts is not None
                    ):
                        self._recent.remember(entry.event_id, int(entry.event_ts))
                return list(range(seq0 + 1, seq0 + 1 + len(prepared)))
        raise AuditIntegrityError(
            f"audit append gave up after {_MAX_APPEND_ATTEMPTS} attempts:"
            " other writers keep appending to the same log"
        )

    async def append_one(self, entry: AuditEntry) -> int:
        """Append one entry in its own transaction; returns its seq."""
        return (await self.append([entry]))[0]

    def _seal(
        self, prepared: list[_Prepared], seq0: int, prev: bytes
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]], bytes]:
        """Assign seqs after ``seq0``, encrypt, chain. Pure CPU, no I/O.

        Returns:
            Record rows, party rows and token rows as tuples in table column order, and the
            new tail hash.
        """
        key_id = self._keyring.primary_id
        encrypt = self._keyring.primary.encrypt
        sha256 = hashlib.sha256
        nonces = os.urandom(NONCE_BYTES * len(prepared))  # one syscall for the batch
        records: list[tuple[Any, ...]] = []
        parties: list[tuple[Any, ...]] = []
        tokens: list[tuple[Any, ...]] = []
        seq = seq0
        for i, (ts, ets, pc, kind, etype, eid, room, sender, cat, dec, details, content, keys,
                words) in enumerate(prepared):  # fmt: skip
            seq += 1
            meta = encode_meta(
                seq, ts, ets, pc, kind, etype, eid, room, sender, cat, dec, details, key_id
            )
            nonce = nonces[i * NONCE_BYTES : (i + 1) * NONCE_BYTES]
            sealed = nonce + encrypt(nonce, content, prev + meta)
            digest = sha256(prev + len(meta).to_bytes(8, "big") + meta + sealed).digest()
            # Column order of AuditRecordRow / AuditPartyRow (checked in BulkInsert).
            records.append(
                (seq, ts, ets, pc, kind, etype, eid, room, sender, cat, dec, details, key_id,
                 prev, digest, sealed)
            )  # fmt: skip
            bucket = seq >> BUCKET_BITS
            pcat = cat or ""
            parties.extend([(bucket, k, pcat, seq, ts) for k in keys])
            if words:
                tokens.extend([(bucket, w, seq) for w in words])
            prev = digest
        return records, parties, tokens, prev

    async def _read_tail(self) -> tuple[int, bytes]:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(_R.seq, _R.hash).order_by(_R.seq.desc()).limit(1))
            ).first()
        return (row.seq, bytes(row.hash)) if row is not None else (0, GENESIS)

    async def has_events(
        self, events: Mapping[str, int] | Iterable[tuple[str, int]] | Iterable[str]
    ) -> set[str]:
        """Which of these Matrix events already have a ``kind=event`` record (dedupe across
        restarts and homeserver retries).

        Pass ``{event_id: origin_server_ts}`` (or ``(event_id, origin_server_ts)`` pairs):
        events are indexed by that pair, because an index on the random event ID alone makes
        every append write to random pages (about a third of the append rate at a million
        records). Event records must therefore carry ``event_ts`` = the event's
        ``origin_server_ts``.

        Plain event IDs are accepted too, but then every call scans the whole event index
        (tens of milliseconds per million records): fine for tests and tools, not for the
        hot path.

        Returns:
            The event IDs that are already recorded.
        """
        items = list(events.items() if isinstance(events, Mapping) else events)
        plain = [it for it in items if isinstance(it, str)]
        found: set[str] = set()
        pairs = []
        for it in items:
            if isinstance(it, str):
                continue
            known = self._recent.lookup(it[0], int(it[1]))
            if known is Known.RECORDED:
                found.add(it[0])
            elif known is Known.ASK:
                pairs.append((int(it[1]), it[0]))
        if not pairs and not plain:
            return found
        step = _IN_CHUNK // 2
        async with self._engine.connect() as conn:
            for i in range(0, len(pairs), step):
                chunk = set(pairs[i : i + step])
                # Two plain INs (not a row-value IN, which SQLite answers with a table scan):
                # a seek per timestamp, then the exact pairs are picked out here.
                rows = await conn.execute(
                    select(_R.event_ts, _R.event_id).where(
                        _R.event_ts.in_({ts for ts, _ in chunk}),
                        _R.event_id.in_({eid for _, eid in chunk}),
                        _R.kind == RecordKind.EVENT.value,
                    )
                )
                found.update(eid for ts, eid in rows if (ts, eid) in chunk)
            for i in range(0, len(plain), _IN_CHUNK):
                # Selecting only indexed columns lets SQLite scan the (event_ts, event_id)
                # index instead of the table; the kind is checked on the few hits.
                hits = [
                    r[0]
                    for r in await conn.execute(
                        select(_R.seq).where(_R.event_id.in_(plain[i : i + _IN_CHUNK]))
                    )
                ]
                for j in range(0, len(hits), _IN_CHUNK):
                    rows = await conn.execute(
                        select(_R.event_id).where(
                            _R.seq.in_(hits[j : j + _IN_CHUNK]), _R.kind == RecordKind.EVENT.value
                        )
                    )
                    found.update(r[0] for r in rows)
        return found

    # ------------------------------------------------------------------ verifying

    async def verify(self, *, deep: bool = False, progress: Progress | None = None) -> VerifyReport:
        """Walk the whole chain in seq order and report the first bad record.

        Default (fast) mode: recompute every record's hash from its columns and check it
        links to its predecessor — an edited field, ciphertext or hash, a missing seq and a
        moved record all show up here — then check the AES-GCM tag of the *last* record.
        Because every tag also covers the record's ``prev_hash``, the last tag commits to
        the whole chain: an edit followed by re-hashing all later records (which needs no
        key) fails it, and a second pass that checks every tag names the first forged
        record. Checking every tag on every run would cost about a third of the speed
        for no extra detection. Finally the query index is checked by row count.

        ``deep=True`` also checks every record's tag (so every record's key must be in the
        keyring) and compares the query index to the records row by row. It is several
        times slower.

        On SQLite the walk runs in a worker thread on its own read-only connection (it does
        not hold up the event loop, and skips the async driver's per-row overhead), or, for
        a large log without ``deep``, in a child process with a current SQLite
        (:mod:`bridge.audit.sqlite_walk`: about 1.8x faster, and off the gate's GIL). Without
        ``deep`` the database renders each record's metadata encoding and the hashes are
        checked a batch at a time (see ``_SQLITE_FAST_SQL``); a batch that fails is walked
        row by row, which names the first bad record. Nothing is decrypted but the last
        record's tag (and a prune record, after a prune).

        ``progress`` is told the seq reached after each batch of rows (from the walk's thread
        on SQLite), for a progress bar.

        Returns:
            A :class:`VerifyReport`; ``report.raise_if_bad()`` turns it into an exception.
        """
        # The index row count runs alongside the walk (on SQLite it counts without the GIL).
        # Both stop at the head seen now, so records appended meanwhile do not count.
        begin = await self.chain_start()
        if isinstance(begin, VerifyReport):
            return begin
        start, anchor = begin
        upto = await self._head_seq()
        index_count = None if deep else asyncio.ensure_future(self._party_row_count(upto))
        try:
            report, walk = await self._verify_chain(deep, upto, start, anchor, progress)
            if report is None:
                if index_count is not None:
                    report = _index_count_report(
                        min(walk.count, upto), walk.party_upto, await index_count
                    )
                else:
                    report = await self._check_index_deep(walk.count)
                if report is not None:
                    report = replace(report, head_hash=walk.head_hash)
        finally:
            if index_count is not None and not index_count.done():
                # Let it finish (it is short) rather than cancel a driver call mid-flight.
                await asyncio.gather(index_count, return_exceptions=True)
        if report is not None:
            return report
        count = walk.count
        head = f"head seq {count} hash {walk.head_hash}" if count else "empty log"
        held = count - start + 1
        pruned = f" (records 1–{start - 1} pruned by retention)" if start > 1 else ""
        return VerifyReport(
            ok=True,
            count=count,
            first_bad_seq=None,
            problem=None,
            message=f"audit log intact: {held} records{pruned}, {head}",
            head_seq=count,
            head_hash=walk.head_hash,
        )

    async def _verify_chain(
        self,
        deep: bool,
        upto: int,
        start: int = 1,
        prev: bytes = GENESIS,
        progress: Progress | None = None,
    ) -> tuple[VerifyReport | None, ChainWalk]:
        """Hash walk from ``start`` (``prev`` the hash before it), then the tail tag (or
        every tag when ``deep``)."""
        walk = await self._walk(
            authenticate=deep, upto=upto, start=start, prev=prev, progress=progress
        )
        report = await self._walk_report(walk)
        if report is None and walk.tail is not None and not deep:
            bad = self._check_tag(*walk.tail)
            if bad is not None and bad[1] != "bad key":
                # The tail is forged, so something earlier was re-hashed: find it.
                again = await self._walk(authenticate=True, upto=upto, start=start, prev=prev)
                report = await self._walk_report(again)
            if report is None and bad is not None:
                report = _bad(walk.count, *bad)
        return report, walk

    async def walk_from(
        self, seq: int, prev_hash: bytes, *, authenticate: bool = True
    ) -> VerifyReport:
        """Check that the records after ``seq`` extend a chain whose record ``seq`` has hash
        ``prev_hash`` (a signed checkpoint), up to the newest record; with ``authenticate``
        each of those records' tags too, so nothing was added without the key.

        Only the records after ``seq`` are read: this is what a checkpointer runs before it
        signs a new head. Record ``seq`` itself is compared with ``prev_hash`` as stored.
        ``seq`` 0 means the log's start: after a prune, the record the prune left first.

        Returns:
            A report whose ``head_seq``/``head_hash`` are the newest record verified good
            (``seq`` and ``prev_hash`` when there is none after it); not ok names the first
            record that does not extend the anchor.
        """
        if seq == 0:
            begin = await self.chain_start()
            if isinstance(begin, VerifyReport):
                return begin
            seq, prev_hash = begin[0] - 1, begin[1]
        elif seq > 0:
            stored = (await self.hashes_at([seq])).get(seq)
            if stored != prev_hash:
                what = "is missing" if stored is None else "has another hash than was signed"
                return _bad(seq - 1, seq, "rewritten", f"record {seq} {what}")
        walk = await self._walk(authenticate=authenticate, start=seq + 1, prev=prev_hash)
        report = await self._walk_report(walk)
        if report is not None:
            return report
        return VerifyReport(
            ok=True,
            count=walk.count - seq,
            first_bad_seq=None,
            problem=None,
            message=f"records {seq + 1}–{walk.count} extend the chain",
            head_seq=walk.count,
            head_hash=walk.head_bytes.hex(),
        )

    async def first_seq(self) -> int:
        """The oldest record's seq (1 unless pruned; 0 for an empty log)."""
        async with self._engine.connect() as conn:
            return int((await conn.execute(select(func.min(_R.seq)))).scalar() or 0)

    async def chain_start(self) -> tuple[int, bytes] | VerifyReport:
        """Where the chain begins: record 1 after 32 zero bytes, or, after a prune, the first
        record left and the hash the prune record (in the chain, under the audit key) says
        came before it. Records missing at the front that no prune accounts for are a
        ``front-truncated`` report: the walk would otherwise begin wherever an attacker
        left it.
        """
        first = await self.first_seq()
        if first <= 1:
            return 1, GENESIS
        through = first - 1
        async with self._engine.connect() as conn:
            pointer = (
                await conn.execute(select(prune_table).where(prune_table.c.through_seq == through))
            ).first()
            row = None
            if pointer is not None:
                stmt = select(*_RECORD_COLUMNS).where(_R.seq == pointer.record_seq)
                row = (await conn.execute(stmt)).first()
        missing = f"records 1–{through} are missing from the start of the log"
        if pointer is None:
            return _bad(
                0,
                1,
                "front-truncated",
                f"FRONT-TRUNCATED: {missing} and no prune accounts for them (deleted)",
            )
        said: Any = None
        if row is not None and row.seq > through and row.event_type == PRUNE_EVENT:
            try:
                said = self._decrypt_row(row)
            except (AuditIntegrityError, AuditKeyError):
                said = None
        anchor = bytes(pointer.through_hash)
        if (
            not isinstance(said, dict)
            or said.get("through") != through
            or said.get("hash") != anchor.hex()
        ):
            return _bad(
                0,
                1,
                "front-truncated",
                f"FRONT-TRUNCATED: {missing} and the prune record {pointer.record_seq} named"
                " for them does not say so (deleted, or the prune table was forged)",
            )
        return first, anchor

    async def _head_seq(self) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(select(func.max(_R.seq)))).scalar() or 0)

    async def _party_row_count(self, upto: int) -> int:
        """Index rows of records up to seq ``upto``."""
        stmt: Any = select(func.count()).where(_P.bucket <= upto >> BUCKET_BITS, _P.seq <= upto)
        if self._engine.dialect.name == "sqlite":
            # SQLite counts a whole table from its b-tree pages without visiting each row
            # (~6x faster than the range above, which was ~5% of verify); subtract the rows
            # of records appended since ``upto`` (the newest buckets only). One statement,
            # so one snapshot.
            after = (
                select(func.count())
                .where(_P.bucket >= upto >> BUCKET_BITS, _P.seq > upto)
                .scalar_subquery()
            )
            stmt = select(select(func.count()).select_from(party_table).scalar_subquery() - after)
        async with self._engine.connect() as conn:
            return int((await conn.execute(stmt)).scalar_one())

    async def _walk(
        self,
        *,
        authenticate: bool,
        upto: int = 0,
        start: int = 1,
        prev: bytes = GENESIS,
        progress: Progress | None = None,
    ) -> ChainWalk:
        """Walk the chain once (hashes; all tags too with ``authenticate``). ``party_upto``
        of the result sums ``party_count`` over seqs up to ``upto``. The walk begins at seq
        ``start`` with ``prev`` as the hash before it."""
        check = partial(_check_tag, self._keyring) if authenticate else None
        walk = ChainWalk(check, upto, start=start, prev=prev, progress=progress)
        path = _sqlite_file(self._engine)
        if (
            path is not None
            and check is None
            and upto - start + 1 >= sqlite_walk.CHILD_MIN_RECORDS
            and await sqlite_walk.walk_in_child(walk, path, _SQLITE_WALK_SQL)
        ):
            return walk
        if path is not None:
            try:
                await asyncio.to_thread(walk.run_sqlite, path, _SQLITE_WALK_SQL, _stdlib_connect)
                return walk
            except sqlite3.Error:
                walk = ChainWalk(check, upto, start=start, prev=prev, progress=progress)
        async with self._engine.connect() as conn:
            fast = check is None and conn.dialect.driver == "asyncpg"
            if fast and await _walk_fast_asyncpg(conn, walk):
                walk.finish()
                return walk
            # Everything, or from the first batch the fast walk did not pass.
            result = await conn.stream(
                select(*_VERIFY_COLUMNS)
                .where(_R.seq >= walk.expected)
                .order_by(_R.seq)
                .execution_options(yield_per=2000)
            )
            try:
                async for part in result.partitions(_LOOP_SLICE):
                    if not walk.feed(part):
                        break
                    await asyncio.sleep(0)  # as above: the gate shares this loop
            finally:
                await result.close()
        walk.finish()
        return walk

    async def _walk_report(self, walk: ChainWalk) -> VerifyReport | None:
        """Turn the walk's first bad row (if any) into a report."""
        if walk.bad is None:
            return None
        seq = walk.bad[0]
        if walk.bad_tag is not None:
            return _bad(walk.count, *walk.bad_tag)
        if seq != walk.expected:
            return _bad(
                walk.count,
                walk.expected,
                "deleted",
                f"record {walk.expected} is missing (deleted); the next record is {seq}",
            )
        async with self._engine.connect() as conn:
            stored_prev = (
                await conn.execute(select(_R.prev_hash).where(_R.seq == seq))
            ).scalar_one_or_none()
        if isinstance(stored_prev, bytes | memoryview) and bytes(stored_prev) != walk.prev:
            return _bad(
                walk.count,
                seq,
                "reordered",
                f"record {seq} does not follow record {seq - 1}: records were moved, or one"
                f" before it deleted and the rest renumbered",
            )
        return _bad(
            walk.count,
            seq,
            "edited",
            f"record {seq} was edited: its hash does not match its contents",
        )

    def _check_tag(
        self, seq: int, key_id: str, aad: bytes, sealed: bytes
    ) -> tuple[int, str, str] | None:
        """Check one record's AES-GCM tag. Returns (seq, problem, message) if it fails."""
        return _check_tag(self._keyring, seq, key_id, aad, sealed)

    async def _check_index_deep(self, count: int) -> VerifyReport | None:
        """Compare audit_party with the keys each record implies, one bucket at a time."""
        bucket = 0
        want: list[tuple[str, str, int, int]] = []
        # Two connections: one streams the records, the other reads the index per bucket.
        async with self._engine.connect() as conn, self._engine.connect() as conn2:
            # Only the records walked: rows appended since then are not compared.
            records = await conn.stream(
                select(_R.seq, _R.room_id, _R.sender, _R.details, _R.category, _R.recorded_ts)
                .where(_R.seq <= count)
                .order_by(_R.seq)
                .execution_options(yield_per=_STREAM_BATCH)
            )
            try:
                async for part in records.partitions():
                    for seq, room, sender, det, cat, ts in part:
                        if seq >> BUCKET_BITS != bucket:
                            bad_seq = await _compare_bucket(conn2, bucket, want, count)
                            if bad_seq is not None:
                                return _index_bad(count, bad_seq)
                            bucket, want = seq >> BUCKET_BITS, []
                        keys = chain.party_keys_from_stored(room, sender, chain.decode_details(det))
                        want.extend((k, cat or "", seq, ts) for k in keys)
            finally:
                await records.close()
            bad_seq = await _compare_bucket(conn2, bucket, want, count)
            if bad_seq is None:
                orphans = select(func.min(_P.seq)).where(_P.bucket > bucket, _P.seq <= count)
                bad_seq = (await conn2.execute(orphans)).scalar()
        return None if bad_seq is None else _index_bad(count, bad_seq)

    # ------------------------------------------------------------------ reading

    async def query(self, f: AuditFilter, *, with_content: bool = False) -> list[AuditRecord]:
        """Records matching ``f``, newest first (at most ``f.limit``).

        With a vendor, room or user, the ``audit_party`` index answers the filter: its
        buckets are searched newest first, 4, 16, 64 … at a time, and the search stops as
        soon as ``limit`` rows are found — the cost follows the number of rows returned,
        not the size of the log. Otherwise records are read newest first directly.

        Args:
            f: The filter; see :class:`AuditFilter` for the meaning of each field.
            with_content: Decrypt each record's content into ``record.content``.

        Raises:
            ValueError: a limit below 1 or an unknown category.
            AuditKeyError: content requested for a record whose key is not in the keyring.
            AuditIntegrityError: a record's content fails authentication.
        """
        _check_filter(f)
        keys = _filter_keys(f)
        async with self._engine.connect() as conn:
            if keys:
                seqs = await self._party_seqs(conn, f, keys)
                rows: list[Any] = []
                for i in range(0, len(seqs), _IN_CHUNK):
                    rows.extend(
                        await conn.execute(
                            select(*_RECORD_COLUMNS).where(_R.seq.in_(seqs[i : i + _IN_CHUNK]))
                        )
                    )
                rows.sort(key=lambda r: r.seq, reverse=True)
            else:
                stmt = select(*_RECORD_COLUMNS).where(*_record_conds(f)).order_by(_R.seq.desc())
                if f.limit is not None:
                    stmt = stmt.limit(f.limit)
                rows = list(await conn.execute(stmt))
        return [self._to_record(row, with_content) for row in rows]

    async def count(self, f: AuditFilter) -> int:
        """How many records match ``f`` (``f.limit`` ignored) — "did we ever send PHI to
        vendor V" without fetching any record."""
        _check_filter(f)
        keys = _filter_keys(f)
        async with self._engine.connect() as conn:
            if not keys:
                stmt = select(func.count()).select_from(record_table).where(*_record_conds(f))
                return int((await conn.execute(stmt)).scalar_one())
            head = (await conn.execute(select(func.max(_R.seq)))).scalar()
            if head is None:
                return 0
            total = 0
            for hi in range(head >> BUCKET_BITS, -1, -_IN_CHUNK):
                buckets = list(range(hi, max(-1, hi - _IN_CHUNK), -1))
                stmt = _party_select(select(func.count()), f, keys, buckets)
                total += int((await conn.execute(stmt)).scalar_one())
            return total

    async def _party_seqs(
        self, conn: AsyncConnection, f: AuditFilter, keys: list[str]
    ) -> list[int]:
        """Seqs matching a vendor/room/user filter, newest first, at most ``f.limit``."""
        head = (await conn.execute(select(func.max(_R.seq)))).scalar()
        if head is None:
            return []
        found: list[int] = []
        hi = head >> BUCKET_BITS
        width = _FIRST_WINDOW
        while hi >= 0:
            buckets = list(range(hi, max(-1, hi - width), -1))
            stmt = _party_select(select(party_table.c.seq), f, keys, buckets)
            if f.limit is not None:
                stmt = stmt.order_by(party_table.c.seq.desc()).limit(f.limit - len(found))
            found.extend(r[0] for r in await conn.execute(stmt))
            if f.limit is not None and len(found) >= f.limit:
                break
            hi -= len(buckets)
            width = min(width * 4, _IN_CHUNK)
        found.sort(reverse=True)
        return found

    async def records_at(
        self, seqs: Sequence[int], *, with_content: bool = False
    ) -> list[AuditRecord]:
        """The records with these seqs that exist, in the order of ``seqs``.

        Raises:
            AuditKeyError: content requested for a record whose key is not in the keyring.
            AuditIntegrityError: a record's content fails authentication.
        """
        rows: dict[int, Any] = {}
        async with self._engine.connect() as conn:
            for i in range(0, len(seqs), _IN_CHUNK):
                stmt = select(*_RECORD_COLUMNS).where(_R.seq.in_(seqs[i : i + _IN_CHUNK]))
                rows.update((row.seq, row) for row in await conn.execute(stmt))
        return [self._to_record(rows[s], with_content) for s in seqs if s in rows]

    async def iter_query(
        self, f: AuditFilter, *, with_content: bool = False
    ) -> AsyncIterator[AuditRecord]:
        """Every record matching ``f`` (its ``limit`` ignored), oldest first, streamed: for
        reports over years of records (the accounting of disclosures) that must not hold
        them all in memory.

        Raises:
            ValueError: an unknown category.
            AuditKeyError, AuditIntegrityError: as for :meth:`query` with content.
        """
        _check_filter(replace(f, limit=None))
        keys = _filter_keys(f)
        if not keys:
            stmt = select(*_RECORD_COLUMNS).where(*_record_conds(f)).order_by(_R.seq)
            async with self._engine.connect() as conn:
                result = await conn.stream(stmt.execution_options(yield_per=1000))
                try:
                    async for part in result.partitions():
                        for row in part:
                            yield self._to_record(row, with_content)
                finally:
                    await result.close()
            return
        head, _ = await self._read_tail()
        last_bucket = head >> BUCKET_BITS
        for lo in range(0, last_bucket + 1, _IN_CHUNK):
            buckets = list(range(lo, min(lo + _IN_CHUNK, last_bucket + 1)))
            async with self._engine.connect() as conn:
                stmt = _party_select(select(party_table.c.seq), f, keys, buckets)
                seqs = sorted({r[0] for r in await conn.execute(stmt)})
            for i in range(0, len(seqs), _IN_CHUNK):
                for record in await self.records_at(
                    seqs[i : i + _IN_CHUNK], with_content=with_content
                ):
                    yield record

    def _to_record(self, row: Any, with_content: bool) -> AuditRecord:
        details = chain.decode_details(row.details)
        record = AuditRecord(
            seq=row.seq,
            kind=RecordKind(row.kind),
            recorded_ts=row.recorded_ts,
            event_type=row.event_type,
            event_id=row.event_id,
            room_id=row.room_id,
            sender=row.sender,
            sender_kind=details.get("sender_kind"),
            counterparties=details["counterparties"],
            category=row.category,
            decision=row.decision,
            reason=details.get("reason"),
            event_ts=row.event_ts,
            subject_vendor=details.get("subject_vendor"),
            subject_user=details.get("subject_user"),
            category_reasons=tuple(details.get("category_reasons", ())),
            key_id=row.key_id,
            prev_hash=bytes(row.prev_hash).hex(),
            hash=bytes(row.hash).hex(),
            sealed=bytes(row.sealed),
        )
        if not with_content:
            return record
        return replace(record, content=self._decrypt_row(row), content_loaded=True)

    def _decrypt_row(self, row: Any) -> Any:
        aad = bytes(row.prev_hash) + encode_meta(*row[:13])
        sealed = bytes(row.sealed)
        try:
            plain = self._keyring.aead(row.key_id).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad
            )
        except InvalidTag:
            raise AuditIntegrityError(
                f"audit record {row.seq} fails authentication (edited?); run phigate audit verify"
            ) from None
        return chain.decode_content(plain)

    async def content_of(self, record: AuditRecord) -> Any:
        """Decrypt the content of a record returned by :meth:`query` without content.

        The record is re-read from the database so the check covers what is stored now.

        Raises:
            AuditKeyError: the record's key is not in the keyring.
            AuditIntegrityError: the record is gone or fails authentication.
        """
        async with self._engine.connect() as conn:
            stmt = select(*_RECORD_COLUMNS).where(_R.seq == record.seq)
            row = (await conn.execute(stmt)).first()
        if row is None:
            raise AuditIntegrityError(f"audit record {record.seq} does not exist")
        return self._decrypt_row(row)

    async def iter_export(
        self,
        fmt: Literal["jsonl", "cef"],
        since_ms: int | None = None,
        *,
        include_content: bool = False,
    ) -> AsyncIterator[str]:
        """Export records oldest first as lines (without the trailing newline), streaming.

        ``jsonl`` lines hold the metadata, ``hash``/``prev_hash`` and ``content_sha256`` (a
        fingerprint of the ciphertext); the content itself only with ``include_content=True``
        (jsonl only — PHI is never sent to a SIEM by default). ``cef`` lines follow ArcSight
        CEF and never include content.

        Args:
            fmt: ``"jsonl"`` or ``"cef"``.
            since_ms: Only records with ``recorded_ts >= since_ms``.
            include_content: Decrypt the content into the jsonl ``content`` field.

        Raises:
            ValueError: unknown format.
        """
        if fmt not in ("jsonl", "cef"):
            raise ValueError(f"unknown export format {fmt!r} (jsonl or cef)")
        stmt = select(*_RECORD_COLUMNS).order_by(_R.seq)
        if since_ms is not None:
            stmt = stmt.where(_R.recorded_ts >= since_ms)
        decrypt = include_content and fmt == "jsonl"
        async with self._engine.connect() as conn:
            result = await conn.stream(stmt.execution_options(yield_per=1000))
            try:
                async for part in result.partitions():
                    for row in part:
                        record = self._to_record(row, decrypt)
                        yield record_to_cef(record) if fmt == "cef" else record_to_jsonl(record)
            finally:
                await result.close()


# SELECT of the verify columns for the SQLite path (plain sqlite3, no SQLAlchemy).
_SQLITE_WALK_FROM_SQL = (
    "SELECT "
    + ", ".join(c.name for c in _VERIFY_COLUMNS)
    + " FROM audit_record WHERE seq >= ? ORDER BY seq"
)

# The fast walk (verify without checking every tag). Reading a record's 15 columns into
# Python objects and encoding its metadata there cost ~7 µs of the ~9 µs per record; here
# the database renders chain.encode_meta() itself and hands back four values per row:
# ``party_count, hash, meta, sealed``. Python then hashes a whole batch in C-level loops
# (map over hashlib), each record chained to the *stored* hash of the row before it, and
# compares the batch's digests with the stored hashes in one tuple comparison. If every
# digest matches, the batch is exactly the original records (the first one's input is the
# hash verified before the batch, and each digest commits to its seq and predecessor, so no
# separate seq check is needed). A batch that does not match, or a NULL meta, is walked
# again with the row-by-row walk (ChainWalk.feed), which names the first bad record exactly as
# before: the fast walk only ever passes what the row-by-row walk passes.
# Rows per PostgreSQL batch: each is a round trip (SQLite's, smaller: bridge.audit.walk).
_FAST_BATCH_POSTGRESQL = 2_000
# Records hashed between two turns of the event loop (about a millisecond's work).
_LOOP_SLICE = 250


def _meta_sql(render: Callable[[str], str]) -> str:
    """chain.encode_meta() as a SQL text expression, ``render`` giving a column as text."""
    parts = []
    for name in META_COLUMNS:
        col = render(name)
        if _R[name].nullable:  # "\x1f" alone when NULL, "\x1f=" + the value otherwise
            parts.append(f"coalesce('\x1f=' || {col}, '\x1f')")
        else:
            parts.append(f"'{'A1' if name == 'seq' else ''}\x1f' || {col}")
    return " || ".join(parts)


def _sqlite_guard() -> str:
    """NULL unless every metadata column holds a non-NULL, non-BLOB value where it must."""
    values = []
    for name in META_COLUMNS[1:]:  # seq is the rowid: always an integer
        if not _R[name].nullable:
            values.append(name)
        else:
            values.append(f"coalesce({name}, {'0' if name == 'event_ts' else chr(39) * 2})")
    return f"max({', '.join(values)}) < x''"


# SQLite: ``||`` keeps every byte of a text (printf() would stop at a NUL byte a forger
# appended). Values are hashed as stored, but a value stored as a BLOB would concatenate
# as the same bytes where Python reads ``bytes`` (and the row-by-row walk fails it), so
# the guard gives NULL (→ row by row) when any metadata column holds a BLOB or a NULL it
# must not: max() of the values is NULL if one is NULL, and a BLOB if one is a BLOB
# (BLOBs sort after every other type, and x'' before every other BLOB). Integers render in
# decimal exactly as Python's str(); a REAL or TEXT in an integer column renders as text
# no original value had, and a TEXT one renders as it does row by row. ``sealed`` and
# ``hash`` come back as they are: a TEXT there fails the join or the comparison.
_SQLITE_FAST_SQL = (
    f"SELECT party_count, hash, CASE WHEN {_sqlite_guard()}"
    f" THEN CAST({_meta_sql(lambda c: c)} AS BLOB) END, sealed"
    " FROM audit_record WHERE seq >= ? ORDER BY seq"
)
_SQLITE_WALK_SQL = SqliteWalkSql(fast=_SQLITE_FAST_SQL, rows=_SQLITE_WALK_FROM_SQL)
# PostgreSQL: columns are strictly typed and NOT NULL is enforced, text holds no NUL;
# bigint::text is decimal. convert_to() gives the UTF-8 bytes Python's encode() would.
_POSTGRESQL_FAST_SQL = (
    "SELECT party_count, hash, convert_to("
    + _meta_sql(lambda c: f"{c}::text")
    + ", 'UTF8'), sealed FROM audit_record WHERE seq >= $1 ORDER BY seq"
)


def _stdlib_connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)


async def _walk_fast_asyncpg(conn: AsyncConnection, walk: ChainWalk) -> bool:
    """The fast walk on PostgreSQL, on the asyncpg connection itself (a server-side cursor
    in a read-only snapshot; Records, not SQLAlchemy rows). The next batch is requested
    before this one is hashed, so the server renders it meanwhile. Returns False when a
    batch did not pass (the caller walks on row by row from ``walk.expected``)."""
    driver = (await conn.get_raw_connection()).driver_connection
    async with driver.transaction(isolation="repeatable_read", readonly=True):
        cursor = await driver.cursor(_POSTGRESQL_FAST_SQL, walk.start)
        pending = asyncio.ensure_future(cursor.fetch(_FAST_BATCH_POSTGRESQL))
        while rows := await pending:
            pending = asyncio.ensure_future(cursor.fetch(_FAST_BATCH_POSTGRESQL))
            await asyncio.sleep(0)  # let it send the FETCH
            # Hashed in slices, yielding between them: the gate's verdicts share this event
            # loop. (Not in a worker thread: each of a verdict's database round trips would
            # then wait out a GIL switch interval, and a verdict takes a dozen of them.)
            for i in range(0, len(rows), _LOOP_SLICE):
                if not walk.feed_fast(rows[i : i + _LOOP_SLICE]):
                    await asyncio.gather(pending, return_exceptions=True)
                    return False
                await asyncio.sleep(0)
    return True


def _sqlite_file(engine: AsyncEngine) -> str | None:
    """Absolute path of the engine's SQLite database file, or None (other database,
    in-memory, or a URI filename)."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    if url.query.get("uri") or url.query.get("mode"):
        return None
    return os.path.abspath(database)


def _check_tag(
    keyring: AuditKeyring, seq: int, key_id: str, aad: bytes, sealed: bytes
) -> tuple[int, str, str] | None:
    """Check one record's AES-GCM tag. Returns (seq, problem, message) if it fails."""
    if key_id not in keyring:
        return (
            seq,
            "bad key",
            f"record {seq} is encrypted under audit key {key_id}, which is not in the"
            f" keyring; cannot authenticate the log (add the old key file)",
        )
    try:
        keyring.aead(key_id).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag:
        return (
            seq,
            "edited",
            f"record {seq} fails authentication under the audit key: it was altered and"
            f" the chain re-hashed without the key",
        )
    return None


def _index_count_report(count: int, party_total: int, index_rows: int) -> VerifyReport | None:
    if index_rows == party_total:
        return None
    return VerifyReport(
        ok=False,
        count=count,
        first_bad_seq=None,
        problem="index",
        message=(
            f"audit chain intact ({count} records) but the query index (audit_party) has"
            f" {index_rows} rows where the records need {party_total};"
            f" run verify --deep to locate the difference"
        ),
        head_seq=count,
    )


def _check_filter(f: AuditFilter) -> None:
    if f.limit is not None and f.limit <= 0:
        raise ValueError("limit must be at least 1")
    if f.category is not None and f.category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(sorted(CATEGORIES))}")


def _filter_keys(f: AuditFilter) -> list[str]:
    """Party keys the filter requires; the first one drives the index search (a vendor or a
    room is usually more selective than a user)."""
    keys = []
    if f.vendor is not None:
        keys.append("v:" + f.vendor)
    if f.room is not None:
        keys.append("r:" + f.room)
    if f.user is not None:
        keys.append("u:" + f.user)
    return keys


def _record_conds(f: AuditFilter) -> list[Any]:
    conds: list[Any] = []
    if f.category is not None:
        conds.append(_R.category == f.category)
    if f.since_ms is not None:
        conds.append(_R.recorded_ts >= f.since_ms)
    if f.until_ms is not None:
        conds.append(_R.recorded_ts < f.until_ms)
    if f.kind is not None:
        conds.append(_R.kind == RecordKind(f.kind).value)
    return conds


def _party_select(
    stmt: Select[Any], f: AuditFilter, keys: list[str], buckets: list[int]
) -> Select[Any]:
    """Restrict ``stmt`` (selecting from ``audit_party``) to ``f`` within ``buckets``.

    Each (bucket, key[, category]) is a seek into the primary key; further keys are checked
    with a point lookup per candidate row.
    """
    p = party_table.c
    conds: list[Any] = [p.bucket.in_(buckets), p.party_key == keys[0]]
    if f.category is not None:
        conds.append(p.category == f.category)
    if f.since_ms is not None:
        conds.append(p.recorded_ts >= f.since_ms)
    if f.until_ms is not None:
        conds.append(p.recorded_ts < f.until_ms)
    for key in keys[1:]:
        q = party_table.alias()
        conds.append(
            exists().where(
                q.c.bucket == p.bucket,
                q.c.party_key == key,
                q.c.category == p.category,
                q.c.seq == p.seq,
            )
        )
    stmt = stmt.select_from(party_table)
    if f.kind is not None:
        stmt = stmt.join(record_table, _R.seq == p.seq)
        conds.append(_R.kind == RecordKind(f.kind).value)
    return stmt.where(*conds)


async def _compare_bucket(
    conn: AsyncConnection, bucket: int, want: list[tuple[str, str, int, int]], upto: int
) -> int | None:
    """First seq (up to ``upto``) whose index rows in ``bucket`` differ from ``want``."""
    got = [
        (r.party_key, r.category, r.seq, r.recorded_ts)
        for r in await conn.execute(
            select(_P.party_key, _P.category, _P.seq, _P.recorded_ts).where(
                _P.bucket == bucket, _P.seq <= upto
            )
        )
    ]
    if sorted(got) == sorted(want):
        return None
    diff = set(got) ^ set(want)
    return min(row[2] for row in diff) if diff else min(row[2] for row in want)


def _bad(count: int, seq: int, problem: str, message: str) -> VerifyReport:
    return VerifyReport(
        ok=False,
        count=count,
        first_bad_seq=seq,
        problem=problem,
        message=message,
        head_seq=count,
    )


def _index_bad(count: int, seq: int) -> VerifyReport:
    return VerifyReport(
        ok=False,
        count=count,
        first_bad_seq=seq,
        problem="index",
        message=(
            f"audit chain intact ({count} records) but the query index (audit_party)"
            f" disagrees with record {seq}"
        ),
        head_seq=count,
    )


def _check_key(keyring: AuditKeyring, key_id: str, check: bytes) -> None:
    try:
        plain = keyring.aead(key_id).decrypt(
            check[:NONCE_BYTES], check[NONCE_BYTES:], key_id.encode()
        )
    except InvalidTag:
        plain = b""
    if plain != KEY_CHECK_PLAINTEXT:
        raise AuditKeyError(
            f"audit key {key_id} does not open its check value in the database"
            f" (audit_keys was altered, or the key file was replaced; {keyring.describe()})"
        )
