"""Room coverage on a real Synapse: power, auto-protect, commands' rules, expiry, relations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bridge.audit import AuditFilter, RecordKind

from ..harness.clients import wait_for
from .conftest import Deployment


async def test_bot_without_power_reports_room_unprotected(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    admin = await d.admin()
    room = await d.staff_room(alice, [], bot_power=None)
    notices = await wait_for(
        lambda: d.noticed(alice, room, "UNPROTECTED"), timeout=10, message="no room notice"
    )
    assert notices
    await wait_for(
        lambda: d.noticed(admin, d.control_room, f"{room} is UNPROTECTED"),
        timeout=10,
        message="no control-room alert",
    )
    assert "unprotected" in (await d.command("!room list")).lower()
    # Given moderator, the room is protected again.
    status, _ = await alice.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/state/m.room.power_levels/",
        {**(await _power_levels(alice, room)), "users": {d.bot: 50}},
    )
    assert status == 200
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "protected again"),
        timeout=10,
        message="never protected again",
    )


async def _power_levels(client, room):  # type: ignore[no-untyped-def]
    status, body = await client.raw_request(
        "GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.power_levels/"
    )
    assert status == 200
    return body


async def test_auto_protect_brings_the_bot_in(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    rep = await d.user("rep")
    await d.command("!vendor add acme Acme Billing")
    await d.applied(f"!vendor link acme {rep.user_id}")
    # Alice meets the vendor without inviting PHI Gate.
    room = await alice.create_room(invite=[rep.user_id], encrypted=True)
    await wait_for(lambda: d.managed(room), timeout=15, message="auto-protect never joined")
    gate = await d.wait_gate(alice, room, "gated")
    assert gate["counterparties"][0]["agreement"] == "acme"
    levels = await _power_levels(alice, room)
    assert levels["users"].get(d.bot) == 50
    await rep.join_room(room)
    leak = await d.send(rep, room, "Member ID ZX-99812345 for Jane Roe, DOB 1961-02-03")
    await d.wait_redacted(alice, room, leak)


async def test_commands_refused_for_non_admins_and_other_rooms(deployment: Deployment) -> None:
    d = deployment
    admin = await d.admin()
    bob = await d.user("bob")
    await admin.room_invite(d.control_room, bob.user_id)
    await bob.join_room(d.control_room)
    reply = await d.command("!vendor add evil Evil Corp", client=bob)
    assert "admin" in reply.lower()
    assert "evil" not in await d.command("!vendor list")
    # A command typed in another room does nothing (and says nothing there).
    alice = await d.user("alice")
    room = await d.staff_room(alice, [])
    await d.send(alice, room, "!vendor add sneaky Sneaky LLC")
    assert d.bridge.services
    audit = d.bridge.services.audit

    async def refusals() -> int:
        records = await audit.query(AuditFilter(kind=RecordKind.COMMAND, limit=None))
        return sum(1 for r in records if r.decision == "refused")

    await wait_for(lambda: _at_least(refusals(), 2), timeout=10, message="refusals not audited")
    assert "sneaky" not in await d.command("!vendor list")


async def _at_least(value, n: int) -> bool:  # type: ignore[no-untyped-def]
    return (await value) >= n


async def test_expiry_closes_the_gate_by_itself(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    rep = await d.user("rep")
    await d.command("!vendor add acme Acme Billing")
    await d.applied(f"!vendor link acme {rep.user_id}")
    for state in ("Staging", "Pending"):
        await d.command(f"!baa set acme {state}")
    room = await d.staff_room(alice, [rep.user_id])
    expires = (datetime.now(UTC) + timedelta(seconds=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "Active" in await d.confirmed(f"!baa set acme Active expires={expires}")
    await d.wait_gate(alice, room, "open")
    # Nobody does anything: the timer closes the gate at the expiry instant.
    gate = await d.wait_gate(alice, room, "gated")
    assert gate["counterparties"][0]["status"] == "Expired"
    expiry_ms = int(datetime.fromisoformat(expires.replace("Z", "+00:00")).timestamp() * 1000)
    assert gate["updated_at"] >= expiry_ms
    # Reported with `pytest -s`, never asserted: the figure for the closing note.
    print(f"\n[expiry] gate closed {gate['updated_at'] - expiry_ms} ms after the expiry instant")
    shown = await d.command("!baa show acme")
    assert "Expired" in shown and "expiry date passed" in shown


async def test_edits_and_replies_of_blocked_messages_are_blocked(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "gated")
    phi = await d.send(pat, room, "my SSN is 123-45-6789")
    await d.wait_redacted(alice, room, phi)
    # Neither carries PHI of its own, and both say #nophi: only their relation blocks them.
    edit = await d.send(
        pat,
        room,
        "* sorry, ignore that #nophi",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "sorry, ignore that #nophi"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": phi},
        },
    )
    reply = await d.send(
        alice, room, "ok #nophi", **{"m.relates_to": {"m.in_reply_to": {"event_id": phi}}}
    )
    fine = await d.send(alice, room, "See you Tuesday at 10 #nophi")
    await d.wait_redacted(alice, room, edit)
    await d.wait_redacted(alice, room, reply)
    assert not await d.is_redacted(alice, room, fine)


async def test_malformed_content_fails_closed_in_gated_room(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await d.wait_gate(alice, room, "gated")
    # (Synapse itself refuses an m.room.message whose body is missing or not a string; the
    # transaction tests feed such events to PHI Gate directly.) Event types the gate cannot
    # read are unknown content: blocked while the room is gated, whatever they hold.
    poll = await send_raw(alice, room, "org.example.poll", {"question": "Lunch?"})
    custom = await send_raw(alice, room, "com.example.note", {"text": "DOB 1961-02-03"})
    huge = await d.send(alice, room, "Reminder: bring your card. #nophi " + "ok " * 10_000)
    for event_id in (poll, custom):
        await d.wait_redacted(alice, room, event_id)
    assert not await d.is_redacted(alice, room, huge)


async def send_raw(client, room: str, event_type: str, content: dict) -> str:  # type: ignore[no-untyped-def,type-arg]
    txn = f"raw-{id(content)}-{event_type}"
    status, body = await client.raw_request(
        "PUT", f"/_matrix/client/v3/rooms/{room}/send/{event_type}/{txn}", content
    )
    assert status == 200, body
    return str(body["event_id"])


async def test_members_who_join_later_cannot_read_earlier_messages(
    deployment: Deployment,
) -> None:
    d = deployment
    alice = await d.user("alice")
    rep = await d.user("rep")
    await d.command("!vendor add acme Acme Billing")
    await d.applied(f"!vendor link acme {rep.user_id}")
    room = await d.staff_room(alice, [])

    async def visibility() -> str | None:
        status, body = await alice.raw_request(
            "GET", f"/_matrix/client/v3/rooms/{room}/state/m.room.history_visibility/"
        )
        return body.get("history_visibility") if status == 200 else None

    await wait_for(lambda: _is(visibility(), "joined"), message="history visibility never set")
    # Staff talk among themselves; later the vendor is invited and joins.
    before = await d.send(alice, room, "Lab results for Jane Roe: A1C 9.2, MRN 4481230")
    await alice.room_invite(room, rep.user_id)
    await rep.join_room(room)
    after = await d.send(alice, room, "Welcome aboard")
    seen = [e["event_id"] for e in await rep.messages(room, limit=100)]
    assert after in seen
    assert before not in seen
    # Opened up again by a member: the gate closes it again.
    status, _ = await alice.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/state/m.room.history_visibility/",
        {"history_visibility": "shared"},
    )
    assert status == 200
    await wait_for(lambda: _is(visibility(), "joined"), message="history visibility never restored")


async def _is(value, expected: str) -> bool:  # type: ignore[no-untyped-def]
    return await value == expected
