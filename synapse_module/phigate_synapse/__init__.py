"""PHI Gate's Synapse module: the homeserver asks PHI Gate before it stores an event.

Installed into Synapse's environment (``pip install ./synapse_module``) and configured by the
``modules:`` entry ``phigate synapse-config`` prints. Each spam-checker callback is one HTTP
call to PHI Gate (``POST {url}/_phigate/antispam/v1/<callback>``, bearer secret); PHI Gate
decides with the same verdict function its redaction path uses and answers
``{"allow": true}`` or ``{"allow": false, "errcode": …, "error": …}``.

Why not synapse-http-antispam: it can only fail open or closed per callback, for every room
alike. When PHI Gate cannot be reached, this module decides per room from the room's own
``org.phigate.gate`` state (which PHI Gate keeps current): rooms without it (not managed)
and open rooms keep working, gated rooms refuse. A stale state can only refuse more: an open
state past its ``open_until`` instant (the first agreement expiry) counts as gated, and so
does a room with a member the state does not account for.

Depends on nothing but Synapse.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from synapse.api.errors import Codes
from synapse.module_api import (
    NOT_SPAM,
    ModuleApi,
    make_deferred_yieldable,
    run_in_background,
)
from twisted.internet import reactor

logger = logging.getLogger(__name__)

GATE_STATE = "org.phigate.gate"
Verdict = Any  # NOT_SPAM or (Codes, {"error": …})


class Unreachable(Exception):
    """PHI Gate did not answer (down, slow, or an answer that is not ours)."""


class PhiGateModule:
    def __init__(self, config: dict[str, Any], api: ModuleApi) -> None:
        self._api = api
        self._url = config["url"].rstrip("/") + "/_phigate/antispam/v1/"
        self._headers = {"Authorization": [f"Bearer {config['secret']}"]}
        self._timeout = float(config.get("timeout_seconds", 5))
        self._service_users = frozenset(config.get("service_users", ()))
        self._staff_domains = frozenset(d.lower() for d in config.get("staff_domains", ()))
        # PHI Gate's organization.staff_*: without staff_by_domain only named accounts are
        # staff, so an unnamed local account that joins an open room makes its state stale.
        # (Absent keys: every staff-domain account, as modules configured before them did.)
        self._staff_by_domain = bool(config.get("staff_by_domain", True))
        self._staff_users = frozenset(config.get("staff_users", ()))
        self._staff_patterns = tuple(re.compile(p) for p in config.get("staff_user_patterns", ()))
        api.register_spam_checker_callbacks(
            check_event_for_spam=self.check_event_for_spam,
            user_may_invite=self.user_may_invite,
            federated_user_may_invite=self.federated_user_may_invite,
            user_may_join_room=self.user_may_join_room,
        )

    @staticmethod
    def parse_config(config: dict[str, Any]) -> dict[str, Any]:
        for key in ("url", "secret"):
            if not isinstance(config.get(key), str) or not config[key]:
                raise ValueError(f"phigate_synapse: config key {key} is required")
        return config

    # --- callbacks -------------------------------------------------------------------------

    async def check_event_for_spam(self, event: Any) -> Verdict:
        if event.sender in self._service_users:
            return NOT_SPAM
        if await self._allowed_from_state(event):
            return NOT_SPAM
        try:
            # The event ID of room versions 3+ is a hash, not part of the event's JSON.
            body = {"event": {**event.get_dict(), "event_id": event.event_id}}
            answer = await self._ask("check_event_for_spam", body)
        except Unreachable as e:
            return await self._without_phigate(event.room_id, f"a message ({e})")
        return _verdict(answer)

    async def user_may_invite(self, inviter: str, invitee: str, room_id: str) -> Verdict:
        if inviter in self._service_users:
            return NOT_SPAM
        bot = await self._bot_membership(room_id)
        body = {"inviter": inviter, "invitee": invitee, "room_id": room_id, "bot_membership": bot}
        try:
            answer = await self._ask("user_may_invite", body)
        except Unreachable:
            if self._is_staff_domain(invitee):
                return NOT_SPAM
            return _refuse(
                "PHI Gate cannot be reached right now, so people outside the practice cannot be "
                "invited; try again once it is back"
            )
        return _verdict(answer)

    async def federated_user_may_invite(self, event: Any) -> Verdict:
        """Someone on another server invites a local user. Synapse then also asks
        ``user_may_invite``, which looks at the invitee only (local staff may always be
        invited); this asks about the inviter: a vendor must not pull staff into a room
        PHI Gate does not protect."""
        inviter, invitee = event.sender, event.state_key
        body = {"inviter": inviter, "invitee": invitee, "room_id": event.room_id}
        try:
            answer = await self._ask("federated_user_may_invite", body)
        except Unreachable:
            if self._is_staff_domain(inviter):
                return NOT_SPAM
            return _refuse(
                "PHI Gate cannot be reached right now, so invitations from outside the practice "
                "cannot be checked; ask again once it is back"
            )
        return _verdict(answer)

    async def user_may_join_room(self, user: str, room_id: str, is_invited: bool) -> Verdict:
        if user in self._service_users:
            return NOT_SPAM
        body = {"user": user, "room_id": room_id, "is_invited": is_invited}
        try:
            answer = await self._ask("user_may_join_room", body)
        except Unreachable:
            if await self._gate_state(room_id) is None:
                return NOT_SPAM  # not a room PHI Gate manages
            return _refuse(
                "PHI Gate cannot be reached right now, so no one can join a room it protects; "
                "try again once it is back"
            )
        return _verdict(answer)

    # --- PHI Gate unreachable: the room's own state decides ---------------------------------

    async def _without_phigate(self, room_id: str, what: str) -> Verdict:
        logger.warning("PHI Gate unreachable for %s in %s", what, room_id)
        gate = await self._gate_state(room_id)
        if gate is None:
            return NOT_SPAM  # a room PHI Gate does not manage keeps working
        content = gate.content
        if content.get("state") == "open" and not await self._stale(room_id, content):
            return NOT_SPAM
        return _refuse(
            "PHI Gate cannot be reached right now and this room is gated (a vendor's BAA or a "
            "patient's consent is not Active), so nothing can be sent until it is back"
        )

    async def _stale(self, room_id: str, content: dict[str, Any]) -> bool:
        """Whether an open state can no longer be trusted: an agreement may have expired since,
        or someone joined whom the state does not account for."""
        open_until = content.get("open_until")
        if isinstance(open_until, int) and time.time() * 1000 >= open_until:
            return True
        listed = _listed(content)
        members = await self._api.get_room_state(room_id, [("m.room.member", None)])
        for (_, user_id), member in members.items():
            if member.content.get("membership") not in ("join", "invite"):
                continue
            if user_id in self._service_users or user_id in listed:
                continue
            if not self._is_staff_domain(user_id):
                return True
        return False

    async def _allowed_from_state(self, event: Any) -> bool:
        """Whether the room's own state already gives PHI Gate's answer, "allow", without the
        HTTP round trip (every send waits for it):

        * a room PHI Gate does not manage (no gate state, the bot neither invited nor joined);
        * an open room, for a message that is not an attachment: an open room lets every
          message through, and PHI Gate publishes a closing gate before the command that
          closes it returns. Trusted only when PHI Gate itself wrote the state, can still
          write it (else a change could not be published), and it is not stale (see
          :meth:`_stale`). Attachments are still asked about: PHI Gate checks them first.
        """
        wanted = [(GATE_STATE, ""), ("m.room.power_levels", "")]
        wanted += [("m.room.member", user) for user in self._service_users]
        state = await self._api.get_room_state(event.room_id, wanted)
        gate = state.get((GATE_STATE, ""))
        if gate is None:
            return not any(
                e.content.get("membership") in ("join", "invite")
                for key, e in state.items()
                if key[0] == "m.room.member"
            )
        content = gate.content
        return (
            content.get("state") == "open"
            and gate.sender in self._service_users
            and not _attachment(event)
            and (self._is_staff_domain(event.sender) or event.sender in _listed(content))
            and _may_send_state(state.get(("m.room.power_levels", "")), gate.sender)
            and not await self._stale(event.room_id, content)
        )

    async def _gate_state(self, room_id: str) -> Any | None:
        state = await self._api.get_room_state(room_id, [(GATE_STATE, "")])
        return state.get((GATE_STATE, ""))

    async def _bot_membership(self, room_id: str) -> str | None:
        bots = [(("m.room.member", user)) for user in self._service_users]
        state = await self._api.get_room_state(room_id, bots)
        memberships = [e.content.get("membership") for e in state.values()]
        for wanted in ("join", "invite"):
            if wanted in memberships:
                return wanted
        return None

    def _is_staff_domain(self, user_id: str) -> bool:
        local, _, server = user_id.partition(":")
        if server.lower() not in self._staff_domains:
            return False
        return (
            self._staff_by_domain
            or f"{local}:{server.lower()}" in self._staff_users
            or any(p.fullmatch(user_id) for p in self._staff_patterns)
        )

    # --- the call ---------------------------------------------------------------------------

    async def _ask(self, callback: str, body: dict[str, Any]) -> dict[str, Any]:
        request = run_in_background(
            self._api.http_client.post_json_get_json,
            self._url + callback,
            body,
            headers=self._headers,
        )
        # Bounded: Synapse's own client would wait 60 s for a hung PHI Gate.
        request.addTimeout(self._timeout, reactor)
        try:
            answer = await make_deferred_yieldable(request)
        except Exception as e:  # down, refused, timed out, not JSON, a 5xx
            raise Unreachable(type(e).__name__) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("allow"), bool):
            raise Unreachable("unexpected answer")
        return answer


TEXT_MSGTYPES = frozenset({"m.text", "m.notice", "m.emote"})


def _attachment(event: Any) -> bool:
    """Anything that may carry a file: what is not plainly text is asked about. (Encrypted
    events are not: PHI Gate answers those in open rooms without decrypting them.)"""
    if event.type == "m.room.encrypted":
        return False
    if event.type != "m.room.message":
        return True
    content = event.content
    new_content = content.get("m.new_content")
    for part in (content, new_content if isinstance(new_content, dict) else {}):
        if part and (part.get("msgtype") not in TEXT_MSGTYPES or "url" in part or "file" in part):
            return True
    return False


def _listed(content: dict[str, Any]) -> set[Any]:
    """The counterparties an ``org.phigate.gate`` state accounts for."""
    parties = content.get("counterparties")
    return (
        {c.get("user_id") for c in parties if isinstance(c, dict)}
        if isinstance(parties, list)
        else set()
    )


def _may_send_state(power_levels: Any, user_id: str) -> bool:
    """Whether ``user_id`` may still send the gate state (so PHI Gate can publish a change)."""
    if power_levels is None:
        return False
    content = power_levels.content
    users = content.get("users") if isinstance(content.get("users"), dict) else {}
    events = content.get("events") if isinstance(content.get("events"), dict) else {}
    level = users.get(user_id, content.get("users_default", 0))
    needed = events.get(GATE_STATE, content.get("state_default", 50))
    return isinstance(level, int) and isinstance(needed, int) and level >= needed


def _verdict(answer: dict[str, Any]) -> Verdict:
    if answer["allow"]:
        return NOT_SPAM
    return (Codes.FORBIDDEN, {"error": str(answer.get("error") or "Refused by PHI Gate")})


def _refuse(text: str) -> Verdict:
    return (Codes.FORBIDDEN, {"error": text})
