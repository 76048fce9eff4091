"""The words PHI Gate posts in rooms. No message content ever appears in them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from bridge.config import OrganizationConfig
from bridge.policy import (
    Counterparty,
    GatePolicy,
    PartyKind,
    RoomGate,
    Verdict,
    gate_consequence,
)

Notice = tuple[str, str]  # (plain text, HTML)
REFUSAL_PREFIX = "PHI Gate did not allow this: "
# The reason of every redaction PHI Gate makes. Redaction reasons are not encrypted and reach
# every server in the room: they name no one (the block notice says who and why).
REDACTION_REASON = "PHI Gate: removed under the practice's HIPAA messaging policy (see its notice)"


def reply_relation(event_id: str) -> dict[str, Any]:
    """Content that makes a notice a reply to ``event_id`` (Element then shows which message
    the notice is about, even once that message is redacted)."""
    return {"m.relates_to": {"m.in_reply_to": {"event_id": event_id}}}


def block_notice(verdict: Verdict, sender: str, org: OrganizationConfig) -> Notice:
    """Posted after a block; links the BAA record of every vendor that caused it."""
    text = f"🚫 A message from {sender} was removed by PHI Gate: {verdict.reason}."
    return _with_records(text, verdict.blocking, org)


def refusal_text(verdict: Verdict, org: OrganizationConfig) -> str:
    """What the sender of a refused event reads (their client shows the homeserver's error):
    the same reason and BAA link the block notice gives, in one sentence."""
    text, _ = _with_records(
        f"PHI Gate did not allow this: {verdict.reason}.", verdict.blocking, org
    )
    return text


def gate_notice(
    gate: RoomGate,
    counterparties: Sequence[Counterparty],
    org: OrganizationConfig,
    policy: GatePolicy,
) -> Notice:
    if gate is RoomGate.OPEN:
        text = "🟢 PHI Gate: this room is open — every vendor BAA and patient consent is Active."
        return text, escape(text)
    waiting = [c for c in counterparties if not c.active]
    reasons = "; ".join(c.describe() for c in waiting)
    # What is blocked follows the policy in force (block_all or block_phi), never a fixed text.
    text = f"🔒 PHI Gate: this room is gated — {reasons}. {gate_consequence(waiting, policy)}."
    return _with_records(text, waiting, org)


def typing_notice(
    typist: str,
    counterparties: Sequence[Counterparty],
    org: OrganizationConfig,
    policy: GatePolicy,
) -> Notice:
    """Told to a staff member who starts typing in a gated room, before they send anything."""
    waiting = [c for c in counterparties if not c.active]
    reasons = "; ".join(c.describe() for c in waiting)
    text = (
        f"✋ {typist}, before you write: PHI Gate gates this room — {reasons}. "
        f"{gate_consequence(waiting, policy)}, and will not be delivered."
    )
    return _with_records(text, waiting, org)


def unprotected_notice(bot_id: str) -> Notice:
    text = (
        f"⚠ PHI Gate cannot redact in this room, so it is UNPROTECTED: give {bot_id} "
        "moderator power (level 50) so blocked messages can be removed."
    )
    return text, escape(text)


def _with_records(text: str, parties: Iterable[Counterparty], org: OrganizationConfig) -> Notice:
    vendors = sorted({c.agreement for c in parties if c.kind is PartyKind.VENDOR and c.agreement})
    html = escape(text)
    if vendors:
        text += " BAA record: " + ", ".join(org.baa_record(v) for v in vendors)
        html += " BAA record: " + ", ".join(
            f'<a href="{escape(org.baa_record(v))}">{escape(v)}</a>' for v in vendors
        )
    return text, html
