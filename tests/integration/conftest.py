"""Fixtures for tests against a real Synapse (see harness/)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest

from bridge.demo.client import DemoClient

from .harness.synapse import SynapseServer

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Every test under tests/integration needs a real homeserver: mark them, so
    # `-m "not integration"` gives a quick run. (This hook sees all items: filter by path.)
    for item in items:
        if _HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)


def _started(server: SynapseServer) -> SynapseServer:
    server.start()
    # Shown only with `pytest -s`; timing is reported, never asserted.
    print(f"\n[harness] {server.server_name} at {server.url} up in {server.startup_seconds:.2f} s")
    return server


class SynapseFactory(Protocol):
    def __call__(
        self,
        app_service_config_files: Sequence[Path] = (),
        extra_config: Mapping[str, Any] | None = None,
        server_name: str = "clinic.test",
    ) -> SynapseServer: ...


@pytest.fixture
def synapse_factory(tmp_path: Path) -> Iterator[SynapseFactory]:
    """Start homeservers with given appservice registrations / config; all are stopped at
    teardown."""
    servers: list[SynapseServer] = []
    counter = itertools.count()

    def make(
        app_service_config_files: Sequence[Path] = (),
        extra_config: Mapping[str, Any] | None = None,
        server_name: str = "clinic.test",
    ) -> SynapseServer:
        server = SynapseServer(
            tmp_path / f"synapse-{next(counter)}",
            server_name=server_name,
            app_service_config_files=app_service_config_files,
            extra_config=extra_config,
        )
        servers.append(server)
        return _started(server)

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def synapse(synapse_factory: SynapseFactory) -> SynapseServer:
    """A fresh homeserver without appservices."""
    return synapse_factory()


ClientFactory = Callable[..., Any]


@pytest.fixture
async def nio_client(tmp_path: Path) -> AsyncIterator[ClientFactory]:
    """`await nio_client(server, "alice")` logs in a :class:`DemoClient` (E2EE unless
    ``e2ee=False``) with a per-user store under tmp_path (the same store on a second call, so
    the device is reused), syncing in the background; every client is closed at teardown."""
    clients: list[DemoClient] = []

    async def make(
        server: SynapseServer,
        user_id_or_localpart: str,
        password: str = "pw",
        *,
        e2ee: bool = True,
        store_dir: Path | None = None,
    ) -> DemoClient:
        localpart = user_id_or_localpart.lstrip("@").split(":")[0]
        client = DemoClient(
            server.url,
            server.user_id(user_id_or_localpart),
            password,
            store_dir or tmp_path / "nio" / localpart,
            device_name=f"harness {localpart}",
            encryption=e2ee,
        )
        clients.append(client)
        await client.start()
        return client

    yield make
    for client in clients:
        await client.close()
