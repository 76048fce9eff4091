"""`phigate demo --exit`, run as a person would: a separate process, its own Synapse, its output.

The demo's transcript is the evidence a compliance officer sees, so the test reads the
transcript, not the demo's internals.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.demo.script import EXPECTED_DECISIONS
from bridge.demo.synapse import free_port

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DEMO_TIMEOUT = 120  # the run itself should take well under 60 s

# Vendor: Pending (staff PHI, vendor PHI), Active (staff PHI, vendor reply), Revoked (staff);
# patient: reminder without consent, lab result without consent, then both ways with consent.
VENDOR_ROOM = ["BLOCKED", "BLOCKED", "ALLOWED", "ALLOWED", "BLOCKED"]
PATIENT_ROOM = ["ALLOWED", "BLOCKED", "ALLOWED", "ALLOWED"]
EXPECTED = [*VENDOR_ROOM, *PATIENT_ROOM]


def run_demo(*args: str, timeout: float = DEMO_TIMEOUT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bridge.demo.run", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so a hung run can be stopped with its Synapse
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        pytest.fail(f"demo did not finish in {timeout} s\n{out}\n{err}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def decisions(transcript: str) -> list[str]:
    """The decision at the end of each numbered step line, in order."""
    step = re.compile(r"^\s*\d+\s.*\s(ALLOWED|BLOCKED)[ \t]*$", re.M)
    return [m.group(1) for m in step.finditer(transcript)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str, int]]:
    work = tmp_path_factory.mktemp("demo") / "demo-data"
    done = run_demo("--exit", "--dir", str(work), "--port", str(free_port()))
    yield work, done.stdout, done.stderr, done.returncode


def test_demo_plays_the_script_and_exits_cleanly(demo: tuple[Path, str, str, int]) -> None:
    _, out, err, code = demo
    assert code == 0, f"exit {code}\n{out}\n{err}"
    assert err.strip() == "", err
    assert "Traceback" not in out
    assert list(EXPECTED_DECISIONS) == EXPECTED
    assert decisions(out) == EXPECTED, out
    assert "every decision as the script expects" in out


def test_transcript_gives_reasons_notices_and_gate_changes(
    demo: tuple[Path, str, str, int],
) -> None:
    _, out, _, _ = demo
    assert "the BAA of vendor acme is Pending" in out
    assert "the BAA of vendor acme is Revoked" in out
    assert "the messaging consent of patient @pat:clinic.test is None" in out
    assert "https://compliance.clinic.test/baa/acme" in out
    assert "this room is open" in out and "this room is gated" in out
    assert "Pending → Active" in out and "Active → Revoked" in out
    assert "None → Active" in out  # the consent


def test_audit_verified_by_the_bot_and_the_service_layer(demo: tuple[Path, str, str, int]) -> None:
    _, out, _, _ = demo
    assert len(re.findall(r"audit log intact: \d+ records", out)) == 2, out
    assert "chain intact" in out
    assert re.search(r"\d+\.\d s for the whole run", out)


def test_logins_and_working_directory_are_shown(demo: tuple[Path, str, str, int]) -> None:
    work, out, _, _ = demo
    assert f"{work}  (created for this run)" in out
    for user in ("@admin", "@drsmith", "@acme-billing", "@pat"):
        assert re.search(rf"{user}:clinic\.test\s+password \S+", out), user
    assert "Press Ctrl-C" not in out  # --exit
    assert (work / "phigate" / "config.yaml").exists()
    assert (work / "synapse" / "homeserver.log").exists()


def test_never_wipes_a_directory_it_did_not_make(tmp_path: Path) -> None:
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    done = run_demo("--exit", "--dir", str(foreign), timeout=60)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "refusing to wipe" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_demo("--exit", "--dir", str(tmp_path / "d"), "--port", str(port), timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"phigate demo: port {port} on 127.0.0.1 is busy; choose another with --port"
    )
    assert "Traceback" not in done.stdout
