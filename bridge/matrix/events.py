"""Events as they arrive in appservice transactions, checked once at the edge.

Past :func:`parse_event` nothing looks at raw JSON: a malformed event is either rejected here
(no event ID, room or sender) or reduced to safe defaults (content that is not an object is
empty content, which the classifier calls ``unknown``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MEDIA_MSGTYPES = frozenset({"m.image", "m.file", "m.audio", "m.video"})
# Events a person sends that carry no content of their own to gate.
NOT_GATED = frozenset({"m.room.redaction"})
_MAX_ID = 255


@dataclass(frozen=True, slots=True)
class MatrixEvent:
    event_id: str
    room_id: str
    sender: str
    type: str
    content: Mapping[str, Any]
    origin_server_ts: int
    state_key: str | None = None
    redacts: str | None = None
    unsigned: Mapping[str, Any] = field(default_factory=dict)

    def raw(self) -> dict[str, Any]:
        """The event as JSON again (for mautrix's typed events and the pending queue)."""
        raw: dict[str, Any] = {
            "event_id": self.event_id,
            "room_id": self.room_id,
            "sender": self.sender,
            "type": self.type,
            "content": dict(self.content),
            "origin_server_ts": self.origin_server_ts,
            "unsigned": dict(self.unsigned),
        }
        if self.state_key is not None:
            raw["state_key"] = self.state_key
        if self.redacts is not None:
            raw["redacts"] = self.redacts
        return raw

    def decrypted_as(self, event_type: str, content: Mapping[str, Any]) -> MatrixEvent:
        """The same event with its plaintext type and content (built directly: this runs
        for every encrypted event, and ``dataclasses.replace`` costs several times more)."""
        return MatrixEvent(
            self.event_id,
            self.room_id,
            self.sender,
            event_type,
            content,
            self.origin_server_ts,
            self.state_key,
            self.redacts,
            self.unsigned,
        )

    @property
    def is_state(self) -> bool:
        return self.state_key is not None

    @property
    def membership(self) -> str | None:
        if self.type != "m.room.member":
            return None
        value = self.content.get("membership")
        return value if isinstance(value, str) else None

    @property
    def is_media(self) -> bool:
        return self.type == "m.sticker" or (
            self.type == "m.room.message" and self.content.get("msgtype") in MEDIA_MSGTYPES
        )

    @property
    def is_gated_kind(self) -> bool:
        """A person's message-like event: everything but state, redactions and the like."""
        return not self.is_state and self.type not in NOT_GATED

    @property
    def relates_to(self) -> tuple[str | None, str | None]:
        """(rel_type, event_id) of an edit or thread, or ("m.in_reply_to", id) of a reply."""
        relation = self.content.get("m.relates_to")
        if not isinstance(relation, Mapping):
            return None, None
        reply = relation.get("m.in_reply_to")
        if isinstance(reply, Mapping) and isinstance(reply.get("event_id"), str):
            return "m.in_reply_to", reply["event_id"]
        rel_type, target = relation.get("rel_type"), relation.get("event_id")
        if isinstance(rel_type, str) and isinstance(target, str):
            return rel_type, target
        return None, None


def parse_event(raw: Any) -> MatrixEvent | None:
    """A typed event, or None when it lacks what any handling needs (ID, room, sender, type)."""
    if not isinstance(raw, Mapping):
        return None
    event_id, room_id, sender, type_ = (
        raw.get("event_id"),
        raw.get("room_id"),
        raw.get("sender"),
        raw.get("type"),
    )
    if not (_is_id(event_id) and _is_id(room_id) and _is_id(sender) and _is_id(type_)):
        return None
    content = raw.get("content")
    state_key = raw.get("state_key")
    redacts = raw.get("redacts")
    if not isinstance(redacts, str):
        redacts = content.get("redacts") if isinstance(content, Mapping) else None
    ts = raw.get("origin_server_ts")
    unsigned = raw.get("unsigned")
    return MatrixEvent(
        event_id=event_id,
        room_id=room_id,
        sender=sender,
        type=type_,
        content=content if isinstance(content, Mapping) else {},
        origin_server_ts=ts if isinstance(ts, int) and not isinstance(ts, bool) else 0,
        state_key=state_key if isinstance(state_key, str) else None,
        redacts=redacts if isinstance(redacts, str) else None,
        unsigned=unsigned if isinstance(unsigned, Mapping) else {},
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_ID
