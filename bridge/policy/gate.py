"""The gate decision (SPEC §1 "Gate"): :func:`judge` is the one pure function a newcomer
reads to learn why an event was blocked, and the only one every enforcement point calls (the
redaction path, the late-key re-decision, the pre-persist check, the benches). Its input,
:class:`EventFacts`, is everything that decides an event: the room's counterparties with their
effective agreement states, the content category, the event kind, whether it could be read,
whether it edits or quotes a blocked event, and the attachment check's result. The verdict
carries the reason that the audit record, the notice and the refusal all quote."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bridge.policy.category import ContentCategory
from bridge.policy.parties import Counterparty, PartyKind


class Decision(StrEnum):
    ALLOW = "allow"
    BLOCK = "block"


class EventKind(StrEnum):
    MESSAGE = "message"
    MEDIA = "media"
    # Encrypted and not decryptable within the key wait.
    UNDECRYPTABLE = "undecryptable"
    # Fields of the wrong shape for its type (or it broke PHI Gate's handling): what it
    # carries cannot be read, so it is judged like an undecryptable event.
    UNREADABLE = "unreadable"


class Relation(StrEnum):
    """How an event relates to one the gate blocked before."""

    NONE = "none"
    EDITS_BLOCKED = "edits_blocked"
    QUOTES_BLOCKED = "quotes_blocked"  # a reply, whose fallback quotes the blocked text


class GatedAction(StrEnum):
    BLOCK_ALL = "block_all"
    BLOCK_PHI = "block_phi"


class UndecryptableAction(StrEnum):
    BLOCK = "block"
    ALLOW = "allow"


class RoomGate(StrEnum):
    OPEN = "open"
    GATED = "gated"


@dataclass(frozen=True, slots=True)
class GatePolicy:
    vendor_without_active_baa: GatedAction = GatedAction.BLOCK_ALL
    patient_without_consent: GatedAction = GatedAction.BLOCK_PHI
    undecryptable_in_gated_room: UndecryptableAction = UndecryptableAction.BLOCK


@dataclass(frozen=True, slots=True)
class Verdict:
    decision: Decision
    reason: str
    # The counterparties whose agreement caused a block (empty when allowed).
    blocking: tuple[Counterparty, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.decision is Decision.BLOCK


@dataclass(frozen=True, slots=True)
class EventFacts:
    """Everything that decides one event (gathered by the caller; nothing here does I/O)."""

    counterparties: tuple[Counterparty, ...]
    category: ContentCategory
    kind: EventKind
    # Why it could not be read (undecryptable or malformed), in words for the record.
    unreadable_because: str | None = None
    relation: Relation = Relation.NONE
    # The attachment check's refusal, in words; None when it passed or did not run.
    attachment_refused: str | None = None
    # The classifier's rule names behind ``category`` (for the record; they do not decide).
    category_reasons: tuple[str, ...] = ()


def judge(facts: EventFacts, policy: GatePolicy) -> Verdict:
    """The verdict on one event: the gate table for its room, then what is refused in any
    room (an edit or reply that would carry a blocked text on, an attachment that failed its
    check)."""
    verdict = decide(facts.counterparties, facts.category, facts.kind, policy)
    if facts.unreadable_because is not None:
        what = "malformed event" if facts.kind is EventKind.UNREADABLE else "encrypted event"
        verdict = Verdict(
            verdict.decision,
            f"{what} ({facts.unreadable_because}): {verdict.reason}",
            verdict.blocking,
        )
    if verdict.blocked:
        return verdict
    if facts.relation is Relation.EDITS_BLOCKED:
        return Verdict(Decision.BLOCK, "an edit of a blocked message", verdict.blocking)
    if facts.relation is Relation.QUOTES_BLOCKED:
        return Verdict(Decision.BLOCK, "a reply quoting a blocked message", verdict.blocking)
    if facts.attachment_refused is not None:
        return Verdict(Decision.BLOCK, f"attachment blocked: {facts.attachment_refused}")
    return verdict


def gate_consequence(counterparties: Sequence[Counterparty], policy: GatePolicy) -> str:
    """What a gated room blocks under this policy, in a sentence for its members."""
    inactive = [c for c in counterparties if not c.active]
    actions = {
        policy.patient_without_consent
        if c.kind is PartyKind.PATIENT
        else policy.vendor_without_active_baa
        for c in inactive
    }
    if GatedAction.BLOCK_ALL in actions:
        return "Every message and attachment is blocked"
    return "PHI, unclassified messages and attachments are blocked; messages marked #nophi pass"


def room_gate(counterparties: Sequence[Counterparty]) -> RoomGate:
    """Open when every non-staff member's agreement is Active."""
    return RoomGate.OPEN if all(c.active for c in counterparties) else RoomGate.GATED


def decide(
    counterparties: Sequence[Counterparty],
    category: ContentCategory,
    kind: EventKind,
    policy: GatePolicy,
) -> Verdict:
    """Allow or block one event in a room.

    Symmetric by construction: the sender is one of ``counterparties`` when it is not
    staff, so events from a vendor or patient are judged exactly like events to them.
    """
    inactive = [c for c in counterparties if not c.active]
    if not inactive:
        return Verdict(Decision.ALLOW, "room open: every agreement is Active")

    if kind in (EventKind.UNDECRYPTABLE, EventKind.UNREADABLE):
        what = "decrypted" if kind is EventKind.UNDECRYPTABLE else "read"
        if policy.undecryptable_in_gated_room is UndecryptableAction.BLOCK:
            return Verdict(
                Decision.BLOCK,
                f"could not be {what} and the room is gated: {inactive[0].describe()}",
                tuple(inactive),
            )
        return Verdict(Decision.ALLOW, f"{kind.value}, allowed by policy in gated rooms")

    blocking = tuple(c for c in inactive if _blocks(c, category, kind, policy))
    if not blocking:
        return Verdict(Decision.ALLOW, f"{category.value} content may pass a gated room")
    what = "media" if kind is EventKind.MEDIA else f"{category.value} content"
    return Verdict(Decision.BLOCK, f"{what} blocked: {blocking[0].describe()}", blocking)


def _blocks(
    c: Counterparty, category: ContentCategory, kind: EventKind, policy: GatePolicy
) -> bool:
    if c.kind is PartyKind.PATIENT:
        action = policy.patient_without_consent
        if action is GatedAction.BLOCK_ALL or kind is EventKind.MEDIA:
            return True
    else:  # vendors and unknown users (vendors with BAA None)
        action = policy.vendor_without_active_baa
        if action is GatedAction.BLOCK_ALL:
            return True
    # block_phi: only content known to be free of PHI passes.
    return category is not ContentCategory.NON_PHI
