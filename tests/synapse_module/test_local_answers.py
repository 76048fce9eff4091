"""The module answers "allow" from the room's own state only where PHI Gate's answer is sure
to be "allow" (every other send waits for PHI Gate). Room state is given as Synapse's
``ModuleApi.get_room_state`` returns it; the rest of the module is exercised against a real
Synapse in tests/integration/appservice/test_prepersist.py."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from phigate_synapse import GATE_STATE, PhiGateModule

BOT = "@phigate:clinic.test"
STAFF = "@alice:clinic.test"
PATIENT = "@pat:elsewhere.test"
ROOM = "!room:clinic.test"


@dataclass
class StateEvent:
    sender: str
    content: dict[str, Any]


@dataclass
class Event:
    type: str
    content: dict[str, Any]
    sender: str = STAFF
    room_id: str = ROOM


@dataclass
class RoomState:
    """What ``get_room_state`` answers: the room's current state, filtered."""

    events: dict[tuple[str, str], StateEvent] = field(default_factory=dict)

    async def get_room_state(
        self, room_id: str, wanted: list[tuple[str, str | None]]
    ) -> dict[tuple[str, str], StateEvent]:
        return {
            key: e
            for key, e in self.events.items()
            if any(t == key[0] and (k is None or k == key[1]) for t, k in wanted)
        }

    def register_spam_checker_callbacks(self, **_: Any) -> None:
        pass


def module(state: RoomState) -> PhiGateModule:
    config = {
        "url": "http://127.0.0.1:9",
        "secret": "s",
        "service_users": [BOT],
        "staff_domains": ["clinic.test"],
    }
    return PhiGateModule(config, state)  # type: ignore[arg-type]


def open_room(*, gate_sender: str = BOT, bot_level: int = 50, **gate: Any) -> RoomState:
    content = {
        "state": "open",
        "counterparties": [{"user_id": PATIENT, "kind": "patient", "status": "Active"}],
        **gate,
    }
    return RoomState(
        {
            (GATE_STATE, ""): StateEvent(gate_sender, content),
            ("m.room.power_levels", ""): StateEvent(STAFF, {"users": {BOT: bot_level, STAFF: 100}}),
            ("m.room.member", BOT): StateEvent(BOT, {"membership": "join"}),
            ("m.room.member", STAFF): StateEvent(STAFF, {"membership": "join"}),
            ("m.room.member", PATIENT): StateEvent(PATIENT, {"membership": "join"}),
        }
    )


TEXT = Event("m.room.message", {"msgtype": "m.text", "body": "hello"})


def allowed(state: RoomState, event: Event = TEXT) -> bool:
    return asyncio.run(module(state)._allowed_from_state(event))


def test_room_phigate_does_not_manage_is_answered_locally() -> None:
    assert allowed(RoomState())


def test_room_the_bot_is_invited_to_is_asked() -> None:
    state = RoomState({("m.room.member", BOT): StateEvent(STAFF, {"membership": "invite"})})
    assert not allowed(state)


def test_open_room_text_is_answered_locally() -> None:
    assert allowed(open_room())
    assert allowed(open_room(), Event("m.room.encrypted", {"ciphertext": "x"}))


@pytest.mark.parametrize(
    "state",
    [
        open_room(gate_sender=STAFF),  # not PHI Gate's own state
        open_room(bot_level=0),  # PHI Gate could not publish a change
        open_room(state="gated"),
        open_room(open_until=int(time.time() * 1000) - 1),  # an agreement may have expired
        open_room(counterparties=[]),  # a member the state does not account for
    ],
    ids=["foreign", "powerless", "gated", "expired", "unaccounted"],
)
def test_untrusted_or_closed_gate_is_asked(state: RoomState) -> None:
    assert not allowed(state)


@pytest.mark.parametrize(
    "event",
    [
        Event("m.room.message", {"msgtype": "m.image", "body": "x.png", "url": "mxc://a/b"}),
        Event("m.room.message", {"msgtype": "m.text", "body": "x", "file": {"url": "mxc://a"}}),
        Event(
            "m.room.message",
            {
                "msgtype": "m.text",
                "body": "* edit",
                "m.new_content": {"msgtype": "m.file", "body": "f", "url": "mxc://a/b"},
            },
        ),
        Event("m.sticker", {"body": "s", "url": "mxc://a/b"}),
        Event("m.room.message", {"msgtype": "m.text", "body": "x"}, sender="@eve:unknown.test"),
    ],
    ids=["image", "file-in-text", "edit-to-file", "sticker", "unlisted-sender"],
)
def test_attachments_and_strangers_in_open_rooms_are_asked(event: Event) -> None:
    assert not allowed(open_room(), event)
