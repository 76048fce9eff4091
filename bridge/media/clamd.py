"""An asyncio client for clamd's INSTREAM command, and a throwaway clamd for tests and benches.

Why our own client (about 150 lines) instead of a library:

* `aioclamd` is asyncio but TCP-only (production clamd listens on a unix socket,
  ``/run/clamav/clamd.ctl``) and reads files in 1 KB chunks, each through a thread hop — far
  too slow for a 10 MB attachment.
* `clamav-client` speaks INSTREAM over a unix socket or TCP, but synchronously: it would need
  a thread per scan, and it has no notion of clamd's StreamMaxLength, so an oversized file
  ends in a broken pipe rather than a clear "not scannable".

The protocol is small and stable: send ``zINSTREAM\\0``, then chunks each prefixed by a
4-byte big-endian length, then a zero-length chunk; clamd answers one NUL-terminated line:
``stream: OK``, ``stream: <signature> FOUND``, or ``... ERROR`` (``INSTREAM size limit
exceeded. ERROR`` when more than StreamMaxLength bytes arrive, after which clamd closes the
connection). ``zPING\\0`` answers ``PONG``.

Stream limit: clamd cannot be asked its StreamMaxLength, so the client is told it
(`stream_max_length`, clamd's own Debian default 25 MB). A file longer than that raises
`ScanLimitExceeded` before a byte is sent; should the daemon's limit be lower than
configured, its "size limit exceeded" answer raises the same error. A file is never
truncated to fit.

Production note: clamd also has MaxFileSize / MaxScanSize. A stream within
StreamMaxLength but above MaxFileSize is *not scanned and reported clean* unless
``AlertExceedsMax yes`` is set; keep MaxFileSize and MaxScanSize ≥ StreamMaxLength ≥
``media.max_size`` (`LocalClamd` does).
"""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from bridge.config import ClamAVConfig
from bridge.metrics import Metrics

from .errors import ClamdError, ClamdUnavailable, ScanLimitExceeded

__all__ = [
    "DEFAULT_STREAM_MAX_LENGTH",
    "ClamdScanner",
    "ScanResult",
]

DEFAULT_STREAM_MAX_LENGTH = 25 * 1024 * 1024  # Debian's clamd.conf ships StreamMaxLength 25M
DEFAULT_SCAN_TIMEOUT = 30.0
DEFAULT_CHUNK_SIZE = 256 * 1024
_LIMIT_EXCEEDED = "size limit exceeded"


@dataclass(frozen=True, slots=True)
class ScanResult:
    """clamd's verdict on one stream.

    Attributes:
        infected: a signature matched.
        signature: its name (e.g. ``Eicar-Test-Signature.UNOFFICIAL``), None when clean.
        reply: clamd's raw answer, for logs.
    """

    infected: bool
    signature: str | None
    reply: str


