"""The gate with a vendor on its own homeserver: two real Synapses federating over TLS on
loopback, real nio E2EE clients on both, PHI Gate's pre-persist module on the practice's."""

from __future__ import annotations

import json
import sqlite3
import time

from nio import RoomSendError

from bridge.audit import AuditFilter
from bridge.demo.client import DemoClient

from ..appservice.conftest import Deployment
from ..appservice.test_gate import NON_PHI, PHI
from ..appservice.test_prepersist import messages_received, send_encrypted
from ..harness.clients import wait_for
from ..harness.federation import FederatedSynapse
from .conftest import VENDOR, Federation


async def remote_vendor_room(f: Federation) -> tuple[DemoClient, DemoClient, str]:
    """Staff (alice) and a rep on vendor.test (the whole server linked to acme, BAA None) in
    a gated room, both ready to send."""
    d = f.d
    alice = await d.user("alice")
    rep = await f.remote_user("billrep")
    assert "acme" in await d.command("!vendor add acme Acme Billing")
    assert "linked" in (await d.applied(f"!vendor link acme {VENDOR}")).lower()
    room = await d.staff_room(alice, [rep.user_id])
    # The invite crosses federation; the rep's client sees it, and its join crosses back.
    await wait_for(lambda: room in rep.invited_rooms, timeout=30, message="invite never arrived")
    await rep.join_room(room)
    gate = await d.wait_gate(alice, room, "gated")
    assert rep.user_id in [c["user_id"] for c in gate["counterparties"]]
    await d.wait_room_known(rep, room)
    await d.wait_room_known(alice, room)
    return alice, rep, room


async def caught_up(f: Federation, sender: DemoClient, room: str, to: FederatedSynapse) -> str:
    """``sender`` sets the room topic and waits until ``to`` has stored it: servers send a
    room's events to a destination in order, so whatever ``sender`` got stored before has
    reached ``to`` by then."""
    response = await sender.room_put_state(room, "m.room.topic", {"topic": f"t{time.monotonic()}"})
    event_id = getattr(response, "event_id", None)
    assert event_id, response
    await wait_for(
        lambda: f.stored_message_json(to, event_id) is not None,
        timeout=30,
        message=f"{to.server_name} never received the marker",
    )
    return event_id


async def test_remote_vendor_baa_lifecycle_across_servers(federation: Federation) -> None:
    f = federation
    d = f.d
    alice, rep, room = await remote_vendor_room(f)

    # BAA None: staff's PHI is refused before storage, so there is nothing to federate.
    refused = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(refused, RoomSendError), refused
    assert refused.status_code == "M_FORBIDDEN"
    assert "the BAA of vendor acme is None" in refused.message
    await caught_up(f, alice, room, f.vendor)
    assert f.messages_stored_on(f.vendor, alice.user_id, room) == 0
    assert messages_received(rep, alice.user_id, room) == 0

    # Active: both directions flow, encrypted, across servers.
    for state in ("Staging", "Pending paperwork sent", "Active"):
        await d.applied(f"!baa set acme {state}")
    await d.wait_gate(alice, room, "open")
    await d.send(alice, room, PHI)
    answer = await d.send(rep, room, "Claim updated for DOB 03/14/1962")
    await wait_for(
        lambda: messages_received(rep, alice.user_id, room) == 1,
        timeout=30,
        message="the rep never received staff's message",
    )
    await wait_for(
        lambda: messages_received(alice, rep.user_id, room) == 1,
        timeout=30,
        message="staff never received the rep's message",
    )
    assert not await d.is_redacted(alice, room, answer)

    # Revoked: blocked again at once.
    await d.command("!baa set acme Revoked contract ended")
    assert (await d.gate_state(alice, room) or {}).get("state") == "gated"
    again = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": NON_PHI})
    assert isinstance(again, RoomSendError), again
    await caught_up(f, alice, room, f.vendor)
    assert f.messages_stored_on(f.vendor, alice.user_id, room) == 1
    assert messages_received(rep, alice.user_id, room) == 1

    status = await d.command(f"!room status {room}")
    assert rep.user_id in status


