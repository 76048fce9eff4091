"""Content category of a message event (SPEC §1 "Content category")."""

from __future__ import annotations

from enum import StrEnum


class ContentCategory(StrEnum):
    PHI = "phi"
    NON_PHI = "non_phi"
    # Could not be classified (no readable body, undecryptable, malformed): gated like PHI.
    UNKNOWN = "unknown"
