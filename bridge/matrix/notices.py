"""The words PHI Gate posts in rooms. No message content ever appears in them."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bridge.config import OrganizationConfig
from bridge.policy import Counterparty, PartyKind, RoomGate, Verdict

Notice = tuple[str, str]  # (plain text, HTML)


def block_notice(verdict: Verdict, sender: str, org: OrganizationConfig) -> Notice:
    """Posted after a block; links the BAA record of every vendor that caused it."""
    text = f"🚫 A message from {sender} was removed by PHI Gate: {verdict.reason}."
    return _with_records(text, verdict.blocking, org)


def gate_notice(
    gate: RoomGate, counterparties: Iterable[Counterparty], org: OrganizationConfig
) -> Notice:
    if gate is RoomGate.OPEN:
        text = "🟢 PHI Gate: this room is open — every vendor BAA and patient consent is Active."
        return text, escape(text)
    waiting = [c for c in counterparties if not c.active]
    reasons = "; ".join(c.describe() for c in waiting)
    text = f"🔒 PHI Gate: this room is gated — {reasons}. PHI and attachments are blocked."
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
