"""The scripted conversation `phigate demo` plays: who is in it and what they do.

Pure data. :mod:`bridge.demo.player` carries it out against the real homeserver and reports
what the homeserver serves afterwards; ``expect`` is what a compliance officer should see, and
any difference is shown (and makes the demo exit with an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DOMAIN = "clinic.test"

Decision = Literal["ALLOWED", "BLOCKED"]


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # how steps refer to them
    localpart: str
    display_name: str
    role: str  # shown next to the login

    @property
    def user_id(self) -> str:
        return f"@{self.localpart}:{DOMAIN}"


ADMIN = Person("admin", "admin", "Alex Admin (compliance)", "PHI Gate admin")
STAFF = Person("drsmith", "drsmith", "Dr. Smith", "staff")
VENDOR = Person("acme", "acme-billing", "Acme Billing (vendor)", "vendor rep, Acme Billing")
PATIENT = Person("pat", "pat", "Pat Doe (patient)", "patient")

PEOPLE: tuple[Person, ...] = (ADMIN, STAFF, VENDOR, PATIENT)


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A heading in the transcript."""

    title: str


@dataclass(frozen=True, slots=True)
class Command:
    """A bot command in the control room; the bot's reply (and any gate notice it caused in
    the rooms) is shown."""

    actor: Person
    text: str


@dataclass(frozen=True, slots=True)
class OpenRoom:
    """``owner`` creates a room with PHI Gate (moderator) and ``guests``, who join."""

    owner: Person
    room: str  # key used by later steps
    name: str
    guests: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Say:
    """A message; the transcript shows whether it is still there (ALLOWED) or was redacted by
    PHI Gate (BLOCKED), and why."""

    actor: Person
    room: str
    text: str
    expect: Decision


@dataclass(frozen=True, slots=True)
class VerifyAudit:
    """``phigate audit verify`` through the service layer, on the deployment's files."""


Step = Section | Command | OpenRoom | Say | VerifyAudit

# Realistic PHI: the built-in detector flags names next to clinical terms, dates of birth, MRNs
# and member IDs.
CLAIM = "Patient John Smith DOB 03/14/1962, A1C 9.2, MRN 4481230 — please update the claim"
DENIAL = "Claim for Jane Doe (DOB 07/02/1958, member ID XK44827193) was denied, please resubmit"
RESUBMITTED = "Thanks, claim for DOB 03/14/1962 resubmitted"
REMINDER = "Your visit is Tuesday at 10 #nophi"
LAB_RESULT = "Your lab results: A1C 9.2, MRN 4481230. Please call us to discuss."
PATIENT_REPLY = "Thank you! My DOB is 03/14/1962 if you need it"

SCRIPT: tuple[Step, ...] = (
    Section("A new vendor: Acme Billing, BAA in the works"),
    Command(ADMIN, "!vendor add acme Acme Billing"),
    Command(ADMIN, f"!vendor link acme {VENDOR.user_id}"),
    Command(ADMIN, "!baa set acme Staging"),
    Command(ADMIN, "!baa set acme Pending BAA sent for signature"),
    Section("Staff and vendor talk while the BAA is Pending"),
    OpenRoom(STAFF, "vendor", "Acme Billing — claims", (VENDOR,)),
    Say(STAFF, "vendor", CLAIM, "BLOCKED"),
    Say(VENDOR, "vendor", DENIAL, "BLOCKED"),
    Section("The BAA is signed: Active"),
    # A change that opens a gate says what it will do first, and waits for !confirm.
    Command(ADMIN, "!baa set acme Active BAA signed"),
    Command(ADMIN, "!confirm"),
    Say(STAFF, "vendor", CLAIM, "ALLOWED"),
    Say(VENDOR, "vendor", RESUBMITTED, "ALLOWED"),
    Section("The BAA is revoked"),
    Command(ADMIN, "!baa set acme Revoked contract ended"),
    Say(STAFF, "vendor", CLAIM, "BLOCKED"),
    Section("A patient without messaging consent"),
    Command(ADMIN, f"!patient add {PATIENT.user_id}"),
    OpenRoom(STAFF, "patient", "Pat Doe — patient messages", (PATIENT,)),
    Say(STAFF, "patient", REMINDER, "ALLOWED"),
    Say(STAFF, "patient", LAB_RESULT, "BLOCKED"),
    Section("The patient consents"),
    Command(ADMIN, f"!consent grant {PATIENT.user_id}"),
    Command(ADMIN, "!confirm"),
    Say(STAFF, "patient", LAB_RESULT, "ALLOWED"),
    Say(PATIENT, "patient", PATIENT_REPLY, "ALLOWED"),
    Section("The audit record"),
    Command(ADMIN, "!audit verify"),
    VerifyAudit(),
)

#: The decisions the script expects, in order (the test checks the transcript against it).
EXPECTED_DECISIONS: tuple[Decision, ...] = tuple(s.expect for s in SCRIPT if isinstance(s, Say))
