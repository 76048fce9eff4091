"""A BAA or consent transition and its audit record commit together, or neither does."""

from __future__ import annotations

from typing import Any

import pytest

from bridge.audit import AuditFilter, RecordKind
from bridge.policy import BAAState, ConsentState
from bridge.service.app import Services

ADMIN = "@admin:clinic.test"


class Injected(RuntimeError):
    """The failure injected right after the state write."""


def fail_after(store: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = getattr(store, name)

    async def write_then_fail(*args: Any, **kwargs: Any) -> None:
        await real(*args, **kwargs)
        raise Injected(name)

    monkeypatch.setattr(store, name, write_then_fail)


async def transitions(services: Services) -> list[Any]:
    records = await services.audit.query(AuditFilter(limit=None))
    return [r for r in records if r.kind is RecordKind.TRANSITION]


async def test_failure_after_the_baa_write_leaves_neither(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreements = services.agreements
    await agreements.add_vendor("acme", "Acme Billing", actor=ADMIN)
    await agreements.baa_set("acme", BAAState.STAGING, expires_ms=None, reason="", actor=ADMIN)
    before = await transitions(services)
    fail_after(agreements._store, "record_baa", monkeypatch)
    with pytest.raises(Injected):
        await agreements.baa_set(
            "acme", BAAState.PENDING, expires_ms=None, reason="sent", actor=ADMIN
        )
    await agreements.load()  # what the database holds, not what memory says
    assert agreements.vendor("acme").baa_state is BAAState.STAGING
    assert len(await agreements.baa_history("acme")) == 1
    assert await transitions(services) == before
    monkeypatch.undo()
    await agreements.baa_set("acme", BAAState.PENDING, expires_ms=None, reason="", actor=ADMIN)
    assert len(await transitions(services)) == len(before) + 1
    assert (await services.audit.verify()).ok


async def test_failure_after_the_consent_write_leaves_neither(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreements = services.agreements
    await agreements.patient_add("@pat:clinic.test", actor=ADMIN)
    before = await transitions(services)
    fail_after(agreements._store, "record_consent", monkeypatch)
    with pytest.raises(Injected):
        await agreements.consent_grant("@pat:clinic.test", expires_ms=None, actor=ADMIN)
    await agreements.load()
    assert agreements.patient("@pat:clinic.test").consent_state is ConsentState.NONE
    assert await agreements.consent_history("@pat:clinic.test") == []
    assert await transitions(services) == before
