"""Operations on a real Synapse and clamd: the health endpoint names each dependency that is
down, the metrics count real work, redaction reasons name no one, and SIGTERM stops the
bridge process cleanly (stop record, final checkpoint, exit status 0)."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from nio import RoomSendError
from prometheus_client.parser import text_string_to_metric_families

from bridge.audit import AuditFilter, RecordKind
from bridge.config import load_config
from bridge.demo.deploy import point_at, write_deployment
from bridge.matrix.notices import REDACTION_REASON
from bridge.matrix.runtime import PhiGateBridge
from bridge.service.app import open_services
from tests.clamd import LocalClamd

from ..harness.clients import wait_for
from .conftest import (
    ADMIN,
    CLAMD_STREAM_MAX,
    DOMAIN,
    EICAR,
    EICAR_NAME,
    MEDIA_MAX,
    Deployment,
    running,
    sql,
)
from .test_crash import ROOT, BridgeProcess
from .test_e2ee import SECRET_PHI, patient_room
from .test_gate import NON_PHI, PHI, gated_vendor_room
from .test_prepersist import send_encrypted


async def get(url: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        session.get(url) as response,
    ):
        return response.status, await response.text()


async def health(d: Deployment) -> tuple[int, dict[str, Any]]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        session.get(d.config.appservice.address + "/_phigate/health") as response,
    ):
        return response.status, await response.json()


async def wait_health(d: Deployment, failing: set[str], message: str) -> dict[str, Any]:
    """The health answer once exactly ``failing`` fail (200 when none)."""
    last: list[dict[str, Any]] = []

    async def answer() -> dict[str, Any] | None:
        status, body = await health(d)
        last[:] = [body]
        if set(body["failing"]) == failing and status == (503 if failing else 200):
            return body
        return None

    try:
        return await wait_for(answer, timeout=90, message=message)
    except AssertionError:
        raise AssertionError(f"{message}; last answer {last}") from None


def scrape(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, keyed by name and labels."""
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


