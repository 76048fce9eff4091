"""First start of the compose deployment (docker/compose.yaml): PHI Gate's config and keys.

Run by the one-shot ``phigate-config`` service before Synapse and PHI Gate start. The first
time, it runs ``phigate init`` (fresh as_token, hs_token and antispam secret, the audit keys),
points the config at the other services with the config keys of config.example.yaml
(``COMPOSE`` below) and names the admin. Every time, it writes into the volume Synapse reads
(mounted at the same path there) the registration and Synapse's additions from ``phigate
synapse-config`` (the registration, redaction_retention_period: 0, the pre-persist module's
entry); both are readable by Synapse's user, as they must be: they hold what Synapse presents
to PHI Gate and PHI Gate to Synapse. An existing config is never regenerated: its secrets and
keys stay.

    python configure.py CONFIG REGISTRATION SYNAPSE_ADDITIONS
    # environment: PHIGATE_DOMAIN, PHIGATE_ADMIN

tests/deploy/test_deployment_files.py runs it and validates the result with ``phigate``'s
own config loader.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from bridge.cli import main as phigate
from bridge.config import load_config

# How the services of compose.yaml reach each other (service names are host names there).
# The database password is not here: PHI Gate's service gets it as PGPASSWORD.
COMPOSE: dict[str, Any] = {
    "homeserver": {"address": "http://synapse:8008"},
    "appservice": {"address": "http://phigate:29400", "hostname": "0.0.0.0", "port": 29400},
    "database": "postgresql+asyncpg://phigate@postgres:5432/phigate",
    # Synapse's pre-persist module (docker/synapse/Dockerfile installs it) asks PHI Gate.
    "antispam": {"enabled": True},
    # clamd of the clamav service, whose StreamMaxLength compose.yaml sets to 50M.
    "media": {
        "max_size": 52_428_800,
        "clamav": {"host": "clamav", "port": 3310, "stream_max_length": 52_428_800},
    },
}
# Keys whose value replaces the config's whole mapping (not merged key by key).
REPLACED = {("media", "clamav")}


def merged(
    base: dict[str, Any], extra: dict[str, Any], path: tuple[str, ...] = ()
) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(out.get(key), dict) and here not in REPLACED:
            out[key] = merged(out[key], value, here)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def configure(config: Path, registration: Path, synapse: Path, *, domain: str, admin: str) -> None:
    if not config.exists():
        if phigate(["init", "-c", str(config), "-r", str(registration), "--domain", domain]):
            raise SystemExit("phigate init failed")
        raw = yaml.safe_load(config.read_text(encoding="utf-8"))
        raw = merged(raw, COMPOSE)
        raw["organization"]["admins"] = [admin]
        _write_private(config, yaml.safe_dump(raw, sort_keys=False))
        load_config(config)  # refuse to go on with a config PHI Gate would refuse
    args = ["generate-registration", "-c", str(config), "-r", str(registration), "--force"]
    if phigate(args):
        raise SystemExit("phigate generate-registration failed")
    registration.chmod(0o644)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        failed = phigate(["synapse-config", "-c", str(config), "-r", str(registration)])
    if failed:
        raise SystemExit("phigate synapse-config failed")
    _write_private(synapse, printed.getvalue())
    synapse.chmod(0o644)


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    domain = os.environ.get("PHIGATE_DOMAIN", "").strip()
    admin = os.environ.get("PHIGATE_ADMIN", "").strip()
    if not domain or not admin:
        print("configure.py: set PHIGATE_DOMAIN and PHIGATE_ADMIN (docker/.env)", file=sys.stderr)
        return 2
    configure(Path(argv[1]), Path(argv[2]), Path(argv[3]), domain=domain, admin=admin)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
