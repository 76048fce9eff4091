"""Events as they arrive in appservice transactions, checked once at the edge.

Past :func:`parse_event` nothing looks at raw JSON: an event without an ID, room, sender or
type is rejected here; any other field of the wrong shape (a list where a string belongs, a
string where an object belongs, content nested deeper than any client writes) makes the event
*malformed*: it keeps safe defaults, carries the reason in :attr:`MatrixEvent.malformed`, and
the gate treats it like an event it cannot read (blocked in a gated room). A member can send
anything through the homeserver; nothing they send may stop the gate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MEDIA_MSGTYPES = frozenset({"m.image", "m.file", "m.audio", "m.video"})
# Events a person sends that carry no content of their own to gate.
NOT_GATED = frozenset({"m.room.redaction"})
# Synapse sends this, empty, in a local member's name to merge a room's forward extremities
# (e.g. after soft-failed federated events); it carries nothing to gate. With content it is
# a client's own event like any other.
DUMMY_EVENT = "org.matrix.dummy_event"
_MAX_ID = 255
# No client nests event content this deep; JSON deeper than this would reach Python's
# recursion limit in json.dumps, the classifier or mautrix. Deeper parts are cut off, and so
# are integers too long to print (Python refuses to turn past 4,300 digits into text; Matrix
# allows 2^53 at most).
MAX_DEPTH = 32
MAX_INT_BITS = 64
CUT = "[PHI Gate: cut here, nested too deeply or a number out of range]"
UNBOUNDED = "content is nested too deeply or holds a number out of range"
# Fields of a message-like event's content whose JSON type the gate relies on.
_STRING_FIELDS = ("msgtype", "body", "format", "formatted_body", "filename", "url")
_OBJECT_FIELDS = ("m.relates_to", "m.new_content", "info", "file")


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
    # Why the event cannot be read as its type says (None: well-formed).
    malformed: str | None = None

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
        """The same event with its plaintext type and content, checked like any pushed
        event's (built directly: this runs for every encrypted event, and
        ``dataclasses.replace`` costs several times more)."""
        content, too_deep = bounded(content)
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
            UNBOUNDED if too_deep else _content_problem(event_type, content),
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
        return self.attachment is not None

    @property
    def attachment(self) -> Mapping[str, Any] | None:
        """The part of the content that is an attachment, wherever it is: a sticker, a media
        message, or an edit whose new content is a media message (checked like any other:
        an edit may swap a picture in). One definition of "media" for the whole gate."""
        if self.type == "m.sticker":
            return self.content
        if self.type != "m.room.message":
            return None
        if _is_media_part(self.content):
            return self.content
        new_content = self.content.get("m.new_content")
        if isinstance(new_content, Mapping) and _is_media_part(new_content):
            return new_content
        return None

    @property
    def is_gated_kind(self) -> bool:
        """A person's message-like event: everything but state, redactions and the like."""
        if self.type == DUMMY_EVENT and not self.content:
            return False
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
    content, too_deep = bounded(raw.get("content"))
    state_key = raw.get("state_key")
    redacts = raw.get("redacts")
    if not isinstance(redacts, str):
        redacts = content.get("redacts") if isinstance(content, Mapping) else None
    ts = raw.get("origin_server_ts")
    unsigned, _ = bounded(raw.get("unsigned"))
    problem = UNBOUNDED if too_deep else None
    if not isinstance(content, Mapping):
        problem = problem or "content is not an object"
    elif problem is None:
        problem = _content_problem(type_, content)
    if state_key is not None and not _is_text(state_key):
        problem, state_key = problem or "state_key is not a string", None
    if redacts is not None and not _is_text(redacts):
        problem, redacts = problem or "redacts is not an event ID", None
    return MatrixEvent(
        event_id=event_id,
        room_id=room_id,
        sender=sender,
        type=type_,
        content=content if isinstance(content, Mapping) else {},
        origin_server_ts=ts if type(ts) is int and 0 <= ts < 2**63 else 0,
        state_key=state_key if isinstance(state_key, str) else None,
        redacts=redacts if isinstance(redacts, str) else None,
        unsigned=unsigned if isinstance(unsigned, Mapping) else {},
        malformed=problem,
    )


