"""Background tasks: how PHI Gate's long-running loops are stopped."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel_and_wait(*tasks: asyncio.Task[object] | None) -> None:
    """Cancel the tasks and wait until each has finished unwinding (its ``finally`` blocks
    ran), so nothing the loop held is used after its owner is closed."""
    live = [t for t in tasks if t is not None]
    for task in live:
        task.cancel()
    for task in live:
        with contextlib.suppress(asyncio.CancelledError):
            await task
