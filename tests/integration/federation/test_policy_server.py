"""PHI Gate as the rooms' policy server (MSC4284): vendor.test asks PHI Gate before it stores
or sends its user's event, so the rep's blocked message is stored nowhere, not even on the
vendor's own server."""

from __future__ import annotations

import json
import time
from typing import Any

from nio import RoomSendError

from bridge.matrix.policy_server import KEY_ID

from ..appservice.conftest import EICAR
from ..appservice.test_gate import PHI
from ..appservice.test_prepersist import (
    messages_received,
    refused_records,
    send_encrypted,
    send_plain_file,
)
from ..harness.clients import wait_for
from .conftest import CLINIC, VENDOR, Federation
from .test_remote_vendor import caught_up, remote_vendor_room


async def test_vendor_server_refuses_the_reps_blocked_sends(policed: Federation) -> None:
    f = policed
    d = f.d
    assert d.bridge.policy_server is not None
    alice, rep, room = await remote_vendor_room(f)

    # The bot named PHI Gate the room's policy server: the practice's server, its own key.
    status, policy = await alice.raw_request(
        "GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.policy/"
    )
    assert status == 200, policy
    assert policy["via"] == CLINIC
    assert policy["public_keys"] == {"ed25519": d.bridge.policy_server.public_key}
    # Published again once vendor.test joined: the copy from before its join reached it
    # redacted (history visibility "joined"), without via or key.
    await wait_for(
        lambda: (f.policy_on_vendor(room) or {}).get("public_keys") == policy["public_keys"],
        timeout=30,
        message="vendor.test never learned the room's policy server",
    )

    # BAA None: the rep's PHI is refused by vendor.test itself, with PHI Gate's reason.
    asked = f.proxy.policy_requests
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/phi1",
        {"msgtype": "m.text", "body": PHI},
    )
    assert status == 403, body
    assert body["errcode"] == "M_FORBIDDEN"
    assert "the BAA of vendor acme is None" in body["error"]
    assert f.proxy.policy_requests > asked
    refused = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(refused, RoomSendError), refused
    assert "the BAA of vendor acme is None" in refused.message
    # Stored nowhere: neither on the vendor's server nor (nothing federated) the practice's.
    assert f.messages_stored_on(f.vendor, rep.user_id, room) == 0
    await caught_up(f, alice, room, f.vendor)
    assert f.messages_stored_on(d.synapse, rep.user_id, room) == 0

    # Only admins name the policy server: the rep may not remove it.
    status, body = await rep.raw_request(
        "PUT", f"/_matrix/client/v3/rooms/{room}/state/m.room.policy/", {}
    )
    assert status == 403, body

    # A staff admin may: PHI Gate tells the control room and names itself again.
    admin = await d.admin()
    status, body = await alice.raw_request(
        "PUT", f"/_matrix/client/v3/rooms/{room}/state/m.room.policy/", {}
    )
    assert status == 200, body
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "removed the room's policy server"),
        timeout=30,
        message="the control room was never told",
    )
    assert d.noticed(admin, d.control_room, "PHI Gate restored it")

    async def policy_now() -> dict[str, Any]:
        status, content = await alice.raw_request(
            "GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.policy/"
        )
        return content if status == 200 else {}

    async def restored() -> bool:
        return (await policy_now()).get("public_keys") == policy["public_keys"]

    await wait_for(restored, timeout=30, message="m.room.policy was never restored")

    # BAA Active: the room is open, names no policy server (every message may pass), and the
    # rep's messages flow, plaintext and encrypted.
    for state in ("Staging", "Pending", "Active"):
        await d.applied(f"!baa set acme {state}")
    await d.wait_gate(alice, room, "open")
    await wait_for(
        lambda: "public_keys" not in (f.policy_on_vendor(room) or {}),
        timeout=30,
        message="the open room still names a policy server on vendor.test",
    )
    assert await policy_now() == {}
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/ok1",
        {"msgtype": "m.text", "body": "Claim updated for DOB 03/14/1962"},
    )
    assert status == 200, body
    sent = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": PHI})
    assert getattr(sent, "event_id", None), sent
    for event_id in (body["event_id"], sent.event_id):
        stored = await wait_for(
            lambda event_id=event_id: f.stored_message_json(d.synapse, event_id),
            timeout=30,
            message="an allowed message never reached clinic.test",
        )
        assert json.loads(stored)["content"], "an allowed message arrived emptied"

    # Revoked: PHI Gate names itself again, and vendor.test refuses the rep's PHI once more.
    await d.command("!baa set acme Revoked contract ended")
    await d.wait_gate(alice, room, "gated")
    await wait_for(
        lambda: (f.policy_on_vendor(room) or {}).get("public_keys") == policy["public_keys"],
        timeout=30,
        message="vendor.test never learned the closed room's policy server",
    )
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/again1",
        {"msgtype": "m.text", "body": PHI},
    )
    assert status == 403, body
    assert "Revoked" in body["error"]


