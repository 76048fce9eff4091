"""Whatever anyone types, `handle` answers with nothing or a well-formed reply — never raises."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.commands import COMMANDS, CommandReply
from tests.commands.conftest import ADMIN, CONTROL, OTHER_ROOM, STAFF, Bot

# Tags the reply renderer itself writes; anything else in the HTML came from input unescaped.
_OWN_TAGS = re.compile(r"</?(?:pre|code)>|<br/>")

_COMMAND_WORDS = sorted(
    {f"!{spec.name}" for spec in COMMANDS} | {f"!{g}" for g in COMMANDS.groups()}
)
_PIECES = st.sampled_from(
    [
        "acme",
        "ACME",
        "labco",
        "billing.example",
        "@pat:patients.example",
        "@ann:billing.example",
        "!billing:clinic.example",
        "#billing:clinic.example",
        "None",
        "staging",
        "Pending",
        "active",
        "Expired",
        "revoked",
        "gated",
        "open",
        "expires=2027-01-01",
        "expires=2020-01-01",
        "expires=2027-01-01T00:00:00+05:00",
        "expires=",
        "limit=5",
        "limit=99999999999999999999",
        "since=24h",
        "until=2026-01-02",
        "category=phi",
        "vendor=acme",
        "user=@pat:patients.example",
        "room=#nowhere:x",
        "<script>alert(1)</script>",
        "**bold** [link](http://x)",
        "\u202e",
        "\x00",
        "\n",
        "=",
        "a=b",
        "!",
        "#",
        "@",
        "@:",
        ":",
        "!:x",
        "#:",
    ]
)
_ARGS = st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=6).map(" ".join)
_COMMANDS = st.one_of(
    st.builds(lambda w, a: f"{w} {a}", st.sampled_from(_COMMAND_WORDS), _ARGS),
    st.builds(lambda a: f"!{a}", st.text(max_size=80)),
    st.text(max_size=200),
)


def _check(reply: CommandReply | None) -> None:
    if reply is None:
        return
    assert isinstance(reply, CommandReply)
    first = reply.text.split("\n")[0]
    assert first.strip(), reply.text
    # One line by every definition Python knows (\r, \x0b, \u2028 … included).
    assert first.splitlines() == [first]
    assert len(first) <= 400
    assert reply.html is not None
    assert "<" not in _OWN_TAGS.sub("", reply.html)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=_COMMANDS,
    sender=st.sampled_from([ADMIN, STAFF, "@ann:billing.example", "@x:evil.example"]),
    room=st.sampled_from([CONTROL, CONTROL, CONTROL, OTHER_ROOM]),
)
async def test_handle_never_raises(bot: Bot, body: str, sender: str, room: str) -> None:
    reply = await bot.processor.handle(room, sender, body)
    _check(reply)
    if reply is not None and room != CONTROL:
        assert not reply.post


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(min_size=1, max_size=3000))
async def test_arbitrary_text_after_a_command_word(bot: Bot, body: str) -> None:
    for word in ("!baa set acme", "!vendor add acme", "!audit query", "!help"):
        _check(await bot.processor.handle(CONTROL, ADMIN, f"{word} {body}"))
