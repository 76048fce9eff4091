"""Audit key files: generation, loading rules, old keys, rotation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bridge.audit import (
    KEY_BYTES,
    AuditKeyring,
    generate_key_file,
    key_id_for,
    old_keys_dir,
    rotate_key_file,
)
from bridge.errors import AuditKeyError


def _write_key(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.write_bytes(data)
    path.chmod(mode)


def test_generate_writes_32_random_bytes_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    key_id = generate_key_file(path)
    data = path.read_bytes()
    assert len(data) == KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key_id == key_id_for(data)
    assert len(key_id) == 16 and int(key_id, 16) >= 0
    assert [p.name for p in tmp_path.iterdir()] == ["audit.key"]  # no temp file left


def test_generate_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    generate_key_file(path)
    before = path.read_bytes()
    with pytest.raises(AuditKeyError, match="exists already"):
        generate_key_file(path)
    assert path.read_bytes() == before


def test_key_id_is_stable_and_not_the_key() -> None:
    key = bytes(range(32))
    assert key_id_for(key) == key_id_for(bytes(range(32)))
    assert key_id_for(key) != key_id_for(bytes(32))
    assert key.hex()[:16] != key_id_for(key)


def test_load_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.key"
    with pytest.raises(AuditKeyError) as err:
        AuditKeyring.load(path)
    assert str(path) in str(err.value) and "does not exist" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_load_wrong_length_refused(tmp_path: Path, size: int) -> None:
    path = tmp_path / "audit.key"
    _write_key(path, os.urandom(size))
    with pytest.raises(AuditKeyError, match=f"exactly 32 bytes, it has {size}"):
        AuditKeyring.load(path)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620, 0o660])
def test_load_group_or_world_accessible_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "audit.key"
    _write_key(path, os.urandom(32), mode)
    with pytest.raises(AuditKeyError) as err:
        AuditKeyring.load(path)
    message = str(err.value)
    assert str(path) in message and f"{mode:04o}" in message and "chmod 600" in message
    assert "\n" not in message


def test_load_directory_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    path.mkdir(mode=0o700)
    with pytest.raises(AuditKeyError, match="not a regular file"):
        AuditKeyring.load(path)


def test_load_with_old_keys(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    primary, old1, old2 = os.urandom(32), os.urandom(32), os.urandom(32)
    _write_key(path, primary)
    old_dir = old_keys_dir(path)
    assert old_dir == tmp_path / "audit.key.old"
    old_dir.mkdir(mode=0o700)
    _write_key(old_dir / "2024.key", old1)
    _write_key(old_dir / "2023", old2)
    _write_key(old_dir / ".hidden", b"ignored")
    ring = AuditKeyring.load(path)
    assert ring.primary_id == key_id_for(primary)
    assert ring.key_ids == {key_id_for(k) for k in (primary, old1, old2)}
    assert ring.source == path


def test_old_key_with_bad_mode_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    _write_key(path, os.urandom(32))
    old_dir = old_keys_dir(path)
    old_dir.mkdir()
    _write_key(old_dir / "k", os.urandom(32), 0o644)
    with pytest.raises(AuditKeyError, match=str(old_dir / "k")):
        AuditKeyring.load(path)


def test_unknown_key_id_message_points_to_old_dir(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    generate_key_file(path)
    ring = AuditKeyring.load(path)
    with pytest.raises(AuditKeyError, match=r"audit.key.old"):
        ring.aead("0123456789abcdef")


def test_keyring_rejects_short_key() -> None:
    with pytest.raises(AuditKeyError):
        AuditKeyring(b"short")


def test_rotate_moves_current_key_into_old_dir(tmp_path: Path) -> None:
    path = tmp_path / "audit.key"
    first = generate_key_file(path)
    second = rotate_key_file(path)
    assert first != second
    ring = AuditKeyring.load(path)
    assert ring.primary_id == second
    assert ring.key_ids == {first, second}
    moved = old_keys_dir(path) / f"{first}.key"
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
