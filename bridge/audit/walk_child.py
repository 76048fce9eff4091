"""The child process of :mod:`bridge.audit.sqlite_walk`: walks a SQLite audit log with
APSW's current SQLite, read-only, and prints the result (see that module for why and for the
protocol). Only the standard library, :mod:`bridge.audit.walk` and APSW are imported: its
start-up time counts against verify's speed.

Run as ``python -m bridge.audit.walk_child`` (the parent does that).
"""

from __future__ import annotations

import json
import sys

import apsw

from bridge.audit.walk import ChainWalk, SqliteWalkSql

# Bytes of the file mapped (SQLite caps it at its compile-time maximum).
_MMAP_BYTES = 1 << 40


def _apsw_connect(uri: str) -> apsw.Connection:
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
    except Exception as exc:  # any failure at all: PHI Gate then walks in-process
        print(json.dumps({"error": type(exc).__name__}), flush=True)
        return 1
    print(json.dumps({"done": walk.state()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
