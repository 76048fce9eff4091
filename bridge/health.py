"""Readiness: is every dependency the gate needs answering right now?

``GET /_phigate/health`` (on the appservice's HTTP server) runs these checks and answers 200
when all pass, 503 naming each one that fails. Every check asks the real thing:

* ``database``: a query of PHI Gate's own schema-version table.
* ``key_sync``: the bot device's /sync loop, which brings the room keys, succeeded lately
  (its long-poll ends within 30 s, so a working loop succeeds at least that often).
* ``clamd``: PING answered PONG.
* ``prepersist_module`` (only with ``antispam.enabled``): the homeserver's module asked
  about the newest message PHI Gate received. Synapse cannot be asked whether a module is
  loaded; what shows it is that the events reaching PHI Gate by transaction were each
  checked before they were stored.

The answer names dependencies and counts, never a room, user or event.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# A working /sync loop succeeds at least every ~30 s (long-poll inside the 30 s request limit).
KEY_SYNC_STALE_SECONDS = 90.0
CHECK_TIMEOUT_SECONDS = 5.0
# Message events the module asked about, remembered to match the transactions that follow.
_ASKED_REMEMBERED = 4096
_MESSAGE_TYPES = frozenset({"m.room.message", "m.room.encrypted", "m.sticker"})


class Dependency(StrEnum):
    DATABASE = "database"
    KEY_SYNC = "key_sync"
    CLAMD = "clamd"
    PREPERSIST_MODULE = "prepersist_module"


@dataclass(frozen=True, slots=True)
class CheckResult:
    dependency: Dependency
    ok: bool
    detail: str


class KeySync(Protocol):
    """What the check reads of :class:`bridge.matrix.e2ee.BotDevice`."""

    last_sync_ok: float | None
    sync_failures: int


class PrePersistWatch:
    """Matches the module's pre-persist questions to the events that arrive afterwards by
    transaction. Every message event Synapse stores was first put to PHI Gate by the module
    (``check_event_for_spam`` sees the event ID); a message that arrives unasked means the
    module is not loaded, not configured, or not reaching PHI Gate."""

    def __init__(self, service_users: Iterable[str]) -> None:
        # The module never asks about PHI Gate's own events (its bot and sender users).
        self._service_users = frozenset(service_users)
        self._asked: OrderedDict[str, None] = OrderedDict()
        self.asked_total = 0
        # Message events received since the last one the module had asked about.
        self.unasked_in_a_row = 0

    def asked(self, event: Any) -> None:
        event_id = event.get("event_id") if isinstance(event, dict) else None
        if not isinstance(event_id, str):
            return
        self.asked_total += 1
        self._asked[event_id] = None
        if len(self._asked) > _ASKED_REMEMBERED:
            self._asked.popitem(last=False)

    def delivered(self, events: Iterable[Any]) -> None:
        for event in events:
            if not isinstance(event, dict) or event.get("type") not in _MESSAGE_TYPES:
                continue
            event_id = event.get("event_id")
            if (
                not isinstance(event_id, str)
                or "state_key" in event
                or event.get("sender") in self._service_users
            ):
                continue
            if event_id in self._asked:
                self.unasked_in_a_row = 0
            else:
                self.unasked_in_a_row += 1


class Scanner(Protocol):
    address: str

    async def ping(self) -> bool: ...


class HealthChecks:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        key_sync: KeySync | None,
        scanner: Scanner | None,
        prepersist: PrePersistWatch | None,
        key_sync_stale_seconds: float = KEY_SYNC_STALE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._key_sync = key_sync
        self._scanner = scanner
        self._prepersist = prepersist
        self._stale = key_sync_stale_seconds
        self._monotonic = monotonic

    async def run(self) -> list[CheckResult]:
        """Every check, concurrently, each within :data:`CHECK_TIMEOUT_SECONDS`."""
        checks: list[tuple[Dependency, Callable[[], Awaitable[CheckResult]]]] = [
            (Dependency.DATABASE, self._database),
            (Dependency.KEY_SYNC, self._key_sync_check),
            (Dependency.CLAMD, self._clamd),
        ]
        if self._prepersist is not None:
            checks.append((Dependency.PREPERSIST_MODULE, self._prepersist_check))
        return list(await asyncio.gather(*(_bounded(d, c) for d, c in checks)))

    async def _database(self) -> CheckResult:
        async with self._engine.connect() as conn:
            version = (
                await conn.execute(text("SELECT version_num FROM phigate_alembic_version"))
            ).scalar()
        if version is None:
            return CheckResult(Dependency.DATABASE, False, "no schema version recorded")
        return CheckResult(Dependency.DATABASE, True, f"schema {version}")

    async def _key_sync_check(self) -> CheckResult:
        device = self._key_sync
        if device is None:
            return CheckResult(Dependency.KEY_SYNC, False, "the bot's device has not started")
        if device.last_sync_ok is None:
            return CheckResult(
                Dependency.KEY_SYNC,
                False,
                f"the device's /sync has not succeeded yet ({device.sync_failures} failed)",
            )
        age = self._monotonic() - device.last_sync_ok
        if device.sync_failures or age > self._stale:
            return CheckResult(
                Dependency.KEY_SYNC,
                False,
                f"room keys are not arriving: last good /sync {age:.0f} s ago, "
                f"{device.sync_failures} failed since",
            )
        return CheckResult(Dependency.KEY_SYNC, True, f"last good /sync {age:.0f} s ago")

    async def _clamd(self) -> CheckResult:
        if self._scanner is None:
            return CheckResult(Dependency.CLAMD, False, "the scanner has not started")
        if await self._scanner.ping():
            return CheckResult(Dependency.CLAMD, True, f"PONG from {self._scanner.address}")
        return CheckResult(
            Dependency.CLAMD, False, f"no PONG from {self._scanner.address}: attachments fail"
        )

    async def _prepersist_check(self) -> CheckResult:
        watch = self._prepersist
        assert watch is not None
        if watch.unasked_in_a_row:
            return CheckResult(
                Dependency.PREPERSIST_MODULE,
                False,
                f"the newest {watch.unasked_in_a_row} message(s) were stored without the "
                "homeserver's module asking PHI Gate first (is phigate_synapse loaded?)",
            )
        if not watch.asked_total:
            return CheckResult(
                Dependency.PREPERSIST_MODULE, True, "no message since start to judge it by"
            )
        return CheckResult(
            Dependency.PREPERSIST_MODULE, True, f"{watch.asked_total} checks since start"
        )


async def _bounded(
    dependency: Dependency, check: Callable[[], Awaitable[CheckResult]]
) -> CheckResult:
    """A check that raises or hangs is that dependency failing, said in one line."""
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            return await check()
    except TimeoutError:
        return CheckResult(dependency, False, f"no answer in {CHECK_TIMEOUT_SECONDS:g} s")
    except Exception as e:  # any failure of the dependency is the answer
        # The type and first line only: a driver's message may quote SQL, never parameters
        # (engines hide them), but keep it short for a probe's log.
        first = str(e).splitlines()[0][:200] if str(e) else ""
        return CheckResult(dependency, False, f"{type(e).__name__}: {first}".rstrip(": "))


def health_document(results: list[CheckResult]) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body of a health answer."""
    failing = [r.dependency.value for r in results if not r.ok]
    body = {
        "status": "ok" if not failing else "failing",
        "failing": failing,
        "checks": {r.dependency.value: {"ok": r.ok, "detail": r.detail} for r in results},
    }
    return (200 if not failing else 503), body
