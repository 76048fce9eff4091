"""Pure domain logic: parties, agreement lifecycles, content category, the gate decision."""

from bridge.policy.agreements import (
    BAA_TRANSITIONS,
    BAAState,
    ConsentState,
    check_baa_transition,
    check_consent_transition,
    effective_baa_state,
    effective_consent_state,
    legal_baa_targets,
    parse_expiry,
)
from bridge.policy.category import ContentCategory
from bridge.policy.gate import (
    Decision,
    EventKind,
    GatedAction,
    GatePolicy,
    RoomGate,
    UndecryptableAction,
    Verdict,
    decide,
    room_gate,
)
from bridge.policy.parties import (
    Counterparty,
    Directory,
    Party,
    PartyKind,
    classify_party,
    server_of,
)

__all__ = [
    "BAA_TRANSITIONS",
    "BAAState",
    "ConsentState",
    "ContentCategory",
    "Counterparty",
    "Decision",
    "Directory",
    "EventKind",
    "GatePolicy",
    "GatedAction",
    "Party",
    "PartyKind",
    "RoomGate",
    "UndecryptableAction",
    "Verdict",
    "check_baa_transition",
    "check_consent_transition",
    "classify_party",
    "decide",
    "effective_baa_state",
    "effective_consent_state",
    "legal_baa_targets",
    "parse_expiry",
    "room_gate",
    "server_of",
]
