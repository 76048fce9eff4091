"""The deployment files agree with each other and with the product.

No container engine or systemd runs here, so this is what can be checked without them:
registration.yaml.example is what ``phigate generate-registration`` writes; docker/compose.yaml
parses, its services, images, volumes, mounted files and variables refer to each other
consistently, and the PHI Gate config its first start writes (docker/configure.py) passes
``phigate``'s own validation and points at those services; the Dockerfile runs as a non-root
user; the systemd unit runs as its own user (and passes ``systemd-analyze verify`` where that
exists).
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bridge.cli import main as phigate
from bridge.config import load_config, render_new_config

REPO = Path(__file__).resolve().parents[2]
DOCKER = REPO / "docker"
SERVICES = {"postgres", "clamav", "synapse-config", "synapse", "phigate-config", "phigate"}
MODULE = "phigate_synapse.PhiGateModule"  # what the Synapse image has to provide


def test_registration_example_is_what_generate_registration_writes(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    config_path.write_text(render_new_config(), encoding="utf-8")
    out = tmp_path / "registration.yaml"
    assert phigate(["generate-registration", "-c", str(config_path), "-r", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    config = load_config(config_path)
    placeholders = {
        config.appservice.as_token: "<appservice.as_token>",
        config.appservice.hs_token: "<appservice.hs_token>",
        re.escape(config.appservice.sender_localpart): "<appservice.sender_localpart>",
        config.appservice.sender_localpart: "<appservice.sender_localpart>",
    }
    for value, placeholder in placeholders.items():
        written = written.replace(value, placeholder)
    example = (REPO / "registration.yaml.example").read_text(encoding="utf-8")
    assert yaml.safe_load(example) == yaml.safe_load(written)


# -- docker/compose.yaml --------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))


def _service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    return compose["services"][name]


def _mounts(service: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(source, target, read-only) of each short-syntax volume entry."""
    out = []
    for entry in service.get("volumes", []):
        parts = entry.split(":")
        out.append((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
    return out


def _volume_at(service: dict[str, Any], path: str) -> tuple[str, str]:
    """The volume (source, mount point) a path inside the service's container lives on."""
    best: tuple[str, str] | None = None
    for source, target, _ in _mounts(service):
        if (path == target or path.startswith(target.rstrip("/") + "/")) and (
            best is None or len(target) > len(best[1])
        ):
            best = (source, target)
    assert best is not None, f"{path} is on no volume"
    return best


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    return dict(env) if isinstance(env, dict) else dict(e.split("=", 1) for e in env)


def _size(value: str) -> int:
    match = re.fullmatch(r"(\d+)([KM]?)", value.strip(), re.I)
    assert match, value
    return int(match.group(1)) * {"": 1, "K": 1024, "M": 1024 * 1024}[match.group(2).upper()]


def _build(compose: dict[str, Any], name: str) -> Path:
    """The Dockerfile a service is built from (its context must be the repository)."""
    build = _service(compose, name)["build"]
    context = (DOCKER / build["context"]).resolve()
    assert context == REPO
    dockerfile = context / build["dockerfile"]
    assert dockerfile.is_file()
    return dockerfile


def _from_images(dockerfile: Path) -> list[str]:
    return re.findall(r"^FROM\s+(\S+)", dockerfile.read_text(encoding="utf-8"), re.M)


def test_compose_services_images_and_builds(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES
    image = {name: s.get("image", "") for name, s in compose["services"].items()}
    assert image["postgres"] == "postgres:16"
    assert image["clamav"].startswith("clamav/clamav:")
    assert image["synapse-config"].startswith("matrixdotorg/synapse:")
    # Synapse itself: the same release with PHI Gate's module installed.
    assert _from_images(_build(compose, "synapse")) == [image["synapse-config"]]
    assert image["phigate"] == image["phigate-config"]
    assert _build(compose, "phigate") == _build(compose, "phigate-config")
    for name, service in compose["services"].items():
        for dependency, how in service.get("depends_on", {}).items():
            assert dependency in SERVICES, f"{name} depends on unknown {dependency}"
            assert how["condition"] in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }
            if how["condition"] == "service_healthy":
                assert "healthcheck" in _service(compose, dependency)
            if how["condition"] == "service_completed_successfully":
                assert _service(compose, dependency)["restart"] == "no"


def test_synapse_image_installs_the_module_the_additions_name() -> None:
    dockerfile = (DOCKER / "synapse" / "Dockerfile").read_text(encoding="utf-8")
    [(source, target)] = re.findall(r"^COPY\s+(\S+)\s+(\S+)", dockerfile, re.M)
    assert (REPO / source / "pyproject.toml").is_file()
    assert re.search(rf"pip install .*{re.escape(target)}", dockerfile)
    ignore = (DOCKER / "synapse" / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert f"!{source}/" in ignore.splitlines()
    package, cls = MODULE.split(".")
    assert f"class {cls}" in (REPO / source / package / "__init__.py").read_text(encoding="utf-8")


def test_compose_volumes_and_mounted_files(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for source, target, _ in _mounts(service):
            assert target.startswith("/"), (name, target)
            if source.startswith(("./", "../")):
                assert (DOCKER / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in declared, f"{name} mounts undeclared volume {source}"
                used.add(source)
    assert used == declared
    # Only the registration and Synapse's additions are shared with Synapse, read-only;
    # never PHI Gate's keys.
    synapse_volumes = {s: ro for s, _, ro in _mounts(_service(compose, "synapse"))}
    assert "phigate-config" not in synapse_volumes
    assert synapse_volumes["phigate-registration"] is True


def test_compose_variables_are_documented(compose: dict[str, Any]) -> None:
    text = (DOCKER / "compose.yaml").read_text(encoding="utf-8")
    variables = set(re.findall(r"\$\{([A-Z_]+)(?::?[?-][^}]*)?\}", text))
    example = (DOCKER / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert variables and variables <= documented, variables - documented


def test_compose_synapse_reads_its_config_files_and_the_database(
    compose: dict[str, Any],
) -> None:
    synapse = _service(compose, "synapse")
    command = synapse["command"]
    assert command[0] == "run"
    generated, database_file, additions = [
        command[i + 1] for i, arg in enumerate(command) if arg == "--config-path"
    ]
    # homeserver.yaml: the one synapse-config generates on the shared data volume.
    assert _volume_at(synapse, generated)[0] == "synapse-data"
    assert ("synapse-data", "/data", False) in _mounts(_service(compose, "synapse-config"))
    # PHI Gate's additions: written by phigate-config into the volume Synapse reads, at the
    # same path in both containers (the registration's path inside them is in the file).
    writer = _service(compose, "phigate-config")
    _, registration, written = writer["command"]
    assert additions == written
    assert _volume_at(synapse, additions) == _volume_at(writer, written)
    assert _volume_at(synapse, registration) == _volume_at(writer, registration)
    # The database: the postgres service, a role and database its init script creates, the
    # password the script was given.
    source, _ = _volume_at(synapse, database_file)
    settings = yaml.safe_load((DOCKER / source).read_text(encoding="utf-8"))
    db = settings["database"]
    assert db["name"] == "psycopg2" and db["args"]["host"] in SERVICES
    init = (DOCKER / "postgres" / "init-databases.sh").read_text(encoding="utf-8")
    assert f"CREATE ROLE {db['args']['user']} LOGIN" in init
    assert f"CREATE DATABASE {db['args']['dbname']} OWNER {db['args']['user']}" in init
    assert "LC_COLLATE 'C'" in init  # Synapse refuses other collations
    postgres_env = _environment(_service(compose, "postgres"))
    assert _environment(synapse)["PGPASSWORD"] == postgres_env["SYNAPSE_DB_PASSWORD"]


def _configure_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "phigate_docker_configure", DOCKER / "configure.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compose_phigate_config_passes_validation_and_names_the_services(
    compose: dict[str, Any], tmp_path: Path
) -> None:
    writer = _service(compose, "phigate-config")
    config_in_container, registration_in_container, additions_in_container = writer["command"]
    # The container's volumes, here as directories.
    config_path = tmp_path / "etc" / Path(config_in_container).name
    registration_path = tmp_path / "registration" / Path(registration_in_container).name
    additions_path = registration_path.with_name(Path(additions_in_container).name)
    config_path.parent.mkdir()
    registration_path.parent.mkdir()
    configure = _configure_module()
    paths = (config_path, registration_path, additions_path)
    configure.configure(*paths, domain="clinic.test", admin="@it:clinic.test")

    config = load_config(config_path)  # the product's own validation
    assert config.homeserver.domain == "clinic.test"
    assert config.organization.admins == {"@it:clinic.test"}
    # PHI Gate's service runs with that config, on the volume phigate-config wrote it to.
    gate = _service(compose, "phigate")
    assert gate["command"] == ["run", "-c", config_in_container]
    assert _volume_at(gate, config_in_container)[0] == _volume_at(writer, config_in_container)[0]

    # Every address is a service of the compose file, on the port that service serves.
    database = urlsplit(config.database.replace("postgresql+asyncpg", "postgresql"))
    assert database.hostname == "postgres" and database.port == 5432
    assert database.password is None  # from PGPASSWORD
    init = (DOCKER / "postgres" / "init-databases.sh").read_text(encoding="utf-8")
    assert f"CREATE DATABASE {database.path.lstrip('/')} OWNER {database.username}" in init
    postgres_env = _environment(_service(compose, "postgres"))
    assert _environment(gate)["PGPASSWORD"] == postgres_env["PHIGATE_DB_PASSWORD"]

    homeserver = urlsplit(config.homeserver.address)
    assert homeserver.hostname in SERVICES and homeserver.hostname == "synapse"
    assert f"{homeserver.port}:{homeserver.port}" in _service(compose, "synapse")["ports"]
    appservice = urlsplit(config.appservice.address)
    assert appservice.hostname == "phigate" and appservice.port == config.appservice.port
    assert config.appservice.hostname == "0.0.0.0"  # reachable from the synapse container

    clamav = config.media.clamav
    assert clamav.host == "clamav" and clamav.port == 3310 and clamav.socket is None
    clamd_env = _environment(_service(compose, "clamav"))
    assert clamav.stream_max_length == _size(clamd_env["CLAMD_CONF_StreamMaxLength"])
    assert config.media.max_size <= clamav.stream_max_length
    assert _size(clamd_env["CLAMD_CONF_MaxFileSize"]) >= config.media.max_size

    registration = yaml.safe_load(registration_path.read_text(encoding="utf-8"))
    assert registration["url"] == config.appservice.address
    assert registration["as_token"] == config.appservice.as_token
    assert stat.S_IMODE(registration_path.stat().st_mode) == 0o644  # Synapse's user reads it
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600

    # Synapse's additions: the registration, immediate purge of redacted content, and the
    # pre-persist module asking this PHI Gate with its secret.
    additions = yaml.safe_load(additions_path.read_text(encoding="utf-8"))
    assert additions["app_service_config_files"] == [str(registration_path)]
    assert additions["redaction_retention_period"] == 0
    assert config.antispam.enabled
    [module] = additions["modules"]
    assert module["module"] == MODULE
    assert module["config"]["url"] == config.appservice.address
    assert module["config"]["secret"] == config.antispam.secret
    assert stat.S_IMODE(additions_path.stat().st_mode) == 0o644

    # A second start keeps the secrets.
    configure.configure(*paths, domain="clinic.test", admin="@x:y.z")
    again = load_config(config_path)
    assert again.appservice.as_token == config.appservice.as_token
    assert again.organization.admins == config.organization.admins


# -- docker/Dockerfile ----------------------------------------------------------------------


def test_dockerfile_is_slim_non_root_and_copies_what_exists() -> None:
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    bases = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert bases and all(base == "python:3.11-slim" for base in bases)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "useradd --system" in text
    ignore = (DOCKER / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (REPO / source).exists(), source
                assert f"!{source}" in ignore or f"!{source}/" in ignore, source
    assert any(line.startswith("ENTRYPOINT") and "phigate" in line for line in lines)


# -- contrib/phigate.service ----------------------------------------------------------------


def test_systemd_unit_runs_as_its_own_user() -> None:
    path = REPO / "contrib" / "phigate.service"
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(path.read_text(encoding="utf-8"))
    service = unit["Service"]
    assert service["User"] == "phigate" and service["Group"] == "phigate"
    assert service["ExecStart"].endswith(" run -c /etc/phigate/config.yaml")
    assert service["StateDirectory"] == "phigate"  # /var/lib/phigate
    assert service["ReadWritePaths"] == "/var/lib/phigate"
    assert "/etc/phigate" in service["ReadOnlyPaths"]
    assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_unit_verifies(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    # Never skipped: scripts/ensure-system.sh installs it (Debian package systemd) for `make test`.
    assert analyze is not None, "systemd-analyze is missing: run scripts/ensure-system.sh test"
    # The unit's ExecStart is the installed venv; point it at this one's `phigate`.
    installed = Path(sys.executable).parent / "phigate"
    text = (REPO / "contrib" / "phigate.service").read_text(encoding="utf-8")
    copy = tmp_path / "phigate.service"
    copy.write_text(text.replace("/opt/phigate/bin/phigate", str(installed)), encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