async def test_policy_server_down_refuses_fast_and_stores_nothing(
    policed: Federation,
) -> None:
    f = policed
    d = f.d
    _alice, rep, room = await remote_vendor_room(f)
    await wait_for(
        lambda: (
            f.policy_on_vendor(room) is not None
            and "public_keys" in (f.policy_on_vendor(room) or {})
        ),
        timeout=30,
        message="vendor.test never learned the room's policy server",
    )
    f.proxy.policy_upstream = None  # PHI Gate's /sign unreachable behind the proxy
    started = time.monotonic()
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/down1",
        {"msgtype": "m.text", "body": "Can we talk Tuesday?"},
    )
    took = time.monotonic() - started
    assert status >= 400, body
    print(f"\n[policy] send with the policy server down refused in {took * 1000:.0f} ms")
    assert f.messages_stored_on(f.vendor, rep.user_id, room) == 0

    # Back up: the rep's sends in the managed room work again.
    f.proxy.policy_upstream = d.config.appservice.address
    for state in ("Staging", "Pending", "Active"):
        await d.applied(f"!baa set acme {state}")
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/up1",
        {"msgtype": "m.text", "body": "Back: claim updated"},
    )
    assert status == 200, body

    # An open room names no policy server, so it keeps federating while /sign is down: the
    # rep's message is stored and reaches the practice's server with its content.
    await wait_for(
        lambda: "public_keys" not in (f.policy_on_vendor(room) or {}),
        timeout=30,
        message="the open room still names a policy server on vendor.test",
    )
    f.proxy.policy_upstream = None
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/down2",
        {"msgtype": "m.text", "body": "Still here while PHI Gate is away"},
    )
    assert status == 200, body
    stored = await wait_for(
        lambda: f.stored_message_json(d.synapse, body["event_id"]),
        timeout=30,
        message="the open room's message never reached clinic.test",
    )
    assert json.loads(stored)["content"], "the open room's message arrived emptied"


async def test_vendor_server_that_skips_the_policy_server_never_reaches_staff(
    noncompliant: Federation,
) -> None:
    """An old or patched vendor server sends its rep's PHI without asking PHI Gate: it stores
    it itself, but the practice's server refuses it on arrival (soft-failed, stored emptied)."""
    f = noncompliant
    d = f.d
    alice, rep, room = await remote_vendor_room(f)
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/skip1",
        {"msgtype": "m.text", "body": PHI},
    )
    assert status == 200, body  # the non-compliant server took it
    sent = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": PHI})
    assert getattr(sent, "event_id", None), sent
    assert f.proxy.policy_requests == 0
    for event_id in (body["event_id"], sent.event_id):
        stored = await wait_for(
            lambda event_id=event_id: f.stored_message_json(d.synapse, event_id),
            timeout=30,
            message="the rep's event never reached clinic.test",
        )
        assert json.loads(stored)["content"] == {}, "stored with content at the practice"
        assert (
            CLINIC not in json.loads(stored)["signatures"]
            or KEY_ID not in (json.loads(stored)["signatures"][CLINIC])
        )
    await caught_up(f, alice, room, d.synapse)
    assert messages_received(alice, rep.user_id, room) == 0
    # Refused for skipping the policy server, whatever the content: the record says so.
    refused = await refused_records(d, room)
    assert refused and all("without asking PHI Gate" in (r.reason or "") for r in refused)
    # The control room is told which linked vendor server does not honour the policy server.
    admin = await d.admin()
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "vendor.test does not honour PHI Gate"),
        timeout=30,
        message="the control room was never told vendor.test skips the policy server",
    )


