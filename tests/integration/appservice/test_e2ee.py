"""The gate as an E2EE participant: real megolm from matrix-nio clients, the bot's own
cross-signed device, restarts, keys that never come, and no plaintext at rest."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from bridge.audit import AuditFilter
from bridge.config import load_config
from bridge.demo.client import DemoClient
from tests import databases

from ..harness.clients import wait_for
from .conftest import Deployment, sql

SECRET_PHI = "Zebulon Quackenbush SSN 321-54-9876 hba1c 11.4"


async def patient_room(d: Deployment) -> tuple[str, DemoClient, DemoClient]:
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "gated")
    return room, alice, pat


async def record_of(d: Deployment, event_id: str) -> object | None:
    assert d.bridge.services
    for record in await d.bridge.services.audit.query(AuditFilter(limit=None), with_content=True):
        if record.event_id == event_id and record.decision in ("allow", "block"):
            return record
    return None


async def test_encrypted_phi_gated_and_audited_decrypted(deployment: Deployment) -> None:
    d = deployment
    room, alice, _ = await patient_room(d)
    phi = await d.send(alice, room, SECRET_PHI)
    reminder = await d.send(alice, room, "Reminder: your visit is Tuesday at 10 #nophi")
    assert (await alice.event(room, phi))["type"] == "m.room.encrypted"
    await d.wait_redacted(alice, room, phi)
    record = await wait_for(lambda: record_of(d, reminder), message="reminder never decided")
    assert not await d.is_redacted(alice, room, reminder)
    assert record.decision == "allow" and record.category == "non_phi"  # type: ignore[attr-defined]
    assert record.content["decrypted"] is True  # type: ignore[attr-defined]
    # The bot's block notice is itself encrypted, and readable by the room's members.
    await wait_for(
        lambda: any("removed by PHI Gate" in n for n in d.bot_notices(alice, room)),
        message="alice could not read the encrypted notice",
    )


async def test_bot_device_is_cross_signed(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    status, keys = await alice.raw_request(
        "POST", "/_matrix/client/v3/keys/query", {"device_keys": {d.bot: []}}
    )
    assert status == 200
    devices = keys["device_keys"][d.bot]
    assert d.bridge.device and d.bridge.device.device_id in devices
    self_signing = keys["self_signing_keys"][d.bot]["keys"]
    [ssk_id] = list(self_signing)
    signatures = devices[d.bridge.device.device_id]["signatures"][d.bot]
    assert ssk_id in signatures
    assert keys["master_keys"][d.bot]


async def test_restart_mid_conversation_still_decrypts(deployment: Deployment) -> None:
    d = deployment
    room, alice, pat = await patient_room(d)
    before = await d.send(alice, room, "See you Tuesday at 10 #nophi")
    await wait_for(lambda: record_of(d, before), message="first message never decided")
    await d.bridge.stop()
    # While PHI Gate is down: a new megolm session (room keys go to the bot's device inbox,
    # the events queue in Synapse's appservice transactions).
    pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    fine = await d.send(pat, room, "Thank you, I will be there #nophi")
    leak = await d.send(pat, room, f"Also: {SECRET_PHI}")
    await d.restart_bridge()
    await d.wait_redacted(alice, room, leak)
    record = await wait_for(lambda: record_of(d, fine), timeout=20, message="never decided")
    assert record.decision == "allow" and record.content["decrypted"] is True  # type: ignore[attr-defined]
    assert not await d.is_redacted(alice, room, fine)


async def test_key_never_shared_is_blocked_in_gated_room(deployment: Deployment) -> None:
    d = deployment
    room, alice, pat = await patient_room(d)
    bot_device = d.bridge.device.device_id if d.bridge.device else ""
    await wait_for(
        lambda: bot_device in pat.device_store[d.bot], message="pat never saw the bot device"
    )
    pat.blacklist_device(pat.device_store[d.bot][bot_device])
    pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    # Harmless text, but the gate cannot read it: blocked once the key wait (2 s) is over.
    hidden = await d.send(pat, room, "Tuesday works #nophi")
    await d.wait_redacted(alice, room, hidden)
    status = await d.command(f"!room status {room}")
    assert pat.user_id in status and "undecrypt" in status.lower()


async def test_no_plaintext_phi_in_database_or_logs(
    deployment: Deployment, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    d = deployment
    room, alice, pat = await patient_room(d)
    await d.confirmed(f"!consent grant {pat.user_id}")
    allowed = await d.send(alice, room, SECRET_PHI)
    await wait_for(lambda: record_of(d, allowed), message="never decided")
    await d.bridge.stop()
    needles = [b"Quackenbush", b"321-54-9876", b"hba1c 11.4"]
    stored = databases.stored_bytes(d.config.database)  # SQLite files or a PostgreSQL dump
    assert stored
    for needle in needles:
        assert needle not in stored, f"{needle!r} found in the database"
    for path in [p for p in (d.base / "phigate").iterdir() if p.is_file()]:
        data = Path(path).read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path.name}"
    for needle in needles:
        assert needle.decode() not in caplog.text
    await d.restart_bridge()


async def test_encrypted_edit_with_phi_in_outer_body_is_blocked(deployment: Deployment) -> None:
    """Clients without edit support show an edit's outer body: it is gated too."""
    d = deployment
    room, alice, pat = await patient_room(d)
    original = await d.send(pat, room, "see you tuesday #nophi")
    edit = await d.send(
        pat,
        room,
        f"* {SECRET_PHI}",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "see you wednesday #nophi"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        },
    )
    await d.wait_redacted(alice, room, edit)
    assert not await d.is_redacted(alice, room, original)


