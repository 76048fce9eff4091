"""Turning a typed command line into handler arguments.

A command's arguments are declared once (:class:`Word`, :class:`Option`, :class:`Rest`); the
same declaration renders the usage line and drives :func:`bind`, so what `!help` prints and
what the parser accepts cannot disagree.

Grammar, deliberately simple (no quoting — admins type these on phones):
``!group [sub] <words…> [key=value…] [rest of line…]``. Words are whitespace-separated
tokens; options follow the words in any order; a trailing :class:`Rest` takes the remainder
of the line verbatim (whitespace collapsed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bridge.errors import InvalidArgument

#: Longest command line accepted. Real commands are far shorter; the cap keeps a pasted
#: document from being parsed, echoed or stored as a "reason".
MAX_COMMAND_CHARS = 2000
#: Longest free-text argument (a reason, a display name before the service checks it).
MAX_REST_CHARS = 500

Converter = Callable[[str], Any]

_TOKEN = re.compile(r"\S+")
_OPTION = re.compile(r"([A-Za-z_]+)=(.*)", re.DOTALL)
# Bidirectional overrides and isolates can make a reply read differently from what was typed
# (e.g. a user ID that renders as another); they have no place in a command.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


@dataclass(frozen=True, slots=True)
class Word:
    """One whitespace-free token, in order.

    Attributes:
        name: The handler's keyword argument.
        metavar: Shown in the usage line: ``<metavar>`` or, optional, ``[metavar]``.
        required: A missing required word is an argument error.
        convert: Parses the token (raises InvalidArgument); ``None`` keeps the text.
    """

    name: str
    metavar: str
    required: bool = True
    convert: Converter | None = None

    def usage(self) -> str:
        return f"<{self.metavar}>" if self.required else f"[{self.metavar}]"


@dataclass(frozen=True, slots=True)
class Option:
    """An optional ``key=value`` token after the words; the handler gets ``None`` if absent."""

    key: str
    metavar: str
    convert: Converter | None = None
    name: str = ""

    @property
    def param(self) -> str:
        return self.name or self.key

    def usage(self) -> str:
        return f"[{self.key}={self.metavar}]"


@dataclass(frozen=True, slots=True)
class Rest:
    """The remainder of the line as one string (``""`` when optional and absent)."""

    name: str
    metavar: str
    required: bool = True
    max_chars: int = MAX_REST_CHARS
    # False for a value that is several words by nature but not free text (`!help baa set`),
    # so the usage line reads `[command]`, not `[command…]`.
    ellipsis: bool = True

    def usage(self) -> str:
        shown = f"{self.metavar}…" if self.ellipsis else self.metavar
        return f"<{shown}>" if self.required else f"[{shown}]"


ArgSpec = Word | Option | Rest


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(line: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]


def shown(text: str, limit: int = 60) -> str:
    """A user's text, quoted and shortened, safe to put in a one-line reply.

    ``repr`` escapes newlines and control characters, so an echoed value can never add a line
    to the reply or smuggle terminal escapes into a log viewer.
    """
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def check_characters(line: str) -> None:
    """Refuse control characters (other than line breaks and tabs) and bidi overrides.

    Raises:
        InvalidArgument: such a character is present.
    """
    for ch in line:
        if ch in "\t\n\r":
            continue
        if ch in _BIDI or unicodedata.category(ch) == "Cc":
            raise InvalidArgument(f"control character U+{ord(ch):04X} is not allowed in a command")


def check_specs(specs: Sequence[ArgSpec]) -> None:
    """Validate a declaration: words (required before optional), then options, then one rest.

    Raises:
        ValueError: at import time, so a bad declaration never reaches an admin.
    """
    order = {Word: 0, Option: 1, Rest: 2}
    last = 0
    seen_optional_word = False
    names: set[str] = set()
    for spec in specs:
        rank = order[type(spec)]
        if rank < last:
            raise ValueError(f"argument {spec} is out of order (words, options, rest)")
        last = rank
        if isinstance(spec, Word):
            if spec.required and seen_optional_word:
                raise ValueError(f"required word {spec.name} after an optional one")
            seen_optional_word |= not spec.required
        name = spec.param if isinstance(spec, Option) else spec.name
        if name in names:
            raise ValueError(f"argument name {name} declared twice")
        names.add(name)
    if sum(isinstance(s, Rest) for s in specs) > 1:
        raise ValueError("at most one Rest argument")
    if seen_optional_word and any(isinstance(s, Rest) for s in specs):
        # "[a] [b…]" is ambiguous: is the first word `a` or the start of the rest?
        raise ValueError("an optional word and a rest argument cannot be combined")


def bind(specs: Sequence[ArgSpec], line: str, tokens: Sequence[Token]) -> dict[str, Any]:
    """Match the argument tokens of a command to its declared arguments.

    Args:
        specs: The command's declaration.
        line: The full command line (a Rest argument is cut from it, not re-joined tokens).
        tokens: The tokens after the command words.

    Returns:
        keyword arguments for the handler, one per declared argument.

    Raises:
        InvalidArgument: a missing, extra, repeated or unparseable argument.
    """
    words = [s for s in specs if isinstance(s, Word)]
    options = {s.key: s for s in specs if isinstance(s, Option)}
    rest = next((s for s in specs if isinstance(s, Rest)), None)
    values: dict[str, Any] = {}
    i = 0

    for word in words:
        token = tokens[i] if i < len(tokens) else None
        # With options declared, `key=value` is never taken as an optional word.
        if token is not None and options and not word.required and _OPTION.fullmatch(token.text):
            token = None
        if token is None:
            if word.required:
                raise InvalidArgument(f"missing {word.usage()}")
            values[word.name] = None
            continue
        values[word.name] = _convert(word.convert, token.text)
        i += 1

    for option in options.values():
        values[option.param] = None
    given: set[str] = set()
    while options and i < len(tokens):
        match = _OPTION.fullmatch(tokens[i].text)
        if match is None:
            break
        key, value = match.group(1).lower(), match.group(2)
        option = options.get(key)
        if option is None:
            # A typo such as `expire=` must not silently become the start of a reason.
            known = ", ".join(f"{k}=" for k in options)
            raise InvalidArgument(f"unknown option {shown(key + '=')}; expected {known}")
        if key in given:
            raise InvalidArgument(f"{key}= given twice")
        if not value:
            raise InvalidArgument(f"{key}= needs a value ({option.usage()})")
        given.add(key)
        values[option.param] = _convert(option.convert, value)
        i += 1

    if rest is not None:
        text = " ".join(line[tokens[i].start :].split()) if i < len(tokens) else ""
        if not text and rest.required:
            raise InvalidArgument(f"missing {rest.usage()}")
        if len(text) > rest.max_chars:
            raise InvalidArgument(f"{rest.metavar} is too long (at most {rest.max_chars} chars)")
        values[rest.name] = text
    elif i < len(tokens):
        raise InvalidArgument(f"unexpected argument {shown(tokens[i].text)}")
    return values


def _convert(convert: Converter | None, text: str) -> Any:
    return text if convert is None else convert(text)
