"""Refused before it is stored: a real Synapse with PHI Gate's module installed in its
environment and configured by `phigate synapse-config`, real E2EE clients."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

from nio import RoomSendError

from bridge.audit import AuditFilter
from bridge.demo.client import DemoClient
from bridge.tasks import cancel_and_wait

from ..harness.clients import wait_for
from .conftest import EICAR, Deployment
from .test_e2ee import patient_room
from .test_gate import NON_PHI, PHI, gated_vendor_room
from .test_media import upload


def stored_bodies(d: Deployment, sender: str) -> int:
    """Events by ``sender`` in Synapse's own database (any type)."""
    with sqlite3.connect(d.synapse.base_dir / "homeserver.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender = ?", (sender,)).fetchone()[0]


def messages_received(client: DemoClient, sender: str, room: str) -> int:
    """Messages (encrypted or not) from ``sender`` that reached ``client``'s /sync."""
    return sum(
        1
        for e in client.received
        if e.room_id == room
        and getattr(e.event, "sender", None) == sender
        and getattr(e.event, "source", {}).get("type") in ("m.room.message", "m.room.encrypted")
    )


async def send_encrypted(
    d: Deployment, client: DemoClient, room: str, content: dict[str, Any]
) -> Any:
    await d.wait_room_known(client, room)
    return await client.room_send(room, "m.room.message", content, ignore_unverified_devices=True)


async def send_plain_file(client: DemoClient, room: str, data: bytes, name: str) -> tuple[int, Any]:
    """A text file declared non_phi, sent in plaintext straight through the client API (a
    plaintext attachment is checked before the homeserver stores it)."""
    source = await upload(client, data, "text/plain", name, encrypt=False)
    return await client.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/{name}",
        {
            "msgtype": "m.file",
            "body": name,
            "info": {"mimetype": "text/plain"},
            "org.phigate.category": "non_phi",
            **source,
        },
    )


async def refused_records(d: Deployment, room: str) -> list[Any]:
    assert d.bridge.services
    records = await d.bridge.services.audit.query(AuditFilter(room=room, limit=None))
    return [r for r in records if (r.reason or "").startswith("refused before storage")]


async def test_refused_sends_are_never_stored_or_seen(guarded: Deployment) -> None:
    d = guarded
    alice, rep, room = await gated_vendor_room(d)
    stored = stored_bodies(d, alice.user_id)

    # Encrypted, as Element sends: refused with the reason and the BAA record, in words.
    response = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(response, RoomSendError), response
    assert response.status_code == "M_FORBIDDEN"
    assert "the BAA of vendor acme is None" in response.message
    assert "compliance.clinic.test/baa/acme" in response.message
    # Plaintext too, and from the vendor's side (symmetric).
    status, body = await alice.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/p1",
        {"msgtype": "m.text", "body": NON_PHI},
    )
    assert status == 403 and body["errcode"] == "M_FORBIDDEN", body
    from_rep = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(from_rep, RoomSendError), from_rep

    assert stored_bodies(d, alice.user_id) == stored
    # A later event from alice reaches the rep's /sync after anything she sent before it.
    marker = await alice.room_put_state(room, "m.room.topic", {"topic": "marker"})
    assert getattr(marker, "event_id", None), marker
    await rep.wait_event(
        lambda e: getattr(e.event, "event_id", None) == marker.event_id,
        timeout=30,
        what="the rep never synced alice's marker",
    )
    assert messages_received(rep, alice.user_id, room) == 0
    records = await refused_records(d, room)
    assert len(records) >= 3 and all(r.decision == "refused" for r in records)

    # Once the BAA is Active, the same message goes through.
    for state in ("Staging", "Pending"):
        await d.applied(f"!baa set acme {state}")
    await d.confirmed("!baa set acme Active")
    await d.wait_gate(alice, room, "open")
    allowed = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert not isinstance(allowed, RoomSendError), allowed


async def test_patient_without_consent_gets_non_phi_only(guarded: Deployment) -> None:
    d = guarded
    room, alice, pat = await patient_room(d)
    await d.wait_room_known(pat, room)
    reminder = await send_encrypted(
        d, alice, room, {"msgtype": "m.text", "body": "Your visit is Tuesday at 10 #nophi"}
    )
    assert not isinstance(reminder, RoomSendError), reminder
    results = await send_encrypted(
        d, alice, room, {"msgtype": "m.text", "body": "Your A1C came back at 9.2, MRN 4481230"}
    )
    assert isinstance(results, RoomSendError)
    assert "consent of patient" in results.message
    from_patient = await send_encrypted(
        d, pat, room, {"msgtype": "m.text", "body": "My DOB is 03/14/1962 and my SSN 512-44-8731"}
    )
    assert isinstance(from_patient, RoomSendError)
    await wait_for(
        lambda: any("Tuesday at 10" in (getattr(e.event, "body", "") or "") for e in pat.received),
        timeout=10,
        message="the patient never got the reminder",
    )