async def test_withheld_key_ends_the_wait(deployment: Deployment) -> None:
    """A device that refuses to share a key says so (m.room_key.withheld): the gate decides at
    once instead of waiting out the whole key wait."""
    d = deployment
    raw = yaml.safe_load(d.config_path.read_text())
    raw["encryption"]["key_wait_seconds"] = 120  # far beyond this test's patience
    d.config_path.write_text(yaml.safe_dump(raw))
    await d.restart_bridge(load_config(d.config_path))
    room, alice, pat = await patient_room(d)
    bot_device = d.bridge.device.device_id if d.bridge.device else ""
    await wait_for(lambda: bot_device in pat.device_store[d.bot], message="no bot device")
    pat.blacklist_device(pat.device_store[d.bot][bot_device])
    pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    hidden = await d.send(pat, room, "Tuesday works #nophi")
    session_id = (await alice.event(room, hidden))["content"]["session_id"]
    withheld = {
        d.bot: {
            bot_device: {
                "algorithm": "m.megolm.v1.aes-sha2",
                "room_id": room,
                "session_id": session_id,
                "sender_key": pat.olm.account.identity_keys["curve25519"],  # type: ignore[union-attr]
                "code": "m.unverified",
                "reason": "device not verified",
            }
        }
    }
    status, _ = await pat.raw_request(
        "PUT", "/_matrix/client/v3/sendToDevice/m.room_key.withheld/w1", {"messages": withheld}
    )
    assert status == 200
    await d.wait_redacted(alice, room, hidden)
    record = await wait_for(lambda: record_of(d, hidden), message="never decided")
    assert "withheld" in (record.reason or "")  # type: ignore[attr-defined]


