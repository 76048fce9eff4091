"""Start Synapse with test-only name resolution: two federating homeservers on one machine.

Run as ``python fedlaunch.py -c homeserver.yaml`` from the server's directory, which holds
``federation-hosts.json`` (server name → loopback port). ``socket.getaddrinfo`` is wrapped
before Twisted is imported (its resolver binds the function at import), so any port asked for
a mapped name reaches the mapped loopback port; SRV lookups answer "no such name" at once
instead of sending UDP to the resolver in /etc/resolv.conf, off loopback.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

# This script's own directory comes first on sys.path and holds the harness's synapse.py,
# which would shadow the real package.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

HOSTS: dict[str, int] = json.loads(Path("federation-hosts.json").read_text())
_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name in HOSTS:
        return _real_getaddrinfo("127.0.0.1", HOSTS[name], *args, **kwargs)
    return _real_getaddrinfo(host, port, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo  # type: ignore[assignment]

from twisted.internet import defer  # noqa: E402
from twisted.names import client  # noqa: E402
from twisted.names.error import DNSNameError  # noqa: E402


def _no_srv(name: Any, *args: Any, **kwargs: Any) -> defer.Deferred[Any]:
    return defer.fail(DNSNameError(name))


client.lookupService = _no_srv  # type: ignore[assignment]

if Path("skip-policy-server").exists():
    # A non-compliant (or old) vendor server: it never asks a room's policy server, neither
    # about its own users' events nor about events it receives.
    from synapse.handlers.room_policy import RoomPolicyHandler

    async def _never_asks(self: Any, event: Any, *args: Any, **kwargs: Any) -> bool:
        return True

    async def _never_signs(self: Any, event: Any, *args: Any, **kwargs: Any) -> None:
        return None

    RoomPolicyHandler.is_event_allowed = _never_asks  # type: ignore[method-assign]
    RoomPolicyHandler.ask_policy_server_to_sign_event = _never_signs  # type: ignore[method-assign]

from synapse.app.homeserver import main  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "synapse.app.homeserver"
    main()
