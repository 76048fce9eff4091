"""One pass over the audit chain: the state of a verify walk, fed with rows in seq order.

Kept apart from :mod:`bridge.audit.log` (and light: the standard library and
:mod:`bridge.audit.chain`) because the walk of a large SQLite log runs in a child process
(:mod:`bridge.audit.sqlite_walk`) whose start-up time counts against verify's speed.
"""

from __future__ import annotations

import hashlib
import operator
import urllib.parse
from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any, NamedTuple

from bridge.audit.chain import GENESIS, encode_meta

#: Told the seq a long walk has reached (a progress bar).
Progress = Callable[[int], None]
#: Opens a SQLite file read-only from its URI; the connection has execute() and close().
SqliteConnect = Callable[[str], Any]
#: Checks one record's tag: ``(seq, key_id, aad, sealed)`` → ``(seq, problem, message)`` if bad.
CheckTag = Callable[[int, str, bytes, bytes], "tuple[int, str, str] | None"]

# Rows per batch of the SQLite fast walk: a batch stays in the CPU cache between fetching
# and hashing (250 rows: ~10% faster than 2,000 and ~25% faster than 20,000, where the
# cyclic GC also keeps scanning the batch's tuples).
_FAST_BATCH_SQLITE = 250


class SqliteWalkSql(NamedTuple):
    """The SQLite walk's two statements (built in bridge.audit.log from the table)."""

    fast: str  # (party_count, hash, meta, sealed) from seq ?
    rows: str  # the verify columns, row by row, from seq ?


_sha256 = hashlib.sha256
_digest = type(hashlib.sha256()).digest
_u64be = operator.methodcaller("to_bytes", 8, "big")


