"""Nothing a room member sends can stop the gate: malformed events, hostile transactions,
concurrent deliveries of one transaction. Real Synapse, real bridge, real E2EE clients."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.audit import RecordKind

from ..harness.clients import wait_for
from .conftest import Deployment
from .test_gate import PHI, gated_vendor_room
from .test_transactions import audited, event, put_txn

# Wrong-typed fields a member can get past Synapse in an ordinary m.room.message.
POISON: list[dict[str, Any]] = [
    {"msgtype": ["m.text"], "body": "hello"},
    {"msgtype": "m.text", "body": {"not": "a string"}},
    {"msgtype": "m.text", "body": "edit", "m.new_content": "not an object"},
    {"msgtype": "m.text", "body": "reply", "m.relates_to": {"m.in_reply_to": ["$x"]}},
]


async def test_poison_events_through_synapse_do_not_stall_the_gate(
    deployment: Deployment,
) -> None:
    """A vendor sends wrong-typed events, end-to-end encrypted (Synapse checks some fields of a
    plaintext message, but cannot read an encrypted one: the bot's device decrypts exactly
    what the hostile client wrote) and one in plaintext; the PHI sent right after is still
    blocked at once, and every one of them is on the audit record."""
    d = deployment
    alice, rep, room = await gated_vendor_room(d)
    poison_ids = []
    for content in POISON:
        response = await rep.room_send(
            room, "m.room.message", content, ignore_unverified_devices=True
        )
        poison_ids.append(getattr(response, "event_id", None))
    assert all(poison_ids), poison_ids
    # Plaintext: a field Synapse does not check, of the wrong type.
    status, body = await rep.raw_request(
        "PUT",
        f"/_matrix/client/v3/rooms/{room}/send/m.room.message/poison",
        {"msgtype": "m.text", "body": "x", "m.relates_to": "not an object"},
    )
    assert status == 200, body
    poison_ids.append(body["event_id"])
    sent = time.monotonic()
    phi = await d.send(rep, room, PHI)
    await d.wait_redacted(alice, room, phi)
    elapsed = time.monotonic() - sent
    assert d.bridge.server is not None and d.bridge.server.failed_transactions == 0

    records = {r.event_id: r for r in await audited(d, room) if r.kind is RecordKind.EVENT}
    assert records[phi].decision == "block"
    for event_id in poison_ids:
        record = records[event_id]
        # Gated room: what PHI Gate cannot read is blocked, and the record says why.
        assert record.decision == "block", record
        assert "malformed" in (record.reason or ""), record
        await d.wait_redacted(alice, room, event_id)
    print(f"poison → next PHI redacted in {elapsed:.2f} s")


async def test_undecodable_transaction_bodies_are_answered(deployment: Deployment) -> None:
    """A body nested 10,000 deep (past the stdlib parser's limit) is handled, not a 500."""
    d = deployment
    room = "!deep:clinic.test"
    poisoned = event(room, body="nested")
    after = event(room, body="next")
    # Written by hand: the stdlib encoder cannot write it either.
    poisoned["content"]["x"] = "@DEEP@"
    deep = '{"a":' * 10_000 + '"bottom"' + "}" * 10_000
    body = json.dumps({"events": [poisoned, after]}).replace('"@DEEP@"', deep)
    url = f"{d.config.appservice.address}/_matrix/app/v1/transactions/deep1"
    headers = {
        "Authorization": f"Bearer {d.config.appservice.hs_token}",
        "Content-Type": "application/json",
    }
    async with aiohttp.ClientSession() as s, s.put(url, data=body, headers=headers) as r:
        assert r.status == 200
    records = {r.event_id: r for r in await audited(d, room)}
    assert "malformed" in (records[poisoned["event_id"]].reason or "")
    assert after["event_id"] in records
    # The token is read from the Authorization header only (a query string is logged).
    url = f"{d.config.appservice.address}/_matrix/app/v1/transactions/q1"
    async with (
        aiohttp.ClientSession() as s,
        s.put(url, json={"events": []}, params={"access_token": d.config.appservice.hs_token}) as r,
    ):
        assert r.status == 401


async def test_concurrent_deliveries_of_one_transaction_record_each_event_once(
    deployment: Deployment,
) -> None:
    d = deployment
    room = "!concurrent:clinic.test"
    events = [event(room, body=f"message {i}") for i in range(5)]
    body = {"events": events}
    token = d.config.appservice.hs_token
    statuses = await asyncio.gather(*(put_txn(d, "same-txn", body, token) for _ in range(10)))
    assert statuses == [200] * 10
    records = await audited(d, room)
    assert sorted(r.event_id for r in records) == sorted(e["event_id"] for e in events)


def _json() -> st.SearchStrategy[Any]:
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


def _hostile_event(room: str, sender: str) -> st.SearchStrategy[dict[str, Any]]:
    """Real event shapes with arbitrary JSON in any field."""
    shapes = {
        "m.room.message": {
            "msgtype": "m.text",
            "body": "hi",
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$e"},
            "m.new_content": {"msgtype": "m.text", "body": "hi"},
        },
        "m.room.encrypted": {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgA",
            "session_id": "s",
            "device_id": "D",
            "sender_key": "k",
        },
        "m.sticker": {"body": "s", "url": "mxc://clinic.test/x", "info": {"mimetype": "image/png"}},
        "m.reaction": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$e", "key": "👍"}},
        "m.room.member": {"membership": "join"},
        "m.room.power_levels": {"users": {sender: 100}, "redact": 50},
        "m.room.history_visibility": {"history_visibility": "shared"},
        "m.room.redaction": {"redacts": "$e"},
    }

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        type_ = draw(st.sampled_from(sorted(shapes)))
        content: Any = dict(shapes[type_])
        for key in draw(st.lists(st.sampled_from([*sorted(content), "extra"]), max_size=3)):
            content[key] = draw(_json())
        if draw(st.integers(0, 9)) == 0:
            content = draw(_json())
        raw: dict[str, Any] = {
            "event_id": f"${uuid.uuid4().hex}",
            "room_id": room,
            "sender": sender,
            "type": type_,
            "origin_server_ts": 1_800_000_000_000,
            "content": content,
        }
        if type_.startswith("m.room.") and type_ not in (
            "m.room.message",
            "m.room.encrypted",
            "m.room.redaction",
        ):
            raw["state_key"] = sender if type_ == "m.room.member" else ""
        for key in draw(
            st.lists(
                st.sampled_from(["state_key", "unsigned", "origin_server_ts", "redacts"]),
                max_size=2,
            )
        ):
            raw[key] = draw(_json())
        return raw

    return build()


async def test_arbitrary_json_in_real_event_shapes_never_fails_a_transaction(
    deployment: Deployment,
) -> None:
    """Property: whatever the fields hold, the transaction is answered 200 and each event is
    recorded exactly once. Pushed into a gated room the bot manages, as Synapse would."""
    d = deployment
    _, rep, room = await gated_vendor_room(d)
    loop = asyncio.get_running_loop()
    token = d.config.appservice.hs_token

    def run(coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=60)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(st.lists(_hostile_event(room, rep.user_id), min_size=1, max_size=4))
    def check(events: list[dict[str, Any]]) -> None:
        assert run(put_txn(d, uuid.uuid4().hex, {"events": events}, token)) == 200
        records = run(audited(d, room))
        for raw in events:
            mine = [
                r for r in records if r.event_id == raw["event_id"] and r.kind is RecordKind.EVENT
            ]
            assert len(mine) == 1, (raw, mine)

    await asyncio.to_thread(check)
    assert d.bridge.server is not None and d.bridge.server.failed_transactions == 0
    # And the gate still works after all that.
    alice = await d.user("alice")
    await wait_for(lambda: d.managed(room), timeout=5, message="room no longer managed")
    phi = await d.send(alice, room, PHI)
    await d.wait_redacted(alice, room, phi)
