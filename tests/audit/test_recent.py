"""RecentEvents: what the audit log answers about events without asking the database, and
that its answers agree with the database's after a restart and past its capacity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import AuditKeyring, AuditLog
from bridge.audit.recent import ALWAYS_ASK, Known, RecentEvents

from .conftest import NOW, message


def test_above_the_floor_unknown_is_new_and_remembered_is_recorded() -> None:
    recent = RecentEvents(floor=100)
    assert recent.lookup("$a", 101) is Known.NEW
    recent.remember("$a", 101)
    assert recent.lookup("$a", 101) is Known.RECORDED
    # On the record with its origin timestamp, as the database has it.
    assert recent.lookup("$a", 102) is Known.NEW


def test_at_or_below_the_floor_the_database_is_asked() -> None:
    recent = RecentEvents(floor=100)
    recent.remember("$old", 100)  # an earlier process may have recorded it: not ours to say
    assert recent.lookup("$old", 100) is Known.ASK
    assert recent.lookup("$older", 5) is Known.ASK
    assert RecentEvents(floor=ALWAYS_ASK).lookup("$x", NOW) is Known.ASK


def test_letting_go_raises_the_floor() -> None:
    recent = RecentEvents(floor=0, capacity=2)
    for i, ts in enumerate((50, 10, 30), start=1):
        recent.remember(f"${i}", ts)
    assert len(recent) == 2
    assert recent.floor == 50  # "$1" (ts 50) was let go
    assert recent.lookup("$1", 50) is Known.ASK
    assert recent.lookup("$9", 40) is Known.ASK  # might have been among those let go
    assert recent.lookup("$9", 51) is Known.NEW


@given(
    st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 40)), max_size=60),
    st.integers(1, 8),
    st.integers(-1, 20),
)
def test_never_calls_a_recorded_event_new(
    remembered: list[tuple[str, int]], capacity: int, floor: int
) -> None:
    recent = RecentEvents(floor=floor, capacity=capacity)
    truth: set[tuple[str, int]] = set()
    for event_id, ts in remembered:
        recent.remember(event_id, ts)
        truth.add((event_id, ts))
    for event_id in "abcdef":
        for ts in range(0, 41):
            known = recent.lookup(event_id, ts)
            if known is Known.NEW:
                assert (event_id, ts) not in truth and ts > floor
            if known is Known.RECORDED:
                assert (event_id, ts) in truth


def test_capacity_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RecentEvents(floor=0, capacity=0)


async def test_log_answers_the_same_with_and_without_memory(
    engine: AsyncEngine, keyring: AuditKeyring
) -> None:
    log = await AuditLog.open(engine, keyring, now_ms=NOW)
    await log.append([message(1), message(2)])
    first = {"$event1": NOW + 1 - 3, "$event2": NOW + 2 - 3, "$event3": NOW + 3 - 3}
    assert await log.has_events(first) == {"$event1", "$event2"}
    # A new process: what the previous one recorded is at or below its floor, so it asks.
    reopened = await AuditLog.open(engine, keyring, now_ms=NOW)
    assert await reopened.has_events(first) == {"$event1", "$event2"}
    await reopened.append([message(3)])
    assert await reopened.has_events(first) == {"$event1", "$event2", "$event3"}
