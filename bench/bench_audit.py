"""Benchmark of the audit log on a temporary SQLite file (WAL), or on PostgreSQL.

Measures, and prints next to the targets of issue 2:

* appends/s, one record per transaction (``append_one``),
* appends/s batched (``append`` with batches of ``--batch`` records),
* verify records/s over the whole log,
* query latency (median and p99 of ``--runs`` runs) for "PHI records involving vendor V"
  (limit 100) and for the count of them, plus a few other filters for context,
* issue 15 (median of ``--repeats``): ``audit export`` (jsonl, whole log), the accounting of
  disclosures for one vendor, content search (``--contains``) for a rare word and for a
  common phrase, and what a signed checkpoint costs per appended record at several
  batch sizes (records appended between two checkpoints),

at ``--records`` records (default 1,000,000) spread over ``--vendors`` vendors.

Verify is given per wall-second and per CPU-second of this process (every thread; the target
is per core, and the machine is shared). ``--database postgresql`` runs on a fresh database
of the tests' private cluster (``tests/databases.py``); there the server's CPU-seconds (its
processes, read from /proc) are given too, since the server renders part of the work.

``--compare TREE`` also times verify with the code of another source tree (say the branch
point, ``git worktree add /tmp/audit-base <commit>``) on the same database, alternating
with this tree's, each in a subprocess (``bench/_verify_run.py``), ``--rounds`` times: a
before/after figure under the same load. ``--verify-only`` skips the query, export,
disclosures, search and checkpoint figures; with ``--json`` naming an existing file, it
updates that file's verify figures and keeps the rest. ``--keep DIR`` keeps the SQLite
database (and its key) in DIR, and reuses it when DIR already holds one.

Usage::

    python bench/bench_audit.py [--records 1000000] [--json out.json]
    python bench/bench_audit.py --records 100000 --json bench/results/audit_100k.json
    python bench/bench_audit.py --records 100000 --verify-only --compare /tmp/audit-base \
        [--database postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import cpu_seconds, machine_facts
from _stats import percentile

from bridge.audit import (
    AuditEntry,
    AuditFilter,
    AuditKeyring,
    AuditLog,
    Counterparty,
    RecordKind,
    generate_key_file,
)
from bridge.audit.checkpoint import CheckpointFile
from bridge.audit.checkpointer import Checkpointer
from bridge.audit.disclosures import DisclosureQuery, default_since, disclosures
from bridge.audit.models import (
    checkpoint_table,
    hold_table,
    keys_table,
    party_table,
    prune_table,
    record_table,
    token_table,
)
from bridge.audit.search import search
from bridge.audit.signing import SigningKeys
from bridge.store.base import Base

TARGETS = {"append_batched_per_s": 20_000, "verify_per_s": 200_000, "query_ms": 50.0}


def make_engine(path: Path, synchronous: str) -> AsyncEngine:
    """SQLite engine with the pragmas PHI Gate runs with."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    return engine


