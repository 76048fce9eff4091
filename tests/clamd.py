"""A throwaway clamd for the tests and benches: real clamd, with a signature database written
on the spot (no downloads). Scaffolding, kept out of the product package."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from bridge.config import ClamAVConfig
from bridge.media import ClamdScanner
from bridge.media.clamd import DEFAULT_SCAN_TIMEOUT


class ClamdNotInstalled(RuntimeError):
    """clamd or sigtool is missing (Debian: ``apt-get install clamav-daemon``)."""


def _find(binary: str) -> str:
    found = shutil.which(binary) or next(
        (p for p in (f"/usr/sbin/{binary}", f"/usr/bin/{binary}") if os.access(p, os.X_OK)),
        None,
    )
    if found is None:
        raise ClamdNotInstalled(
            f"{binary} is not installed: apt-get install clamav-daemon "
            "(the media tests and bench start their own clamd)"
        )
    return found


class LocalClamd:
    """A throwaway clamd with a signature database written on the spot (no downloads).

    Each signature is a file's MD5 (``sigtool --md5``, one ``.hdb`` line), so it matches that
    exact file — enough for the EICAR test file. clamd reports ``<name>.UNOFFICIAL``.
    MaxFileSize and MaxScanSize are raised to at least StreamMaxLength so that nothing
    within the stream limit is skipped unscanned.
    """

    STARTUP_TIMEOUT = 60.0

    def __init__(
        self,
        signatures: Mapping[str, bytes],
        *,
        stream_max_length: int = 2 * 1024 * 1024,
        tcp_port: int | None = None,
        base_dir: Path | None = None,
    ) -> None:
        """Args:
        signatures: signature name → the exact file it detects.
        stream_max_length: clamd's StreamMaxLength in bytes.
        tcp_port: listen on 127.0.0.1:tcp_port instead of the unix socket.
        base_dir: where config, database and socket live; a fresh short path under /tmp
            by default (a unix socket path must stay under 108 bytes).
        """
        self.signatures = dict(signatures)
        self.stream_max_length = stream_max_length
        self.tcp_port = tcp_port
        self._own_dir = base_dir is None
        self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix="clamd-"))
        self.socket_path = self.base_dir / "clamd.sock"
        self.log_path = self.base_dir / "clamd.log"
        self.startup_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def config(self) -> ClamAVConfig:
        """``media.clamav`` pointing at this daemon."""
        if self.tcp_port is not None:
            return ClamAVConfig(host="127.0.0.1", port=self.tcp_port)
        return ClamAVConfig(socket=str(self.socket_path))

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def scanner(
        self, *, timeout: float = DEFAULT_SCAN_TIMEOUT, stream_max_length: int | None = None
    ) -> ClamdScanner:
        """A client for this daemon, told its stream limit unless `stream_max_length` is
        given (tests give a larger one to see the daemon refuse)."""
        return ClamdScanner(
            self.config,
            timeout=timeout,
            stream_max_length=stream_max_length or self.stream_max_length,
        )

    def start(self) -> LocalClamd:
        """Write config and database, start clamd, return once it answers PING.

        Raises:
            ClamdNotInstalled: clamd or sigtool is missing.
            RuntimeError: clamd exited or did not answer within STARTUP_TIMEOUT.
        """
        clamd, sigtool = _find("clamd"), _find("sigtool")
        t0 = time.monotonic()
        self._write_database(sigtool)
        conf = self.base_dir / "clamd.conf"
        tmp = self.base_dir / "tmp"
        tmp.mkdir(exist_ok=True)
        limit = self.stream_max_length
        big = max(limit, 100 * 1024 * 1024)
        if self.tcp_port is not None:
            listen = [f"TCPSocket {self.tcp_port}", "TCPAddr 127.0.0.1"]
        else:
            listen = [f"LocalSocket {self.socket_path}", "LocalSocketMode 600"]
        lines = [
            *listen,
            f"DatabaseDirectory {self.base_dir / 'db'}",
            f"TemporaryDirectory {tmp}",
            "Foreground yes",
            f"StreamMaxLength {limit}",
            f"MaxFileSize {big}",
            f"MaxScanSize {big * 4}",
            "SelfCheck 0",
        ]
        if os.geteuid() == 0:
            # As root, clamd would drop to its packaged user (clamav), who cannot read
            # this root-owned directory; stay root. Run as anyone else, it stays that user.
            lines.append("User root")
        conf.write_text("\n".join(lines) + "\n")
        self.socket_path.unlink(missing_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [clamd, "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self.STARTUP_TIMEOUT
        while not self._ping_sync():
            if self._proc.poll() is not None:
                code, self._proc = self._proc.returncode, None
                raise RuntimeError(f"clamd exited with {code} at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"clamd did not answer PING:\n{self.log_tail()}")
            time.sleep(0.02)
        self.startup_seconds = time.monotonic() - t0
        return self

    def _write_database(self, sigtool: str) -> None:
        db = self.base_dir / "db"
        db.mkdir(exist_ok=True)
        samples = self.base_dir / "samples"
        samples.mkdir(exist_ok=True)
        lines = []
        for name, data in self.signatures.items():
            # sigtool names the signature after the file it hashes.
            (samples / name).write_bytes(data)
            out = subprocess.run(
                [sigtool, "--md5", name],
                cwd=samples,
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            )
            lines.append(out.stdout.strip())
        (db / "phigate-test.hdb").write_text("\n".join(lines) + "\n")

    def _ping_sync(self) -> bool:
        family = socket.AF_UNIX if self.tcp_port is None else socket.AF_INET
        address = str(self.socket_path) if self.tcp_port is None else ("127.0.0.1", self.tcp_port)
        try:
            with socket.socket(family, socket.SOCK_STREAM) as sock:
                sock.settimeout(1.0)
                sock.connect(address)
                sock.sendall(b"zPING\0")
                return sock.recv(16).rstrip(b"\0") == b"PONG"
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; the socket is gone afterwards."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        self.socket_path.unlink(missing_ok=True)

    def cleanup(self) -> None:
        """Stop and remove the directory (when this object made it)."""
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "<no log>"

    def __enter__(self) -> LocalClamd:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
