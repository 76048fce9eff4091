"""``phigate demo``: PHI Gate's main job, self-contained, on this machine.

In one directory (wiped and recreated) it starts a throwaway Synapse on loopback with PHI Gate
registered, runs PHI Gate in this process, creates an admin, a staff member, a vendor rep and a
patient, plays :data:`bridge.demo.script.SCRIPT` and prints what happened — each message, the
decision as the homeserver now serves it, and why — then verifies the audit chain. Unless
``--exit`` is given it then keeps running, with logins printed, so a person can try it in
Element, until Ctrl-C.

Errors are one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import secrets
import shutil
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bridge.demo.script import DOMAIN, PEOPLE, SCRIPT
from bridge.demo.synapse import SynapseError, SynapseServer, free_port
from bridge.demo.transcript import Transcript

if TYPE_CHECKING:  # the CLI imports this module for its options: keep that light
    from bridge.demo.client import DemoClient
    from bridge.demo.player import Outcome

DEFAULT_DIR = Path("demo-data")
DEFAULT_PORT = 8008
MARKER = ".phigate-demo"
EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130

log = logging.getLogger(__name__)


class DemoError(Exception):
    """Stops the demo with one line on stderr and exit code 1."""


# --- command line -------------------------------------------------------------------------------


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--exit",
        action="store_true",
        help="stop after the scripted conversation instead of running until Ctrl-C",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help=f"working directory, wiped and recreated at start (default ./{DEFAULT_DIR})",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help=f"homeserver port on 127.0.0.1 (default {DEFAULT_PORT}, or a free one if taken)",
    )


def demo_main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(run_demo(args))
    except KeyboardInterrupt:  # before the signal handlers are in place
        return EXIT_INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="phigate demo", description="Run PHI Gate's main job on a throwaway homeserver."
    )
    add_demo_arguments(parser)
    return demo_main(parser.parse_args(argv))


# --- the run ------------------------------------------------------------------------------------


@dataclass
class Deployment:
    base: Path
    port: int
    config_path: Path
    registration_path: Path
    log_path: Path
    passwords: dict[str, str] = field(default_factory=dict)
    synapse: SynapseServer | None = None
    bridge: Any = None  # PhiGateBridge, imported lazily (heavy)
    clients: dict[str, DemoClient] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def run_demo(args: argparse.Namespace) -> int:
    t = Transcript()
    started = time.monotonic()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    d: Deployment | None = None
    stopping = False
    try:
        d = _prepare(args, t)
        work = asyncio.ensure_future(_start_and_play(d, t, started))
        stopped = asyncio.ensure_future(stop.wait())
        await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await work
            t.line()
            t.line(t.style("Interrupted: shutting down.", "yellow"))
            return EXIT_INTERRUPTED
        stopped.cancel()
        try:
            outcome = work.result()
        except Exception:
            if stop.is_set():  # Ctrl-C also reaches Synapse, which may go first
                t.line(t.style("Interrupted: shutting down.", "yellow"))
                return EXIT_INTERRUPTED
            raise
        code = _conclude(t, d, outcome, started)
        if args.exit:
            return code
        _print_try_it(t, d)
        await stop.wait()
        t.line()
        t.line("Stopping PHI Gate and Synapse…")
        stopping = True
        return code
    except DemoError as e:
        t.error(str(e))
        return EXIT_FAILED
    except Exception as e:  # one line for people; the traceback goes to the log
        log.exception("demo failed")
        where = f" (details in {d.log_path})" if d is not None else ""
        t.error(f"{_first_line(e)}{where}")
        return EXIT_FAILED
    finally:
        if d is not None:
            await _shutdown(d)
        if stopping:
            t.line(
                "Stopped. The data stays in " + str(d.base if d else "") + " until the next demo."
            )
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def _prepare(args: argparse.Namespace, t: Transcript) -> Deployment:
    """The working directory, the port, PHI Gate's config, audit key and registration."""
    base = Path(args.dir).expanduser().resolve()
    port = _choose_port(args.port)
    wiped = _reset_directory(base)
    _log_to_file(base / "phigate.log")
    d = Deployment(
        base=base,
        port=port,
        config_path=base / "phigate" / "config.yaml",
        registration_path=base / "phigate" / "registration.yaml",
        log_path=base / "phigate.log",
        passwords={p.key: f"{p.localpart}-{secrets.token_hex(3)}" for p in PEOPLE},
    )
    _write_phigate_files(d)
    t.title("PHI Gate demo — a medical practice's chat, gated")
    t.field("data", f"{base}  ({'wiped and recreated' if wiped else 'created'} for this run)")
    if args.port is None and port != DEFAULT_PORT:
        t.field("port", f"{DEFAULT_PORT} is busy on 127.0.0.1, so the homeserver uses {port}")
    return d