async def test_rep_phi_refused_on_arrival_only_audited(federation: Federation) -> None:
    """Without a policy server in the room, vendor.test stores and sends the rep's PHI; the
    practice's server refuses it on arrival (soft-failed, content emptied). Staff never see
    it; Synapse still pushes the emptied event to PHI Gate, which audits it and does nothing
    else (no redaction of an event nobody saw, no notice about it)."""
    f = federation
    d = f.d
    alice, rep, room = await remote_vendor_room(f)
    # Count from the gate's notice, the last one the room's set-up brings (it may still be on
    # its way to alice's client when the room is ready).
    await wait_for(
        lambda: d.noticed(alice, room, "the BAA of vendor acme is None"),
        timeout=30,
        message="alice never saw the gate's notice",
    )
    notices_before = len(d.bot_notices(alice, room))
    sent = {}
    for label, content in (
        ("plain", None),
        ("encrypted", {"msgtype": "m.text", "body": PHI}),
    ):
        if content is None:
            status, body = await rep.raw_request(
                "PUT",
                f"/_matrix/client/v3/rooms/{room}/send/m.room.message/plain1",
                {"msgtype": "m.text", "body": PHI},
            )
            assert status == 200, body
            sent[label] = body["event_id"]
        else:
            response = await send_encrypted(d, rep, room, content)
            assert getattr(response, "event_id", None), response
            sent[label] = response.event_id

    for event_id in sent.values():
        stored = await wait_for(
            lambda event_id=event_id: f.stored_message_json(f.d.synapse, event_id),
            timeout=30,
            message="the rep's event never reached clinic.test",
        )
        content = json.loads(stored)["content"]
        assert "body" not in content and "ciphertext" not in content, "stored with content"
        await wait_for(
            lambda event_id=event_id: audited(d, room, event_id),
            timeout=30,
            message="the refused arrival was never audited",
        )
    # The appservice gets a room's events in order: once the marker is on the audit record,
    # the pushed emptied events have been handled.
    marker = await caught_up(f, alice, room, f.d.synapse)
    await wait_for(
        lambda: audited(d, room, marker), timeout=30, message="the marker never reached PHI Gate"
    )
    assert messages_received(alice, rep.user_id, room) == 0
    assert len(d.bot_notices(alice, room)) == notices_before
    # Nothing judged late either (Synapse's empty org.matrix.dummy_event, sent in alice's
    # name to merge the soft-failed events' extremities, is no message of hers).
    assert d.bridge.services
    records = await d.bridge.services.audit.query(AuditFilter(room=room, limit=None))
    assert not [r for r in records if r.decision == "block"]
    with sqlite3.connect(d.synapse.base_dir / "homeserver.db") as db:
        redactions = db.execute(
            "SELECT count(*) FROM redactions WHERE redacts IN (?, ?)", tuple(sent.values())
        ).fetchone()[0]
    assert redactions == 0


async def audited(d: Deployment, room: str, event_id: str) -> bool:
    assert d.bridge.services
    records = await d.bridge.services.audit.query(AuditFilter(room=room, limit=None))
    return any(r.event_id == event_id for r in records)


async def test_a_vendor_cannot_pull_staff_into_a_room_phigate_is_not_in(
    federation: Federation,
) -> None:
    """federated_user_may_invite: a rep on vendor.test invites staff into the rep's own room
    (PHI Gate is not there): the practice's server refuses the invite, so staff never see it;
    a room staff start, with PHI Gate in it, works as usual."""
    f = federation
    d = f.d
    alice = await d.user("alice")
    rep = await f.remote_user("billrep2")
    assert "acme" in await d.command("!vendor add acme Acme Billing")
    assert "linked" in (await d.applied(f"!vendor link acme {VENDOR}")).lower()
    status, body = await rep.raw_request(
        "POST", "/_matrix/client/v3/createRoom", {"preset": "private_chat"}
    )
    assert status == 200, body
    vendor_room = body["room_id"]
    status, body = await rep.raw_request(
        "POST", f"/_matrix/client/v3/rooms/{vendor_room}/invite", {"user_id": alice.user_id}
    )
    assert status == 403, body
    assert "PHI Gate does not protect this room" in body.get("error", ""), body
    assert vendor_room not in alice.invited_rooms
    # The way that works: staff start the room on the practice's server, PHI Gate in it.
    room = await d.staff_room(alice, [rep.user_id])
    await wait_for(lambda: room in rep.invited_rooms, timeout=30, message="invite never arrived")
