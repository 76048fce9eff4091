"""The policy server's event format against Synapse's own implementation (installed for the
integration tests), and its /sign decisions, signatures and caching."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from signedjson.key import generate_signing_key, get_verify_key
from signedjson.sign import sign_json, verify_signed_json
from synapse.api.room_versions import KNOWN_ROOM_VERSIONS
from synapse.crypto.event_signing import add_hashes_and_signatures
from synapse.events import make_event_from_dict
from synapse.synapse_rust.events import redact_event_dict

from bridge.matrix.policy_server import (
    KEY_ID,
    PolicyServer,
    PolicyServerError,
    ServerKeys,
    content_hash_ok,
    event_id_of,
    load_signing_key,
    parse_x_matrix,
    redacted,
)
from bridge.matrix.prepersist import ALLOWED, Answer, Decision

ORIGIN_KEY = generate_signing_key("a1")


def pdu(
    room_version: str, event_type: str, content: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": event_type,
        "room_id": "!room" if int(room_version) >= 12 else "!room:vendor.test",
        "sender": "@rep:vendor.test",
        "content": content,
        "depth": 7,
        "prev_events": ["$prev"],
        "auth_events": ["$auth"],
        "origin_server_ts": 1_700_000_000_000,
        **extra,
    }
    if event_type == "m.room.create" and int(room_version) >= 12:
        # The room's first event: no room ID (its hash is the ID), nothing before it.
        del event["room_id"]
        event.update(prev_events=[], auth_events=[])
        event["content"] = {**content, "room_version": room_version}
    if int(room_version) < 11:
        event["origin"] = "vendor.test"
    if int(room_version) <= 2:
        event["event_id"] = "$abc:vendor.test"
        event["prev_events"] = [["$prev:vendor.test", {}]]
        event["auth_events"] = [["$auth:vendor.test", {}]]
    add_hashes_and_signatures(KNOWN_ROOM_VERSIONS[room_version], event, "vendor.test", ORIGIN_KEY)
    return event


SAMPLES = [
    ("m.room.message", {"msgtype": "m.text", "body": "hello"}, {}),
    ("m.room.encrypted", {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "x"}, {}),
    (
        "m.room.member",
        {
            "membership": "join",
            "displayname": "Rep",
            "join_authorised_via_users_server": "@a:clinic.test",
            "third_party_invite": {"signed": {"token": "t"}, "display_name": "x"},
        },
        {"state_key": "@rep:vendor.test"},
    ),
    ("m.room.create", {"creator": "@rep:vendor.test", "m.federate": True}, {"state_key": ""}),
    ("m.room.join_rules", {"join_rule": "restricted", "allow": [], "x": 1}, {"state_key": ""}),
    (
        "m.room.power_levels",
        {"ban": 50, "invite": 0, "users": {}, "notifications": {"room": 50}},
        {"state_key": ""},
    ),
    ("m.room.history_visibility", {"history_visibility": "joined", "x": 1}, {"state_key": ""}),
    ("m.room.redaction", {"redacts": "$x", "reason": "r"}, {"redacts": "$x"}),
]


@pytest.mark.parametrize("room_version", ["1", "3", "4", "6", "9", "10", "11", "12"])
@pytest.mark.parametrize(("event_type", "content", "extra"), SAMPLES)
def test_redaction_and_event_id_match_synapse(
    room_version: str, event_type: str, content: dict[str, Any], extra: dict[str, Any]
) -> None:
    event = pdu(room_version, event_type, content, **extra)
    version = KNOWN_ROOM_VERSIONS[room_version]
    assert redacted(event, room_version) == redact_event_dict(version, copy.deepcopy(event))
    assert event_id_of(event, room_version) == make_event_from_dict(event, version).event_id
    assert content_hash_ok(event)
    assert not content_hash_ok({**event, "content": {**content, "body": "changed"}})


def test_x_matrix_header_parsed_quoted_or_not() -> None:
    header = parse_x_matrix(
        'X-Matrix origin=vendor.test,destination="clinic.test",key="ed25519:a1",sig="c2ln"'
    )
    assert (header.origin, header.destination, header.key, header.sig) == (
        "vendor.test",
        "clinic.test",
        "ed25519:a1",
        "c2ln",
    )
    with pytest.raises(PolicyServerError):
        parse_x_matrix("Bearer abc")


class Decider:
    def __init__(self, answer: Decision) -> None:
        self.answer = answer
        self.asked: list[str] = []

    async def __call__(self, event: dict[str, Any]) -> Decision:
        self.asked.append(event["event_id"])
        return self.answer


def server(tmp_path: Path, decide: Decider) -> PolicyServer:
    async def room_version(room_id: str) -> str:
        return "12"

    async def no_fetch(server: str) -> dict[str, Any]:
        raise AssertionError("no key fetch expected")

    return PolicyServer(
        server_name="clinic.test",
        key=load_signing_key(tmp_path / "policy-server.key", create=True),
        keys=ServerKeys(no_fetch, clock=lambda: 0),
        decide=decide,
        room_version=room_version,
        timeout_seconds=5,
    )


async def test_allowed_event_signed_over_its_redacted_form_and_cached(tmp_path: Path) -> None:
    decide = Decider(ALLOWED)
    policy = server(tmp_path, decide)
    assert (tmp_path / "policy-server.key").stat().st_mode & 0o777 == 0o600
    event = pdu("12", "m.room.message", {"msgtype": "m.text", "body": "hi"})
    answer = await policy.sign(event)
    assert answer.status == 200
    signature = answer.body["clinic.test"][KEY_ID]
    signed = redacted(event, "12")
    signed["signatures"] = {"clinic.test": {KEY_ID: signature}}
    key = load_signing_key(tmp_path / "policy-server.key", create=False)
    verify_signed_json(signed, "clinic.test", get_verify_key(key))
    # Asked again (a backfill): the same answer, not a second decision.
    assert (await policy.sign(event)).body == answer.body
    assert decide.asked == [event_id_of(event, "12")]


async def test_an_arriving_event_carries_the_signature_only_if_signed(tmp_path: Path) -> None:
    """What the practice's server checks on arrival: the signature /sign gave, verified
    (not merely present), on the event as it arrives (with its event ID and unsigned)."""
    policy = server(tmp_path, Decider(ALLOWED))
    event = pdu("12", "m.room.message", {"msgtype": "m.text", "body": "hi"})
    answer = await policy.sign(event)
    arrived = copy.deepcopy(event)
    arrived.setdefault("signatures", {})["clinic.test"] = answer.body["clinic.test"]
    arrived["event_id"] = event_id_of(event, "12")
    arrived["unsigned"] = {"age_ts": 1}
    assert await policy.carries_signature(arrived)
    assert not await policy.carries_signature({**arrived, "signatures": {}})
    forged = copy.deepcopy(arrived)
    forged["signatures"]["clinic.test"][KEY_ID] = answer.body["clinic.test"][KEY_ID][::-1]
    assert not await policy.carries_signature(forged)
    edited = copy.deepcopy(arrived)
    edited["origin_server_ts"] += 1  # covered by the signature over the redacted event
    assert not await policy.carries_signature(edited)


async def test_refused_event_answered_with_the_reason(tmp_path: Path) -> None:
    policy = server(tmp_path, Decider(Decision(Answer(False, "no BAA with acme"))))
    answer = await policy.sign(pdu("12", "m.room.message", {"msgtype": "m.text", "body": "PHI"}))
    assert answer.status == 403
    assert answer.body == {"errcode": "M_FORBIDDEN", "error": "no BAA with acme"}


async def test_content_not_matching_its_hash_is_never_judged(tmp_path: Path) -> None:
    decide = Decider(ALLOWED)
    policy = server(tmp_path, decide)
    event = pdu("12", "m.room.message", {"msgtype": "m.text", "body": "harmless"})
    event["content"] = {"msgtype": "m.text", "body": "something else"}
    with pytest.raises(PolicyServerError):
        await policy.sign(event)
    assert decide.asked == []


async def test_server_keys_need_the_origins_own_signature() -> None:
    verify = get_verify_key(ORIGIN_KEY)
    from unpaddedbase64 import encode_base64

    entry = {
        "server_name": "vendor.test",
        "verify_keys": {"ed25519:a1": {"key": encode_base64(verify.encode())}},
        "valid_until_ts": 10**13,
    }
    good = sign_json(copy.deepcopy(entry), "vendor.test", ORIGIN_KEY)
    forged = sign_json(copy.deepcopy(entry), "vendor.test", generate_signing_key("a1"))

    async def answer(body: dict[str, Any]) -> Any:
        async def fetch(server: str) -> dict[str, Any]:
            return body

        return fetch

    keys = ServerKeys(await answer({"server_keys": [good]}), clock=lambda: 0)
    assert (await keys.key("vendor.test", "ed25519:a1")).encode() == verify.encode()
    keys = ServerKeys(await answer({"server_keys": [forged]}), clock=lambda: 0)
    with pytest.raises(PolicyServerError):
        await keys.key("vendor.test", "ed25519:a1")