async def test_a_gate_state_phigate_did_not_write_opens_nothing(guarded: Deployment) -> None:
    """The module answers open rooms from the room's own gate state, but only from PHI
    Gate's: staff with the power to write that state cannot open a gated room with it."""
    d = guarded
    room, alice, pat = await patient_room(d)
    forged = {
        "state": "open",
        "counterparties": [
            {
                "user_id": pat.user_id,
                "kind": "patient",
                "agreement": pat.user_id,
                "status": "Active",
            }
        ],
    }
    status, body = await alice.raw_request(
        "PUT", f"/_matrix/client/v3/rooms/{room}/state/org.phigate.gate/", forged
    )
    assert status == 200, body
    refused = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(refused, RoomSendError), refused
    assert "consent of patient" in refused.message
    admin = await d.admin()
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "changed PHI Gate's gate state"),
        timeout=15,
        message="the admins were not told of the foreign gate state",
    )
    restored = await d.wait_gate(alice, room, "gated")
    assert restored["counterparties"][0]["status"] != "Active"


async def test_key_never_shared_is_refused_in_a_gated_room(guarded: Deployment) -> None:
    d = guarded
    alice, _rep, room = await gated_vendor_room(d)
    for state in ("Staging", "Pending"):
        await d.applied(f"!baa set acme {state}")
    await d.confirmed("!baa set acme Active")
    await d.command("!baa set acme Revoked")
    await d.wait_gate(alice, room, "gated")
    bot_device = d.bridge.device.device_id if d.bridge.device else ""
    device = alice.device_store[d.bot][bot_device]
    alice.blacklist_device(device)
    alice.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    response = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": NON_PHI})
    assert isinstance(response, RoomSendError), response
    assert "could not read this message" in response.message


async def test_infected_attachment_refused_before_it_is_stored(guarded: Deployment) -> None:
    d = guarded
    alice = await d.user("alice")
    room = await d.staff_room(alice, [])  # staff only: open
    await d.wait_gate(alice, room, "open")
    status, body = await send_plain_file(alice, room, EICAR, "notes.txt")
    assert status == 403, body
    assert "Eicar-Test-Signature" in body["error"]


async def test_phigate_down_refuses_gated_sends_only_and_the_backstop_catches_up(
    guarded: Deployment,
) -> None:
    d = guarded
    alice, _rep, room = await gated_vendor_room(d)
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    await d.confirmed(f"!consent grant {pat.user_id}")
    opened = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(opened)
    await d.wait_gate(alice, opened, "open")
    unmanaged = await alice.create_room(invite=[], encrypted=False)

    await d.bridge.stop()
    try:
        status, body = await alice.raw_request(
            "PUT",
            f"/_matrix/client/v3/rooms/{room}/send/m.room.message/down1",
            {"msgtype": "m.text", "body": NON_PHI},
        )
        assert status == 403 and "cannot be reached" in body["error"], body
        for target in (opened, unmanaged):
            status, body = await alice.raw_request(
                "PUT",
                f"/_matrix/client/v3/rooms/{target}/send/m.room.message/down2",
                {"msgtype": "m.text", "body": NON_PHI},
            )
            assert status == 200, (target, body)
        # Accepted while PHI Gate was away: an infected file in the open room.
        status, body = await send_plain_file(alice, opened, EICAR, "late.txt")
        assert status == 200, body
        late = body["event_id"]
    finally:
        await d.restart_bridge()
    await d.wait_redacted(alice, opened, late)
    assert d.bridge.services

    async def audited_late() -> bool:
        records = await d.bridge.services.audit.query(AuditFilter(room=opened, limit=None))  # type: ignore[union-attr]
        return any(r.event_id == late and "late block" in (r.reason or "") for r in records)

    await wait_for(audited_late, timeout=10, message="the late block was not audited as such")


async def test_counterparties_only_where_phigate_is(guarded: Deployment) -> None:
    d = guarded
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    bare = await alice.create_room(invite=[], encrypted=False)
    status, body = await alice.raw_request(
        "POST", f"/_matrix/client/v3/rooms/{bare}/invite", {"user_id": pat.user_id}
    )
    assert status == 403 and "PHI Gate must be in this room" in body["error"], body
    # With the bot invited first (as Element's "invite" does in order), the patient may come.
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "gated")


async def test_key_arriving_within_the_wait_is_used(guarded: Deployment) -> None:
    """The room key reaches the bot's device only after the send (its /sync paused): the
    check waits for it (antispam.key_wait_seconds) and decides on the content."""
    d = guarded
    room, alice, _pat = await patient_room(d)
    await d.wait_room_known(alice, room)
    device = d.bridge.device
    assert device is not None
    # A fresh megolm session, whose key the bot's device has not received yet.
    alice.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    await cancel_and_wait(device._sync_task)  # the device's /sync stops: keys wait in its inbox

    async def resume_soon() -> None:
        await asyncio.sleep(0.7)
        device._sync_task = asyncio.create_task(device._sync_loop())

    resumer = asyncio.create_task(resume_soon())
    allowed = await send_encrypted(
        d, alice, room, {"msgtype": "m.text", "body": "Your visit is Tuesday at 10 #nophi"}
    )
    await resumer
    assert not isinstance(allowed, RoomSendError), allowed
    # The same again with PHI: decided on its content (refused), not as unreadable.
    refused = await send_encrypted(
        d, alice, room, {"msgtype": "m.text", "body": "Your A1C came back at 9.2"}
    )
    assert isinstance(refused, RoomSendError) and "consent of patient" in refused.message
