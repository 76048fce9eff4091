"""The files of a throwaway PHI Gate deployment on loopback (demo, benches, tests)."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import yaml

from bridge.audit import generate_key_file
from bridge.config import Config, load_config, registration, render_new_config
from bridge.demo.synapse import free_port

RawConfig = dict[str, Any]

# An empty database for a throwaway deployment instead of a SQLite file in its directory
# (a SQLAlchemy URL, e.g. postgresql+asyncpg://phigate@127.0.0.1:5432/demo).
DATABASE_ENV = "PHIGATE_DEMO_DATABASE"


def database_url(base: Path) -> str:
    """The database of the deployment in ``base``: ``$PHIGATE_DEMO_DATABASE`` if set, else
    ``base/phigate.db``. (The tests replace this function to give each deployment a fresh
    PostgreSQL database.)"""
    return os.environ.get(DATABASE_ENV) or f"sqlite+aiosqlite:///{base / 'phigate.db'}"


def write_deployment(
    base: Path,
    *,
    domain: str,
    admins: list[str],
    staff: list[str] | None = None,
    homeserver_url: str | None = None,
    avoid_ports: Collection[int] = (),
    settings: Callable[[RawConfig], None] | None = None,
) -> tuple[Path, Path]:
    """Write ``config.yaml`` (fresh secrets), the audit key and ``registration.yaml`` in ``base``.

    Args:
        base: the deployment's directory (created).
        domain: the homeserver's server name.
        admins: who may run bot commands.
        staff: the workforce (organization.staff_users); None: every account on the domain
            is staff (staff_by_domain, for test deployments whose users all stand for staff).
        homeserver_url: where the homeserver listens, if already known (see :func:`point_at`).
        avoid_ports: ports the appservice must not take (e.g. the homeserver's).
        settings: a last word on the raw config before it is written.

    Returns:
        (config path, registration path), both mode 0600.
    """
    base.mkdir(parents=True, exist_ok=True)
    raw = yaml.safe_load(render_new_config(domain=domain, homeserver=homeserver_url))
    port = free_port()
    while port in avoid_ports:
        port = free_port()
    raw["appservice"]["port"] = port
    raw["appservice"]["address"] = f"http://127.0.0.1:{port}"
    raw["database"] = database_url(base)
    raw["organization"]["admins"] = admins
    if staff is None:
        raw["organization"]["staff_by_domain"] = True
    else:
        raw["organization"]["staff_users"] = staff
    raw["organization"]["baa_record_url"] = f"https://compliance.{domain}/baa/{{vendor}}"
    # The demo shows, and the tests exercise, the two-step change: what it will do, then
    # !confirm (organization.confirm_changes; one step by default).
    raw["organization"]["confirm_changes"] = True
    raw["encryption"]["key_wait_seconds"] = 2
    if settings:
        settings(raw)
    config_path = base / "config.yaml"
    _write_private(config_path, yaml.safe_dump(raw, sort_keys=False))
    generate_key_file(base / "audit.key")
    registration_path = base / "registration.yaml"
    reg = registration(load_config(config_path))
    _write_private(registration_path, yaml.safe_dump(reg, sort_keys=False))
    return config_path, registration_path


def point_at(config_path: Path, homeserver_url: str) -> Config:
    """Set the homeserver's URL once it is known (it listens on a port chosen at start)."""
    raw = yaml.safe_load(config_path.read_text())
    raw["homeserver"]["address"] = homeserver_url
    _write_private(config_path, yaml.safe_dump(raw, sort_keys=False))
    return load_config(config_path)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
