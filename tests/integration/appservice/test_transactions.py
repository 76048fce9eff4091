"""The appservice's HTTP side: hs_token, idempotent transactions, failures that lose nothing."""

from __future__ import annotations

import uuid
from typing import Any

import aiohttp

from bridge.audit import AuditFilter

from ..harness.clients import wait_for
from .conftest import Deployment, sql


async def put_txn(d: Deployment, txn_id: str, body: Any, token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    url = f"{d.config.appservice.address}/_matrix/app/v1/transactions/{txn_id}"
    async with aiohttp.ClientSession() as s, s.put(url, json=body, headers=headers) as r:
        return r.status


def event(room: str, body: Any = "hello", **overrides: Any) -> dict[str, Any]:
    content = {"msgtype": "m.text", "body": body}
    return {
        "event_id": f"${uuid.uuid4().hex}",
        "room_id": room,
        "sender": "@bob:clinic.test",
        "type": "m.room.message",
        "origin_server_ts": 1_800_000_000_000,
        "content": content,
        **overrides,
    }


async def audited(d: Deployment, room: str) -> list[Any]:
    assert d.bridge.services
    return await d.bridge.services.audit.query(AuditFilter(room=room, limit=None))


async def test_hs_token_checked_on_every_request(deployment: Deployment) -> None:
    d = deployment
    room = "!tokens:clinic.test"
    body = {"events": [event(room)]}
    assert await put_txn(d, "t1", body, None) == 401
    assert await put_txn(d, "t1", body, "wrong-token") == 403
    assert await put_txn(d, "t1", body, d.config.appservice.as_token) == 403
    assert await audited(d, room) == []
    base = d.config.appservice.address
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{base}/_matrix/app/v1/users/@x:clinic.test") as r:
            assert r.status == 401
        async with s.get(
            f"{base}/_matrix/app/v1/users/@x:clinic.test",
            headers={"Authorization": "Bearer nope"},
        ) as r:
            assert r.status == 403
    assert await put_txn(d, "t1", body, d.config.appservice.hs_token) == 200
    assert len(await audited(d, room)) == 1


async def test_retried_transaction_is_not_processed_twice(deployment: Deployment) -> None:
    d = deployment
    room = "!retry:clinic.test"
    token = d.config.appservice.hs_token
    body = {"events": [event(room), event(room)]}
    assert await put_txn(d, "retry-1", body, token) == 200
    assert await put_txn(d, "retry-1", body, token) == 200
    assert len(await audited(d, room)) == 2
    # Synapse reuses transaction IDs after a restart: same ID, new events → processed.
    assert await put_txn(d, "retry-1", {"events": [event(room)]}, token) == 200
    assert len(await audited(d, room)) == 3
    # Remembered across a restart of the bridge.
    await d.restart_bridge()
    assert await put_txn(d, "retry-1", body, token) == 200
    assert len(await audited(d, room)) == 3


async def test_malformed_transactions_and_events(deployment: Deployment) -> None:
    d = deployment
    room = "!malformed:clinic.test"
    token = d.config.appservice.hs_token
    url = f"{d.config.appservice.address}/_matrix/app/v1/transactions/bad-json"
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession() as s, s.put(url, data=b"{not", headers=headers) as r:
        assert r.status == 400
    assert await put_txn(d, "bad-events", {"events": "nope"}, token) == 400
    broken = [
        {"type": "m.room.message", "room_id": room},  # no event ID, no sender
        "not an event",
        event(room, body=None),
        event(room, body=12345),
        event(room, content="not an object"),
        event(room, body="x" * 70_000),
        event(room, origin_server_ts="yesterday", state_key=7),
    ]
    assert await put_txn(d, "malformed", {"events": broken}, token) == 200
    records = await audited(d, room)
    # Every event that names the room is on the record, malformed ones included.
    assert len(records) == 6
    assert sum(1 for r in records if r.decision == "malformed") == 1


async def test_database_failure_is_retried_and_nothing_lost(deployment: Deployment) -> None:
    d = deployment
    alice = await d.user("alice")
    pat = await d.user("pat")
    await d.command(f"!patient add {pat.user_id}")
    room = await d.staff_room(alice, [pat.user_id])
    await pat.join_room(room)
    await d.wait_gate(alice, room, "gated")

    db = d.config.database
    await sql(db, "ALTER TABLE audit_record RENAME TO audit_record_away")
    try:
        phi = await d.send(alice, room, "Lab results for Jane Roe: A1C 9.2, MRN 4481230")
        # The transaction cannot be audited: the bridge answers an error and Synapse keeps
        # the event queued for a retry.
        assert d.bridge.services
        query = "SELECT count(*) FROM audit_record_away WHERE event_id = ?"
        assert await sql(db, query, phi) == [(0,)]
    finally:
        await sql(db, "ALTER TABLE audit_record_away RENAME TO audit_record")

    async def on_record() -> bool:
        return phi in await d.bridge.services.audit.has_events([phi])  # type: ignore[union-attr]

    await wait_for(on_record, timeout=40, message="the retried transaction never landed")
    await d.wait_redacted(alice, room, phi)
    [record] = [r for r in await audited(d, room) if r.event_id == phi]
    assert record.decision == "block" and record.category == "phi"
    report = await d.bridge.services.audit.verify()  # type: ignore[union-attr]
    assert report.ok
