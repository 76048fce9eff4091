"""Benchmark of the attachment check (`bridge.media.MediaChecker`).

The whole pipeline runs as in production — streaming download, SHA-256, spooling, libmagic,
clamd INSTREAM — except that the "homeserver" is a local aiohttp server serving the files
from disk at the authenticated-media path (same process, loopback, sendfile), and clamd is a
throwaway daemon started here with a one-signature database (EICAR), so figures show the
pipeline's own cost plus clamd's parsing, not signature matching against the full ~8M
signature set of a production database.

Measures, for 100 KB, 1 MB and 10 MB files (random bytes behind a PDF header, so the type is
allowed and clamd really scans them):

* ``cold``: a new file (new mxc URL, new content) — download + sniff + scan;
* ``content_cached``: known bytes under a new mxc URL — download + hash, no scan;
* ``cached``: the same mxc URL again — answered from the cache, no download, no scan;
* ``scan_only``: `ClamdScanner.scan_file` alone on a fresh file of the same size, for
  reference (what clamd itself costs);

as p50/p99 latency in ms; and the peak memory while checking one file of ``media.max_size``
(50 MB): tracemalloc peak (Python allocations) and the process's peak RSS during the check
over its RSS before (VmHWM reset through /proc/self/clear_refs; ru_maxrss elsewhere).

Usage::

    python bench/bench_media.py [--runs 100] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _stats import percentile

from bridge.config import MediaConfig, ScanFailure
from bridge.media import MediaChecker, MediaFetcher
from tests.clamd import LocalClamd

KB, MB = 1024, 1024 * 1024
SIZES = {"100KB": 100 * KB, "1MB": 1 * MB, "10MB": 10 * MB}
MAX_SIZE = 50 * MB
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!" + b"$H+H*"
AS_TOKEN = secrets.token_urlsafe(16)
BOT = "@phigate:clinic.test"


class DiskMedia:
    """Serves files from a directory at /_matrix/client/v1/media/download/{server}/{id}."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {AS_TOKEN}":
            return web.json_response({"errcode": "M_UNKNOWN_TOKEN"}, status=401)
        path = self.root / request.match_info["media_id"]
        if not path.is_file():
            return web.json_response({"errcode": "M_NOT_FOUND"}, status=404)
        return web.FileResponse(path)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/_matrix/client/v1/media/download/{server}/{media_id}", self.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def add(self, data_or_size: bytes | int) -> tuple[str, int]:
        """Write a file: the given bytes, or a fresh file of that size (a PDF header, then
        random bytes, written 1 MB at a time so making it does not grow this process).
        Returns (mxc URL, size)."""
        media_id = secrets.token_urlsafe(12)
        path = self.root / media_id
        if isinstance(data_or_size, int):
            write_random_pdf(path, data_or_size)
            size = data_or_size
        else:
            path.write_bytes(data_or_size)
            size = len(data_or_size)
        return f"mxc://clinic.test/{media_id}", size

    def path(self, mxc: str) -> Path:
        return self.root / mxc.rsplit("/", 1)[1]

    def copy(self, mxc: str) -> str:
        """The same bytes under a new mxc URL."""
        media_id = secrets.token_urlsafe(12)
        shutil.copyfile(self.path(mxc), self.root / media_id)
        return f"mxc://clinic.test/{media_id}"

    def remove(self, mxc: str) -> None:
        self.path(mxc).unlink(missing_ok=True)


def write_random_pdf(path: Path, size: int) -> None:
    header = b"%PDF-1.4\n%"
    with path.open("wb") as out:
        out.write(header)
        left = size - len(header)
        while left > 0:
            block = os.urandom(min(MB, left))
            out.write(block)
            left -= len(block)


def content(mxc: str, size: int) -> dict[str, Any]:
    info = {"mimetype": "application/pdf", "size": size}
    return {"msgtype": "m.file", "body": "scan.pdf", "url": mxc, "info": info}


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "n": len(samples_ms),
        "p50_ms": round(percentile(samples_ms, 50), 3),
        "p99_ms": round(percentile(samples_ms, 99), 3),
        "mean_ms": round(sum(samples_ms) / len(samples_ms), 3),
    }


