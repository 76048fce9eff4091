"""The database the tests run on: SQLite files (the default) or a private PostgreSQL server.

``PHIGATE_TEST_DB=postgresql`` runs the suite on PostgreSQL: the first test that asks for a
database starts a throwaway cluster (``initdb`` + ``pg_ctl`` in a temp directory, loopback
only, on a free port; as the ``postgres`` user when the tests run as root, because the server
refuses root), every test gets its own fresh database, dropped after it, and the cluster is
stopped at the end of the session. Nothing outside the temp directory is touched; an installed
system cluster is neither used nor needed, only the server binaries (Debian: ``postgresql``).

``make test`` runs the suite once on each (see the Makefile).
"""

from __future__ import annotations

import asyncio
import atexit
import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ENV = "PHIGATE_TEST_DB"
KINDS = ("sqlite", "postgresql")
# Where the server binaries are, when neither PATH nor Debian's layout has them.
BINDIR_ENV = "PHIGATE_TEST_PG_BINDIR"
SUPERUSER = "phigate"
# Speed over durability: the cluster lives for one test session.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "400",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
    "log_min_error_statement": "panic",
}


class DatabaseSetupError(RuntimeError):
    """The test database cannot be provided (one line: what to install or what failed)."""


def selected() -> str:
    """``sqlite`` or ``postgresql``, from ``$PHIGATE_TEST_DB`` (default sqlite)."""
    kind = os.environ.get(ENV, "sqlite").strip().lower() or "sqlite"
    if kind in ("postgres", "pg"):
        kind = "postgresql"
    if kind not in KINDS:
        raise DatabaseSetupError(f"{ENV}={kind!r}: expected one of {', '.join(KINDS)}")
    return kind


def on_postgresql() -> bool:
    return selected() == "postgresql"


