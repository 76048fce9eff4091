"""PHI detector and sender-tag parsing (pure: no I/O, no clock, no logging of text)."""

from bridge.classify.classifier import (
    RULE_NAMES,
    Classification,
    classify_content,
    classify_text,
)
from bridge.classify.detector import IDENTIFIER_TYPES, detect
from bridge.classify.practice import NO_PRACTICE_SETTINGS, PracticeSettings

__all__ = [
    "IDENTIFIER_TYPES",
    "NO_PRACTICE_SETTINGS",
    "RULE_NAMES",
    "Classification",
    "PracticeSettings",
    "classify_content",
    "classify_text",
    "detect",
]
