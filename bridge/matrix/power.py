"""Matrix power-level arithmetic (pure): who may redact, invite, or raise whom."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MODERATOR = 50


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def user_level(
    power_levels: Mapping[str, Any] | None, user_id: str, creators: frozenset[str]
) -> int:
    """A user's power level. Room version 12 creators outrank everyone (MSC4289)."""
    if user_id in creators:
        return 2**53
    if power_levels is None:
        return 0
    users = power_levels.get("users")
    if isinstance(users, Mapping) and user_id in users:
        return _int(users[user_id], 0)
    return _int(power_levels.get("users_default"), 0)


def action_level(power_levels: Mapping[str, Any] | None, action: str) -> int:
    """Level needed for ``redact``, ``invite``, ``kick``, ``ban`` (spec defaults when absent)."""
    defaults = {"redact": 50, "invite": 0, "kick": 50, "ban": 50}
    if power_levels is None:
        return defaults[action]
    return _int(power_levels.get(action), defaults[action])


def event_level(power_levels: Mapping[str, Any] | None, event_type: str, *, state: bool) -> int:
    if power_levels is None:
        return 50 if state else 0
    events = power_levels.get("events")
    if isinstance(events, Mapping) and event_type in events:
        return _int(events[event_type], 0)
    key = "state_default" if state else "events_default"
    return _int(power_levels.get(key), 50 if state else 0)


def can_redact(
    power_levels: Mapping[str, Any] | None, user_id: str, creators: frozenset[str]
) -> bool:
    level = user_level(power_levels, user_id, creators)
    return level >= action_level(power_levels, "redact") and level >= event_level(
        power_levels, "m.room.redaction", state=False
    )


def can_invite(
    power_levels: Mapping[str, Any] | None, user_id: str, creators: frozenset[str]
) -> bool:
    return user_level(power_levels, user_id, creators) >= action_level(power_levels, "invite")


def can_grant(
    power_levels: Mapping[str, Any] | None, user_id: str, level: int, creators: frozenset[str]
) -> bool:
    """May ``user_id`` send power levels that give someone ``level``?"""
    own = user_level(power_levels, user_id, creators)
    return own >= level and own >= event_level(power_levels, "m.room.power_levels", state=True)


def with_user_level(
    power_levels: Mapping[str, Any] | None, user_id: str, level: int
) -> dict[str, Any]:
    content = dict(power_levels or {})
    users = dict(content.get("users") or {})
    users[user_id] = level
    content["users"] = users
    return content
