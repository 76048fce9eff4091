"""Waiting in integration tests. The Matrix client itself is :class:`bridge.demo.client.DemoClient`
(the demo's and the benches' client too): ``Deployment.user()`` and the ``nio_client`` fixture
hand it out.

Tests wait on conditions (`wait_for`, ``DemoClient.wait``, ``DemoClient.wait_event``), never on
fixed sleeps: fixed sleeps are slow when generous and flaky when not.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bridge.demo.waiting import wait_for as poll

__all__ = ["wait_for"]

T = TypeVar("T")


async def wait_for(
    predicate: Callable[[], T | Awaitable[T]] | Awaitable[T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str = "condition not met",
) -> T:
    """Wait until `predicate()` (sync or async) returns something truthy, and return it.

    Given an awaitable instead of a callable, wait for it to finish. Raises AssertionError
    with `message` after `timeout` seconds (a failed test, not an error in it).
    """
    if inspect.isawaitable(predicate):
        try:
            return await asyncio.wait_for(predicate, timeout)
        except TimeoutError:
            raise AssertionError(f"{message} (waited {timeout:g} s)") from None
    return await poll(predicate, message, timeout=timeout, interval=interval, error=AssertionError)
