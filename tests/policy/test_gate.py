"""The gate decision, exhaustively over the SPEC §1 table, plus party classification."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.policy import (
    BAAState,
    ConsentState,
    ContentCategory,
    Counterparty,
    Decision,
    Directory,
    EventFacts,
    EventKind,
    GatedAction,
    GatePolicy,
    PartyKind,
    Relation,
    RoomGate,
    UndecryptableAction,
    Verdict,
    classify_party,
    gate_consequence,
    judge,
    room_gate,
)
from bridge.policy.gate import decide

POLICIES = [
    GatePolicy(v, p, u)
    for v, p, u in itertools.product(GatedAction, GatedAction, UndecryptableAction)
]


def vendor(status: BAAState, n: int = 1) -> Counterparty:
    return Counterparty(f"@v{n}:vendor.test", PartyKind.VENDOR, "acme", status)


def patient(status: ConsentState, n: int = 1) -> Counterparty:
    return Counterparty(f"@p{n}:clinic.test", PartyKind.PATIENT, None, status)


def unknown(n: int = 1) -> Counterparty:
    return Counterparty(f"@x{n}:else.test", PartyKind.UNKNOWN, None, BAAState.NONE)


ALL_PARTIES = [vendor(s) for s in BAAState] + [patient(s) for s in ConsentState] + [unknown()]


def oracle(
    parties: list[Counterparty], category: ContentCategory, kind: EventKind, policy: GatePolicy
) -> Decision:
    """SPEC §1 'Gate', restated independently of bridge.policy.gate."""
    gated = [p for p in parties if p.status.value != "Active"]
    if not gated:
        return Decision.ALLOW
    # What the gate cannot read, encrypted or malformed, follows the undecryptable policy.
    if kind in (EventKind.UNDECRYPTABLE, EventKind.UNREADABLE):
        return (
            Decision.BLOCK
            if policy.undecryptable_in_gated_room is UndecryptableAction.BLOCK
            else Decision.ALLOW
        )
    for p in gated:
        if p.kind is PartyKind.PATIENT:
            if policy.patient_without_consent is GatedAction.BLOCK_ALL:
                return Decision.BLOCK
            if kind is EventKind.MEDIA or category is not ContentCategory.NON_PHI:
                return Decision.BLOCK
        else:
            if policy.vendor_without_active_baa is GatedAction.BLOCK_ALL:
                return Decision.BLOCK
            if category in (ContentCategory.PHI, ContentCategory.UNKNOWN):
                return Decision.BLOCK
    return Decision.ALLOW


def _judge(
    room: list[Counterparty], category: ContentCategory, kind: EventKind, policy: GatePolicy
) -> Verdict:
    return judge(EventFacts(tuple(room), category, kind), policy)


def full_oracle(facts: EventFacts, policy: GatePolicy) -> Decision:
    """The whole verdict, restated: the room's gate, then edits or replies of blocked
    messages and failed attachment checks are refused in any room."""
    if oracle(list(facts.counterparties), facts.category, facts.kind, policy) is Decision.BLOCK:
        return Decision.BLOCK
    if facts.relation is not Relation.NONE or facts.attachment_refused is not None:
        return Decision.BLOCK
    return Decision.ALLOW


ROOMS = (
    [[]] + [[p] for p in ALL_PARTIES] + [list(c) for c in itertools.combinations(ALL_PARTIES, 2)]
)


def _policy_id(p: GatePolicy) -> str:
    return (
        f"{p.vendor_without_active_baa}-{p.patient_without_consent}-{p.undecryptable_in_gated_room}"
    )


@pytest.mark.parametrize("policy", POLICIES, ids=_policy_id)
def test_decision_table_exhaustive(policy: GatePolicy) -> None:
    checked = 0
    for room, category, kind in itertools.product(ROOMS, ContentCategory, EventKind):
        verdict = _judge(room, category, kind, policy)
        assert verdict.decision is oracle(room, category, kind, policy), (room, category, kind)
        if verdict.blocked:
            assert verdict.blocking, "a block names the agreement that caused it"
            assert all(not b.active for b in verdict.blocking)
            assert verdict.blocking[0].status.value in verdict.reason
        checked += 1
    assert checked == len(ROOMS) * len(ContentCategory) * len(EventKind)


@pytest.mark.parametrize("policy", POLICIES, ids=_policy_id)
def test_verdict_exhaustive(policy: GatePolicy) -> None:
    """Every combination of what decides an event, against the independent oracle."""
    checked = 0
    for room, category, kind, relation, attachment in itertools.product(
        ROOMS, ContentCategory, EventKind, Relation, (None, "infected: Eicar")
    ):
        unreadable = (
            "no room key" if kind in (EventKind.UNDECRYPTABLE, EventKind.UNREADABLE) else None
        )
        facts = EventFacts(tuple(room), category, kind, unreadable, relation, attachment)
        verdict = judge(facts, policy)
        assert verdict.decision is full_oracle(facts, policy), facts
        assert verdict.reason
        if unreadable is not None and (verdict.blocking or not verdict.blocked):
            assert unreadable in verdict.reason
        if (
            verdict.blocked
            and attachment
            and oracle(room, category, kind, policy) is Decision.ALLOW
        ):
            assert attachment in verdict.reason or relation is not Relation.NONE
        checked += 1
    assert checked == len(ROOMS) * len(ContentCategory) * len(EventKind) * len(Relation) * 2


def test_gate_consequence_follows_the_policy() -> None:
    pat = [patient(ConsentState.NONE)]
    assert "marked #nophi pass" in gate_consequence(pat, GatePolicy())
    strict = GatePolicy(patient_without_consent=GatedAction.BLOCK_ALL)
    assert gate_consequence(pat, strict).startswith("Every message")
    assert gate_consequence([vendor(BAAState.NONE)], GatePolicy()).startswith("Every message")
    lenient = GatePolicy(vendor_without_active_baa=GatedAction.BLOCK_PHI)
    assert "attachments are blocked" in gate_consequence([vendor(BAAState.NONE)], lenient)


def test_defaults_match_spec() -> None:
    policy = GatePolicy()
    assert policy.vendor_without_active_baa is GatedAction.BLOCK_ALL
    assert policy.patient_without_consent is GatedAction.BLOCK_PHI
    assert policy.undecryptable_in_gated_room is UndecryptableAction.BLOCK


def test_vendor_pending_blocks_even_non_phi_by_default() -> None:
    v = _judge([vendor(BAAState.PENDING)], ContentCategory.NON_PHI, EventKind.MESSAGE, GatePolicy())
    assert v.blocked
    assert "acme" in v.reason and "Pending" in v.reason


def test_patient_without_consent_non_phi_passes_media_does_not() -> None:
    room = [patient(ConsentState.NONE)]
    assert not _judge(room, ContentCategory.NON_PHI, EventKind.MESSAGE, GatePolicy()).blocked
    assert _judge(room, ContentCategory.PHI, EventKind.MESSAGE, GatePolicy()).blocked
    assert _judge(room, ContentCategory.UNKNOWN, EventKind.MESSAGE, GatePolicy()).blocked
    assert _judge(room, ContentCategory.NON_PHI, EventKind.MEDIA, GatePolicy()).blocked


def test_room_gate() -> None:
    assert room_gate([]) is RoomGate.OPEN
    assert room_gate([vendor(BAAState.ACTIVE), patient(ConsentState.ACTIVE)]) is RoomGate.OPEN
    assert room_gate([vendor(BAAState.ACTIVE), patient(ConsentState.EXPIRED)]) is RoomGate.GATED
    assert room_gate([unknown()]) is RoomGate.GATED


@given(
    st.lists(st.sampled_from(ALL_PARTIES), max_size=5),
    st.sampled_from(list(ContentCategory)),
    st.sampled_from(list(EventKind)),
    st.sampled_from(POLICIES),
)
def test_decision_matches_oracle_for_any_room(
    room: list[Counterparty], category: ContentCategory, kind: EventKind, policy: GatePolicy
) -> None:
    assert _judge(room, category, kind, policy).decision is oracle(room, category, kind, policy)


@given(st.lists(st.sampled_from(ALL_PARTIES), max_size=5))
def test_open_room_allows_everything(room: list[Counterparty]) -> None:
    active = [p for p in room if p.active]
    for category, kind in itertools.product(ContentCategory, EventKind):
        assert not _judge(active, category, kind, GatePolicy()).blocked


DIRECTORY = Directory(
    staff_domains=frozenset({"clinic.test"}),
    vendor_servers={"billing.test": "acme"},
    vendor_users={"@acme-rep:clinic.test": "acme"},
    patients=frozenset({"@pat:clinic.test", "@pat2:patients.test"}),
    service_users=frozenset({"@phigate:clinic.test"}),
    staff_by_domain=True,
)


@pytest.mark.parametrize(
    ("user", "kind", "vendor_id"),
    [
        ("@alice:clinic.test", PartyKind.STAFF, None),
        ("@alice:CLINIC.test", PartyKind.STAFF, None),
        ("@bob:billing.test", PartyKind.VENDOR, "acme"),
        # A vendor's account on the practice's own server: the link wins over staff_domains.
        ("@acme-rep:clinic.test", PartyKind.VENDOR, "acme"),
        ("@pat:clinic.test", PartyKind.PATIENT, None),
        ("@pat2:patients.test", PartyKind.PATIENT, None),
        ("@eve:evil.test", PartyKind.UNKNOWN, None),
        ("@eve:clinic.test.evil.test", PartyKind.UNKNOWN, None),
        ("not-a-user-id", PartyKind.UNKNOWN, None),
        ("@phigate:clinic.test", PartyKind.STAFF, None),
    ],
)
def test_classify_party(user: str, kind: PartyKind, vendor_id: str | None) -> None:
    party = classify_party(user, DIRECTORY)
    assert (party.kind, party.vendor_id) == (kind, vendor_id)


# The practice names its workforce: every other account on its server is a counterparty.
NAMED = Directory(
    staff_domains=frozenset({"clinic.test"}),
    vendor_servers={"billing.test": "acme"},
    vendor_users={"@acme-rep:clinic.test": "acme"},
    patients=frozenset({"@pat:clinic.test"}),
    service_users=frozenset({"@phigate:clinic.test"}),
    staff_users=frozenset({"@drsmith:clinic.test"}),
    staff_patterns=(re.compile(r"@staff\.[a-z]+:clinic\.test"),),
    patient_domains=frozenset({"patients.test"}),
)


@pytest.mark.parametrize(
    ("user", "kind", "vendor_id"),
    [
        ("@drsmith:clinic.test", PartyKind.STAFF, None),
        ("@drsmith:CLINIC.test", PartyKind.STAFF, None),
        ("@staff.jones:clinic.test", PartyKind.STAFF, None),
        # The pattern must match the whole ID, not a prefix of it.
        ("@staff.jones:clinic.test.evil.test", PartyKind.UNKNOWN, None),
        ("@staff.jones2:clinic.test", PartyKind.UNRECOGNISED, None),
        ("@walkin:clinic.test", PartyKind.UNRECOGNISED, None),
        ("@pat:clinic.test", PartyKind.PATIENT, None),
        ("@anyone:patients.test", PartyKind.PATIENT, None),
        ("@acme-rep:clinic.test", PartyKind.VENDOR, "acme"),
        ("@bob:billing.test", PartyKind.VENDOR, "acme"),
        ("@phigate:clinic.test", PartyKind.STAFF, None),
        ("@eve:evil.test", PartyKind.UNKNOWN, None),
    ],
)
def test_classify_party_named_workforce(user: str, kind: PartyKind, vendor_id: str | None) -> None:
    party = classify_party(user, NAMED)
    assert (party.kind, party.vendor_id, party.by_default) == (kind, vendor_id, False)


def test_staff_by_domain_is_said_per_account() -> None:
    """With staff_by_domain, an unnamed local account is staff, marked as staff by default."""
    directory = replace(NAMED, staff_by_domain=True)
    assert classify_party("@walkin:clinic.test", directory).by_default
    assert classify_party("@walkin:clinic.test", directory).kind is PartyKind.STAFF
    assert not classify_party("@drsmith:clinic.test", directory).by_default
    assert classify_party("@anyone:patients.test", directory).kind is PartyKind.PATIENT


def test_unrecognised_local_account_is_gated_like_an_unknown_party() -> None:
    walkin = Counterparty("@walkin:clinic.test", PartyKind.UNRECOGNISED, None, BAAState.NONE)
    assert room_gate([walkin]) is RoomGate.GATED
    for category in ContentCategory:
        verdict = decide([walkin], category, EventKind.MESSAGE, GatePolicy())
        assert verdict.blocked
        assert "not recognised as staff" in verdict.reason
