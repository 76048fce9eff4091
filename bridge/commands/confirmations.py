"""Changes waiting for an admin's `!confirm`.

A change that can open a gate or change who counts as what (`!baa set … Active`,
`!consent grant`, `!vendor link` that reaches members of managed rooms) first answers with
its effect and waits here. Each admin has at most one waiting change (a new one replaces
the old: the admin confirms what was last shown to them, never an older preview), and it
expires: a `!confirm` typed long after the preview would apply it to rooms that may have
changed since. Kept in memory on purpose: after a restart nothing is waiting, which fails
safe (the admin types the command again and sees a fresh effect).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bridge.commands.replies import Output

#: How long a preview may be confirmed.
CONFIRM_WINDOW_MS = 5 * 60 * 1000

Apply = Callable[[], Awaitable[Output]]


@dataclass(frozen=True, slots=True)
class Waiting:
    command: str  # the command's name (`baa set`), shown when confirmed
    apply: Apply
    expires_ms: int


class Confirmations:
    def __init__(self) -> None:
        self._waiting: dict[str, Waiting] = {}

    def hold(self, admin: str, command: str, apply: Apply, now_ms: int) -> str | None:
        """Keep ``apply`` until ``admin`` confirms it, replacing what they had waiting.

        Returns:
            The command that was waiting and is now dropped (the admin must be told), if any.
        """
        replaced = self.take(admin, now_ms)
        self._waiting[admin] = Waiting(command, apply, now_ms + CONFIRM_WINDOW_MS)
        return replaced.command if replaced else None

    def take(self, admin: str, now_ms: int) -> Waiting | None:
        """The admin's waiting change, removed; None if there is none or it expired."""
        waiting = self._waiting.pop(admin, None)
        if waiting is None or now_ms >= waiting.expires_ms:
            return None
        return waiting

    def drop(self, admin: str) -> bool:
        """Forget the admin's waiting change. Returns whether there was one."""
        return self._waiting.pop(admin, None) is not None
