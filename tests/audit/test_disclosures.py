"""The accounting of disclosures on a scripted history: a vendor with its BAA Active, then
Revoked (a late-blocked event), a consenting patient, an undecryptable event let through, an
event re-decided when its key came — exactly the expected rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bridge.audit import AuditEntry, AuditLog, Counterparty, RecordKind
from bridge.audit.disclosures import (
    CSV_COLUMNS,
    DisclosureQuery,
    _csv_cell,
    default_since,
    disclosures,
    render,
)
from bridge.errors import InvalidArgument

from .conftest import NOW

STAFF = "@nurse:clinic.example"
BOB = "@bob:acme.example"  # vendor acme
LAB = "@lab:labco.example"  # vendor labco
PAT = "@pat:patients.example"
EVE = "@eve:elsewhere.example"  # an unknown server
BILLING, PATIENT_ROOM = "!billing:clinic.example", "!patient:clinic.example"
MIN = 60_000


def acme(status: str) -> Counterparty:
    return Counterparty(BOB, "vendor", "acme", status)


def event(
    n: int,
    *,
    room: str = BILLING,
    sender: str = STAFF,
    parties: tuple[Counterparty, ...] = (),
    category: str | None = "phi",
    decision: str | None = "allow",
    reasons: tuple[str, ...] = ("date_of_birth",),
    kind: RecordKind = RecordKind.EVENT,
    event_id: str | None = None,
    body: str = "Patient DOB 03/14/1962",
    sent: int | None = None,
) -> AuditEntry:
    """Record ``n``, written at minute ``n`` about an event sent at minute ``sent`` (``n``)."""
    at = NOW + n * MIN
    return AuditEntry(
        kind=kind,
        recorded_ts=at,
        event_type="m.room.message",
        event_id=event_id or f"$e{n}",
        room_id=room,
        sender=sender,
        sender_kind="staff" if sender == STAFF else "vendor",
        counterparties=parties,
        category=category,
        decision=decision,
        reason=None if decision == "allow" else "BAA is not Active",
        event_ts=NOW + (n if sent is None else sent) * MIN - 5,
        content={"content": {"msgtype": "m.text", "body": body}},
        category_reasons=reasons,
    )


async def script(log: AuditLog) -> None:
    """The history, in order."""
    await log.append(
        [
            # 1: PHI to acme under an Active BAA — covered.
            event(1, parties=(acme("Active"),)),
            # 2: non-PHI to acme — no disclosure.
            event(2, parties=(acme("Active"),), category="non_phi", reasons=("no_identifier",)),
            # 3: the BAA is revoked.
            AuditEntry(
                kind=RecordKind.TRANSITION,
                recorded_ts=NOW + 3 * MIN,
                event_type="org.phigate.baa_transition",
                sender="@admin:clinic.example",
                decision="applied",
                subject_vendor="acme",
            ),
            # 4: PHI in the room after that: blocked, but only after the homeserver took it.
            event(4, parties=(acme("Revoked"),), decision="block"),
            # 5: PHI to a consenting patient — covered.
            event(5, room=PATIENT_ROOM, parties=(Counterparty(PAT, "patient", None, "Active"),)),
            # 6: the patient's own message — nobody outside the workforce receives it.
            event(
                6,
                room=PATIENT_ROOM,
                sender=PAT,
                parties=(Counterparty(PAT, "patient", None, "Active"),),
            ),
            # 7: acme's user sends PHI where labco (BAA Pending) also is: a delivery to labco.
            event(
                7,
                sender=BOB,
                parties=(acme("Active"), Counterparty(LAB, "vendor", "labco", "Pending")),
            ),
            # 8–9: an encrypted event: pending, then let through undecryptable (policy allow)
            # with an unknown server in the room — a degraded-mode acceptance.
            event(
                8,
                parties=(Counterparty(EVE, "unknown", None, "None"),),
                category=None,
                decision="pending",
                reasons=(),
                event_id="$enc",
            ),
            event(
                9,
                parties=(Counterparty(EVE, "unknown", None, "None"),),
                category="unknown",
                reasons=("undecryptable",),
                kind=RecordKind.DECISION,
                event_id="$enc",
                sent=8,
            ),
            # 10–11: undecryptable in an open room, then its key came: non-PHI after all.
            event(
                10,
                parties=(acme("Active"),),
                category="unknown",
                reasons=(),
                kind=RecordKind.DECISION,
                event_id="$late",
            ),
            event(
                11,
                parties=(acme("Active"),),
                category="non_phi",
                reasons=("no_identifier",),
                kind=RecordKind.DECISION,
                event_id="$late",
                sent=10,
            ),
            # 12: written without reasons (an older writer): they are derived again.
            event(12, parties=(acme("Active"),), reasons=(), body="MRN 4481230 results"),
        ]
    )


def everything(**kw: str) -> DisclosureQuery:
    return DisclosureQuery(since_ms=NOW, until_ms=NOW + 100 * MIN, **kw)


async def test_scripted_history_gives_exactly_the_expected_rows(log: AuditLog) -> None:
    await script(log)
    rows = await disclosures(log, everything())
    got = [
        (d.event_id, d.recipient, d.agreement_state, d.possible_breach, d.late_block) for d in rows
    ]
    assert got == [
        ("$e1", BOB, "Active", False, False),
        ("$e4", BOB, "Revoked", True, True),
        ("$e5", PAT, "Active", False, False),
        ("$e7", LAB, "Pending", True, False),
        ("$enc", EVE, "None", True, False),
        ("$e12", BOB, "Active", False, False),
    ]
    first, late, patient, _, degraded, derived = rows
    assert first.at_ms == NOW + MIN - 5 and first.reasons == ("date_of_birth",)
    assert first.basis == "BAA acme Active" and first.recipient_server == "acme.example"
    assert "late block: removed after delivery" in late.description
    assert patient.basis == "consent Active" and patient.recipient_kind == "patient"
    assert degraded.category == "unknown" and "content unreadable" in degraded.description
    assert degraded.basis == "BAA None (unknown party)"
    assert derived.reasons == ("mrn",) and derived.reasons_derived
    assert "(re-derived)" in derived.description


async def test_per_vendor_and_per_patient(log: AuditLog) -> None:
    await script(log)
    acme_rows = await disclosures(log, everything(vendor="acme"))
    assert [(d.event_id, d.recipient) for d in acme_rows] == [
        ("$e1", BOB),
        ("$e4", BOB),
        ("$e12", BOB),
    ]
    labco = await disclosures(log, everything(vendor="labco"))
    assert [(d.event_id, d.recipient, d.possible_breach) for d in labco] == [("$e7", LAB, True)]
    patient = await disclosures(log, everything(patient=PAT))
    assert [(d.event_id, d.recipient) for d in patient] == [("$e5", PAT)]


async def test_the_range_is_respected(log: AuditLog) -> None:
    await script(log)
    window = DisclosureQuery(since_ms=NOW + 4 * MIN, until_ms=NOW + 6 * MIN)
    assert [d.event_id for d in await disclosures(log, window)] == ["$e4", "$e5"]


def test_default_range_is_six_years() -> None:
    # 2026-01-01T00:00:00Z → 2020-01-01T00:00:00Z
    assert default_since(1_767_225_600_000) == 1_577_836_800_000
    # 2024-02-29 → 2018-02-28
    assert default_since(1_709_164_800_000) == 1_519_776_000_000
    with pytest.raises(InvalidArgument):
        DisclosureQuery(since_ms=2, until_ms=1)
    with pytest.raises(InvalidArgument):
        DisclosureQuery(since_ms=1, until_ms=2, patient=PAT, vendor="acme")


async def test_formats(log: AuditLog) -> None:
    await script(log)
    query = everything(vendor="acme")
    rows = await disclosures(log, query)

    table = render("table", rows, query, NOW).splitlines()
    assert table[0].startswith("3 disclosure(s) of PHI, vendor acme, from ")
    assert table[0].endswith("1 possible breach(es) (no Active agreement)")
    assert table[1].split()[:2] == ["DATE", "RECIPIENT"]
    assert "POSSIBLE BREACH" in table[3] and "POSSIBLE BREACH" not in table[2]

    parsed = list(csv.DictReader(io.StringIO(render("csv", rows, query, NOW))))
    assert tuple(parsed[0]) == CSV_COLUMNS and len(parsed) == 3
    assert parsed[1]["recipient"] == BOB and parsed[1]["possible_breach"] == "yes"
    assert parsed[1]["agreement_state"] == "Revoked" and parsed[1]["late_block"] == "yes"

    doc = json.loads(render("json", rows, query, NOW))
    assert (doc["count"], doc["possible_breaches"]) == (3, 1)
    assert doc["subject"] == {"patient": None, "vendor": "acme"}
    assert doc["disclosures"][0]["reasons"] == ["date_of_birth"]
    assert "body" not in json.dumps(doc) and "1962" not in json.dumps(doc)  # never content

    with pytest.raises(InvalidArgument):
        render("xml", rows, query, NOW)


def test_csv_cells_cannot_become_formulas() -> None:
    assert _csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _csv_cell("-1") == "'-1"
    assert _csv_cell(BOB) == BOB  # a plain user ID stays as it is
    assert _csv_cell(None) == "" and _csv_cell(True) == "yes"
