"""Who is who in a managed room (SPEC §1 "Parties"). Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bridge.policy.agreements import BAAState, ConsentState


class PartyKind(StrEnum):
    STAFF = "staff"
    VENDOR = "vendor"
    PATIENT = "patient"
    # An external user nobody linked: treated as a vendor whose BAA is None (fail closed).
    UNKNOWN = "unknown"
    # An account on a staff domain the practice has not recognised as workforce (not listed,
    # matching no pattern): a patient or a stranger with a local account is as likely as a
    # new hire, so it is treated like an unknown party (a vendor whose BAA is None).
    UNRECOGNISED = "unrecognised"


class SenderKind(StrEnum):
    """Who sent an event or command, as the audit record names it: a party, or PHI Gate's own
    bot, or an admin acting in the control room."""

    STAFF = "staff"
    VENDOR = "vendor"
    PATIENT = "patient"
    UNKNOWN = "unknown"
    BOT = "bot"
    ADMIN = "admin"

    @classmethod
    def of(cls, party: PartyKind) -> SenderKind:
        return cls(party.value)


def server_of(user_id: str) -> str:
    """The server name of a Matrix user ID (``@local:server`` → ``server``)."""
    _, sep, server = user_id.partition(":")
    return server.lower() if sep else ""


def normal_user_id(user_id: str) -> str:
    """A user ID with its server name lower-cased (server names are case-insensitive)."""
    local, sep, server = user_id.partition(":")
    return f"{local}:{server.lower()}" if sep else user_id


@dataclass(frozen=True, slots=True)
class Directory:
    """What the practice has told PHI Gate about people and servers."""

    staff_domains: frozenset[str]
    vendor_servers: Mapping[str, str] = field(default_factory=dict)  # server → vendor_id
    vendor_users: Mapping[str, str] = field(default_factory=dict)  # user_id → vendor_id
    patients: frozenset[str] = frozenset()
    # Users that are PHI Gate itself (bot, appservice sender): never counterparties.
    service_users: frozenset[str] = frozenset()
    # How the workforce is recognised among accounts on staff_domains (config
    # organization.staff_users / staff_user_patterns / staff_by_domain). Only an account a
    # list or a pattern names is staff, unless the practice said every account is.
    staff_users: frozenset[str] = frozenset()  # normalised (normal_user_id)
    staff_patterns: tuple[re.Pattern[str], ...] = ()  # each must match the whole user ID
    staff_by_domain: bool = False
    # Servers whose every account is a patient (consent None until granted), never staff.
    patient_domains: frozenset[str] = frozenset()

    def recognised_staff(self, user_id: str) -> bool:
        """The practice named this account as workforce (list or pattern), not by default."""
        return normal_user_id(user_id) in self.staff_users or any(
            p.fullmatch(user_id) for p in self.staff_patterns
        )


@dataclass(frozen=True, slots=True)
class Party:
    user_id: str
    kind: PartyKind
    vendor_id: str | None = None
    # Staff only because the practice said every account on its staff domains is staff
    # (staff_by_domain), not because anyone named them: !room status and the evidence
    # report list these so the default is never silent.
    by_default: bool = False


def classify_party(user_id: str, directory: Directory) -> Party:
    """Classify one user.

    In order: a user-level vendor link, a registered patient, a server-level vendor link,
    PHI Gate itself, a patients' domain, then on a staff domain a recognised staff member
    (listed or matching a pattern), staff by default (only with ``staff_by_domain``), or
    else an unrecognised local account; anything else is unknown.
    """
    vendor = directory.vendor_users.get(user_id)
    if vendor is not None:
        return Party(user_id, PartyKind.VENDOR, vendor)
    if user_id in directory.patients:
        return Party(user_id, PartyKind.PATIENT)
    server = server_of(user_id)
    vendor = directory.vendor_servers.get(server)
    if vendor is not None:
        return Party(user_id, PartyKind.VENDOR, vendor)
    if user_id in directory.service_users:
        return Party(user_id, PartyKind.STAFF)
    if server in directory.patient_domains:
        return Party(user_id, PartyKind.PATIENT)
    if server in directory.staff_domains:
        if directory.recognised_staff(user_id):
            return Party(user_id, PartyKind.STAFF)
        if directory.staff_by_domain:
            return Party(user_id, PartyKind.STAFF, by_default=True)
        return Party(user_id, PartyKind.UNRECOGNISED)
    return Party(user_id, PartyKind.UNKNOWN)


AgreementStatus = BAAState | ConsentState


@dataclass(frozen=True, slots=True)
class Counterparty:
    """A non-staff member of a room with the effective state of their agreement."""

    user_id: str
    kind: PartyKind
    agreement: str | None  # vendor_id for vendors; None for patients and unknown users
    status: AgreementStatus

    @property
    def active(self) -> bool:
        return self.status.value == "Active"

    def describe(self) -> str:
        """One phrase naming the agreement and its state, for reasons and notices."""
        if self.kind is PartyKind.VENDOR:
            return f"the BAA of vendor {self.agreement} is {self.status.value}"
        if self.kind is PartyKind.PATIENT:
            return f"the messaging consent of patient {self.user_id} is {self.status.value}"
        if self.kind is PartyKind.UNRECOGNISED:
            return (
                f"{self.user_id} is an account on the practice's server that is not "
                f"recognised as staff (treated as a vendor with BAA {self.status.value})"
            )
        return (
            f"{self.user_id} is on a server no vendor is linked to "
            f"(treated as a vendor with BAA {self.status.value})"
        )
