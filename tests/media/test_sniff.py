"""Type sniffing and comparison rules (pure, libmagic only)."""

from __future__ import annotations

import pytest

from bridge.media import canonical_type, sniff_type, type_allowed, types_match

from . import samples
from .conftest import ALLOWED


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (samples.png(), "image/png"),
        (samples.jpeg(), "image/jpeg"),
        (samples.pdf(), "application/pdf"),
        (samples.text(), "text/plain"),
        (samples.elf_executable(), "application/x-executable"),
        (samples.pe_executable(), "application/vnd.microsoft.portable-executable"),
        (samples.zip_archive(), "application/zip"),
        (b"", "application/x-empty"),
    ],
)
def test_sniff_real_types(data: bytes, expected: str) -> None:
    assert sniff_type(data) == expected


def test_sniff_only_needs_the_head() -> None:
    # A PDF with megabytes after its header is still a PDF from its first 16 KB.
    assert sniff_type(samples.pdf(padding=3 * 1024 * 1024)) == "application/pdf"
    # Text cut in the middle of a UTF-8 sequence is still text.
    assert sniff_type(("é" * 20_000).encode()[:16_383]) == "text/plain"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("image/jpg", "image/jpeg"),
        ("IMAGE/JPEG", "image/jpeg"),
        ("image/pjpeg", "image/jpeg"),
        ("text/plain; charset=utf-8", "text/plain"),
        ("text/x-Algol68", "text/plain"),
        ("application/x-pdf", "application/pdf"),
        ("audio/x-wav", "audio/wav"),
        ("text/x-shellscript", "text/x-shellscript"),
        ("", ""),
    ],
)
def test_canonical_type(raw: str, canonical: str) -> None:
    assert canonical_type(raw) == canonical


@pytest.mark.parametrize(
    ("declared", "sniffed", "match"),
    [
        ("image/jpg", "image/jpeg", True),
        ("text/plain; charset=utf-8", "text/plain", True),
        ("text/markdown", "text/plain", True),  # bytes cannot tell text formats apart
        ("text/plain", "text/x-c", True),  # libmagic's code guess for prose
        (None, "image/png", True),
        ("application/octet-stream", "application/pdf", True),
        ("image/png", "application/x-empty", True),
        ("image/png", "application/x-executable", False),
        ("image/png", "image/jpeg", False),
        ("text/plain", "text/x-shellscript", False),  # scripts stay scripts
        ("text/plain", "text/html", False),
        ("image/png", "text/plain", False),
    ],
)
def test_types_match(declared: str | None, sniffed: str, match: bool) -> None:
    assert types_match(declared, sniffed) is match


def test_type_allowed() -> None:
    assert type_allowed("image/png", ALLOWED)
    assert type_allowed("text/x-c", ALLOWED)  # plain text under another name
    assert type_allowed("application/x-empty", ALLOWED)
    assert not type_allowed("application/zip", ALLOWED)
    assert not type_allowed("text/html", ALLOWED)
    assert type_allowed("image/jpeg", {"image/jpg"})  # the allow-list is canonicalised too
