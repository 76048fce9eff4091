"""The appservice's HTTP side: what the homeserver pushes to PHI Gate.

Written here rather than taken from mautrix's handler because the gate needs two things it
does not do: a transaction is answered only after its events are decided and their audit
records committed (an error answer makes the homeserver retry, so nothing is lost), and
handled transactions are remembered in the database, keyed by ID *and* body (Synapse reuses
IDs after a restart).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import ijson
from aiohttp import web

from bridge.health import HealthChecks, PrePersistWatch, health_document
from bridge.matrix.events import MAX_DEPTH, bounded_to
from bridge.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bridge.metrics import Metrics
from bridge.store.transactions import TransactionStore

log = logging.getLogger(__name__)

# Synapse sends at most 100 events + 100 EDUs + 100 to-device per transaction, each ≤ 64 KiB.
MAX_TRANSACTION_BYTES = 32 * 1024 * 1024
# A handled transaction is re-sent only when our answer was lost, moments later: records of
# handled transactions are kept a week, pruned at start and every PRUNE_EVERY transactions.
KEEP_TRANSACTIONS_MS = 7 * 24 * 3600 * 1000
PRUNE_EVERY = 1000
# A transaction body is cut this deep (an event's content sits 4 levels down, so content
# deeper than events.MAX_DEPTH still reaches parse_event deep enough to be seen as such).
BODY_DEPTH = MAX_DEPTH + 8


class PrePersist(Protocol):
    """What the homeserver's module asks before it stores an event (bridge.matrix.prepersist)."""

    async def check_event(self, raw: Any) -> Any: ...
    async def user_may_invite(self, body: Any) -> Any: ...
    async def federated_user_may_invite(self, body: Any) -> Any: ...
    async def user_may_join_room(self, body: Any) -> Any: ...


ANTISPAM_PREFIX = "/_phigate/antispam/v1/"
# Reached through the reverse proxy in front of the homeserver's federation port; the asking
# server authenticates with its X-Matrix signature, not a bearer token.
POLICY_PREFIX = "/_matrix/policy/"


class PolicySigner(Protocol):
    """``POST /_matrix/policy/v1/sign`` (bridge.matrix.policy_server)."""

    async def handle(self, request: web.Request) -> web.Response: ...


# Prometheus' conventional path, on the appservice's own port (see docs/operations.md).
METRICS_PATH = "/metrics"


class TransactionHandler(Protocol):
    async def handle_transaction(self, txn_id: str, events: list[Any]) -> None:
        """Decide and audit every event; raise to have the homeserver retry the transaction."""
        ...


def _error(status: int, errcode: str, message: str) -> web.Response:
    return web.json_response({"errcode": errcode, "error": message}, status=status)


