"""An in-memory snapshot of who is who and every agreement's state, rebuilt after each change.

The gate reads it for every event, so it must not cost a database round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bridge.policy import (
    BAAState,
    ConsentState,
    Counterparty,
    Directory,
    Party,
    PartyKind,
    classify_party,
    effective_baa_state,
    effective_consent_state,
)


@dataclass(frozen=True, slots=True)
class VendorInfo:
    vendor_id: str
    display_name: str
    baa_state: BAAState  # as stored
    baa_expires_ms: int | None
    baa_updated_ms: int
    servers: tuple[str, ...] = ()
    users: tuple[str, ...] = ()

    def effective(self, now_ms: int) -> BAAState:
        return effective_baa_state(self.baa_state, self.baa_expires_ms, now_ms)


@dataclass(frozen=True, slots=True)
class PatientInfo:
    user_id: str
    consent_state: ConsentState
    consent_expires_ms: int | None
    consent_updated_ms: int

    def effective(self, now_ms: int) -> ConsentState:
        return effective_consent_state(self.consent_state, self.consent_expires_ms, now_ms)


# Parties remembered per snapshot; a flood of unknown user IDs only empties the memo.
PARTY_MEMO = 50_000


@dataclass(frozen=True, slots=True)
class Registry:
    directory: Directory
    vendors: Mapping[str, VendorInfo] = field(default_factory=dict)
    patients: Mapping[str, PatientInfo] = field(default_factory=dict)
    # Who each user is, as this snapshot's directory says (it never changes: a change makes a
    # new snapshot). The gate asks for every member of a room on every event.
    _parties: dict[str, Party] = field(default_factory=dict, init=False, compare=False, repr=False)

    def party(self, user_id: str) -> Party:
        party = self._parties.get(user_id)
        if party is None:
            if len(self._parties) >= PARTY_MEMO:
                self._parties.clear()
            party = self._parties[user_id] = classify_party(user_id, self.directory)
        return party

    def counterparties(self, user_ids: Iterable[str], now_ms: int) -> list[Counterparty]:
        """The non-staff users among ``user_ids`` with their effective agreement states."""
        result: list[Counterparty] = []
        for user_id in sorted(set(user_ids)):
            party = self.party(user_id)
            if party.kind is PartyKind.STAFF:
                continue
            if party.kind is PartyKind.VENDOR:
                vendor = self.vendors.get(party.vendor_id or "")
                state = vendor.effective(now_ms) if vendor else BAAState.NONE
                result.append(Counterparty(user_id, party.kind, party.vendor_id, state))
            elif party.kind is PartyKind.PATIENT:
                patient = self.patients.get(user_id)
                consent = patient.effective(now_ms) if patient else ConsentState.NONE
                result.append(Counterparty(user_id, party.kind, None, consent))
            else:
                result.append(Counterparty(user_id, party.kind, None, BAAState.NONE))
        return result

    def staff_by_default(self, user_ids: Iterable[str]) -> list[str]:
        """The users among ``user_ids`` who are staff only because every account on a staff
        domain is (organization.staff_by_domain), not because the practice named them."""
        return sorted(u for u in set(user_ids) if self.party(u).by_default)

    def expiry_of(self, counterparty: Counterparty) -> int | None:
        """When the counterparty's Active agreement expires by itself (None: it does not)."""
        if counterparty.kind is PartyKind.VENDOR:
            vendor = self.vendors.get(counterparty.agreement or "")
            return vendor.baa_expires_ms if vendor else None
        if counterparty.kind is PartyKind.PATIENT:
            patient = self.patients.get(counterparty.user_id)
            return patient.consent_expires_ms if patient else None
        return None

    def next_expiry_after(self, now_ms: int) -> int | None:
        """The soonest future instant at which an Active agreement expires by itself."""
        instants = [
            v.baa_expires_ms
            for v in self.vendors.values()
            if v.baa_state is BAAState.ACTIVE and v.baa_expires_ms and v.baa_expires_ms > now_ms
        ] + [
            p.consent_expires_ms
            for p in self.patients.values()
            if p.consent_state is ConsentState.ACTIVE
            and p.consent_expires_ms
            and p.consent_expires_ms > now_ms
        ]
        return min(instants, default=None)
