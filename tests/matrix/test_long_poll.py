"""The device's /sync long-poll ends inside the HTTP session's per-request limit."""

from __future__ import annotations

import pytest

from bridge.matrix.e2ee import LONG_POLL_MS, long_poll_ms


@pytest.mark.parametrize("limit", [6.0, 10.0, 30.0, 34.9, 35.0, 120.0])
def test_long_poll_ends_before_the_request_limit(limit: float) -> None:
    poll = long_poll_ms(limit)
    assert 0 < poll <= LONG_POLL_MS
    assert poll / 1000 <= limit - 5


def test_no_limit_polls_the_full_time() -> None:
    assert long_poll_ms(None) == LONG_POLL_MS


def test_a_tiny_limit_does_not_long_poll() -> None:
    assert long_poll_ms(3.0) == 0
