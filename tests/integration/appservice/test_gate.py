"""The gate on a real Synapse: vendor BAA lifecycle, patient consent, symmetric blocking."""

from __future__ import annotations

from dataclasses import replace

from bridge.demo.client import DemoClient

from ..harness.clients import wait_for
from .conftest import Deployment

PHI = "Patient John Smith DOB 03/14/1962, A1C 9.2, MRN 4481230 — please update the claim"
NON_PHI = "Can we move the billing sync call to Tuesday at 10?"


async def setup_vendor(d: Deployment, rep: str) -> None:
    assert "acme" in await d.command("!vendor add acme Acme Billing")
    assert "linked" in (await d.applied(f"!vendor link acme {rep}")).lower()


async def gated_vendor_room(d: Deployment) -> tuple[DemoClient, DemoClient, str]:
    """Staff (alice) and a linked vendor rep (BAA None) in a gated room, both ready to send."""
    alice = await d.user("alice")
    rep = await d.user("acmerep")
    await setup_vendor(d, rep.user_id)
    room = await d.staff_room(alice, [rep.user_id])
    await rep.join_room(room)
    await d.wait_gate(alice, room, "gated")
    await d.wait_room_known(rep, room)
    return alice, rep, room


async def test_control_room_and_help(deployment: Deployment) -> None:
    d = deployment
    reply = await d.command("!help")
    for name in ("!vendor add", "!baa set", "!consent grant", "!room list", "!audit verify"):
        assert name in reply


async def test_vendor_baa_lifecycle_gates_both_directions(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    rep = await d.user("acmerep")
    await setup_vendor(d, rep.user_id)
    room = await d.staff_room(alice, [rep.user_id])
    await rep.join_room(room)
    gate = await d.wait_gate(alice, room, "gated")
    assert gate["counterparties"] == [
        {"user_id": rep.user_id, "kind": "vendor", "agreement": "acme", "status": "None"}
    ]

    await d.command("!baa set acme Staging")
    await d.command("!baa set acme Pending paperwork sent")
    # Pending: staff → vendor PHI is redacted, and so is everything (block_all) ...
    phi = await d.send(alice, room, PHI)
    await d.wait_redacted(alice, room, phi)
    plain = await d.send(alice, room, NON_PHI)
    await d.wait_redacted(alice, room, plain)
    # ... and symmetric: the vendor's own messages are gated the same way.
    from_vendor = await d.send(rep, room, PHI)
    await d.wait_redacted(alice, room, from_vendor)
    notices = await d.notices(alice, room)
    assert any("acme is Pending" in n and "compliance.clinic.test/baa/acme" in n for n in notices)
    assert all("John Smith" not in n and "4481230" not in n for n in notices)

    reply = await d.confirmed("!baa set acme Active")
    assert "Active" in reply
    # The gate opened in the same operation: its state is already current.
    assert (await d.gate_state(alice, room) or {}).get("state") == "open"
    allowed = await d.send(alice, room, PHI)
    answer = await d.send(rep, room, "Thanks, claim updated for DOB 03/14/1962")

    await d.command("!baa set acme Revoked contract ended")
    assert (await d.gate_state(alice, room) or {}).get("state") == "gated"
    after = await d.send(alice, room, NON_PHI)
    await d.wait_redacted(alice, room, after)
    assert not await d.is_redacted(alice, room, allowed)
    assert not await d.is_redacted(alice, room, answer)
    notices = await d.notices(alice, room)
    assert any("room is open" in n for n in notices)
    assert any("room is gated" in n for n in notices)


async def test_illegal_transition_refused_with_legal_list(deployment: Deployment) -> None:
    d = deployment
    await d.command("!vendor add lab Quest Labs")
    reply = await d.command("!baa set lab Active")
    assert "None" in reply and "Staging" in reply and "Active" in reply
    assert "cannot" in reply.lower() or "refused" in reply.lower()


async def test_patient_without_consent_non_phi_passes(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "gated")
    reminder = await d.send(alice, room, "Your visit is Tuesday at 10. #nophi")
    phi = await d.send(alice, room, "Your lab results: A1C 9.2, MRN 4481230")
    await d.wait_redacted(alice, room, phi)
    assert not await d.is_redacted(alice, room, reminder)

    await d.confirmed(f"!consent grant {pat.user_id}")
    assert (await d.gate_state(alice, room) or {}).get("state") == "open"
    results = await d.send(alice, room, "Your lab results: A1C 9.2, MRN 4481230")
    reply = await d.send(pat, room, "Thanks! My DOB is 03/14/1962 if you need it")
    await d.command(f"!consent revoke {pat.user_id} patient asked")
    late = await d.send(pat, room, "One more: my SSN is 123-45-6789")
    await d.wait_redacted(alice, room, late)
    assert not await d.is_redacted(alice, room, results)
    assert not await d.is_redacted(alice, room, reply)


async def test_unrecognised_local_account_is_gated_like_a_counterparty(
    deployment: Deployment,
) -> None:
    """The practice names its workforce (alice and the admin): a local account nobody named,
    say a patient's, is not staff; the room with it is gated and everything is blocked both
    ways, as for a vendor without a BAA, until an admin says who it is."""
    d = deployment
    org = replace(
        d.config.organization,
        staff_by_domain=False,
        staff_users=frozenset({d.synapse.user_id("alice"), d.synapse.user_id("admin")}),
    )
    await d.restart_bridge(replace(d.config, organization=org))
    alice = await d.user("alice")
    walkin = await d.user("walkin")
    room = await d.staff_room(alice, [walkin.user_id])
    await walkin.join_room(room)
    gate = await d.wait_gate(alice, room, "gated")
    assert gate["counterparties"] == [
        {"user_id": walkin.user_id, "kind": "unrecognised", "agreement": None, "status": "None"}
    ]
    await d.wait_room_known(walkin, room)
    to_walkin = await d.send(alice, room, NON_PHI)
    from_walkin = await d.send(walkin, room, PHI)
    await d.wait_redacted(alice, room, to_walkin)
    await d.wait_redacted(alice, room, from_walkin)
    # Each block notice replies to the message it is about (Element shows the link).
    for removed in (to_walkin, from_walkin):
        notice = await wait_for(
            lambda removed=removed: d.notice_replying_to(alice, room, removed),
            timeout=15,
            message=f"no block notice replies to {removed}",
        )
        assert "not recognised as staff" in notice
    status = await d.command(f"!room status {room}")
    assert f"{walkin.user_id} (local account not recognised as staff: BAA None)" in status

    # Registered as a patient, the account is gated as one: non-PHI passes.
    await d.command(f"!patient add {walkin.user_id}")
    reminder = await d.send(alice, room, "Your visit is Tuesday at 10. #nophi")
    phi = await d.send(alice, room, PHI)
    await d.wait_redacted(alice, room, phi)
    assert not await d.is_redacted(alice, room, reminder)
