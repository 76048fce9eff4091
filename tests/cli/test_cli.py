"""The phigate command line: init, registration, classify, audit — as a person runs them."""

from __future__ import annotations

import json
import os
import pty
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


def run_on_terminal(*args: str) -> str:
    """Run phigate with stderr on a pseudo-terminal; returns what the terminal received."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [*PHIGATE, *args], stdout=subprocess.DEVNULL, stderr=follower, timeout=120
        )
        assert done.returncode == 0
        os.close(follower)
        follower = -1
        received = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other side is closed and drained
                break
            if not chunk:
                break
            received += chunk
        return received.decode()
    finally:
        os.close(leader)
        if follower >= 0:
            os.close(follower)


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


SEED_MESSAGES = """
import asyncio
from pathlib import Path
from bridge.audit import AuditEntry, Counterparty, RecordKind
from bridge.config import load_config
from bridge.service.app import open_services
async def main():
    s = await open_services(load_config(Path({config!r})))
    now = s.agreements.now_ms()
    bob = Counterparty("@bob:acme.example", "vendor", "acme", {status!r})
    await s.audit.append([
        AuditEntry(kind=RecordKind.EVENT, recorded_ts=now - {age_ms}, event_type="m.room.message",
                   event_id="${tag}" + str(i), room_id="!billing:clinic.test",
                   sender="@nurse:clinic.test", sender_kind="staff", counterparties=(bob,),
                   category="phi", decision={decision!r}, event_ts=now - {age_ms} - 10 + i,
                   category_reasons=("lab_result",),
                   content={{"content": {{"msgtype": "m.text", "body": body}}}})
        for i, body in enumerate({bodies!r})
    ])
    await s.close()
