"""`phigate evidence` on a real deployment: live checks, one made to fail."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from bridge.cli import main

from ..harness.clients import wait_for
from .conftest import Deployment

# The charts' colours (bridge/service/evidence.py): Active BAAs, and a BAA ending within 30 days.
GREEN, RED = (0x1A, 0x7F, 0x37), (0xCF, 0x22, 0x2E)


async def look_at_the_page(page: Path, png: Path) -> None:
    """Headless Chromium renders the page; the screenshot must show both charts' bars (the
    inline SVG drew) at the page's width, not a blank or broken page."""
    process = await asyncio.create_subprocess_exec(
        "chromium",
        "--headless",
        "--no-sandbox",  # the tests may run as root
        "--disable-gpu",
        "--hide-scrollbars",
        "--window-size=1000,1400",
        f"--screenshot={png}",
        page.as_uri(),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode == 0 and png.exists(), err.decode(errors="replace")[-2000:]
    with Image.open(png) as shot:
        assert shot.size == (1000, 1400)
        rgb = shot.convert("RGB").tobytes()
    counts = Counter(zip(rgb[0::3], rgb[1::3], rgb[2::3], strict=True))
    # Each chart's one bar is 280 x 16 px; text in those colours adds a little.
    assert counts[GREEN] >= 3000, "the BAA-state chart's Active bar is not on the page"
    assert counts[RED] >= 3000, "the expiry chart's bar for a BAA ending in 10 days is missing"


async def evidence(d: Deployment, fmt: str) -> tuple[int, str]:
    out = d.base / f"evidence.{fmt}"
    # The CLI runs its own event loop, as from cron, beside the running bridge.
    code = await asyncio.to_thread(
        main, ["evidence", "-c", str(d.config_path), "--format", fmt, "-o", str(out)]
    )
    return code, Path(out).read_text(encoding="utf-8")


async def test_evidence_names_the_room_where_the_bot_lost_its_power(deployment: Deployment) -> None:
    d = deployment
    # A vendor whose BAA ends in 10 days: a warning, and a bar in each chart.
    await d.command("!vendor add acme Acme Billing")
    await d.command("!baa set acme Staging")
    await d.command("!baa set acme Pending")
    ends = (datetime.now(UTC) + timedelta(days=10)).strftime("%Y-%m-%d")
    await d.confirmed(f"!baa set acme Active expires={ends}")
    alice = await d.user("alice")
    protected = await d.staff_room(alice, [])
    weakened = await d.staff_room(alice, [])
    await wait_for(
        lambda: all(
            d.bridge.gate.events.rooms.get(r).history_hidden for r in (protected, weakened)
        ),
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
    status, levels = await alice.raw_request("GET", path)
    assert status == 200
    levels["users"][d.bot] = 0
    status, body = await alice.raw_request("PUT", path, levels)
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
    assert checks["baa_expiring_soon"]["status"] == "warn"
    assert checks["baa_expiring_soon"]["details"][0].startswith("acme: Active BAA ends")
    # The test deployment says every local account is staff: the report names whom that
    # covers (alice, and the admin in no managed room is not listed).
    staff = checks["staff_recognised_by_name"]
    assert staff["status"] == "warn" and staff["details"] == [alice.user_id]

    code, page = await evidence(d, "html")
    assert code == 1 and "A CHECK FAILED" in page and weakened in page
    await look_at_the_page(d.base / "evidence.html", d.base / "evidence.png")
    code, markdown = await evidence(d, "md")
    assert code == 1 and f"- {weakened}: the bot has no power to redact" in markdown
