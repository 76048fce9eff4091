"""Benchmark of issue 19's Measure: the evidence report at scale, and the gate's verdicts while
`!audit verify` reads a big log.

(a) ``phigate evidence`` (``evidence_command``, the CLI's own function) at ``--rooms`` managed
rooms (default 1,000) and ``--records`` audit records (default 1,000,000), once per format
(Markdown, JSON, HTML) per run, ``--runs`` runs interleaved; the median per format, and one
timed pass through the report's parts (chain verify, room states, keys, agreements) to show
where the time goes.

(b) The verdict latency of a gated message (the time from its scheduled send to the end of
:meth:`Gatekeeper.handle_transaction`: decided, recorded with its audit record, removal carried
out) at a steady ``--rate``, first on an idle bridge, then while `!audit verify` of the same
log runs, then idle again; p50/p99 of each phase, one run.

What is real:

* the deployment's database (one SQLite file, as in production, or ``--database postgresql``
  as bench_gatekeeper does): vendors with their BAA states and every transition on record
  (Staging → Pending → Active, renewals, expiries, revocations; some Active BAAs end within 30
  days), patients with consent, the managed rooms and their members in the room tables, and
  ``--records`` audit records (bench_audit's workload, in these rooms, with these vendors)
  appended through :meth:`AuditLog.append`, then a signed checkpoint of the head;
* every check of the report (``bridge/service/evidence.py``): the chain is verified against the
  checkpoint, the room states and the bot's keys are asked over HTTP by the product's
  :class:`Homeserver` client, agreements and their history come from the database;
* in (b): the gate is the bridge's own (``assemble_gate``), the `!audit verify` is an admin's
  message in the control room handed to the gate, which calls the running bridge's command
  hook (``PhiGateBridge._on_command``: acknowledged, then answered by a background task
  through :class:`CommandProcessor`, as `!audit verify` is), and the gated messages are
  transactions of one plaintext event each (half to rooms whose vendor's BAA is not Active,
  blocked and redacted; half to rooms whose vendor's BAA is Active, delivered).

What is supplied:

* (a) the homeserver's answers. The report asks the homeserver (``config.homeserver.address``)
  for each managed room's state and for the bot's keys; here a stand-in HTTP server in a
  separate process (a homeserver is another process) answers them from the deployment's own
  room plan: every room encrypted, history visible to joined members only, the bot at power
  100, its members as stored; the bot's device signed by its self-signing key. The answers are
  prepared once, so the figure is PHI Gate's cost plus loopback HTTP, not Synapse's. The
  pre-persist module and ``redaction_retention_period`` checks cannot be asked over the Matrix
  API (the report says UNKNOWN), so nothing is supplied for them.
* (b) the homeserver calls the gate makes (redactions, notices, gate state): answered at once
  in-process, counted; rooms are marked unencrypted in the room tracker so notices go out
  plain (bench_gatekeeper does the same). The witness copy of the checkpoints (the control
  room's state) is not read: `!audit verify` checks the checkpoint file only.

No timing assertion: figures are printed and written (``--json``), with the machine and the
load average next to each.

Usage::

    python bench/bench_evidence.py [--rooms 1000] [--records 1000000] [--runs 3]
                                   [--rate 20] [--database postgresql]
                                   [--json bench/results/evidence.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _machine import machine_facts
from _stats import percentile
from bench_audit import Workload

from bridge.config import load_config
from bridge.demo.deploy import DATABASE_ENV, point_at, write_deployment
from bridge.demo.synapse import free_port

DOMAIN = "clinic.example"
ADMIN = f"@admin:{DOMAIN}"
BOT_DEVICE = "PHIGATEBOT"
SELF_SIGNING = "ed25519:benchselfsigning"
CONTROL = f"!control:{DOMAIN}"
DAY_MS = 86_400_000
FORMATS = ("md", "json", "html")


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def load_text(values: list[float] | None = None) -> str:
    one, five, fifteen = values or load()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


# --- the deployment's plan (deterministic, also handed to the stand-in homeserver) ----------------


@dataclass
class Plan:
    """Vendors, their BAA paths, patients and rooms with their members."""

    vendors: list[str]
    baa: dict[str, str]  # vendor → its story (see STORIES)
    staff: list[str]
    patients: list[str]
    consent: set[str]
    rooms: dict[str, list[str]]  # room → members (the bot included)
    room_vendor: dict[str, str] = field(default_factory=dict)


# How each vendor's BAA got where it is (its agreements' history), and how many vendors of
# every 20 have each: most Active (two renewed: Active → Expired → Active), some ending soon.
STORIES = (
    ("active", 9),
    ("active_soon", 2),
    ("renewed", 2),
    ("pending", 3),
    ("expired", 1),
    ("revoked", 1),
    ("staging", 1),
    ("none", 1),
)


def make_plan(rooms: int, vendors: int, bot: str, seed: int = 19) -> Plan:
    rng = random.Random(seed)
    vendor_ids = [f"vendor{i:03d}" for i in range(vendors)]
    stories = [s for s, n in STORIES for _ in range(n)]
    # Spread (7 is prime to 20): a few vendors already have a mix of stories.
    baa = {v: stories[i * 7 % len(stories)] for i, v in enumerate(vendor_ids)}
    staff = [f"@staff{i:03d}:{DOMAIN}" for i in range(100)]
    patients = [f"@patient{i:05d}:patients.example" for i in range(max(100, rooms))]
    consent = {p for p in patients if rng.random() < 0.7}
    plan = Plan(vendor_ids, baa, staff, patients, consent, {})
    for i in range(rooms):
        room = f"!room{i:05d}:{DOMAIN}"
        vendor = vendor_ids[i % vendors]  # bench_audit's workload: the room's vendor
        members = [bot, *rng.sample(staff, 3), f"@agent{i % 7}:{vendor}.example"]
        if rng.random() < 0.3:
            members.append(rng.choice(patients))
        plan.rooms[room] = members
        plan.room_vendor[room] = vendor
    return plan


# --- the stand-in homeserver (another process) ----------------------------------------------------


def room_state(room_id: str, members: list[str], bot: str) -> list[dict[str, Any]]:
    """A managed room as PHI Gate leaves it: encrypted, history hidden, the bot at power 100."""

    def state(etype: str, content: dict[str, Any], key: str = "") -> dict[str, Any]:
        return {
            "type": etype,
            "state_key": key,
            "content": content,
            "sender": ADMIN,
            "room_id": room_id,
            "event_id": f"${etype}.{key}.{room_id}",
            "origin_server_ts": 1,
        }

    return [
        state("m.room.create", {"room_version": "10", "creator": ADMIN}),
        state(
            "m.room.power_levels",
            {"users": {ADMIN: 100, bot: 100}, "users_default": 0, "redact": 50, "events": {}},
        ),
        state("m.room.encryption", {"algorithm": "m.megolm.v1.aes-sha2"}),
        state("m.room.history_visibility", {"history_visibility": "joined"}),
        state("m.room.join_rules", {"join_rule": "invite"}),
        *(state("m.room.member", {"membership": "join"}, m) for m in members),
    ]


def keys_answer(bot: str) -> dict[str, Any]:
    """The bot's /keys/query answer: a master key, a self-signing key, the device signed by it."""
    return {
        "master_keys": {bot: {"user_id": bot, "usage": ["master"], "keys": {"ed25519:m": "m"}}},
        "self_signing_keys": {
            bot: {"user_id": bot, "usage": ["self_signing"], "keys": {SELF_SIGNING: "s"}}
        },
        "device_keys": {
            bot: {
                BOT_DEVICE: {
                    "user_id": bot,
                    "device_id": BOT_DEVICE,
                    "signatures": {bot: {SELF_SIGNING: "sig", f"ed25519:{BOT_DEVICE}": "d"}},
                }
            }
        },
        "failures": {},
    }


