"""The harness itself against a real Synapse: E2EE between two nio clients, a homeserver
restart, and an appservice registration being honoured."""

from __future__ import annotations

from pathlib import Path

from nio import MegolmEvent, RoomMessageText

from bridge.demo.client import SyncedEvent

from .conftest import ClientFactory, SynapseFactory
from .harness.clients import wait_for
from .harness.synapse import SynapseServer, write_silent_appservice


async def test_e2ee_message_and_restart(synapse: SynapseServer, nio_client: ClientFactory) -> None:
    synapse.register_user("alice")
    bob_id, _ = synapse.register_user("bob")
    alice = await nio_client(synapse, "alice")
    bob = await nio_client(synapse, "bob")

    room_id = await alice.create_room(encrypted=True, invite=[bob_id])
    # Room version 12: room ids carry no server part.
    assert ":" not in room_id

    await bob.wait_event(lambda e: e.kind == "invite" and e.room_id == room_id)
    await bob.join_room(room_id)
    # Alice must see Bob's join (and fetch his device keys) before sharing the session.
    await alice.wait(
        lambda: room_id in alice.rooms and bob_id in alice.rooms[room_id].users,
        10,
        "never saw bob join",
    )

    sent = await alice.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": "hello bob"},
        ignore_unverified_devices=True,
    )
    event_id = sent.event_id

    def decrypted(e: SyncedEvent) -> bool:
        return isinstance(e.event, RoomMessageText) and e.event.event_id == event_id

    got = await bob.wait_event(decrypted, what="bob never decrypted alice's message")
    assert got.event.body == "hello bob"
    assert not isinstance(got.event, MegolmEvent)

    # The server only ever saw ciphertext.
    raw = await bob.event(room_id, event_id)
    assert raw["type"] == "m.room.encrypted"
    assert "hello bob" not in str(raw)
    assert any(e["event_id"] == event_id for e in await bob.messages(room_id, 10))

    # Same port, same data: the clients carry on without logging in again.
    await synapse.restart_async()
    print(f"\n[harness] restart took {synapse.startup_seconds:.2f} s")
    await bob.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": "after restart"},
        ignore_unverified_devices=True,
    )
    got = await alice.wait_event(
        lambda e: isinstance(e.event, RoomMessageText) and e.event.body == "after restart",
        what="alice could not sync a message after the restart",
    )
    assert got.room_id == room_id


async def test_client_relogin_reuses_device(
    synapse: SynapseServer, nio_client: ClientFactory
) -> None:
    synapse.register_user("carol")
    first = await nio_client(synapse, "carol")
    device_id = first.device_id
    assert first.olm is not None
    identity = first.olm.account.identity_keys
    await first.close()

    again = await nio_client(synapse, "carol")
    assert again.device_id == device_id
    # The olm account came back from the store: no new identity keys to upload.
    assert not again.should_upload_keys
    assert again.olm is not None and again.olm.account.identity_keys == identity


async def test_wait_for_fails_with_message() -> None:
    calls = 0

    def never() -> bool:
        nonlocal calls
        calls += 1
        return False

    try:
        await wait_for(never, timeout=0.2, interval=0.01, message="never true")
    except AssertionError as err:
        assert "never true" in str(err)
    else:
        raise AssertionError("wait_for did not time out")
    assert calls > 1

    async def soon() -> str:
        return "done"

    assert await wait_for(soon) == "done"
    assert await wait_for(soon()) == "done"


def test_appservice_registration(synapse_factory: SynapseFactory, tmp_path: Path) -> None:
    reg_path = tmp_path / "registration.yaml"
    as_token = write_silent_appservice(reg_path, "phigate-test")

    server = synapse_factory(app_service_config_files=[reg_path])
    whoami = server.api("GET", "/_matrix/client/v3/account/whoami", token=as_token)
    assert whoami["user_id"] == "@phigate-sender:clinic.test"

    # The lazily made admin can use the admin API. (The appservice's sender is no row in
    # Synapse's users table: the admin API answers 404 for it.)
    admin_id, admin_token = server.admin_user
    assert server.api("GET", f"/_synapse/admin/v2/users/{admin_id}", token=admin_token)["admin"]
    server.api(
        "GET",
        "/_synapse/admin/v2/users/@phigate-sender:clinic.test",
        token=server.admin_token,
        expect=(404,),
    )

    # The namespace is exclusive: ordinary registration may not take it.
    err = server.api(
        "POST",
        "/_matrix/client/v3/register",
        {"username": "phigate-bot", "password": "pw", "auth": {"type": "m.login.dummy"}},
        expect=(400,),
    )
    assert err["errcode"] == "M_EXCLUSIVE"
