"""One declaration per command: the SPEC's usage lines, `!help`, and the parser agree."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.commands import COMMANDS
from bridge.commands.parsing import Option, Rest, Word, bind, tokenize
from bridge.commands.registry import CommandTable
from bridge.errors import InvalidArgument
from tests.commands.conftest import Bot

# SPEC §2 "Bot commands", verbatim: these names and this syntax are fixed.
SPEC_USAGES = """\
!help [command]
!vendor add <vendor_id> <display name…>
!vendor link <vendor_id> <server_name | @user:server>
!vendor unlink <vendor_id> <server_name | @user:server>
!vendor list
!baa show <vendor_id>
!baa list [state]
!baa set <vendor_id> <None|Staging|Pending|Active|Expired|Revoked> [expires=YYYY-MM-DD] [reason…]
!patient add <@user:server>
!consent grant <@user:server> [expires=YYYY-MM-DD]
!consent revoke <@user:server> [reason…]
!consent show <@user:server>
!room status [<room id or alias>]
!room list [gated|open]
!audit query [vendor=V] [user=U] [room=R] [category=C] [since=T] [until=T] [limit=N]
!audit verify
!audit disclosures <@user:server | vendor_id> [since=T] [until=T]""".splitlines()


def test_every_spec_command_is_declared_with_its_exact_usage() -> None:
    declared = [spec.usage for spec in COMMANDS]
    for usage in SPEC_USAGES:
        assert usage in declared


@pytest.mark.parametrize("body", ["!help", "!HELP", "!help !"])
async def test_help_lists_every_command(bot: Bot, body: str) -> None:
    reply = await bot.ok(body)
    for spec in COMMANDS:
        assert spec.usage in reply.text
        assert spec.help in reply.text
    assert reply.html is not None and "&lt;vendor_id&gt;" in reply.html


async def test_help_for_a_group_shows_its_usages(bot: Bot) -> None:
    reply = await bot.ok("!help baa")
    for usage in SPEC_USAGES:
        if usage.startswith("!baa "):
            assert usage in reply.text
    assert "!vendor add" not in reply.text


@pytest.mark.parametrize("topic", ["baa set", "!baa set", "BAA SET"])
async def test_help_for_one_command(bot: Bot, topic: str) -> None:
    reply = await bot.ok(f"!help {topic}")
    assert reply.text.splitlines()[1] == SPEC_USAGES[7]
    assert "!baa show" not in reply.text


@pytest.mark.parametrize("topic", ["nope", "baa frobnicate", "baa set now please"])
async def test_help_for_an_unknown_command(bot: Bot, topic: str) -> None:
    reply = await bot.fails(f"!help {topic}")
    assert "!help" in reply.text
    assert len(reply.text.splitlines()) == 1


# --- the declaration mechanism itself ---------------------------------------------------------


def test_handler_parameters_must_match_the_declaration() -> None:
    table = CommandTable()
    with pytest.raises(ValueError, match="differ from declared"):

        @table.command("thing do", Word("vendor_id", "vendor_id"), help="x")
        async def handler(ctx: Any, *, vendor: str) -> None: ...


def test_duplicate_and_badly_ordered_declarations_are_refused() -> None:
    table = CommandTable()

    @table.command("thing do", help="x")
    async def first(ctx: Any) -> None: ...

    with pytest.raises(ValueError, match="twice"):
        table.command("thing do", help="x")
    with pytest.raises(ValueError, match="both subcommands and none"):
        table.command("thing", help="x")
    with pytest.raises(ValueError, match="out of order"):
        table.command("thing other", Rest("r", "r"), Word("w", "w"), help="x")
    with pytest.raises(ValueError, match="one non-empty line"):
        table.command("thing third", help="two\nlines")


# --- binding tokens to arguments --------------------------------------------------------------

SET = (
    Word("vendor_id", "vendor_id"),
    Word("state", "state"),
    Option("expires", "YYYY-MM-DD"),
    Rest("reason", "reason", required=False),
)


def _bind(specs: tuple[Any, ...], line: str) -> dict[str, Any]:
    return bind(specs, line, tokenize(line))


def test_words_options_and_rest() -> None:
    assert _bind(SET, "acme Active expires=2027-01-01   signed   in\n person") == {
        "vendor_id": "acme",
        "state": "Active",
        "expires": "2027-01-01",
        "reason": "signed in person",
    }
    assert _bind(SET, "acme Active") == {
        "vendor_id": "acme",
        "state": "Active",
        "expires": None,
        "reason": "",
    }


def test_an_option_after_the_reason_is_part_of_the_reason() -> None:
    assert _bind(SET, "acme Revoked breach expires=never")["reason"] == "breach expires=never"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "missing <vendor_id>"),
        ("acme", "missing <state>"),
        ("acme Active expires=", "needs a value"),
        ("acme Active expires=1 EXPIRES=2", "given twice"),
        ("acme Active expire=2027-01-01", "unknown option 'expire='"),
    ],
)
def test_binding_errors(line: str, message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        _bind(SET, line)


def test_extra_arguments_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="unexpected argument 'extra'"):
        _bind((Word("vendor_id", "vendor_id"),), "acme extra")


def test_options_in_any_order_and_case() -> None:
    specs = (Option("vendor", "V"), Option("limit", "N", convert=int))
    assert _bind(specs, "LIMIT=5 vendor=acme") == {"vendor": "acme", "limit": 5}