asyncio.run(main())
"""


def seed(
    config: Path, bodies: list[str], *, status: str = "Active", tag: str = "m", age_ms: int = 0
) -> None:
    """Message records, recorded ``age_ms`` ago."""
    decision = "allow" if status == "Active" else "block"
    script = SEED_MESSAGES.format(
        config=str(config), status=status, decision=decision, bodies=bodies, tag=tag, age_ms=age_ms
    )
    seeded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert seeded.returncode == 0, seeded.stderr


def test_audit_checkpoints_disclosures_search_and_key_rotation(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    assert run("init", "-c", str(config), "--domain", "clinic.test").returncode == 0
    signing_key = tmp_path / "audit-signing.key"
    assert stat.S_IMODE(signing_key.stat().st_mode) == 0o600 and len(signing_key.read_bytes()) == 32
    seed(config, ["A1C is 7.2 for J. Doe", "invoice sent"])
    seed(config, ["A1C again, BAA revoked"], status="Revoked", tag="r")

    verify = run("audit", "verify", "-c", str(config))
    assert verify.returncode == 0 and "no signed checkpoint yet" in verify.stdout
    signed = run("audit", "checkpoint", "-c", str(config))
    assert signed.returncode == 0 and "signed the checkpoint of" in signed.stdout
    assert run("audit", "checkpoint", "-c", str(config)).stdout.startswith("nothing appended")
    checkpoints = (tmp_path / "audit-checkpoints.txt").read_text()
    assert checkpoints.startswith("clinic.test/phigate-audit\n3\n")
    verify = run("audit", "verify", "-c", str(config))
    assert verify.returncode == 0, verify.stderr
    assert "holds all the checkpoint of" in verify.stdout and "(size 3)" in verify.stdout

    # Content search: the index answers, the content is decrypted only to show it.
    found = run("audit", "query", "-c", str(config), "--contains", "a1c", "--json")
    assert [json.loads(line)["event_id"] for line in found.stdout.splitlines()] == ["$r0", "$m0"]
    found = run("audit", "query", "-c", str(config), "--contains", "7.2", "--content", "--json")
    records = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(records) == 1 and records[0]["content"]["content"]["body"].startswith("A1C is 7.2")

    # The accounting of disclosures, in all three formats.
    table = run("audit", "disclosures", "-c", str(config), "--vendor", "acme")
    assert table.returncode == 0, table.stderr
    first = table.stdout.splitlines()[0]
    assert first.startswith("3 disclosure(s) of PHI, vendor acme, from ")
    assert first.endswith("1 possible breach(es) (no Active agreement)")
    as_csv = run("audit", "disclosures", "-c", str(config), "--vendor", "acme", "--format", "csv")
    assert as_csv.stdout.splitlines()[0].startswith("date,recipient,recipient_kind,")
    assert len(as_csv.stdout.splitlines()) == 4
    as_json = json.loads(run("audit", "disclosures", "-c", str(config), "--format", "json").stdout)
    assert as_json["count"] == 3 and as_json["possible_breaches"] == 1
    assert "A1C" not in json.dumps(as_json)
    both = run("audit", "disclosures", "-c", str(config), "--vendor", "a", "--patient", "@p:x")
    assert both.returncode == 2

    # Key rotation: both keys, old ones kept; the log still verifies and reads.
    rotated = run("audit", "rotate-key", "-c", str(config))
    assert rotated.returncode == 0, rotated.stderr
    assert "audit content key" in rotated.stdout and "audit signing key" in rotated.stdout
    assert len(list((tmp_path / "audit.key.old").iterdir())) == 1
    assert len(list((tmp_path / "audit-signing.key.old").iterdir())) == 1
    vkeys = run("audit", "vkey", "-c", str(config)).stdout.splitlines()
    assert len(vkeys) == 2 and vkeys[0].startswith("clinic.test/phigate-audit+")
    assert vkeys[0].split()[0] in rotated.stdout
    verify = run("audit", "verify", "-c", str(config))
    assert verify.returncode == 0, verify.stderr
    found = run("audit", "query", "-c", str(config), "--contains", "a1c", "--content", "--json")
    assert len(found.stdout.splitlines()) == 2

    # A copy of the checkpoints kept elsewhere (the control room's) is checked too.
    witness = tmp_path / "witness.txt"
    witness.write_text((tmp_path / "audit-checkpoints.txt").read_text())
    # Deleting the newest records is now seen, in one line on stderr.
    with sqlite3.connect(tmp_path / "phigate.db") as db:
        top = db.execute("SELECT max(seq) FROM audit_record").fetchone()[0]
        for table_name in ("audit_record", "audit_party", "audit_token"):
            db.execute(f"DELETE FROM {table_name} WHERE seq > ?", (top - 2,))
    cut = run("audit", "verify", "-c", str(config), "--checkpoint", str(witness))
    assert cut.returncode == 1
    assert cut.stderr.startswith("TRUNCATED: records") and cut.stderr.count("\n") == 1


def test_audit_prune_keeps_a_verifiable_log(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    assert run("init", "-c", str(config), "--domain", "clinic.test").returncode == 0
    seed(config, ["old one", "old two"], tag="o", age_ms=7 * 365 * 86_400_000)
    seed(config, ["recent"])
    dry = run("audit", "prune", "-c", str(config), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would prune records 1–2 (2) recorded before ")
    assert dry.stdout.rstrip().endswith("(retention 6y)")
    pruned = run("audit", "prune", "-c", str(config))
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.startswith("pruned records 1–2 (2) recorded before ")
    verify = run("audit", "verify", "-c", str(config))
    assert verify.returncode == 0, verify.stderr
    assert "audit log intact: 2 records (records 1–2 pruned by retention)" in verify.stdout
    assert verify.stderr == ""  # piped: no progress line
    # On a terminal, stderr shows a progress line, wiped before the result.
    on_tty = run_on_terminal("audit", "verify", "-c", str(config))
    assert "verify [" in on_tty and "records" in on_tty
    assert "holds all the checkpoint of" in verify.stdout
    assert "\npruned 2 " in (tmp_path / "audit-checkpoints.txt").read_text()
    assert run("audit", "prune", "-c", str(config)).stdout.startswith("nothing to prune")

    # Records deleted from the front beyond what was pruned: named in one line.
    with sqlite3.connect(tmp_path / "phigate.db") as db:
        for table_name in ("audit_record", "audit_party", "audit_token"):
            db.execute(f"DELETE FROM {table_name} WHERE seq = 3")
    cut = run("audit", "verify", "-c", str(config))
    assert cut.returncode == 1
    assert cut.stderr.startswith("FRONT-TRUNCATED: records 1–3") and cut.stderr.count("\n") == 1

    raw = yaml.safe_load(config.read_text())
    raw["audit"]["retention"] = "6 months"
    config.write_text(yaml.safe_dump(raw))
    bad = run("audit", "prune", "-c", str(config))
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "phigate: config key audit.retention: '6 months' is not a retention; expected a number"
        " of years, weeks or days such as 6y, 52w or 2190d, or forever"
    )


def test_policy_server_key_generated_and_proxy_route_printed(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    result = run("init", "-c", str(config), "--domain", "clinic.test")
    assert result.returncode == 0, result.stderr
    key = tmp_path / "policy-server.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    off = run("synapse-config", "-c", str(config))
    assert off.returncode == 0, off.stderr
    assert "policy_server.enabled is false" in off.stdout
    raw = yaml.safe_load(config.read_text())
    raw["policy_server"]["enabled"] = True
    config.write_text(yaml.safe_dump(raw))
    on = run("synapse-config", "-c", str(config))
    assert on.returncode == 0, on.stderr
    address = raw["appservice"]["address"].rstrip("/")
    assert f"location /_matrix/policy/ {{ proxy_pass {address};" in on.stdout
    assert f"handle /_matrix/policy/* {{ reverse_proxy {address} }}" in on.stdout
    # Still valid YAML for homeserver.yaml: the route is comments only.
    assert "app_service_config_files" in yaml.safe_load(on.stdout)