class ClamdScanner:
    """Scans byte streams with clamd over its unix socket or TCP, one connection per scan.

    Attributes:
        scans: INSTREAM sessions started (tests assert "scanned once").
    """

    def __init__(
        self,
        config: ClamAVConfig,
        *,
        timeout: float = DEFAULT_SCAN_TIMEOUT,
        stream_max_length: int = DEFAULT_STREAM_MAX_LENGTH,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        metrics: Metrics | None = None,
    ) -> None:
        """Args:
        config: ``media.clamav`` — a socket path, or host and port.
        timeout: seconds for a whole scan (connect, send, verdict) or a ping.
        stream_max_length: clamd's StreamMaxLength in bytes; longer files are refused.
        chunk_size: bytes per INSTREAM chunk (and per read from the file).
        metrics: where scans are counted and timed (None: not counted).
        """
        if not config.socket and not config.host:
            raise ValueError("ClamAVConfig needs a socket path or a host")
        self.config = config
        self.timeout = timeout
        self.stream_max_length = stream_max_length
        self.chunk_size = chunk_size
        self.scans = 0
        self._metrics = metrics

    @property
    def address(self) -> str:
        """Where clamd is expected, for messages."""
        if self.config.socket:
            return self.config.socket
        return f"{self.config.host}:{self.config.port}"

    async def _connect(self) -> socket.socket:
        """A connected non-blocking socket.

        Raw sockets (`loop.sock_*`) rather than streams: when clamd refuses an oversized
        stream it answers and closes, our next send fails with EPIPE, and asyncio's stream
        transport would then close the socket and drop the answer still queued for us.
        """
        loop = asyncio.get_running_loop()
        try:
            if self.config.socket:
                candidates = [(socket.AF_UNIX, self.config.socket)]
            else:
                infos = await loop.getaddrinfo(
                    self.config.host, self.config.port, type=socket.SOCK_STREAM
                )
                candidates = [(family, address) for family, _, _, _, address in infos]
            error: OSError = OSError("no address")
            for family, address in candidates:
                sock = socket.socket(family, socket.SOCK_STREAM)
                sock.setblocking(False)
                try:
                    await loop.sock_connect(sock, address)
                    return sock
                except OSError as err:
                    sock.close()
                    error = err
            raise error
        except OSError as err:
            raise ClamdUnavailable(f"scanner unreachable ({self.address}: {err})") from err

    async def ping(self) -> bool:
        """Whether clamd answers PING with PONG within the timeout.

        Returns:
            True if clamd is up; never raises for an unreachable daemon.
        """
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout):
                with await self._connect() as sock:
                    await loop.sock_sendall(sock, b"zPING\0")
                    reply = await _read_reply(sock)
        except (ClamdError, OSError, TimeoutError):
            return False
        return reply == "PONG"

    async def accepts_stream_of(self, size: int) -> bool:
        """Whether clamd takes a stream of ``size`` bytes (zeros) whole: clamd cannot be
        asked its StreamMaxLength, so this is how start-up learns that the configured
        ``stream_max_length`` is not above it.

        Raises:
            ClamdUnavailable: clamd is unreachable or answered an error.
        """
        zeros = bytes(min(self.chunk_size, size))
        full, rest = divmod(size, len(zeros)) if zeros else (0, 0)
        chunks = [zeros] * full + ([zeros[:rest]] if rest else [])
        try:
            await self.scan_chunks(chunks, size=None)
        except ScanLimitExceeded:
            return False
        return True

    async def scan_bytes(self, data: bytes) -> ScanResult:
        """Scan an in-memory buffer. Raises as `scan_chunks`."""
        view = memoryview(data)
        chunks = (view[i : i + self.chunk_size] for i in range(0, len(view), self.chunk_size))
        return await self.scan_chunks(chunks, size=len(data))

    async def scan_file(self, file: BinaryIO, size: int | None = None) -> ScanResult:
        """Scan a file object from its current position to its end, `chunk_size` at a time.

        The reads are synchronous: the checker's spool is memory or a local temporary file,
        where a 256 KB read costs tens of microseconds.

        Args:
            file: an open binary file (or BytesIO).
            size: its length if known, so an oversized file is refused before connecting.

        Returns / Raises: as `scan_chunks`.
        """

        def chunks() -> Iterable[bytes]:
            while block := file.read(self.chunk_size):
                yield block

        return await self.scan_chunks(chunks(), size=size)

    async def scan_chunks(
        self, chunks: Iterable[bytes | memoryview] | AsyncIterable[bytes], size: int | None = None
    ) -> ScanResult:
        """Stream chunks to clamd with INSTREAM and return its verdict.

        Args:
            chunks: the file's bytes in order (chunks longer than `chunk_size` are split).
            size: the total length if known in advance.

        Returns:
            The verdict.

        Raises:
            ScanLimitExceeded: the stream is longer than `stream_max_length` or clamd's own
                limit (nothing is scanned).
            ClamdUnavailable: clamd is unreachable, timed out or answered an error.
        """
        limit = self.stream_max_length
        if size is not None and size > limit:
            raise ScanLimitExceeded(size, limit)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                return await self._instream(_aiter(chunks), limit)
        except TimeoutError as err:
            raise ClamdUnavailable(f"scanner timed out after {self.timeout:g} s") from err
        finally:
            if self._metrics is not None:
                self._metrics.clamd_scans.inc()
                self._metrics.clamd_latency.observe(time.perf_counter() - started)

    async def _instream(self, chunks: AsyncIterator[bytes | memoryview], limit: int) -> ScanResult:
        loop = asyncio.get_running_loop()
        with await self._connect() as sock:
            self.scans += 1
            sent = 0
            try:
                await loop.sock_sendall(sock, b"zINSTREAM\0")
                async for chunk in chunks:
                    for start in range(0, len(chunk), self.chunk_size):
                        piece = chunk[start : start + self.chunk_size]
                        sent += len(piece)
                        if sent > limit:
                            # Size was unknown up front: stop here rather than let clamd
                            # cut the stream (and never hand it a truncated file).
                            raise ScanLimitExceeded(None, limit)
                        await loop.sock_sendall(sock, struct.pack(">I", len(piece)))
                        await loop.sock_sendall(sock, piece)
                await loop.sock_sendall(sock, b"\0\0\0\0")
            except OSError as err:
                # clamd closes the socket mid-stream when its StreamMaxLength is smaller
                # than ours, after saying so; read what it said.
                try:
                    reply = await _read_reply(sock)
                except ClamdUnavailable:
                    reply = ""
                if _LIMIT_EXCEEDED in reply:
                    raise ScanLimitExceeded(None, limit) from err
                raise ClamdUnavailable(f"scanner closed the connection ({err})") from err
            reply = await _read_reply(sock)
        return _parse_reply(reply, limit)


async def _aiter(
    chunks: Iterable[bytes | memoryview] | AsyncIterable[bytes],
) -> AsyncIterator[bytes | memoryview]:
    if isinstance(chunks, AsyncIterable):
        async for chunk in chunks:
            yield chunk
    else:
        for chunk in chunks:
            yield chunk


async def _read_reply(sock: socket.socket) -> str:
    """clamd's one NUL-terminated answer line (without the NUL)."""
    loop = asyncio.get_running_loop()
    raw = b""
    try:
        while b"\0" not in raw and len(raw) < 4096:
            data = await loop.sock_recv(sock, 4096)
            if not data:
                break
            raw += data
    except OSError as err:
        if not raw:
            raise ClamdUnavailable(f"scanner connection failed ({err})") from err
    if not raw:
        raise ClamdUnavailable("scanner closed the connection without a verdict")
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _parse_reply(reply: str, limit: int) -> ScanResult:
    if _LIMIT_EXCEEDED in reply:
        raise ScanLimitExceeded(None, limit)
    if reply.endswith("ERROR"):
        raise ClamdUnavailable(f"scanner error ({reply})")
    # "stream: OK" / "stream: Eicar-Test-Signature.UNOFFICIAL FOUND"
    _, _, verdict = reply.partition(": ")
    if verdict == "OK":
        return ScanResult(infected=False, signature=None, reply=reply)
    if verdict.endswith(" FOUND"):
        return ScanResult(infected=True, signature=verdict.removesuffix(" FOUND"), reply=reply)
    raise ClamdUnavailable(f"unexpected scanner reply {reply!r}")
