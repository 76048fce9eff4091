"""The phigate command line: init, registration, classify, audit — as a person runs them."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import yaml

PHIGATE = [sys.executable, "-m", "bridge"]


def run(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PHIGATE, *args], input=stdin, capture_output=True, text=True, timeout=120, cwd=cwd
    )


def test_init_writes_config_key_and_registration(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    result = run("init", "-c", str(config), "--domain", "clinic.test")
    assert result.returncode == 0, result.stderr
    key = tmp_path / "audit.key"
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    reg = yaml.safe_load((tmp_path / "registration.yaml").read_text())
    raw = yaml.safe_load(config.read_text())
    assert reg["as_token"] == raw["appservice"]["as_token"] != "<generated>"
    assert "<generated>" not in config.read_text()

    # Nothing is overwritten without --force; with it, the audit key still survives.
    before = config.read_text(), key.read_bytes()
    again = run("init", "-c", str(config))
    assert again.returncode == 2 and "exists already" in again.stderr
    assert config.read_text() == before[0]
    forced = run("init", "-c", str(config), "--force")
    assert forced.returncode == 0
    assert config.read_text() != before[0] and key.read_bytes() == before[1]

    reg_path = tmp_path / "reg2.yaml"
    assert run("generate-registration", "-c", str(config), "-r", str(reg_path)).returncode == 0
    assert run("generate-registration", "-c", str(config), "-r", str(reg_path)).returncode == 2


def test_missing_config_key_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    assert run("init", "-c", str(config)).returncode == 0
    raw = yaml.safe_load(config.read_text())
    del raw["appservice"]["hs_token"]
    config.write_text(yaml.safe_dump(raw))
    result = run("audit", "verify", "-c", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == "phigate: config key appservice.hs_token is missing"


def test_classify_never_echoes_text() -> None:
    lines = [
        "Patient DOB 03/14/1962, MRN 4481230",
        "invoice #12345678 is paid",
        json.dumps({"body": "Your visit is Tuesday at 10 #nophi"}),
        json.dumps({"body": "call me", "org.phigate.category": "phi"}),
        json.dumps({"msgtype": "m.image", "body": "scan.png", "url": "mxc://a/b"}),
        "{not json but starts with a brace",
    ]
    result = run("classify", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["category"] for o in out] == ["phi", "non_phi", "non_phi", "phi", "phi", "non_phi"]
    assert "date_of_birth" in out[0]["reasons"]
    assert "4481230" not in result.stdout and "1962" not in result.stdout


def test_audit_cli_verify_query_export_and_tamper(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    assert run("init", "-c", str(config), "--domain", "clinic.test").returncode == 0
    # A few records through the service layer, as the bot would write them.
    script = f"""
import asyncio
from pathlib import Path
from bridge.config import load_config
from bridge.service.app import open_services
from bridge.policy import BAAState
async def main():
    s = await open_services(load_config(Path({str(config)!r})))
    await s.agreements.add_vendor("acme", "Acme Billing", "@admin:clinic.test")
    await s.agreements.baa_set("acme", BAAState.STAGING, expires_ms=None, reason="r",
                               actor="@admin:clinic.test")
    await s.close()
asyncio.run(main())
"""
    seeded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr

    verify = run("audit", "verify", "-c", str(config))
    assert verify.returncode == 0 and "intact" in verify.stdout
    query = run("audit", "query", "-c", str(config), "--vendor", "acme", "--json")
    records = [json.loads(line) for line in query.stdout.splitlines()]
    assert len(records) == 2 and records[0]["seq"] > records[1]["seq"]  # newest first
    cef = run("audit", "export", "-c", str(config), "--format", "cef")
    assert cef.returncode == 0 and cef.stdout.startswith("CEF:0|PHI Gate|")
    bad = run("audit", "query", "-c", str(config), "--since", "yesterday-ish")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1

    with sqlite3.connect(tmp_path / "phigate.db") as db:
        db.execute("UPDATE audit_record SET decision = 'refused' WHERE seq = 1")
    tampered = run("audit", "verify", "-c", str(config))
    assert tampered.returncode == 1 and "1" in tampered.stderr

    # A wrong audit key: refused before anything is written.
    (tmp_path / "audit.key").unlink()
    wrong = run("audit", "verify", "-c", str(config))
    assert wrong.returncode == 2 and "audit key" in wrong.stderr.lower()