def _choose_port(requested: int | None) -> int:
    if requested is not None:
        if not 0 < requested < 65536:
            raise DemoError(f"--port {requested} is not a TCP port")
        if not _port_free(requested):
            raise DemoError(f"port {requested} on 127.0.0.1 is busy; choose another with --port")
        return requested
    return DEFAULT_PORT if _port_free(DEFAULT_PORT) else free_port()


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As Synapse binds: a port left in TIME_WAIT by a previous run is free to use.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _reset_directory(base: Path) -> bool:
    """Wipe and recreate ``base`` — only if a previous demo made it (or it is empty): the
    demo must never delete a directory someone pointed it at by mistake."""
    existed = base.exists()
    if existed:
        if not base.is_dir():
            raise DemoError(f"{base} exists and is not a directory")
        if any(base.iterdir()) and not (base / MARKER).exists():
            raise DemoError(
                f"{base} is not empty and was not made by `phigate demo`; "
                "refusing to wipe it (choose another --dir)"
            )
        try:
            shutil.rmtree(base)
        except OSError as e:
            raise DemoError(f"cannot wipe {base}: {e.strerror}") from None
    try:
        base.mkdir(parents=True)
        (base / MARKER).write_text("made by `phigate demo`; wiped at every demo start\n")
    except OSError as e:
        raise DemoError(f"cannot create {base}: {e.strerror}") from None
    return existed


def _log_to_file(path: Path) -> None:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # mautrix logs request bodies at DEBUG: message content must never reach the logs.
    logging.getLogger("phigate.mautrix").setLevel(logging.INFO)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.captureWarnings(True)


def _write_phigate_files(d: Deployment) -> None:
    from bridge.demo.deploy import write_deployment

    d.config_path.parent.mkdir(parents=True)

    def with_prepersist(raw: dict[str, Any]) -> None:
        # The homeserver asks PHI Gate before it stores an event: blocked means refused.
        raw["antispam"]["enabled"] = True

    write_deployment(
        d.config_path.parent,
        domain=DOMAIN,
        admins=[p.user_id for p in PEOPLE if p.key == "admin"],
        # The workforce by name: the vendor's and the patient's accounts on the same server
        # are not staff even before anyone links or registers them.
        staff=[p.user_id for p in PEOPLE if p.role == "staff"],
        homeserver_url=d.url,
        avoid_ports={d.port},
        settings=with_prepersist,
    )


