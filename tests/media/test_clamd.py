"""The INSTREAM client against a real clamd (EICAR signature written by the fixture)."""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from bridge.config import ClamAVConfig
from bridge.demo.synapse import free_port
from bridge.errors import ConfigError
from bridge.matrix.runtime import _check_stream_limit
from bridge.media import ClamdScanner, ClamdUnavailable, ScanLimitExceeded
from bridge.metrics import Metrics
from tests.clamd import LocalClamd

from .conftest import STREAM_MAX
from .samples import EICAR, EICAR_NAME


async def test_ping(clamd: LocalClamd) -> None:
    assert await clamd.scanner().ping()


async def test_eicar_found_with_signature_name(clamd: LocalClamd) -> None:
    result = await clamd.scanner().scan_bytes(EICAR)
    assert result.infected
    assert result.signature is not None and result.signature.startswith(EICAR_NAME)
    assert result.reply == f"stream: {result.signature} FOUND"


async def test_clean_file_ok(clamd: LocalClamd) -> None:
    scanner = clamd.scanner()
    result = await scanner.scan_file(io.BytesIO(os.urandom(300_000)))
    assert not result.infected and result.signature is None
    assert result.reply == "stream: OK"
    assert scanner.scans == 1


async def test_eicar_from_a_file_in_small_chunks(clamd: LocalClamd, tmp_path: Path) -> None:
    path = tmp_path / "eicar.bin"
    path.write_bytes(EICAR)
    scanner = ClamdScanner(clamd.config, chunk_size=7, stream_max_length=STREAM_MAX)
    with path.open("rb") as file:
        assert (await scanner.scan_file(file, size=len(EICAR))).infected


async def test_stream_limit_known_size_refused_before_sending(clamd: LocalClamd) -> None:
    scanner = clamd.scanner()
    with pytest.raises(ScanLimitExceeded) as err:
        await scanner.scan_bytes(b"\0" * (STREAM_MAX + 1))
    assert "2 MB stream limit" in str(err.value)
    assert scanner.scans == 0  # never connected


async def test_stream_limit_unknown_size_stops_at_the_limit(clamd: LocalClamd) -> None:
    scanner = clamd.scanner(stream_max_length=STREAM_MAX)

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(3):
            yield b"\0" * (1024 * 1024)

    with pytest.raises(ScanLimitExceeded):
        await scanner.scan_chunks(chunks())


async def test_daemon_limit_lower_than_configured_is_not_truncated(clamd: LocalClamd) -> None:
    # The client believes clamd takes 64 MB; clamd (2 MB) refuses mid-stream. That must be
    # "not scannable", never a clean verdict on the first 2 MB.
    scanner = clamd.scanner(stream_max_length=64 * 1024 * 1024)
    with pytest.raises(ScanLimitExceeded):
        await scanner.scan_bytes(os.urandom(3 * 1024 * 1024))
    assert await scanner.ping()  # the daemon is fine afterwards


async def test_stopped_daemon_is_unavailable(clamd_factory: Callable[..., LocalClamd]) -> None:
    daemon = clamd_factory()
    scanner = daemon.scanner()
    assert (await scanner.scan_bytes(b"hello")).reply == "stream: OK"
    daemon.stop()
    assert not await scanner.ping()
    with pytest.raises(ClamdUnavailable) as err:
        await scanner.scan_bytes(b"hello")
    assert "scanner unreachable" in str(err.value)


async def test_tcp(clamd_factory: Callable[..., LocalClamd]) -> None:
    daemon = clamd_factory(tcp_port=free_port())
    scanner = daemon.scanner()
    assert scanner.config.host == "127.0.0.1"
    assert await scanner.ping()
    assert (await scanner.scan_bytes(EICAR)).infected


async def test_timeout_is_unavailable() -> None:
    # A socket that accepts and never answers: the scan gives up after `timeout`.
    directory = tempfile.mkdtemp(prefix="mute-")
    path = os.path.join(directory, "mute.sock")
    held: list[asyncio.StreamWriter] = []

    async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        await reader.read()  # swallow everything, say nothing

    server = await asyncio.start_unix_server(mute, path)
    try:
        scanner = ClamdScanner(ClamAVConfig(socket=path), timeout=0.3)
        with pytest.raises(ClamdUnavailable) as err:
            await scanner.scan_bytes(b"hello")
        assert "timed out" in str(err.value)
        assert not await scanner.ping()
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
        os.unlink(path)
        os.rmdir(directory)


async def test_start_up_probe_learns_a_lower_stream_limit(
    clamd: LocalClamd, tmp_path: Path
) -> None:
    """clamd cannot be asked its StreamMaxLength: `phigate run` shows it a stream of the
    configured length, and refuses to start with one line when clamd turns it away."""
    metrics = Metrics()
    agreed = ClamdScanner(clamd.config, stream_max_length=STREAM_MAX, metrics=metrics)
    assert await agreed.accepts_stream_of(STREAM_MAX)
    await _check_stream_limit(agreed)  # no error
    # The probe is a real, counted scan.
    assert metrics.registry.get_sample_value("phigate_clamd_scans_total") == 2

    above = clamd.scanner(stream_max_length=STREAM_MAX * 2)
    assert not await above.accepts_stream_of(STREAM_MAX * 2)
    with pytest.raises(ConfigError, match=r"media\.clamav\.stream_max_length: clamd at .* refused"):
        await _check_stream_limit(above)

    gone = ClamdScanner(ClamAVConfig(socket=str(tmp_path / "none.sock")), timeout=1)
    await _check_stream_limit(gone)  # unreachable: warned, not refused (health reports it)
