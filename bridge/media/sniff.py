"""The real type of an attachment, from its bytes, and how it compares with what was declared.

Why libmagic (through `python-magic`): it is the `file(1)` database — maintained for decades,
shipped by every distribution (Debian `libmagic1`), covering executables (ELF, PE, Mach-O),
archives, documents and media with the same MIME names the rest of the world uses. It is
what matrix-content-scanner uses for the same job. The pure-Python `puremagic` has a smaller
signature set and reports extension-flavoured guesses; for a security check the larger,
better-tested database wins. libmagic releases the GIL inside its ctypes call, so the
checker runs `sniff_type` in a worker thread without stalling the event loop.

Only the first `SNIFF_BYTES` are examined: every format on the allow-list (and every
executable format) is recognised by its header, and libmagic's text heuristics are slow on
long inputs (a few ms per 10 KB).

Comparison rules (`types_match`, `type_allowed`) — why each exists:

* MIME parameters and case never matter: ``text/plain; charset=utf-8`` is ``text/plain``.
* Historical aliases name the same format: ``image/jpg``/``image/pjpeg`` → ``image/jpeg``,
  ``image/x-png`` → ``image/png``, ``audio/x-wav`` → ``audio/wav`` … (`_ALIASES`).
* libmagic guesses a programming language for prose that happens to look like code
  (``text/x-c``, ``text/x-pascal``, the famous ``text/x-Algol68``); those guesses are plain
  text (`_PLAIN_TEXT_GUESSES`). Scripts (``text/x-shellscript``, ``text/x-script.python``),
  HTML, XML and SVG stay distinct: they are active content.
* From bytes alone one cannot tell one text format from another, so bytes sniffed as
  ``text/plain`` are consistent with any declared ``text/*`` (a ``text/markdown`` note is not
  a lie); the allow-list is then checked against the sniffed ``text/plain``.
* A declared ``application/octet-stream`` (or none) claims nothing: there is nothing to
  contradict, only the allow-list applies.
* An empty file (``application/x-empty``) contradicts nothing and carries nothing: allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

import magic

__all__ = [
    "EMPTY_TYPE",
    "SNIFF_BYTES",
    "canonical_type",
    "sniff_type",
    "type_allowed",
    "types_match",
]

SNIFF_BYTES = 16 * 1024
EMPTY_TYPE = "application/x-empty"
_UNSPECIFIC = frozenset(
    {"", "application/octet-stream", "application/unknown", "binary/octet-stream"}
)

_ALIASES: dict[str, str] = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "image/x-ms-bmp": "image/bmp",
    "image/x-bmp": "image/bmp",
    "image/x-icon": "image/vnd.microsoft.icon",
    "application/x-pdf": "application/pdf",
    "application/acrobat": "application/pdf",
    "audio/mp3": "audio/mpeg",
    "audio/x-mp3": "audio/mpeg",
    "audio/mpeg3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/x-flac": "audio/flac",
    "video/x-m4v": "video/mp4",
    "application/x-zip-compressed": "application/zip",
    "application/x-zip": "application/zip",
}

# libmagic's "this prose looks like source code" guesses (see the module docstring).
_PLAIN_TEXT_GUESSES = frozenset(
    {
        "text/x-c",
        "text/x-c++",
        "text/x-java",
        "text/x-objective-c",
        "text/x-pascal",
        "text/x-fortran",
        "text/x-algol68",
        "text/x-asm",
        "text/x-bcpl",
        "text/x-m4",
        "text/troff",
    }
)


def sniff_type(head: bytes) -> str:
    """The MIME type libmagic sees in the first bytes of a file.

    Args:
        head: the file's first bytes (only `SNIFF_BYTES` of them are looked at).

    Returns:
        A MIME type without parameters, e.g. ``image/png``, ``application/x-executable``,
        ``application/x-empty`` for an empty file.
    """
    # python-magic's module-level function shares one libmagic handle behind a lock, so
    # concurrent calls from worker threads are safe.
    return magic.from_buffer(bytes(head[:SNIFF_BYTES]), mime=True)


def canonical_type(mimetype: str) -> str:
    """Lower-case, without parameters, aliases resolved (see the module docstring).

    Args:
        mimetype: a declared or sniffed MIME type, e.g. ``"Image/JPG; q=1"``.

    Returns:
        The canonical name, e.g. ``"image/jpeg"``; ``""`` for an empty input.
    """
    base = mimetype.split(";", 1)[0].strip().lower()
    base = _ALIASES.get(base, base)
    return "text/plain" if base in _PLAIN_TEXT_GUESSES else base


def types_match(declared: str | None, sniffed: str) -> bool:
    """Whether bytes of type `sniffed` are consistent with the `declared` mimetype.

    Args:
        declared: ``info.mimetype`` from the event, or None when absent.
        sniffed: what `sniff_type` found.

    Returns:
        True when the declaration does not contradict the bytes.
    """
    want = canonical_type(declared or "")
    got = canonical_type(sniffed)
    if want in _UNSPECIFIC or got == EMPTY_TYPE or want == got:
        return True
    return got == "text/plain" and want.startswith("text/")


def type_allowed(sniffed: str, allowed_types: Iterable[str]) -> bool:
    """Whether the sniffed type is on the allow-list (`media.allowed_types`).

    Args:
        sniffed: what `sniff_type` found.
        allowed_types: the configured list; entries are canonicalised the same way.

    Returns:
        True if allowed (an empty file always is).
    """
    got = canonical_type(sniffed)
    return got == EMPTY_TYPE or got in {canonical_type(t) for t in allowed_types}