class ChainWalk:
    """State of one pass over the chain, fed with batches of rows in seq order.

    The same object serves the SQLite thread and the generic async stream, so both check
    exactly the same thing.
    """

    def __init__(
        self,
        check_tag: CheckTag | None,
        upto: int = 0,
        *,
        start: int = 1,
        prev: bytes = GENESIS,
        progress: Progress | None = None,
    ) -> None:
        self.check_tag = check_tag  # check every tag when set
        self.progress = progress
        self.start = start  # first seq walked (records before it are taken as anchored)
        self.expected = start  # next seq
        self.prev = prev  # hash of the last good record
        self.party_total = 0  # sum of party_count over good records
        self.upto = upto
        self.party_upto = 0 if upto == 0 else -1  # sum of party_count over seqs <= upto
        self.bad: tuple[Any, ...] | None = None  # first bad row
        self.bad_tag: tuple[int, str, str] | None = None  # its tag failure, if that was it
        self.tail: tuple[int, str, bytes, bytes] | None = None  # (seq, key_id, aad, sealed)
        self._last_part: Sequence[Any] = ()
        self._last_part_prev = GENESIS
        # (seq, prev_hash, meta, sealed) of the last record the fast walk passed.
        self._fast_tail: tuple[int, bytes, bytes, bytes] | None = None

    @property
    def count(self) -> int:
        """Seq of the last record verified good (= records verified when walking from 1)."""
        return self.expected - 1

    @property
    def head_hash(self) -> str | None:
        return self.prev.hex() if self.expected > 1 else None

    @property
    def head_bytes(self) -> bytes:
        """Hash of the last record verified good (the anchor's when none was walked)."""
        return self.prev

    def state(self) -> dict[str, Any]:
        """A finished walk as JSON-able data, all its caller reads of it (``bad`` is only ever
        read for its seq): what the SQLite walk's child process hands back."""
        tail = self.tail
        return {
            "expected": self.expected,
            "prev": self.prev.hex(),
            "party_total": self.party_total,
            "party_upto": self.party_upto,
            "bad_seq": None if self.bad is None else self.bad[0],
            "tail": None if tail is None else [tail[0], tail[1], tail[2].hex(), tail[3].hex()],
        }

    def apply_state(self, state: dict[str, Any]) -> None:
        """Take a :meth:`state`: all of it or (a malformed one raises) none of it."""
        tail = state["tail"]
        values = (
            int(state["expected"]),
            bytes.fromhex(state["prev"]),
            int(state["party_total"]),
            int(state["party_upto"]),
            None if state["bad_seq"] is None else (int(state["bad_seq"]),),
            None
            if tail is None
            else (int(tail[0]), str(tail[1]), bytes.fromhex(tail[2]), bytes.fromhex(tail[3])),
        )
        (self.expected, self.prev, self.party_total, self.party_upto, self.bad, self.tail) = values

    def feed(self, rows: Sequence[Any]) -> bool:
        """Check a batch. Returns False once a bad row is found (stop feeding)."""
        if not rows:
            return True
        self._last_part, self._last_part_prev = rows, self.prev
        expected, prev, total = self.expected, self.prev, self.party_total
        sha256 = hashlib.sha256
        check_tag = self.check_tag
        bad = None
        # Row by row: verify --deep, and a batch the fast walk (feed_fast) did not pass.
        # It only hashes; tags are checked here only in authenticate mode (see
        # AuditLog.verify for why that is enough).
        for row in rows:
            seq, ts, ets, pc, kind, etype, eid, room, sender, cat, dec, det, kid, h, sealed = row
            if seq != expected:
                bad = row
                break
            try:
                meta = encode_meta(
                    seq, ts, ets, pc, kind, etype, eid, room, sender, cat, dec, det, kid
                )
                good = sha256(prev + len(meta).to_bytes(8, "big") + meta + sealed).digest() == h
            except (TypeError, ValueError, AttributeError):  # a value of the wrong type
                good = False
            if not good:
                bad = row
                break
            if check_tag is not None:
                self.bad_tag = check_tag(seq, kid, prev + meta, sealed)
                if self.bad_tag is not None:
                    bad = row
                    break
            total += pc
            expected += 1
            prev = h
        self.expected, self.prev, self.party_total = expected, prev, total
        if self.progress is not None:
            self.progress(expected - 1)
        if self.party_upto < 0 and expected > self.upto:
            # This batch crossed `upto`: leave out the good rows after it.
            after = sum(r[3] for r in rows if self.upto < r[0] < expected)
            self.party_upto = total - after
        if bad is not None:
            self.bad = tuple(bad)
            return False
        return True

    def finish(self) -> None:
        """Note the last record's tag inputs (rebuilt once here, not kept for every row)."""
        if self.party_upto < 0:  # the chain ended before `upto` (records vanished meanwhile)
            self.party_upto = self.party_total
        if self.bad is None and self._last_part:
            row = tuple(self._last_part[-1])
            prev = self._last_part[-2][13] if len(self._last_part) > 1 else self._last_part_prev
            self.tail = (row[0], row[12], bytes(prev) + encode_meta(*row[:13]), bytes(row[14]))
        elif self.bad is None and self._fast_tail is not None:
            seq, prev, meta, sealed = self._fast_tail
            # The key ID is the last field of the (verified) encoding; no field holds U+001F.
            key_id = meta.rsplit(b"\x1f", 1)[1].decode()
            self.tail = (seq, key_id, prev + meta, sealed)

    def feed_fast(self, rows: Sequence[Any]) -> bool:
        """Check a batch of ``(party_count, hash, meta, sealed)`` rows (``log._SQLITE_FAST_SQL``).
        Returns False, changing nothing, unless every record in it is good: the caller then
        walks from ``expected`` row by row."""
        if not rows:
            return True
        pcs, hashes, metas, sealeds = zip(*rows, strict=True)
        prev = self.prev
        try:
            prefixes = map(_u64be, map(len, metas))
            inputs = map(b"".join, zip((prev, *hashes[:-1]), prefixes, metas, sealeds, strict=True))
            if tuple(map(_digest, map(_sha256, inputs))) != hashes:
                return False
            party = sum(pcs)
        except TypeError:  # a NULL meta (see the guard) or a value of the wrong type
            return False
        first, n = self.expected, len(hashes)
        before = self.party_total
        self.expected, self.prev, self.party_total = first + n, hashes[-1], before + party
        if self.party_upto < 0 and self.expected > self.upto:
            self.party_upto = before + sum(pcs[: self.upto - first + 1])
        self._fast_tail = (first + n - 1, hashes[-2] if n > 1 else prev, metas[-1], sealeds[-1])
        if self.progress is not None:
            self.progress(self.expected - 1)
        return True

    def run_sqlite(self, path: str, sql: SqliteWalkSql, connect: SqliteConnect) -> None:
        """Walk a SQLite file (blocking: a worker thread, or the child process of
        bridge.audit.sqlite_walk). ``connect`` opens the file read-only given its URI."""
        uri = f"file:{urllib.parse.quote(path)}?mode=ro"
        conn = connect(uri)
        try:
            conn.execute("BEGIN")  # one snapshot for the fast walk and a row-by-row rest
            done = False
            # The fast walk hashes text as stored: UTF-8 unless the file says otherwise.
            if self.check_tag is None and conn.execute("PRAGMA encoding").fetchone() == ("UTF-8",):
                cur = conn.execute(sql.fast, (self.start,))
                while rows := list(islice(cur, _FAST_BATCH_SQLITE)):
                    if not self.feed_fast(rows):
                        break
                else:
                    done = True
                cur.close()
            if not done:
                cur = conn.execute(sql.rows, (self.expected,))
                while rows := list(islice(cur, 2000)):
                    if not self.feed(rows):
                        break
        finally:
            conn.close()
        self.finish()
