"""The detector's word lists, read once from ``bridge/classify/data/`` at import.

Each data file is plain text: ``#`` comment lines (its source, licence and how it is
regenerated -- see ``data/SOURCES.md``), optional ``[section]`` headers, and words
separated by white space. A section whose name ends in ``phrases`` holds one entry per
line. Reading happens once, through :mod:`importlib.resources`, so the package works
from a wheel or a zip; nothing is read while a message is classified.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_PACKAGE = "bridge.classify"
_DIRECTORY = "data"


@cache
def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The lines of each section of data file ``name`` (``""``: before any header)."""
    text = resources.files(_PACKAGE).joinpath(_DIRECTORY, name).read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    current = found.setdefault("", [])
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1], [])
            continue
        current.append(line)
    return {key: tuple(lines) for key, lines in found.items()}


def words(name: str, section: str = "") -> frozenset[str]:
    """Every white-space separated word of one section of data file ``name``."""
    lines = sections(name).get(section)
    if lines is None:
        raise KeyError(f"{name} has no section [{section}]")
    return frozenset(word for line in lines for word in line.split())