class AppserviceServer:
    def __init__(
        self,
        *,
        hs_token: str,
        handler: TransactionHandler,
        transactions: TransactionStore,
        clock: Callable[[], int],
        prepersist: PrePersist | None = None,
        antispam_secret: str | None = None,
        policy_server: PolicySigner | None = None,
        metrics: Metrics | None = None,
        health: HealthChecks | None = None,
        prepersist_watch: PrePersistWatch | None = None,
        on_ephemeral: Callable[[list[Any]], None] | None = None,
    ) -> None:
        self._metrics = metrics
        self._health_checks = health
        self._watch = prepersist_watch
        # Takes a transaction's ephemeral events (bridge.matrix.typing); must not block.
        self.on_ephemeral = on_ephemeral
        self._hs_token = hs_token.encode()
        self._prepersist = prepersist
        self._antispam_secret = antispam_secret.encode() if antispam_secret else None
        self._handler = handler
        self._transactions = transactions
        self._clock = clock
        self.app = web.Application(
            client_max_size=MAX_TRANSACTION_BYTES, middlewares=[self._auth_middleware]
        )
        for prefix in ("/_matrix/app/v1", ""):
            self.app.router.add_put(prefix + "/transactions/{txn_id}", self._transaction)
            self.app.router.add_get(prefix + "/users/{user_id}", self._query_user)
            self.app.router.add_get(prefix + "/rooms/{alias}", self._query_alias)
        self.app.router.add_post("/_matrix/app/v1/ping", self._ping)
        self.app.router.add_get("/_phigate/health", self._health)
        if metrics is not None:
            self.app.router.add_get(METRICS_PATH, self._metrics_page)
        if prepersist is not None:
            self.app.router.add_post(ANTISPAM_PREFIX + "{callback}", self._antispam)
        if policy_server is not None:
            self.app.router.add_post(POLICY_PREFIX + "v1/sign", policy_server.handle)
        self._runner: web.AppRunner | None = None
        # Transactions answered with an error (the homeserver retries them); for operators.
        self.failed_transactions = 0
        self._handled = 0
        # One transaction at a time: Synapse has one in flight, but re-sends one it gave up
        # waiting for (60 s) while the first delivery may still be running (a slow scan, a key
        # wait). The re-delivery waits here, then finds it done; "already handled?" and the
        # handling can never interleave.
        self._one_at_a_time = asyncio.Lock()

    @web.middleware
    async def _auth_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        expected: bytes | None = self._hs_token
        what = "hs_token"
        if request.path.startswith(ANTISPAM_PREFIX):
            expected, what = self._antispam_secret, "antispam secret"
        elif request.path.startswith(("/_phigate/", POLICY_PREFIX)) or request.path == METRICS_PATH:
            # Health and metrics name no room, user or event: probes need no token; the
            # policy server's callers authenticate with their X-Matrix signature.
            return await handler(request)
        token = _bearer(request)
        if token is None or expected is None:
            return _error(401, "M_UNAUTHORIZED", f"missing {what}")
        # Constant-time: the token is the only thing standing between the network and the gate.
        if not hmac.compare_digest(token.encode(), expected):
            return _error(403, "M_FORBIDDEN", f"bad {what}")
        return await handler(request)

    async def _transaction(self, request: web.Request) -> web.Response:
        txn_id = request.match_info["txn_id"]
        raw = await request.read()
        digest = hashlib.sha256(raw).hexdigest()
        try:
            body = await _parse_body(raw)
        except (ValueError, UnicodeDecodeError, ijson.JSONError):
            return _error(400, "M_NOT_JSON", "transaction body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "M_BAD_JSON", "transaction body is not an object")
        events = body.get("events", [])
        if not isinstance(events, list):
            return _error(400, "M_BAD_JSON", "events is not a list")
        # Typing notifications (receive_ephemeral): not gated, not audited, never retried.
        ephemeral = body.get("ephemeral", body.get("de.sorunome.msc2409.ephemeral"))
        if isinstance(ephemeral, list) and self.on_ephemeral is not None:
            self.on_ephemeral(ephemeral)
        async with self._one_at_a_time:
            try:
                if await self._transactions.is_done(txn_id, digest):
                    return web.json_response({})
                if self._watch is not None:
                    self._watch.delivered(events)
                await self._handler.handle_transaction(txn_id, events)
                if self._metrics is not None:
                    self._metrics.events.inc(len(events))
                await self._transactions.mark_done(txn_id, digest, self._clock())
                self._handled += 1
                if self._handled % PRUNE_EVERY == 0:
                    await self.prune_transactions()
            except Exception as e:
                # Never 200 what was not fully handled: the homeserver retries with backoff.
                # The gate records any event it cannot read; what lands here is a failure to
                # write the record (the database), which a retry can cure.
                self.failed_transactions += 1
                if self._metrics is not None:
                    self._metrics.transactions_failed.inc()
                log.error(
                    "transaction %s not handled, the homeserver will retry it: %s",
                    txn_id,
                    type(e).__name__,
                    extra={"txn_id": txn_id},
                )
                log.debug("transaction %s failure", txn_id, exc_info=True)
                return _error(500, "M_UNKNOWN", "transaction not handled; retry")
        return web.json_response({})

    async def exclusive(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` (e.g. catching up on missed events) between transactions, never
        interleaved with one."""
        async with self._one_at_a_time:
            await work()

    async def prune_transactions(self) -> None:
        """Forget handled transactions older than :data:`KEEP_TRANSACTIONS_MS`. A failure is
        logged, never turned into an error: the table only grows until the next prune."""
        try:
            pruned = await self._transactions.prune(self._clock() - KEEP_TRANSACTIONS_MS)
        except Exception as e:
            log.warning("pruning handled transactions failed: %s", e)
            return
        if pruned:
            log.info("forgot %d handled transactions older than 7 days", pruned)

    async def _antispam(self, request: web.Request) -> web.Response:
        """One pre-persist check. Always answered 200 with a verdict the module reads; a
        failure here is answered as a refusal in words (the module fails closed only where
        the room is gated, from the room's own state, when it gets no answer at all)."""
        assert self._prepersist is not None
        callback = request.match_info["callback"]
        try:
            body = await _parse_body(await request.read())
        except (ValueError, UnicodeDecodeError, ijson.JSONError):
            return _error(400, "M_NOT_JSON", "body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "M_BAD_JSON", "body is not an object")
        checks = {
            "check_event_for_spam": lambda: self._prepersist.check_event(body.get("event")),  # type: ignore[union-attr]
            "user_may_invite": lambda: self._prepersist.user_may_invite(body),  # type: ignore[union-attr]
            "federated_user_may_invite": lambda: self._prepersist.federated_user_may_invite(body),  # type: ignore[union-attr]
            "user_may_join_room": lambda: self._prepersist.user_may_join_room(body),  # type: ignore[union-attr]
        }
        check = checks.get(callback)
        if check is None:
            return _error(404, "M_UNRECOGNIZED", f"no pre-persist check {callback}")
        if self._watch is not None and callback == "check_event_for_spam":
            self._watch.asked(body.get("event"))
        started = time.perf_counter()
        try:
            answer = await check()
        except Exception as e:
            log.error("pre-persist %s failed: %s", callback, type(e).__name__)
            log.debug("pre-persist %s failure", callback, exc_info=True)
            return web.json_response(
                {
                    "allow": False,
                    "errcode": "M_FORBIDDEN",
                    "error": "PHI Gate could not check this just now; try again in a moment",
                }
            )
        finally:
            if self._metrics is not None:
                self._metrics.prepersist_latency.labels(callback=callback).observe(
                    time.perf_counter() - started
                )
        return web.json_response(answer.json())

    async def _query_user(self, request: web.Request) -> web.Response:
        return _error(404, "M_NOT_FOUND", "PHI Gate creates no users on demand")

    async def _query_alias(self, request: web.Request) -> web.Response:
        return _error(404, "M_NOT_FOUND", "PHI Gate creates no rooms on demand")

    async def _ping(self, request: web.Request) -> web.Response:
        return web.json_response({})

    async def _health(self, request: web.Request) -> web.Response:
        """200 when every dependency answers, 503 naming each one that does not
        (bridge.health); without checks (a server built by a test): that it listens."""
        if self._health_checks is None:
            return web.json_response({"status": "ok"})
        status, body = health_document(await self._health_checks.run())
        return web.json_response(body, status=status)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        assert self._metrics is not None
        return web.Response(
            body=self._metrics.exposition(), headers={"Content-Type": METRICS_CONTENT_TYPE}
        )

    async def start(self, host: str, port: int) -> None:
        await self.prune_transactions()
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _bearer(request: web.Request) -> str | None:
    """The hs_token, from the ``Authorization`` header only: a token in the query string
    ends up in access logs (Synapse sends the header since the spec's v1.4)."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return None


async def _parse_body(raw: bytes) -> Any:
    """The transaction body, nested no deeper than :data:`BODY_DEPTH`.

    The stdlib parser recurses and gives up past ~1,000 levels; a member can send content
    nested that deep through the homeserver, and the transaction must still be handled
    (every other event in it too). Such a body is re-read by ijson (yajl, iterative) in a
    worker thread and cut to depth."""
    try:
        body = json.loads(raw)
    except RecursionError:
        body = await asyncio.to_thread(lambda: next(ijson.items(raw, "", use_float=True)))
    return bounded_to(body, BODY_DEPTH)[0]
