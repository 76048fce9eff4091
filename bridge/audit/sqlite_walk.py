"""The fast verify walk of a large SQLite audit log, run in a child process with APSW.

Why a child process, and why APSW: the fast walk has SQLite render every record's metadata
encoding (``log._SQLITE_FAST_SQL``), and most of its time is SQLite's string concatenation.
The SQLite that Python's ``sqlite3`` module links (the system's: 3.40 on Debian 12) does that
about half as fast as current SQLite (3.5x), so the walk stayed near 150,000 records per
CPU-second at a million records. APSW ships the current SQLite inside its wheel. But two
copies of SQLite in one process break SQLite's POSIX locking (closing a file in one copy
drops the locks the other holds: "How To Corrupt An SQLite Database File", §2.2.1), and the
gate writes the same file through the standard library's copy. So the APSW copy runs in a
process of its own, read-only, and hands back the walk's result; nothing else changes. (It
also takes the walk off the gate's GIL: verdicts during a verify no longer wait on it.)

The child checks exactly what the in-process walk checks (the same ``ChainWalk`` object and
SQL), in one read snapshot, and knows no key: only the unauthenticated walk runs here (the
tail tag, and ``deep`` verify, stay in the parent). Anything that goes wrong in the child
(APSW missing, the process killed, a driver error) makes the parent walk in-process instead:
slower, never a different answer.

Protocol: the parent writes one JSON line ``{"path", "start", "prev", "upto",
"progress_every", "sql"}`` to stdin; the child writes ``{"progress": seq}`` lines every
``progress_every`` records (none if 0), then ``{"done": state}`` (or ``{"error": "..."}``)
and exits.

Run as ``python -m bridge.audit.sqlite_walk`` (the parent does that).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from bridge.audit.walk import ChainWalk, SqliteWalkSql

log = logging.getLogger(__name__)

#: Walks of at least this many records go to the child: below it, starting the child (about
#: 0.15 s: an interpreter, these light imports and APSW) costs more than the faster SQLite
#: saves (about 2.5 µs a record).
CHILD_MIN_RECORDS = 60_000
# Bytes of the file the child maps (SQLite caps it at its compile-time maximum).
_MMAP_BYTES = 1 << 40
# Progress lines from the child at most this often (records).
_PROGRESS_EVERY = 20_000
# The package root, so the child imports this same tree (an editable install may point
# elsewhere, for example from a git worktree).
_ROOT = str(Path(__file__).resolve().parents[2])


async def walk_in_child(walk: ChainWalk, path: str, sql: SqliteWalkSql) -> bool:
    """Run ``walk`` (unauthenticated, not yet fed) over the SQLite file ``path`` in a child
    process. Returns True with ``walk`` in the state the in-process walk would leave it in
    (``finish()`` done), or False, ``walk`` untouched, when the child could not do it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
    try:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bridge.audit.sqlite_walk",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
        )
    except OSError as exc:  # no process to be had (limits, a missing interpreter)
        log.warning("audit verify: cannot start the SQLite walk process (%s)", exc)
        return False
    try:
        return await _converse(proc, walk, path, sql)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # it died, or garbled a line
        log.warning("audit verify: the SQLite walk process failed (%s)", type(exc).__name__)
        return False
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


async def _converse(
    proc: asyncio.subprocess.Process, walk: ChainWalk, path: str, sql: SqliteWalkSql
) -> bool:
    assert proc.stdin is not None and proc.stdout is not None
    request = {
        "path": path,
        "start": walk.start,
        "prev": walk.prev.hex(),
        "upto": walk.upto,
        "progress_every": _PROGRESS_EVERY if walk.progress is not None else 0,
        "sql": list(sql),
    }
    proc.stdin.write(json.dumps(request).encode() + b"\n")
    await proc.stdin.drain()
    proc.stdin.close()
    while line := await proc.stdout.readline():
        message = json.loads(line)
        if "progress" in message:
            if walk.progress is not None:
                walk.progress(int(message["progress"]))
        elif "done" in message:
            _load(walk, message["done"])
            if walk.progress is not None:
                walk.progress(walk.count)  # as the in-process walk ends
            return True
        else:
            log.warning("audit verify: the SQLite walk process failed (%s)", message)
            return False
    log.warning("audit verify: the SQLite walk process ended without a result")
    return False


def _dump(walk: ChainWalk) -> dict[str, Any]:
    """What the parent needs of a finished walk (``bad`` is only ever read for its seq)."""
    tail = walk.tail
    return {
        "expected": walk.expected,
        "prev": walk.prev.hex(),
        "party_total": walk.party_total,
        "party_upto": walk.party_upto,
        "bad_seq": None if walk.bad is None else walk.bad[0],
        "tail": None if tail is None else [tail[0], tail[1], tail[2].hex(), tail[3].hex()],
    }


def _load(walk: ChainWalk, state: dict[str, Any]) -> None:
    """Apply a child's ``_dump``: all of it or (on a malformed one, raising) none of it."""
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
    (walk.expected, walk.prev, walk.party_total, walk.party_upto, walk.bad, walk.tail) = values


def _apsw_connect(uri: str) -> Any:
    import apsw  # here, not at the top: only the child loads this second SQLite

    conn = apsw.Connection(uri, flags=apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI)
    conn.set_busy_timeout(30_000)
    # Read the file through a (read-only) memory map instead of a read() per page: ~8% less
    # CPU. Only here: should the file ever shrink under the map (PHI Gate never vacuums, and
    # SQLite does not truncate it under a reader's snapshot), SIGBUS ends this process, and
    # PHI Gate walks in-process instead; in PHI Gate's own process it would end the gate.
    conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
    return conn


def _main() -> int:
    request = json.loads(sys.stdin.readline())
    every, last = int(request["progress_every"]), 0

    def progress(seq: int) -> None:
        nonlocal last
        if seq - last >= every:
            last = seq
            print(json.dumps({"progress": seq}), flush=True)

    walk = ChainWalk(
        None,
        int(request["upto"]),
        start=int(request["start"]),
        prev=bytes.fromhex(request["prev"]),
        progress=progress if every else None,
    )
    try:
        walk.run_sqlite(str(request["path"]), SqliteWalkSql(*request["sql"]), _apsw_connect)
    except Exception as exc:
        print(json.dumps({"error": type(exc).__name__}), flush=True)
        return 1
    print(json.dumps({"done": _dump(walk)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
