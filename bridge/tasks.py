"""Background tasks: how PHI Gate's long-running loops are stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger(__name__)


async def cancel_and_wait(*tasks: asyncio.Task[object] | None) -> None:
    """Cancel the tasks and wait until each has finished unwinding (its ``finally`` blocks
    ran), so nothing the loop held is used after its owner is closed. A task that had already
    died of an error is logged, not raised: stopping goes on and closes everything else."""
    live = [t for t in tasks if t is not None]
    for task in live:
        task.cancel()
    for task in live:
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await task
            except Exception:
                log.exception("background task %s had failed", task.get_name())