async def test_attachment_from_the_vendor_server_fetched_over_federation_and_checked(
    policed: Federation,
) -> None:
    """In an open room (no policy server named: every message may pass) the rep's file lives
    on vendor.test; on arrival the practice's server asks PHI Gate, which fetches it over
    federation and scans it: EICAR is refused there (staff never see it), a clean file comes
    through. (In a gated room the gate refuses every attachment before any scan.)"""
    f = policed
    d = f.d
    alice, rep, room = await remote_vendor_room(f)
    for state in ("Staging", "Pending", "Active"):
        await d.applied(f"!baa set acme {state}")
    await d.wait_gate(alice, room, "open")
    await wait_for(
        lambda: "public_keys" not in (f.policy_on_vendor(room) or {}),
        timeout=30,
        message="the open room still names a policy server on vendor.test",
    )

    status, infected = await send_plain_file(rep, room, EICAR, "claims.txt")
    assert status == 200, infected  # vendor.test keeps its own user's file
    stored = await wait_for(
        lambda: f.stored_message_json(d.synapse, infected["event_id"]),
        timeout=30,
        message="the infected file's event never reached clinic.test",
    )
    assert json.loads(stored)["content"] == {}, "the infected file arrived with its content"
    refused = await refused_records(d, room)
    assert any("Eicar-Test-Signature" in (r.reason or "") for r in refused), refused

    status, body = await send_plain_file(rep, room, b"Remittance batch 42 is posted.\n", "ok.txt")
    assert status == 200, body
    stored = await wait_for(
        lambda: f.stored_message_json(d.synapse, body["event_id"]),
        timeout=30,
        message="the clean file never reached clinic.test",
    )
    assert json.loads(stored)["content"], "the clean file arrived emptied"
    await wait_for(
        lambda: messages_received(alice, rep.user_id, room) >= 1,
        timeout=30,
        message="staff never received the clean file",
    )
    assert messages_received(alice, rep.user_id, room) == 1  # the clean one only


async def test_encrypted_send_the_bot_cannot_read_is_refused_by_the_vendor_server(
    policed: Federation,
) -> None:
    """The rep's client withholds the room key from PHI Gate's device: /sign waits briefly
    for it, then refuses in the gated room ("could not read"), and vendor.test stores
    nothing."""
    f = policed
    d = f.d
    _alice, rep, room = await remote_vendor_room(f)
    await wait_for(
        lambda: "public_keys" in (f.policy_on_vendor(room) or {}),
        timeout=30,
        message="vendor.test never learned the room's policy server",
    )
    bot_device = d.bridge.device.device_id if d.bridge.device else ""
    rep.blacklist_device(rep.device_store[d.bot][bot_device])
    rep.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    response = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": "hello"})
    assert isinstance(response, RoomSendError), response
    assert "could not read this message" in response.message
    assert f.messages_stored_on(f.vendor, rep.user_id, room) == 0


async def test_with_admin_power_the_bot_keeps_the_policy_server_to_admins(
    policed: Federation,
) -> None:
    """Where the bot holds admin power, naming the room's policy server takes admin power
    too: a moderator could otherwise switch the vendor-side check off."""
    f = policed
    d = f.d
    alice = await d.user("alice")
    rep = await f.remote_user("billrep3")
    assert "acme" in await d.command("!vendor add acme Acme Billing")
    assert "linked" in (await d.applied(f"!vendor link acme {VENDOR}")).lower()
    room = await d.staff_room(alice, [rep.user_id], bot_power=100)

    async def admins_only() -> bool:
        status, levels = await alice.raw_request(
            "GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.power_levels/"
        )
        return status == 200 and (levels.get("events") or {}).get("m.room.policy") == 100

    await wait_for(admins_only, timeout=30, message="m.room.policy never needed admin power")
