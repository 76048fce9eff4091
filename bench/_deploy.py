"""A throwaway PHI Gate deployment for benchmarks: Synapse (SQLite, loopback, its own
directory) with PHI Gate registered, the bridge running either as a subprocess
(``python -m bridge run -c config.yaml``, the realistic set-up: it has its own core) or in the
caller's event loop, and clients for the users.

Everything listens on 127.0.0.1. `Deployment` is an async context manager: leaving it (also by
an exception or a cancellation) stops the clients, the bridge and Synapse. Processes still
alive at interpreter exit are killed too.

Two kinds of client: `MatrixUser`, deliberately thin (aiohttp, raw JSON) for observers, so a
benchmark times the homeserver and the bridge, not a client library's parsing; and `DemoClient`,
matrix-nio with E2EE and a background /sync, for users who must send or read encrypted
messages (the demo's client). The admin's bot commands go through one (the control room is
encrypted).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import itertools
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bridge.config import Config, load_config  # noqa: E402
from bridge.demo.client import DemoClient  # noqa: E402
from bridge.demo.deploy import point_at, write_deployment  # noqa: E402
from bridge.demo.synapse import SynapseServer  # noqa: E402
from bridge.demo.waiting import wait_for  # noqa: E402
from bridge.synapse_config import synapse_config  # noqa: E402

__all__ = ["DOMAIN", "BridgeMode", "DemoClient", "Deployment", "MatrixError", "MatrixUser"]

DOMAIN = "clinic.test"
PASSWORD = "pw"
BRIDGE_START_TIMEOUT = 60.0
BRIDGE_STOP_TIMEOUT = 15.0
READY_LINE = "PHI Gate is running"
MEGOLM = {"algorithm": "m.megolm.v1.aes-sha2"}

BridgeMode = Literal["subprocess", "in-process"]
T = TypeVar("T")


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


class MatrixError(RuntimeError):
    pass


class MatrixUser:
    """One logged-in user over the raw client-server API, with its own HTTP session."""

    _txn = itertools.count()

    def __init__(self, homeserver: str, user_id: str, access_token: str) -> None:
        self.homeserver = homeserver
        self.user_id = user_id
        self.access_token = access_token
        self._session = aiohttp.ClientSession(
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=aiohttp.ClientTimeout(total=120),
        )

    async def close(self) -> None:
        await self._session.close()

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> Any:
        async with self._session.request(
            method, self.homeserver + path, json=body, params=params
        ) as resp:
            payload = await resp.json(content_type=None)
            if resp.status not in expect:
                raise MatrixError(f"{method} {path} -> {resp.status}: {payload}")
            return payload

    async def send(
        self, room_id: str, content: dict[str, Any], etype: str = "m.room.message"
    ) -> str:
        txn = f"bench-{os.getpid()}-{next(self._txn)}"
        path = f"/_matrix/client/v3/rooms/{_q(room_id)}/send/{etype}/{txn}"
        return (await self.request("PUT", path, content))["event_id"]

    async def send_text(self, room_id: str, body: str) -> str:
        return await self.send(room_id, {"msgtype": "m.text", "body": body})

    async def join(self, room_id: str) -> None:
        await self.request("POST", f"/_matrix/client/v3/join/{_q(room_id)}", {})

    async def create_room(
        self, invite: list[str], power_users: dict[str, int] | None = None, name: str = ""
    ) -> str:
        """A private room. Room version 12: the creator must not be in ``power_users``."""
        body: dict[str, Any] = {"preset": "private_chat", "invite": invite}
        if name:
            body["name"] = name
        if power_users:
            body["power_level_content_override"] = {"users": power_users}
        return (await self.request("POST", "/_matrix/client/v3/createRoom", body))["room_id"]

    async def state(self, room_id: str, etype: str, state_key: str = "") -> dict[str, Any] | None:
        path = f"/_matrix/client/v3/rooms/{_q(room_id)}/state/{etype}/{_q(state_key)}"
        async with self._session.get(self.homeserver + path) as resp:
            return await resp.json(content_type=None) if resp.status == 200 else None

    async def messages(self, room_id: str, limit: int = 20) -> list[dict[str, Any]]:
        """Raw events, newest first."""
        path = f"/_matrix/client/v3/rooms/{_q(room_id)}/messages"
        body = await self.request("GET", path, params={"dir": "b", "limit": str(limit)})
        return body["chunk"]

    async def resolve_alias(self, alias: str) -> str | None:
        path = f"/_matrix/client/v3/directory/room/{_q(alias)}"
        async with self._session.get(self.homeserver + path) as resp:
            if resp.status != 200:
                return None
            return (await resp.json(content_type=None))["room_id"]

    async def sync_raw(
        self, since: str | None, timeout_ms: int, sync_filter: str
    ) -> tuple[bytes, float]:
        """One /sync; returns (raw body, perf_counter() when the body was read)."""
        params = {"timeout": str(timeout_ms), "filter": sync_filter, "set_presence": "offline"}
        if since:
            params["since"] = since
        async with self._session.get(
            self.homeserver + "/_matrix/client/v3/sync", params=params
        ) as resp:
            raw = await resp.read()
            arrived = time.perf_counter()
            if resp.status != 200:
                raise MatrixError(f"/sync -> {resp.status}: {raw[:300]!r}")
            return raw, arrived


class AdminConsole:
    """The admin in the control room (which may be encrypted: nio handles either case)."""

    def __init__(self, admin: DemoClient, room_id: str, bot: str) -> None:
        self.admin = admin
        self.room_id = room_id
        self.bot = bot

    async def start(self) -> None:
        await self.admin.join_room(self.room_id)
        await self.admin.wait_room(self.room_id, [self.bot])

    async def command(self, text: str, *expect: str, timeout: float = 30.0) -> str:
        """Send a command; return the first new bot notice holding every word of ``expect``
        (case-insensitive). Other notices (alerts the bot posts meanwhile) are skipped."""
        before = len(self.admin.notices_from(self.room_id, self.bot))
        await self.admin.send_text(self.room_id, text)

        def reply() -> str | None:
            new = self.admin.notices_from(self.room_id, self.bot)[before:]
            return next((r for r in new if all(w.lower() in r.lower() for w in expect)), None)

        try:
            return await self.admin.wait(reply, timeout, "")
        except TimeoutError:
            seen = self.admin.notices_from(self.room_id, self.bot)[before:] or ["nothing"]
            raise MatrixError(
                f"no reply with {list(expect)} to {text!r} in {timeout:.0f} s; the bot said: "
                + " | ".join(seen)
                + f" (events the admin could not decrypt: {len(self.admin.undecrypted)})"
            ) from None


# Bridge processes still alive at interpreter exit (e.g. after a hard error) are killed.
_live_bridges: weakref.WeakSet[BridgeProcess] = weakref.WeakSet()


@atexit.register
def _kill_live_bridges() -> None:
    for bridge in list(_live_bridges):
        bridge.kill()


class BridgeProcess:
    """``python -m bridge run -c config.yaml`` in its own session, logging to a file."""

    def __init__(self, config_path: Path, log_path: Path) -> None:
        self.config_path = config_path
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "bridge", "run", "-c", str(self.config_path)],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C in the terminal reaches the benchmark, which then
                # stops the bridge in order (after its clients), not the bridge directly.
                start_new_session=True,
            )
        _live_bridges.add(self)
        deadline = time.monotonic() + BRIDGE_START_TIMEOUT
        while READY_LINE not in self.log_path.read_text(errors="replace"):
            code = self._proc.poll()
            if code is not None:
                raise RuntimeError(f"the bridge exited with {code} at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the bridge was not ready in time:\n{self.log_tail()}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """SIGINT (the CLI stops the bridge cleanly), then SIGKILL if it lingers."""
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(proc.wait, BRIDGE_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(BRIDGE_STOP_TIMEOUT)

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return "<no log>"


class Deployment:
    """Synapse + PHI Gate in ``base``; the admin is ``@admin:clinic.test``."""

    def __init__(
        self,
        base: Path,
        *,
        bridge_mode: BridgeMode = "subprocess",
        users: tuple[str, ...] = (),
        config_extra: Callable[[dict[str, Any]], None] | None = None,
        synapse_extra: dict[str, Any] | None = None,
        prepersist: bool = False,
    ) -> None:
        self.prepersist = prepersist
        self.base = Path(base)
        self.bridge_mode = bridge_mode
        self._preregister = ("admin", *users)
        self._config_extra = config_extra
        self._synapse_extra = synapse_extra or {}
        self.synapse: SynapseServer | None = None
        self.config: Config | None = None
        self.config_path = self.base / "phigate" / "config.yaml"
        self._bridge_proc: BridgeProcess | None = None
        self._bridge_obj: Any = None  # PhiGateBridge, in-process mode
        self._log_handler: logging.Handler | None = None
        self._tokens: dict[str, str] = {}
        self._users: dict[str, MatrixUser] = {}
        self._nio_users: dict[str, DemoClient] = {}
        self.control_room: str | None = None
        self._console: AdminConsole | None = None
        self.timings: dict[str, float] = {}

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Deployment:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        t0 = time.perf_counter()
        registration_path = self._write_phigate_files()
        # The homeserver.yaml additions `phigate synapse-config` prints (with the pre-persist
        # module when ``prepersist``), then the bench's own.
        additions = synapse_config(load_config(self.config_path), registration_path)
        additions.pop("app_service_config_files")
        self.synapse = SynapseServer(
            self.base / "synapse",
            DOMAIN,
            app_service_config_files=[registration_path],
            extra_config={**additions, **self._synapse_extra},
        )
        await asyncio.to_thread(self.synapse.start)
        self.timings["synapse_start_s"] = time.perf_counter() - t0
        self.config = point_at(self.config_path, self.synapse.url)
        # Users registered before the bridge starts: the admin must exist to be invited to
        # the control room it creates.
        for localpart in self._preregister:
            _, self._tokens[localpart] = await asyncio.to_thread(
                self.synapse.register_user, localpart, PASSWORD
            )
        t1 = time.perf_counter()
        if self.bridge_mode == "subprocess":
            self._bridge_proc = BridgeProcess(
                self.config_path, self.base / "phigate" / "bridge.log"
            )
            await self._bridge_proc.start()
        else:
            from bridge.matrix.runtime import PhiGateBridge

            # The bridge's log goes to the same file as in subprocess mode, not to stdout.
            self._log_handler = logging.FileHandler(self.base / "phigate" / "bridge.log")
            self._log_handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            logging.getLogger().addHandler(self._log_handler)
            logging.getLogger().setLevel(logging.INFO)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            self._bridge_obj = PhiGateBridge(self.config)
            await self._bridge_obj.start()
        self.timings["bridge_start_s"] = time.perf_counter() - t1
        admin = await self.user("admin")
        alias = self.config.organization.control_room
        room = await admin.resolve_alias(alias) if alias.startswith("#") else alias
        if not room:
            raise RuntimeError(f"control room {alias} does not exist after the bridge started")
        self.control_room = room
        self._console = AdminConsole(await self.nio_user("admin"), room, self.bot)
        await self._console.start()

    async def stop(self) -> None:
        self._console = None
        for user in [*self._nio_users.values(), *self._users.values()]:
            with contextlib.suppress(Exception):
                await user.close()
        self._users.clear()
        self._nio_users.clear()
        if self._bridge_proc is not None:
            await self._bridge_proc.stop()
        if self._bridge_obj is not None:
            with contextlib.suppress(Exception):
                await self._bridge_obj.stop()
            self._bridge_obj = None
        if self._log_handler is not None:
            logging.getLogger().removeHandler(self._log_handler)
            self._log_handler.close()
            self._log_handler = None
        if self.synapse is not None:
            await asyncio.to_thread(self.synapse.stop)

    def _write_phigate_files(self) -> Path:
        def settings(raw: dict[str, Any]) -> None:
            raw["encryption"]["key_wait_seconds"] = 10
            raw["antispam"]["enabled"] = self.prepersist
            if self._config_extra:
                self._config_extra(raw)

        _, registration_path = write_deployment(
            self.config_path.parent,
            domain=DOMAIN,
            admins=[f"@admin:{DOMAIN}"],
            settings=settings,
        )
        return registration_path

    # --- users and rooms ---------------------------------------------------------------------

    @property
    def bot(self) -> str:
        assert self.config is not None
        return self.config.bot_user_id

    async def _registered(self, localpart: str) -> str:
        assert self.synapse is not None
        if localpart not in self._tokens:
            _, self._tokens[localpart] = await self.synapse.register_user_async(localpart, PASSWORD)
        return self._tokens[localpart]

    async def user(self, localpart: str) -> MatrixUser:
        """A raw-API client for a local user, registered on first use."""
        assert self.synapse is not None
        if localpart not in self._users:
            token = await self._registered(localpart)
            self._users[localpart] = MatrixUser(
                self.synapse.url, self.synapse.user_id(localpart), token
            )
        return self._users[localpart]

    async def nio_user(self, localpart: str) -> DemoClient:
        """An E2EE matrix-nio client (its own device) for a local user, syncing."""
        assert self.synapse is not None
        if localpart not in self._nio_users:
            await self._registered(localpart)
            if not self._nio_users:
                # nio warns about olm sessions it sets up as it goes: no place in a bench's output.
                logging.getLogger("nio").setLevel(logging.ERROR)
            user = DemoClient(
                self.synapse.url,
                self.synapse.user_id(localpart),
                PASSWORD,
                self.base / "nio" / localpart,
                device_name="bench",
            )
            await user.start()
            self._nio_users[localpart] = user
        return self._nio_users[localpart]

    async def command(self, text: str, *expect: str) -> str:
        """Send a bot command to the control room as the admin; return the bot's reply (the
        first new notice holding every word of ``expect``)."""
        assert self._console is not None
        return await self._console.command(text, *expect)

    async def staff_room(
        self, owner: DemoClient, invite: list[str], *, encrypted: bool, bot_power: int = 50
    ) -> str:
        """A room created by staff, the bot invited at ``bot_power`` (50: moderator)."""
        return await owner.create_room(
            "bench", [self.bot, *invite], power_users={self.bot: bot_power}, encrypted=encrypted
        )

    async def wait_gate(
        self,
        client: MatrixUser,
        room_id: str,
        state: str,
        check: Callable[[dict[str, Any]], bool] = lambda _: True,
    ) -> dict[str, Any]:
        async def gate() -> dict[str, Any] | None:
            content = await client.state(room_id, "org.phigate.gate")
            return content if content and content.get("state") == state and check(content) else None

        return await wait_for(gate, f"the gate never became {state}", timeout=15.0)

    def bridge_log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            text = (self.base / "phigate" / "bridge.log").read_text(errors="replace")
            return "\n".join(text.splitlines()[-lines:])
        return ""