async def metrics_of(base_url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, text = await get(base_url + "/metrics")
    assert status == 200, text
    return scrape(text)


@pytest.fixture
def own_clamd(tmp_path: Path) -> Iterator[LocalClamd]:
    """A clamd of this test's own, which it may stop (the session's clamd serves the rest)."""
    base = tmp_path / "clamd"
    base.mkdir()
    daemon = LocalClamd({EICAR_NAME: EICAR}, stream_max_length=CLAMD_STREAM_MAX, base_dir=base)
    daemon.start()
    yield daemon
    daemon.stop()
    daemon.cleanup()


@pytest.fixture
async def own_deployment(
    tmp_path: Path, synapse_factory: Any, own_clamd: LocalClamd
) -> AsyncIterator[Deployment]:
    async with running(tmp_path, synapse_factory, own_clamd, guarded=False) as deployment:
        yield deployment


async def test_health_names_each_dependency_down(
    own_deployment: Deployment, own_clamd: LocalClamd
) -> None:
    d = own_deployment
    body = await wait_health(d, set(), "never healthy after start")
    assert set(body["checks"]) == {"database", "key_sync", "clamd"}  # antispam is off

    db = d.config.database
    await sql(db, "ALTER TABLE phigate_alembic_version RENAME TO phigate_alembic_version_away")
    try:
        body = await wait_health(d, {"database"}, "a broken database was not reported")
        assert "phigate_alembic_version" in body["checks"]["database"]["detail"]
    finally:
        await sql(db, "ALTER TABLE phigate_alembic_version_away RENAME TO phigate_alembic_version")
    await wait_health(d, set(), "not healthy again after the database came back")

    own_clamd.stop()
    body = await wait_health(d, {"clamd"}, "a stopped clamd was not reported")
    assert str(own_clamd.socket_path) in body["checks"]["clamd"]["detail"]

    # Room keys stop: the device's /sync cannot store its token (as in test_e2ee).
    await sql(db, "ALTER TABLE crypto_account RENAME TO crypto_account_away")
    try:
        body = await wait_health(d, {"clamd", "key_sync"}, "stopped key sync was not reported")
        assert "room keys are not arriving" in body["checks"]["key_sync"]["detail"]
    finally:
        await sql(db, "ALTER TABLE crypto_account_away RENAME TO crypto_account")
    await wait_health(d, {"clamd"}, "key sync never reported working again")


async def test_metrics_and_redaction_reason(deployment: Deployment) -> None:
    """Counts scraped from /metrics after real traffic; the federating redaction reason
    names no patient."""
    d = deployment
    base = d.config.appservice.address
    room, alice, pat = await patient_room(d)
    phi = await d.send(alice, room, SECRET_PHI)
    await d.send(alice, room, "Reminder: your visit is Tuesday at 10 #nophi")
    await d.wait_redacted(alice, room, phi)

    event = await alice.event(room, phi)
    reason = event["unsigned"]["redacted_because"]["content"].get("reason", "")
    assert reason == REDACTION_REASON
    assert pat.user_id not in reason and "pat" not in reason

    async def counted() -> dict[Any, float] | None:
        samples = await metrics_of(base)
        return samples if samples.get(("phigate_redactions_total", ())) else None

    samples = await wait_for(counted, timeout=30, message="the redaction was never counted")
    assert samples[("phigate_events_total", ())] >= 2
    assert samples[("phigate_audit_append_seconds_count", ())] >= 1
    assert samples[("phigate_transactions_failed_total", ())] == 0
    # The start-up probe of clamd's stream limit is a real INSTREAM scan.
    assert samples[("phigate_clamd_scans_total", ())] >= 1
    assert samples[("phigate_clamd_scan_seconds_count", ())] >= 1
    assert ("phigate_key_sync_failures_total", ()) in samples


async def test_prepersist_metrics_and_module_health(guarded: Deployment) -> None:
    d = guarded
    alice, _rep, room = await gated_vendor_room(d)

    refused = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": PHI})
    assert isinstance(refused, RoomSendError), refused
    refused = await send_encrypted(d, alice, room, {"msgtype": "m.text", "body": NON_PHI})
    assert isinstance(refused, RoomSendError), refused  # BAA None: block_all
    await d.command("!help")  # a message the module asked about, then delivered

    async def asked() -> dict[Any, float] | None:
        samples = await metrics_of(d.config.appservice.address)
        key = ("phigate_prepersist_seconds_count", (("callback", "check_event_for_spam"),))
        return samples if samples.get(key, 0) >= 2 else None

    samples = await wait_for(asked, timeout=30, message="pre-persist checks never counted")
    assert samples[("phigate_verdicts_total", (("outcome", "refused"),))] == 2
    assert samples[("phigate_blocks_total", ())] == 2
    assert samples[("phigate_audit_append_seconds_count", ())] >= 2
    body = await wait_health(d, set(), "the loaded module was reported missing")
    assert body["checks"]["prepersist_module"]["detail"].endswith("checks since start")


async def test_missing_module_is_reported(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd
) -> None:
    """antispam.enabled, but the homeserver never loaded phigate_synapse: messages arrive
    that nobody asked PHI Gate about before storing them."""

    def settings(raw: dict[str, Any]) -> None:
        raw["media"]["max_size"] = MEDIA_MAX
        raw["media"]["clamav"] = {
            "socket": str(clamd.socket_path),
            "stream_max_length": CLAMD_STREAM_MAX,
        }
        raw["antispam"]["enabled"] = True

    config_path, registration = write_deployment(
        tmp_path / "phigate", domain=DOMAIN, admins=[ADMIN], settings=settings
    )
    server = synapse_factory(app_service_config_files=[registration])  # no module
    config = point_at(config_path, server.url)
    server.register_user("admin")
    bridge = PhiGateBridge(config)
    await bridge.start()
    d = Deployment(tmp_path, server, config_path, config, bridge)
    try:
        alice = await d.user("alice")
        room = await d.staff_room(alice, [])
        await d.send(alice, room, NON_PHI)
        body = await wait_health(d, {"prepersist_module"}, "the missing module was not reported")
        assert "phigate_synapse" in body["checks"]["prepersist_module"]["detail"]
    finally:
        await d.stop_clients()
        await d.bridge.stop()


async def test_sigterm_stops_cleanly(
    tmp_path: Path, synapse_factory: Any, clamd: LocalClamd
) -> None:
    def media(raw: dict[str, Any]) -> None:
        raw["media"]["max_size"] = MEDIA_MAX
        raw["media"]["clamav"] = {
            "socket": str(clamd.socket_path),
            "stream_max_length": CLAMD_STREAM_MAX,
        }
        raw["logging"] = {"level": "INFO", "format": "json"}

    config_path, registration = write_deployment(
        tmp_path / "phigate", domain=DOMAIN, admins=[ADMIN], settings=media
    )
    server = synapse_factory(app_service_config_files=[registration])
    config = point_at(config_path, server.url)
    server.register_user("admin")
    bridge = BridgeProcess(config_path, tmp_path / "bridge.log")
    try:
        await bridge.start()
        samples = await metrics_of(config.appservice.address)
        assert samples[("phigate_clamd_scans_total", ())] >= 1
        assert bridge.proc is not None
        bridge.proc.send_signal(signal.SIGTERM)
        assert bridge.proc.wait(60) == 0, bridge.this_run()[-3000:]
    finally:
        bridge.stop()
    log = bridge.this_run()
    assert '"message": "SIGTERM received: stopping"' in log, log[-3000:]
    assert '"message": "PHI Gate stopped"' in log

    services = await open_services(load_config(config_path))
    try:
        records = await services.audit.query(AuditFilter(limit=None))
    finally:
        await services.close()
    newest = max(records, key=lambda r: r.seq)
    assert newest.kind is RecordKind.SYSTEM
    assert (newest.event_type, newest.decision, newest.reason) == (
        "org.phigate.stop",
        "stopped",
        "SIGTERM",
    )
    # The final checkpoint already signs the head, stop record included.
    signed = subprocess.run(
        [sys.executable, "-m", "bridge", "audit", "checkpoint", "-c", str(config_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert signed.returncode == 0, signed.stderr
    assert signed.stdout.startswith("nothing appended since"), signed.stdout
    verified = subprocess.run(
        [sys.executable, "-m", "bridge", "audit", "verify", "-c", str(config_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stderr