def server_binaries() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``psql``.

    Raises:
        DatabaseSetupError: the server is not installed.
    """
    explicit = os.environ.get(BINDIR_ENV)
    candidates = [explicit] if explicit else []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))

    def version(path: str) -> int:
        match = re.search(r"/postgresql/(\d+)/", path)
        return int(match.group(1)) if match else 0

    # Debian keeps each major version's binaries out of PATH; the newest wins.
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    for directory in candidates:
        if all(os.access(Path(directory) / b, os.X_OK) for b in ("initdb", "pg_ctl", "psql")):
            return Path(directory)
    raise DatabaseSetupError(
        "PostgreSQL server not found (initdb, pg_ctl, psql): apt-get install postgresql"
        f" (or set {BINDIR_ENV})"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A private PostgreSQL cluster for one test session."""

    START_TIMEOUT = 60

    def __init__(self) -> None:
        self.bindir = server_binaries()
        self.user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise DatabaseSetupError(
                    "the tests run as root and PostgreSQL refuses root: they run it as the"
                    " user postgres, which does not exist (apt-get install postgresql makes it)"
                ) from None
        self.base = Path(tempfile.mkdtemp(prefix="phigate-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        if self.user is not None:
            os.chown(self.base, self.user.pw_uid, self.user.pw_gid)

    # -- processes ---------------------------------------------------------------------------

    def _run_as_owner(
        self, args: Sequence[str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, Any] = {}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
            env["HOME"] = str(self.base)
        return subprocess.run(
            args,
            cwd=self.base,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **kwargs,
        )

    def start(self) -> PostgresCluster:
        t0 = time.monotonic()
        done = self._run_as_owner(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            timeout=120,
        )
        if done.returncode != 0:
            raise DatabaseSetupError(f"initdb failed: {_last_line(done.stderr or done.stdout)}")
        for attempt in range(3):
            self.port = _free_port()
            options = " ".join(
                f"-c {key}={value}"
                for key, value in {
                    **SERVER_SETTINGS,
                    "port": str(self.port),
                    "unix_socket_directories": str(self.base),
                }.items()
            )
            done = self._run_as_owner(
                [
                    str(self.bindir / "pg_ctl"),
                    "start",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    str(self.START_TIMEOUT),
                    "-o",
                    options,
                ],
                timeout=self.START_TIMEOUT + 10,
            )
            if done.returncode == 0:
                break
            if attempt == 2:  # the port may have been taken meanwhile; else give up
                raise DatabaseSetupError(f"PostgreSQL did not start: {_last_line(self.log_tail())}")
        self.startup_seconds = time.monotonic() - t0
        return self

    def stop(self) -> None:
        if self.data.exists():
            self._run_as_owner(
                [str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate"],
                timeout=60,
            )
        shutil.rmtree(self.base, ignore_errors=True)

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # -- databases ---------------------------------------------------------------------------

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise DatabaseSetupError(f"psql {sql!r}: {_last_line(done.stderr)}")
        return done.stdout

    def url(self, name: str) -> str:
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def create_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        # FILE_COPY: a third of the default's (WAL_LOG) time for a small template.
        self.psql(f'CREATE DATABASE "{name}" STRATEGY = FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        # FORCE: a connection a test left open (a pool not disposed) must not keep it.
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


# -- the session's databases ---------------------------------------------------------------

_cluster: PostgresCluster | None = None
_cluster_error: DatabaseSetupError | None = None
_scopes: list[list[str]] = [[]]  # the innermost (last) scope owns newly created databases
_by_path: dict[tuple[str, str], str] = {}


def cluster() -> PostgresCluster:
    """The session's PostgreSQL cluster, started on first use."""
    global _cluster, _cluster_error
    if _cluster_error is not None:
        raise _cluster_error
    if _cluster is None:
        try:
            made = PostgresCluster()
        except DatabaseSetupError as err:
            _cluster_error = err
            raise
        try:
            _cluster = made.start()
        except (DatabaseSetupError, OSError, subprocess.SubprocessError) as err:
            made.stop()
            _cluster_error = DatabaseSetupError(str(err))
            raise _cluster_error from err
        atexit.register(stop_cluster)  # also when the session ends without pytest's hooks
    return _cluster


def stop_cluster() -> None:
    global _cluster
    if _cluster is not None:
        _cluster.stop()
        _cluster = None


def fresh_postgres_url() -> str:
    """A new empty PostgreSQL database, dropped when the current scope (test) ends."""
    server = cluster()
    name = server.create_database()
    _scopes[-1].append(name)
    return server.url(name)


def database_url(tmp_path: Path, name: str = "phigate.db") -> str:
    """The SQLAlchemy URL of a test's database: ``tmp_path/name`` on SQLite; on PostgreSQL a
    fresh database (the same one for the same ``tmp_path`` and ``name`` within a test)."""
    if not on_postgresql():
        return f"sqlite+aiosqlite:///{tmp_path / name}"
    key = (str(tmp_path), name)
    if key not in _by_path:
        _by_path[key] = fresh_postgres_url()
    return _by_path[key]


def push_scope() -> None:
    _scopes.append([])


def pop_scope() -> None:
    """Drop the databases made since the matching :func:`push_scope`."""
    names = _scopes.pop() if len(_scopes) > 1 else _scopes[0]
    dropped = set(names)
    for key in [k for k, v in _by_path.items() if v.rsplit("/", 1)[-1] in dropped]:
        del _by_path[key]
    while names:
        name = names.pop()
        if _cluster is not None:
            _cluster.drop_database(name)


# -- reaching a database from outside the code under test -----------------------------------


async def execute(url: str, statement: str, *args: Any) -> list[tuple[Any, ...]]:
    """One statement (``?`` placeholders) on the database at ``url``, from a connection of its
    own; its rows. On SQLite it runs in a worker thread: a blocking wait for the bridge's write
    lock would stop the very event loop that has to finish that write."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]

        def run() -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as conn:
                return conn.execute(statement, args).fetchall()

        return await asyncio.to_thread(run)
    import asyncpg

    numbered = itertools.count(1)
    pg_statement = re.sub(r"\?", lambda _: f"${next(numbered)}", statement)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        return [tuple(row) for row in await conn.fetch(pg_statement, *args)]
    finally:
        await conn.close()


def stored_bytes(url: str) -> bytes:
    """Everything the database at ``url`` keeps, as bytes to search for plaintext: the SQLite
    files (database, WAL, journal), or a data dump of the PostgreSQL database."""
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        files = [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-journal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    server = cluster()
    name = url.rsplit("/", 1)[-1]
    done = subprocess.run(
        [
            str(server.bindir / "pg_dump"),
            "--data-only",
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            SUPERUSER,
            name,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return done.stdout
