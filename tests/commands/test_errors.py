"""Refusals, bad arguments and hostile input: one line (plus the usage), audited, no traceback."""

from __future__ import annotations

import logging

import pytest

from bridge.audit import AuditFilter, AuditRecord, RecordKind
from bridge.commands import COMMANDS
from bridge.errors import PhiGateError
from tests.commands.conftest import ADMIN, CONTROL, OTHER_ROOM, STAFF, Bot

VENDOR_USER = "@ann:billing.example"


def usage_of(name: str) -> str:
    return next(spec.usage for spec in COMMANDS if spec.name == name)


async def last_command_record(bot: Bot) -> AuditRecord:
    (record,) = await bot.services.audit.query(
        AuditFilter(kind=RecordKind.COMMAND, limit=1), with_content=True
    )
    return record


async def command_records(bot: Bot) -> int:
    return await bot.services.audit.count(AuditFilter(kind=RecordKind.COMMAND, limit=None))


# --- who and where ----------------------------------------------------------------------------


async def test_non_admin_in_the_control_room_is_refused_and_audited(bot: Bot) -> None:
    reply = await bot.say("!vendor add acme Acme", sender=STAFF)
    assert not reply.ok and reply.post
    assert reply.text == "⚠ only admins may run PHI Gate commands"
    assert "acme" not in bot.services.agreements.registry.vendors
    record = await last_command_record(bot)
    assert (record.decision, record.sender, record.sender_kind) == ("refused", STAFF, "staff")
    assert record.reason == "only admins may run PHI Gate commands"
    assert record.room_id == CONTROL
    assert record.content == {"command": "!vendor add acme Acme"}


@pytest.mark.parametrize("sender", [ADMIN, VENDOR_USER])
async def test_commands_from_other_rooms_are_refused_silently_and_audited(
    bot: Bot, sender: str
) -> None:
    reply = await bot.say("!baa list", sender=sender, room=OTHER_ROOM)
    assert not reply.ok
    assert not reply.post  # nothing is said in that room, nor in the control room
    assert reply.text == "⚠ commands are accepted only in the control room"
    record = await last_command_record(bot)
    assert (record.decision, record.room_id, record.sender) == ("refused", OTHER_ROOM, sender)
    assert record.reason == "commands are accepted only in the control room"
    assert record.content == {"command": "!baa list"}


async def test_before_the_control_room_is_known_every_command_is_refused(bot: Bot) -> None:
    bot.processor._control_room_id = lambda: None
    reply = await bot.say("!help")
    assert not reply.ok and not reply.post


@pytest.mark.parametrize(
    "body", ["hello", "", " !help", "!!!", "! help", "!urgent: call back", "!Helpme now"]
)
async def test_conversation_in_other_rooms_is_not_a_command(bot: Bot, body: str) -> None:
    before = await command_records(bot)
    assert await bot.processor.handle(OTHER_ROOM, STAFF, body) is None
    assert await command_records(bot) == before


@pytest.mark.parametrize("body", ["hello", "", "!!!", "! help", "…!help"])
async def test_non_commands_in_the_control_room_get_no_reply(bot: Bot, body: str) -> None:
    assert await bot.processor.handle(CONTROL, ADMIN, body) is None


async def test_unknown_command_suggests_help_and_is_audited(bot: Bot) -> None:
    reply = await bot.fails("!frobnicate acme")
    assert reply.text == "⚠ unknown command '!frobnicate'; type !help for the list"
    record = await last_command_record(bot)
    assert (record.decision, record.reason) == ("error", "unknown command")


@pytest.mark.parametrize(("body", "group"), [("!baa", "baa"), ("!vendor remove acme", "vendor")])
async def test_a_group_without_a_known_subcommand_lists_its_usages(
    bot: Bot, body: str, group: str
) -> None:
    reply = await bot.fails(body)
    lines = reply.text.splitlines()
    assert lines[1:] == [f"usage: {s.usage}" for s in COMMANDS.in_group(group)]


