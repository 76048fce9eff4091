"""Reading megolm room events: sessions from mautrix's crypto store, decrypted with vodozemac,
each message index checked against replays."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import vodozemac
from mautrix.crypto import CryptoStore
from mautrix.types import EncryptionAlgorithm, RoomID, SessionID

from bridge.errors import PhiGateError
from bridge.matrix.replay import SESSION_CACHE, MessageIndexRow, ReplayIndex

log = logging.getLogger(__name__)


class Undecryptable(PhiGateError):
    """An encrypted event the bot has no key for (yet), or cannot decrypt at all."""

    def __init__(self, message: str, *, session_id: str | None, missing_key: bool) -> None:
        super().__init__(message)
        self.session_id = session_id
        self.missing_key = missing_key


@dataclass(frozen=True, slots=True)
class _ReadSession:
    """An inbound megolm session as the reader holds it."""

    session: vodozemac.InboundGroupSession
    sender_key: str


class MegolmReader:
    """Decrypts megolm room events from the sessions in the crypto store.

    mautrix keeps the sessions (python-olm, pickled in its crypto store); the reader decrypts
    them with vodozemac, which imports libolm pickles: libolm is deprecated with open
    side-channel advisories (CVE-2024-45191..45193) and decrypts about a third as fast.
    """

    def __init__(self, store: CryptoStore, wait: Callable[..., Awaitable[bool]]) -> None:
        self._store = store
        self._wait = wait
        self._sessions: dict[tuple[str, str], _ReadSession] = {}
        # Only ever pickles a session to hand it straight to vodozemac, in memory.
        self._handover_key = secrets.token_urlsafe(32)
        self._replay = ReplayIndex(lambda: store.db)  # type: ignore[attr-defined]

    async def decrypt(
        self,
        raw: Mapping[str, Any],
        *,
        wait: float,
        indices: list[MessageIndexRow] | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """Decrypt a megolm event; wait up to ``wait`` s for a missing session.

        ``indices`` receives the message index this event used: the caller writes it with
        :func:`write_message_indices` in the transaction that commits the event's audit
        record, before the appservice transaction is acknowledged.

        Decrypted here rather than by ``OlmMachine.decrypt_megolm_event``, for two reasons:
        mautrix's typed event replaces an edit's outer body with its ``m.new_content`` (the
        gate must read *every* text a client may show), and it resolves the sender device's
        trust with four queries per event — trust does not change what the gate does, since
        it reads and gates everything. Replay protection (message index) is kept.

        Returns:
            (event type, content) of the plaintext event, content exactly as sent.

        Raises:
            Undecryptable: no key within the wait, or the event cannot be decrypted at all.
        """
        content = raw.get("content")
        room_id = raw.get("room_id")
        if not isinstance(content, Mapping) or not isinstance(room_id, str):
            raise Undecryptable("malformed encrypted event", session_id=None, missing_key=False)
        session_id = content.get("session_id")
        ciphertext = content.get("ciphertext")
        if (
            content.get("algorithm") != EncryptionAlgorithm.MEGOLM_V1.value
            or not isinstance(session_id, str)
            or not isinstance(ciphertext, str)
        ):
            raise Undecryptable("not a megolm event", session_id=None, missing_key=False)
        # The cache is asked here, inline: one coroutine less per event on the hot path.
        session = self._sessions.get((room_id, session_id))
        if session is None:
            session = await self._group_session(room_id, session_id)
        if (
            session is None
            and wait > 0
            and await self._wait(RoomID(room_id), SessionID(session_id), timeout=wait)
        ):
            session = await self._group_session(room_id, session_id)
        if session is None:
            raise Undecryptable("no room key", session_id=session_id, missing_key=True)
        try:
            decrypted = session.session.decrypt(vodozemac.MegolmMessage.from_base64(ciphertext))
        except ValueError:  # vodozemac's decode and decryption errors (MAC, signature, index)
            # A key re-shared from an earlier index replaces the cached one: read it once more.
            self._sessions.pop((room_id, session_id), None)
            raise Undecryptable(
                "decryption failed", session_id=session_id, missing_key=False
            ) from None
        plaintext, index = decrypted.plaintext, decrypted.message_index
        ts = raw.get("origin_server_ts")
        if not await self._replay.first_use(
            session.sender_key, session_id, index, str(raw.get("event_id")), ts, indices
        ):
            raise Undecryptable("replayed message index", session_id=session_id, missing_key=False)
        try:
            payload = json.loads(plaintext)
            event_type, inner = payload["type"], payload["content"]
            same_room = payload["room_id"] == room_id
        except (ValueError, KeyError, TypeError, RecursionError):
            raise Undecryptable(
                "malformed megolm payload", session_id=session_id, missing_key=False
            ) from None
        if not same_room or not isinstance(event_type, str) or not isinstance(inner, dict):
            raise Undecryptable(
                "megolm payload for another room", session_id=session_id, missing_key=False
            )
        relation = content.get("m.relates_to")
        if isinstance(relation, Mapping) and "m.relates_to" not in inner:
            inner["m.relates_to"] = dict(relation)
        return event_type, inner

    async def _group_session(self, room_id: str, session_id: str) -> _ReadSession | None:
        """Load an inbound megolm session from the store into the cache (decrypt asks the
        cache first): decrypting does not change what a session can read."""
        key = (room_id, session_id)
        stored = await self._store.get_group_session(RoomID(room_id), SessionID(session_id))
        if stored is None:
            return None
        try:
            session = vodozemac.InboundGroupSession.from_libolm_pickle(
                stored.pickle(self._handover_key).decode("ascii"), self._handover_key.encode()
            )
        except ValueError:
            log.warning("room key %s in the crypto store cannot be read", session_id)
            return None
        if len(self._sessions) >= SESSION_CACHE:
            self._sessions.pop(next(iter(self._sessions)))
        cached = self._sessions[key] = _ReadSession(session, str(stored.sender_key))
        return cached
