"""`phigate evidence` on a real deployment: live checks, one made to fail."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bridge.cli import main

from ..harness.clients import raw_request, wait_for
from .conftest import Deployment


async def evidence(d: Deployment, fmt: str) -> tuple[int, str]:
    out = d.base / f"evidence.{fmt}"
    # The CLI runs its own event loop, as from cron, beside the running bridge.
    code = await asyncio.to_thread(
        main, ["evidence", "-c", str(d.config_path), "--format", fmt, "-o", str(out)]
    )
    return code, Path(out).read_text(encoding="utf-8")


async def test_evidence_names_the_room_where_the_bot_lost_its_power(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    protected = await d.staff_room(alice, [])
    weakened = await d.staff_room(alice, [])
    await wait_for(
        lambda: all(d.bridge.gatekeeper.rooms.get(r).history_hidden for r in (protected, weakened)),
        timeout=15,
        message="the bot never hid the rooms' history",
    )
    code, text = await evidence(d, "json")
    report = json.loads(text)
    checks = {c["name"]: c for c in report["checks"]}
    assert code == 0 and report["ok"], checks
    assert checks["managed_rooms"]["status"] == "pass"

    # Staff take the bot's power away in one room.
    path = f"/_matrix/client/v3/rooms/{weakened}/state/m.room.power_levels/"
    status, levels = await raw_request(alice, "GET", path)
    assert status == 200
    levels["users"][d.bot] = 0
    status, body = await raw_request(alice, "PUT", path, levels)
    assert status == 200, body

    code, text = await evidence(d, "json")
    report = json.loads(text)
    checks = {c["name"]: c for c in report["checks"]}
    assert code == 1 and not report["ok"]
    rooms = checks["managed_rooms"]
    assert rooms["status"] == "fail"
    assert rooms["details"] == [f"{weakened}: the bot has no power to redact"]
    # The other live checks still hold.
    assert checks["audit_chain"]["status"] == "pass"
    assert checks["bot_device_cross_signed"]["status"] == "pass"
    assert checks["redaction_retention_period"]["status"] == "unknown"
    # The test deployment says every local account is staff: the report names whom that
    # covers (alice, and the admin in no managed room is not listed).
    staff = checks["staff_recognised_by_name"]
    assert staff["status"] == "warn" and staff["details"] == [alice.user_id]

    code, page = await evidence(d, "html")
    assert code == 1 and "A CHECK FAILED" in page and weakened in page
    code, markdown = await evidence(d, "md")
    assert code == 1 and f"- {weakened}: the bot has no power to redact" in markdown
