"""AuditLog.query / count filters, ordering, limits and the bucketed party index."""

from __future__ import annotations

import pytest

from bridge.audit import AuditEntry, AuditFilter, AuditLog, Counterparty, RecordKind
from bridge.audit.models import BUCKET_BITS

from .conftest import NOW, message

ROOM_A = "!a:clinic.example"
ROOM_B = "!b:clinic.example"
PATIENT = "@pat:patients.example"


@pytest.fixture
async def sample(log: AuditLog) -> AuditLog:
    """Eight records with a known spread of vendors, rooms, users and categories."""
    entries = [
        message(1, vendor="acme", category="phi", room=ROOM_A),  # 1
        message(2, vendor="acme", category="non_phi", room=ROOM_A),  # 2
        message(3, vendor="labco", category="phi", room=ROOM_B, sender="@bob:clinic.example"),
        message(4, vendor=None, category="phi", room=ROOM_B, patient=PATIENT),  # 4
        message(5, vendor="acme", category="unknown", room=ROOM_A, patient=PATIENT),  # 5
        AuditEntry(  # 6: a BAA transition about labco, no room
            kind=RecordKind.TRANSITION,
            recorded_ts=NOW + 6,
            event_type="org.phigate.baa_transition",
            sender="@admin:clinic.example",
            decision="applied",
            subject_vendor="labco",
        ),
        AuditEntry(  # 7: a consent command about the patient
            kind=RecordKind.COMMAND,
            recorded_ts=NOW + 7,
            event_type="org.phigate.command",
            sender="@admin:clinic.example",
            subject_user=PATIENT,
            decision="refused",
        ),
        message(8, vendor="acme", category="phi", room=ROOM_B, sender="@bob:clinic.example"),
    ]
    await log.append(entries)
    return log


async def seqs(log: AuditLog, **kw: object) -> list[int]:
    return [r.seq for r in await log.query(AuditFilter(**kw))]  # type: ignore[arg-type]


async def test_no_filter_newest_first(sample: AuditLog) -> None:
    assert await seqs(sample) == [8, 7, 6, 5, 4, 3, 2, 1]
    assert await seqs(sample, limit=3) == [8, 7, 6]
    assert await sample.count(AuditFilter()) == 8


async def test_vendor_filter_counterparty_or_subject(sample: AuditLog) -> None:
    assert await seqs(sample, vendor="acme") == [8, 5, 2, 1]
    assert await seqs(sample, vendor="labco") == [6, 3]  # 6 via subject_vendor
    assert await seqs(sample, vendor="nobody") == []


async def test_user_filter_sender_counterparty_or_subject(sample: AuditLog) -> None:
    assert await seqs(sample, user=PATIENT) == [7, 5, 4]  # 7 via subject_user
    assert await seqs(sample, user="@bob:clinic.example") == [8, 3]  # sender
    assert await seqs(sample, user="@bot:acme.example") == [8, 5, 2, 1]  # counterparty


async def test_room_category_time_kind_filters(sample: AuditLog) -> None:
    assert await seqs(sample, room=ROOM_B) == [8, 4, 3]
    assert await seqs(sample, category="phi") == [8, 4, 3, 1]
    assert await seqs(sample, category="unknown") == [5]
    assert await seqs(sample, since_ms=NOW + 5) == [8, 7, 6, 5]
    assert await seqs(sample, until_ms=NOW + 3) == [2, 1]  # until is exclusive
    assert await seqs(sample, since_ms=NOW + 2, until_ms=NOW + 4) == [3, 2]
    assert await seqs(sample, kind=RecordKind.TRANSITION) == [6]
    assert await seqs(sample, kind="command") == [7]


async def test_combined_filters(sample: AuditLog) -> None:
    assert await seqs(sample, vendor="acme", category="phi") == [8, 1]
    assert await seqs(sample, vendor="acme", room=ROOM_A) == [5, 2, 1]
    assert await seqs(sample, vendor="acme", user=PATIENT) == [5]
    assert await seqs(sample, vendor="acme", user=PATIENT, category="phi") == []
    assert await seqs(sample, room=ROOM_B, user="@bob:clinic.example", category="phi") == [8, 3]
    assert await seqs(sample, vendor="acme", since_ms=NOW + 2, until_ms=NOW + 8) == [5, 2]
    assert await seqs(sample, user=PATIENT, kind=RecordKind.EVENT) == [5, 4]
    assert await seqs(sample, vendor="acme", category="phi", limit=1) == [8]


async def test_count_matches_query(sample: AuditLog) -> None:
    for kw in (
        {"vendor": "acme"},
        {"vendor": "acme", "category": "phi"},
        {"user": PATIENT},
        {"room": ROOM_B, "kind": RecordKind.EVENT},
        {"category": "phi"},
        {"since_ms": NOW + 3},
        {"vendor": "labco", "user": "@admin:clinic.example"},
    ):
        f = AuditFilter(**kw, limit=None)  # type: ignore[arg-type]
        assert await sample.count(f) == len(await sample.query(f)), kw


async def test_bad_filters_rejected(sample: AuditLog) -> None:
    with pytest.raises(ValueError):
        await sample.query(AuditFilter(limit=0))
    with pytest.raises(ValueError):
        await sample.query(AuditFilter(category="secret"))
    with pytest.raises(ValueError):
        await sample.count(AuditFilter(vendor="acme", category="PHI"))


async def test_query_on_empty_log(log: AuditLog) -> None:
    assert await log.query(AuditFilter(vendor="acme")) == []
    assert await log.count(AuditFilter(vendor="acme")) == 0
    assert await log.query(AuditFilter()) == []


async def test_records_carry_counterparties_and_agreement_status(sample: AuditLog) -> None:
    (record,) = await sample.query(AuditFilter(vendor="acme", user=PATIENT))
    assert record.counterparties == (
        Counterparty("@bot:acme.example", "vendor", "acme", "Active"),
        Counterparty(PATIENT, "patient", None, "Active"),
    )
    assert record.sender_kind == "staff" and record.event_ts == NOW + 5 - 3


async def test_search_across_many_buckets(log: AuditLog) -> None:
    """A vendor seen only long ago (several index buckets back) is still found, newest
    first, and limits that span buckets return exactly the newest rows."""
    per_bucket = 1 << BUCKET_BITS
    total = 3 * per_bucket + 100
    rare = {5, 17, per_bucket + 3}  # two in bucket 0, one in bucket 1
    batch: list[AuditEntry] = []
    for i in range(1, total + 1):
        vendor = "rare" if i in rare else "busy"
        batch.append(message(i, vendor=vendor, category="phi" if i % 2 else "non_phi"))
        if len(batch) == 1000:
            await log.append(batch)
            batch = []
    await log.append(batch)

    assert await seqs(log, vendor="rare") == sorted(rare, reverse=True)
    assert await log.count(AuditFilter(vendor="rare", category="phi")) == len(rare)  # all odd
    newest = await seqs(log, vendor="busy", category="phi", limit=150)
    expected = [i for i in range(total, 0, -1) if i % 2 and i not in rare][:150]
    assert newest == expected
    since = per_bucket - 10  # message(i) is recorded at NOW + i
    spanning = await seqs(log, vendor="busy", since_ms=NOW + since, limit=None)
    assert spanning == [i for i in range(total, since - 1, -1) if i not in rare]
    assert await log.count(AuditFilter(vendor="busy")) == total - len(rare)
    assert (await log.verify()).ok
