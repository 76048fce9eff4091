"""The audit keys: AES-256-GCM keys kept in files apart from the database.

Layout on disk (``audit.key_file`` in the configuration, e.g. ``audit.key``)::

    audit.key          the current ("primary") key: exactly 32 random bytes, mode 0600
    audit.key.old/     optional: earlier keys, one file each (any names), same rules

New records are always encrypted with the primary key; records written under an earlier key
stay readable as long as that key's file sits in ``<key_file>.old/``. To rotate, call
:func:`rotate_key_file` (moves the current key into ``.old/`` and writes a fresh one), then
restart: :meth:`AuditLog.open` registers the new key because an old one it knows is present.

A key's ID is the first 16 hex characters of ``SHA-256(b"phigate-audit-key-id" + key)``; it
is stored with every record so the right key can be chosen, and reveals nothing about the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bridge.errors import AuditKeyError

KEY_BYTES = 32
_KEY_ID_PREFIX = b"phigate-audit-key-id"
# HKDF info of the blind-index key derived from each content key (bridge.audit.search).
_INDEX_KEY_INFO = b"phigate-audit-blind-index-v1"


def key_id_for(key: bytes) -> str:
    """The public ID of a key (16 hex characters)."""
    return hashlib.sha256(_KEY_ID_PREFIX + key).hexdigest()[:16]


def old_keys_dir(key_file: Path) -> Path:
    """Where earlier keys live for ``key_file``: the directory ``<key_file>.old``."""
    return key_file.with_name(key_file.name + ".old")


def _read_key_file(path: Path, what: str = "audit key") -> bytes:
    """Read and check one key file.

    Raises:
        AuditKeyError: missing, not a regular file, readable by group/others, unreadable,
            or not exactly 32 bytes. The message is one line naming the path.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise AuditKeyError(f"{what} file {path} does not exist") from None
    except OSError as exc:
        raise AuditKeyError(f"{what} file {path} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise AuditKeyError(f"{what} file {path} is not a regular file")
    # Any group/other permission bit is refused (not only "readable"): a group-writable key
    # file lets someone else swap the key under us.
    if st.st_mode & 0o077:
        mode = stat.S_IMODE(st.st_mode)
        raise AuditKeyError(
            f"{what} file {path} is accessible by group/others (mode {mode:04o});"
            f" run: chmod 600 {path}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuditKeyError(f"{what} file {path} cannot be read: {exc.strerror}") from None
    if len(data) != KEY_BYTES:
        raise AuditKeyError(
            f"{what} file {path} must hold exactly {KEY_BYTES} bytes, it has {len(data)}"
        )
    return data


class AuditKeyring:
    """The primary key (encrypts new records) plus earlier keys (decrypt old records).

    Args:
        primary: The current 32-byte key.
        old: Earlier 32-byte keys.
        source: The key file it came from (only used in messages).

    Raises:
        AuditKeyError: a key is not 32 bytes.
    """

    __slots__ = ("_aeads", "_index_keys", "_keys", "primary_id", "source")

    def __init__(self, primary: bytes, old: Iterable[bytes] = (), *, source: Path | None = None):
        keys: dict[str, bytes] = {}
        for key in (primary, *old):
            if len(key) != KEY_BYTES:
                raise AuditKeyError(f"an audit key must be {KEY_BYTES} bytes, got {len(key)}")
            keys.setdefault(key_id_for(key), bytes(key))
        self.primary_id: str = key_id_for(primary)
        self.source: Path | None = source
        self._keys = keys
        # One AESGCM object per key: building it costs more than one encryption.
        self._aeads = {kid: AESGCM(key) for kid, key in keys.items()}
        self._index_keys: dict[str, bytes] = {}

    @classmethod
    def load(cls, key_file: Path | str) -> AuditKeyring:
        """Load the primary key from ``key_file`` and earlier keys from ``<key_file>.old/``.

        Files in the ``.old`` directory whose name starts with ``.`` are ignored; every other
        entry must be a valid key file (same rules as the primary).

        Raises:
            AuditKeyError: a key file is missing, of the wrong length, or group/world
                accessible (one line naming the path).
        """
        path = Path(key_file)
        primary = _read_key_file(path)
        old: list[bytes] = []
        old_dir = old_keys_dir(path)
        if old_dir.is_dir():
            for entry in sorted(old_dir.iterdir()):
                if not entry.name.startswith("."):
                    old.append(_read_key_file(entry))
        return cls(primary, old, source=path)

    @property
    def key_ids(self) -> frozenset[str]:
        """IDs of every key in the ring."""
        return frozenset(self._keys)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def aead(self, key_id: str) -> AESGCM:
        """The cipher for ``key_id``.

        Raises:
            AuditKeyError: the key is not in the ring.
        """
        try:
            return self._aeads[key_id]
        except KeyError:
            where = f" (put its file in {old_keys_dir(self.source)}/)" if self.source else ""
            raise AuditKeyError(f"audit key {key_id} is not in the keyring{where}") from None

    def index_key(self, key_id: str) -> bytes:
        """The blind-index (HMAC) key that goes with content key ``key_id``:
        ``HKDF-SHA256(key, salt=None, info="phigate-audit-blind-index-v1")``. Derived, not
        stored: it rotates with the content key and is kept exactly where that key is.

        Raises:
            AuditKeyError: the key is not in the ring.
        """
        derived = self._index_keys.get(key_id)
        if derived is None:
            self.aead(key_id)  # the one "not in the keyring" message
            hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_KEY_INFO)
            derived = self._index_keys[key_id] = hkdf.derive(self._keys[key_id])
        return derived

    @property
    def primary(self) -> AESGCM:
        """The cipher new records are encrypted with."""
        return self._aeads[self.primary_id]

    def describe(self) -> str:
        """Short text for messages: the key file (if known) and the primary key ID."""
        src = f"key file {self.source}, " if self.source else ""
        return f"{src}key id {self.primary_id}"


def _write_exclusive(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def generate_key_file(path: Path | str, *, what: str = "audit key") -> str:
    """Write a fresh random key to ``path`` with mode 0600, atomically, never overwriting.

    The key is written to a temporary file in the same directory and then hard-linked into
    place, so ``path`` either does not exist or holds a complete key, and an existing file
    is never replaced (``link`` fails instead).

    Returns:
        The new key's ID.

    Raises:
        AuditKeyError: ``path`` exists already or cannot be written.
    """
    path = Path(path)
    if path.exists():
        raise AuditKeyError(f"{what} file {path} exists already; refusing to overwrite it")
    key = os.urandom(KEY_BYTES)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        _write_exclusive(tmp, key)
        try:
            os.link(tmp, path)
        except (FileExistsError, FileNotFoundError):
            raise
        except OSError:
            # A filesystem without hard links: O_EXCL still never overwrites.
            _write_exclusive(path, key)
    except FileExistsError:
        raise AuditKeyError(
            f"{what} file {path} exists already; refusing to overwrite it"
        ) from None
    except OSError as exc:
        raise AuditKeyError(f"{what} file {path} cannot be written: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return key_id_for(key)


def rotate_key_file(path: Path | str, *, what: str = "audit key") -> str:
    """Move the current key into ``<path>.old/<key id>.key`` and write a fresh key to ``path``.

    Returns:
        The new key's ID.

    Raises:
        AuditKeyError: the current key file is invalid, or a file cannot be written.
    """
    path = Path(path)
    current = _read_key_file(path, what)
    old_dir = old_keys_dir(path)
    try:
        old_dir.mkdir(mode=0o700, exist_ok=True)
        target = old_dir / f"{key_id_for(current)}.key"
        if not target.exists():
            os.link(path, target)  # keep the 0600 file as it is, no copy of the bytes
        path.unlink()
    except OSError as exc:
        raise AuditKeyError(f"cannot move {what} {path} to {old_dir}: {exc.strerror}") from None
    return generate_key_file(path, what=what)