async def _start_and_play(d: Deployment, t: Transcript, started: float) -> Outcome:
    from bridge.config import load_config
    from bridge.demo.client import DemoClient
    from bridge.demo.player import Player
    from bridge.matrix.runtime import PhiGateBridge
    from bridge.synapse_config import synapse_config

    # Exactly what `phigate synapse-config` prints for this deployment.
    additions = synapse_config(load_config(d.config_path), d.registration_path)
    files = [Path(f) for f in additions.pop("app_service_config_files")]
    d.synapse = SynapseServer(
        d.base / "synapse",
        server_name=DOMAIN,
        app_service_config_files=files,
        extra_config=additions,
        port=d.port,
    )
    try:
        await d.synapse.start_async()
    except SynapseError as e:
        if "Address already in use" in str(e):
            raise DemoError(
                f"Synapse could not listen on 127.0.0.1:{d.port}: the port is busy "
                "(choose another with --port)"
            ) from None
        raise DemoError(
            f"Synapse did not start: {_first_line(e).rstrip(':')} (log: {d.synapse.log_path})"
        ) from None
    t.field(
        "Synapse",
        f"{DOMAIN} at {d.url}, up in {d.synapse.startup_seconds or 0:.1f} s",
    )

    tokens: dict[str, tuple[str, str]] = {}
    for person in PEOPLE:
        tokens[person.key] = await d.synapse.register_user_async(
            person.localpart, d.passwords[person.key]
        )

    config = load_config(d.config_path)
    d.bridge = PhiGateBridge(config)
    try:
        await d.bridge.start(homeserver_wait_seconds=15)
    except Exception as e:
        log.exception("PHI Gate did not start")
        raise DemoError(f"PHI Gate did not start: {_first_line(e)} (log: {d.log_path})") from None
    t.field(
        "PHI Gate",
        f"{config.bot_user_id} in-process, control room {config.organization.control_room}",
    )
    t.wrapped(
        "people", " · ".join(f"{p.localpart} ({p.role})" for p in PEOPLE) + f"  — all @…:{DOMAIN}"
    )

    for person in PEOPLE:
        client = DemoClient(
            d.url,
            tokens[person.key][0],
            d.passwords[person.key],
            d.base / "clients" / person.localpart,
        )
        d.clients[person.key] = client
        await client.start()
        await client.set_display_name(person.display_name)
    setup = time.monotonic() - started
    t.field("ready", f"after {setup:.1f} s; every person is a real client with an encrypted device")
    t.line()
    t.wrapped(
        "how to read",
        "each message shows who wrote what where, then what the homeserver serves now: "
        "ALLOWED (delivered as sent) or BLOCKED (redacted by PHI Gate), with PHI Gate's reason "
        "and the notice it posted in the room.",
    )

    player = Player(d.bridge, d.clients, t, d.config_path)
    return await player.play(SCRIPT)


def _conclude(t: Transcript, d: Deployment, outcome: Outcome, started: float) -> int:
    elapsed = time.monotonic() - started
    blocked, allowed = outcome.counts["BLOCKED"], outcome.counts["ALLOWED"]
    t.line()
    t.title("Summary")
    as_expected = not outcome.unexpected
    t.field(
        "messages",
        f"{blocked + allowed}: {blocked} blocked, {allowed} allowed — "
        + (
            t.style("every decision as the script expects", "green")
            if as_expected
            else t.style(
                f"unexpected decision at step {', '.join(map(str, outcome.unexpected))}", "red"
            )
        ),
    )
    t.field(
        "audit",
        t.style("chain intact", "green")
        if outcome.audit_ok
        else t.style("verification FAILED", "red"),
    )
    t.field("time", f"{elapsed:.1f} s for the whole run")
    t.line()
    t.title("Logins (homeserver " + d.url + ")")
    for person in PEOPLE:
        t.line(f"  {person.user_id:<28}password {d.passwords[person.key]:<22}{person.role}")
    return EXIT_OK if as_expected and outcome.audit_ok else EXIT_FAILED


def _print_try_it(t: Transcript, d: Deployment) -> None:
    t.line()
    t.title("Try it yourself — PHI Gate keeps running")
    t.line("  1. Open Element (Element Desktop, or https://app.element.io) and choose Sign in.")
    t.line(f"  2. Edit the homeserver and enter {t.style(d.url, 'bold')}")
    t.line("  3. Sign in with a username and password above, e.g. drsmith; as admin, type")
    t.line('     !help in the room "PHI Gate control". Send PHI into the Acme room and watch.')
    t.line("     (The script's messages were encrypted for the script's own devices, so Element")
    t.line("     cannot decrypt those; what you send from Element is gated as shown above.)")
    t.line(f"  Files: {d.base}  (Synapse log synapse/homeserver.log, PHI Gate log phigate.log)")
    t.line(t.style("  Press Ctrl-C to stop.", "bold"))


async def _shutdown(d: Deployment) -> None:
    for client in d.clients.values():
        await client.close()
    if d.bridge is not None:
        try:
            await d.bridge.stop()
        except Exception:
            log.exception("stopping PHI Gate")
    if d.synapse is not None:
        await d.synapse.stop_async()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
