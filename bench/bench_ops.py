"""What the operations features cost: the start-up probe of clamd's stream limit, one health
check, and one /metrics scrape.

* ``probe``: `ClamdScanner.accepts_stream_of(stream_max_length)`, what `phigate run` does once
  at start (default 25 MiB of zeros to a local clamd over its unix socket);
* ``health``: `HealthChecks.run()` against a real SQLite database and the same clamd (the key
  sync check reads two attributes);
* ``scrape``: `Metrics.exposition()` after 10,000 observations in every metric.

clamd is a throwaway daemon with a one-signature database (as in bench_media), so the probe
shows the streaming and clamd's parsing, not matching against a production signature set.
Medians (and p99 where the runs allow) in ms.

Usage::

    python bench/bench_ops.py [--runs 20] [--size 26214400] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bench._machine import machine_facts
from bridge.health import HealthChecks
from bridge.metrics import KeyWaitResult, Metrics, Outcome
from bridge.store.database import create_engine
from tests.clamd import LocalClamd

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + b"$H+H*"


class _Synced:
    """The two attributes the key sync check reads, as a running device has them."""

    def __init__(self) -> None:
        self.last_sync_ok: float | None = time.monotonic()
        self.sync_failures = 0


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "n": len(ordered),
    }


async def _time(runs: int, call: Any) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def run(args: argparse.Namespace) -> dict[str, Any]:
    clamd = LocalClamd({"Eicar-Test-Signature": EICAR}, stream_max_length=args.size)
    clamd.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-ops-"))
    engine = create_engine(f"sqlite+aiosqlite:///{workdir / 'ops.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE phigate_alembic_version (version_num TEXT)"))
            await conn.execute(text("INSERT INTO phigate_alembic_version VALUES ('bench')"))
        scanner = clamd.scanner(stream_max_length=args.size, timeout=60)
        assert await scanner.accepts_stream_of(args.size), "clamd refused its own limit"
        probe = await _time(args.runs, lambda: scanner.accepts_stream_of(args.size))
        checks = HealthChecks(engine=engine, key_sync=_Synced(), scanner=scanner, prepersist=None)
        results = await checks.run()
        assert all(r.ok for r in results), results
        health = await _time(args.runs * 10, checks.run)
    finally:
        await engine.dispose()
        clamd.stop()
        clamd.cleanup()

    metrics = Metrics()
    for i in range(10_000):
        metrics.events.inc()
        metrics.verdict(Outcome.BLOCK if i % 5 == 0 else Outcome.ALLOW)
        metrics.key_wait(KeyWaitResult.ARRIVED)
        metrics.prepersist_latency.labels(callback="check_event_for_spam").observe(0.004)
        metrics.clamd_latency.observe(0.02)
        metrics.audit_append_latency.observe(0.001)

    async def scrape() -> None:
        metrics.exposition()

    scrapes = await _time(args.runs * 10, scrape)
    return {
        "machine": machine_facts(load_average=list(os.getloadavg())),
        "params": {"runs": args.runs, "size": args.size},
        "probe": _summary(probe),
        "health": _summary(health),
        "scrape": _summary(scrapes),
        "scrape_bytes": len(metrics.exposition()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size", type=int, default=26_214_400, help="stream_max_length")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    m = result["machine"]
    print(f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, load {m['load_average']}")
    size_mib = args.size / 1024 / 1024
    for name, label in (
        ("probe", f"clamd stream-limit probe ({size_mib:g} MiB)"),
        ("health", "health check (database, key sync, clamd PING)"),
        ("scrape", f"/metrics exposition ({result['scrape_bytes']} bytes)"),
    ):
        s = result[name]
        print(f"{label}: p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms (n={s['n']})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
