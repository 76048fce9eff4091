"""One event judged: what decides it is gathered (members and their agreements, the content
category, the blocked events it relates to, the attachment check, whether it could be read)
and handed to :func:`bridge.policy.judge`, the one verdict function. The redaction path, the
late-key re-decision and the pre-persist checks all judge here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bridge.audit import AuditEntry, RecordKind
from bridge.classify import (
    NO_PRACTICE_SETTINGS,
    Classification,
    PracticeSettings,
    classify_content,
    classify_text,
)
from bridge.config import Config
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.events import MatrixEvent
from bridge.matrix.gate_state import RoomGates, audit_parties
from bridge.matrix.notices import block_notice
from bridge.matrix.rooms import Room, RoomTracker
from bridge.matrix.work import Work
from bridge.media import MediaChecker
from bridge.metrics import Metrics, Outcome
from bridge.policy import (
    ContentCategory,
    Counterparty,
    EventFacts,
    EventKind,
    Relation,
    SenderKind,
    Verdict,
    judge,
)
from bridge.service.agreements import AgreementService
from bridge.store.removals import Removal

log = logging.getLogger(__name__)

CommandHook = Callable[[MatrixEvent], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the gate concluded about one event (for the audit record)."""

    category: ContentCategory | None
    verdict: Verdict | None
    enforced: str | None = None  # None, or why a blocked event could not be removed
    # The counterparties the verdict was reached on (the audit record names them).
    counterparties: tuple[Counterparty, ...] | None = None
    # Why the content got its category: the classifier's rule names (never text).
    category_reasons: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.verdict is not None and self.verdict.blocked


