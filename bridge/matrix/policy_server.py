"""PHI Gate as the rooms' policy server (MSC4284): ``POST /_matrix/policy/v1/sign``.

A vendor's own homeserver asks the room's policy server before it stores or sends an event
its user created (and about events it receives that carry no policy signature). PHI Gate
answers with the one verdict of the pre-persist path (:meth:`PrePersistChecks.decide`, which
is :func:`bridge.policy.judge`): an allowed event gets PHI Gate's signature
(``ed25519:policy_server``, over the event redacted by its room version's rules), a blocked
one a 403 whose ``error`` the vendor's client shows its user word for word. So a vendor's
blocked message is stored nowhere, not even on the vendor's server.

The asking server proves who it is with its ``X-Matrix`` request signature; its keys come
from the practice's own homeserver (``/_matrix/key/v2/query``: it already discovers, fetches
and caches remote servers' keys over federation) and are accepted only if the origin's own
signature over them checks out. ``/sign`` writes nothing (it must answer while the database
is slow or down) and answers within ``policy_server.timeout_seconds``: a hang would cost the
vendor 30 s per send.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from canonicaljson import encode_canonical_json
from nacl.signing import SigningKey
from signedjson.key import (
    decode_signing_key_base64,
    decode_verify_key_bytes,
    encode_verify_key_base64,
    get_verify_key,
)
from signedjson.sign import SignatureVerifyException, sign_json, verify_signed_json
from unpaddedbase64 import decode_base64, encode_base64

from bridge.audit.keyring import _read_key_file, generate_key_file
from bridge.config import Config
from bridge.matrix.homeserver import Homeserver, HomeserverRefused, HomeserverUnavailable
from bridge.matrix.prepersist import Decision

log = logging.getLogger(__name__)

SIGN_PATH = "/_matrix/policy/v1/sign"
KEY_VERSION = "policy_server"
KEY_ID = f"ed25519:{KEY_VERSION}"
WHAT = "policy server key"
# Answers kept by event ID: Synapse asks again for old events it backfills, and an event
# that was allowed then is signed again (bounded: the oldest answers go first).
ANSWER_CACHE = 50_000
# Remote servers' keys are re-read at most this often (or when a request names a key the
# cache lacks), however long their validity.
KEY_CACHE_MS = 3600 * 1000
KEY_FETCH_SECONDS = 3.0
MAX_BODY = 1024 * 1024  # a PDU is at most 64 KiB; room to spare, never unbounded


class PolicyServerError(Exception):
    """A request /sign cannot answer: its one-line message goes back to the asking server."""

    def __init__(self, status: int, errcode: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.errcode = errcode


class UnsupportedRoomVersion(Exception):
    """A room version whose redaction rules PHI Gate does not know."""


# ------------------------------------------------------------------------- the key


def load_signing_key(path: Path, *, create: bool) -> SigningKey:
    """The policy server's Ed25519 key from its 0600 seed file (written first if ``create``
    and missing; never a built-in default)."""
    if create and not path.exists():
        generate_key_file(path, what=WHAT)
    # signedjson signs with the key ID f"{alg}:{version}" it attaches here.
    return decode_signing_key_base64(
        "ed25519", KEY_VERSION, encode_base64(_read_key_file(path, WHAT))
    )


def public_key(key: SigningKey) -> str:
    """Unpadded base64, as ``m.room.policy`` ``public_keys.ed25519`` carries it."""
    return encode_verify_key_base64(key.verify_key)


# ------------------------------------------------------------------- event format


def _version(room_version: str) -> int:
    if not room_version.isdigit() or not 1 <= int(room_version) <= 12:
        raise UnsupportedRoomVersion(f"room version {room_version!r}")
    return int(room_version)


def redacted(event: Mapping[str, Any], room_version: str) -> dict[str, Any]:
    """The event as redaction leaves it (the spec's algorithm, room versions 1–12)."""
    v = _version(room_version)
    keep = {
        "event_id", "type", "room_id", "sender", "state_key", "content", "hashes",
        "signatures", "depth", "prev_events", "auth_events", "origin_server_ts",
    }  # fmt: skip
    if v < 11:
        keep |= {"prev_state", "origin", "membership"}
    out = {k: v_ for k, v_ in event.items() if k in keep}
    content = event.get("content")
    content = content if isinstance(content, Mapping) else {}
    kind = event.get("type")
    kept: dict[str, Any] = {}
    if kind == "m.room.member":
        names = ["membership"]
        if v >= 9:
            names.append("join_authorised_via_users_server")
        kept = {k: content[k] for k in names if k in content}
        invite = content.get("third_party_invite")
        if v >= 11 and isinstance(invite, Mapping) and "signed" in invite:
            kept["third_party_invite"] = {"signed": invite["signed"]}
    elif kind == "m.room.create":
        if v >= 12:
            out.pop("room_id", None)  # the create event's hash is the room ID (MSC4291)
        kept = dict(content) if v >= 11 else {k: content[k] for k in ("creator",) if k in content}
    elif kind == "m.room.join_rules":
        names = ["join_rule", "allow"] if v >= 8 else ["join_rule"]
        kept = {k: content[k] for k in names if k in content}
    elif kind == "m.room.power_levels":
        names = ["ban", "events", "events_default", "kick", "redact", "state_default"]
        names += ["users", "users_default"] + (["invite"] if v >= 11 else [])
        kept = {k: content[k] for k in names if k in content}
    elif kind == "m.room.aliases" and v <= 5:
        kept = {k: content[k] for k in ("aliases",) if k in content}
    elif kind == "m.room.history_visibility":
        kept = {k: content[k] for k in ("history_visibility",) if k in content}
    elif kind == "m.room.redaction" and v >= 11:
        kept = {k: content[k] for k in ("redacts",) if k in content}
    out["content"] = kept
    return out


def _stripped(event: Mapping[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in ("signatures", "unsigned", *drop)}


def content_hash_ok(event: Mapping[str, Any]) -> bool:
    """The event's ``hashes.sha256`` covers the content it carries: what PHI Gate judged is
    what its signature (over the redacted event, hashes included) vouches for."""
    hashes = event.get("hashes")
    claimed = hashes.get("sha256") if isinstance(hashes, Mapping) else None
    if not isinstance(claimed, str):
        return False
    digest = hashlib.sha256(encode_canonical_json(_stripped(event, "hashes"))).digest()
    try:
        return decode_base64(claimed) == digest
    except ValueError:
        return False


def event_id_of(event: Mapping[str, Any], room_version: str) -> str:
    """The event's ID: given in room versions 1–2, its reference hash from version 3 on."""
    v = _version(room_version)
    if v <= 2:
        given = event.get("event_id")
        if not isinstance(given, str):
            raise PolicyServerError(400, "M_BAD_JSON", "the event has no event_id")
        return given
    digest = hashlib.sha256(
        encode_canonical_json(_stripped(redacted(event, room_version), "age_ts"))
    ).digest()
    text = encode_base64(digest)
    if v >= 4:
        text = text.replace("+", "-").replace("/", "_")
    return "$" + text


# ------------------------------------------------------------------ X-Matrix auth


@dataclass(frozen=True, slots=True)
class XMatrix:
    origin: str
    destination: str | None
    key: str
    sig: str


def parse_x_matrix(header: str) -> XMatrix:
    scheme, _, params = header.partition(" ")
    if scheme != "X-Matrix":
        raise PolicyServerError(401, "M_UNAUTHORIZED", "expected X-Matrix authorization")
    values: dict[str, str] = {}
    for part in params.split(","):
        name, sep, value = part.strip().partition("=")
        if sep:
            values[name.strip()] = value.strip().strip('"')
    try:
        return XMatrix(values["origin"], values.get("destination"), values["key"], values["sig"])
    except KeyError as missing:
        raise PolicyServerError(
            401, "M_UNAUTHORIZED", f"X-Matrix authorization without {missing.args[0]}"
        ) from None


KeyFetcher = Callable[[str], Awaitable[Mapping[str, Any]]]


class ServerKeys:
    """Remote servers' verify keys, read through the practice's homeserver acting as key
    notary, checked against the origin's own signature, cached in memory."""

    def __init__(self, fetch: KeyFetcher, clock: Callable[[], int]) -> None:
        self._fetch = fetch
        self._clock = clock
        self._keys: dict[str, tuple[int, dict[str, Any]]] = {}
        self._inflight: dict[str, asyncio.Future[None]] = {}

    async def key(self, server: str, key_id: str) -> Any:
        cached = self._keys.get(server)
        now = self._clock()
        if cached is None or cached[0] < now or key_id not in cached[1]:
            await self._refresh(server)
            cached = self._keys.get(server)
        if cached is None or key_id not in cached[1]:
            raise PolicyServerError(401, "M_UNAUTHORIZED", f"unknown key {key_id} of {server}")
        return cached[1][key_id]

    async def _refresh(self, server: str) -> None:
        # One fetch per server at a time: a burst of sends from one vendor asks once.
        pending = self._inflight.get(server)
        if pending is not None:
            await asyncio.shield(pending)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._inflight[server] = future
        try:
            self._store(server, await self._fetch(server))
        except (aiohttp.ClientError, TimeoutError, ValueError) as e:
            log.warning("keys of %s could not be fetched: %s", server, type(e).__name__)
        finally:
            del self._inflight[server]
            future.set_result(None)

    def _store(self, server: str, body: Mapping[str, Any]) -> None:
        entries = body.get("server_keys")
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or entry.get("server_name") != server:
                continue
            keys: dict[str, Any] = {}
            for key_id, info in (entry.get("verify_keys") or {}).items():
                try:
                    verify = decode_verify_key_bytes(key_id, decode_base64(info["key"]))
                except (KeyError, TypeError, ValueError):
                    continue
                keys[key_id] = verify
            # The origin's own signature, with one of the keys it lists.
            if not any(self._self_signed(entry, server, k) for k in keys.values()):
                continue
            until = entry.get("valid_until_ts")
            until = until if isinstance(until, int) else 0
            self._keys[server] = (min(until, self._clock() + KEY_CACHE_MS), keys)
            return

    @staticmethod
    def _self_signed(entry: Mapping[str, Any], server: str, key: Any) -> bool:
        try:
            verify_signed_json(dict(entry), server, key)
        except SignatureVerifyException:
            return False
        return True


# ------------------------------------------------------------------------- /sign


Decide = Callable[[dict[str, Any]], Awaitable[Decision]]
RoomVersion = Callable[[str], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class SignAnswer:
    status: int
    body: dict[str, Any]


class PolicyServer:
    def __init__(
        self,
        *,
        server_name: str,
        key: SigningKey,
        keys: ServerKeys,
        decide: Decide,
        room_version: RoomVersion,
        timeout_seconds: float,
    ) -> None:
        self.server_name = server_name
        self._key = key
        self._keys = keys
        self._decide = decide
        self._room_version = room_version
        self._timeout = timeout_seconds
        self._answers: OrderedDict[str, SignAnswer] = OrderedDict()
        self.public_key = public_key(key)
        # signedjson finds the signature by the verify key's alg and version.
        self._verify_key = get_verify_key(key)
        # For operators and benchmarks: requests answered, and how.
        self.signed = 0
        self.refused = 0

    async def handle(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            raw = await request.content.read(MAX_BODY + 1)
            if len(raw) > MAX_BODY:
                raise PolicyServerError(413, "M_TOO_LARGE", "the event is too large")
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError):
                raise PolicyServerError(400, "M_NOT_JSON", "the body is not JSON") from None
            origin = await self._authenticate(request, body)
            answer = await asyncio.wait_for(self.sign(body), self._timeout)
        except PolicyServerError as e:
            return web.json_response({"errcode": e.errcode, "error": str(e)}, status=e.status)
        except TimeoutError:
            log.warning("policy check took longer than %.1f s: refused", self._timeout)
            return web.json_response(
                {
                    "errcode": "M_FORBIDDEN",
                    "error": "PHI Gate could not check this message in time; try again",
                },
                status=403,
            )
        log.debug(
            "policy check for %s: %d in %.1f ms",
            origin,
            answer.status,
            (time.perf_counter() - started) * 1000,
        )
        return web.json_response(answer.body, status=answer.status)

    async def _authenticate(self, request: web.Request, body: Any) -> str:
        header = parse_x_matrix(request.headers.get("Authorization", ""))
        if header.destination is not None and header.destination != self.server_name:
            raise PolicyServerError(401, "M_UNAUTHORIZED", "this request is for another server")
        signed: dict[str, Any] = {
            "method": request.method,
            "uri": request.raw_path,
            "origin": header.origin,
            "signatures": {header.origin: {header.key: header.sig}},
            "content": body,
        }
        if header.destination is not None:
            signed["destination"] = header.destination
        key = await self._keys.key(header.origin, header.key)
        try:
            verify_signed_json(signed, header.origin, key)
        except SignatureVerifyException:
            raise PolicyServerError(
                401, "M_UNAUTHORIZED", f"bad X-Matrix signature from {header.origin}"
            ) from None
        return header.origin

    async def carries_signature(self, event: Mapping[str, Any]) -> bool:
        """Whether an event arriving from another server carries PHI Gate's valid policy
        signature, i.e. its server asked ``/sign`` before it stored and sent it."""
        room_id = event.get("room_id")
        if not isinstance(room_id, str):
            return False
        try:
            version = await self._room_version(room_id)
            body = dict(event)
            if _version(version) >= 3:
                body.pop("event_id", None)  # a hash of the event, not part of it
            verify_signed_json(redacted(body, version), self.server_name, self._verify_key)
        except (SignatureVerifyException, UnsupportedRoomVersion, HomeserverRefused):
            return False
        return True

    async def sign(self, event: Any) -> SignAnswer:
        """The answer for one event: its policy signature, or a refusal in words."""
        if not isinstance(event, dict):
            raise PolicyServerError(400, "M_BAD_JSON", "the body is not an event")
        room_id = event.get("room_id")
        content = event.get("content")
        try:
            if isinstance(room_id, str):
                version = await self._room_version(room_id)
            elif event.get("type") == "m.room.create" and isinstance(content, dict):
                # Room version 12+: the create event has no room ID (its hash is the ID).
                version = str(content.get("room_version", "1"))
            else:
                raise PolicyServerError(400, "M_BAD_JSON", "the body is not an event")
            event_id = event_id_of(event, version)
        except UnsupportedRoomVersion as e:
            raise PolicyServerError(400, "M_UNSUPPORTED_ROOM_VERSION", f"unsupported {e}") from None
        cached = self._answers.get(event_id)
        if cached is not None:
            self._answers.move_to_end(event_id)
            return cached
        if not content_hash_ok(event):
            # Never cached: the same ID may come again with its real content.
            raise PolicyServerError(400, "M_BAD_JSON", "the event's content hash does not match")
        decision = await self._decide(
            {**event, "event_id": event_id, "room_id": room_id or "!" + event_id[1:]}
        )
        if decision.answer.allow:
            signature = sign_json(redacted(event, version), self.server_name, self._key)
            answer = SignAnswer(
                200, {self.server_name: {KEY_ID: signature["signatures"][self.server_name][KEY_ID]}}
            )
            self.signed += 1
        else:
            answer = SignAnswer(403, {"errcode": "M_FORBIDDEN", "error": decision.answer.error})
            self.refused += 1
            log.info("policy server refused %s in %s", event_id, room_id)
        self._answers[event_id] = answer
        if len(self._answers) > ANSWER_CACHE:
            self._answers.popitem(last=False)
        return answer


# ---------------------------------------------------------------------------- wiring


class RoomVersions:
    """Room versions (for the redaction rules and event IDs), read once per room from the
    room's create event through the bot, kept in memory."""

    def __init__(self, room_state: Callable[[str], Awaitable[list[dict[str, Any]]]]) -> None:
        self._room_state = room_state
        self._versions: dict[str, str] = {}

    async def __call__(self, room_id: str) -> str:
        version = self._versions.get(room_id)
        if version is None:
            try:
                state = await self._room_state(room_id)
            except (HomeserverRefused, HomeserverUnavailable):
                raise PolicyServerError(
                    404, "M_NOT_FOUND", "PHI Gate is not the policy server of this room"
                ) from None
            create = next((e for e in state if e.get("type") == "m.room.create"), {})
            content = create.get("content") or {}
            version = str(content.get("room_version", "1"))
            self._versions[room_id] = version
        return version


def notary_fetcher(session: aiohttp.ClientSession, homeserver_url: str) -> KeyFetcher:
    """Remote servers' keys through the practice's homeserver (key notary)."""

    async def fetch(server: str) -> Mapping[str, Any]:
        async with session.get(
            f"{homeserver_url}/_matrix/key/v2/query/{quote(server, safe='')}",
            timeout=aiohttp.ClientTimeout(total=KEY_FETCH_SECONDS),
        ) as response:
            if response.status != 200:
                raise ValueError(f"key query answered {response.status}")
            body = await response.json()
            if not isinstance(body, dict):
                raise ValueError("key query answered no object")
            return body

    return fetch


def build(
    config: Config,
    homeserver: Homeserver,
    session: aiohttp.ClientSession,
    decide: Decide,
    clock: Callable[[], int],
) -> PolicyServer:
    return PolicyServer(
        server_name=config.homeserver.domain,
        key=load_signing_key(config.policy_server.key_file, create=True),
        keys=ServerKeys(notary_fetcher(session, config.homeserver.address), clock),
        decide=decide,
        room_version=RoomVersions(homeserver.room_state),
        timeout_seconds=config.policy_server.timeout_seconds,
    )
