"""Counts over the audit log's plaintext metadata, for reports (no content is decrypted)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit.models import AuditPartyRow, AuditRecordRow
from bridge.audit.records import RecordKind

_RECORDS = AuditRecordRow.__table__
_PARTIES = AuditPartyRow.__table__
_R = _RECORDS.c
_P = _PARTIES.c
DAY_MS = 86_400_000
#: The decisions that kept an event from its recipients: redacted after delivery, or
#: refused before the homeserver stored it.
KEPT_FROM_RECIPIENTS = ("block", "refused")


async def blocked_per_vendor_and_month(
    engine: AsyncEngine, since_ms: int
) -> dict[str, dict[str, int]]:
    """Events blocked or refused in rooms with each vendor, from ``since_ms``: vendor ID →
    ``YYYY-MM`` (UTC) → count. A record with several vendors counts for each."""
    day = (_R.recorded_ts // DAY_MS).label("day")  # floor division on every database
    query = (
        select(_P.party_key, day, func.count())
        .select_from(_PARTIES.join(_RECORDS, _R.seq == _P.seq))
        .where(
            and_(
                _P.party_key.like("v:%"),
                _P.recorded_ts >= since_ms,
                _R.kind == RecordKind.EVENT.value,
                _R.decision.in_(KEPT_FROM_RECIPIENTS),
            )
        )
        .group_by(_P.party_key, day)
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    async with engine.connect() as conn:
        for key, day_number, n in await conn.execute(query):
            month = datetime.fromtimestamp(int(day_number) * DAY_MS / 1000, tz=UTC)
            counts[key[2:]][month.strftime("%Y-%m")] += int(n)
    return {vendor: dict(months) for vendor, months in counts.items()}
