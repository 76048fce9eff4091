"""Which Matrix events this process put on the audit record, so that most appservice
transactions learn their events are new without a database query.

The invariant: every ``kind=event`` record appended by this process whose event timestamp is
above :attr:`RecentEvents.floor` is remembered. The floor starts at the newest event timestamp
in the database when the log opens (earlier processes' events are at or below it) and rises
when the oldest remembered events are let go. So an event above the floor that is not
remembered is certainly not on the record; for one at or below it, the database is asked.

Only PHI Gate's bridge appends event records (the CLI appends commands and transitions),
which is what lets one process's memory stand for the whole log above the floor.
"""

from __future__ import annotations

from enum import Enum

DEFAULT_CAPACITY = 200_000  # about 30 MB at most; a busy practice's day or more of events
# A floor no timestamp is above: nothing is known without the database.
ALWAYS_ASK = 2**63 - 1


class Known(Enum):
    RECORDED = "recorded"
    NEW = "new"
    ASK = "ask the database"


class RecentEvents:
    def __init__(self, floor: int, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.floor = floor
        self._capacity = capacity
        # (event ID, timestamp) → timestamp, oldest remembered first. Keyed by the pair, as
        # the database answers: an event is on the record with its origin timestamp.
        self._events: dict[tuple[str, int], int] = {}

    def __len__(self) -> int:
        return len(self._events)

    def lookup(self, event_id: str, ts: int) -> Known:
        if (event_id, ts) in self._events:
            return Known.RECORDED
        return Known.NEW if ts > self.floor else Known.ASK

    def remember(self, event_id: str, ts: int) -> None:
        """An event record this process committed."""
        if ts <= self.floor:
            return
        self._events[(event_id, ts)] = ts
        while len(self._events) > self._capacity:
            oldest = next(iter(self._events))
            # What is let go may still be asked about: from now on, below the floor.
            self.floor = max(self.floor, self._events.pop(oldest))
