"""Commands that read the whole audit log run beside the gate, never in its way.

`!audit verify` hashes every record and `!audit disclosures` reads six years of them: on a
large log that takes minutes. Commands arrive inside a homeserver transaction, and
transactions are handled one at a time, so answering such a command inline would hold back
every event behind it, gate verdicts included. These are answered by a background task
instead: the admin is told at once that the work has started, and the answer follows.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bridge.commands.parsing import tokenize
from bridge.commands.registry import PREFIX
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

#: How the acknowledgement of a long command starts (readers skip it to find the answer).
WORKING = "working on"

#: The commands answered off the transaction path (group, subcommand).
LONG_COMMANDS = frozenset({("audit", "verify"), ("audit", "disclosures")})


def long_command(body: str) -> str | None:
    """The name of a long command (``audit verify``) if ``body`` is one, else None."""
    words = [t.text.lower() for t in tokenize(body[:200])[:2]]
    if len(words) < 2 or not words[0].startswith(PREFIX):
        return None
    key = (words[0].removeprefix(PREFIX), words[1])
    return " ".join(key) if key in LONG_COMMANDS else None


class BackgroundCommands:
    """The running long commands; stopped (cancelled and awaited) with the bridge."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work, name=f"command {name}")
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The processor answers every error itself; this is a failure to post the answer.
            log.error("%s failed: %s", task.get_name(), type(task.exception()).__name__)

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def stop(self) -> None:
        await cancel_and_wait(*self._tasks)
