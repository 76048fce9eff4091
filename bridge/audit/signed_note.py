"""C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 signatures.

A note is UTF-8 text ending in a newline, a blank line, then one or more signature lines::

    <text, one or more lines, each ending in \\n>
    \\n
    — <key name> base64(key ID (4 bytes, big-endian) || Ed25519 signature of the text)\\n

The key ID is ``SHA-256(key name || 0x0A || 0x01 || public key)[:4]`` (0x01 = Ed25519), and
a verifier key ("vkey") is written ``<name>+<hex key ID>+base64(0x01 || public key)``, so a
copy of the vkey is all an auditor needs to check a note with any C2SP tool
(``golang.org/x/mod/sumdb/note`` reads the same format).

The rules a verifier follows, from the specification: signatures by unknown keys (name and
ID not both known) are ignored; a signature by a known key that fails makes the whole note
invalid; a note no known key signed is invalid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from bridge.errors import PhiGateError

ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
#: A note with more signature lines than this is refused (the spec asks for at least 16).
MAX_SIGNATURES = 64


class NoteError(PhiGateError):
    """A note is malformed, or no trusted key verifies it. The message is one line."""


def check_key_name(name: str) -> str:
    """A key name is non-empty, has no Unicode space and no ``+``.

    Raises:
        ValueError: it has.
    """
    if not name or any(c.isspace() or c == "+" for c in name) or not name.isprintable():
        raise ValueError(f"bad signed-note key name {name!r}: no spaces or '+' allowed")
    return name


def _raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key under ``name``."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public).digest()[:4]


@dataclass(frozen=True, slots=True)
class NoteVerifier:
    """A trusted public key: its name, its ID and the key itself."""

    name: str
    public: bytes  # 32 bytes, RFC 8032 encoding

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    @property
    def vkey(self) -> str:
        """``<name>+<hex key ID>+base64(0x01 || public key)``."""
        material = base64.b64encode(bytes([ED25519]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, text)
        except InvalidSignature:
            return False
        return True

    @classmethod
    def from_vkey(cls, vkey: str) -> NoteVerifier:
        """Parse a verifier key string.

        Raises:
            NoteError: not a well-formed Ed25519 vkey, or its key ID does not match.
        """
        name, plus, rest = vkey.strip().partition("+")
        hex_id, plus2, material = rest.partition("+")
        try:
            check_key_name(name)
            raw = base64.b64decode(material, validate=True)
            wanted = bytes.fromhex(hex_id)
        except (ValueError, binascii.Error):
            raise NoteError(f"not a verifier key: {vkey[:80]!r}") from None
        if not plus or not plus2 or len(raw) != 33 or raw[0] != ED25519 or len(wanted) != 4:
            raise NoteError(f"not an Ed25519 verifier key: {vkey[:80]!r}")
        verifier = cls(name, raw[1:])
        if verifier.key_id != wanted:
            raise NoteError(f"verifier key {name}: its key ID does not match its key")
        return verifier


@dataclass(frozen=True, slots=True)
class NoteSigner:
    """A private key and the name it signs under."""

    name: str
    private: Ed25519PrivateKey

    def __post_init__(self) -> None:
        check_key_name(self.name)

    @classmethod
    def from_seed(cls, name: str, seed: bytes) -> NoteSigner:
        return cls(name, Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def verifier(self) -> NoteVerifier:
        return NoteVerifier(self.name, _raw_public(self.private.public_key()))

    def signature_line(self, text: bytes) -> str:
        sig = self.verifier.key_id + self.private.sign(text)
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(sig).decode()}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("note text must not contain control characters")


def sign_note(text: str, signers: Sequence[NoteSigner]) -> str:
    """The signed note: ``text``, a blank line, one signature line per signer.

    Raises:
        NoteError: the text does not end in a newline, or holds control characters.
        ValueError: no signer.
    """
    if not signers:
        raise ValueError("a note needs at least one signer")
    _check_text(text)
    raw = text.encode()
    return text + "\n" + "".join(s.signature_line(raw) for s in signers)


@dataclass(frozen=True, slots=True)
class OpenedNote:
    """A note whose signatures were checked.

    Attributes:
        text: The note text (with its final newline).
        signed_by: The trusted keys whose signature verified, in signature order.
        unknown: Signature lines by keys not trusted here (ignored, as the spec says).
    """

    text: str
    signed_by: tuple[NoteVerifier, ...]
    unknown: int


def open_note(note: str, verifiers: Iterable[NoteVerifier]) -> OpenedNote:
    """Check a note's signatures against trusted keys.

    Raises:
        NoteError: malformed, a trusted key's signature fails, or no trusted key signed it.
    """
    if not note.endswith("\n"):
        raise NoteError("note does not end with a newline (cut short?)")
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("note contains control characters")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    text, sig_block = note[: split + 1], note[split + 2 :]
    lines = sig_block.split("\n")[:-1]
    if not lines:
        raise NoteError("note has no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError(f"note has more than {MAX_SIGNATURES} signatures")
    trusted = {(v.name, v.key_id): v for v in verifiers}
    raw = text.encode()
    signed_by: list[NoteVerifier] = []
    unknown = 0
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError(f"malformed signature line {line[:60]!r}")
        name, space, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            check_key_name(name)
            sig = base64.b64decode(b64, validate=True)
        except (ValueError, binascii.Error):
            raise NoteError(f"malformed signature line {line[:60]!r}") from None
        if not space or len(sig) < 5:
            raise NoteError(f"malformed signature line {line[:60]!r}")
        verifier = trusted.get((name, sig[:4]))
        if verifier is None:
            unknown += 1
            continue
        if not verifier.verify(raw, sig[4:]):
            raise NoteError(f"the signature by {name} ({sig[:4].hex()}) does not verify")
        signed_by.append(verifier)
    if not signed_by:
        raise NoteError("no trusted key signed the note")
    return OpenedNote(text, tuple(signed_by), unknown)
