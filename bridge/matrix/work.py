"""A unit of work: what one appservice transaction (or one late re-decision) changes, committed
in one database transaction with its audit records."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bridge.audit import AuditEntry
from bridge.matrix.events import MatrixEvent
from bridge.matrix.homeserver import HomeserverUnavailable
from bridge.matrix.replay import MessageIndexRow, write_message_indices
from bridge.matrix.rooms import Room
from bridge.store.database import STORAGE_ERRORS
from bridge.store.pending import PendingEvent, PendingStatus, PendingStore
from bridge.store.removals import Removal, RemovalStore

log = logging.getLogger(__name__)

# Failures that say nothing about the event (the database or the homeserver is away): the
# transaction is answered with an error and the homeserver retries it. Anything else an
# event causes is the event's problem: it is recorded as unreadable and judged as such.
RETRYABLE = (*STORAGE_ERRORS, HomeserverUnavailable)


@dataclass(slots=True)
class Work:
    """What one appservice transaction (or one late re-decision) changes, committed together:
    the removals of the events it blocked ride in the commit of their audit records."""

    removals: list[Removal] = field(default_factory=list)
    # Megolm message indices of the events decrypted for it (replay protection).
    indices: list[MessageIndexRow] = field(default_factory=list)
    # Encrypted events queued for their key, and queued events whose wait ended.
    pending: list[PendingEvent] = field(default_factory=list)
    pending_status: dict[str, PendingStatus] = field(default_factory=dict)
    # Key waits to start once the queued events are committed (room, event, seconds).
    key_waits: list[tuple[Room, MatrixEvent, float]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.removals or self.indices or self.pending or self.pending_status)


class Committer:
    def __init__(
        self,
        audit_append: Callable[..., Awaitable[Any]],  # AuditLog.append
        removals: RemovalStore,
        pending: PendingStore,
    ) -> None:
        self._append = audit_append
        self._removals = removals
        self._pending = pending

    async def commit(self, entries: list[AuditEntry], work: Work) -> None:
        """The audit records, the replay indices of the events decrypted for them and the
        removals of the events blocked among them, in one database transaction."""
        if not entries and work.is_empty():
            return

        async def also(conn: AsyncConnection) -> None:
            if work.indices:
                await write_message_indices(conn, work.indices)
            await self._removals.write(conn, work.removals)
            if work.pending or work.pending_status:
                await self._pending.write(conn, work.pending, work.pending_status)

        try:
            await self._append(entries, also=also)
        except RETRYABLE:
            raise
        except Exception as e:
            # Something in the records themselves cannot be written (no retry can cure that,
            # and a failed transaction holds back every later one): the events go on the
            # record without their content, which the log says.
            log.error(
                "audit content could not be written (%s); recorded without it", type(e).__name__
            )
            stripped = [
                replace(entry, content={"unrecordable": type(e).__name__}) for entry in entries
            ]
            await self._append(stripped, also=also)
