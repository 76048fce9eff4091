"""Long commands (`!audit verify`) are answered beside the gate: a gated message's verdict
never waits for them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ..harness.clients import wait_for
from .conftest import Deployment
from .test_gate import NON_PHI, gated_vendor_room


async def test_gate_decides_while_a_long_verify_runs(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = deployment
    alice, _rep, room = await gated_vendor_room(d)
    admin = await d.admin()
    # The verify is held at its start until the test lets it go: a stand-in for hashing a
    # million records, which takes minutes.
    audit = d.bridge.services.audit
    release = asyncio.Event()
    started = asyncio.Event()
    verify = audit.verify

    async def held_verify(*args: Any, **kwargs: Any) -> Any:
        started.set()
        await release.wait()
        return await verify(*args, **kwargs)

    monkeypatch.setattr(audit, "verify", held_verify)
    before = len(d.bot_notices(admin, d.control_room))
    await d.send(admin, d.control_room, "!audit verify")
    await wait_for(started.is_set, timeout=15, message="the verify never started")
    await wait_for(
        lambda: any(
            n.startswith("working on !audit verify")
            for n in d.bot_notices(admin, d.control_room)[before:]
        ),
        timeout=15,
        message="the long command was not acknowledged",
    )

    # While the verify is still running, a gated message is judged and removed.
    blocked = await d.send(alice, room, NON_PHI)
    await d.wait_redacted(alice, room, blocked)
    assert not release.is_set()

    release.set()
    answer = await wait_for(
        lambda: next(
            (n for n in d.bot_notices(admin, d.control_room)[before:] if "intact" in n or "⚠" in n),
            None,
        ),
        timeout=30,
        message="the verify was never answered",
    )
    assert "intact" in answer