# --- bad arguments: one line and the usage ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "command", "fragment"),
    [
        ("!vendor add", "vendor add", "missing <vendor_id>"),
        ("!vendor add acme", "vendor add", "missing <display name…>"),
        ("!vendor add ACME! Acme", "vendor add", "bad vendor ID"),
        ("!vendor link acme", "vendor link", "missing <server_name | @user:server>"),
        ("!vendor link acme bad..server", "vendor link", "bad server name"),
        ("!vendor link acme @No Body", "vendor link", "bad user ID '@No'"),
        ("!vendor link acme b.example c", "vendor link", "unexpected argument 'c'"),
        ("!vendor unlink acme", "vendor unlink", "missing"),
        ("!vendor list all", "vendor list", "unexpected argument 'all'"),
        ("!baa show", "baa show", "missing <vendor_id>"),
        ("!baa list frozen", "baa list", "unknown BAA state 'frozen'"),
        ("!baa list active extra", "baa list", "unexpected argument"),
        ("!baa set acme", "baa set", "missing <None|Staging|"),
        ("!baa set acme Frozen", "baa set", "unknown BAA state 'Frozen'"),
        ("!baa set acme active expires=tomorrow", "baa set", "bad expiry 'tomorrow'"),
        ("!baa set acme active expires=2026-02-30", "baa set", "bad expiry"),
        ("!baa set acme active expires=2026-06-01T10:00", "baa set", "needs a time zone"),
        ("!baa set acme active expire=2026-06-01", "baa set", "unknown option 'expire='"),
        ("!baa set acme active expires=", "baa set", "expires= needs a value"),
        ("!patient add pat", "patient add", "bad user ID 'pat'"),
        ("!patient add", "patient add", "missing <@user:server>"),
        ("!consent grant @pat:x.example expires=soon", "consent grant", "bad expiry"),
        ("!consent grant @pat:x.example now", "consent grant", "unexpected argument 'now'"),
        ("!consent revoke", "consent revoke", "missing"),
        ("!consent show @Pat", "consent show", "bad user ID"),
        ("!room status kitchen", "room status", "bad room 'kitchen'"),
        ("!room list closed", "room list", "unknown gate 'closed'"),
        ("!audit query vendor=ACME!", "audit query", "bad vendor ID"),
        ("!audit query user=bob", "audit query", "bad user ID"),
        ("!audit query category=secret", "audit query", "unknown category 'secret'"),
        ("!audit query since=yesterday", "audit query", "bad time 'yesterday'"),
        ("!audit query limit=0", "audit query", "bad limit '0'"),
        ("!audit query limit=201", "audit query", "bad limit"),
        ("!audit query limit=-1", "audit query", "bad limit"),
        ("!audit query since=2026-02-01 until=2026-01-01", "audit query", "since must be before"),
        ("!audit query acme", "audit query", "unexpected argument 'acme'"),
        ("!audit query sender=@a:b.example", "audit query", "unknown option 'sender='"),
        ("!audit verify now", "audit verify", "unexpected argument"),
        ("!audit hold", "audit hold", "missing <!room | @user:server | vendor_id>"),
        ("!audit hold ACME! litigation", "audit hold", "bad vendor ID"),
        ("!audit hold @bob", "audit hold", "bad user ID"),
        ("!audit hold #lobby", "audit hold", "bad room '#lobby'"),
        ("!audit release", "audit release", "missing <!room | @user:server | vendor_id>"),
        ("!audit holds all", "audit holds", "unexpected argument 'all'"),
        ("!help " + "x" * 50, "help", "too long"),
    ],
)
async def test_bad_arguments_give_one_line_and_the_usage(
    bot: Bot, body: str, command: str, fragment: str
) -> None:
    reply = await bot.fails(body)
    first, usage = reply.text.splitlines()
    assert fragment in first
    assert usage == f"usage: {usage_of(command)}"
    record = await last_command_record(bot)
    assert record.decision == "error"
    assert record.reason is not None and record.reason.startswith(f"{command}: ")
    # What was typed stays out of the plaintext reason (it goes, encrypted, into content).
    assert record.reason.split(": ")[1] == "InvalidArgument"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("!baa show nobody", "no vendor 'nobody'"),
        ("!baa set nobody staging", "no vendor 'nobody'"),
        ("!vendor link nobody billing.example", "no vendor 'nobody'"),
        ("!consent show @pat:x.example", "is not a registered patient"),
        ("!consent grant @pat:x.example", "is not a registered patient"),
        ("!room status !nowhere:clinic.example", "no managed room"),
        ("!audit release acme", "vendor acme is not on hold"),
    ],
)
async def test_not_found_is_one_line_without_usage(bot: Bot, body: str, fragment: str) -> None:
    reply = await bot.fails(body)
    assert len(reply.text.splitlines()) == 1
    assert fragment in reply.text


