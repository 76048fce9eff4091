"""Benchmark of the exposure window: how long a blocked message stays visible.

Set-up (all on 127.0.0.1, in a temporary directory): a throwaway Synapse (SQLite) with PHI Gate
registered and running as a subprocess (``python -m bridge run -c config.yaml``, its own core;
``--bridge in-process`` runs it in this event loop instead), a vendor ``acme`` whose BAA is
Pending, a linked vendor rep, a staff user, and a room created by staff with both and the bot
(moderator, power 50). ``--room plain`` (default) keeps the room unencrypted (with
``organization.auto_protect`` off, so PHI Gate does not turn encryption on acting as staff);
``--room encrypted`` creates it megolm-encrypted, and the bot must decrypt before it decides.

Staff is a matrix-nio client with E2EE, syncing in the background like a real client. The
observer is the vendor rep: a thin raw client long-polling ``/sync``, filtered to the room.
Message after message (``--messages``, default 200, after ``--warmup`` unmeasured):

* t0: just before staff's ``room_send`` of a PHI message; ts: when it returned;
* t1: the rep's ``/sync`` delivers the ``m.room.redaction`` of that event (or the event
  already served redacted), timed as the response body was read.

exposure = t1 − t0; send = ts − t0; redaction after send = t1 − ts. Target: exposure p99
≤ 250 ms. Baseline, after ``!baa set acme Active`` opens the room: send → the rep's /sync
delivering the message itself, i.e. the homeserver's own delivery time, which the exposure
window cannot beat. The next message is sent once the previous one is settled (its redaction
and the bot's block notice seen; in the baseline, the message seen).

Usage::

    python bench/bench_exposure.py [--messages 200] [--room plain|encrypted] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _deploy import DemoClient, Deployment, MatrixUser
from _machine import machine_facts, version
from _stats import percentile

TARGET_P99_MS = 250.0
SETTLE_TIMEOUT = 10.0
PHI = "Patient John Smith DOB 03/14/1962, A1C 9.2, MRN {mrn} — please update the claim ({n})"
MESSAGE_TYPES = ("m.room.message", "m.room.encrypted")
T = TypeVar("T")


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 50), 2),
        "p90": round(percentile(values, 90), 2),
        "p99": round(percentile(values, 99), 2),
        "max": round(max(values), 2),
        "mean": round(statistics.fmean(values), 2),
    }


class Observer:
    """The vendor rep's client: long-polls /sync on one room and notes, per event, when it
    first arrived (``perf_counter()`` as the response body was read) and where it stands in
    the timeline."""

    def __init__(self, user: MatrixUser, room_id: str, bot: str) -> None:
        self.user = user
        self.room_id = room_id
        self.bot = bot
        self.unredacted_seen: dict[str, float] = {}  # messages received with their content
        self.message_seen: dict[str, float] = {}  # messages received in any form
        self.redaction_seen: dict[str, float] = {}  # redacted event id -> first sign of it
        self.redaction_pos: dict[str, int] = {}  # ... and its timeline position
        self.bot_posts: list[tuple[int, float]] = []  # the bot's messages: (position, arrival)
        self.syncs = 0
        self._position = 0
        self._changed = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._filter = json.dumps(
            {
                "room": {
                    "rooms": [room_id],
                    "timeline": {"limit": 100},
                    "state": {"lazy_load_members": True},
                    "ephemeral": {"types": []},
                    "account_data": {"types": []},
                },
                "presence": {"types": []},
                "account_data": {"types": []},
            },
            separators=(",", ":"),
        )

    async def start(self) -> None:
        raw, _ = await self.user.sync_raw(None, 0, self._filter)
        since = json.loads(raw)["next_batch"]
        self._task = asyncio.create_task(self._run(since))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self, since: str) -> None:
        while True:
            raw, arrived = await self.user.sync_raw(since, 30_000, self._filter)
            body = json.loads(raw)
            since = body["next_batch"]
            self.syncs += 1
            room = body.get("rooms", {}).get("join", {}).get(self.room_id, {})
            for event in room.get("timeline", {}).get("events", []):
                self._ingest(event, arrived)
            async with self._changed:
                self._changed.notify_all()

    def _ingest(self, event: dict[str, Any], arrived: float) -> None:
        position, self._position = self._position, self._position + 1
        etype, content = event.get("type"), event.get("content") or {}
        if etype == "m.room.redaction":
            target = event.get("redacts") or content.get("redacts")
            if target:
                self.redaction_seen.setdefault(target, arrived)
                self.redaction_pos.setdefault(target, position)
            return
        if etype not in MESSAGE_TYPES:
            return
        event_id = event["event_id"]
        self.message_seen.setdefault(event_id, arrived)
        if "redacted_because" in event.get("unsigned", {}):
            self.redaction_seen.setdefault(event_id, arrived)
            self.redaction_pos.setdefault(event_id, position)
        elif content:
            self.unredacted_seen.setdefault(event_id, arrived)
        if event.get("sender") == self.bot:
            self.bot_posts.append((position, arrived))

    def notice_after_redaction(self, event_id: str) -> float | None:
        """Arrival of the bot's first message after the redaction of ``event_id``: its block
        notice (which names no event; in an encrypted room it cannot even be read here)."""
        redacted_at = self.redaction_pos.get(event_id)
        if redacted_at is None:
            return None
        return next((t for pos, t in self.bot_posts if pos > redacted_at), None)

    async def wait(self, predicate: Callable[[], T | None], timeout: float) -> T:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
        result = predicate()
        assert result is not None
        return result


async def gated_run(
    staff: DemoClient,
    observer: Observer,
    room: str,
    count: int,
    first: int,
    poisoner: MatrixUser | None = None,
) -> list[dict[str, float | bool]]:
    """PHI messages in the gated room, each settled before the next. With ``poisoner``, each
    comes right after a malformed event from the vendor (a field of the wrong type that
    Synapse lets through): the gate must not slow down, let alone stall."""
    samples: list[dict[str, float | bool]] = []
    for n in range(first, first + count):
        poison_id = await poisoner.send(room, POISON) if poisoner is not None else None
        body = PHI.format(mrn=4_481_230 + n, n=n)
        t0 = time.perf_counter()
        event_id = await staff.send_text(room, body)
        ts = time.perf_counter()
        try:
            t1 = await observer.wait(
                lambda e=event_id: observer.redaction_seen.get(e), SETTLE_TIMEOUT
            )
            if poison_id is not None:
                await observer.wait(
                    lambda e=poison_id: observer.redaction_seen.get(e), SETTLE_TIMEOUT
                )
            # The block notice follows the redaction: let it land before the next message.
            tn = await observer.wait(
                lambda e=event_id: observer.notice_after_redaction(e), SETTLE_TIMEOUT
            )
        except TimeoutError:
            raise RuntimeError(
                f"message {n} ({event_id}) was not redacted (and noticed) within"
                f" {SETTLE_TIMEOUT:.0f} s"
            ) from None
        samples.append(
            {
                "exposure_ms": (t1 - t0) * 1000,
                "send_ms": (ts - t0) * 1000,
                "redaction_after_send_ms": (t1 - ts) * 1000,
                "notice_after_send_ms": (tn - t0) * 1000,
                "observer_got_event": event_id in observer.unredacted_seen,
            }
        )
    return samples


POISON = {"msgtype": "m.text", "body": "poison", "m.relates_to": "not an object"}


async def baseline_run(
    staff: DemoClient, observer: Observer, room: str, count: int, first: int
) -> tuple[list[dict[str, float | bool]], list[str]]:
    samples: list[dict[str, float | bool]] = []
    ids = []
    for n in range(first, first + count):
        body = PHI.format(mrn=4_481_230 + n, n=n)
        t0 = time.perf_counter()
        event_id = await staff.send_text(room, body)
        ts = time.perf_counter()
        try:
            t1 = await observer.wait(
                lambda e=event_id: observer.message_seen.get(e), SETTLE_TIMEOUT
            )
        except TimeoutError:
            raise RuntimeError(f"message {n} ({event_id}) never reached the observer") from None
        ids.append(event_id)
        samples.append(
            {
                "delivery_ms": (t1 - t0) * 1000,
                "send_ms": (ts - t0) * 1000,
                "delivery_after_send_ms": (t1 - ts) * 1000,
            }
        )
    return samples, ids


def plain_room_config(raw: dict[str, Any]) -> None:
    # Without auto_protect PHI Gate may not act as staff, so it cannot turn encryption on in
    # the staff's room (its moderator level is below m.room.encryption's 100).
    raw["organization"]["auto_protect"] = False


async def run(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    t_start = time.perf_counter()
    async with Deployment(
        base,
        bridge_mode=args.bridge,
        users=("staff", "acmerep"),
        config_extra=plain_room_config if args.room == "plain" else None,
    ) as d:
        try:
            return await measure(args, d, t_start)
        except Exception:
            if d.bridge_log_tail():
                print(f"bridge log (tail):\n{d.bridge_log_tail()}", file=sys.stderr)
            raise


async def measure(args: argparse.Namespace, d: Deployment, t_start: float) -> dict[str, Any]:
    staff, rep = await d.nio_user("staff"), await d.user("acmerep")
    await d.command("!vendor add acme Acme Billing", "acme")
    await d.command(f"!vendor link acme {rep.user_id}", "linked")
    await d.command("!baa set acme Staging", "Staging")
    await d.command("!baa set acme Pending paperwork sent", "Pending")
    encrypted = args.room == "encrypted"
    room = await d.staff_room(staff, [rep.user_id], encrypted=encrypted)
    await rep.join(room)

    def rep_pending(gate: dict[str, Any]) -> bool:
        return any(
            c.get("user_id") == rep.user_id and c.get("status") == "Pending"
            for c in gate.get("counterparties", [])
        )

    await d.wait_gate(rep, room, "gated", rep_pending)
    await staff.wait_room(room, [d.bot, rep.user_id], encrypted=encrypted)
    if staff.encrypted(room) != encrypted:
        raise RuntimeError(f"the room is {'' if staff.encrypted(room) else 'not '}encrypted")
    observer = Observer(rep, room, d.bot)
    await observer.start()
    try:
        setup_s = time.perf_counter() - t_start
        print(f"set-up done in {setup_s:.1f} s; measuring …", flush=True)
        t_measure = time.perf_counter()
        await gated_run(staff, observer, room, args.warmup, 0)
        gated = await gated_run(staff, observer, room, args.messages, args.warmup)
        gated_s = time.perf_counter() - t_measure
        first = args.warmup + args.messages
        poisoned = await gated_run(staff, observer, room, args.poisoned, first, poisoner=rep)

        await d.command("!baa set acme Active", "not applied yet")
        await d.command("!confirm", "Active")
        await d.wait_gate(rep, room, "open")
        first += args.poisoned
        await baseline_run(staff, observer, room, args.warmup, first)
        t_base = time.perf_counter()
        baseline, base_ids = await baseline_run(
            staff, observer, room, args.messages, first + args.warmup
        )
        baseline_s = time.perf_counter() - t_base
        # An open room must not redact: give a late redaction a moment to show up.
        await asyncio.sleep(1.0)
        wrongly_redacted = sum(1 for e in base_ids if e in observer.redaction_seen)
        syncs = observer.syncs
    finally:
        await observer.stop()

    def column(rows: list[dict[str, float | bool]], key: str) -> list[float]:
        return [float(r[key]) for r in rows]

    return {
        "bridge": args.bridge,
        "room": args.room,
        "messages": args.messages,
        "warmup": args.warmup,
        "exposure_ms": summary(column(gated, "exposure_ms")),
        "send_ms": summary(column(gated, "send_ms")),
        "redaction_after_send_ms": summary(column(gated, "redaction_after_send_ms")),
        "notice_after_send_ms": summary(column(gated, "notice_after_send_ms")),
        "observer_got_event": sum(1 for r in gated if r["observer_got_event"]),
        "poisoned_messages": args.poisoned,
        "poisoned_exposure_ms": summary(column(poisoned, "exposure_ms")),
        "baseline_delivery_ms": summary(column(baseline, "delivery_ms")),
        "baseline_send_ms": summary(column(baseline, "send_ms")),
        "baseline_delivery_after_send_ms": summary(column(baseline, "delivery_after_send_ms")),
        "baseline_wrongly_redacted": wrongly_redacted,
        "target_p99_ms": TARGET_P99_MS,
        "observer_syncs": syncs,
        "timings_s": {
            **{k: round(v, 2) for k, v in d.timings.items()},
            "setup": round(setup_s, 2),
            "gated_phase": round(gated_s, 2),
            "baseline_phase": round(baseline_s, 2),
            "total": round(time.perf_counter() - t_start, 2),
        },
        "samples": {
            "gated": [{k: round(v, 3) for k, v in r.items()} for r in gated],
            "baseline": [{k: round(v, 3) for k, v in r.items()} for r in baseline],
        },
    }


def machine() -> dict[str, Any]:
    return machine_facts(
        synapse=version("matrix-synapse"),
        mautrix=version("mautrix"),
        load_average=[round(x, 2) for x in os.getloadavg()],
    )


def report(figures: dict[str, Any]) -> None:
    n = figures["messages"]
    print()
    rows = [
        ("gated (BAA Pending): exposure, send → redaction", "exposure_ms"),
        ("  send round trip", "send_ms"),
        ("  redaction seen after send returned", "redaction_after_send_ms"),
        ("  block notice seen, from send", "notice_after_send_ms"),
        (
            f"after a malformed event ({figures['poisoned_messages']} msgs): exposure",
            "poisoned_exposure_ms",
        ),
        ("baseline (BAA Active): send → message seen", "baseline_delivery_ms"),
        ("  send round trip", "baseline_send_ms"),
        ("  message seen after send returned", "baseline_delivery_after_send_ms"),
    ]
    header = f"{'ms, over ' + str(n) + ' messages each':<48}"
    header += "".join(f"{h:>8}" for h in ("p50", "p90", "p99", "max", "mean"))
    print(header)
    for label, key in rows:
        s = figures[key]
        print(
            f"{label:<48}" + "".join(f"{s[h]:>8.1f}" for h in ("p50", "p90", "p99", "max", "mean"))
        )
    p99 = figures["exposure_ms"]["p99"]
    verdict = "met" if p99 <= figures["target_p99_ms"] else "NOT met"
    print()
    print(f"target: exposure p99 ≤ {figures['target_p99_ms']:.0f} ms — p99 {p99:.1f} ms: {verdict}")
    what = "ciphertext" if figures["room"] == "encrypted" else "text"
    print(
        f"blocked messages whose {what} the observer's /sync carried before the redaction:"
        f" {figures['observer_got_event']}/{n}"
    )
    print(f"baseline messages redacted (must be 0): {figures['baseline_wrongly_redacted']}")
    t = figures["timings_s"]
    print(
        f"run time {t['total']:.1f} s (Synapse start {t['synapse_start_s']:.1f} s, bridge start"
        f" {t['bridge_start_s']:.1f} s, set-up {t['setup']:.1f} s, gated {t['gated_phase']:.1f} s,"
        f" baseline {t['baseline_phase']:.1f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="measured messages per phase")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured messages per phase")
    parser.add_argument(
        "--bridge",
        choices=["subprocess", "in-process"],
        default="subprocess",
        help="run PHI Gate as `python -m bridge run` (default) or in this event loop",
    )
    parser.add_argument(
        "--room",
        choices=["plain", "encrypted"],
        default="plain",
        help="an unencrypted room (default; auto_protect off) or a megolm-encrypted one",
    )
    parser.add_argument(
        "--poisoned",
        type=int,
        default=50,
        help="gated messages each sent right after a malformed event from the vendor",
    )
    parser.add_argument("--json", type=Path, help="also write the figures (and samples) here")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, databases)")
    args = parser.parse_args()
    if args.messages < 1 or args.warmup < 0:
        parser.error("--messages must be ≥ 1 and --warmup ≥ 0")

    info = machine()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['platform']},"
        f" Python {info['python']}, Synapse {info['synapse']}, mautrix {info['mautrix']}"
    )
    how = (
        "subprocess (`python -m bridge run -c config.yaml`)"
        if args.bridge == "subprocess"
        else "in-process (this event loop)"
    )
    load = ", ".join(str(x) for x in info["load_average"])
    print(f"load average before the run (1, 5, 15 min): {load}")
    print(f"PHI Gate: {how}; Synapse on SQLite; everything on 127.0.0.1")
    room = (
        "megolm-encrypted (staff encrypts, the bot decrypts; the observer reads no content)"
        if args.room == "encrypted"
        else "unencrypted (organization.auto_protect off, so PHI Gate leaves it so)"
    )
    print(f"room: {room}")
    print(f"messages: {args.messages} per phase (+{args.warmup} warm-up), sent one at a time")

    base = Path(tempfile.mkdtemp(prefix="phigate-bench-exposure-"))
    try:
        figures = asyncio.run(_main(args, base))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; stopped Synapse and the bridge", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    report(figures)
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "params": vars(args) | {"json": str(args.json)}, **figures},
                indent=2,
            )
        )
    return 0


async def _main(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    # SIGTERM stops the run like Ctrl-C does: cancelled, so every `finally` cleans up.
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if task is not None:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    return await run(args, base)


if __name__ == "__main__":
    sys.exit(main())
