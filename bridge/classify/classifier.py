"""Content category of a Matrix message: sender declaration + detector + media rule.

The rules (SPEC §1 "Content category"), strictest first:

1. A detector hit, or a ``phi`` declaration, makes the message ``phi`` -- a hit wins
   over a ``non_phi`` / ``#nophi`` declaration (reason ``declaration_overridden``).
2. Media (``m.image``, ``m.file``, ``m.audio``, ``m.video``, stickers) and locations are
   ``phi`` unless declared ``non_phi``; their body/filename still goes through the
   detector, so a declared-``non_phi`` file named after a patient is ``phi``.
3. A category field that is neither ``phi`` nor ``non_phi`` makes the message
   ``unknown`` (``bad_declaration``): a garbled declaration is never read as "safe".
4. No readable text (content not a mapping, ``body`` missing or not a string) is
   ``unknown`` (``not_a_mapping`` / ``no_body``).
5. Otherwise ``non_phi`` (``declared_non_phi`` or ``no_identifier``).

Everything readable is scanned: ``body`` (including reply fallbacks, the "> " quoted
lines of another event -- quoting PHI re-sends it), ``formatted_body`` with its tags
stripped, the edit's ``m.new_content`` and a media ``filename``.

Nothing here performs I/O or keeps message text: a :class:`Classification` holds only
category and reason names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from bridge.classify.detector import detect
from bridge.classify.practice import PracticeSettings
from bridge.classify.tags import Declaration, field_declaration, hashtag_declaration, stricter
from bridge.policy.category import ContentCategory

MEDIA_MSGTYPES: frozenset[str] = frozenset({"m.image", "m.file", "m.audio", "m.video"})
STICKER_EVENT_TYPE = "m.sticker"
LOCATION_MSGTYPE = "m.location"

# Rule names that can appear in ``Classification.reasons`` besides identifier types.
DECLARED = "declared"
DECLARED_NON_PHI = "declared_non_phi"
DECLARATION_OVERRIDDEN = "declaration_overridden"
BAD_DECLARATION = "bad_declaration"
MEDIA = "media"
LOCATION = "location"
NO_BODY = "no_body"
NOT_A_MAPPING = "not_a_mapping"
NO_IDENTIFIER = "no_identifier"
CLASSIFIER_ERROR = "classifier_error"

RULE_NAMES: frozenset[str] = frozenset(
    {
        DECLARED,
        DECLARED_NON_PHI,
        DECLARATION_OVERRIDDEN,
        BAD_DECLARATION,
        MEDIA,
        LOCATION,
        NO_BODY,
        NOT_A_MAPPING,
        NO_IDENTIFIER,
        CLASSIFIER_ERROR,
    }
)

_NEW_CONTENT = "m.new_content"
_MESSAGE_EVENT = "m.room.message"
_PLAIN = frozenset({"msgtype", "body"})
_PLAIN_MSGTYPES = frozenset({"m.text", "m.notice", "m.emote"})
_TAG = re.compile(r"<[^<>]*>")


@dataclass(frozen=True, slots=True)
class Classification:
    """Category of one message and why: identifier types and rule names, never text."""

    category: ContentCategory
    reasons: tuple[str, ...]


@cache
def _result(category: ContentCategory, reasons: frozenset[str]) -> Classification:
    # Results are immutable and few distinct ones occur, so one instance per outcome is
    # shared; this also keeps sorting off the per-message path.
    return Classification(category=category, reasons=tuple(sorted(reasons)))


_DECLARED_NON_PHI = _result(ContentCategory.NON_PHI, frozenset({DECLARED_NON_PHI}))
_NO_IDENTIFIER = _result(ContentCategory.NON_PHI, frozenset({NO_IDENTIFIER}))


def classify_text(text: str, *, practice: PracticeSettings | None = None) -> Classification:
    """Classify a plain text message (hashtags honoured), as if sent as ``m.text``."""
    return classify_content({"msgtype": "m.text", "body": text}, practice=practice)


def classify_content(
    content: Mapping[str, Any],
    *,
    event_type: str = "m.room.message",
    practice: PracticeSettings | None = None,
) -> Classification:
    """Classify the ``content`` of a Matrix message event. Never raises.

    ``practice`` (from the config's ``classify:`` section) adds the practice's own
    identifier formats and exempts its own phone numbers, mailboxes and addresses.
    """
    if not isinstance(content, Mapping):
        return _result(ContentCategory.UNKNOWN, frozenset({NOT_A_MAPPING}))
    try:
        # The common case -- a plain text message, no declaration, no media, no edit --
        # takes the short way; the outcome is the same as _classify_mapping's.
        if type(content) is dict and event_type == _MESSAGE_EVENT and content.keys() <= _PLAIN:
            body = content.get("body")
            if (
                type(body) is str
                and content.get("msgtype") in _PLAIN_MSGTYPES
                and "#" not in body
                and "_" not in body
            ):
                reasons = detect(body, practice)
                return _result(ContentCategory.PHI, reasons) if reasons else _NO_IDENTIFIER
        return _classify_mapping(content, event_type, practice)
    except Exception:
        # A gate must not fall over on one hostile event; "unknown" is gated like PHI.
        return _result(ContentCategory.UNKNOWN, frozenset({CLASSIFIER_ERROR}))


def _classify_mapping(
    content: Mapping[str, Any], event_type: str, practice: PracticeSettings | None
) -> Classification:
    texts: list[str] = []
    has_body = _read_part(content, texts)
    declaration = field_declaration(content)
    new_content = content.get(_NEW_CONTENT)
    if isinstance(new_content, Mapping):
        has_body = _read_part(new_content, texts) or has_body
        declaration = stricter(declaration, field_declaration(new_content))
    for text in texts:
        if "#" in text:
            declaration = stricter(declaration, hashtag_declaration(text))

    # File names separate words with "_" ("intake_dob_04-12-1958.pdf"), which hides
    # keywords and dates from word boundaries: scan a spaced copy as well.
    texts += [text.replace("_", " ") for text in texts if "_" in text]
    reasons: set[str] = set()
    # dict.fromkeys drops exact duplicates (formatted_body equal to body) in order.
    for text in dict.fromkeys(texts):
        reasons |= detect(text, practice)
    kind = _kind(content, new_content, event_type)
    if declaration is Declaration.INVALID:
        reasons.add(BAD_DECLARATION)

    if reasons - {BAD_DECLARATION} or declaration is Declaration.PHI:
        if declaration is Declaration.PHI:
            reasons.add(DECLARED)
        elif declaration is Declaration.NON_PHI:
            reasons.add(DECLARATION_OVERRIDDEN)
        if kind is not None and declaration is not Declaration.NON_PHI:
            reasons.add(kind)
        return _result(ContentCategory.PHI, frozenset(reasons))
    if kind is not None:
        if declaration is Declaration.NON_PHI:
            return _DECLARED_NON_PHI
        return _result(ContentCategory.PHI, frozenset(reasons | {kind}))
    if declaration is Declaration.INVALID:
        if not has_body:
            reasons.add(NO_BODY)
        return _result(ContentCategory.UNKNOWN, frozenset(reasons))
    if not has_body:
        return _result(ContentCategory.UNKNOWN, frozenset({NO_BODY}))
    if declaration is Declaration.NON_PHI:
        return _DECLARED_NON_PHI
    return _NO_IDENTIFIER


def _read_part(part: Mapping[str, Any], texts: list[str]) -> bool:
    """Append the readable text of one content part; say whether it had a ``body``."""
    body = part.get("body")
    has_body = isinstance(body, str)
    if has_body:
        texts.append(body)
    formatted = part.get("formatted_body")
    if isinstance(formatted, str):
        texts.append(html.unescape(_TAG.sub(" ", formatted)))
    filename = part.get("filename")
    if isinstance(filename, str):
        texts.append(filename)
    return has_body


def _kind(content: Mapping[str, Any], new_content: object, event_type: str) -> str | None:
    """``media`` / ``location`` when the event carries more than text, else ``None``."""
    if event_type == STICKER_EVENT_TYPE:
        return MEDIA
    msgtype = content.get("msgtype")
    parts = (content, new_content) if isinstance(new_content, Mapping) else (content,)
    kind = None
    for part in parts:
        part_type = part.get("msgtype")
        # Only strings: a msgtype may be any JSON value, and a list is not hashable.
        if not isinstance(part_type, str):
            continue
        if part_type in MEDIA_MSGTYPES:
            return MEDIA
        if part_type == LOCATION_MSGTYPE:
            kind = LOCATION
    # A sticker's content has no msgtype, only url/file and info; seen outside an
    # m.sticker event (e.g. relayed) it is still an image.
    if msgtype is None and "info" in content and ("url" in content or "file" in content):
        return MEDIA
    return kind
