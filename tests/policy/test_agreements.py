"""BAA and consent lifecycles: all 36 BAA state pairs, expiry, parsing."""

from __future__ import annotations

import itertools

import pytest

from bridge.errors import InvalidArgument, TransitionRefused
from bridge.policy import (
    BAAState,
    ConsentState,
    check_baa_transition,
    check_consent_transition,
    effective_baa_state,
    effective_consent_state,
    legal_baa_targets,
    parse_expiry,
)

NOW = 1_800_000_000_000
LATER = NOW + 86_400_000

# SPEC §1, written out independently of the implementation's table.
LEGAL = {
    ("None", "Staging"),
    ("Staging", "Pending"),
    ("Staging", "Revoked"),
    ("Staging", "None"),
    ("Pending", "Active"),
    ("Pending", "Staging"),
    ("Pending", "Revoked"),
    ("Active", "Expired"),
    ("Active", "Revoked"),
    ("Expired", "Pending"),
    ("Expired", "Active"),
    ("Expired", "Revoked"),
    ("Revoked", "Staging"),
}


def test_six_states_exactly() -> None:
    assert [s.value for s in BAAState] == [
        "None",
        "Staging",
        "Pending",
        "Active",
        "Expired",
        "Revoked",
    ]


@pytest.mark.parametrize(
    ("current", "target"), list(itertools.product(list(BAAState), list(BAAState)))
)
def test_every_baa_pair(current: BAAState, target: BAAState) -> None:
    # A renewal from Expired needs an expiry; give one wherever Active is the target.
    expires = LATER if target is BAAState.ACTIVE else None
    if (current.value, target.value) in LEGAL:
        check_baa_transition(current, target, expires_ms=expires, now_ms=NOW)
    else:
        with pytest.raises(TransitionRefused) as refused:
            check_baa_transition(current, target, expires_ms=expires, now_ms=NOW)
        legal = [t for (f, t) in sorted(LEGAL) if f == current.value]
        message = str(refused.value)
        for name in legal:
            assert name in message.split("allowed from")[1]
        assert f"from {current.value} to {target.value}" in message


def test_36_pairs_13_legal() -> None:
    legal = 0
    for current, target in itertools.product(BAAState, BAAState):
        try:
            check_baa_transition(
                current,
                target,
                expires_ms=LATER if target is BAAState.ACTIVE else None,
                now_ms=NOW,
            )
            legal += 1
        except TransitionRefused:
            pass
    assert legal == len(LEGAL) == 13


def test_legal_targets_in_lifecycle_order() -> None:
    assert legal_baa_targets(BAAState.STAGING) == [
        BAAState.NONE,
        BAAState.PENDING,
        BAAState.REVOKED,
    ]


def test_renewal_from_expired_needs_new_expiry() -> None:
    with pytest.raises(TransitionRefused, match="new expiry"):
        check_baa_transition(BAAState.EXPIRED, BAAState.ACTIVE, expires_ms=None, now_ms=NOW)


def test_pending_to_active_without_expiry_is_fine() -> None:
    check_baa_transition(BAAState.PENDING, BAAState.ACTIVE, expires_ms=None, now_ms=NOW)


@pytest.mark.parametrize("expires", [NOW, NOW - 1])
def test_expiry_must_be_in_future(expires: int) -> None:
    with pytest.raises(TransitionRefused, match="future"):
        check_baa_transition(BAAState.PENDING, BAAState.ACTIVE, expires_ms=expires, now_ms=NOW)


def test_expiry_only_with_active() -> None:
    with pytest.raises(TransitionRefused, match="only be given with Active"):
        check_baa_transition(BAAState.NONE, BAAState.STAGING, expires_ms=LATER, now_ms=NOW)


def test_active_expires_by_itself_at_the_instant() -> None:
    assert effective_baa_state(BAAState.ACTIVE, LATER, LATER - 1) is BAAState.ACTIVE
    assert effective_baa_state(BAAState.ACTIVE, LATER, LATER) is BAAState.EXPIRED
    assert effective_baa_state(BAAState.ACTIVE, None, LATER * 10) is BAAState.ACTIVE
    # Only Active expires: a Pending BAA with a stale expiry stays Pending.
    assert effective_baa_state(BAAState.PENDING, LATER, LATER + 1) is BAAState.PENDING


def test_consent_expiry() -> None:
    assert effective_consent_state(ConsentState.ACTIVE, LATER, LATER) is ConsentState.EXPIRED
    assert effective_consent_state(ConsentState.ACTIVE, LATER, NOW) is ConsentState.ACTIVE
    assert effective_consent_state(ConsentState.REVOKED, LATER, LATER) is ConsentState.REVOKED


@pytest.mark.parametrize("current", list(ConsentState))
def test_consent_grant_from_anywhere(current: ConsentState) -> None:
    check_consent_transition(current, ConsentState.ACTIVE, expires_ms=LATER, now_ms=NOW)


@pytest.mark.parametrize(
    ("current", "ok"),
    [
        (ConsentState.NONE, False),
        (ConsentState.ACTIVE, True),
        (ConsentState.EXPIRED, True),
        (ConsentState.REVOKED, False),
    ],
)
def test_consent_revoke(current: ConsentState, ok: bool) -> None:
    if ok:
        check_consent_transition(current, ConsentState.REVOKED, expires_ms=None, now_ms=NOW)
    else:
        with pytest.raises(TransitionRefused):
            check_consent_transition(current, ConsentState.REVOKED, expires_ms=None, now_ms=NOW)


@pytest.mark.parametrize("text", ["active", "ACTIVE", " Active ", "aCtIvE"])
def test_state_names_case_insensitive(text: str) -> None:
    assert BAAState.parse(text) is BAAState.ACTIVE


@pytest.mark.parametrize("text", ["", "activ", "Approved", "None;DROP", "1"])
def test_unknown_state_names(text: str) -> None:
    with pytest.raises(InvalidArgument, match="None, Staging, Pending, Active, Expired, Revoked"):
        BAAState.parse(text)


def test_parse_expiry_date_is_midnight_utc() -> None:
    assert parse_expiry("2027-01-31") == 1_801_353_600_000


def test_parse_expiry_datetime() -> None:
    assert parse_expiry("2027-01-31T00:00:05Z") == 1_801_353_605_000
    assert parse_expiry("2027-01-31T01:00:00+01:00") == 1_801_353_600_000


@pytest.mark.parametrize(
    "text", ["2027-02-30", "31/01/2027", "tomorrow", "2027-01-31T10:00:00", "", "2027-1-1"]
)
def test_malformed_dates(text: str) -> None:
    with pytest.raises(InvalidArgument):
        parse_expiry(text)
