"""Who is who in a managed room (SPEC §1 "Parties"). Pure."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Directory:
    """What the practice has told PHI Gate about people and servers."""

    staff_domains: frozenset[str]
    vendor_servers: Mapping[str, str] = field(default_factory=dict)  # server → vendor_id
    vendor_users: Mapping[str, str] = field(default_factory=dict)  # user_id → vendor_id
    patients: frozenset[str] = frozenset()
    # Users that are PHI Gate itself (bot, appservice sender): never counterparties.
    service_users: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Party:
    user_id: str
    kind: PartyKind
    vendor_id: str | None = None


def classify_party(user_id: str, directory: Directory) -> Party:
    """Classify one user. A user-level link beats a server-level one, which beats staff_domains."""
    vendor = directory.vendor_users.get(user_id)
    if vendor is not None:
        return Party(user_id, PartyKind.VENDOR, vendor)
    if user_id in directory.patients:
        return Party(user_id, PartyKind.PATIENT)
    server = server_of(user_id)
    vendor = directory.vendor_servers.get(server)
    if vendor is not None:
        return Party(user_id, PartyKind.VENDOR, vendor)
    if server in directory.staff_domains or user_id in directory.service_users:
        return Party(user_id, PartyKind.STAFF)
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
        return (
            f"{self.user_id} is on a server no vendor is linked to "
            f"(treated as a vendor with BAA {self.status.value})"
        )
