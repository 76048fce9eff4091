"""Sender declarations of a message's content category.

A sender declares with the content field ``org.phigate.category`` (clients and bots)
or, typing in Element, with the hashtag ``#phi`` / ``#nophi`` anywhere in the body.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

CATEGORY_FIELD = "org.phigate.category"

# A whole hashtag: not preceded by a word character or another "#" ("##phi", "a#phi"),
# and not followed by a word character, so "#phil" and "#phishing" are not tags.
_HASHTAG = re.compile(r"(?<![\w#])#(phi|nophi)(?!\w)", re.IGNORECASE)


class Declaration(Enum):
    """What the sender said about the content, before the detector has its say."""

    NONE = "none"
    PHI = "phi"
    NON_PHI = "non_phi"
    # The field is present but holds something other than "phi" / "non_phi".
    INVALID = "invalid"


def hashtag_declaration(text: str) -> Declaration:
    """Declaration made by ``#phi`` / ``#nophi`` in ``text``; ``#phi`` wins over both."""
    if "#" not in text:
        return Declaration.NONE
    tags = {tag.lower() for tag in _HASHTAG.findall(text)}
    if "phi" in tags:
        return Declaration.PHI
    if "nophi" in tags:
        return Declaration.NON_PHI
    return Declaration.NONE


def field_declaration(content: Mapping[str, Any]) -> Declaration:
    """Declaration made by the ``org.phigate.category`` content field."""
    if CATEGORY_FIELD not in content:
        return Declaration.NONE
    value = content[CATEGORY_FIELD]
    if value == "phi":
        return Declaration.PHI
    if value == "non_phi":
        return Declaration.NON_PHI
    return Declaration.INVALID


_STRICTNESS: dict[Declaration, int] = {
    Declaration.NONE: 0,
    Declaration.NON_PHI: 1,
    # Fail closed: a garbled field must not be read as "non_phi".
    Declaration.INVALID: 2,
    Declaration.PHI: 3,
}


def stricter(first: Declaration, second: Declaration) -> Declaration:
    """The stricter of two declarations (field, hashtags, the edit's new content)."""
    return first if _STRICTNESS[first] >= _STRICTNESS[second] else second