def serve_homeserver(port: int, rooms: dict[str, list[str]], bot: str) -> None:
    """The process: answers prepared once; anything else is 404 M_UNRECOGNIZED."""
    from aiohttp import web

    states = {r: json.dumps(room_state(r, m, bot)).encode() for r, m in rooms.items()}
    keys = json.dumps(keys_answer(bot)).encode()

    async def state(request: web.Request) -> web.Response:
        body = states.get(request.match_info["room"])
        if body is None:
            return web.json_response({"errcode": "M_FORBIDDEN"}, status=403)
        return web.Response(body=body, content_type="application/json")

    async def query(_request: web.Request) -> web.Response:
        return web.Response(body=keys, content_type="application/json")

    async def other(_request: web.Request) -> web.Response:
        return web.json_response({"errcode": "M_UNRECOGNIZED"}, status=404)

    app = web.Application()
    app.router.add_get("/_matrix/client/v3/rooms/{room}/state", state)
    app.router.add_post("/_matrix/client/v3/keys/query", query)
    app.router.add_route("*", "/{tail:.*}", other)
    web.run_app(app, host="127.0.0.1", port=port, print=None, handle_signals=True)


def start_homeserver(plan: Plan, bot: str) -> tuple[multiprocessing.Process, str]:
    port = free_port()
    proc = multiprocessing.get_context("spawn").Process(
        target=serve_homeserver, args=(port, plan.rooms, bot), daemon=True
    )
    proc.start()
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or not proc.is_alive():
                raise RuntimeError("the stand-in homeserver did not start") from None
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}"


