"""A first run that cannot go quietly wrong: unknown keys, the placeholder admin, init --admin,
media.max_size against clamd's limit, the registration's mode, --version; JSON logs carry
Matrix IDs as fields; the database engines hide bound parameters."""

from __future__ import annotations

import grp
import io
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bridge.cli import registration_access_warning
from bridge.config import LogFormat, LoggingConfig, load_config, render_new_config
from bridge.errors import ConfigError
from bridge.logs import JsonFormatter
from bridge.matrix.notices import REDACTION_REASON
from bridge.store.database import create_engine

PHIGATE = [sys.executable, "-m", "bridge"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PHIGATE, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def fresh() -> dict[str, Any]:
    return yaml.safe_load(render_new_config(domain="clinic.test"))


def write(tmp_path: Path, raw: Any) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(
    ("section", "typo", "message"),
    [
        (
            "media",
            "max_sise",
            "config key media.max_sise is not a PHI Gate setting; did you mean media.max_size?",
        ),
        (None, "databse", "config key databse is not a PHI Gate setting; did you mean database?"),
        ("organization", "admin", "did you mean organization.admins?"),
        ("antispam", "enable", "did you mean antispam.enabled?"),
        ("policy", "zzz", "config key policy.zzz is not a PHI Gate setting; known here: "),
    ],
)
def test_unknown_key_refused_with_nearest(
    tmp_path: Path, section: str | None, typo: str, message: str
) -> None:
    raw = fresh()
    (raw[section] if section else raw)[typo] = 1
    with pytest.raises(ConfigError) as refused:
        load_config(write(tmp_path, raw))
    assert message in str(refused.value)


def test_nested_unknown_key_refused(tmp_path: Path) -> None:
    raw = fresh()
    raw["media"]["clamav"]["stream_max_lenght"] = 5
    with pytest.raises(ConfigError, match=r"media\.clamav\.stream_max_length\?"):
        load_config(write(tmp_path, raw))


def test_max_size_above_clamd_stream_limit_is_said(tmp_path: Path) -> None:
    """Loaded (such files are blocked, fail closed), and said at start in words."""
    raw = fresh()
    raw["media"]["max_size"] = raw["media"]["clamav"]["stream_max_length"] + 1
    media = load_config(write(tmp_path, raw)).media
    assert media.unscannable is not None
    assert "cannot be scanned and are blocked" in media.unscannable


def test_example_config_loads_as_shipped(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, fresh()))
    assert config.media.unscannable is None
    assert config.placeholder_admins == ["@replace-me:clinic.test"]


def test_run_refuses_the_placeholder_admin(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    assert run("init", "-c", str(config), "--domain", "clinic.test").returncode == 0
    result = run("run", "-c", str(config))
    assert result.returncode == 2
    assert result.stderr.startswith("phigate: config key organization.admins: ")
    assert "@replace-me:clinic.test is the example's placeholder" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_admin_fills_in_the_admins(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    result = run(
        "init", "-c", str(config), "--domain", "clinic.test",
        "--admin", "@it:clinic.test", "--admin", "@dr.lee:clinic.test",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    loaded = load_config(config)
    assert loaded.organization.admins == {"@it:clinic.test", "@dr.lee:clinic.test"}
    assert loaded.placeholder_admins == []
    bad = run("init", "-c", str(tmp_path / "other.yaml"), "--admin", "it-admin")
    assert bad.returncode == 2 and "--admin 'it-admin' is not a user ID" in bad.stderr


def test_registration_mode_for_the_homeserver(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    group = grp.getgrgid(os.getgid()).gr_name
    result = run(
        "init", "-c", str(config), "--admin", "@it:clinic.example", "--homeserver-group", group
    )
    assert result.returncode == 0, result.stderr
    reg = tmp_path / "registration.yaml"
    assert stat.S_IMODE(reg.stat().st_mode) == 0o640
    assert reg.stat().st_gid == os.getgid()
    assert registration_access_warning(reg) is None

    other = tmp_path / "second"
    result = run("init", "-c", str(other / "config.yaml"), "--admin", "@it:clinic.example")
    assert "registration.yaml is mode 0600: the homeserver's user must be able" in result.stdout
    warning = registration_access_warning(other / "registration.yaml")
    assert warning is not None and "chmod 0640" in warning
    missing = run(
        "generate-registration", "-c", str(config), "-r", str(tmp_path / "r.yaml"),
        "--homeserver-group", "no-such-group-phigate",
    )  # fmt: skip
    assert missing.returncode == 2
    assert "--homeserver-group no-such-group-phigate: no such group" in missing.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip().startswith("phigate ") and "0." in result.stdout


def test_json_log_lines_carry_matrix_ids_as_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.phigate.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("redaction of %s postponed: %s", "$ev1", "HomeserverUnavailable")
        logger.warning("room %s went %s", "!room:clinic.test", "open")
        logger.warning("transaction %s failed", "17", extra={"txn_id": "17"})
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["event_id"] == "$ev1" and "room_id" not in lines[0]
    assert lines[1]["room_id"] == "!room:clinic.test"
    assert lines[2]["txn_id"] == "17"
    assert all(set(line) >= {"ts", "level", "logger", "message"} for line in lines)
    assert LoggingConfig("INFO", LogFormat.JSON).format is LogFormat.JSON


async def test_engine_errors_never_carry_bound_values(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (v TEXT UNIQUE)"))
            await conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": "SSN 321-54-9876"})
        with pytest.raises(IntegrityError) as failed:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": "SSN 321-54-9876"})
        assert "321-54-9876" not in str(failed.value)
        assert "hidden due to hide_parameters" in str(failed.value)
    finally:
        await engine.dispose()


def test_redaction_reason_names_no_one() -> None:
    # The reason federates unencrypted: fixed words, no user ID, no agreement state.
    assert "@" not in REDACTION_REASON and ":" not in REDACTION_REASON.split("PHI Gate:", 1)[1]
    assert len(REDACTION_REASON) < 500
