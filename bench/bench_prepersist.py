"""Benchmark: what the pre-persist check adds to a send, side by side in one run.

Two deployments on 127.0.0.1, one after the other: Synapse + PHI Gate (subprocess) without
and with PHI Gate's Synapse module (configured by `phigate synapse-config`). In each, a staff
member sends, one message at a time, into four rooms:

* unmanaged: a staff-only room PHI Gate is not in (the module answers from memory);
* open: staff + a patient with Active consent;
* gated, plaintext: staff + a patient without consent, `#nophi` messages (allowed: PHI
  Gate classifies them before the homeserver stores them);
* gated, encrypted: the same room, Element-style megolm (PHI Gate decrypts before it answers).

Each sample is the client's send round trip (nio `room_send`, which encrypts where the room
is encrypted). Added latency = with − without, per percentile. Goals: p99 ≤ 5 ms added for
unmanaged/open rooms, ≤ 25 ms for gated encrypted. Also counted: blocked (PHI) sends in the
gated room with the module — how many of them any other member's client received (goal 0).

Usage::

    python bench/bench_prepersist.py [--messages 100] [--json bench/results/prepersist.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _deploy import DemoClient, Deployment
from _machine import machine_facts, version
from _stats import percentile

ROOMS = ("unmanaged", "open", "gated_plain", "gated_encrypted")
GOALS_MS = {"unmanaged": 5.0, "open": 5.0, "gated_encrypted": 25.0}
PHI = "Your A1C came back at 9.2, MRN 4481230"


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p99": round(percentile(values, 99), 2),
        "n": len(values),
    }


async def timed_sends(user: DemoClient, room: str, count: int, tag: str) -> list[float]:
    samples = []
    for n in range(count):
        t0 = time.perf_counter()
        await user.send_text(room, f"Your visit is Tuesday at 10 ({tag} {n}) #nophi")
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


async def measure(base: Path, *, prepersist: bool, count: int, warmup: int) -> dict[str, Any]:
    users = ("staff", "pat", "pat2")
    async with Deployment(base, users=users, prepersist=prepersist) as d:
        staff = await d.nio_user("staff")
        pat, pat2 = await d.nio_user("pat"), await d.nio_user("pat2")
        await d.command(f"!patient add {pat.user_id}", "patient")
        await d.command(f"!patient add {pat2.user_id}", "patient")
        await d.command(f"!consent grant {pat2.user_id}", "not applied yet")
        await d.command("!confirm", "Active")
        rooms: dict[str, str] = {}
        rooms["unmanaged"] = await staff.create_room(
            "unmanaged", [], power_users={}, encrypted=False
        )
        rooms["open"] = await d.staff_room(staff, [pat2.user_id], encrypted=False)
        rooms["gated_plain"] = await d.staff_room(staff, [pat.user_id], encrypted=False)
        rooms["gated_encrypted"] = await d.staff_room(staff, [pat.user_id], encrypted=True)
        raw_staff = await d.user("staff")
        expected = {"open": "open", "gated_plain": "gated", "gated_encrypted": "gated"}
        for key, state in expected.items():
            # PHI Gate manages the room (its gate state is up) before a patient may join.
            await d.wait_gate(raw_staff, rooms[key], state)
        await pat2.join_room(rooms["open"])
        for key in ("gated_plain", "gated_encrypted"):
            await pat.join_room(rooms[key])
        await staff.wait_room(rooms["gated_encrypted"], [d.bot, pat.user_id])
        figures: dict[str, Any] = {}
        for key in ROOMS:
            await timed_sends(staff, rooms[key], warmup, "warm-up")
            figures[key] = await timed_sends(staff, rooms[key], count, key)
        exposure = None
        if prepersist:
            exposure = await blocked_exposure(staff, pat, rooms["gated_encrypted"], count=20)
        return {"samples": figures, "exposure": exposure}


async def blocked_exposure(
    staff: DemoClient, pat: DemoClient, room: str, count: int
) -> dict[str, int]:
    """PHI sends in the gated room: how many were refused, and how many of them (or anything
    else from staff) reached the patient's client."""

    start_ms = int(time.time() * 1000)

    def from_staff() -> int:
        """Events from staff the patient's client got, sent since this phase began (the
        homeserver's timestamp: earlier, allowed messages may still be in flight)."""
        seen = pat.timeline(room)  # decrypted or not
        return sum(
            1
            for e in seen
            if getattr(e, "sender", None) == staff.user_id
            and getattr(e, "server_timestamp", 0) >= start_ms
        )

    refused = 0
    for n in range(count):
        try:
            await staff.send_text(room, f"{PHI} ({n})")
        except Exception:  # RoomSendError → MatrixError: refused by the homeserver
            refused += 1
    await asyncio.sleep(2.0)  # a delivery would have reached the patient's /sync by now
    return {"sent": count, "refused": refused, "received_by_patient": from_staff()}


def report(without: dict[str, Any], with_module: dict[str, Any], count: int) -> dict[str, Any]:
    result: dict[str, Any] = {"rooms": {}}
    print(f"\nsend round trip, ms, {count} messages per room (median and p99)")
    print(
        f"{'room':<18}{'without p50':>12}{'with p50':>10}{'added':>8}"
        f"{'without p99':>13}{'with p99':>10}{'added':>8}{'goal p99':>10}"
    )
    for key in ROOMS:
        a, b = summary(without["samples"][key]), summary(with_module["samples"][key])
        added50, added99 = round(b["p50"] - a["p50"], 2), round(b["p99"] - a["p99"], 2)
        goal = GOALS_MS.get(key)
        print(
            f"{key:<18}{a['p50']:>12.1f}{b['p50']:>10.1f}{added50:>8.1f}"
            f"{a['p99']:>13.1f}{b['p99']:>10.1f}{added99:>8.1f}"
            f"{(f'≤ {goal:.0f}' if goal else '—'):>10}"
        )
        result["rooms"][key] = {
            "without": a,
            "with": b,
            "added_p50_ms": added50,
            "added_p99_ms": added99,
            "goal_added_p99_ms": goal,
        }
    exposure = with_module["exposure"]
    print(
        f"\nexposure with the module: {exposure['refused']}/{exposure['sent']} PHI sends refused;"
        f" {exposure['received_by_patient']} reached the patient's client (goal 0)"
    )
    result["exposure"] = exposure
    return result


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="phigate-prepersist-"))
    try:
        without = await measure(
            base / "without", prepersist=False, count=args.messages, warmup=args.warmup
        )
        with_module = await measure(
            base / "with", prepersist=True, count=args.messages, warmup=args.warmup
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return report(without, with_module, args.messages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    machine = machine_facts(synapse=version("matrix-synapse"), mautrix=version("mautrix"))
    print(f"machine: {machine}")
    figures = asyncio.run(main_async(args))
    figures["machine"] = machine
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
