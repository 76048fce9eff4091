"""Catching up on events the homeserver never pushed: what is read back and handed on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bridge.matrix.catch_up import CatchUp
from bridge.matrix.rooms import Room


class Rooms:
    def __init__(self, *room_ids: str) -> None:
        self._rooms = [Room(r, managed=True) for r in room_ids]

    def managed(self) -> list[Room]:
        return self._rooms


def timeline(n: int) -> list[dict[str, Any]]:
    """n message events, oldest first, with a state event among them."""
    events = [
        {
            "event_id": f"$e{i}",
            "type": "m.room.message",
            "origin_server_ts": 1000 + i,
            "content": {},
        }
        for i in range(n)
    ]
    events.insert(
        3,
        {"event_id": "$s", "type": "m.room.member", "state_key": "@a:x", "origin_server_ts": 1002},
    )
    return events


def homeserver(events: list[dict[str, Any]]) -> Callable[..., Awaitable[Any]]:
    async def messages(room_id: str, before: str | None, limit: int) -> Any:
        newest_first = list(reversed(events))
        start = int(before or 0)
        page = newest_first[start : start + limit]
        end = str(start + limit) if start + limit < len(newest_first) else None
        return page, end

    return messages


async def test_hands_on_only_unrecorded_messages_oldest_first() -> None:
    recorded = {f"$e{i}" for i in range(60)}  # the newest 60 of 130 were never pushed
    handled: list[list[Any]] = []

    async def seen(events: Mapping[str, int]) -> set[str]:
        return {e for e in events if e in recorded}

    async def handle(_: str, events: list[Any]) -> None:
        handled.append(events)

    async def exclusive(work: Callable[[], Awaitable[None]]) -> None:
        await work()

    catch_up = CatchUp(
        Rooms("!r"),  # type: ignore[arg-type]
        messages=homeserver(timeline(130)),
        seen=seen,
        handle=handle,
        exclusive=exclusive,
        clock=lambda: 1000,  # the timeline is older than the pass's horizon
    )
    assert await catch_up.run_once() == 70
    assert [e["event_id"] for e in handled[0]] == [f"$e{i}" for i in range(60, 130)]
    recorded |= {e["event_id"] for e in handled[0]}
    assert await catch_up.run_once() == 0  # nothing twice


async def test_finds_a_lost_event_behind_newer_recorded_ones() -> None:
    """The homeserver pushed the events after one it held back: the pass reads on past
    recorded pages back to its horizon (the start) and finds it."""
    events = timeline(130)  # ts 1000..1129
    lost = "$e70"
    recorded = {e["event_id"] for e in events} - {lost}
    handled: list[list[Any]] = []

    async def seen(batch: Mapping[str, int]) -> set[str]:
        return {e for e in batch if e in recorded}

    async def handle(_: str, batch: list[Any]) -> None:
        handled.append(batch)

    async def exclusive(work: Callable[[], Awaitable[None]]) -> None:
        await work()

    now = [1060 + 60_000]  # started when $e60 was sent (plus the margin for clocks)
    catch_up = CatchUp(
        Rooms("!r"),  # type: ignore[arg-type]
        messages=homeserver(events),
        seen=seen,
        handle=handle,
        exclusive=exclusive,
        clock=lambda: now[0],
    )
    assert await catch_up.run_once() == 1
    assert [e["event_id"] for e in handled[0]] == [lost]
