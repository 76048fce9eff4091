"""Agreements close by themselves at their expiry instant: a timer set for the soonest expiry,
re-set whenever an agreement changes (no polling in batches).

Shortly before an expiry the timer wakes once more, so the rooms about to close can name PHI
Gate their policy server while they are still open: a vendor's server learns of it over
federation (about a second on loopback, more across the internet), and what it sends before
it knows is stored on its side even though the practice's server refuses it on arrival.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bridge.policy.agreements import format_ms
from bridge.service.agreements import AgreementChange, AgreementService, ChangeKind
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

# How long before an expiry the closing rooms name PHI Gate their policy server.
AHEAD_MS = 60_000


class ExpiryTimer:
    def __init__(
        self,
        agreements: AgreementService,
        *,
        actor: str,
        alert: Callable[[str], Awaitable[None]],
        ahead: Callable[[], Awaitable[None]] | None = None,
        ahead_ms: int = AHEAD_MS,
    ) -> None:
        """``alert`` tells the control room of each agreement that expired; ``ahead`` is
        called from ``ahead_ms`` before an expiry until it passes."""
        self._agreements = agreements
        self._actor = actor
        self._alert = alert
        self._ahead = ahead
        self._ahead_ms = ahead_ms
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        agreements.subscribe(self._on_change)

    async def _on_change(self, change: AgreementChange) -> None:
        self._changed.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="phigate-expiry")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                # Anything that expired while PHI Gate was down, or just now.
                expired = await self._agreements.expire_due(self._actor)
                for change in expired:
                    await self._tell(change)
                now = self._agreements.now_ms()
                due = self._agreements.registry.next_expiry_after(now)
                if due is not None and due - now <= self._ahead_ms and self._ahead is not None:
                    await self._ahead()
            except Exception:
                log.exception("recording expired agreements failed; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            timeout = None if due is None else self._wait_s(now, due)
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)

    async def _tell(self, change: AgreementChange) -> None:
        """The transition is recorded already: a control room that cannot be reached must
        not send the loop round again (the next pass has nothing left to announce). The log
        names the kind only: a patient's user ID stays out of it."""
        try:
            await self._alert(self._expired_text(change))
        except Exception:
            log.exception("could not tell the control room of a lapsed %s", change.kind.value)

    def _wait_s(self, now: int, due: int) -> float:
        """Until the time to prepare for ``due``, or, once it has come, until ``due``."""
        wake = due - self._ahead_ms if self._ahead is not None else due
        return max(0.0, ((wake if wake > now else due) - now) / 1000)

    @staticmethod
    def _expired_text(change: AgreementChange) -> str:
        when = format_ms(change.expires_ms)
        if change.kind is ChangeKind.BAA:
            return (
                f"⏰ The BAA of vendor {change.vendor_id} expired ({when}): PHI Gate gates "
                "every room with its users until it is renewed (`!baa set "
                f"{change.vendor_id} Active expires=…`)."
            )
        return (
            f"⏰ The consent of patient {change.user_id} expired ({when}): PHI Gate gates every "
            f"room with them until it is granted again (`!consent grant {change.user_id}`)."
        )
