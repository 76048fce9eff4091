"""Practice-specific settings of the detector: its own identifier formats and contacts.

A practice knows two things the built-in detector cannot:

- the shapes of its own identifiers (an MRN like ``CH-004821``, an account number like
  ``A/12-99812``): each pattern it lists is an identifier wherever it appears, reported
  under the type it is given (``mrn``, ``account_number``... or ``practice_identifier``);
- its own phone and fax numbers, e-mail addresses and street addresses: these are never
  a patient's, so they are taken out of a message before it is scanned ("call the office
  at 617-555-0100" is not PHI; the rest of the message still is when it has PHI).

:class:`PracticeSettings` is immutable and compiled once (from config, see
``bridge.config``); pass it to :func:`bridge.classify.classify_content`. Matching is pure
and never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PRACTICE_IDENTIFIER = "practice_identifier"

_DIGITS = re.compile(r"\d")
# A run of digits with the usual phone separators, as typed in chat.
_PHONE_LIKE = re.compile(r"(?<![\w])\+?[\d(][\d\s().-]{6,}\d(?![\w])")


def _phone_key(number: str) -> str:
    digits = "".join(_DIGITS.findall(number))
    # "+1 617 555 0100" and "(617) 555-0100" are the same line.
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _address_pattern(address: str) -> re.Pattern[str]:
    # Words in order, any white space or punctuation between them, any case.
    words = re.findall(r"[A-Za-z0-9]+", address)
    return re.compile(r"\b" + r"[\s.,#-]*".join(map(re.escape, words)) + r"\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IdentifierPattern:
    """One practice identifier format: reported as ``kind`` (a rule name, never text)."""

    kind: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class PracticeSettings:
    """A practice's identifier formats and its own contacts (never flagged)."""

    identifier_patterns: tuple[IdentifierPattern, ...] = ()
    own_phones: frozenset[str] = frozenset()
    own_emails: frozenset[str] = frozenset()
    own_addresses: tuple[re.Pattern[str], ...] = field(default=())

    @classmethod
    def build(
        cls,
        *,
        identifier_patterns: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        own_phones: Iterable[str] = (),
        own_emails: Iterable[str] = (),
        own_addresses: Iterable[str] = (),
    ) -> PracticeSettings:
        """Compile settings; raises ``ValueError`` on a bad pattern or empty contact."""
        pairs = (
            identifier_patterns.items()
            if isinstance(identifier_patterns, Mapping)
            else identifier_patterns
        )
        patterns = []
        for kind, regex in pairs:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", kind):
                raise ValueError(f"identifier type {kind!r} must be a lower-case rule name")
            try:
                patterns.append(IdentifierPattern(kind, re.compile(regex)))
            except re.error as error:
                raise ValueError(f"identifier pattern {regex!r}: {error}") from None
        phones = frozenset(_phone_key(phone) for phone in own_phones)
        if any(len(phone) < 7 for phone in phones):
            raise ValueError("an own phone number needs at least 7 digits")
        emails = frozenset(email.strip().lower() for email in own_emails)
        if any("@" not in email for email in emails):
            raise ValueError("an own e-mail address needs an @")
        addresses = tuple(_address_pattern(address) for address in own_addresses)
        if any(pattern.pattern == r"\b\b" for pattern in addresses):
            raise ValueError("an own address needs at least one word")
        return cls(tuple(patterns), phones, emails, addresses)

    @property
    def empty(self) -> bool:
        return not (
            self.identifier_patterns or self.own_phones or self.own_emails or self.own_addresses
        )

    def identifiers(self, text: str) -> set[str]:
        """The practice identifier types found in ``text``."""
        return {entry.kind for entry in self.identifier_patterns if entry.pattern.search(text)}

    def without_own_contacts(self, text: str) -> str:
        """``text`` with the practice's own numbers, mailboxes and addresses blanked out."""
        if self.own_phones and _DIGITS.search(text):
            text = _PHONE_LIKE.sub(self._blank_phone, text)
        if self.own_emails and "@" in text:
            lower = text.lower()
            for email in self.own_emails:
                start = lower.find(email)
                while start != -1:
                    end = start + len(email)
                    text = text[:start] + " " * len(email) + text[end:]
                    lower = lower[:start] + " " * len(email) + lower[end:]
                    start = lower.find(email, end)
        for pattern in self.own_addresses:
            text = pattern.sub(lambda match: " " * len(match.group()), text)
        return text

    def _blank_phone(self, match: re.Match[str]) -> str:
        number = match.group()
        return " " * len(number) if _phone_key(number) in self.own_phones else number


NO_PRACTICE_SETTINGS = PracticeSettings()
