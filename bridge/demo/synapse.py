"""A real, throwaway Synapse homeserver for integration tests and `phigate demo`.

Each `SynapseServer` owns one directory (config, signing key, SQLite database, media store,
log) and one loopback port, so tests never share homeserver state. The process is started
with the test interpreter (`sys.executable`), which has matrix-synapse installed.
"""

from __future__ import annotations

import asyncio
import atexit
import copy
import hashlib
import hmac
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import weakref
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import yaml

__all__ = ["SynapseError", "SynapseServer", "free_port"]

# Generous: a cold start is ~2.5 s here, but a loaded 2-core CI box can be much slower.
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

_LIFTED = {"per_second": 1000, "burst_count": 1000}

# Settings every test homeserver gets (TESTING-NOTES.md). Tests may override any of them
# through `extra_config`, which is merged on top (nested mappings merge key by key).
_TEST_SETTINGS: dict[str, Any] = {
    "report_stats": False,
    "enable_registration": True,
    "enable_registration_without_verification": True,
    # Password hashing at the default 12 rounds costs ~0.25 s per register/login; 4 is the
    # minimum bcrypt accepts and keeps test logins instant.
    "bcrypt_rounds": 4,
    # Tests send bursts no real user would; the default limits would make them flaky.
    "rc_message": _LIFTED,
    "rc_registration": _LIFTED,
    "rc_room_creation": _LIFTED,
    "rc_admin_redaction": _LIFTED,
    "rc_joins": {"local": _LIFTED, "remote": _LIFTED},
    "rc_joins_per_room": _LIFTED,
    "rc_invites": {"per_room": _LIFTED, "per_user": _LIFTED, "per_issuer": _LIFTED},
    "rc_login": {"address": _LIFTED, "account": _LIFTED, "failed_attempts": _LIFTED},
    "rc_key_requests": _LIFTED,
    "rc_media_create": _LIFTED,
    "rc_profile": _LIFTED,
    "rc_reports": _LIFTED,
    "rc_delayed_event_mgmt": _LIFTED,
    "rc_3pid_validation": _LIFTED,
    "rc_federation": {"window_size": 1000, "sleep_limit": 1000, "reject_limit": 1000},
    # Synapse caches /sync responses for 2 minutes: a restarted client would get a stale
    # initial sync without its rooms.
    "caches": {"sync_response_cache_duration": 0},
    "enable_media_repo": True,
    "max_upload_size": "100M",
    # No outside network: never ask matrix.org for keys, and don't warn about it.
    "trusted_key_servers": [],
    "suppress_key_server_warning": True,
    "presence": {"enabled": False},
    "url_preview_enabled": False,
    # No to-device push to appservices: room keys reach the bot's device by its own /sync,
    # and with receive_ephemeral on (typing warnings) Synapse would otherwise push them in
    # transactions too (see TESTING-NOTES "Do not run both paths").
    "experimental_features": {
        "msc2409_to_device_messages_enabled": False,
        "msc3202_transaction_extensions": True,
    },
}