async def test_key_arriving_late_is_decided_again(deployment: Deployment) -> None:
    """Open room: an event without its key is audited as undecryptable, then decided again —
    on its real content — when the key turns up (here forwarded by the sender after the wait)."""
    d = deployment
    room, alice, pat = await patient_room(d)
    await d.confirmed(f"!consent grant {pat.user_id}")
    await d.wait_gate(alice, room, "open")
    bot_device = d.bridge.device.device_id if d.bridge.device else ""
    await wait_for(lambda: bot_device in pat.device_store[d.bot], message="no bot device")
    device = pat.device_store[d.bot][bot_device]
    pat.blacklist_device(device)
    pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    late = await d.send(pat, room, "Thanks! My DOB is 03/14/1962 if you need it")
    session_id = (await alice.event(room, late))["content"]["session_id"]

    async def undecryptable() -> object | None:
        assert d.bridge.services
        for r in await d.bridge.services.audit.query(AuditFilter(limit=None)):
            if r.event_id == late and r.category == "unknown" and r.decision == "allow":
                return r
        return None

    await wait_for(undecryptable, message="never audited as undecryptable")
    # The sender forwards the session (from its first index) to the bot's device.
    await pat.keys_claim({d.bot: [bot_device]})
    olm_session = pat.olm.session_store.get(device.curve25519)  # type: ignore[union-attr]
    own_key = pat.olm.account.identity_keys["curve25519"]  # type: ignore[union-attr]
    group = pat.olm.inbound_group_store.get(room, own_key, session_id)  # type: ignore[union-attr]
    assert olm_session is not None and group is not None
    message = pat.olm._encrypt_forwarding_key(room, group, olm_session, device)  # type: ignore[union-attr]
    await pat.to_device(message)

    async def redecided() -> object | None:
        assert d.bridge.services
        records = await d.bridge.services.audit.query(AuditFilter(limit=None), with_content=True)
        return next((r for r in records if r.event_id == late and r.category == "phi"), None)

    record = await wait_for(redecided, timeout=20, message="never re-decided")
    assert record.decision == "allow" and record.content["decrypted"] is True  # type: ignore[attr-defined]
    assert not await d.is_redacted(alice, room, late)  # the room is open: PHI may pass


async def test_key_delivery_outlives_a_database_error(deployment: Deployment) -> None:
    """A round of the device's /sync that fails (here: its token cannot be stored) is retried;
    room keys keep arriving afterwards."""
    d = deployment
    room, alice, pat = await patient_room(d)
    await d.confirmed(f"!consent grant {pat.user_id}")
    await d.wait_gate(alice, room, "open")
    device = d.bridge.device
    assert device is not None
    device.loud_after = 1  # the admins are told at the first failed round
    admin = await d.admin()
    db = d.config.database
    await sql(db, "ALTER TABLE crypto_account RENAME TO crypto_account_away")
    try:
        # A new room key for the device's /sync to deliver; storing the token then fails.
        pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
        await d.send(pat, room, "Running five minutes late #nophi")
        await wait_for(
            lambda: device.sync_failures > 0, timeout=40, message="the round never failed"
        )
        await wait_for(
            lambda: d.noticed(admin, d.control_room, "Room keys are not reaching"),
            message="admins never told",
        )
    finally:
        await sql(db, "ALTER TABLE crypto_account_away RENAME TO crypto_account")
    pat.olm.outbound_group_sessions.pop(room, None)  # type: ignore[union-attr]
    later = await d.send(pat, room, "Parking is on level 2 #nophi")

    async def decrypted() -> object | None:
        record = await record_of(d, later)
        return record if record and record.content.get("decrypted") else None  # type: ignore[attr-defined]

    record = await wait_for(decrypted, timeout=30, message="the key sent after never came")
    assert record.decision == "allow"  # type: ignore[attr-defined]
    # The round that delivered that key ends by storing its token: then the streak is over.
    await wait_for(lambda: device.sync_failures == 0, message="the rounds never recovered")
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "Room keys reach PHI Gate's device again"),
        message="admins never told it cleared",
    )


async def test_one_time_keys_are_replenished(deployment: Deployment) -> None:
    """Others claim the bot device's one-time keys to open olm sessions (to send it room keys);
    once they are used up, the device uploads new ones."""
    d = deployment
    alice = await d.user("alice")
    assert d.bridge.device is not None
    device_id = d.bridge.device.device_id

    async def claim() -> bool:
        status, body = await alice.raw_request(
            "POST",
            "/_matrix/client/v3/keys/claim",
            {"one_time_keys": {d.bot: {device_id: "signed_curve25519"}}},
        )
        assert status == 200, body
        return bool(body["one_time_keys"].get(d.bot, {}).get(device_id))

    claimed = 0
    while await claim():
        claimed += 1
        assert claimed < 1000, "the bot's one-time keys never ran out"
    assert claimed > 0
    # Anything for the device's /sync to deliver ends its long-poll, and with it comes the
    # count of one-time keys left: none.
    status, _ = await alice.raw_request(
        "PUT",
        "/_matrix/client/v3/sendToDevice/org.phigate.test.wake/wake-1",
        {"messages": {d.bot: {device_id: {}}}},
    )
    assert status == 200
    await wait_for(claim, timeout=30, message="the bot never uploaded new one-time keys")
