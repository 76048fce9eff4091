"""The whole pipeline — size, download, decrypt, sniff, allow-list, scan, caches — against a
real clamd and a local media endpoint (lying sizes and chunked bodies need one we control;
test_download.py covers the real homeserver)."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mautrix.crypto.attachments import encrypt_attachment
from mautrix.types import ImageInfo, MediaMessageEventContent, MessageType

from bridge.config import ScanFailure
from bridge.media import BlockReason, MediaPart, MediaVerdict
from tests.clamd import LocalClamd

from . import samples
from .conftest import STREAM_MAX, MakeChecker, MediaRepo
from .samples import EICAR, EICAR_NAME

MB = 1024 * 1024


def media(
    url: str | None,
    data: bytes | None,
    mimetype: str | None,
    *,
    msgtype: str | None = "m.file",
    size: int | None = -1,
    file: dict[str, Any] | None = None,
    **info: Any,
) -> dict[str, Any]:
    """Event content; `size=-1` declares the true size, None declares none."""
    meta: dict[str, Any] = dict(info)
    if mimetype is not None:
        meta["mimetype"] = mimetype
    if size is not None:
        meta["size"] = len(data or b"") if size == -1 else size
    content: dict[str, Any] = {"body": "attachment", "info": meta}
    if msgtype is not None:
        content["msgtype"] = msgtype
    if file is not None:
        content["file"] = file
    else:
        content["url"] = url
    return content


def encrypted(repo: MediaRepo, plaintext: bytes, *, tamper: bool = False) -> dict[str, Any]:
    """Encrypt like a client, upload the ciphertext, return the EncryptedFile."""
    ciphertext, info = encrypt_attachment(plaintext)
    if tamper:
        flipped = bytearray(ciphertext)
        flipped[len(flipped) // 2] ^= 0x40
        ciphertext = bytes(flipped)
    file = info.serialize()
    file["url"] = repo.add(ciphertext)
    return file


def spool_fds(root: Path) -> list[str]:
    """Open file descriptors of this process pointing into `root` (spill files)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(root)):
            found.append(target)
    return found


def assert_blocked(verdict: MediaVerdict, reason: BlockReason) -> str:
    assert not verdict.allowed, verdict
    assert verdict.reason is not None and verdict.reason.reason is reason, verdict
    return str(verdict.reason)


# ---------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("data", "declared", "msgtype"),
    [
        (samples.png(4, 4), "image/png", "m.image"),
        (samples.jpeg(), "image/jpeg", "m.image"),
        (samples.jpeg(), "image/jpg", "m.image"),  # alias
        (samples.pdf(), "application/pdf", "m.file"),
        (samples.text(), "text/plain", "m.file"),
        (samples.text(), "text/plain; charset=utf-8", "m.file"),
        (samples.pdf(), "application/octet-stream", "m.file"),  # claims nothing
        (samples.png(), None, "m.image"),  # declares nothing
    ],
    ids=["png", "jpeg", "jpg-alias", "pdf", "text", "text-charset", "octet-stream", "none"],
)
async def test_allowed_types_pass(
    make_checker: MakeChecker, media_repo: MediaRepo, data: bytes, declared: str, msgtype: str
) -> None:
    checker = make_checker()
    verdict = await checker.check(media(media_repo.add(data), data, declared, msgtype=msgtype))
    assert verdict.allowed and verdict.reason is None and verdict.note is None
    assert verdict.sha256 == hashlib.sha256(data).hexdigest()
    assert verdict.size == len(data)
    assert checker.scanner.scans == 1


@pytest.mark.parametrize(
    ("data", "sniffed"),
    [
        (samples.elf_executable(), "application/x-executable"),
        (samples.pe_executable(), "application/vnd.microsoft.portable-executable"),
    ],
    ids=["elf", "pe"],
)
async def test_executable_declared_png_is_a_type_mismatch(
    make_checker: MakeChecker, media_repo: MediaRepo, data: bytes, sniffed: str
) -> None:
    checker = make_checker()
    verdict = await checker.check(media(media_repo.add(data), data, "image/png", msgtype="m.image"))
    message = assert_blocked(verdict, BlockReason.TYPE_MISMATCH)
    assert message == f"declared image/png but the bytes are {sniffed}"
    assert verdict.sniffed_type == sniffed
    assert checker.scanner.scans == 0  # a disallowed type needs no scan


