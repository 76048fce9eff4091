"""What a practice adds to Synapse's ``homeserver.yaml`` so that everything PHI Gate promises
holds: exactly what the tests and the demo run with (``phigate synapse-config``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge.config import Config

MODULE = "phigate_synapse.PhiGateModule"


def synapse_config(config: Config, registration: Path) -> dict[str, Any]:
    """The homeserver.yaml additions for this PHI Gate.

    Args:
        config: PHI Gate's configuration.
        registration: where the appservice registration is (written by ``phigate init`` or
            ``phigate generate-registration``).
    """
    additions: dict[str, Any] = {
        "app_service_config_files": [str(registration.resolve())],
        # Synapse keeps a redacted event's original content for 7 days by default; PHI Gate's
        # redactions (the backstop) must remove PHI from the homeserver's database too.
        "redaction_retention_period": 0,
    }
    if config.antispam.enabled:
        additions["modules"] = [module_entry(config)]
    return additions


def module_entry(config: Config) -> dict[str, Any]:
    """The ``modules:`` entry of PHI Gate's pre-persist module (``pip install
    ./synapse_module`` into Synapse's environment)."""
    assert config.antispam.secret is not None
    return {
        "module": MODULE,
        "config": {
            "url": config.appservice.address,
            "secret": config.antispam.secret,
            "timeout_seconds": config.antispam.timeout_seconds,
            "service_users": sorted({config.bot_user_id, config.sender_user_id}),
            "staff_domains": sorted(config.organization.staff_domains),
            "staff_by_domain": config.organization.staff_by_domain,
            "staff_users": sorted(config.organization.staff_users),
            "staff_user_patterns": [p.pattern for p in config.organization.staff_user_patterns],
        },
    }


def policy_route(config: Config) -> list[str]:
    """The reverse-proxy route the policy server needs (printed as comments: it belongs in
    the proxy in front of Synapse's federation port, not in homeserver.yaml). Synapse does not
    serve ``/_matrix/policy/``; vendors' servers reach it at the practice's server name like
    any federation request, so the proxy sends that prefix to PHI Gate with the raw path kept
    (the X-Matrix signature covers it) and everything else to Synapse as before."""
    upstream = config.appservice.address.rstrip("/")
    if not config.policy_server.enabled:
        return [
            "policy_server.enabled is false: vendors' own servers store and send their users'"
            " messages without asking PHI Gate (the practice's server still refuses blocked"
            " ones on arrival)",
        ]
    return [
        "PHI Gate is the rooms' policy server: route /_matrix/policy/ on the federation port"
        f" to {upstream}, before the route to Synapse",
        "nginx (server block of the federation listener):",
        f"  location /_matrix/policy/ {{ proxy_pass {upstream}; proxy_set_header Host $host; }}",
        "Caddy (site block of the federation listener, before reverse_proxy to Synapse):",
        f"  handle /_matrix/policy/* {{ reverse_proxy {upstream} }}",
    ]