class EventGate:
    def __init__(
        self,
        config: Config,
        agreements: AgreementService,
        rooms: RoomTracker,
        gates: RoomGates,
        *,
        device: BotDevice | None,
        media: MediaChecker | None,
        on_command: CommandHook | None,
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self.agreements = agreements
        self.rooms = rooms
        self._gates = gates
        self.device = device
        self.media = media
        self._on_command = on_command
        self._metrics = metrics
        self.bot_id = config.bot_user_id
        self.service_users = gates.service_users

    def counterparties(
        self, room: Room, extra: tuple[str, ...] | list[str] = ()
    ) -> list[Counterparty]:
        return self._gates.counterparties(room, extra)

    async def judge(self, room: Room, event: MatrixEvent, now: int, work: Work) -> Judgement:
        """Gate one (plaintext or decrypted) event and hand commands to the processor."""
        judgement = Judgement(None, None)
        if (
            room.managed
            and not room.is_control
            and event.is_gated_kind
            and event.sender not in self.service_users
        ):
            judgement = await self._gate_event(room, event, now, work)
        if (
            not judgement.blocked
            and event.malformed is None
            and event.type == "m.room.message"
            and self._on_command
            and _looks_like_command(event)
        ):
            # Also outside the control room: the command processor refuses and audits those.
            await self._on_command(event)
        return judgement

    async def decrypt(
        self, event: MatrixEvent, *, wait: float, work: Work | None = None
    ) -> MatrixEvent:
        """The event as its sender wrote it. The message index it used goes with ``work``'s
        records (replay protection); a pre-persist check has no records to go with."""
        assert self.device is not None
        # What the reader needs of the event, without copying its content.
        encrypted = {
            "event_id": event.event_id,
            "room_id": event.room_id,
            "origin_server_ts": event.origin_server_ts,
            "content": event.content,
        }
        indices = work.indices if work is not None else None
        event_type, content = await self.device.decrypt(encrypted, wait=wait, indices=indices)
        return event.decrypted_as(event_type, content)

    async def _gate_event(self, room: Room, event: MatrixEvent, now: int, work: Work) -> Judgement:
        counterparties = tuple(self.counterparties(room, [event.sender]))
        facts, verdict = await self.decide(event, counterparties)
        if self._metrics is not None:
            self._metrics.verdict(Outcome.BLOCK if verdict.blocked else Outcome.ALLOW)
        if verdict.blocked:
            self.block(room, event, verdict, now, work)
            if self.config.antispam.enabled:
                # The homeserver asks PHI Gate before it stores an event: one blocked here got
                # past that check (accepted while PHI Gate was unreachable, or an attachment
                # in an encrypted event of an open room, which the check does not decrypt).
                verdict = replace(verdict, reason=f"late block: {verdict.reason}")
        return Judgement(
            facts.category,
            verdict,
            counterparties=counterparties,
            category_reasons=facts.category_reasons,
        )

    async def decide(
        self, event: MatrixEvent, counterparties: tuple[Counterparty, ...]
    ) -> tuple[EventFacts, Verdict]:
        """The verdict on a readable event and the facts it was reached on: the attachment
        check runs only for what the rest lets through (in a gated room an attachment is
        blocked without the bot ever fetching it)."""
        facts = await self.facts(event, counterparties)
        verdict = judge(facts, self.config.policy)
        attachment = event.attachment
        if not verdict.blocked and attachment is not None and self.media is not None:
            checked = await self.media.check(attachment)
            if not checked.allowed:
                facts = replace(facts, attachment_refused=checked.message)
                verdict = judge(facts, self.config.policy)
        return facts, verdict

    async def facts(
        self, event: MatrixEvent, counterparties: tuple[Counterparty, ...]
    ) -> EventFacts:
        """What decides the event, gathered (the classifier; the blocked events it relates
        to) for :func:`bridge.policy.judge`."""
        if event.malformed is not None:
            # What the gate cannot read is judged like what it cannot decrypt: fail closed.
            return EventFacts(
                counterparties, ContentCategory.UNKNOWN, EventKind.UNREADABLE, event.malformed
            )
        classification = classify_event(event, self.config.classify)
        category = classification.category
        kind = EventKind.MEDIA if event.is_media else EventKind.MESSAGE
        if event.type == "m.room.encrypted":
            return EventFacts(
                counterparties, category, EventKind.UNDECRYPTABLE, "no key within the wait"
            )
        return EventFacts(
            counterparties,
            category,
            kind,
            relation=await self._relation(event),
            category_reasons=tuple(classification.reasons),
        )

    async def _relation(self, event: MatrixEvent) -> Relation:
        """An edit of a blocked event, or a reply quoting one, must not carry its text on."""
        rel_type, target = event.relates_to
        if target is None or rel_type not in ("m.replace", "m.in_reply_to"):
            return Relation.NONE
        if not await self.rooms.is_blocked(event.room_id, target):
            return Relation.NONE
        return Relation.EDITS_BLOCKED if rel_type == "m.replace" else Relation.QUOTES_BLOCKED

    def block(self, room: Room, event: MatrixEvent, verdict: Verdict, now: int, work: Work) -> None:
        """Queue the event's removal in the unit of work; it is carried out after the commit."""
        self.rooms.remember_blocked(room.room_id, event.event_id)
        text, html = block_notice(verdict, event.sender, self.config.organization)
        work.removals.append(
            Removal(
                event_id=event.event_id,
                room_id=room.room_id,
                sender=event.sender,
                blocked_ms=now,
                reason=verdict.reason,
                notice_text=text,
                notice_html=html,
            )
        )

    def event_entry(
        self,
        room: Room,
        event: MatrixEvent,
        judgement: Judgement,
        now: int,
        *,
        decrypted: bool = False,
        pending: bool = False,
        kind: RecordKind = RecordKind.EVENT,
    ) -> AuditEntry:
        sender_kind = (
            SenderKind.BOT
            if event.sender in self.service_users
            else SenderKind.of(self.agreements.registry.party(event.sender).kind)
        )
        verdict = judgement.verdict
        decision = verdict.decision.value if verdict else None
        reason = verdict.reason if verdict else judgement.enforced
        if verdict and verdict.blocked and judgement.enforced is not None:
            reason = f"{reason}; {judgement.enforced}"
        if event.malformed is not None and (reason is None or event.malformed not in reason):
            reason = f"malformed event ({event.malformed})" + (f": {reason}" if reason else "")
        if pending:
            decision, reason = "pending", judgement.enforced
        content = _audited_content(event)
        if decrypted:
            content["decrypted"] = True
        return AuditEntry(
            kind=kind,
            recorded_ts=now,
            event_type=event.type,
            event_id=event.event_id,
            room_id=event.room_id,
            sender=event.sender,
            sender_kind=sender_kind,
            counterparties=audit_parties(
                judgement.counterparties
                if judgement.counterparties is not None
                else self.counterparties(room, [event.sender])
            ),
            category=judgement.category.value if judgement.category else None,
            decision=decision,
            reason=reason,
            event_ts=event.origin_server_ts,
            content=content,
            category_reasons=judgement.category_reasons,
        )


def classify_event(
    event: MatrixEvent, practice: PracticeSettings = NO_PRACTICE_SETTINGS
) -> Classification:
    """The content category of any message-like event (unknown types fail closed), with the
    practice's own identifier formats and contacts."""
    if event.type in ("m.room.message", "m.sticker"):
        return classify_content(event.content, event_type=event.type, practice=practice)
    if event.type == "m.reaction":
        relation = event.content.get("m.relates_to")
        key = relation.get("key") if isinstance(relation, Mapping) else None
        if isinstance(key, str):
            return classify_text(key, practice=practice)
    return Classification(ContentCategory.UNKNOWN, ("unrecognised_event_type",))


def _looks_like_command(event: MatrixEvent) -> bool:
    body = event.content.get("body")
    return isinstance(body, str) and body.startswith("!")


def _audited_content(event: MatrixEvent) -> dict[str, Any]:
    content: dict[str, Any] = {"content": dict(event.content)}
    if event.state_key is not None:
        content["state_key"] = event.state_key
    if event.redacts:
        content["redacts"] = event.redacts
    return content


def malformed_entry(
    raw: Any, now: int, why: str = "event lacks an ID, room, sender or type"
) -> AuditEntry:
    """A pushed event too broken to handle is still on the record (encrypted), never dropped."""
    fields = raw if isinstance(raw, Mapping) else {}

    def text(key: str) -> str | None:
        value = fields.get(key)
        return value[:255] if isinstance(value, str) else None

    return AuditEntry(
        kind=RecordKind.SYSTEM,
        recorded_ts=now,
        event_type=text("type") or "org.phigate.malformed_event",
        event_id=text("event_id"),
        room_id=text("room_id"),
        sender=text("sender"),
        decision="malformed",
        reason=why,
        content={"raw": raw if isinstance(raw, dict | list | str | int | float) else repr(raw)},
    )