async def test_real_but_disallowed_type(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    data = samples.zip_archive()
    verdict = await make_checker().check(media(media_repo.add(data), data, "application/zip"))
    assert assert_blocked(verdict, BlockReason.TYPE_NOT_ALLOWED) == (
        "type application/zip is not allowed"
    )


async def test_typed_mautrix_content(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    data = samples.png()
    content = MediaMessageEventContent(
        msgtype=MessageType.IMAGE,
        body="scan.png",
        url=media_repo.add(data),
        info=ImageInfo(mimetype="image/png", size=len(data)),
    )
    assert (await make_checker().check(content)).allowed


async def test_sticker(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    data = samples.png()
    verdict = await make_checker().check(
        media(media_repo.add(data), data, "image/png", msgtype=None)
    )
    assert verdict.allowed


# ---------------------------------------------------------------------------- malware


async def test_eicar_is_malware(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    verdict = await make_checker().check(media(media_repo.add(EICAR), EICAR, "text/plain"))
    message = assert_blocked(verdict, BlockReason.MALWARE)
    assert verdict.reason is not None and verdict.reason.signature is not None
    assert verdict.reason.signature.startswith(EICAR_NAME)
    assert message == f"malware: {verdict.reason.signature}"


async def test_scanner_stopped(
    clamd_factory: Callable[..., LocalClamd], make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    daemon = clamd_factory()
    scanner = daemon.scanner()
    daemon.stop()
    data = samples.pdf()
    content = media(media_repo.add(data), data, "application/pdf")

    verdict = await make_checker(scanner=scanner).check(content)
    message = assert_blocked(verdict, BlockReason.NOT_SCANNABLE)
    assert message.startswith("could not be scanned: scanner unreachable")

    relaxed = await make_checker(scanner=scanner, scan_failure=ScanFailure.ALLOW).check(content)
    assert relaxed.allowed and relaxed.reason is None
    assert relaxed.note is not None and "not virus-scanned: scanner unreachable" in relaxed.note

    # A scanner failure is transient: nothing was cached, so once clamd is back the same
    # checker scans the file.
    checker = make_checker(scanner=scanner)
    assert not (await checker.check(content)).allowed
    daemon.start()
    assert (await checker.check(content)).allowed
    assert scanner.scans == 1  # the failed attempts never connected; one real scan


async def test_scanner_stream_limit_is_not_scannable_even_when_failures_are_allowed(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    data = samples.pdf(padding=STREAM_MAX + 100)
    content = media(media_repo.add(data), data, "application/pdf")
    for policy in ScanFailure:
        verdict = await make_checker(scan_failure=policy).check(content)
        message = assert_blocked(verdict, BlockReason.NOT_SCANNABLE)
        assert message == "could not be scanned: larger than the scanner's 2 MB stream limit"


# ---------------------------------------------------------------------------- size


async def test_declared_oversize_blocks_without_download(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    checker = make_checker(max_size=50 * MB)
    thumb = media_repo.add(samples.png())
    content = media(
        media_repo.add(b"never fetched"),
        None,
        "video/mp4",
        size=61 * MB,
        msgtype="m.video",
        thumbnail_url=thumb,
        thumbnail_info={"mimetype": "image/png"},
    )
    verdict = await checker.check(content)
    assert assert_blocked(verdict, BlockReason.TOO_LARGE) == "too large (61 MB > 50 MB limit)"
    assert checker.fetcher.downloads == 0 and media_repo.requests == 0


async def test_lying_size_is_cut_off_while_streaming(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    limit = 1 * MB
    data = samples.pdf(padding=5 * MB)
    checker = make_checker(max_size=limit)
    content = media(media_repo.add(data, chunked=True), data, "application/pdf", size=1000)
    verdict = await checker.check(content)
    assert assert_blocked(verdict, BlockReason.TOO_LARGE) == "too large (over the 1 MB limit)"
    assert limit < checker.fetcher.bytes_received <= limit + 64 * 1024
    assert checker.scanner.scans == 0


async def test_lying_size_refused_by_content_length(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    data = samples.pdf(padding=2 * MB)
    checker = make_checker(max_size=1 * MB)
    verdict = await checker.check(media(media_repo.add(data), data, "application/pdf", size=10))
    assert assert_blocked(verdict, BlockReason.TOO_LARGE).startswith("too large (2 MB > 1 MB")
    assert checker.fetcher.bytes_received == 0


# ---------------------------------------------------------------------------- encrypted


async def test_encrypted_roundtrip(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    data = samples.png(8, 8)
    file = encrypted(media_repo, data)
    verdict = await make_checker().check(
        media(None, data, "image/png", msgtype="m.image", file=file)
    )
    assert verdict.allowed
    # The verdict is about the plaintext.
    assert verdict.sha256 == hashlib.sha256(data).hexdigest()
    assert verdict.sniffed_type == "image/png"


async def test_encrypted_eicar_is_found(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    file = encrypted(media_repo, EICAR)
    verdict = await make_checker().check(media(None, EICAR, "text/plain", file=file))
    assert_blocked(verdict, BlockReason.MALWARE)


async def test_tampered_ciphertext_is_a_hash_mismatch(
    make_checker: MakeChecker, media_repo: MediaRepo, tmp_path: Path
) -> None:
    data = samples.pdf(padding=300_000)
    file = encrypted(media_repo, data, tamper=True)
    checker = make_checker(spool_memory=64 * 1024)  # spill to disk, then fail
    verdict = await checker.check(media(None, data, "application/pdf", file=file))
    assert assert_blocked(verdict, BlockReason.HASH_MISMATCH).startswith(
        "encrypted file does not match its SHA-256"
    )
    assert checker.scanner.scans == 0
    assert spool_fds(tmp_path) == []  # the spilled plaintext is gone
    # The verdict follows from the stored bytes: remembered, not downloaded again.
    again = await checker.check(media(None, data, "application/pdf", file=file))
    assert_blocked(again, BlockReason.HASH_MISMATCH)
    assert checker.fetcher.downloads == 1


async def test_spill_files_are_closed_after_the_check(
    make_checker: MakeChecker, media_repo: MediaRepo, tmp_path: Path
) -> None:
    data = samples.pdf(padding=1 * MB)
    checker = make_checker(spool_memory=64 * 1024)
    assert (await checker.check(media(media_repo.add(data), data, "application/pdf"))).allowed
    assert spool_fds(tmp_path) == []
    spool_dirs = [p for p in tmp_path.iterdir() if p.name.startswith("phigate-media-")]
    assert len(spool_dirs) == 1 and list(spool_dirs[0].iterdir()) == []
    assert spool_dirs[0].stat().st_mode & 0o777 == 0o700
    await checker.close()
    assert not spool_dirs[0].exists()


# ---------------------------------------------------------------------------- thumbnails


async def test_thumbnail_is_checked(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    image, elf = samples.png(), samples.elf_executable()
    content = media(
        media_repo.add(image),
        image,
        "image/png",
        msgtype="m.image",
        thumbnail_url=media_repo.add(elf),
        thumbnail_info={"mimetype": "image/png", "size": len(elf)},
    )
    verdict = await make_checker().check(content)
    assert assert_blocked(verdict, BlockReason.TYPE_MISMATCH) == (
        "thumbnail: declared image/png but the bytes are application/x-executable"
    )
    assert verdict.reason is not None and verdict.reason.part is MediaPart.THUMBNAIL


async def test_encrypted_thumbnail_is_checked(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    image = samples.png()
    content = media(
        None,
        image,
        "image/png",
        msgtype="m.image",
        file=encrypted(media_repo, image),
        thumbnail_file=encrypted(media_repo, EICAR),
        thumbnail_info={"mimetype": "text/plain"},
    )
    verdict = await make_checker().check(content)
    assert assert_blocked(verdict, BlockReason.MALWARE).startswith("thumbnail: malware: ")


# ---------------------------------------------------------------------------- bad events


async def test_malformed_events(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    checker = make_checker()
    no_url = {"msgtype": "m.image", "body": "x", "info": {"mimetype": "image/png"}}
    assert "names no media" in assert_blocked(
        await checker.check(no_url), BlockReason.NOT_SCANNABLE
    )
    bad_url = media("https://evil.test/x.png", b"", "image/png")
    assert_blocked(await checker.check(bad_url), BlockReason.DOWNLOAD_FAILED)
    missing = media("mxc://clinic.test/nosuchmedia", b"", "image/png")
    assert assert_blocked(await checker.check(missing), BlockReason.DOWNLOAD_FAILED) == (
        "could not be downloaded: HTTP 404 (M_NOT_FOUND)"
    )
    checker.fetcher.as_token = "wrong"
    data = samples.png()
    assert "HTTP 401" in assert_blocked(
        await checker.check(media(media_repo.add(data), data, "image/png")),
        BlockReason.DOWNLOAD_FAILED,
    )


# ---------------------------------------------------------------------------- caches


async def test_same_file_is_scanned_once(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    checker = make_checker()
    data = samples.pdf(padding=100_000)
    content = media(media_repo.add(data), data, "application/pdf")
    first = await checker.check(content)
    second = await checker.check(content)
    assert first == second and first.allowed
    assert checker.fetcher.downloads == 1  # same mxc: answered from the source cache
    assert checker.scanner.scans == 1
    assert checker.stats.source_cache_hits == 1

    # Same bytes under another mxc URL: downloaded, recognised by hash, not scanned again.
    other = await checker.check(media(media_repo.add(data), data, "application/pdf"))
    assert other.allowed and other.sha256 == first.sha256
    assert checker.fetcher.downloads == 2 and checker.scanner.scans == 1
    assert checker.stats.content_cache_hits == 1

    # The content cache holds facts, not the verdict: a new event declaring the same
    # bytes as something else is judged on its own declaration.
    liar = await checker.check(media(media_repo.add(data), data, "image/png"))
    assert_blocked(liar, BlockReason.TYPE_MISMATCH)
    assert checker.scanner.scans == 1


async def test_malware_verdict_is_cached(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    checker = make_checker()
    for _ in range(3):
        verdict = await checker.check(media(media_repo.add(EICAR), EICAR, "text/plain"))
        assert_blocked(verdict, BlockReason.MALWARE)
    assert checker.scanner.scans == 1


async def test_cache_expires(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    now = [0.0]
    checker = make_checker(cache_ttl=60.0, clock=lambda: now[0])
    data = samples.png()
    content = media(media_repo.add(data), data, "image/png")
    await checker.check(content)
    now[0] = 61.0  # e.g. after a signature update, files are scanned afresh
    await checker.check(content)
    assert checker.scanner.scans == 2 and checker.fetcher.downloads == 2


async def test_concurrent_checks_coalesce(make_checker: MakeChecker, media_repo: MediaRepo) -> None:
    checker = make_checker()
    data = samples.pdf(padding=1 * MB)
    content = media(media_repo.add(data, chunked=True), data, "application/pdf")
    verdicts = await asyncio.gather(*(checker.check(content) for _ in range(5)))
    assert all(v.allowed for v in verdicts)
    assert checker.fetcher.downloads == 1 and checker.scanner.scans == 1
    assert checker.stats.coalesced == 4

    # Same bytes under different URLs at once: downloaded each, scanned once.
    fresh = samples.pdf(padding=1 * MB)
    twins = [media(media_repo.add(fresh), fresh, "application/pdf") for _ in range(3)]
    verdicts = await asyncio.gather(*(checker.check(c) for c in twins))
    assert all(v.allowed for v in verdicts)
    assert checker.fetcher.downloads == 4 and checker.scanner.scans == 2


async def test_cancelled_waiter_does_not_cancel_the_shared_check(
    make_checker: MakeChecker, media_repo: MediaRepo
) -> None:
    checker = make_checker()
    data = samples.pdf(padding=1 * MB)
    content = media(media_repo.add(data, chunked=True), data, "application/pdf")
    first = asyncio.create_task(checker.check(content))
    await asyncio.sleep(0)
    second = asyncio.create_task(checker.check(content))
    await asyncio.sleep(0)
    first.cancel()
    verdict = await second
    assert verdict.allowed
    assert first.cancelled()
    assert checker.fetcher.downloads == 1 and checker.scanner.scans == 1
