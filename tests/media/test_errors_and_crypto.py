"""Block messages, mxc parsing and streaming attachment decryption (pure)."""

from __future__ import annotations

import hashlib

import pytest
from mautrix.crypto.attachments import encrypt_attachment

from bridge.errors import PhiGateError
from bridge.media import (
    AttachmentDecryptor,
    BlockReason,
    EncryptionInfo,
    MediaBlocked,
    MediaPart,
    format_size,
    parse_mxc,
)

MB = 1024 * 1024


def test_messages_are_one_human_line() -> None:
    assert str(MediaBlocked.too_large(61 * MB, 50 * MB)) == "too large (61 MB > 50 MB limit)"
    assert (
        str(MediaBlocked.too_large(50 * MB + 1, 50 * MB))
        == "too large (52428801 bytes > 52428800 bytes limit)"
    )
    assert str(MediaBlocked.too_large(None, 50 * MB)) == "too large (over the 50 MB limit)"
    assert (
        str(MediaBlocked.type_mismatch("image/png", "application/x-executable"))
        == "declared image/png but the bytes are application/x-executable"
    )
    assert str(MediaBlocked.type_not_allowed("application/zip")) == (
        "type application/zip is not allowed"
    )
    malware = MediaBlocked.malware("Eicar-Signature")
    assert str(malware) == "malware: Eicar-Signature"
    assert malware.signature == "Eicar-Signature"
    assert malware.reason is BlockReason.MALWARE
    assert str(MediaBlocked.not_scannable("scanner unreachable")) == (
        "could not be scanned: scanner unreachable"
    )
    thumb = malware.for_part(MediaPart.THUMBNAIL)
    assert str(thumb) == "thumbnail: malware: Eicar-Signature"
    assert thumb is not malware and malware.part is MediaPart.FILE
    assert isinstance(malware, PhiGateError)


def test_format_size() -> None:
    assert format_size(812) == "812 bytes"
    assert format_size(100 * 1024) == "100 KB"
    assert format_size(int(1.5 * MB)) == "1.5 MB"


@pytest.mark.parametrize(
    "url",
    [
        "mxc://clinic.test/../../admin",
        "mxc://clinic.test/abc/def",
        "https://clinic.test/abc",
        "mxc://clinic.test/",
        "mxc://cli nic/abc",
        None,
        42,
    ],
)
def test_parse_mxc_rejects(url: object) -> None:
    with pytest.raises(MediaBlocked) as err:
        parse_mxc(url)
    assert err.value.reason is BlockReason.DOWNLOAD_FAILED


def test_parse_mxc() -> None:
    assert parse_mxc("mxc://clinic.test/AbC_d-1") == ("clinic.test", "AbC_d-1")
    assert parse_mxc("mxc://127.0.0.1:8448/x") == ("127.0.0.1:8448", "x")
    assert parse_mxc("mxc://[::1]:8448/x") == ("[::1]:8448", "x")


def _encrypted(plaintext: bytes) -> tuple[bytes, dict]:
    ciphertext, info = encrypt_attachment(plaintext)
    file = info.serialize()
    file["url"] = "mxc://clinic.test/enc"
    return ciphertext, file


def test_streaming_decryption_matches_mautrix() -> None:
    plaintext = bytes(range(256)) * 1000
    ciphertext, file = _encrypted(plaintext)
    decryptor = AttachmentDecryptor(EncryptionInfo.from_file(file))
    out = b"".join(
        decryptor.update(ciphertext[i : i + 7777]) for i in range(0, len(ciphertext), 7777)
    )
    decryptor.verify()
    assert hashlib.sha256(out).digest() == hashlib.sha256(plaintext).digest()


def test_tampered_ciphertext_is_a_hash_mismatch() -> None:
    ciphertext, file = _encrypted(b"x" * 1000)
    tampered = bytearray(ciphertext)
    tampered[10] ^= 1
    decryptor = AttachmentDecryptor(EncryptionInfo.from_file(file))
    decryptor.update(bytes(tampered))
    with pytest.raises(MediaBlocked) as err:
        decryptor.verify()
    assert err.value.reason is BlockReason.HASH_MISMATCH


@pytest.mark.parametrize(
    "breakage",
    [
        lambda f: f.pop("key"),
        lambda f: f["key"].update(alg="A128CTR"),
        lambda f: f["key"].update(k="not base64!"),
        lambda f: f.update(iv="AAAA"),
        lambda f: f.pop("hashes"),
        lambda f: f["hashes"].update(sha256=""),
    ],
)
def test_malformed_encrypted_file_is_not_scannable(breakage) -> None:  # type: ignore[no-untyped-def]
    _, file = _encrypted(b"data")
    breakage(file)
    with pytest.raises(MediaBlocked) as err:
        EncryptionInfo.from_file(file)
    assert err.value.reason is BlockReason.NOT_SCANNABLE
