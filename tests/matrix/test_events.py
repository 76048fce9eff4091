"""Events checked once at the edge: whatever a member sends, a typed value or a reason."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.matrix.events import CUT, MAX_DEPTH, bounded, parse_event


def raw(content: Any, **fields: Any) -> dict[str, Any]:
    return {
        "event_id": "$e",
        "room_id": "!r:clinic.test",
        "sender": "@v:vendor.test",
        "type": "m.room.message",
        "origin_server_ts": 1,
        "content": content,
        **fields,
    }


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"msgtype": ["m.text"], "body": "x"}, "msgtype is not a string"),
        ({"msgtype": "m.text", "body": {"a": 1}}, "body is not a string"),
        ({"msgtype": "m.text"}, "body is missing"),
        ({"msgtype": "m.text", "body": "x", "m.relates_to": "x"}, "m.relates_to is not an object"),
        ({"msgtype": "m.text", "body": "x", "m.new_content": []}, "m.new_content is not an object"),
        (
            {"msgtype": "m.text", "body": "x", "m.new_content": {"msgtype": 5, "body": "y"}},
            "m.new_content.msgtype is not a string",
        ),
        (
            {"msgtype": "m.text", "body": "x", "m.relates_to": {"m.in_reply_to": "$x"}},
            "m.relates_to.m.in_reply_to has no event ID",
        ),
        ({"msgtype": "m.image", "body": "x", "url": 7}, "url is not a string"),
        ("just a string", "content is not an object"),
    ],
)
def test_wrong_shapes_are_named(content: Any, problem: str) -> None:
    event = parse_event(raw(content))
    assert event is not None
    assert event.malformed == problem
    assert event.is_media in (True, False)  # never raises, whatever msgtype holds
    assert event.relates_to is not None


def test_well_formed_message_is_not_malformed() -> None:
    event = parse_event(raw({"msgtype": "m.text", "body": "hello"}))
    assert event is not None and event.malformed is None


def test_deep_content_is_cut_without_recursion() -> None:
    deep: Any = "bottom"
    for _ in range(50_000):  # far past the interpreter's recursion limit
        deep = {"a": deep}
    event = parse_event(raw({"msgtype": "m.text", "body": "x", "deep": deep}))
    assert event is not None and event.malformed is not None
    assert "nested too deeply" in event.malformed
    node: Any = event.content["deep"]
    depth = 1
    while isinstance(node, dict):
        node, depth = node["a"], depth + 1
    assert node == CUT and depth <= MAX_DEPTH


def test_huge_numbers_and_surrogates_are_refused() -> None:
    event = parse_event(raw({"msgtype": "m.text", "body": "x", "n": 10**5000}))
    assert event is not None and event.malformed is not None
    assert event.content["n"] == CUT
    assert parse_event(raw({"msgtype": "m.text", "body": "x"}, sender="@\ud800:x")) is None
    state = parse_event(raw({"membership": "join"}, type="m.room.member", state_key=["@x"]))
    assert state is not None and state.state_key is None and state.malformed


def test_bounded_leaves_ordinary_content_alone() -> None:
    content = {"a": [1, {"b": "c"}]}
    assert bounded(content) == (content, False)
    assert bounded(content)[0] is content


def test_synapse_dummy_event_is_not_gated_unless_it_carries_content() -> None:
    """Synapse sends an empty org.matrix.dummy_event in a local member's name to merge
    forward extremities (seen after soft-failed federated events): nothing to gate, no notice
    about it. A client's own event of that type with content is gated like any other."""
    base = {"event_id": "$e", "room_id": "!r", "sender": "@alice:clinic.test"}
    dummy = parse_event({**base, "type": "org.matrix.dummy_event", "content": {}})
    assert dummy is not None and not dummy.is_gated_kind
    smuggled = parse_event(
        {**base, "type": "org.matrix.dummy_event", "content": {"body": "MRN 4481230"}}
    )
    assert smuggled is not None and smuggled.is_gated_kind