class Workload:
    """Deterministic synthetic traffic: staff talking with vendors and patients."""

    def __init__(self, vendors: int, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vendors = [f"vendor{i:03d}" for i in range(vendors)]
        self.rooms = [f"!room{i:05d}:clinic.example" for i in range(vendors * 10)]
        self.staff = [f"@staff{i:03d}:clinic.example" for i in range(100)]
        self.patients = [f"@patient{i:05d}:patients.example" for i in range(5000)]
        self.statuses = ["Active"] * 6 + ["Pending", "Expired", "Revoked", "Staging"]
        self.n = 0

    def entry(self, now_ms: int) -> AuditEntry:
        rng = self.rng
        self.n += 1
        room_i = rng.randrange(len(self.rooms))
        vendor = self.vendors[room_i % len(self.vendors)]
        cps = [
            Counterparty(f"@agent{room_i % 7}:{vendor}.example", "vendor", vendor, "Active"),
        ]
        if rng.random() < 0.3:
            cps.append(
                Counterparty(rng.choice(self.patients), "patient", None, rng.choice(self.statuses))
            )
        r = rng.random()
        category = "phi" if r < 0.4 else ("non_phi" if r < 0.9 else "unknown")
        decision = "block" if rng.random() < 0.1 else "allow"
        return AuditEntry(
            kind=RecordKind.EVENT,
            recorded_ts=now_ms,
            event_type="m.room.message",
            event_id=f"${self.n:012d}abcdefghijklmnopqrstuv",
            room_id=self.rooms[room_i],
            sender=rng.choice(self.staff),
            sender_kind="staff",
            counterparties=tuple(cps),
            category=category,
            decision=decision,
            reason="vendor BAA is not Active" if decision == "block" else None,
            event_ts=now_ms - 5,
            content={
                "msgtype": "m.text",
                "body": f"message {self.n}: lab results for the patient are in, call back",
            },
        )


async def timed_runs(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    await fn()  # warm the page cache and the statement cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "median_ms": round(statistics.median(times), 3),
        "p99_ms": round(percentile(times, 99), 3),
    }


def server_pid(args: argparse.Namespace) -> int:
    """PID of the PostgreSQL postmaster (0 on SQLite)."""
    if args.database != "postgresql":
        return 0
    from tests import databases

    return int((databases.cluster().data / "postmaster.pid").read_text().split()[0])


def server_cpu(args: argparse.Namespace) -> dict[int, float]:
    pid = server_pid(args)
    if not pid:
        return {}
    from _verify_run import server_cpu as cpu

    return cpu(pid)


def server_cpu_since(args: argparse.Namespace, before: dict[int, float]) -> float:
    pid = server_pid(args)
    if not pid:
        return 0.0
    from _verify_run import server_cpu_since as since

    return since(pid, before)


async def run(args: argparse.Namespace) -> dict[str, object]:
    keep = args.keep is not None and args.database == "sqlite"
    tmp = args.keep if keep else Path(tempfile.mkdtemp(prefix="phigate-bench-audit-"))
    tmp.mkdir(parents=True, exist_ok=True)
    key_file = tmp / "audit.key"
    reuse = keep and (tmp / "audit.db").exists() and key_file.exists()
    if not reuse:
        generate_key_file(key_file)
    keyring = AuditKeyring.load(key_file)
    if args.database == "postgresql":
        from tests import databases  # the tests' private cluster, started on first use

        args.url = databases.fresh_postgres_url()
        engine = create_async_engine(args.url)
    else:
        args.url = f"sqlite+aiosqlite:///{tmp / 'audit.db'}"
        engine = make_engine(tmp / "audit.db", args.synchronous)
    if reuse:
        return await run_reused(args, engine, keyring, key_file)
    async with engine.begin() as conn:
        await conn.run_sync(
            lambda c: Base.metadata.create_all(
                c,
                tables=[
                    record_table,
                    party_table,
                    keys_table,
                    token_table,
                    checkpoint_table,
                    hold_table,
                    prune_table,
                ],
            )
        )
    now = int(time.time() * 1000)
    log = await AuditLog.open(engine, keyring, now_ms=now)
    work = Workload(args.vendors)
    out: dict[str, object] = {}

    # Single appends: one transaction (one commit) per record.
    t0 = time.perf_counter()
    for _ in range(args.single):
        await log.append_one(work.entry(now))
    dt = time.perf_counter() - t0
    out["append_single_per_s"] = round(args.single / dt)
    print(f"append single   : {out['append_single_per_s']:>10,} records/s ({args.single:,})")

    # Batched appends up to --records; entry generation is not timed.
    remaining = args.records - args.single
    spent = 0.0
    done = 0
    report_every = max(args.records // 10, args.batch)
    while done < remaining:
        n = min(args.batch, remaining - done)
        now += 1
        batch = [work.entry(now) for _ in range(n)]
        t0 = time.perf_counter()
        await log.append(batch)
        spent += time.perf_counter() - t0
        done += n
        if done % report_every < args.batch:
            print(f"  … {done + args.single:,} records", file=sys.stderr)
    out["append_batched_per_s"] = round(done / spent) if done else 0
    print(
        f"append batched  : {out['append_batched_per_s']:>10,} records/s"
        f" (batches of {args.batch}, {done:,} records)"
    )

    out.update(await verify_figures(log, args, key_file))
    if args.verify_only:
        await engine.dispose()
        cleanup(tmp, keep)
        return out

    if args.deep:
        t0 = time.perf_counter()
        report = await log.verify(deep=True)
        dt = time.perf_counter() - t0
        assert report.ok, report.message
        out["verify_deep_per_s"] = round(report.count / dt)
        print(f"verify --deep   : {out['verify_deep_per_s']:>10,} records/s")

    vendor = work.vendors[len(work.vendors) // 2]
    user = work.staff[3]
    queries = {
        "query_phi_vendor_limit100": lambda: log.query(
            AuditFilter(vendor=vendor, category="phi", limit=100)
        ),
        "count_phi_vendor": lambda: log.count(AuditFilter(vendor=vendor, category="phi")),
        "query_vendor_any_category_limit100": lambda: log.query(
            AuditFilter(vendor=vendor, limit=100)
        ),
        "query_phi_vendor_with_content_limit100": lambda: log.query(
            AuditFilter(vendor=vendor, category="phi", limit=100), with_content=True
        ),
        "query_user_phi_limit100": lambda: log.query(
            AuditFilter(user=user, category="phi", limit=100)
        ),
        "query_room_limit100": lambda: log.query(AuditFilter(room=work.rooms[5], limit=100)),
        # Dedupe of a 50-event appservice transaction (all new, the usual case).
        "has_events_50_pairs": lambda: log.has_events({f"$new{i}": now + i for i in range(50)}),
        "has_events_50_plain_ids": lambda: log.has_events([f"$new{i}" for i in range(50)]),
    }
    for name, fn in queries.items():
        stats = await timed_runs(fn, args.runs)
        out[name] = stats
        print(f"{name:<40}: median {stats['median_ms']:7.2f} ms  p99 {stats['p99_ms']:7.2f} ms")
    out["phi_records_for_vendor"] = await log.count(AuditFilter(vendor=vendor, category="phi"))
    out.update(await issue15(log, work, args, tmp, now))

    if args.database == "sqlite":
        db_bytes = sum(p.stat().st_size for p in tmp.glob("audit.db*"))
        out["db_bytes_per_record"] = round(db_bytes / args.records)
    await engine.dispose()
    cleanup(tmp, keep)
    return out


def cleanup(tmp: Path, keep: bool) -> None:
    if keep:
        return
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


async def run_reused(
    args: argparse.Namespace, engine: AsyncEngine, keyring: AuditKeyring, key_file: Path
) -> dict[str, object]:
    """Verify figures on a database kept by an earlier run (``--keep``)."""
    log = await AuditLog.open(engine, keyring, now_ms=int(time.time() * 1000))
    print(f"reusing {args.keep} ({(await log.read_head())[0]:,} records)")
    out = await verify_figures(log, args, key_file)
    # The records, appends and params of the run that built it are not this run's.
    out["verify_database_reused"] = True
    await engine.dispose()
    return out


async def verify_figures(
    log: AuditLog, args: argparse.Namespace, key_file: Path
) -> dict[str, object]:
    """Median verify records/s per wall-second and per CPU-second (and the comparison)."""
    out: dict[str, object] = {}
    await log.verify()  # the page cache (or the server's buffers) as for the runs below
    walls, cpus, servers, loads = [], [], [], []
    for _ in range(args.repeats):
        s0 = server_cpu(args)
        t0, c0 = time.perf_counter(), cpu_seconds()
        report = await log.verify()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
        servers.append(server_cpu_since(args, s0))
        loads.append(os.getloadavg()[0])
        assert report.ok, report.message
    dt, cpu = statistics.median(walls), statistics.median(cpus)
    out["verify_per_s"] = round(report.count / dt)
    out["verify_seconds"] = round(dt, 2)
    # CPU seconds of this process (every thread) and of the walk's child process, if any:
    # what one core does for verify, whatever share of the machine other work left this run.
    out["verify_per_cpu_s"] = round(report.count / cpu)
    out["verify_load1"] = [round(x, 2) for x in loads]
    line = (
        f"verify          : {out['verify_per_s']:>10,} records/s ({report.count:,} in {dt:.2f} s"
        f" wall), {out['verify_per_cpu_s']:,} records per CPU-second"
    )
    if args.database == "postgresql":
        server = statistics.median(servers)
        out["verify_server_cpu_s"] = round(server, 2)
        out["verify_per_cpu_s_with_server"] = round(report.count / (cpu + server))
        line += (
            f" of the client, {out['verify_per_cpu_s_with_server']:,} counting the server's"
            f" {server:.2f} s"
        )
    print(line + f" (load {' '.join(f'{x:.1f}' for x in loads)})")
    if args.compare:
        out["verify_compare"] = compare(args, key_file)
    return out


def compare(args: argparse.Namespace, key_file: Path) -> dict[str, object]:
    """Verify with the code of ``args.compare`` and of this tree, alternating, same database."""
    here = Path(__file__).resolve().parent
    trees = {"before": args.compare.resolve(), "after": here.parent}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    pid = server_pid(args)
    for _ in range(args.rounds):
        for name, tree in trees.items():
            done = subprocess.run(
                [sys.executable, str(here / "_verify_run.py"), "--tree", str(tree),
                 "--key", str(key_file), "--url", args.url, "--repeats", str(args.repeats),
                 "--server-pid", str(pid)],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            runs[name].extend(json.loads(done.stdout))
    out: dict[str, object] = {"trees": {k: str(v) for k, v in trees.items()}}
    for name, rs in runs.items():
        n = rs[0]["records"]
        fig = {
            "per_s": round(n / statistics.median(r["wall_s"] for r in rs)),
            "per_cpu_s": round(n / statistics.median(r["cpu_s"] for r in rs)),
            "load1": [round(r["load1"], 2) for r in rs],
        }
        if pid:
            both = statistics.median(r["cpu_s"] + r["server_cpu_s"] for r in rs)
            fig["per_cpu_s_with_server"] = round(n / both)
        out[name] = fig
        extra = f", {fig['per_cpu_s_with_server']:,} with the server" if pid else ""
        print(
            f"verify {name:<7} : {fig['per_s']:>10,} records/s wall,"
            f" {fig['per_cpu_s']:,} per CPU-second{extra} (median of {len(rs)};"
            f" load {' '.join(f'{x:.1f}' for x in fig['load1'])})"  # type: ignore[attr-defined]
        )
    return out


async def repeat(fn, repeats: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Median seconds of ``repeats`` runs, and the last result. No warm-up run: verify and
    the queries before have read the whole log into the page cache already."""
    result: object = None
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


async def issue15(
    log: AuditLog, work: Workload, args: argparse.Namespace, tmp: Path, now: int
) -> dict[str, object]:
    """Export, disclosures, content search and checkpoint cost (issue 15), medians."""
    out: dict[str, object] = {}
    size = (await log.read_head())[0]

    async def export() -> int:
        n = 0
        async for _line in log.iter_export("jsonl"):
            n += 1
        return n

    dt, lines = await repeat(export, args.repeats)
    out["export_jsonl_seconds"] = round(dt, 3)
    out["export_jsonl_per_s"] = round(int(lines) / dt)  # type: ignore[call-overload]
    print(f"export jsonl     : {dt:8.2f} s  ({out['export_jsonl_per_s']:,} records/s)")

    vendor = work.vendors[len(work.vendors) // 2]
    query = DisclosureQuery(since_ms=default_since(now), until_ms=now + 10**9, vendor=vendor)
    dt, rows = await repeat(lambda: disclosures(log, query), args.repeats)
    count = len(rows)  # type: ignore[arg-type]
    out["disclosures_one_vendor_seconds"] = round(dt, 3)
    out["disclosures_one_vendor_rows"] = count
    print(f"disclosures      : {dt:8.3f} s  one of {len(work.vendors)} vendors ({count:,} rows)")

    # Every message holds its own number (a rare word: one record) and "lab results" (all).
    rare = str(size // 2)
    searches = {
        "search_rare_word": lambda: search(log, rare, AuditFilter(limit=100)),
        "search_common_phrase_limit100": lambda: search(log, "lab results", AuditFilter(limit=100)),
    }
    for name, fn in searches.items():
        stats = await timed_runs(fn, args.runs)
        out[name] = stats
        print(f"{name:<40}: median {stats['median_ms']:7.2f} ms  p99 {stats['p99_ms']:7.2f} ms")

    # A checkpoint walks (hashes and tags) what was appended since the last one, signs,
    # fsyncs the file and notes it in the database; its cost per record falls with the
    # records between two checkpoints.
    keys = SigningKeys.load_or_create(tmp / "audit-signing.key", "bench.example/phigate-audit")
    signer = Checkpointer(log, keys, CheckpointFile(tmp / "checkpoints.txt"), clock=lambda: now)
    await signer.checkpoint()
    per_batch: dict[str, float] = {}
    for between in (500, 5_000, 50_000):
        times = []
        for _ in range(args.repeats):
            await log.append([work.entry(now) for _ in range(between)])
            t0 = time.perf_counter()
            await signer.checkpoint()
            times.append(time.perf_counter() - t0)
        cost = statistics.median(times)
        per_batch[str(between)] = round(cost * 1e6 / between, 2)
        print(
            f"checkpoint       : {cost * 1000:8.2f} ms after {between:,} appends"
            f" = {per_batch[str(between)]:6.2f} µs per appended record"
        )
    out["checkpoint_us_per_record_by_records_between"] = per_batch
    return out


def machine() -> dict[str, object]:
    return machine_facts(sqlite=sqlite3.sqlite_version, sqlalchemy=sqlalchemy.__version__)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--single", type=int, default=5_000, help="records appended one by one")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--vendors", type=int, default=200)
    parser.add_argument("--runs", type=int, default=50, help="runs per query")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of export, disclosures, checkpoint"
    )
    parser.add_argument("--synchronous", default="NORMAL", choices=["NORMAL", "FULL"])
    parser.add_argument("--deep", action="store_true", help="also time verify(deep=True)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--verify-only", action="store_true", help="only the verify figures")
    parser.add_argument("--compare", type=Path, help="also verify with this tree's code")
    parser.add_argument("--rounds", type=int, default=3, help="alternations with --compare")
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the SQLite database here")
    args = parser.parse_args()
    args.single = min(args.single, args.records)

    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']},"
        f" SQLite {info['sqlite']}, SQLAlchemy {info['sqlalchemy']}"
    )
    print(f"records: {args.records:,} over {args.vendors} vendors, synchronous={args.synchronous}")
    load = os.getloadavg()
    info["load_average_at_start"] = [round(x, 2) for x in load]
    info["database"] = args.database
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (others' work too)")
    figures = asyncio.run(run(args))
    print("targets:")
    print(
        f"  verify ≥ {TARGETS['verify_per_s']:,}/s on one core: {figures['verify_per_s']:,}/s"
        f" wall, {figures['verify_per_cpu_s']:,} per CPU-second"
    )
    if not args.verify_only and "append_batched_per_s" in figures:
        q = figures["query_phi_vendor_limit100"]
        c = figures["count_phi_vendor"]
        print(
            f"  batched appends ≥ {TARGETS['append_batched_per_s']:,}/s:"
            f" {figures['append_batched_per_s']:,}/s"
        )
        print(
            f"  PHI-involving-vendor query ≤ {TARGETS['query_ms']} ms:"
            f" p99 {q['p99_ms']} ms (limit 100), count p99 {c['p99_ms']} ms"  # type: ignore[index]
        )
    if args.json:
        params = vars(args) | {
            k: str(v) for k, v in vars(args).items() if isinstance(v, Path) or k == "url"
        }
        params.pop("url", None)
        if (args.verify_only or "append_batched_per_s" not in figures) and args.json.exists():
            # Keep the other figures of the file; say where the verify ones come from. The
            # PostgreSQL ones go beside the SQLite ones, under their own names.
            prefix = "postgresql_" if args.database == "postgresql" else ""
            doc = json.loads(args.json.read_text())
            doc.update({prefix + k: v for k, v in figures.items()})
            doc[prefix + "verify_run"] = {"machine": info, "params": params}
        else:
            doc = {"machine": info, "params": params, **figures}
        args.json.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
