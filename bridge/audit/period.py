"""The retention period of the audit log (``audit.retention``), parsed and applied to a
clock reading. Pure: the config reads it without loading the audit log."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_RETENTION = re.compile(r"(\d{1,4})\s*(y|years?|d|days?|w|weeks?)")


@dataclass(frozen=True, slots=True)
class Retention:
    """How long records are kept: whole years (calendar, UTC) or days. ``forever`` keeps
    everything.

    Attributes:
        years: Calendar years.
        days: Days (a week is 7).
        text: As configured, for messages.
    """

    years: int = 0
    days: int = 0
    text: str = "6y"

    @property
    def forever(self) -> bool:
        return self.years == 0 and self.days == 0

    def cutoff(self, now_ms: int) -> int | None:
        """Records recorded before this instant are past retention (``None``: never)."""
        if self.forever:
            return None
        now = datetime.fromtimestamp(now_ms / 1000, UTC)
        if self.years:
            year = now.year - self.years
            # 29 February minus a year is 28 February (keep a little longer, never shorter).
            day = min(now.day, 28) if now.month == 2 and now.day == 29 else now.day
            now = now.replace(year=year, day=day)
        now -= timedelta(days=self.days)
        return int(now.timestamp() * 1000)


DEFAULT_RETENTION = Retention(years=6, text="6y")


def parse_retention(text: str) -> Retention:
    """``6y`` / ``6 years``, ``2190d`` / ``2190 days``, ``52w``, or ``forever``.

    Raises:
        ValueError: none of these (the message says the accepted format).
    """
    value = str(text).strip().lower()
    if value == "forever":
        return Retention(text="forever")
    match = _RETENTION.fullmatch(value)
    if match is None or int(match.group(1)) == 0:
        raise ValueError(
            f"{str(text)[:30]!r} is not a retention; expected a number of years, weeks or"
            " days such as 6y, 52w or 2190d, or forever"
        )
    n, unit = int(match.group(1)), match.group(2)[0]
    if unit == "y":
        return Retention(years=n, text=f"{n}y")
    return Retention(days=n * (7 if unit == "w" else 1), text=f"{n}{unit}")
