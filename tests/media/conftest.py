"""Fixtures for the media tests: a real clamd with a signature database written here (the
EICAR test file), and a local HTTP server speaking the homeserver's authenticated media
download endpoint, so pipeline tests can serve lying sizes and chunked bodies.

The download contract itself is tested against a real Synapse (test_download.py).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bridge.config import ClamAVConfig, MediaConfig, ScanFailure
from bridge.media import ClamdScanner, MediaChecker, MediaFetcher
from tests.clamd import ClamdNotInstalled, LocalClamd

from .samples import EICAR, EICAR_NAME

_HERE = Path(__file__).parent
_REAL_PARTS = {"clamd", "clamd_factory", "synapse_media"}

STREAM_MAX = 2 * 1024 * 1024  # the test clamd's StreamMaxLength
ALLOWED = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"}
)
BOT = "@phigate:clinic.test"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that start clamd or Synapse are integration tests (`-m "not integration"` skips
    # them); the pure ones (sniffing, decryption, messages) are not.
    for item in items:
        if _HERE in Path(item.path).parents and _REAL_PARTS & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.integration)


def _start_clamd(**kwargs: int) -> LocalClamd:
    daemon = LocalClamd({EICAR_NAME: EICAR}, **kwargs)
    try:
        return daemon.start()
    except ClamdNotInstalled as err:
        # Never skip: CI installs clamav-daemon, and a silently skipped scanner test would
        # hide exactly the failure that matters.
        pytest.fail(f"{err}", pytrace=False)
    except RuntimeError as err:
        daemon.cleanup()
        pytest.fail(f"could not start clamd: {err}", pytrace=False)


@pytest.fixture(scope="session")
def clamd() -> Iterator[LocalClamd]:
    """One real clamd for the session: EICAR signature, StreamMaxLength 2 MB."""
    daemon = _start_clamd(stream_max_length=STREAM_MAX)
    print(f"\n[media] clamd up in {daemon.startup_seconds:.2f} s at {daemon.socket_path}")
    yield daemon
    daemon.cleanup()


@pytest.fixture
def clamd_factory() -> Iterator[Callable[..., LocalClamd]]:
    """Start private clamd instances (for tests that stop them); all cleaned up after."""
    started: list[LocalClamd] = []

    def make(**kwargs: int) -> LocalClamd:
        daemon = _start_clamd(**kwargs)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.cleanup()


@dataclass
class MediaRepo:
    """A local stand-in for the homeserver's ``/_matrix/client/v1/media/download`` endpoint,
    with the same authentication rule the checker relies on (as_token + user_id)."""

    as_token: str
    user_id: str
    url: str = ""
    blobs: dict[str, tuple[bytes, bool]] = field(default_factory=dict)
    requests: int = 0

    def add(self, data: bytes, *, chunked: bool = False) -> str:
        """Store `data`; `chunked` serves it without Content-Length (streamed in pieces).
        Returns its mxc URL."""
        media_id = secrets.token_urlsafe(12)
        self.blobs[media_id] = (data, chunked)
        return f"mxc://clinic.test/{media_id}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        if request.headers.get("Authorization") != f"Bearer {self.as_token}" or (
            request.query.get("user_id") != self.user_id
        ):
            return web.json_response({"errcode": "M_UNKNOWN_TOKEN"}, status=401)
        entry = self.blobs.get(request.match_info["media_id"])
        if request.match_info["server"] != "clinic.test" or entry is None:
            return web.json_response({"errcode": "M_NOT_FOUND"}, status=404)
        data, chunked = entry
        if not chunked:
            return web.Response(body=data, content_type="application/octet-stream")
        resp = web.StreamResponse()
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        try:
            for start in range(0, len(data), 16 * 1024):
                await resp.write(data[start : start + 16 * 1024])
            await resp.write_eof()
        except (ConnectionError, RuntimeError):
            pass  # the client hung up past its limit: expected
        return resp


@pytest.fixture
async def media_repo() -> AsyncIterator[MediaRepo]:
    repo = MediaRepo(as_token=secrets.token_urlsafe(16), user_id=BOT)
    app = web.Application()
    app.router.add_get("/_matrix/client/v1/media/download/{server}/{media_id}", repo.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    repo.url = f"http://127.0.0.1:{port}"
    yield repo
    await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def fetcher(media_repo: MediaRepo, http: aiohttp.ClientSession) -> MediaFetcher:
    return MediaFetcher(media_repo.url, media_repo.as_token, media_repo.user_id, http)


def media_config(
    *,
    max_size: int = 4 * 1024 * 1024,
    scan_failure: ScanFailure = ScanFailure.BLOCK,
    socket: str = "/nonexistent/clamd.sock",
    allowed: frozenset[str] = ALLOWED,
) -> MediaConfig:
    return MediaConfig(
        max_size=max_size,
        allowed_types=allowed,
        scan_failure=scan_failure,
        clamav=ClamAVConfig(socket=socket),
    )


MakeChecker = Callable[..., MediaChecker]


@pytest.fixture
async def make_checker(
    fetcher: MediaFetcher, clamd: LocalClamd, tmp_path: Path
) -> AsyncIterator[MakeChecker]:
    """`make_checker(max_size=…, scan_failure=…, scanner=…)`: a MediaChecker wired to the
    local media repo and the session clamd (or the given scanner); closed at teardown."""
    made: list[MediaChecker] = []

    def make(
        *,
        scanner: ClamdScanner | None = None,
        max_size: int = 4 * 1024 * 1024,
        scan_failure: ScanFailure = ScanFailure.BLOCK,
        **kwargs: object,
    ) -> MediaChecker:
        scanner = scanner or clamd.scanner(timeout=10.0)
        config = media_config(max_size=max_size, scan_failure=scan_failure, socket=scanner.address)
        checker = MediaChecker(
            config,
            fetcher,
            scanner,
            spool_dir=tmp_path,
            **kwargs,  # type: ignore[arg-type]
        )
        made.append(checker)
        return checker

    yield make
    for checker in made:
        await checker.close()
