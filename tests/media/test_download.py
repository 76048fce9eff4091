"""Downloads through a real Synapse's authenticated media API, as the appservice's bot; and
the whole check on files uploaded by a real client (matrix-nio).

The homeserver is `bridge.demo.synapse.SynapseServer` — what the integration harness
re-exports — imported from the package so these tests run under plain ``pytest`` as well as
``python -m pytest``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from mautrix.crypto.attachments import encrypt_attachment
from nio import AsyncClient, LoginResponse, UploadResponse

from bridge.config import ClamAVConfig, MediaConfig, ScanFailure
from bridge.demo.synapse import SynapseServer, write_silent_appservice
from bridge.media import BlockReason, MediaBlocked, MediaChecker, MediaFetcher
from tests.clamd import LocalClamd

from . import samples
from .conftest import ALLOWED
from .samples import EICAR

MB = 1024 * 1024


@dataclass
class SynapseMedia:
    server: SynapseServer
    as_token: str
    bot: str


@pytest.fixture(scope="module")
def synapse_media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseMedia]:
    """A real Synapse with PHI Gate's appservice registered and its bot user created."""
    base = tmp_path_factory.mktemp("synapse-media")
    reg_path = base / "registration.yaml"
    as_token = write_silent_appservice(reg_path, "phigate-media-test")
    server = SynapseServer(base / "hs", app_service_config_files=[reg_path]).start()
    try:
        resp = server.api(
            "POST",
            "/_matrix/client/v3/register",
            {"type": "m.login.application_service", "username": "phigate", "inhibit_login": True},
            token=as_token,
        )
        server.register_user("uploader")
        yield SynapseMedia(server, as_token, resp["user_id"])
    finally:
        server.stop()


@pytest.fixture
async def uploader(synapse_media: SynapseMedia) -> AsyncIterator[AsyncClient]:
    server = synapse_media.server
    client = AsyncClient(server.url, server.user_id("uploader"))
    resp = await client.login("pw")
    assert isinstance(resp, LoginResponse), resp
    yield client
    await client.close()


@pytest.fixture
async def hs_fetcher(synapse_media: SynapseMedia) -> AsyncIterator[MediaFetcher]:
    async with aiohttp.ClientSession() as session:
        yield MediaFetcher(
            synapse_media.server.url, synapse_media.as_token, synapse_media.bot, session
        )


async def upload(client: AsyncClient, data: bytes, content_type: str) -> str:
    resp, _ = await client.upload(io.BytesIO(data), content_type=content_type, filesize=len(data))
    assert isinstance(resp, UploadResponse), resp
    return resp.content_uri


async def download(fetcher: MediaFetcher, mxc: str, max_size: int = 50 * MB) -> bytes:
    buffer = io.BytesIO()
    await fetcher.fetch(mxc, buffer.write, max_size=max_size)
    return buffer.getvalue()


async def test_download_as_the_bot(uploader: AsyncClient, hs_fetcher: MediaFetcher) -> None:
    assert hs_fetcher.user_id == "@phigate:clinic.test"
    data = samples.pdf(padding=700_000)
    mxc = await upload(uploader, data, "application/pdf")
    assert await download(hs_fetcher, mxc) == data
    assert hs_fetcher.downloads == 1 and hs_fetcher.bytes_received == len(data)


async def test_oversized_refused_from_content_length(
    uploader: AsyncClient, hs_fetcher: MediaFetcher
) -> None:
    mxc = await upload(uploader, samples.pdf(padding=2 * MB), "application/pdf")
    with pytest.raises(MediaBlocked) as err:
        await download(hs_fetcher, mxc, max_size=1 * MB)
    assert err.value.reason is BlockReason.TOO_LARGE
    assert str(err.value).startswith("too large (2 MB > 1 MB limit")
    assert hs_fetcher.bytes_received == 0


async def test_download_errors(
    synapse_media: SynapseMedia, uploader: AsyncClient, hs_fetcher: MediaFetcher
) -> None:
    with pytest.raises(MediaBlocked) as err:
        await download(hs_fetcher, "mxc://clinic.test/doesnotexist")
    assert str(err.value) == "could not be downloaded: HTTP 404 (M_NOT_FOUND)"

    mxc = await upload(uploader, samples.png(), "image/png")
    hs_fetcher.as_token = "not-the-token"
    with pytest.raises(MediaBlocked) as err:
        await download(hs_fetcher, mxc)
    assert str(err.value) == "could not be downloaded: HTTP 401 (M_UNKNOWN_TOKEN)"


async def test_checks_on_real_uploads(
    synapse_media: SynapseMedia,
    uploader: AsyncClient,
    hs_fetcher: MediaFetcher,
    clamd: LocalClamd,
    tmp_path: Path,
) -> None:
    config = MediaConfig(
        max_size=4 * MB,
        allowed_types=ALLOWED,
        scan_failure=ScanFailure.BLOCK,
        clamav=ClamAVConfig(socket=str(clamd.socket_path)),
    )
    checker = MediaChecker(config, hs_fetcher, clamd.scanner(), spool_dir=tmp_path)
    try:

        def content(mxc: str | None, mimetype: str, **extra: Any) -> dict[str, Any]:
            body = {"msgtype": "m.file", "body": "f", "info": {"mimetype": mimetype}, **extra}
            if mxc is not None:
                body["url"] = mxc
            return body

        eicar = await upload(uploader, EICAR, "text/plain")
        verdict = await checker.check(content(eicar, "text/plain"))
        assert verdict.reason is not None and verdict.reason.reason is BlockReason.MALWARE

        exe = samples.elf_executable()
        verdict = await checker.check(
            content(await upload(uploader, exe, "image/png"), "image/png")
        )
        assert verdict.reason is not None and verdict.reason.reason is BlockReason.TYPE_MISMATCH

        png = samples.png(16, 16)
        assert (
            await checker.check(content(await upload(uploader, png, "image/png"), "image/png"))
        ).allowed

        # Encrypted by mautrix, uploaded as ciphertext.
        ciphertext, info = encrypt_attachment(png)
        file = info.serialize()
        file["url"] = await upload(uploader, ciphertext, "application/octet-stream")
        verdict = await checker.check(content(None, "image/png", file=file))
        assert verdict.allowed and verdict.sha256 == hashlib.sha256(png).hexdigest()

        # Encrypted by matrix-nio (another client's implementation of the same spec).
        resp, keys = await uploader.upload(
            io.BytesIO(EICAR), content_type="text/plain", encrypt=True, filesize=len(EICAR)
        )
        assert isinstance(resp, UploadResponse) and keys is not None
        nio_file = {**keys, "url": resp.content_uri}
        verdict = await checker.check(content(None, "text/plain", file=nio_file))
        assert verdict.reason is not None and verdict.reason.reason is BlockReason.MALWARE
    finally:
        await checker.close()
