"""Carrying out the removal of blocked events: redaction, then the notice that explains it.

The gate decides and records first; a removal is carried out only after the commit that holds
the event's audit record and the removal itself (:mod:`bridge.store.removals`). Each step is
sent with a transaction ID derived from the event ID, so a step repeated after a crash (sent,
but not yet marked) is answered by the homeserver from its transaction cache instead of
acting twice; each step is marked once it went out.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from bridge.audit import AuditEntry, RecordKind
from bridge.matrix.homeserver import HomeserverRefused, HomeserverUnavailable
from bridge.matrix.notices import REDACTION_REASON
from bridge.metrics import Metrics
from bridge.policy import SenderKind
from bridge.store.removals import Mark, Removal, RemovalStore
from bridge.tasks import cancel_and_wait

log = logging.getLogger(__name__)

Redact = Callable[..., Awaitable[None]]  # Homeserver.redact(room, event, reason, txn_id=)
Notice = Callable[..., Awaitable[None]]  # (room, text, html, txn_id=, reply_to=)
OnRefused = Callable[[str, HomeserverRefused], Awaitable[None]]
# Retrying removals the homeserver could not take: from 1 s, doubling, at most 60 s apart.
RETRY_FIRST, RETRY_MAX = 1.0, 60.0


def step_txn_id(step: str, event_id: str) -> str:
    """The same Matrix transaction ID for the same step of the same event, every time."""
    return f"phigate.{step}.{hashlib.sha256(event_id.encode()).hexdigest()[:40]}"


class Remover:
    def __init__(
        self,
        store: RemovalStore,
        *,
        redact: Redact,
        notice: Notice,
        on_refused: OnRefused,
        audit_append: Callable[[list[AuditEntry]], Awaitable[object]],
        bot_id: str,
        clock: Callable[[], int],
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self._redact = redact
        self._notice = notice
        self._on_refused = on_refused
        self._append = audit_append
        self._bot_id = bot_id
        self._clock = clock
        self._retry: asyncio.Task[None] | None = None
        # One removal at a time per event: a retry pass and a fresh pass never overlap on one.
        self._busy: set[str] = set()
        self.metrics = metrics  # redactions are counted

    async def carry_out(self, removals: Sequence[Removal]) -> None:
        """After their commit. What cannot be done now (homeserver or database away) is
        retried in the background; nothing here raises: the decision is already on record."""
        try:
            done = await self._pass(removals)
        except Exception as e:
            log.warning("removals postponed: %s", type(e).__name__)
            done = False
        if not done:
            self._schedule_retry()

    async def _pass(self, removals: Sequence[Removal]) -> bool:
        """True when every removal went out (or was refused for good). The steps done are
        marked in one commit at the end of the pass: a step sent but not yet marked when the
        process dies is sent again at start and answered from the homeserver's transaction
        cache (the IDs are the event's), so a commit per step would buy nothing."""
        done = True
        marks: list[Mark] = []
        try:
            for removal in removals:
                if removal.event_id in self._busy:
                    continue
                self._busy.add(removal.event_id)
                try:
                    done &= await self._one(removal, marks)
                finally:
                    self._busy.discard(removal.event_id)
        finally:
            await self.store.mark_all(marks)
        return done

    async def resume(self) -> None:
        """At start: removals decided before a crash or while the homeserver was away."""
        due = await self.store.due()
        if due:
            log.info("carrying out %d removals left from before", len(due))
            await self.carry_out(due)

    async def stop(self) -> None:
        if self._retry is not None:
            await cancel_and_wait(self._retry)

    async def _one(self, removal: Removal, marks: list[Mark]) -> bool:
        """False if the homeserver was unavailable (try again later). What went out is added
        to ``marks``."""
        if not removal.redacted:
            try:
                # The reason is fixed words: a redaction's reason is never encrypted and goes
                # to every server in the room, and the verdict's reason may name a patient.
                # The explanation goes in the notice below (encrypted in an encrypted room).
                await self._redact(
                    removal.room_id,
                    removal.event_id,
                    REDACTION_REASON,
                    txn_id=step_txn_id("redact", removal.event_id),
                )
            except HomeserverUnavailable as e:
                log.warning("redaction of %s postponed: %s", removal.event_id, e)
                return False
            except HomeserverRefused as refused:
                # Refused for good (no power, unknown event): not retried, said and recorded.
                why = f"redaction refused ({refused.errcode or refused.status})"
                now = self._clock()
                marks.append(Mark(removal.event_id, redacted_ms=now, noticed_ms=now, failure=why))
                await self._record_failure(removal, why, now)
                await self._on_refused(removal.room_id, refused)
                return True
            redacted = Mark(removal.event_id, redacted_ms=self._clock())
            marks.append(redacted)
            if self.metrics is not None:
                self.metrics.removals.inc()
        else:
            redacted = None
        if not removal.noticed:
            try:
                await self._notice(
                    removal.room_id,
                    removal.notice_text,
                    removal.notice_html,
                    txn_id=step_txn_id("notice", removal.event_id),
                    # A reply to the removed event: Element shows which message it was.
                    reply_to=removal.event_id,
                )
            except HomeserverUnavailable as e:
                log.warning("block notice for %s postponed: %s", removal.event_id, e)
                return False
            except HomeserverRefused as refused:
                why = f"block notice refused ({refused.errcode or refused.status})"
                marks.append(Mark(removal.event_id, noticed_ms=self._clock(), failure=why))
                return True
            noticed = Mark(removal.event_id, noticed_ms=self._clock())
            if redacted is not None:  # one row update for both steps
                marks[-1] = replace(redacted, noticed_ms=noticed.noticed_ms)
            else:
                marks.append(noticed)
        return True

    async def _record_failure(self, removal: Removal, why: str, now: int) -> None:
        await self._append(
            [
                AuditEntry(
                    kind=RecordKind.SYSTEM,
                    recorded_ts=now,
                    event_type="org.phigate.removal",
                    event_id=removal.event_id,
                    room_id=removal.room_id,
                    sender=self._bot_id,
                    sender_kind=SenderKind.BOT,
                    decision="removal_failed",
                    reason=f"{why}: the blocked event stays in the room",
                )
            ]
        )

    def _schedule_retry(self) -> None:
        if self._retry is None or self._retry.done():
            self._retry = asyncio.create_task(self._retry_until_done())

    async def _retry_until_done(self) -> None:
        delay = RETRY_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                done = await self._pass(await self.store.due())
            except Exception as e:  # the database away too: keep trying, say so
                log.warning("retrying removals failed: %s", type(e).__name__)
                done = False
            if done:
                return
            delay = min(delay * 2, RETRY_MAX)
