"""PHI Gate's practice (clinic.test, PHI Gate's appservice and pre-persist module exactly as
the ``guarded`` fixture sets them up) federating with a vendor's own homeserver
(vendor.test, plain Synapse), behind the practice's TLS reverse proxy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bridge.demo.client import DemoClient
from tests.clamd import LocalClamd

from ..appservice.conftest import Deployment, clamd, deploy, started
from ..harness.federation import FederatedSynapse, FederationProxy, free_ports, self_signed_cert

__all__ = ["Federation", "clamd", "federation", "noncompliant", "policed"]

CLINIC = "clinic.test"
VENDOR = "vendor.test"


@dataclass
class Federation:
    d: Deployment  # the practice, with PHI Gate
    vendor: FederatedSynapse
    proxy: FederationProxy

    async def remote_user(self, localpart: str) -> DemoClient:
        """A logged-in E2EE client of a user on the vendor's server, syncing in the background
        (localparts are unique across both servers here)."""
        d = self.d
        if localpart not in d.clients:
            assert localpart not in d.registered, f"{localpart} is already a practice user"
            await self.vendor.register_user_async(localpart)
            d.clients[localpart] = await started(
                DemoClient(
                    self.vendor.url,
                    self.vendor.user_id(localpart),
                    "pw",
                    d.base / "nio-vendor" / localpart,
                    device_name=f"harness {localpart}",
                )
            )
            d.registered.add(localpart)
        return d.clients[localpart]

    def stored_on(self, server: FederatedSynapse, sender: str, *, room: str) -> list[str]:
        """Event types by ``sender`` in ``room`` in that server's own database, content kept
        (a soft-failed federated event is stored pruned: its content is empty, see
        :meth:`stored_content`)."""
        with sqlite3.connect(server.base_dir / "homeserver.db") as db:
            rows = db.execute(
                "SELECT type FROM events WHERE sender = ? AND room_id = ?", (sender, room)
            ).fetchall()
        return [r[0] for r in rows]

    def stored_message_json(self, server: FederatedSynapse, event_id: str) -> str | None:
        """The stored JSON of an event on that server, or None if it never got there."""
        with sqlite3.connect(server.base_dir / "homeserver.db") as db:
            row = db.execute(
                "SELECT json FROM event_json WHERE event_id = ?", (event_id,)
            ).fetchone()
        return row[0] if row else None

    def policy_on_vendor(self, room: str) -> dict[str, Any] | None:
        """The room's current m.room.policy content as vendor.test has it."""
        with sqlite3.connect(self.vendor.base_dir / "homeserver.db") as db:
            row = db.execute(
                "SELECT j.json FROM current_state_events c JOIN event_json j USING (event_id)"
                " WHERE c.room_id = ? AND c.type = 'm.room.policy' AND c.state_key = ''",
                (room,),
            ).fetchone()
        return json.loads(row[0])["content"] if row else None

    def messages_stored_on(self, server: FederatedSynapse, sender: str, room: str) -> int:
        return sum(
            t in ("m.room.message", "m.room.encrypted")
            for t in self.stored_on(server, sender, room=room)
        )


@pytest.fixture
async def federation(tmp_path: Path, clamd: LocalClamd) -> AsyncIterator[Federation]:
    """The practice's pre-persist module only: vendor.test sends whatever its users write."""
    async with federated(tmp_path, clamd, policy_server=False) as f:
        yield f


@pytest.fixture
async def policed(tmp_path: Path, clamd: LocalClamd) -> AsyncIterator[Federation]:
    """PHI Gate is also the managed rooms' policy server: vendor.test asks it first."""
    async with federated(tmp_path, clamd, policy_server=True) as f:
        yield f


@pytest.fixture
async def noncompliant(tmp_path: Path, clamd: LocalClamd) -> AsyncIterator[Federation]:
    """PHI Gate is the policy server, but vendor.test is patched never to ask it."""
    async with federated(tmp_path, clamd, policy_server=True, vendor_skips_policy=True) as f:
        yield f


@contextlib.asynccontextmanager
async def federated(
    tmp_path: Path, clamd: LocalClamd, *, policy_server: bool, vendor_skips_policy: bool = False
) -> AsyncIterator[Federation]:
    proxy_port, vendor_port = free_ports(2)
    # Every federation request for clinic.test reaches the proxy; vendor.test, its own TLS
    # listener (any port asked for: well-known, 8448).
    hosts = {CLINIC: proxy_port, VENDOR: vendor_port}
    cert = self_signed_cert(tmp_path / "tls", [CLINIC, VENDOR])
    vendor = FederatedSynapse(
        tmp_path / "vendor-synapse",
        VENDOR,
        hosts,
        cert,
        tls_port=vendor_port,
        skip_policy_server=vendor_skips_policy,
    )
    servers = [vendor]
    vendor_started = asyncio.create_task(vendor.start_async())

    def clinic_factory(
        app_service_config_files: Sequence[Path] = (),
        extra_config: Mapping[str, Any] | None = None,
    ) -> FederatedSynapse:
        server = FederatedSynapse(
            tmp_path / "clinic-synapse",
            CLINIC,
            hosts,
            cert,
            app_service_config_files=app_service_config_files,
            extra_config=extra_config,
        )
        servers.append(server)
        return server.start()

    proxy: FederationProxy | None = None
    deployment: Deployment | None = None
    try:
        deployment = await deploy(
            tmp_path, clinic_factory, clamd, guarded=True, policy_server=policy_server
        )
        await vendor_started
        proxy = FederationProxy(
            proxy_port, cert, deployment.synapse.url, deployment.config.appservice.address
        )
        await proxy.start()
        yield Federation(deployment, vendor, proxy)
    finally:
        if not vendor_started.done():
            await asyncio.gather(vendor_started, return_exceptions=True)
        if deployment is not None:
            await deployment.stop_clients()
            await deployment.bridge.stop()
        if proxy is not None:
            await proxy.stop()
        for server in servers:
            await server.stop_async()
