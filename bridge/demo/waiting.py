"""Waiting on a condition with a deadline (demo, tests and benches), never a fixed sleep."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def wait_for(
    predicate: Callable[[], T | Awaitable[T | None] | None],
    what: str = "condition not met",
    *,
    timeout: float,
    interval: float = 0.05,
    error: Callable[[str], BaseException] = TimeoutError,
) -> T:
    """Call ``predicate`` (sync or async) every ``interval`` s until it returns something
    truthy, and return that.

    Raises:
        ``error("<what> (waited <timeout> s)")`` once ``timeout`` seconds have passed.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        if loop.time() >= deadline:
            raise error(f"{what} (waited {timeout:g} s)")
        await asyncio.sleep(interval)
