"""Why an attachment was blocked: one error type, one reason enum, one human line each.

`MediaBlocked` is what the gate turns into a redaction reason and a notice; its `str()` is
the line a person reads ("too large (61 MB > 50 MB limit)", "malware: Eicar-Signature").
The scanner's own failures (`ClamdError` and subclasses) stay internal: the checker maps
them to `MediaBlocked(NOT_SCANNABLE)` or, under `media.scan_failure: allow`, to a note.
"""

from __future__ import annotations

from enum import StrEnum

from bridge.errors import PhiGateError

__all__ = [
    "BlockReason",
    "ClamdError",
    "ClamdUnavailable",
    "MediaBlocked",
    "MediaPart",
    "ScanLimitExceeded",
    "format_size",
]


class BlockReason(StrEnum):
    """Why an attachment is refused; stable values, fit for the audit log."""

    TOO_LARGE = "too_large"
    TYPE_MISMATCH = "type_mismatch"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    MALWARE = "malware"
    NOT_SCANNABLE = "not_scannable"
    HASH_MISMATCH = "hash_mismatch"
    DOWNLOAD_FAILED = "download_failed"


class MediaPart(StrEnum):
    """Which file of a media event a verdict is about."""

    FILE = "file"
    THUMBNAIL = "thumbnail"


_MB = 1024 * 1024
_KB = 1024


def format_size(size: int) -> str:
    """A byte count as a person reads it: "812 bytes", "97.7 KB", "61 MB" (binary units,
    so the default 52428800-byte limit reads "50 MB")."""
    if size >= _MB:
        value, unit = size / _MB, "MB"
    elif size >= _KB:
        value, unit = size / _KB, "KB"
    else:
        return f"{size} bytes"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def _size_pair(size: int, limit: int) -> tuple[str, str]:
    # "50 MB > 50 MB limit" would read as nonsense when the file is a few bytes over:
    # fall back to exact byte counts whenever rounding hides the difference.
    shown, shown_limit = format_size(size), format_size(limit)
    if shown == shown_limit:
        return f"{size} bytes", f"{limit} bytes"
    return shown, shown_limit


class MediaBlocked(PhiGateError):
    """An attachment failed a check. `str()` is the one-line human reason.

    Attributes:
        reason: the machine-readable reason.
        detail: the human line, without the "thumbnail: " prefix.
        signature: the malware signature name (MALWARE only).
        part: the file or its thumbnail.
    """

    def __init__(
        self,
        reason: BlockReason,
        detail: str,
        *,
        signature: str | None = None,
        part: MediaPart = MediaPart.FILE,
    ) -> None:
        self.reason = reason
        self.detail = detail
        self.signature = signature
        self.part = part
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"thumbnail: {self.detail}" if self.part is MediaPart.THUMBNAIL else self.detail

    def __repr__(self) -> str:
        return f"MediaBlocked({self.reason.value}, {str(self)!r})"

    def for_part(self, part: MediaPart) -> MediaBlocked:
        """A fresh copy about `part`: cached verdicts are shared between events, and an
        exception object collects a traceback each time it is raised, so never re-raise
        the cached instance itself."""
        return MediaBlocked(self.reason, self.detail, signature=self.signature, part=part)

    # ---------------------------------------------------------------- constructors

    @classmethod
    def too_large(cls, size: int | None, limit: int) -> MediaBlocked:
        """Args: size: the declared or measured size, None when the download was cut off
        at the limit (the real size is then unknown)."""
        if size is None:
            return cls(BlockReason.TOO_LARGE, f"too large (over the {format_size(limit)} limit)")
        shown, shown_limit = _size_pair(size, limit)
        return cls(BlockReason.TOO_LARGE, f"too large ({shown} > {shown_limit} limit)")

    @classmethod
    def type_mismatch(cls, declared: str, sniffed: str) -> MediaBlocked:
        return cls(BlockReason.TYPE_MISMATCH, f"declared {declared} but the bytes are {sniffed}")

    @classmethod
    def type_not_allowed(cls, sniffed: str) -> MediaBlocked:
        return cls(BlockReason.TYPE_NOT_ALLOWED, f"type {sniffed} is not allowed")

    @classmethod
    def malware(cls, signature: str) -> MediaBlocked:
        return cls(BlockReason.MALWARE, f"malware: {signature}", signature=signature)

    @classmethod
    def not_scannable(cls, why: str) -> MediaBlocked:
        return cls(BlockReason.NOT_SCANNABLE, f"could not be scanned: {why}")

    @classmethod
    def hash_mismatch(cls) -> MediaBlocked:
        return cls(
            BlockReason.HASH_MISMATCH,
            "encrypted file does not match its SHA-256 (tampered or corrupt)",
        )

    @classmethod
    def download_failed(cls, why: str) -> MediaBlocked:
        return cls(BlockReason.DOWNLOAD_FAILED, f"could not be downloaded: {why}")


class ClamdError(Exception):
    """clamd could not give a verdict (internal; the checker maps it to a verdict)."""


class ClamdUnavailable(ClamdError):
    """clamd is unreachable, timed out, broke the protocol or answered ERROR: a failure of
    the scanner, not a property of the file — `media.scan_failure` decides."""


class ScanLimitExceeded(ClamdError):
    """The file is longer than clamd's StreamMaxLength: a property of the file, so it is
    never scanned (and never silently truncated) whatever `media.scan_failure` says."""

    def __init__(self, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(f"larger than the scanner's {format_size(limit)} stream limit")
