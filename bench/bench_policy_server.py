"""Benchmark: PHI Gate as the rooms' policy server, seen from a vendor on its own server.

Two federating Synapses on 127.0.0.1 (the integration tests' harness: clinic.test with PHI
Gate and its pre-persist module behind a TLS proxy, vendor.test plain), PHI Gate in this
process's event loop, real nio E2EE clients. Two deployments, one after the other: without
and with ``policy_server.enabled``. In each, the vendor's rep sends, one message at a time:

* gated (the vendor's BAA None): PHI, plaintext and Element-style megolm — refused by
  vendor.test itself with the policy server (PHI Gate decrypts the encrypted ones before it
  answers); stored and sent by vendor.test without it (the practice's server refuses them on
  arrival);
* open (BAA Active): the same, allowed and signed by PHI Gate.

Figures: the rep's send round trip (client → vendor.test → answer) per case, p50/p99, side by
side, and the added latency with − without; ``/sign`` as vendor.test sees it through the
proxy, per case; exposure: blocked events stored in vendor.test's database or in clinic.test's
with content (goal 0 with the policy server; counted without it). Goal: ≤ 25 ms p99 added on
loopback. Timing is reported here, never asserted in tests.

Usage::

    python bench/bench_policy_server.py [--messages 40] [--json bench/results/policy_server.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from _machine import machine_facts, version  # noqa: E402
from _stats import percentile  # noqa: E402

from tests.clamd import LocalClamd  # noqa: E402
from tests.integration.appservice.conftest import (  # noqa: E402
    CLAMD_STREAM_MAX,
    EICAR,
    EICAR_NAME,
)
from tests.integration.appservice.test_gate import PHI  # noqa: E402
from tests.integration.federation.conftest import Federation, federated  # noqa: E402
from tests.integration.federation.test_remote_vendor import remote_vendor_room  # noqa: E402
from tests.integration.harness.clients import wait_for  # noqa: E402

CASES = ("gated_plain", "gated_encrypted", "open_plain", "open_encrypted")
GOAL_P99_ADDED_MS = 25.0
WARMUP = 3


def summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p99": 0.0, "n": 0}
    return {
        "p50": round(statistics.median(values), 2),
        "p99": round(percentile(values, 99), 2),
        "n": len(values),
    }


async def timed(f: Federation, rep: Any, room: str, *, encrypted: bool, n: int) -> list[float]:
    """The rep's send round trips in ms (refused ones too: the answer is what is timed)."""
    samples = []
    for i in range(WARMUP + n):
        body = f"{PHI} #{i}"
        started = time.perf_counter()
        if encrypted:
            await f.d.wait_room_known(rep, room)
            await rep.room_send(
                room,
                "m.room.message",
                {"msgtype": "m.text", "body": body},
                ignore_unverified_devices=True,
            )
        else:
            await rep.raw_request(
                "PUT",
                f"/_matrix/client/v3/rooms/{room}/send/m.room.message/b{time.monotonic_ns()}",
                {"msgtype": "m.text", "body": body},
            )
        if i >= WARMUP:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


async def measure(base: Path, clamd: LocalClamd, *, policy: bool, n: int) -> dict[str, Any]:
    async with federated(base, clamd, policy_server=policy) as f:
        d = f.d
        alice, rep, room = await remote_vendor_room(f)
        if policy:
            # vendor.test must hold the room's policy (published again after its join).
            async def knows() -> bool:
                return "public_keys" in (f.policy_on_vendor(room) or {})

            await wait_for(knows, timeout=30, message="vendor.test never got the policy")
        sends: dict[str, list[float]] = {}
        signs: dict[str, dict[str, float]] = {}
        stored_before = f.messages_stored_on(f.vendor, rep.user_id, room)
        for case, encrypted in (("gated_plain", False), ("gated_encrypted", True)):
            mark = len(f.proxy.policy_timings)
            sends[case] = await timed(f, rep, room, encrypted=encrypted, n=n)
            signs[case] = summary([s * 1000 for _, s in f.proxy.policy_timings[mark:]])
        blocked_sent = 2 * (WARMUP + n)
        # Exposure of the blocked sends: on the vendor's own server (stored before its send
        # returns), and with content on the practice's once all it stored has arrived there
        # (soft-failed arrivals are stored emptied).
        on_vendor = f.messages_stored_on(f.vendor, rep.user_id, room) - stored_before
        await wait_for(
            lambda: f.messages_stored_on(d.synapse, rep.user_id, room) >= on_vendor,
            timeout=120,
            message="the rep's events never all reached clinic.test",
        )
        on_clinic = clinic_with_content(f, rep.user_id, room)
        for state in ("Staging", "Pending", "Active"):
            await d.applied(f"!baa set acme {state}")
        await d.wait_gate(alice, room, "open")
        for case, encrypted in (("open_plain", False), ("open_encrypted", True)):
            mark = len(f.proxy.policy_timings)
            sends[case] = await timed(f, rep, room, encrypted=encrypted, n=n)
            signs[case] = summary([s * 1000 for _, s in f.proxy.policy_timings[mark:]])
        return {
            "send_ms": {case: summary(values) for case, values in sends.items()},
            "sign_ms": signs if policy else None,
            "exposure": {
                "blocked_sends": blocked_sent,
                "stored_on_vendor_server": on_vendor,
                "stored_with_content_on_practice_server": on_clinic,
            },
        }


