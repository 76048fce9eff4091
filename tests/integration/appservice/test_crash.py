"""A killed bridge loses nothing and repeats nothing: SIGKILL twice under load, restart, and
count what every side saw. The bridge runs as `phigate run` in its own process here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from bridge.audit import AuditFilter, RecordKind
from bridge.demo.client import DemoClient
from bridge.demo.deploy import point_at, write_deployment
from bridge.service.app import open_services
from bridge.store.removals import RemovalStore
from tests.clamd import LocalClamd

from ..harness.clients import wait_for
from .conftest import ADMIN, CLAMD_STREAM_MAX, DOMAIN, MEDIA_MAX
from .test_gate import NON_PHI, PHI

ROOT = Path(__file__).resolve().parents[3]
READY = "PHI Gate is running"
EVENTS = 320  # half in a gated room (half of those PHI: blocked), half in an open room
KILL_AT = (100, 210)


class BridgeProcess:
    def __init__(self, config_path: Path, log_path: Path) -> None:
        self.config_path, self.log_path = config_path, log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    async def start(self) -> None:
        self.starts += 1
        with self.log_path.open("a") as log:
            log.write(f"\n=== start {self.starts} ===\n")
        log_file = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bridge", "run", "-c", str(self.config_path)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        log_file.close()
        await wait_for(
            lambda: self.this_run().count(READY) > 0 or self.proc.poll() is not None,  # type: ignore[union-attr]
            timeout=60,
            message="the bridge never became ready",
        )
        assert self.proc.poll() is None, self.this_run()[-3000:]

    def this_run(self) -> str:
        text = self.log_path.read_text(errors="replace")
        return text.rsplit(f"=== start {self.starts} ===", 1)[-1]

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


async def all_messages(client: DemoClient, room_id: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        params = {"dir": "f", "limit": "500"}
        if token:
            params["from"] = token
        status, body = await client.raw_request(
            "GET", f"/_matrix/client/v3/rooms/{room_id}/messages", params=params
        )
        assert status == 200, body
        events += body["chunk"]
        token = body.get("end")
        if not body["chunk"] or not token:
            return events


async def test_sigkill_twice_under_load_loses_and_repeats_nothing(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd
) -> None:
    def media(raw: dict[str, Any]) -> None:
        raw["media"]["max_size"] = MEDIA_MAX
        raw["media"]["clamav"] = {
            "socket": str(clamd.socket_path),
            "stream_max_length": CLAMD_STREAM_MAX,
        }

    config_path, registration = write_deployment(
        tmp_path / "phigate", domain=DOMAIN, admins=[ADMIN], settings=media
    )
    server = synapse_factory(app_service_config_files=[registration])
    config = point_at(config_path, server.url)
    for user in ("admin", "alice", "pat", "pat2"):
        server.register_user(user)
    pat, pat2 = server.user_id("pat"), server.user_id("pat2")
    services = await open_services(config)
    await services.agreements.patient_add(pat, actor=ADMIN)
    await services.agreements.patient_add(pat2, actor=ADMIN)
    await services.agreements.consent_grant(pat2, expires_ms=None, actor=ADMIN)
    await services.close()

    bridge = BridgeProcess(config_path, tmp_path / "bridge.log")
    # Alice syncs in the background (the bot's notices); the patients only join.
    alice = DemoClient(server.url, server.user_id("alice"), "pw", tmp_path / "nio-alice")
    patients = [
        DemoClient(server.url, server.user_id(p), "pw", tmp_path / f"nio-{p}", encryption=False)
        for p in ("pat", "pat2")
    ]
    bot = config.bot_user_id
    try:
        await alice.start()
        for patient in patients:
            await patient.log_in()
        await bridge.start()
        gated = await alice.create_room(invite=[bot, pat], power_users={bot: 50}, encrypted=False)
        opened = await alice.create_room(invite=[bot, pat2], power_users={bot: 50}, encrypted=False)
        await patients[0].join_room(gated)
        await patients[1].join_room(opened)

        async def gate_is(room: str, state: str) -> bool:
            status, body = await alice.raw_request(
                "GET", f"/_matrix/client/v3/rooms/{room}/state/org.phigate.gate/"
            )
            return status == 200 and body.get("state") == state

        await wait_for(lambda: gate_is(gated, "gated"), timeout=20, message="never gated")
        await wait_for(lambda: gate_is(opened, "open"), timeout=20, message="never open")

        sent: dict[str, tuple[str, bool]] = {}  # event → (room, expected blocked)
        for i in range(EVENTS):
            if i in KILL_AT:
                bridge.kill()
                await bridge.start()
            room = gated if i % 2 == 0 else opened
            phi = i % 4 in (0, 1)
            status, body = await alice.raw_request(
                "PUT",
                f"/_matrix/client/v3/rooms/{room}/send/m.room.message/crash{i}",
                {"msgtype": "m.text", "body": PHI if phi else NON_PHI},
            )
            assert status == 200, body
            sent[body["event_id"]] = (room, room == gated and phi)

        services = await open_services(config)
        try:

            async def all_recorded() -> bool:
                records = await services.audit.query(AuditFilter(limit=None))
                return {r.event_id for r in records if r.kind is RecordKind.EVENT} >= set(sent)

            try:
                await wait_for(all_recorded, timeout=120, message="events never recorded")
            except AssertionError:
                records = await services.audit.query(AuditFilter(limit=None))
                got = {r.event_id for r in records if r.kind is RecordKind.EVENT}
                missing = [i for i, e in enumerate(sent) if e not in got]
                raise AssertionError(
                    f"{len(missing)} of {len(sent)} events never recorded (send order: "
                    f"{missing[:20]}); bridge log:\n{bridge.this_run()[-2000:]}"
                ) from None
            records = await services.audit.query(AuditFilter(limit=None))
        finally:
            await services.close()
        per_event: dict[str, list[str | None]] = {}
        for record in records:
            if record.kind is RecordKind.EVENT and record.event_id in sent:
                per_event.setdefault(record.event_id, []).append(record.decision)
        assert all(len(d) == 1 for d in per_event.values()), "an event recorded twice"
        blocked = {e for e, (_, b) in sent.items() if b}
        assert {e for e, d in per_event.items() if d == ["block"]} == blocked

        async def removals_done() -> bool:
            timeline = await all_messages(alice, gated)
            redacted = {
                e["event_id"] for e in timeline if "redacted_because" in e.get("unsigned", {})
            }
            return blocked <= redacted and len(alice.notices_from(gated, bot)) >= len(blocked)

        await wait_for(removals_done, timeout=120, message="blocked events left unremoved")
        # Every step of every removal is marked done in the outbox: the bridge sends nothing
        # more, so what the homeserver holds now is all there will be (counted below).
        services = await open_services(config)
        try:
            outbox = RemovalStore(services.engine)

            async def outbox_empty() -> bool:
                return not await outbox.due()

            await wait_for(outbox_empty, timeout=60, message="removals never marked done")
        finally:
            await services.close()
        timeline = await all_messages(alice, gated) + await all_messages(alice, opened)
        redactions: dict[str, int] = {}
        for e in timeline:
            if e["type"] == "m.room.redaction" and e["sender"] == bot:
                target = e.get("redacts") or e["content"].get("redacts")
                redactions[target] = redactions.get(target, 0) + 1
        assert set(redactions) == blocked, "redacted what was not blocked, or missed one"
        assert max(redactions.values()) == 1, "an event redacted more than once"
        notices = alice.notices_from(gated, bot)
        block_notices = [n for n in notices if "was removed by PHI Gate" in n]
        assert len(block_notices) == len(blocked), (len(block_notices), len(blocked))
        errors = [line for line in bridge.this_run().splitlines() if " ERROR " in line]
        assert errors == [], errors
        print(
            f"crash test: {len(sent)} events, {len(blocked)} blocked, 2 SIGKILLs: "
            f"0 lost, 0 unredacted, {sum(redactions.values()) - len(blocked)} duplicate "
            f"redactions, {len(block_notices) - len(blocked)} duplicate notices"
        )
    finally:
        bridge.stop()
        await alice.close()
        for client in patients:
            await client.close()
        os.sync()
