"""Every command's happy path, against the real database and audit log."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import text

from bridge.audit import AuditEntry, AuditFilter, Counterparty, RecordKind
from bridge.audit.checkpoint import witness_event_content
from bridge.commands import CommandProcessor
from bridge.policy import BAAState, ConsentState, RoomGate
from bridge.service.audit import DailyPrune, checkpointer
from bridge.service.registry import Registry
from tests.commands.conftest import (
    ADMIN,
    CONTROL,
    DAY_MS,
    OTHER_ADMIN,
    STAFF,
    Bot,
    FakeRoom,
)

VENDOR_USER = "@ann:billing.example"
PATIENT = "@pat:patients.example"


async def _active_vendor(bot: Bot, vendor_id: str = "acme") -> None:
    await bot.ok(f"!vendor add {vendor_id} Acme Billing Inc.")
    await bot.applied(f"!vendor link {vendor_id} billing.example")
    await bot.ok(f"!baa set {vendor_id} staging")
    await bot.ok(f"!baa set {vendor_id} PENDING")
    await bot.confirmed(f"!baa set {vendor_id} Active expires=2026-07-01 signed by Dr. Lee")


def _billing_room(bot: Bot) -> FakeRoom:
    return bot.rooms.add(
        FakeRoom(
            "!billing:clinic.example",
            "Billing questions",
            {STAFF, VENDOR_USER},
            aliases=("#billing:clinic.example",),
        )
    )


# --- vendors ----------------------------------------------------------------------------------


async def test_vendor_add_list_link_unlink(bot: Bot) -> None:
    reply = await bot.ok("!vendor add acme   Acme   Billing Inc.")
    assert reply.text == (
        "added vendor acme (Acme Billing Inc.); BAA is None — link its server with "
        "`!vendor link acme <server>`"
    )
    reply = await bot.ok("!vendor link acme Billing.Example")
    assert reply.text.startswith("linked billing.example to vendor acme (BAA None)")
    await bot.ok("!vendor link acme @it-desk:clinic.example")

    reply = await bot.ok("!vendor list")
    assert reply.text.splitlines()[0] == "1 vendor(s):"
    assert "VENDOR" in reply.text.splitlines()[1]
    row = reply.text.splitlines()[2]
    assert row.split()[:2] == ["acme", "Acme"]
    assert "billing.example, @it-desk:clinic.example" in row
    assert reply.html is not None and reply.html.count("<pre>") == 1

    reply = await bot.ok("!vendor unlink acme billing.example")
    assert reply.text.startswith("unlinked billing.example from vendor acme")
    assert bot.services.agreements.vendor("acme").servers == ()


async def test_vendor_list_when_empty(bot: Bot) -> None:
    reply = await bot.ok("!vendor list")
    assert reply.text.startswith("no vendors yet")


# --- BAAs -------------------------------------------------------------------------------------


async def test_baa_lifecycle_reports_each_change_and_rooms(bot: Bot) -> None:
    _billing_room(bot)
    await bot.ok("!vendor add acme Acme Billing")
    reply = await bot.confirmed("!vendor link acme billing.example")
    assert "re-evaluated 1 linked room(s): 0 open, 1 gated" in reply.text

    reply = await bot.ok("!baa set acme staging")
    assert reply.text == (
        "BAA of acme: None → Staging; re-evaluated 1 linked room(s): 0 open, 1 gated"
    )
    await bot.ok("!baa set acme pending")
    reply = await bot.confirmed("!baa set acme ACTIVE expires=2026-07-01 countersigned")
    assert reply.text == (
        "BAA of acme: Pending → Active, expires 2026-07-01T00:00:00Z; "
        "re-evaluated 1 linked room(s): 1 open, 0 gated"
    )
    info = bot.services.agreements.vendor("acme")
    assert info.baa_state is BAAState.ACTIVE
    assert info.baa_expires_ms is not None

    reply = await bot.ok("!baa set acme revoked breach of contract")
    assert "Active → Revoked" in reply.text and "0 open, 1 gated" in reply.text
    history = await bot.services.agreements.baa_history("acme")
    assert history[0].reason == "breach of contract"
    assert history[0].actor == ADMIN


async def test_baa_set_accepts_an_iso_datetime_with_zone(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    await bot.ok("!baa set acme staging")
    await bot.ok("!baa set acme pending")
    reply = await bot.confirmed("!baa set acme active expires=2026-03-01T12:30:00+01:00")
    assert "expires 2026-03-01T11:30:00Z" in reply.text


async def test_baa_show(bot: Bot) -> None:
    _billing_room(bot)
    await _active_vendor(bot)
    await bot.ok("!vendor link acme @ann-desk:clinic.example")
    reply = await bot.ok("!baa show acme")
    lines = reply.text.splitlines()
    assert lines[0] == "BAA of acme: Active"
    assert "vendor:   acme — Acme Billing Inc." in lines
    assert "BAA:      Active" in lines
    assert "expires:  2026-07-01T00:00:00Z" in lines
    assert "servers:  billing.example" in lines
    assert "users:    @ann-desk:clinic.example" in lines
    assert "record:   https://compliance.clinic.example/baa/acme" in lines
    assert "rooms:    re-evaluated 1 linked room(s): 1 open, 0 gated" in lines
    transitions = lines[lines.index("last changes (newest first):") + 1 :]
    assert len(transitions) == 3
    assert "Pending → Active until 2026-07-01T00:00:00Z" in transitions[0]
    assert '"signed by Dr. Lee"' in transitions[0]
    assert ADMIN in transitions[0]
    assert "2026-01-01T00:00:00Z" in transitions[0]
    assert "None → Staging" in transitions[2]


async def test_baa_show_after_expiry_shows_effective_and_stored_state(bot: Bot) -> None:
    _billing_room(bot)
    await _active_vendor(bot)
    bot.clock.advance(200 * DAY_MS)
    reply = await bot.ok("!baa show acme")
    assert reply.text.splitlines()[0] == "BAA of acme: Expired"
    assert "BAA:      Expired (stored: Active; the expiry has passed)" in reply.text
    # Renewal from Expired needs a new expiry; with one it is legal.
    reply = await bot.fails("!baa set acme active")
    assert "needs a new expiry" in reply.text
    reply = await bot.confirmed("!baa set acme active expires=2027-07-01 renewed")
    assert "Expired → Active" in reply.text and "1 open" in reply.text


async def test_baa_list_with_and_without_state(bot: Bot) -> None:
    await _active_vendor(bot, "acme")
    await bot.ok("!vendor add labco Lab Co")
    reply = await bot.ok("!baa list")
    assert reply.text.splitlines()[0] == "2 vendor(s) in total:"
    acme = next(line for line in reply.text.splitlines() if line.startswith("acme"))
    assert acme.split()[1:3] == ["Active", "2026-07-01T00:00:00Z"]

    reply = await bot.ok("!baa list none")
    assert reply.text.splitlines()[0] == "1 vendor(s) with BAA None:"
    assert "labco" in reply.text and "acme" not in reply.text.splitlines()[2]

    reply = await bot.ok("!baa list Revoked")
    assert reply.text == "no vendors with BAA Revoked"

    bot.clock.advance(365 * DAY_MS)  # filters by the *effective* state
    reply = await bot.ok("!baa list expired")
    assert "acme" in reply.text


# --- patients and consent ---------------------------------------------------------------------


async def test_patient_and_consent(bot: Bot) -> None:
    bot.rooms.add(FakeRoom("!visit:clinic.example", "Visit", {STAFF, PATIENT}))
    reply = await bot.ok(f"!patient add {PATIENT}")
    assert reply.text.startswith(f"registered patient {PATIENT}; consent None")
    assert "re-evaluated 1 linked room(s): 0 open, 1 gated" in reply.text

    reply = await bot.confirmed(f"!consent grant {PATIENT} expires=2026-06-01")
    assert reply.text == (
        f"consent of {PATIENT}: None → Active, expires 2026-06-01T00:00:00Z; "
        "re-evaluated 1 linked room(s): 1 open, 0 gated"
    )
    reply = await bot.ok(f"!consent show {PATIENT}")
    assert reply.text.splitlines()[0] == f"consent of {PATIENT}: Active"
    assert "expires:  2026-06-01T00:00:00Z" in reply.text
    assert "None → Active until 2026-06-01T00:00:00Z" in reply.text

    reply = await bot.ok(f"!consent revoke {PATIENT} asked by phone")
    assert reply.text.startswith(f"consent of {PATIENT}: Active → Revoked")
    assert "0 open, 1 gated" in reply.text
    assert bot.services.agreements.patient(PATIENT).consent_state is ConsentState.REVOKED
    history = await bot.services.agreements.consent_history(PATIENT)
    assert history[0].reason == "asked by phone"

    reply = await bot.ok("!patient list")
    assert PATIENT in reply.text and "Revoked" in reply.text


async def test_consent_show_after_expiry(bot: Bot) -> None:
    await bot.ok(f"!patient add {PATIENT}")
    await bot.confirmed(f"!consent grant {PATIENT} expires=2026-01-02")
    bot.clock.advance(2 * DAY_MS)
    reply = await bot.ok(f"!consent show {PATIENT}")
    assert reply.text.splitlines()[0] == f"consent of {PATIENT}: Expired"
    assert "(stored: Active; the expiry has passed)" in reply.text


# --- rooms ------------------------------------------------------------------------------------


async def test_room_status_by_id_and_alias(bot: Bot) -> None:
    room = _billing_room(bot)
    room.undecryptable["@ann:billing.example|DEVICE1"] = 2
    await bot.ok("!vendor add acme Acme")
    await bot.confirmed("!vendor link acme billing.example")
    for ref in ("!billing:clinic.example", "#billing:clinic.example"):
        reply = await bot.ok(f"!room status {ref}")
        lines = reply.text.splitlines()
        assert lines[0] == "Billing questions: gated"
        assert "room:         !billing:clinic.example" in lines
        assert "protected:    yes" in lines
        assert "encrypted:    yes" in lines
        assert f"  {VENDOR_USER} (vendor acme: BAA None)" in lines
        assert "  @ann:billing.example|DEVICE1: 2" in lines


async def test_room_status_without_argument_summarises_rooms_needing_attention(bot: Bot) -> None:
    _billing_room(bot)
    bot.rooms.add(FakeRoom("!staff:clinic.example", "Staff only", {STAFF, ADMIN}))
    bot.rooms.add(FakeRoom("!lab:clinic.example", "Lab", {STAFF}, protected=False))
    reply = await bot.ok("!room status")
    lines = reply.text.splitlines()
    assert lines[0] == "3 managed room(s): 2 open, 1 gated, 1 unprotected; needing attention:"
    assert any(line.startswith("!billing:clinic.example") for line in lines)
    assert any(line.startswith("!lab:clinic.example") and "UNPROTECTED" in line for line in lines)
    assert not any(line.startswith("!staff:clinic.example") for line in lines)


async def test_room_list_with_filter(bot: Bot) -> None:
    _billing_room(bot)
    bot.rooms.add(FakeRoom("!staff:clinic.example", "Staff only", {STAFF}, encrypted=False))
    reply = await bot.ok("!room list")
    assert reply.text.splitlines()[0] == "2 managed room(s):"
    header, *rows = reply.text.splitlines()[1:]
    assert header.split() == ["ROOM", "NAME", "GATE", "PROTECTED", "E2EE", "COUNTERPARTIES"]
    billing = next(r for r in rows if r.startswith("!billing"))
    assert "gated" in billing and f"{VENDOR_USER} (unknown: BAA None)" in billing
    staff = next(r for r in rows if r.startswith("!staff"))
    assert "open" in staff and "NO" in staff and staff.endswith("none")

    reply = await bot.ok("!room list GATED")
    assert reply.text.splitlines()[0] == "1 gated managed room(s):"
    assert "!staff" not in reply.text
    reply = await bot.ok("!room list open")
    assert "!billing" not in reply.text


# --- audit ------------------------------------------------------------------------------------


async def test_audit_query_newest_first_without_content(bot: Bot) -> None:
    _billing_room(bot)
    await _active_vendor(bot)
    await bot.ok(f"!patient add {PATIENT}")
    reply = await bot.ok("!audit query vendor=acme limit=3")
    lines = reply.text.splitlines()
    assert lines[0].startswith("3 audit record(s) of ")
    assert lines[1].split() == [
        "SEQ", "TIME", "ROOM", "SENDER", "TYPE", "CATEGORY", "DECISION", "REASON"
    ]  # fmt: skip
    seqs = [int(line.split()[0]) for line in lines[2:]]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 3
    # Command content ("signed by Dr. Lee") is encrypted in the log and never shown here.
    assert "Dr. Lee" not in reply.text

    reply = await bot.ok(f"!audit query user={PATIENT}")
    assert "org.phigate.patient_add" in reply.text
    assert "org.phigate.baa_transition" not in reply.text


async def test_audit_query_by_room_alias_category_and_time(bot: Bot) -> None:
    _billing_room(bot)
    await bot.ok("!vendor list")
    reply = await bot.ok(f"!audit query room={CONTROL}")
    assert "vendor list" in reply.text
    reply = await bot.ok("!audit query room=#billing:clinic.example")
    assert reply.text == "no audit records match"
    reply = await bot.ok("!audit query category=PHI")
    assert reply.text == "no audit records match"

    bot.clock.advance(2 * DAY_MS)
    await bot.ok("!baa list")
    reply = await bot.ok("!audit query since=1d")
    rows = reply.text.splitlines()[2:]
    assert rows and all("2026-01-03" in row for row in rows)
    reply = await bot.ok("!audit query until=2026-01-02 limit=200")
    assert "2026-01-03" not in reply.text and "vendor list" in reply.text
    reply = await bot.ok("!audit query since=2026-01-02T00:00:00Z until=2026-01-04T00:00:00Z")
    assert "baa list" in reply.text


async def test_audit_query_default_limit(bot: Bot) -> None:
    for _ in range(25):
        await bot.ok("!vendor list")
    reply = await bot.ok("!audit query")
    assert reply.text.splitlines()[0].startswith("20 audit record(s) of ")
    assert len(reply.text.splitlines()) == 22


async def test_audit_verify(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    reply = await bot.ok("!audit verify")
    assert reply.text.startswith("audit log intact:")
    assert len(reply.text.splitlines()) == 1


async def test_audit_verify_checks_the_witness_copy_in_the_control_room(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    signed = await checkpointer(bot.services).checkpoint()
    assert signed is not None
    state: dict[str, Any] | None = witness_event_content(signed.note)

    async def witness() -> dict[str, Any] | None:
        return state

    with_witness = CommandProcessor(
        bot.services,
        bot.rooms,
        admins=frozenset({ADMIN}),
        control_room_id=lambda: CONTROL,
        witness=witness,
    )
    reply = await with_witness.handle(CONTROL, ADMIN, "!audit verify")
    assert reply is not None and reply.ok, reply
    first, *used = reply.text.splitlines()
    assert first.startswith("audit log intact:") and f"(size {signed.size})" in first
    assert used == [
        f"{bot.services.config.audit.checkpoint_file}: judged by the {signed.describe()}",
        f"the control room's witness copy: judged by the {signed.describe()}",
    ]

    # Only the witness has the newest checkpoint: records cut off after it are seen there.
    await bot.ok("!vendor add beta Beta")
    newer = await checkpointer(bot.services).checkpoint()
    assert newer is not None
    state = witness_event_content(newer.note)
    bot.services.config.audit.checkpoint_file.write_text(signed.note + "\n")
    async with bot.services.engine.begin() as conn:
        for table_name in ("audit_record", "audit_party", "audit_token"):
            await conn.execute(text(f"DELETE FROM {table_name} WHERE seq > {signed.size}"))
    reply = await with_witness.handle(CONTROL, ADMIN, "!audit verify")
    assert reply is not None and not reply.ok
    assert reply.text.startswith("⚠ ROLLBACK: the database is an older copy") or (
        reply.text.startswith("⚠ TRUNCATED:")
    )
    assert f"the control room's witness copy: judged by the {newer.describe()}" in reply.text

    # No witness event yet, or a homeserver that cannot be asked: said, the file still used.
    state = None
    reply = await with_witness.handle(CONTROL, ADMIN, "!audit verify")
    assert reply is not None and reply.text.splitlines()[-1] == (
        "the control room's witness copy: none in this room yet"
    )


async def test_audit_hold_release_and_holds(bot: Bot) -> None:
    reply = await bot.ok("!audit holds")
    assert reply.text == "no legal holds; audit records are kept 6y"
    reply = await bot.ok("!audit hold acme litigation 2026-17")
    assert reply.text.startswith("legal hold on vendor acme: its audit records are kept")
    await bot.ok(f"!audit hold {PATIENT}")
    _billing_room(bot)
    await bot.ok("!audit hold #billing:clinic.example")
    reply = await bot.fails("!audit hold acme again")
    assert reply.text == "⚠ vendor acme is already on hold"
    reply = await bot.ok("!audit holds")
    lines = reply.text.splitlines()
    assert lines[0] == "3 legal hold(s); other records are kept 6y"
    assert "vendor acme" in lines[2] and "litigation 2026-17" in lines[2]
    assert f"user {PATIENT}" in lines[3] and "room !billing:clinic.example" in lines[4]
    # The hold is a record of its own, naming the vendor; its reason is encrypted content.
    held = await bot.services.audit.query(
        AuditFilter(vendor="acme", kind=RecordKind.SYSTEM, limit=1), with_content=True
    )
    assert held[0].event_type == "org.phigate.audit_hold" and held[0].reason is None
    assert held[0].content == {"hold": "vendor acme", "reason": "litigation 2026-17"}
    reply = await bot.ok("!audit release acme matter closed")
    assert reply.text.startswith("released the legal hold on vendor acme")
    reply = await bot.ok("!audit holds")
    assert reply.text.splitlines()[0] == "2 legal hold(s); other records are kept 6y"


async def test_the_daily_prune_keeps_what_a_hold_names(bot: Bot) -> None:
    seven_years = 7 * 365 * DAY_MS
    old = bot.clock() - seven_years
    await bot.services.audit.append(
        [
            AuditEntry(
                kind=RecordKind.SYSTEM,
                recorded_ts=old + i,
                event_type="org.phigate.start",
                sender="@phigate:clinic.example",
                sender_kind="bot",
                subject_vendor="acme" if i == 3 else None,
            )
            for i in range(1, 6)
        ]
    )
    await bot.ok("!audit hold acme litigation")
    alerts: list[str] = []

    async def alert(text: str) -> None:
        alerts.append(text)

    daily = DailyPrune(
        bot.services, checkpointer(bot.services), actor="@phigate:clinic.example", alert=alert
    )
    result = await daily.once()
    assert result is not None and (result.plan.through, result.plan.held_seq) == (2, 3)
    reply = await bot.ok("!audit verify")
    assert "(records 1–2 pruned by retention)" in reply.text and "holds all the" in reply.text

    # A log that does not verify is not pruned; the control room is told why.
    await bot.ok("!audit release acme")
    async with bot.services.engine.begin() as conn:
        await conn.execute(text("UPDATE audit_record SET sender = '@x:y' WHERE seq = 4"))
    assert await daily.once() is None
    assert alerts == [
        "⚠ Audit retention: the daily prune failed: not pruning: record 4 was edited:"
        " its hash does not match its contents"
    ]
    assert await bot.services.audit.first_seq() == 3


async def _delivery(
    bot: Bot, n: int, recipient: Counterparty, *, decision: str = "allow", category: str = "phi"
) -> None:
    """A message event on the record as the gatekeeper writes it."""
    now = bot.clock()
    await bot.services.audit.append_one(
        AuditEntry(
            kind=RecordKind.EVENT,
            recorded_ts=now,
            event_type="m.room.message",
            event_id=f"$d{n}",
            room_id="!billing:clinic.example",
            sender=STAFF,
            sender_kind="staff",
            counterparties=(recipient,),
            category=category,
            decision=decision,
            event_ts=now - 5,
            content={"content": {"msgtype": "m.text", "body": "DOB 03/14/1962 — Jane Roe"}},
            category_reasons=("date_of_birth",),
        )
    )


async def test_audit_disclosures_per_vendor_flags_what_no_active_baa_covered(bot: Bot) -> None:
    await _delivery(bot, 1, Counterparty(VENDOR_USER, "vendor", "acme", "Active"))
    await _delivery(
        bot, 2, Counterparty(VENDOR_USER, "vendor", "acme", "Active"), category="non_phi"
    )
    bot.clock.advance(DAY_MS)
    await _delivery(
        bot, 3, Counterparty(VENDOR_USER, "vendor", "acme", "Revoked"), decision="block"
    )
    await _delivery(bot, 4, Counterparty(PATIENT, "patient", None, "Active"))
    reply = await bot.fails("!audit disclosures acme")
    lines = reply.text.splitlines()
    assert lines[0] == (
        "⚠ 2 disclosure(s) of PHI, vendor acme, from 2020-01-02T00:00:00Z to"
        " 2026-01-02T00:00:00Z; 1 possible breach(es) (no Active agreement)"
    )
    assert lines[1].split()[:5] == ["DATE", "RECIPIENT", "KIND", "AGREEMENT", "FLAG"]
    assert "BAA acme Active" in lines[2] and "POSSIBLE BREACH" not in lines[2]
    assert "BAA acme Revoked" in lines[3] and "POSSIBLE BREACH" in lines[3]
    assert "late block" in lines[3] and "date_of_birth" in lines[3]
    assert "Jane" not in reply.text and "1962" not in reply.text  # content is never shown
    record = (await bot.services.audit.query(AuditFilter(kind=RecordKind.COMMAND, limit=1)))[0]
    assert (record.decision, record.subject_vendor) == ("applied", "acme")


async def test_audit_disclosures_per_patient_and_range(bot: Bot) -> None:
    await _delivery(bot, 1, Counterparty(PATIENT, "patient", None, "Active"))
    reply = await bot.ok(f"!audit disclosures {PATIENT}")
    assert reply.text.splitlines()[0].startswith(f"1 disclosure(s) of PHI, patient {PATIENT}")
    assert reply.text.splitlines()[0].endswith("; none flagged")
    assert "consent Active" in reply.text
    record = (await bot.services.audit.query(AuditFilter(kind=RecordKind.COMMAND, limit=1)))[0]
    assert record.subject_user == PATIENT
    bot.clock.advance(3 * DAY_MS)
    reply = await bot.ok(f"!audit disclosures {PATIENT} since=1d")
    assert reply.text.startswith("0 disclosure(s) of PHI") and len(reply.text.splitlines()) == 1
    reply = await bot.ok(f"!audit disclosures {PATIENT} since=2025-12-31 until=2026-01-02")
    assert reply.text.startswith("1 disclosure(s)")


async def test_audit_disclosures_bad_arguments(bot: Bot) -> None:
    reply = await bot.fails("!audit disclosures")
    assert reply.text.splitlines()[-1] == (
        "usage: !audit disclosures <@user:server | vendor_id> [since=T] [until=T]"
    )
    reply = await bot.fails("!audit disclosures acme since=yesterday")
    assert "bad time" in reply.text
    reply = await bot.fails("!audit disclosures acme since=2026-01-02 until=2026-01-01")
    assert "since must be before until" in reply.text


# --- every accepted command is audited --------------------------------------------------------


async def test_accepted_commands_are_audited_with_the_command_line(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme Billing")
    await bot.fails("!baa set acme Active")  # None → Active is illegal
    records = await bot.services.audit.query(
        AuditFilter(kind=RecordKind.COMMAND, limit=2), with_content=True
    )
    refused, applied = records
    assert applied.event_type == "org.phigate.command"
    assert (applied.decision, applied.reason) == ("applied", "vendor add")
    assert applied.content == {"command": "!vendor add acme Acme Billing"}
    assert (applied.sender, applied.sender_kind, applied.room_id) == (ADMIN, "admin", CONTROL)
    assert applied.subject_vendor == "acme"
    assert (refused.decision, refused.reason) == ("error", "baa set: TransitionRefused")
    assert refused.content["command"] == "!baa set acme Active"
    assert "allowed from None: Staging" in refused.content["error"]


async def test_who_a_user_is_follows_every_link_and_unlink(bot: Bot) -> None:
    """The registry remembers who each user is per snapshot: a link or an unlink makes a new
    snapshot, so nobody keeps an old classification."""
    registry = lambda: bot.services.agreements.registry  # noqa: E731
    assert registry().party(VENDOR_USER).kind.value == "unknown"
    await bot.ok("!vendor add acme Acme Billing")
    await bot.ok("!vendor link acme billing.example")
    assert registry().party(VENDOR_USER).kind.value == "vendor"
    await bot.ok("!vendor unlink acme billing.example")
    assert registry().party(VENDOR_USER).kind.value == "unknown"


async def test_room_status_gates_an_unrecognised_local_account(bot: Bot) -> None:
    """A local account nobody named as staff is a counterparty: the room is gated."""
    bot.rooms.add(FakeRoom("!ward:clinic.example", "Ward", {STAFF, "@walkin:clinic.example"}))
    reply = await bot.ok("!room status !ward:clinic.example")
    lines = reply.text.splitlines()
    assert lines[0] == "Ward: gated"
    assert "  @walkin:clinic.example (local account not recognised as staff: BAA None)" in lines
    assert not any("by default" in line for line in lines)


async def test_room_status_names_staff_only_by_default(bot: Bot) -> None:
    """With staff_by_domain the same account is staff, and `!room status` says it is so only
    by that default."""
    registry = bot.services.agreements.registry
    bot.services.agreements.registry = Registry(
        replace(registry.directory, staff_by_domain=True), registry.vendors, registry.patients
    )
    bot.rooms.add(FakeRoom("!ward:clinic.example", "Ward", {STAFF, "@walkin:clinic.example"}))
    reply = await bot.ok("!room status !ward:clinic.example")
    lines = reply.text.splitlines()
    assert lines[0] == "Ward: open"
    at = lines.index("staff only by default (organization.staff_by_domain, not named):")
    # The named staff member is not listed, the unnamed one is.
    assert lines[at + 1 :] == ["  @walkin:clinic.example"]


# --- changes that wait for !confirm ------------------------------------------------------------


async def _pending_vendor_in_room(bot: Bot) -> None:
    _billing_room(bot)
    await bot.ok("!vendor add acme Acme")
    await bot.confirmed("!vendor link acme billing.example")
    await bot.ok("!baa set acme staging")
    await bot.ok("!baa set acme pending")


async def test_by_default_a_change_applies_at_once_and_says_what_it_did(bot: Bot) -> None:
    """organization.confirm_changes false (the default): SPEC §2's one-step commands, and
    the reply names the rooms it opened."""
    await _pending_vendor_in_room(bot)
    config = bot.services.config
    bot.services.config = replace(
        config, organization=replace(config.organization, confirm_changes=False)
    )
    reply = await bot.ok("!baa set acme Active countersigned")
    assert bot.services.agreements.vendor("acme").baa_state is BAAState.ACTIVE
    assert "what it did:" in reply.text.splitlines()
    assert "opens room !billing:clinic.example (PHI may then flow there)" in reply.text
    assert not bot.rooms.list_rooms(RoomGate.GATED)
    assert "nothing of yours is waiting" in (await bot.fails("!confirm")).text


async def test_unconfirmed_baa_active_changes_nothing(bot: Bot) -> None:
    """`!baa set … Active` first says which rooms it opens; without `!confirm` nothing moves,
    and a preview left too long cannot be confirmed any more."""
    await _pending_vendor_in_room(bot)
    records = len(await bot.services.audit.query(AuditFilter(limit=None)))
    preview = await bot.ok("!baa set acme Active countersigned")
    assert preview.text.splitlines() == [
        "not applied yet: type !confirm within 5 minutes to apply !baa set acme Active (or "
        "!cancel); what it will do:",
        "opens room !billing:clinic.example (PHI may then flow there)",
    ]
    assert bot.services.agreements.vendor("acme").baa_state is BAAState.PENDING
    assert bot.rooms.list_rooms(RoomGate.GATED)
    # Only the preview command itself was audited: no transition record.
    everything = await bot.services.audit.query(AuditFilter(limit=None))  # newest first
    new = everything[: len(everything) - records]
    assert [r.event_type for r in new] == ["org.phigate.command"]

    bot.clock.advance(5 * 60 * 1000)
    reply = await bot.fails("!confirm")
    assert "nothing of yours is waiting" in reply.text
    assert bot.services.agreements.vendor("acme").baa_state is BAAState.PENDING

    await bot.ok("!baa set acme Active countersigned")
    # Another admin's !confirm does not apply it.
    other = await bot.say("!confirm", sender=OTHER_ADMIN)
    assert not other.ok
    reply = await bot.ok("!confirm")
    assert reply.text.startswith("BAA of acme: Pending → Active")
    assert not bot.rooms.list_rooms(RoomGate.GATED)


async def test_cancel_and_dry_run_change_nothing(bot: Bot) -> None:
    await _pending_vendor_in_room(bot)
    reply = await bot.ok("!dry-run baa set acme Active")
    assert reply.text.splitlines() == [
        "dry run of !baa set acme Active (nothing changed); it would:",
        "opens room !billing:clinic.example (PHI may then flow there)",
    ]
    assert (await bot.fails("!confirm")).text.startswith("⚠ nothing of yours is waiting")
    await bot.ok("!baa set acme Active")
    assert (await bot.ok("!cancel")).text == "dropped; nothing was changed"
    await bot.fails("!confirm")
    assert bot.services.agreements.vendor("acme").baa_state is BAAState.PENDING
    assert "dry-run shows the effect" in (await bot.fails("!dry-run vendor list")).text


async def test_consent_grant_and_link_say_who_changes(bot: Bot) -> None:
    bot.rooms.add(FakeRoom("!visit:clinic.example", "Visit", {STAFF, PATIENT}))
    await bot.ok(f"!patient add {PATIENT}")
    preview = await bot.ok(f"!consent grant {PATIENT}")
    assert "opens room !visit:clinic.example (PHI may then flow there)" in preview.text
    assert bot.services.agreements.patient(PATIENT).consent_state is ConsentState.NONE

    # Linking a staff member's account to a vendor makes them a vendor: said first.
    await bot.ok("!vendor add acme Acme")
    preview = await bot.ok(f"!dry-run vendor link acme {STAFF}")
    assert f"{STAFF} changes from staff to vendor acme" in preview.text
    assert "closes room !visit:clinic.example" not in preview.text  # gated already
    assert STAFF not in bot.services.agreements.registry.directory.vendor_users
    # A link that reaches no member of a managed room applies at once.
    reply = await bot.ok("!vendor link acme lab.example")
    assert reply.text.startswith("linked lab.example to vendor acme")
    # The practice's own staff domain is refused outright.
    reply = await bot.fails("!vendor link acme clinic.example")
    assert "practice's own staff domain" in reply.text
