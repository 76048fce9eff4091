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

The child is ``python -m bridge.audit.walk_child`` (kept apart so it starts without asyncio).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from bridge.audit.walk import ChainWalk, SqliteWalkSql

log = logging.getLogger(__name__)

#: Walks of at least this many records go to the child: below it, starting the child (about
#: 0.1 s: an interpreter, bridge.audit.walk and APSW) costs more than the faster SQLite
#: saves (about 2.5 µs a record).
CHILD_MIN_RECORDS = 60_000
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
            "bridge.audit.walk_child",
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
            walk.apply_state(message["done"])
            if walk.progress is not None:
                walk.progress(walk.count)  # as the in-process walk ends
            return True
        else:
            log.warning("audit verify: the SQLite walk process failed (%s)", message)
            return False
    log.warning("audit verify: the SQLite walk process ended without a result")
    return False
