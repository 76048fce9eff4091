"""The Ed25519 key that signs checkpoints, kept in a file beside the audit key.

Layout on disk (``audit.signing_key_file``, e.g. ``audit-signing.key``)::

    audit-signing.key        the current key: its 32-byte Ed25519 seed, mode 0600
    audit-signing.key.old/   earlier keys after a rotation, same rules; they sign nothing
                             any more but still verify the checkpoints they signed

The file rules (regular file, no group/other permission bits, exactly 32 bytes, never
overwritten) are those of the audit key (:mod:`bridge.audit.keyring`). The key signs under
one name (the checkpoint origin, ``audit.checkpoint_origin``); a signed-note key ID is
derived from name and public key, so a rotated key is told apart by its ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bridge.audit.keyring import (
    _read_key_file,
    generate_key_file,
    old_keys_dir,
    rotate_key_file,
)
from bridge.audit.signed_note import NoteSigner, NoteVerifier, check_key_name
from bridge.errors import AuditKeyError

WHAT = "audit signing key"


class SigningKeys:
    """The current signer and every earlier key (for verification).

    Args:
        name: The key name signatures are made under (the checkpoint origin).
        seed: The current 32-byte Ed25519 seed.
        old: Earlier seeds.
        source: The key file it came from (only used in messages).
    """

    def __init__(
        self, name: str, seed: bytes, old: Iterable[bytes] = (), *, source: Path | None = None
    ) -> None:
        try:
            check_key_name(name)
        except ValueError as e:
            raise AuditKeyError(str(e)) from None
        self.name = name
        self.source = source
        self.signer = NoteSigner.from_seed(name, seed)
        self.old_signers = tuple(NoteSigner.from_seed(name, s) for s in old if s != seed)

    @classmethod
    def load(cls, path: Path | str, name: str) -> SigningKeys:
        """Load the key from ``path`` and earlier ones from ``<path>.old/``.

        Raises:
            AuditKeyError: a key file is missing, of the wrong length, or group/world
                accessible (one line naming the path).
        """
        path = Path(path)
        seed = _read_key_file(path, WHAT)
        old: list[bytes] = []
        old_dir = old_keys_dir(path)
        if old_dir.is_dir():
            for entry in sorted(old_dir.iterdir()):
                if not entry.name.startswith("."):
                    old.append(_read_key_file(entry, WHAT))
        return cls(name, seed, old, source=path)

    @classmethod
    def load_or_create(cls, path: Path | str, name: str) -> SigningKeys:
        """:meth:`load`, writing a fresh key first if there is none yet."""
        path = Path(path)
        if not path.exists():
            generate_key_file(path, what=WHAT)
        return cls.load(path, name)

    @property
    def verifiers(self) -> tuple[NoteVerifier, ...]:
        """The current key's verifier first, then the earlier keys'."""
        return (self.signer.verifier, *(s.verifier for s in self.old_signers))

    @property
    def vkey(self) -> str:
        """The current key as a C2SP verifier key, for auditors and witnesses."""
        return self.signer.verifier.vkey


def rotate_signing_key(path: Path | str) -> None:
    """Move the current signing key into ``<path>.old/`` and write a fresh one.

    Raises:
        AuditKeyError: the current key file is invalid, or a file cannot be written.
    """
    rotate_key_file(path, what=WHAT)
