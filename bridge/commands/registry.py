"""Declaring commands: one decorator per command gives its parse, usage line and help.

Modelled on maubot's ``@command.new``: the declaration sits on the handler, so `!help`, the
usage line printed after a bad argument and the parser all read the same object. The
decorator also checks, at import time, that the handler's keyword parameters are exactly the
declared argument names — a renamed argument cannot go unnoticed until an admin types it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bridge.commands.parsing import ArgSpec, Option, Token, check_specs, shown
from bridge.errors import InvalidArgument

#: Commands start with this; anything else in the control room is conversation.
PREFIX = "!"

Handler = Callable[..., Awaitable[Any]]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One command as declared.

    Attributes:
        group: The word after ``!`` (``baa``).
        sub: The subcommand (``set``), or ``None`` for a command without one (``help``).
        args: The argument declaration, in usage order.
        help: One line saying what the command does.
        handler: ``async def handler(ctx, **args)``.
    """

    group: str
    sub: str | None
    args: tuple[ArgSpec, ...]
    help: str
    handler: Handler

    @property
    def name(self) -> str:
        return f"{self.group} {self.sub}" if self.sub else self.group

    @property
    def usage(self) -> str:
        return " ".join([f"{PREFIX}{self.name}", *(a.usage() for a in self.args)])


@dataclass(frozen=True, slots=True)
class Resolved:
    """A command found in a line, and the tokens left for its arguments."""

    spec: CommandSpec
    arg_tokens: list[Token]


class UnknownCommand(InvalidArgument):
    """The first word after ``!`` names no command group."""


class SubcommandMissing(InvalidArgument):
    """A known group without (or with an unknown) subcommand; usage lists the group."""

    def __init__(self, message: str, group: str) -> None:
        super().__init__(message)
        self.group = group


class CommandTable:
    """All declared commands, in declaration order (which is also `!help` order)."""

    def __init__(self) -> None:
        self._specs: dict[tuple[str, str | None], CommandSpec] = {}

    def command(self, name: str, *args: ArgSpec, help: str) -> Callable[[H], H]:
        """Declare the decorated coroutine as the command ``name`` (``"baa set"``, ``"help"``).

        Raises:
            ValueError: at import time, for a duplicate name, badly ordered arguments, a
                multi-line help text, or handler parameters that differ from the arguments.
        """
        group, _, sub = name.partition(" ")
        key = (group, sub or None)
        check_specs(args)
        if key in self._specs:
            raise ValueError(f"command {name!r} declared twice")
        has_plain = (group, None) in self._specs
        has_subs = any(g == group and s is not None for g, s in self._specs)
        if (sub and has_plain) or (not sub and has_subs):
            raise ValueError(f"command {group!r} cannot have both subcommands and none")
        if "\n" in help or not help:
            raise ValueError(f"command {name!r}: help must be one non-empty line")

        def register(handler: H) -> H:
            params = inspect.signature(handler).parameters
            declared = {a.param if isinstance(a, Option) else a.name for a in args}
            accepted = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
            if declared != accepted:
                raise ValueError(
                    f"command {name!r}: handler keyword parameters {sorted(accepted)} "
                    f"differ from declared arguments {sorted(declared)}"
                )
            self._specs[key] = CommandSpec(group, sub or None, tuple(args), help, handler)
            return handler

        return register

    def __iter__(self) -> Iterator[CommandSpec]:
        return iter(self._specs.values())

    def groups(self) -> list[str]:
        return list(dict.fromkeys(group for group, _ in self._specs))

    def in_group(self, group: str) -> list[CommandSpec]:
        return [s for s in self if s.group == group]

    def is_command_word(self, word: str) -> bool:
        return word.lower() in self.groups()

    def resolve(self, tokens: Sequence[Token]) -> Resolved:
        """Find the command named by the first one or two tokens (case-insensitive).

        Args:
            tokens: All tokens of the line; the first starts with :data:`PREFIX`.

        Raises:
            UnknownCommand: no such group.
            SubcommandMissing: the group needs a subcommand that is missing or unknown.
        """
        group = tokens[0].text.removeprefix(PREFIX).lower()
        if (group, None) in self._specs:
            return Resolved(self._specs[(group, None)], list(tokens[1:]))
        members = self.in_group(group)
        if not members:
            raise UnknownCommand(
                f"unknown command {shown(PREFIX + group, 30)}; type !help for the list"
            )
        subs = ", ".join(s.sub or "" for s in members)
        if len(tokens) < 2:
            raise SubcommandMissing(f"{PREFIX}{group} needs one of: {subs}", group)
        sub = tokens[1].text.lower()
        spec = self._specs.get((group, sub))
        if spec is None:
            raise SubcommandMissing(
                f"{PREFIX}{group} has no subcommand {shown(sub)}; use one of: {subs}", group
            )
        return Resolved(spec, list(tokens[2:]))