# --- building the deployment's state --------------------------------------------------------------


async def enrol(services: Any, plan: Plan) -> None:
    """Vendors with their BAA stories, patients with consent: every change through the
    agreement service, so each is a transition on record and an audit record."""
    from bridge.policy import BAAState

    a = services.agreements
    now = a.now_ms()
    rng = random.Random(7)

    async def baa(vendor: str, *states: BAAState, expires_ms: int | None = None) -> None:
        for s in states:
            exp = expires_ms if s is BAAState.ACTIVE else None
            await a.baa_set(vendor, s, expires_ms=exp, reason=f"bench: {s.value}", actor=ADMIN)

    s_, p_, a_ = BAAState.STAGING, BAAState.PENDING, BAAState.ACTIVE
    for n, vendor in enumerate(plan.vendors):
        await a.add_vendor(vendor, f"Vendor {n} Labs, Inc.", ADMIN)
        await a.link(vendor, f"{vendor}.example", ADMIN)
        story = plan.baa[vendor]
        far = now + rng.randrange(60, 700) * DAY_MS
        if story == "active":
            await baa(vendor, s_, p_, a_, expires_ms=far)
        elif story == "active_soon":
            await baa(vendor, s_, p_, a_, expires_ms=now + rng.randrange(2, 29) * DAY_MS)
        elif story == "renewed":
            await baa(vendor, s_, p_, a_, BAAState.EXPIRED, a_, expires_ms=far)
        elif story == "pending":
            await baa(vendor, s_, p_)
        elif story == "expired":
            await baa(vendor, s_, p_, a_, BAAState.EXPIRED, expires_ms=far)
        elif story == "revoked":
            await baa(vendor, s_, p_, a_, BAAState.REVOKED, expires_ms=far)
        elif story == "staging":
            await baa(vendor, s_)
    for patient in plan.patients:
        await a.patient_add(patient, ADMIN)
        if patient in plan.consent:
            await a.consent_grant(patient, expires_ms=None, actor=ADMIN)


async def store_rooms(services: Any, plan: Plan) -> None:
    from bridge.matrix.rooms import Room
    from bridge.policy import BAAState, RoomGate
    from bridge.store.rooms import RoomStore

    store = RoomStore(services.engine)
    now = services.agreements.now_ms()
    control = Room(CONTROL, {ADMIN: "join"}, managed=True, is_control=True, can_redact=True)
    control.encrypted, control.joined_ms, control.updated_ms = True, now, now
    control.gate = RoomGate.OPEN
    await store.save_room(control.row())
    await store.replace_members(CONTROL, {ADMIN: "join", services.config.bot_user_id: "join"})
    for room_id, members in plan.rooms.items():
        vendor = services.agreements.vendor(plan.room_vendor[room_id])
        open_ = vendor.effective(now) is BAAState.ACTIVE
        room = Room(room_id, managed=True, can_redact=True, encrypted=True)
        room.gate = RoomGate.OPEN if open_ else RoomGate.GATED
        room.joined_ms = room.updated_ms = now
        await store.save_room(room.row())
        await store.replace_members(room_id, dict.fromkeys(members, "join"))


