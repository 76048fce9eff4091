"""Two federating Synapses on one machine (TESTING-NOTES "Two federating homeservers").

Each server is started through ``fedlaunch.py`` (test-only name resolution: every server name
maps to a loopback port). The vendor's server federates on its own TLS listener; the
practice's server sits behind :class:`FederationProxy`, a TLS reverse proxy standing in for
the practice's nginx/Caddy: ``/_matrix/policy/*`` goes to PHI Gate, everything else to
Synapse, the raw path kept (federation signatures cover it).
"""

from __future__ import annotations

import datetime
import json
import ssl
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import yaml
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from yarl import URL

from .synapse import SynapseServer, free_port

LAUNCHER = Path(__file__).with_name("fedlaunch.py")
POLICY_PREFIX = "/_matrix/policy/"
# Hop-by-hop and framing headers are the proxy's own business, never forwarded.
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"}


def self_signed_cert(directory: Path, names: Sequence[str]) -> tuple[Path, Path]:
    """(certificate, private key) PEM files for ``names`` (federation does not verify them in
    the tests: ``federation_verify_certificates: false``)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "tls.crt", directory / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def federation_settings(names: Sequence[str]) -> dict[str, Any]:
    """Test-only homeserver settings for federating over loopback with self-signed certs."""
    return {
        "federation_verify_certificates": False,
        # The default blacklist blocks loopback; open it for these tests only.
        "ip_range_whitelist": ["127.0.0.1"],
        "federation_domain_whitelist": list(names),
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "presence": {"enabled": False},
    }


class FederatedSynapse(SynapseServer):
    """A :class:`SynapseServer` that federates: started through the launcher with the shared
    name map, optionally with its own TLS federation listener."""

    def __init__(
        self,
        base_dir: Path,
        server_name: str,
        hosts: Mapping[str, int],
        cert: tuple[Path, Path],
        *,
        tls_port: int | None = None,
        skip_policy_server: bool = False,
        app_service_config_files: Sequence[Path] = (),
        extra_config: Mapping[str, Any] | None = None,
    ) -> None:
        settings = federation_settings(list(hosts))
        settings.update(extra_config or {})
        super().__init__(base_dir, server_name, app_service_config_files, settings)
        self.hosts = hosts
        self.cert = cert
        self.tls_port = tls_port
        # Patched like a non-compliant server: never asks a room's policy server.
        self.skip_policy_server = skip_policy_server

    def _write_config(self) -> None:
        super()._write_config()
        if self.tls_port is not None:
            self.config["listeners"].append(
                {
                    "port": self.tls_port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": True,
                    "x_forwarded": False,
                    "resources": [{"names": ["client", "federation"], "compress": False}],
                }
            )
            self.config["tls_certificate_path"] = str(self.cert[0])
            self.config["tls_private_key_path"] = str(self.cert[1])
        self.config_path.write_text(yaml.safe_dump(self.config, sort_keys=False))

    def _command(self) -> list[str]:
        (self.base_dir / "federation-hosts.json").write_text(json.dumps(dict(self.hosts)))
        flag = self.base_dir / "skip-policy-server"
        if self.skip_policy_server:
            flag.touch()
        else:
            flag.unlink(missing_ok=True)
        return [sys.executable, str(LAUNCHER), "-c", str(self.config_path)]


class FederationProxy:
    """The practice's reverse proxy (TLS): ``/_matrix/policy/*`` → PHI Gate, the rest →
    Synapse. ``policy_upstream`` is read per request, so a test can point it elsewhere (or
    at nothing) while the servers run."""

    def __init__(
        self, port: int, cert: tuple[Path, Path], synapse_url: str, policy_upstream: str | None
    ) -> None:
        self.port = port
        self.synapse_url = synapse_url
        self.policy_upstream = policy_upstream
        self.policy_requests = 0
        # (status, seconds) of each policy request as the asking server saw it, for benches.
        self.policy_timings: list[tuple[int, float]] = []
        # Hook for tests: called with each policy request's raw path before forwarding.
        self.on_policy: Callable[[str], None] | None = None
        self._ssl = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._ssl.load_cert_chain(str(cert[0]), str(cert[1]))
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=90), auto_decompress=False
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, ssl_context=self._ssl).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        raw_path = request.raw_path
        if raw_path.startswith(POLICY_PREFIX):
            self.policy_requests += 1
            if self.on_policy is not None:
                self.on_policy(raw_path)
            if self.policy_upstream is None:
                return web.json_response(
                    {"errcode": "M_UNKNOWN", "error": "policy server down"}, status=502
                )
            upstream = self.policy_upstream
        else:
            upstream = self.synapse_url
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        started = time.perf_counter()
        response = await self._upstream(request, upstream, raw_path, headers)
        if raw_path.startswith(POLICY_PREFIX):
            self.policy_timings.append((response.status, time.perf_counter() - started))
        return response

    async def _upstream(
        self, request: web.Request, upstream: str, raw_path: str, headers: dict[str, str]
    ) -> web.Response:
        assert self._session is not None
        try:
            async with self._session.request(
                request.method,
                URL(upstream + raw_path, encoded=True),
                headers=headers,
                data=await request.read(),
                allow_redirects=False,
            ) as upstream_response:
                body = await upstream_response.read()
                out = {k: v for k, v in upstream_response.headers.items() if k.lower() not in _HOP}
                return web.Response(status=upstream_response.status, body=body, headers=out)
        except aiohttp.ClientError:
            return web.json_response({"errcode": "M_UNKNOWN", "error": "bad gateway"}, status=502)


def free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)
