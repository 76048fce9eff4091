"""Time ``AuditLog.verify()`` with the code of a given source tree (bench_audit.py helper).

Run as a subprocess so that two trees (before and after a change) verify the same database
in one bench run. Prints one JSON object: per repeat the records, wall seconds, CPU seconds
of this process (all threads) and its children and, on PostgreSQL, of the server's
processes, and the load average after each repeat.

Usage::

    python bench/_verify_run.py --tree DIR --key FILE --url URL [--repeats 3] [--server-pid P]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

from _machine import cpu_seconds


def server_cpu(pid: int) -> dict[int, float]:
    """CPU seconds used so far by PostgreSQL process ``pid`` and each of its live children."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[1] is the parent pid; utime and stime are the 14th and 15th stat fields.
        if int(entry.name) == pid or int(fields[1]) == pid:
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return used


def server_cpu_since(pid: int, before: dict[int, float]) -> float:
    """CPU seconds the server used since ``before``: processes that started since count in
    full; ones that ended (an autovacuum worker) drop out rather than make it negative."""
    return sum(cpu - before.get(p, 0.0) for p, cpu in server_cpu(pid).items())


async def run(args: argparse.Namespace) -> list[dict[str, float]]:
    from sqlalchemy.ext.asyncio import create_async_engine

    from bridge.audit import AuditKeyring, AuditLog

    engine = create_async_engine(args.url)
    log = await AuditLog.open(engine, AuditKeyring.load(args.key), now_ms=int(time.time() * 1000))
    out = []
    try:
        await log.verify()  # warm the page cache (and the server's buffers)
        for _ in range(args.repeats):
            s0 = server_cpu(args.server_pid) if args.server_pid else {}
            t0, c0 = time.perf_counter(), cpu_seconds()
            report = await log.verify()
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
            assert report.ok, report.message
            run = {"records": report.count, "wall_s": wall, "cpu_s": cpu}
            if args.server_pid:
                run["server_cpu_s"] = server_cpu_since(args.server_pid, s0)
            run["load1"] = os.getloadavg()[0]
            out.append(run)
    finally:
        await engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True)
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--server-pid", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree.resolve()))
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
