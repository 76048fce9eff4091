"""BAA and consent lifecycles (SPEC §1): states, legal transitions, expiry.

Pure: the current time is always passed in as milliseconds since the epoch.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TypeVar

from bridge.errors import InvalidArgument, TransitionRefused

S = TypeVar("S", bound=StrEnum)


class BAAState(StrEnum):
    NONE = "None"
    STAGING = "Staging"
    PENDING = "Pending"
    ACTIVE = "Active"
    EXPIRED = "Expired"
    REVOKED = "Revoked"

    @classmethod
    def parse(cls, text: str) -> BAAState:
        return _parse_state(cls, text, "BAA state")


class ConsentState(StrEnum):
    NONE = "None"
    ACTIVE = "Active"
    EXPIRED = "Expired"
    REVOKED = "Revoked"

    @classmethod
    def parse(cls, text: str) -> ConsentState:
        return _parse_state(cls, text, "consent state")


def _parse_state(cls: type[S], text: str, what: str) -> S:
    wanted = text.strip().lower()
    for state in cls:
        if state.value.lower() == wanted:
            return state
    names = ", ".join(s.value for s in cls)
    raise InvalidArgument(f"unknown {what} {text!r}; expected one of: {names}")


# SPEC §1, exactly: anything not listed here is refused with the legal alternatives.
BAA_TRANSITIONS: Mapping[BAAState, frozenset[BAAState]] = {
    BAAState.NONE: frozenset({BAAState.STAGING}),
    BAAState.STAGING: frozenset({BAAState.PENDING, BAAState.REVOKED, BAAState.NONE}),
    BAAState.PENDING: frozenset({BAAState.ACTIVE, BAAState.STAGING, BAAState.REVOKED}),
    BAAState.ACTIVE: frozenset({BAAState.EXPIRED, BAAState.REVOKED}),
    BAAState.EXPIRED: frozenset({BAAState.PENDING, BAAState.ACTIVE, BAAState.REVOKED}),
    BAAState.REVOKED: frozenset({BAAState.STAGING}),
}

_ORDER = list(BAAState)


def legal_baa_targets(current: BAAState) -> list[BAAState]:
    """Legal next states, in lifecycle order (for error messages and help)."""
    return sorted(BAA_TRANSITIONS[current], key=_ORDER.index)


def check_baa_transition(
    current: BAAState, target: BAAState, *, expires_ms: int | None, now_ms: int
) -> None:
    """Refuse an illegal BAA transition.

    Args:
        current: the *effective* state (an Active BAA past its expiry is Expired).
        target: the requested state.
        expires_ms: the expiry given with the request, if any.
        now_ms: the current time.

    Raises:
        TransitionRefused: the transition is not in the lifecycle table, a renewal from
            Expired has no new expiry, or an expiry is given that is not in the future or
            is given for a state other than Active.
    """
    if target not in BAA_TRANSITIONS[current]:
        legal = ", ".join(s.value for s in legal_baa_targets(current))
        raise TransitionRefused(
            f"BAA cannot go from {current.value} to {target.value}; allowed from "
            f"{current.value}: {legal}"
        )
    _check_expiry(target is BAAState.ACTIVE, expires_ms, now_ms)
    if current is BAAState.EXPIRED and target is BAAState.ACTIVE and expires_ms is None:
        raise TransitionRefused(
            "renewing an Expired BAA to Active needs a new expiry (expires=YYYY-MM-DD)"
        )


def check_consent_transition(
    current: ConsentState, target: ConsentState, *, expires_ms: int | None, now_ms: int
) -> None:
    """Consent may be granted (again) from any state; only granted consent can be revoked."""
    if target is ConsentState.REVOKED and current not in (
        ConsentState.ACTIVE,
        ConsentState.EXPIRED,
    ):
        raise TransitionRefused(
            f"consent is {current.value}; only Active or Expired consent can be revoked"
        )
    if target not in (ConsentState.ACTIVE, ConsentState.REVOKED):
        raise TransitionRefused(
            f"consent can only be granted (Active) or revoked, not set to {target.value}"
        )
    _check_expiry(target is ConsentState.ACTIVE, expires_ms, now_ms)


def _check_expiry(target_is_active: bool, expires_ms: int | None, now_ms: int) -> None:
    if expires_ms is None:
        return
    if not target_is_active:
        raise TransitionRefused("an expiry can only be given with Active")
    if expires_ms <= now_ms:
        raise TransitionRefused("the expiry must be in the future")


def effective_baa_state(stored: BAAState, expires_ms: int | None, now_ms: int) -> BAAState:
    """An Active BAA whose expiry has passed *is* Expired, with or without a stored change."""
    if stored is BAAState.ACTIVE and expires_ms is not None and now_ms >= expires_ms:
        return BAAState.EXPIRED
    return stored


def effective_consent_state(
    stored: ConsentState, expires_ms: int | None, now_ms: int
) -> ConsentState:
    if stored is ConsentState.ACTIVE and expires_ms is not None and now_ms >= expires_ms:
        return ConsentState.EXPIRED
    return stored


def parse_expiry(text: str) -> int:
    """Parse an expiry: ``YYYY-MM-DD`` or an ISO-8601 date-time with a UTC offset.

    A bare date means the agreement ends at 00:00 UTC on that date (the first day it is no
    longer valid) — the reading that never keeps a gate open longer than written.

    Returns:
        the expiry instant in ms since the epoch.

    Raises:
        InvalidArgument: anything else, including a date-time without a time zone.
    """
    value = text.strip()
    try:
        if len(value) == 10:
            d = date.fromisoformat(value)
            return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp() * 1000)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(
            f"bad expiry {text!r}; expected YYYY-MM-DD or an ISO date-time with time zone"
        ) from None
    if moment.tzinfo is None:
        raise InvalidArgument(f"bad expiry {text!r}; a date-time needs a time zone (e.g. Z)")
    return int(moment.timestamp() * 1000)


def format_ms(ms: int | None) -> str:
    """Render an instant for people: ISO-8601 UTC, seconds precision."""
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