class SynapseError(RuntimeError):
    """The homeserver failed to start, or answered an API call with an error."""

    def __init__(self, message: str, status: int | None = None, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


def free_port() -> int:
    """A loopback port that was free a moment ago (the small race is fine for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            base[key] = _deep_merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


# --generate-config costs ~1.3 s (mostly importing Synapse). Its output differs between
# servers only in secrets and the signing key, so it is generated once per server name per
# test process and copied; every server still gets its own directory and database.
_template_lock = threading.Lock()
_templates: dict[str, tuple[dict[str, Any], bytes]] = {}
_template_root: Path | None = None


def _cleanup_templates() -> None:
    if _template_root is not None:
        shutil.rmtree(_template_root, ignore_errors=True)


# Servers whose process may still run: stopped at interpreter exit, so an interrupted test
# run (Ctrl-C, a fixture that never reached teardown) leaves no Synapse behind.
_live_servers: weakref.WeakSet[SynapseServer] = weakref.WeakSet()


@atexit.register
def _stop_live_servers() -> None:
    for server in list(_live_servers):
        server.stop()


def _generated_template(server_name: str) -> tuple[dict[str, Any], bytes]:
    """(parsed generated homeserver.yaml, signing key file bytes) for `server_name`."""
    global _template_root
    with _template_lock:
        if server_name in _templates:
            return _templates[server_name]
        if _template_root is None:
            _template_root = Path(tempfile.mkdtemp(prefix="synapse-template-"))
            atexit.register(_cleanup_templates)
        gen_dir = _template_root / server_name
        gen_dir.mkdir()
        config_path = gen_dir / "homeserver.yaml"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "synapse.app.homeserver",
                "--server-name",
                server_name,
                "--config-path",
                str(config_path),
                "--data-directory",
                str(gen_dir),
                "--generate-config",
                "--report-stats=no",
            ],
            # The cwd must not hold a module named like a stdlib one (e.g. synapse's own
            # package dir has `logging/`), or the child's imports break.
            cwd=gen_dir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            raise SynapseError(f"synapse --generate-config failed:\n{proc.stdout}\n{proc.stderr}")
        # Parsed, not appended to: the generated file lacks a trailing newline, and editing
        # a dict cannot land a key inside a comment.
        config = yaml.safe_load(config_path.read_text())
        signing_key = Path(config["signing_key_path"]).read_bytes()
        _templates[server_name] = (config, signing_key)
        return config, signing_key


def write_silent_appservice(path: Path, appservice_id: str) -> str:
    """Write a registration for an appservice nothing listens for (Synapse only needs a URL
    to push to, and retries quietly), owning ``@phigate…:clinic.test``; returns its as_token.
    For tests that act as the appservice's users without running PHI Gate."""
    as_token = secrets.token_urlsafe(24)
    registration = {
        "id": appservice_id,
        "url": "http://127.0.0.1:1",
        "as_token": as_token,
        "hs_token": secrets.token_urlsafe(24),
        "sender_localpart": "phigate-sender",
        "namespaces": {
            "users": [{"exclusive": True, "regex": "@phigate.*:clinic\\.test"}],
            "aliases": [],
            "rooms": [],
        },
        "rate_limited": False,
    }
    path.write_text(yaml.safe_dump(registration))
    return as_token


class SynapseServer:
    """One Synapse process on 127.0.0.1 with SQLite, living in `base_dir`."""

    def __init__(
        self,
        base_dir: Path,
        server_name: str = "clinic.test",
        app_service_config_files: Sequence[Path] = (),
        extra_config: Mapping[str, Any] | None = None,
        *,
        port: int | None = None,
    ) -> None:
        self.base_dir = Path(base_dir)
        self.server_name = server_name
        self.app_service_config_files = [Path(p).resolve() for p in app_service_config_files]
        self.extra_config: Mapping[str, Any] = extra_config or {}
        self.port = port or 0
        self.config_path = self.base_dir / "homeserver.yaml"
        self.log_path = self.base_dir / "homeserver.log"
        self.config: dict[str, Any] = {}
        self.startup_seconds: float | None = None  # of the most recent start()/restart()
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_offset = 0
        self._admin: tuple[str, str] | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> SynapseServer:
        """Write the config (first start only) and launch; returns once the API answers."""
        if self.running:
            raise SynapseError("Synapse is already running")
        t0 = time.monotonic()
        if not self.config_path.exists():
            self._write_config()
        else:
            self.config = yaml.safe_load(self.config_path.read_text())
        _live_servers.add(self)
        self._launch()
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if Synapse has not exited within STOP_TIMEOUT."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(STOP_TIMEOUT)

    def restart(self) -> None:
        """Stop and start again on the same port with the same data."""
        self.stop()
        self.start()

    async def start_async(self) -> SynapseServer:
        # In a thread, so an appservice running on the test's event loop keeps serving.
        return await asyncio.to_thread(self.start)

    async def stop_async(self) -> None:
        await asyncio.to_thread(self.stop)

    async def restart_async(self) -> None:
        await asyncio.to_thread(self.restart)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "<no log>"
        return "\n".join(text.splitlines()[-lines:])

    def _write_config(self) -> None:
        template, signing_key = _generated_template(self.server_name)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        base = self.base_dir.resolve()
        key_path = base / f"{self.server_name}.signing.key"
        key_path.write_bytes(signing_key)
        if not self.port:
            self.port = free_port()
        config = copy.deepcopy(template)
        config.update(
            {
                "pid_file": str(base / "homeserver.pid"),
                "listeners": [
                    {
                        "port": self.port,
                        "bind_addresses": ["127.0.0.1"],
                        "type": "http",
                        "tls": False,
                        "x_forwarded": False,
                        "resources": [{"names": ["client", "federation"], "compress": False}],
                    }
                ],
                "database": {"name": "sqlite3", "args": {"database": str(base / "homeserver.db")}},
                "media_store_path": str(base / "media_store"),
                "signing_key_path": str(key_path),
                "app_service_config_files": [str(p) for p in self.app_service_config_files],
            }
        )
        # Without log_config Synapse logs to stderr at INFO, which goes to log_path.
        config.pop("log_config", None)
        _deep_merge(config, copy.deepcopy(_TEST_SETTINGS))
        _deep_merge(config, self.extra_config)
        self.config = config
        self.config_path.write_text(yaml.safe_dump(config, sort_keys=False))

    def _command(self) -> list[str]:
        """The homeserver's command line (a federating test server wraps it in a launcher)."""
        return [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)]

    def _launch(self) -> None:
        self._log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self._command(),
                cwd=self.base_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            code = self._proc.poll()
            if code is not None:
                self._proc = None
                raise SynapseError(f"Synapse exited with {code} at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=2):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SynapseError(
                    f"Synapse did not answer within {STARTUP_TIMEOUT}s:\n{self.log_tail()}"
                )
            time.sleep(0.05)

    # ------------------------------------------------------------------ HTTP API

    def api(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        params: Mapping[str, str] | None = None,
        expect: Sequence[int] = (200,),
    ) -> Any:
        """Blocking JSON call. Don't use it while this test's event loop must serve Synapse
        (e.g. an appservice on the same loop): use `api_async` there."""
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        return self._decode(method, path, status, raw, expect)

    async def api_async(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        params: Mapping[str, str] | None = None,
        expect: Sequence[int] = (200,),
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method, self.url + path, json=body, params=params, headers=headers
            ) as resp,
        ):
            raw = await resp.read()
            return self._decode(method, path, resp.status, raw, expect)

    @staticmethod
    def _decode(method: str, path: str, status: int, raw: bytes, expect: Sequence[int]) -> Any:
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        if status not in expect:
            raise SynapseError(f"{method} {path} -> {status}: {payload}", status, payload)
        return payload

    # ------------------------------------------------------------------ users

    def user_id(self, localpart: str) -> str:
        return localpart if localpart.startswith("@") else f"@{localpart}:{self.server_name}"

    def register_user(
        self, localpart: str, password: str = "pw", admin: bool = False
    ) -> tuple[str, str]:
        """Register a user; returns (user_id, access_token)."""
        if admin:
            return self._register_admin(localpart, password)
        resp = self.api(
            "POST",
            "/_matrix/client/v3/register",
            {
                "username": localpart,
                "password": password,
                "auth": {"type": "m.login.dummy"},
                "inhibit_login": False,
            },
        )
        return resp["user_id"], resp["access_token"]

    async def register_user_async(
        self, localpart: str, password: str = "pw", admin: bool = False
    ) -> tuple[str, str]:
        if admin:
            return await asyncio.to_thread(self._register_admin, localpart, password)
        resp = await self.api_async(
            "POST",
            "/_matrix/client/v3/register",
            {"username": localpart, "password": password, "auth": {"type": "m.login.dummy"}},
        )
        return resp["user_id"], resp["access_token"]

    def _register_admin(self, localpart: str, password: str) -> tuple[str, str]:
        # Shared-secret registration: the only way to make an admin without the database.
        path = "/_synapse/admin/v1/register"
        nonce = self.api("GET", path)["nonce"]
        mac = hmac.new(
            self.config["registration_shared_secret"].encode(),
            b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), b"admin"]),
            hashlib.sha1,
        ).hexdigest()
        resp = self.api(
            "POST",
            path,
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": True,
                "mac": mac,
            },
        )
        return resp["user_id"], resp["access_token"]

    @property
    def admin_user(self) -> tuple[str, str]:
        """(user_id, access_token) of a server admin, registered on first use."""
        if self._admin is None:
            self._admin = self._register_admin("harness-admin", "harness-admin-pw")
        return self._admin

    @property
    def admin_token(self) -> str:
        return self.admin_user[1]

    def __repr__(self) -> str:
        return f"<SynapseServer {self.server_name} {self.url} dir={self.base_dir}>"