async def fill_audit(services: Any, plan: Plan, records: int, batch: int = 500) -> dict[str, Any]:
    """bench_audit's workload in this deployment's rooms and vendors, up to ``records``."""
    work = Workload(len(plan.vendors))
    work.rooms = list(plan.rooms)
    work.vendors = plan.vendors  # room i belongs to vendor i % vendors, as in the plan
    work.staff = plan.staff
    work.patients = plan.patients
    audit = services.audit
    have = (await audit.read_head())[0]
    now = services.agreements.now_ms() - records  # one ms per record, up to now
    remaining = max(0, records - have)
    t0 = time.perf_counter()
    done = 0
    step = max(remaining // 10, batch)
    while done < remaining:
        n = min(batch, remaining - done)
        now += n
        await audit.append([work.entry(now) for _ in range(n)])
        done += n
        if done % step < batch:
            print(f"  … {have + done:,} audit records ({load_text()})", file=sys.stderr)
    seconds = time.perf_counter() - t0
    return {
        "appended": done,
        "append_seconds": round(seconds, 1),
        "append_per_s": round(done / seconds) if seconds else 0,
    }


# --- (a) the evidence report ---------------------------------------------------------------------


async def time_evidence(services: Any, args: argparse.Namespace, out_dir: Path) -> dict[str, Any]:
    from bridge.service import evidence as ev

    times: dict[str, list[float]] = {f: [] for f in FORMATS}
    loads: dict[str, list[list[float]]] = {f: [] for f in FORMATS}
    sizes: dict[str, int] = {}
    codes: dict[str, int] = {}
    for r in range(args.runs):
        for fmt in FORMATS:
            target = out_dir / f"evidence.{fmt}"
            before = load()
            t0 = time.perf_counter()
            code = await ev.evidence_command(
                services, argparse.Namespace(format=fmt, output=target)
            )
            dt = time.perf_counter() - t0
            times[fmt].append(dt)
            loads[fmt].append(before)
            sizes[fmt] = target.stat().st_size
            codes[fmt] = code
            print(
                f"  run {r + 1} {fmt:<4}: {dt:7.2f} s, exit {code}, {sizes[fmt]:,} bytes"
                f" ({load_text(before)})",
                file=sys.stderr,
            )
    out: dict[str, Any] = {}
    for fmt in FORMATS:
        out[fmt] = {
            "median_s": round(statistics.median(times[fmt]), 3),
            "runs_s": [round(t, 3) for t in times[fmt]],
            "load_average_before_each": loads[fmt],
            "bytes": sizes[fmt],
            "exit_status": codes[fmt],
        }
    report_json = json.loads((out_dir / "evidence.json").read_text())
    out["checks"] = {c["name"]: c["status"] for c in report_json["checks"]}
    out["check_summaries"] = {c["name"]: c["summary"] for c in report_json["checks"]}
    out["vendors_in_report"] = len(report_json["vendors"])
    out["history_lines_in_report"] = len(report_json["history"])
    out["parts"] = await time_parts(services)
    return out


async def time_parts(services: Any) -> dict[str, Any]:
    """One pass through the report's parts, each timed (the same functions gather_evidence
    calls, in its order)."""
    from bridge.matrix.homeserver import Homeserver
    from bridge.service import evidence as ev

    parts: dict[str, Any] = {}

    async def timed(name: str, fn: Callable[[], Any]) -> Any:
        before = load()
        t0 = time.perf_counter()
        result = await fn()
        parts[name] = {"seconds": round(time.perf_counter() - t0, 3), "load_average": before}
        return result

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        hs = Homeserver(services.config, session)
        members: set[str] = set()
        await timed("audit_chain_verify", lambda: ev._audit_chain(services))
        await timed("managed_room_states", lambda: ev._rooms(services, hs, members))
        await timed("bot_keys_query", lambda: ev._cross_signing(hs, services.config.bot_user_id))

        async def agreements() -> None:
            for v in services.agreements.list_vendors():
                await services.agreements.baa_history(v.vendor_id, limit=50)

        await timed("agreements_history", agreements)
        report = await timed("whole_gather", lambda: ev.gather_evidence(services, session))
    for fmt, render in ev.RENDERERS.items():
        t0 = time.perf_counter()
        render(report)
        parts[f"render_{fmt}"] = {"seconds": round(time.perf_counter() - t0, 4)}
    return parts


# --- (b) verdict latency while `!audit verify` runs -----------------------------------------------


class InstantHomeserver:
    """Every homeserver call the gate and the notifier make, answered at once and counted."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.notices: list[str] = []

    async def redact(self, room_id: str, event_id: str, reason: str, **_: Any) -> None:
        self.calls["redact"] += 1

    async def send_notice(self, room_id: str, text: str, html: str | None = None, **_: Any) -> str:
        self.calls["notice"] += 1
        self.notices.append(text)
        return f"$notice{self.calls['notice']}"

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("__"):
            raise AttributeError(name)

        async def call(*_args: Any, **_kwargs: Any) -> Any:
            self.calls[name] += 1
            return {}

        return call


def message(room_id: str, sender: str, body: str, n: int) -> dict[str, Any]:
    return {
        "type": "m.room.message",
        "room_id": room_id,
        "sender": sender,
        "event_id": f"$bench{n:08d}-{os.getpid()}",
        "origin_server_ts": int(time.time() * 1000),
        "content": {"msgtype": "m.text", "body": body},
    }


PHI = "Patient Maria Lopez, DOB 03/14/1962, MRN 4471923: HbA1c 8.1, call her back"
PLAIN = "The courier comes at 3 pm tomorrow, leave the boxes at the front desk"


async def time_verdicts(services: Any, plan: Plan, args: argparse.Namespace) -> dict[str, Any]:
    from bridge.commands.processor import CommandProcessor
    from bridge.matrix.assembly import assemble_gate
    from bridge.matrix.e2ee import BotDevice
    from bridge.matrix.rooms import RoomTracker
    from bridge.matrix.runtime import PhiGateBridge
    from bridge.policy import BAAState
    from bridge.store.rooms import RoomStore

    config = services.config
    now = services.agreements.now_ms()
    rooms = RoomTracker(RoomStore(services.engine))
    await rooms.load()
    for room in rooms.rooms.values():
        room.encrypted = False  # notices go out plain (see the docstring)

    def vendor_state(room_id: str) -> BAAState:
        return services.agreements.vendor(plan.room_vendor[room_id]).effective(now)

    closed = [r for r in plan.rooms if vendor_state(r) is not BAAState.ACTIVE][:10]
    open_ = [r for r in plan.rooms if vendor_state(r) is BAAState.ACTIVE][:10]
    if not closed or not open_:
        raise SystemExit("(b) needs rooms with and without an Active BAA: more --vendors")
    targets = [(r, PHI) for pair in zip(closed, open_, strict=False) for r in pair]

    hs = InstantHomeserver()
    bridge = PhiGateBridge(config)
    async with aiohttp.ClientSession() as http:
        device = BotDevice(config, rooms, http)
        gate = assemble_gate(
            config,
            services,
            hs,  # type: ignore[arg-type]
            rooms,
            device,
            None,
            on_command=bridge._on_command,
            clock=lambda: int(time.time() * 1000),
        )
        gate.notifier.control_room_id = CONTROL
        bridge.services, bridge.gate = services, gate
        bridge.commands = CommandProcessor(
            services,
            gate.gates,
            admins=config.organization.admins,
            control_room_id=lambda: gate.notifier.control_room_id,
            witness=None,
        )
        gatekeeper = gate.gatekeeper
        n = 0

        async def send(room_id: str, body: str) -> float:
            nonlocal n
            n += 1
            sender = plan.staff[n % len(plan.staff)]
            t0 = time.perf_counter()
            await gatekeeper.handle_transaction(f"bench{n}", [message(room_id, sender, body, n)])
            return time.perf_counter() - t0

        # Warm every target room once (its gate computed, its statements cached).
        for room_id, body in targets:
            await send(room_id, body)
        for room_id, _ in targets:
            await send(room_id, PLAIN)

        interval = 1 / args.rate

        async def phase(name: str, until: Callable[[int], bool]) -> dict[str, Any]:
            latencies: list[float] = []
            service: list[float] = []
            load_before = load()
            start = time.perf_counter()
            k = 0
            while not until(k):
                due = start + k * interval
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                room_id, body = targets[k % len(targets)]
                spent = await send(room_id, body)
                service.append(spent)
                latencies.append(time.perf_counter() - due)
                k += 1
            seconds = time.perf_counter() - start
            ms = [x * 1000 for x in latencies]
            figures = {
                "messages": k,
                "seconds": round(seconds, 2),
                "p50_ms": round(percentile(ms, 50), 2),
                "p99_ms": round(percentile(ms, 99), 2),
                "max_ms": round(max(ms), 2),
                "handle_transaction_p50_ms": round(percentile([x * 1000 for x in service], 50), 2),
                "load_average_at_start": load_before,
                "load_average_at_end": load(),
            }
            print(
                f"  {name:<14}: {k:5,} messages in {seconds:6.1f} s, verdict p50"
                f" {figures['p50_ms']:7.2f} ms, p99 {figures['p99_ms']:7.2f} ms,"
                f" max {figures['max_ms']:7.2f} ms ({load_text(load_before)})",
                file=sys.stderr,
            )
            return figures

        idle_count = max(20, int(args.idle_seconds * args.rate))
        out: dict[str, Any] = {"rate_per_s": args.rate}
        out["idle_before"] = await phase("idle (before)", lambda k: k >= idle_count)

        # The admin's `!audit verify`, handed to the gate like any event in a transaction.
        notices_before = len(hs.notices)
        t0 = time.perf_counter()
        n += 1
        await gatekeeper.handle_transaction(
            f"bench{n}", [message(CONTROL, ADMIN, "!audit verify", n)]
        )
        ack = time.perf_counter() - t0
        if not bridge._background.running:
            raise RuntimeError(f"`!audit verify` did not run in the background: {hs.notices}")

        verify_started = time.perf_counter()
        verify_done: list[float] = []

        def verifying(_k: int) -> bool:
            if bridge._background.running:
                return False
            if not verify_done:
                verify_done.append(time.perf_counter())
            return True

        out["during_verify"] = await phase("during verify", verifying)
        verify_seconds = verify_done[0] - verify_started
        answer = next((t for t in hs.notices[notices_before:] if "intact" in t or "⚠" in t), "")
        out["verify"] = {
            "acknowledged_in_ms": round(ack * 1000, 2),
            "seconds": round(verify_seconds, 2),
            "answer": answer.splitlines()[0] if answer else "(no answer)",
        }
        print(
            f"  verify answered in {verify_seconds:.1f} s: {out['verify']['answer']}",
            file=sys.stderr,
        )
        out["idle_after"] = await phase("idle (after)", lambda k: k >= idle_count)
        await gatekeeper.stop()
        await bridge._background.stop()
    out["homeserver_calls"] = dict(hs.calls)
    return out


# --- the run -------------------------------------------------------------------------------------


async def run(args: argparse.Namespace, base: Path, config_path: Path, plan: Plan) -> dict:
    from bridge.service.app import open_services
    from bridge.service.audit import checkpointer
    from bridge.store.checkpoint import WalCheckpointer
    from bridge.store.database import sqlite_path

    config = load_config(config_path)
    services = await open_services(config)
    wal = None
    db_file = sqlite_path(config.database)
    if db_file is not None:
        wal = WalCheckpointer(db_file)
        wal.start()
    out: dict[str, Any] = {}
    try:
        t0 = time.perf_counter()
        print(f"state: {len(plan.vendors)} vendors, {len(plan.rooms):,} rooms", file=sys.stderr)
        await enrol(services, plan)
        await store_rooms(services, plan)
        out["state_seconds"] = round(time.perf_counter() - t0, 1)
        out["fill"] = await fill_audit(services, plan, args.records)
        print(
            f"audit log filled: {out['fill']['appended']:,} appended at"
            f" {out['fill']['append_per_s']:,}/s",
            file=sys.stderr,
        )
        await checkpointer(services).checkpoint()
        out["audit_records"] = (await services.audit.read_head())[0]
        print("(a) phigate evidence, per format:", file=sys.stderr)
        out["evidence"] = await time_evidence(services, args, base)
        print("(b) verdict latency:", file=sys.stderr)
        out["verdicts"] = await time_verdicts(services, plan, args)
    finally:
        if wal is not None:
            await wal.stop()
        await services.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=1_000)
    parser.add_argument("--vendors", type=int, default=0, help="default: one per 5 rooms")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="evidence runs per format")
    parser.add_argument("--rate", type=float, default=20.0, help="gated messages per second")
    parser.add_argument("--idle-seconds", type=float, default=15.0, help="each idle phase")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the deployment directory")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.vendors = args.vendors or max(1, args.rooms // 5)

    info = machine_facts(sqlite=sqlite3.sqlite_version, sqlalchemy=sqlalchemy.__version__)
    info["load_average_at_start"] = load()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, Python {info['python']},"
        f" SQLite {info['sqlite']}, {args.database}; {load_text(info['load_average_at_start'])}"
        " at start (others' work too)"
    )
    base = Path(tempfile.mkdtemp(prefix="phigate-bench-evidence-"))
    if args.database == "postgresql":
        from tests import databases  # the tests' private cluster, started on first use

        os.environ[DATABASE_ENV] = databases.fresh_postgres_url()
    config_path, _ = write_deployment(
        base,
        domain=DOMAIN,
        admins=[ADMIN],
        staff=[f"@staff{i:03d}:{DOMAIN}" for i in range(100)],
        settings=lambda raw: raw["organization"].update(control_room=CONTROL),
    )
    bot = load_config(config_path).bot_user_id
    plan = make_plan(args.rooms, args.vendors, bot)
    proc, url = start_homeserver(plan, bot)
    point_at(config_path, url)
    try:
        figures = asyncio.run(run(args, base, config_path, plan))
    finally:
        proc.terminate()
        proc.join(10)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"deployment kept in {base}", file=sys.stderr)

    ev, vd = figures["evidence"], figures["verdicts"]
    print(
        f"(a) phigate evidence at {args.rooms:,} rooms, {figures['audit_records']:,} audit"
        f" records, median of {args.runs}:"
    )
    for fmt in FORMATS:
        f = ev[fmt]
        print(
            f"  {fmt:<4}: {f['median_s']:7.2f} s  ({f['bytes']:,} bytes, exit {f['exit_status']};"
            f" {load_text(f['load_average_before_each'][len(f['runs_s']) // 2])})"
        )
    print("  where the time goes (one pass):")
    for name, part in ev["parts"].items():
        extra = f" ({load_text(part['load_average'])})" if "load_average" in part else ""
        print(f"    {name:<22}: {part['seconds']:8.3f} s{extra}")
    print(f"  checks: {ev['checks']}")
    print(f"(b) verdict latency at {vd['rate_per_s']:g} gated messages/s:")
    for name in ("idle_before", "during_verify", "idle_after"):
        p = vd[name]
        print(
            f"  {name:<14}: p50 {p['p50_ms']:7.2f} ms, p99 {p['p99_ms']:7.2f} ms"
            f" ({p['messages']:,} messages; {load_text(p['load_average_at_start'])})"
        )
    print(f"  verify: {vd['verify']['seconds']} s, {vd['verify']['answer']}")
    print(f"  homeserver calls: {vd['homeserver_calls']}")
    if args.json:
        params = vars(args) | {"json": str(args.json)}
        args.json.write_text(
            json.dumps({"machine": info, "params": params, **figures}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()