def _is_media_part(part: Mapping[str, Any]) -> bool:
    msgtype = part.get("msgtype")
    return isinstance(msgtype, str) and msgtype in MEDIA_MSGTYPES


def _is_id(value: Any) -> bool:
    return _is_text(value) and 0 < len(value) <= _MAX_ID


def _is_text(value: Any) -> bool:
    """A string that can be stored: JSON lets a lone surrogate through, UTF-8 does not."""
    if not isinstance(value, str):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def bounded(value: Any) -> tuple[Any, bool]:
    """``value`` with every part deeper than :data:`MAX_DEPTH` replaced by :data:`CUT`, and
    whether anything was cut."""
    return bounded_to(value, MAX_DEPTH)


def bounded_to(value: Any, max_depth: int) -> tuple[Any, bool]:
    """``value`` with every part deeper than ``max_depth`` replaced by :data:`CUT`, and
    whether anything was cut. Iterative: the input may be nested far past the recursion limit.
    Well-formed content (the usual case) is returned as it is, not copied."""
    if not isinstance(value, dict | list):
        return (CUT, True) if _huge(value) else (value, False)
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                if depth >= max_depth:
                    return _cut(value, max_depth), True
                stack.append((child, depth + 1))
            elif type(child) is int and _huge(child):
                return _cut(value, max_depth), True
    return value, False


def _huge(value: Any) -> bool:
    return type(value) is int and value.bit_length() > MAX_INT_BITS


def _cut(value: Any, max_depth: int) -> Any:
    """A copy of ``value`` cut at ``max_depth`` (iterative, like :func:`bounded_to`)."""
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any, int]] = [(value, root, 1)]
    while stack:
        source, target, depth = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, child in items:
            if isinstance(child, dict | list):
                if depth >= max_depth:
                    copy: Any = CUT
                else:
                    copy = {} if isinstance(child, dict) else []
                    stack.append((child, copy, depth + 1))
            else:
                copy = CUT if _huge(child) else child
            if isinstance(target, dict):
                target[key] = copy
            else:
                target.append(copy)
    return root


def _content_problem(event_type: str, content: Mapping[str, Any]) -> str | None:
    """What is wrong with the shape of a message-like event's content, in words, or None."""
    if event_type not in ("m.room.message", "m.sticker"):
        if event_type == "m.room.member" and not isinstance(content.get("membership"), str):
            return "membership is not a string"
        return None
    if event_type == "m.room.message":
        for key in ("msgtype", "body"):
            if key not in content:
                return f"{key} is missing"
    problem = _part_problem(content, "")
    if problem is None and isinstance(content.get("m.new_content"), Mapping):
        problem = _part_problem(content["m.new_content"], "m.new_content.")
    if problem is None and isinstance(content.get("m.relates_to"), Mapping):
        relation = content["m.relates_to"]
        for key in ("rel_type", "event_id", "key"):
            if key in relation and not isinstance(relation[key], str):
                return f"m.relates_to.{key} is not a string"
        reply = relation.get("m.in_reply_to")
        if reply is not None and not (
            isinstance(reply, Mapping) and isinstance(reply.get("event_id"), str)
        ):
            return "m.relates_to.m.in_reply_to has no event ID"
    return problem


def _part_problem(part: Mapping[str, Any], prefix: str) -> str | None:
    for key in _STRING_FIELDS:
        if key in part and not isinstance(part[key], str):
            return f"{prefix}{key} is not a string"
    for key in _OBJECT_FIELDS:
        if key in part and not isinstance(part[key], Mapping):
            return f"{prefix}{key} is not an object"
    return None
