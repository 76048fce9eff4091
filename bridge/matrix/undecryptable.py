"""Encrypted events PHI Gate never decrypted, counted per room and sender's device (for
`!room status`: a device that never shares its keys shows up here)."""

from __future__ import annotations

from collections.abc import Mapping

from bridge.matrix.events import MatrixEvent


class UndecryptableCounts:
    def __init__(self) -> None:
        # room → "sender|device" → count
        self._counts: dict[str, dict[str, int]] = {}

    def load(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        """At start, from the durable queue of events awaiting their key."""
        self._counts = {room: dict(per_room) for room, per_room in counts.items()}

    def add(self, event: MatrixEvent) -> None:
        per_room = self._counts.setdefault(event.room_id, {})
        key = _key(event)
        per_room[key] = per_room.get(key, 0) + 1

    def remove(self, event: MatrixEvent) -> None:
        per_room = self._counts.get(event.room_id, {})
        key = _key(event)
        if per_room.get(key, 0) > 1:
            per_room[key] -= 1
        else:
            per_room.pop(key, None)

    def in_room(self, room_id: str) -> dict[str, int]:
        return dict(self._counts.get(room_id, {}))


def _key(event: MatrixEvent) -> str:
    device = event.content.get("device_id")
    return f"{event.sender}|{device if isinstance(device, str) else '?'}"
