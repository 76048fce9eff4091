"""Agreements close by themselves at their expiry instant: a timer set for the soonest expiry,
re-set whenever an agreement changes (no polling in batches)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bridge.service.agreements import AgreementChange, AgreementService
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)


class ExpiryTimer:
    def __init__(self, agreements: AgreementService, *, actor: str) -> None:
        self._agreements = agreements
        self._actor = actor
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
                await self._agreements.expire_due(self._actor)
            except Exception:
                log.exception("recording expired agreements failed; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            now = self._agreements.now_ms()
            due = self._agreements.registry.next_expiry_after(now)
            timeout = None if due is None else max(0.0, (due - now) / 1000)
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