def clinic_with_content(f: Federation, sender: str, room: str) -> int:
    with sqlite3.connect(f.d.synapse.base_dir / "homeserver.db") as db:
        rows = db.execute(
            "SELECT j.json FROM events e JOIN event_json j USING (event_id)"
            " WHERE e.sender = ? AND e.room_id = ? AND e.type IN"
            " ('m.room.message', 'm.room.encrypted')",
            (sender, room),
        ).fetchall()
    return sum(1 for (raw,) in rows if json.loads(raw).get("content"))


def report(without: dict[str, Any], with_ps: dict[str, Any], n: int) -> dict[str, Any]:
    rows = {}
    print(f"\nrep's send round trip, ms ({n} per case; refused sends timed to the refusal)")
    print(f"{'case':18} {'without p50/p99':>18} {'with p50/p99':>16} {'added p50/p99':>16}")
    for case in CASES:
        a, b = without["send_ms"][case], with_ps["send_ms"][case]
        added = {"p50": round(b["p50"] - a["p50"], 2), "p99": round(b["p99"] - a["p99"], 2)}
        rows[case] = {"without": a, "with": b, "added": added}
        print(
            f"{case:18} {a['p50']:8.1f}/{a['p99']:<8.1f} {b['p50']:7.1f}/{b['p99']:<8.1f}"
            f" {added['p50']:7.1f}/{added['p99']:<8.1f}"
        )
    print("\n/sign as vendor.test sees it (through the proxy), ms")
    for case in CASES:
        s = with_ps["sign_ms"][case]
        print(f"{case:18} p50 {s['p50']:6.1f}  p99 {s['p99']:6.1f}  n {s['n']}")
    print("\nexposure of blocked sends (without → with the policy server)")
    for key in ("stored_on_vendor_server", "stored_with_content_on_practice_server"):
        print(f"{key:40} {without['exposure'][key]:4} → {with_ps['exposure'][key]}")
    return {
        "send_ms": rows,
        "sign_ms": with_ps["sign_ms"],
        "exposure": {"without": without["exposure"], "with": with_ps["exposure"]},
        "goal_p99_added_ms": GOAL_P99_ADDED_MS,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="bench-policy-"))
    clamd = LocalClamd({EICAR_NAME: EICAR}, stream_max_length=CLAMD_STREAM_MAX)
    clamd.start()
    try:
        without = await measure(base / "without", clamd, policy=False, n=args.messages)
        with_ps = await measure(base / "with", clamd, policy=True, n=args.messages)
    finally:
        clamd.stop()
        clamd.cleanup()
        shutil.rmtree(base, ignore_errors=True)
    return report(without, with_ps, args.messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=40, help="timed sends per case")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    machine = machine_facts(
        synapse=version("matrix-synapse"),
        mautrix=version("mautrix"),
        # Shared with other work: the figures are only as quiet as the machine was.
        load_average_at_start=[round(x, 2) for x in os.getloadavg()],
    )
    print(f"machine: {machine}")
    figures = {"machine": machine, "messages": args.messages, **asyncio.run(main_async(args))}
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at end: {figures['load_average_at_end']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
