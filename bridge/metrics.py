"""Prometheus metrics: one :class:`Metrics` object, made once by the runtime and handed to
each part that counts something (no module-level registry: two bridges in one process, as
the tests run them, each keep their own figures).

Labels are closed sets (outcomes, callbacks, dependency names), never room or user IDs:
a label per room would grow without bound and would tell a scraper who talks to whom.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

T = TypeVar("T")

# Seconds; the pre-persist check holds up a user's send, so its low end is fine-grained.
_FAST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SCAN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST


class Outcome(StrEnum):
    """A gate verdict's outcome, as the metrics count it."""

    ALLOW = "allow"
    BLOCK = "block"
    REFUSED = "refused"  # refused before storage (pre-persist)


class KeyWaitResult(StrEnum):
    ARRIVED = "arrived"
    TIMED_OUT = "timed_out"
    WITHHELD = "withheld"


class Metrics:
    """Every PHI Gate metric, registered in this object's own registry."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.events = Counter(
            "phigate_events",
            "Room events received from the homeserver by transaction",
            registry=registry,
        )
        self.transactions_failed = Counter(
            "phigate_transactions_failed",
            "Transactions answered with an error (the homeserver retries them)",
            registry=registry,
        )
        self.verdicts = Counter(
            "phigate_verdicts",
            "Gate verdicts on events, by outcome",
            ["outcome"],
            registry=registry,
        )
        self.blocks = Counter(
            "phigate_blocks",
            "Events blocked (removed after delivery or refused before storage)",
            registry=registry,
        )
        self.removals = Counter(
            "phigate_redactions",
            "Blocked events redacted by the bot",
            registry=registry,
        )
        self.prepersist_latency = Histogram(
            "phigate_prepersist_seconds",
            "Time to answer one pre-persist check from the homeserver's module, by callback",
            ["callback"],
            buckets=_FAST_BUCKETS,
            registry=registry,
        )
        self.key_waits = Counter(
            "phigate_key_waits",
            "Waits for a missing megolm room key, by how they ended",
            ["result"],
            registry=registry,
        )
        self.undecryptable = Counter(
            "phigate_undecryptable_events",
            "Encrypted events PHI Gate could not decrypt",
            registry=registry,
        )
        self.clamd_scans = Counter(
            "phigate_clamd_scans",
            "INSTREAM scans sent to clamd",
            registry=registry,
        )
        self.clamd_latency = Histogram(
            "phigate_clamd_scan_seconds",
            "Time for one clamd scan (connect, stream, verdict)",
            buckets=_SCAN_BUCKETS,
            registry=registry,
        )
        self.audit_append_latency = Histogram(
            "phigate_audit_append_seconds",
            "Time to seal and commit one batch of audit records",
            buckets=_FAST_BUCKETS,
            registry=registry,
        )
        self.sync_failures = Counter(
            "phigate_key_sync_failures",
            "Failed rounds of the bot device's /sync (room keys held back)",
            registry=registry,
        )

    # --- what the gatekeeper calls (see docs/operations.md, "Metrics") ---------------------

    def verdict(self, outcome: Outcome) -> None:
        """One event decided; a block or refusal also counts as a block."""
        self.verdicts.labels(outcome=outcome.value).inc()
        if outcome is not Outcome.ALLOW:
            self.blocks.inc()

    def key_wait(self, result: KeyWaitResult) -> None:
        self.key_waits.labels(result=result.value).inc()

    def undecryptable_event(self) -> None:
        self.undecryptable.inc()

    # --- helpers for the parts that time something ----------------------------------------

    def timed(
        self, histogram: Histogram, call: Callable[..., Awaitable[T]]
    ) -> Callable[..., Awaitable[T]]:
        """``call`` wrapped so that each await is observed in ``histogram`` (errors too)."""

        async def timed_call(*args: object, **kwargs: object) -> T:
            started = time.perf_counter()
            try:
                return await call(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - started)

        return timed_call

    def exposition(self) -> bytes:
        """The text format a Prometheus server scrapes."""
        return generate_latest(self.registry)