async def timed(coro: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    result = await coro
    return result, (time.perf_counter() - t0) * 1000


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so the next reading is this check's peak
    (Linux ≥ 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_bytes() -> int:
    """VmHWM where available, else ru_maxrss (the process's lifetime peak)."""
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def rss_bytes() -> int:
    return (_status_kb("VmRSS") or 0) * 1024


async def bench(runs: int, spool_dir: Path, clamd: LocalClamd, repo: DiskMedia) -> dict[str, Any]:
    config = MediaConfig(
        max_size=MAX_SIZE,
        allowed_types=frozenset({"application/pdf", "image/png", "text/plain"}),
        scan_failure=ScanFailure.BLOCK,
        clamav=clamd.config,
    )
    results: dict[str, Any] = {}
    async with aiohttp.ClientSession() as session:
        fetcher = MediaFetcher(repo.url, AS_TOKEN, BOT, session)
        scanner = clamd.scanner(timeout=120.0)
        checker = MediaChecker(config, fetcher, scanner, spool_dir=spool_dir)

        # Warm-up: imports, libmagic database, connection pool, clamd's first scan.
        for _ in range(3):
            mxc, size = repo.add(100 * KB)
            assert (await checker.check(content(mxc, size))).allowed
            repo.remove(mxc)
        eicar_mxc, _ = repo.add(EICAR)
        verdict = await checker.check(
            {"msgtype": "m.file", "body": "e", "url": eicar_mxc, "info": {"mimetype": "text/plain"}}
        )
        assert verdict.reason is not None and verdict.reason.reason == "malware", verdict

        # Peak memory at max_size, first, before larger files have grown ru_maxrss.
        mxc, size = repo.add(MAX_SIZE)
        gc.collect()
        rss_before = rss_bytes()
        peak_reset = reset_peak_rss()
        tracemalloc.start()
        verdict, elapsed = await timed(checker.check(content(mxc, size)))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_delta = peak_rss_bytes() - rss_before
        assert verdict.allowed, verdict
        repo.remove(mxc)
        # Latency again without tracemalloc's overhead.
        mxc, size = repo.add(MAX_SIZE)
        verdict, elapsed = await timed(checker.check(content(mxc, size)))
        assert verdict.allowed, verdict
        repo.remove(mxc)
        results["max_size_check"] = {
            "size_bytes": size,
            "latency_ms": round(elapsed, 1),
            "tracemalloc_peak_bytes": peak,
            "rss_before_bytes": rss_before,
            "peak_rss_growth_bytes": rss_delta,
            "peak_rss_source": "VmHWM after clear_refs" if peak_reset else "ru_maxrss",
        }
        print(
            f"{'50MB':>6} one check: {elapsed:8.1f} ms   tracemalloc peak "
            f"{peak / MB:6.2f} MB   peak RSS {rss_before / MB:.1f} MB +{rss_delta / MB:6.2f} MB"
        )

        for label, nbytes in SIZES.items():
            n = max(5, runs if nbytes <= MB else runs // 5)
            cold, content_cached, cached, scan_only = [], [], [], []
            for _ in range(n):
                mxc, size = repo.add(nbytes)
                verdict, ms = await timed(checker.check(content(mxc, size)))
                assert verdict.allowed, verdict
                cold.append(ms)
                verdict, ms = await timed(checker.check(content(mxc, size)))
                assert verdict.allowed
                cached.append(ms)
                # Same bytes, new URL: download and hash again, scan from the cache.
                twin = repo.copy(mxc)
                verdict, ms = await timed(checker.check(content(twin, size)))
                assert verdict.allowed
                content_cached.append(ms)
                # clamd alone on bytes it has never seen (clamd keeps its own cache of
                # clean files by MD5, so rescanning the same bytes would flatter it).
                fresh = spool_dir / "fresh.pdf"
                write_random_pdf(fresh, size)
                with fresh.open("rb") as file:
                    _, ms = await timed(scanner.scan_file(file, size))
                scan_only.append(ms)
                fresh.unlink()
                repo.remove(mxc)
                repo.remove(twin)
            results[label] = {
                "cold": summary(cold),
                "content_cached": summary(content_cached),
                "cached": summary(cached),
                "scan_only": summary(scan_only),
            }
            row = results[label]
            print(
                f"{label:>6} (n={n:3d})  cold p50 {row['cold']['p50_ms']:8.2f} "
                f"p99 {row['cold']['p99_ms']:8.2f} | content-cached p50 "
                f"{row['content_cached']['p50_ms']:7.2f} p99 {row['content_cached']['p99_ms']:7.2f}"
                f" | cached p50 {row['cached']['p50_ms']:6.3f} p99 {row['cached']['p99_ms']:6.3f}"
                f" | clamd scan only p50 {row['scan_only']['p50_ms']:7.2f} ms"
            )
        results["counters"] = {
            "downloads": fetcher.downloads,
            "scans": scanner.scans,
            "source_cache_hits": checker.stats.source_cache_hits,
            "content_cache_hits": checker.stats.content_cache_hits,
        }
        await checker.close()
    return results


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp:
        root = Path(tmp)
        (root / "media").mkdir()
        (root / "spool").mkdir()
        clamd = LocalClamd({"Eicar-Test-Signature": EICAR}, stream_max_length=64 * MB)
        clamd.start()
        repo = DiskMedia(root / "media")
        await repo.start()
        try:
            print(f"clamd up in {clamd.startup_seconds:.2f} s; media served from {repo.url}")
            results = await bench(args.runs, root / "spool", clamd, repo)
        finally:
            await repo.stop()
            clamd.cleanup()
    version = subprocess.run(
        ["clamd", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "benchmark": "media",
        "runs": args.runs,
        "max_size": MAX_SIZE,
        "clamd": version,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="files per size (10 MB: runs/5)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    report = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"written {args.json}")


if __name__ == "__main__":
    main()
