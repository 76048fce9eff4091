"""The homeserver as PHI Gate acts on it: the bot, and staff it may act for (appservice masquerade).

Everything here is I/O; errors leave as two types the gate can act on:
:class:`HomeserverUnavailable` (retry: the transaction is answered with an error) and
:class:`HomeserverRefused` (the homeserver said no: e.g. no power to redact).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from mautrix.api import Method, Path
from mautrix.appservice import AppServiceAPI
from mautrix.client import ClientAPI
from mautrix.errors import MatrixConnectionError, MatrixRequestError, MNotFound, MUserInUse
from mautrix.types import EventType, RoomAlias, RoomID, UserID

from bridge.config import Config
from bridge.errors import PhiGateError
from bridge.matrix.notices import reply_relation

log = logging.getLogger(__name__)

GATE_EVENT = EventType.find("org.phigate.gate", EventType.Class.STATE)
T = TypeVar("T")


class HomeserverUnavailable(PhiGateError):
    """The homeserver did not answer, or answered 5xx: try again later."""


class HomeserverRefused(PhiGateError):
    """The homeserver refused a request (4xx)."""

    def __init__(self, message: str, errcode: str | None = None, status: int = 0) -> None:
        super().__init__(message)
        self.errcode = errcode
        self.status = status


async def _call(what: str, request: Callable[[], Awaitable[T]]) -> T:
    try:
        return await request()
    except MatrixRequestError as e:
        status = getattr(e, "http_status", 0)
        errcode = getattr(e, "errcode", None)
        if status >= 500 or status == 0:
            raise HomeserverUnavailable(f"{what}: homeserver error {status}") from e
        raise HomeserverRefused(f"{what}: {errcode or status}", errcode, status) from e
    except (MatrixConnectionError, aiohttp.ClientError, TimeoutError, OSError) as e:
        raise HomeserverUnavailable(f"{what}: homeserver unreachable ({type(e).__name__})") from e


class Homeserver:
    def __init__(self, config: Config, session: aiohttp.ClientSession) -> None:
        self.config = config
        self.bot_id = UserID(config.bot_user_id)
        self._api = AppServiceAPI(
            base_url=config.homeserver.address,
            bot_mxid=UserID(config.sender_user_id),
            token=config.appservice.as_token,
            log=logging.getLogger("phigate.mautrix"),
            client_session=session,
            default_retry_count=1,
        )
        self.bot = self.client(self.bot_id)

    def client(self, user_id: str) -> ClientAPI:
        """A client acting as ``user_id`` (the bot, or a user in the appservice's namespaces)."""
        return ClientAPI(UserID(user_id), api=self._api.user(UserID(user_id)))

    async def ensure_bot_registered(self) -> None:
        async def register() -> None:
            with contextlib.suppress(MUserInUse):
                await self._api.request(
                    Method.POST,
                    Path.v3.register,
                    {
                        "username": self.config.appservice.bot_username,
                        "type": "m.login.application_service",
                        "inhibit_login": True,
                    },
                )

        await _call("register bot", register)

    async def whoami(self) -> str:
        """Who the as_token is (the registration's sender): proves the homeserver knows us."""
        response = await _call(
            "whoami", lambda: self._api.request(Method.GET, Path.v3.account.whoami)
        )
        return str(response.get("user_id"))

    async def redact(
        self, room_id: str, event_id: str, reason: str, *, txn_id: str | None = None
    ) -> None:
        """Redact as the bot. A ``txn_id`` makes a repeat idempotent: the homeserver answers a
        request with a transaction ID it has seen (for 30 min or more) without acting again."""
        path = Path.v3.rooms[RoomID(room_id)].redact[event_id][txn_id or self.bot.api.get_txn_id()]
        await _call(
            "redact",
            lambda: self.bot.api.request(Method.PUT, path, {"reason": reason[:500]}),
        )

    async def send_notice(
        self,
        room_id: str,
        text: str,
        html: str | None = None,
        *,
        txn_id: str | None = None,
        reply_to: str | None = None,
    ) -> str:
        content: dict[str, Any] = {"msgtype": "m.notice", "body": text}
        if html:
            content.update(format="org.matrix.custom.html", formatted_body=html)
        if reply_to:
            content.update(reply_relation(reply_to))
        return await self.send_event(room_id, "m.room.message", content, txn_id=txn_id)

    async def send_event(
        self,
        room_id: str,
        event_type: str,
        content: dict[str, Any],
        *,
        txn_id: str | None = None,
    ) -> str:
        kind = EventType.find(event_type, EventType.Class.MESSAGE)
        return str(
            await _call(
                f"send {event_type}",
                lambda: self.bot.send_message_event(RoomID(room_id), kind, content, txn_id=txn_id),
            )
        )

    async def messages(
        self, room_id: str, before: str | None, limit: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of the room's timeline as the bot reads it, newest first, and the token for
        the page before it (None at the start of the room)."""
        query: dict[str, str] = {"dir": "b", "limit": str(limit)}
        if before:
            query["from"] = before
        path = Path.v3.rooms[RoomID(room_id)].messages
        body = await _call(
            "read messages",
            lambda: self.bot.api.request(Method.GET, path, query_params=query),
        )
        chunk = body.get("chunk") if isinstance(body, dict) else None
        end = body.get("end") if isinstance(body, dict) else None
        return (chunk if isinstance(chunk, list) else []), (end if isinstance(end, str) else None)

    async def ping_appservice(self) -> None:
        """Ask the homeserver to ping PHI Gate (Matrix v1.7 appservice ping). A successful ping
        also makes Synapse retry the transactions it held back while PHI Gate was down at once,
        instead of after its backoff (up to 8.5 minutes)."""
        path = Path.v1.appservice[self.config.appservice.id].ping
        await _call("appservice ping", lambda: self._api.request(Method.POST, path, {}))

    async def set_gate_state(self, room_id: str, content: dict[str, Any]) -> None:
        await _call(
            "set gate state",
            lambda: self.bot.send_state_event(RoomID(room_id), GATE_EVENT, content, ""),
        )

    async def put_state(
        self, room_id: str, event_type: str, content: dict[str, Any], *, as_user: str
    ) -> None:
        client = self.client(as_user)
        await _call(
            f"set {event_type}",
            lambda: client.api.request(
                Method.PUT, Path.v3.rooms[RoomID(room_id)].state[event_type][""], content
            ),
        )

    async def join(self, room_id: str) -> None:
        await _call("join", lambda: self.bot.join_room_by_id(RoomID(room_id)))

    async def leave(self, room_id: str) -> None:
        await _call("leave", lambda: self.bot.leave_room(RoomID(room_id)))

    async def invite(self, room_id: str, user_id: str, *, as_user: str) -> None:
        client = self.client(as_user)
        await _call("invite", lambda: client.invite_user(RoomID(room_id), UserID(user_id)))

    async def query_keys(self, user_id: str) -> dict[str, Any]:
        """The homeserver's /keys/query answer for one user (devices and cross-signing keys)."""
        response = await _call(
            "keys query",
            lambda: self.bot.api.request(
                Method.POST, Path.v3.keys.query, {"device_keys": {user_id: []}}
            ),
        )
        return response if isinstance(response, dict) else {}

    async def joined_rooms(self) -> list[str]:
        return [str(r) for r in await _call("joined rooms", self.bot.get_joined_rooms)]

    async def members(self, room_id: str, as_user: str | None = None) -> dict[str, str]:
        """user_id → membership (join/invite/…) from the room's current state."""
        client = self.client(as_user) if as_user else self.bot
        response = await _call(
            "members",
            lambda: client.api.request(Method.GET, Path.v3.rooms[RoomID(room_id)].members),
        )
        result: dict[str, str] = {}
        for event in response.get("chunk", []):
            if isinstance(event, dict) and isinstance(event.get("state_key"), str):
                content = event.get("content")
                membership = content.get("membership") if isinstance(content, dict) else None
                if isinstance(membership, str):
                    result[event["state_key"]] = membership
        return result

    async def room_state(self, room_id: str, as_user: str | None = None) -> list[dict[str, Any]]:
        """Every current state event of a room (members, power levels, create, encryption)."""
        client = self.client(as_user) if as_user else self.bot
        response = await _call(
            "room state",
            lambda: client.api.request(Method.GET, Path.v3.rooms[RoomID(room_id)].state),
        )
        return [e for e in response if isinstance(e, dict)] if isinstance(response, list) else []

    async def resolve_alias(self, alias: str) -> str | None:
        async def resolve() -> str | None:
            try:
                return str((await self.bot.resolve_room_alias(RoomAlias(alias))).room_id)
            except MNotFound:
                return None

        return await _call("resolve alias", resolve)

    async def create_room(
        self,
        *,
        alias_localpart: str | None,
        name: str,
        topic: str,
        invitees: list[str],
        initial_state: list[dict[str, Any]],
        power_users: dict[str, int],
    ) -> str:
        room_id = await _call(
            "create room",
            lambda: self.bot.create_room(
                alias_localpart=alias_localpart,
                name=name,
                topic=topic,
                invitees=[UserID(u) for u in invitees],
                initial_state=initial_state,
                power_level_override={"users": power_users} if power_users else None,
            ),
        )
        return str(room_id)
