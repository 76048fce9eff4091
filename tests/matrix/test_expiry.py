"""The expiry timer: the control room is told when an agreement lapses by itself, and the
rooms about to close are prepared (policy server named) before the instant, not after."""

from __future__ import annotations

import time

from bridge.demo.waiting import wait_for
from bridge.matrix.expiry import ExpiryTimer
from bridge.policy import BAAState
from bridge.service.app import Services

ADMIN = "@admin:clinic.test"
BOT = "@phigate:clinic.test"


def now_ms() -> int:
    return int(time.time() * 1000)


async def test_expiry_is_prepared_ahead_and_alerted(services: Services) -> None:
    agreements = services.agreements
    alerts: list[tuple[int, str]] = []
    prepared: list[int] = []

    async def alert(text: str) -> None:
        alerts.append((now_ms(), text))

    async def ahead() -> None:
        prepared.append(now_ms())

    await agreements.add_vendor("acme", "Acme Billing", actor=ADMIN)
    await agreements.baa_set("acme", BAAState.STAGING, expires_ms=None, reason="", actor=ADMIN)
    await agreements.baa_set("acme", BAAState.PENDING, expires_ms=None, reason="", actor=ADMIN)
    expires = now_ms() + 2_000
    await agreements.baa_set(
        "acme", BAAState.ACTIVE, expires_ms=expires, reason="signed", actor=ADMIN
    )
    timer = ExpiryTimer(agreements, actor=BOT, alert=alert, ahead=ahead, ahead_ms=1_000)
    timer.start()
    try:
        await wait_for(lambda: alerts, "the expiry alert", timeout=15)
    finally:
        await timer.stop()

    # The first pass ran at start, 2 s before the expiry: outside the 1 s window.
    assert prepared, "the rooms about to close were never prepared"
    assert expires - 1_000 <= prepared[0] < expires, "prepared outside the window"
    assert agreements.vendor("acme").baa_state is BAAState.EXPIRED
    (at, text), *more = alerts
    assert not more, "one alert per lapsed agreement"
    assert at >= expires
    assert "acme" in text and "expired" in text and "!baa set acme Active" in text
