"""A remote vendor's BAA expiring by itself: the gate closes at the expiry instant on both
servers. Two real Synapses federating on loopback, real nio E2EE clients on both, PHI Gate
the room's policy server; the expiry is the product's own timer (set for the soonest
expiry, no polling interval), so nothing here moves a clock or sleeps."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from nio import RoomSendError

from bridge.audit import AuditFilter, RecordKind
from bridge.policy.gate import GatedAction

from ..appservice.test_gate import NON_PHI, PHI
from ..appservice.test_prepersist import messages_received, send_encrypted
from ..harness.clients import wait_for
from .conftest import Federation
from .test_remote_vendor import caught_up, remote_vendor_room

# How long the BAA stays Active: enough for PHI to cross both ways on a loaded 2-core
# machine before it expires (the phase is checked to have ended in time, never assumed).
ACTIVE_FOR = timedelta(seconds=10)
# "At once": the gate state must be published within this of the expiry instant (the timer
# fires at the instant; this only absorbs a loaded machine).
AT_ONCE_MS = 10_000
REP_PHI = "Claim updated for DOB 03/14/1962"
REP_NON_PHI = "Remittance batch 42 is posted."


def now_ms() -> int:
    return int(time.time() * 1000)


async def test_remote_vendors_baa_expiry_closes_the_gate_at_once(policed: Federation) -> None:
    f = policed
    d = f.d
    # The gate's lenient setting (policy.vendor_without_active_baa: block_phi), so that a
    # closed gate still lets non-PHI through: the default, block_all, refuses everything.
    lenient = replace(
        d.config, policy=replace(d.config.policy, vendor_without_active_baa=GatedAction.BLOCK_PHI)
    )
    await d.restart_bridge(lenient)
    assert d.bridge.policy_server is not None and d.bridge.services is not None
    alice, rep, room = await remote_vendor_room(f)
    for state in ("Staging", "Pending"):
        await d.applied(f"!baa set acme {state}")
    expiry = datetime.now(UTC).replace(microsecond=0) + ACTIVE_FOR
    expiry_ms = int(expiry.timestamp() * 1000)
    assert "Active" in await d.applied(f"!baa set acme Active expires={expiry:%Y-%m-%dT%H:%M:%SZ}")
    opened = await d.wait_gate(alice, room, "open")
    assert opened.get("open_until") == expiry_ms  # for the module while PHI Gate is away
    # The room closes within a minute (bridge.matrix.expiry.AHEAD_MS), so PHI Gate names
    # itself the policy server while it is still open: vendor.test knows before the instant.
    keys = {"ed25519": d.bridge.policy_server.public_key}
    await wait_for(
        lambda: (f.policy_on_vendor(room) or {}).get("public_keys") == keys,
        timeout=(expiry_ms - now_ms()) / 1000,
        message="vendor.test did not know the closing room's policy server before the expiry",
    )
    print(f"\n[expiry] vendor.test knows the policy server {expiry_ms - now_ms()} ms before")

    # Active: PHI crosses both ways, encrypted, before the expiry.
    await d.send(alice, room, PHI)
    await d.send(rep, room, REP_PHI)
    left = (expiry_ms - now_ms()) / 1000
    await wait_for(
        lambda: messages_received(rep, alice.user_id, room) == 1,
        timeout=left,
        message="the rep never received staff's PHI while the BAA was Active",
    )
    await wait_for(
        lambda: messages_received(alice, rep.user_id, room) == 1,
        timeout=(expiry_ms - now_ms()) / 1000,
        message="staff never received the rep's PHI while the BAA was Active",
    )
    active_ended = now_ms()
    assert active_ended < expiry_ms, "the Active phase outlasted the BAA: raise ACTIVE_FOR"
    print(f"[expiry] Active phase done {expiry_ms - active_ended} ms before the expiry")
    # vendor.test asked PHI Gate, which allowed the rep's PHI while the BAA was Active.
    assert f.proxy.policy_requests > 0, "vendor.test never asked PHI Gate while Active"

    # Nobody does anything: at the expiry instant the gate state changes by itself.
    async def closed() -> dict | None:
        gate = await d.gate_state(alice, room)
        return gate if gate and gate.get("state") == "gated" else None

    gate = await wait_for(
        closed,
        timeout=(expiry_ms - now_ms()) / 1000 + 60,
        interval=0.2,
        message="the gate never closed at the expiry",
    )
    assert [(c["user_id"], c["agreement"], c["status"]) for c in gate["counterparties"]] == [
        (rep.user_id, "acme", "Expired")
    ]
    lag = gate["updated_at"] - expiry_ms
    print(f"[expiry] gate closed {lag} ms after the expiry instant")
    assert 0 <= lag < AT_ONCE_MS, lag
    # The room is told, on both servers.
    told = "the BAA of vendor acme is Expired"
    for member in (alice, rep):
        await wait_for(
            lambda member=member: d.noticed(member, room, told),
            timeout=30,
            message=f"{member.user_id} was never told the gate closed",
        )
    # The control room is told, with what to do about it.
    admin = await d.admin()
    await wait_for(
        lambda: d.noticed(admin, d.control_room, "The BAA of vendor acme expired"),
        timeout=30,
        message="the control room was never told the BAA expired",
    )

    # Staff's PHI: refused before it is stored, so it never reaches vendor.test or the rep.
    refused = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(refused, RoomSendError), refused
    assert refused.status_code == "M_FORBIDDEN"
    assert told in refused.message
    # The rep's PHI: refused by vendor.test itself, on PHI Gate's answer.
    asked = f.proxy.policy_requests
    refused = await send_encrypted(d, rep, room, {"msgtype": "m.text", "body": REP_PHI})
    assert isinstance(refused, RoomSendError), refused
    assert told in refused.message
    assert f.proxy.policy_requests > asked, "vendor.test never asked PHI Gate"

    # Non-PHI still flows both ways.
    await d.send(alice, room, NON_PHI)
    await d.send(rep, room, REP_NON_PHI)
    await wait_for(
        lambda: messages_received(rep, alice.user_id, room) == 2,
        timeout=30,
        message="the rep never received staff's non-PHI after the expiry",
    )
    await wait_for(
        lambda: messages_received(alice, rep.user_id, room) == 2,
        timeout=30,
        message="staff never received the rep's non-PHI after the expiry",
    )
    # Nothing refused is stored anywhere: two messages each way (the Active PHI and the
    # non-PHI) on both servers, and nothing more in either client's /sync.
    await caught_up(f, alice, room, f.vendor)
    assert f.messages_stored_on(f.vendor, alice.user_id, room) == 2
    assert f.messages_stored_on(f.vendor, rep.user_id, room) == 2
    assert f.messages_stored_on(d.synapse, rep.user_id, room) == 2
    assert messages_received(rep, alice.user_id, room) == 2
    assert messages_received(alice, rep.user_id, room) == 2

    # The audit record: PHI Gate recorded Active → Expired at the instant, and the gate closing.
    audit = d.bridge.services.audit
    transitions = await audit.query(
        AuditFilter(vendor="acme", kind=RecordKind.TRANSITION, limit=None), with_content=True
    )
    expired = [r for r in transitions if r.reason == "Active → Expired"]
    assert len(expired) == 1, [r.reason for r in transitions]
    record = expired[0]
    assert record.sender == d.bot and record.decision == "applied"
    assert record.content["reason"] == "expiry date passed"
    assert record.content["expires_ms"] == expiry_ms
    assert 0 <= record.recorded_ts - expiry_ms < AT_ONCE_MS
    system = await audit.query(AuditFilter(room=room, kind=RecordKind.SYSTEM, limit=None))
    closings = [r for r in system if r.reason == "gate open → gated"]
    assert len(closings) == 1, [r.reason for r in system]
    assert closings[0].recorded_ts == gate["updated_at"]
    assert [(c.agreement, c.status) for c in closings[0].counterparties] == [("acme", "Expired")]
