"""Attachment checks: download (plain or encrypted), real type, allow-list, ClamAV scan.

`MediaChecker.check(content)` is the one entry point; it returns a `MediaVerdict` whose
`reason` (a `MediaBlocked`) says in one line why an attachment is refused.
"""

from .checker import (
    MEDIA_MSGTYPES,
    CheckerStats,
    ContentFacts,
    MediaChecker,
    MediaSource,
    MediaVerdict,
    ScanStatus,
)
from .clamd import ClamdScanner, ScanResult
from .download import AttachmentDecryptor, EncryptionInfo, MediaFetcher, parse_mxc
from .errors import (
    BlockReason,
    ClamdError,
    ClamdUnavailable,
    MediaBlocked,
    MediaPart,
    ScanLimitExceeded,
    format_size,
)
from .sniff import canonical_type, sniff_type, type_allowed, types_match

__all__ = [
    "MEDIA_MSGTYPES",
    "AttachmentDecryptor",
    "BlockReason",
    "CheckerStats",
    "ClamdError",
    "ClamdScanner",
    "ClamdUnavailable",
    "ContentFacts",
    "EncryptionInfo",
    "MediaBlocked",
    "MediaChecker",
    "MediaFetcher",
    "MediaPart",
    "MediaSource",
    "MediaVerdict",
    "ScanLimitExceeded",
    "ScanResult",
    "ScanStatus",
    "canonical_type",
    "format_size",
    "parse_mxc",
    "sniff_type",
    "type_allowed",
    "types_match",
]
