"""A warning before anyone writes: staff typing in a gated room are told once."""

from __future__ import annotations

from bridge.demo.client import DemoClient

from ..harness.clients import wait_for
from .conftest import Deployment
from .test_gate import gated_vendor_room


async def typed(d: Deployment, client: DemoClient, room_id: str) -> None:
    """``client`` starts typing, and PHI Gate has looked at that notification."""
    seen = d.bridge.typing.seen if d.bridge.typing else 0
    await client.room_typing(room_id, typing_state=False)
    await client.room_typing(room_id, typing_state=True, timeout=10_000)
    await wait_for(
        lambda: d.bridge.typing is not None and d.bridge.typing.seen > seen,
        timeout=15,
        message="the homeserver never pushed the typing notification",
    )


def warnings(d: Deployment, client: DemoClient, room_id: str) -> list[str]:
    return [n for n in d.bot_notices(client, room_id) if "before you write" in n]


async def test_staff_typing_in_a_gated_room_is_warned_once(deployment: Deployment) -> None:
    d = deployment
    alice, rep, room = await gated_vendor_room(d)
    await typed(d, alice, room)
    text = await wait_for(
        lambda: next(iter(warnings(d, alice, room)), None),
        timeout=15,
        message="no typing warning",
    )
    assert alice.user_id in text
    assert "the BAA of vendor acme is None" in text
    assert "Every message and attachment is blocked" in text
    assert "compliance.clinic.test/baa/acme" in text

    # Typing again within the throttle, and the vendor typing: no second warning. The
    # staff-only room is open: nothing there.
    await typed(d, alice, room)
    await typed(d, rep, room)
    staff_only = await d.staff_room(alice, [])
    await d.wait_gate(alice, staff_only, "open")
    await typed(d, alice, staff_only)
    # Each notification above was decided on before typed() returned: one warning in all.
    assert d.bridge.typing is not None and d.bridge.typing.warned == 1
    assert len(warnings(d, alice, room)) == 1
    assert warnings(d, alice, staff_only) == []
