"""PHI detector and sender-tag parsing (pure: no I/O, no clock, no logging of text)."""

from bridge.classify.classifier import (
    RULE_NAMES,
    Classification,
    classify_content,
    classify_text,
)
from bridge.classify.detector import IDENTIFIER_TYPES, detect

__all__ = [
    "IDENTIFIER_TYPES",
    "RULE_NAMES",
    "Classification",
    "classify_content",
    "classify_text",
    "detect",
]