async def test_already_exists_and_unlinking_what_is_not_linked(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    reply = await bot.fails("!vendor add acme Acme again")
    assert reply.text == "⚠ vendor acme already exists"
    await bot.ok("!vendor link acme billing.example")
    reply = await bot.fails("!vendor link acme billing.example")
    assert reply.text == "⚠ billing.example is already linked to vendor acme"
    reply = await bot.fails("!vendor unlink acme other.example")
    assert reply.text == "⚠ other.example is not linked to vendor acme"
    await bot.ok("!patient add @pat:x.example")
    reply = await bot.fails("!patient add @pat:x.example")
    assert len(reply.text.splitlines()) == 1 and "already registered" in reply.text


@pytest.mark.parametrize(
    ("path", "target", "legal"),
    [
        ([], "Active", "Staging"),
        ([], "Revoked", "Staging"),
        (["staging"], "Expired", "None, Pending, Revoked"),
        (["staging", "pending"], "None", "Staging, Active, Revoked"),
        (["staging", "pending", "active"], "Pending", "Expired, Revoked"),
        (["staging", "revoked"], "Active", "Staging"),
    ],
)
async def test_illegal_transitions_list_the_legal_states(
    bot: Bot, path: list[str], target: str, legal: str
) -> None:
    await bot.ok("!vendor add acme Acme")
    for state in path:
        if state == "active":
            await bot.confirmed(f"!baa set acme {state}")
        else:
            await bot.ok(f"!baa set acme {state}")
    reply = await bot.fails(f"!baa set acme {target.lower()}")
    assert len(reply.text.splitlines()) == 1
    assert f"to {target}; allowed from" in reply.text
    assert reply.text.endswith(f": {legal}")


async def test_expiry_rules_are_refused_with_reasons(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    reply = await bot.fails("!baa set acme staging expires=2027-01-01")
    assert reply.text == "⚠ an expiry can only be given with Active"
    await bot.ok("!baa set acme staging")
    await bot.ok("!baa set acme pending")
    reply = await bot.fails("!baa set acme active expires=2025-12-31")
    assert reply.text == "⚠ the expiry must be in the future"
    await bot.ok("!patient add @pat:x.example")
    reply = await bot.fails("!consent revoke @pat:x.example")
    assert "only Active or Expired consent can be revoked" in reply.text


# --- unexpected failures ----------------------------------------------------------------------


async def test_an_unexpected_exception_is_one_line_and_logged_without_content(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("patient Jane Doe SSN 123-45-6789")

    monkeypatch.setattr(bot.services.agreements, "add_vendor", broken)
    with caplog.at_level(logging.ERROR):
        reply = await bot.say("!vendor add acme Jane Doe Billing")
    assert reply.text == "⚠ internal error (logged)" and not reply.ok
    assert "vendor add" in caplog.text and "RuntimeError" in caplog.text
    assert "Jane" not in caplog.text and "123-45" not in caplog.text
    record = await last_command_record(bot)
    assert (record.decision, record.reason) == ("error", "vendor add: internal error")


async def test_other_phigate_errors_are_one_line(bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(**_options: object) -> None:
        raise PhiGateError("database is locked")

    monkeypatch.setattr(bot.services.audit, "verify", broken)
    reply = await bot.fails("!audit verify")
    assert reply.text == "⚠ database is locked"


async def test_a_failing_audit_write_does_not_lose_the_reply(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(entry: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(bot.services.audit, "append_one", broken)
    with caplog.at_level(logging.ERROR):
        reply = await bot.say("!help", sender=STAFF)
    assert reply.text.startswith("⚠ only admins")
    assert "could not audit command" in caplog.text


# --- hostile input ----------------------------------------------------------------------------


async def test_html_in_arguments_is_escaped(bot: Bot) -> None:
    reply = await bot.ok('!vendor add evil <b>Bold</b> <a href="x">&amp;</a>')
    assert reply.html is not None
    assert "<b>" not in reply.html and "<a " not in reply.html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in reply.html
    reply = await bot.ok("!vendor list")
    assert reply.html is not None and "<b>" not in reply.html and "&lt;b&gt;" in reply.html


async def test_markup_in_an_error_echo_is_escaped_and_shortened(bot: Bot) -> None:
    hostile = "<img src=x onerror=alert(1)>" + "A" * 500
    reply = await bot.fails(f"!baa show {hostile}")
    assert reply.html is not None and "<img" not in reply.html
    assert len(reply.text.splitlines()[0]) < 200


@pytest.mark.parametrize(
    "body",
    [
        "!vendor add acme Ac\x00me",
        "!vendor add acme \x1b[31mRed\x1b[0m",
        "!baa set acme staging reason\x07bell",
        "!vendor add acme Acme \u202eevil",
    ],
)
async def test_control_characters_are_refused(bot: Bot, body: str) -> None:
    reply = await bot.fails(body)
    first, usage = reply.text.splitlines()
    assert "control character" in first and usage.startswith("usage: !")


async def test_a_very_long_command_is_refused_in_one_line(bot: Bot) -> None:
    reply = await bot.fails("!vendor add acme " + "A" * 100_000)
    assert reply.text.splitlines()[0] == "⚠ command too long (at most 2000 characters)"
    record = await last_command_record(bot)
    assert len(record.content["command"]) == 2000
    assert record.content["truncated_from"] == 100_017


async def test_a_long_reason_is_refused(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    reply = await bot.fails("!baa set acme staging " + "because " * 100)
    assert "reason is too long" in reply.text


async def test_newlines_in_a_reason_do_not_add_reply_lines(bot: Bot) -> None:
    await bot.ok("!vendor add acme Acme")
    reply = await bot.ok("!baa set acme staging line one\nline two\n\nthree")
    assert len(reply.text.splitlines()) == 1
    history = await bot.services.agreements.baa_history("acme")
    assert history[0].reason == "line one line two three"
