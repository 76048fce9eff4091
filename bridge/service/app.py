"""Opening and closing everything a command needs: database, audit log, agreements."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import AuditKeyring, AuditLog
from bridge.config import Config
from bridge.policy import Directory
from bridge.service.agreements import AgreementService, Clock
from bridge.store.agreements import AgreementStore
from bridge.store.database import open_database


def wall_clock() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class Services:
    config: Config
    engine: AsyncEngine
    audit: AuditLog
    agreements: AgreementService

    async def close(self) -> None:
        await self.engine.dispose()


def workforce_directory(config: Config) -> Directory:
    """How the practice recognises its workforce, as config.yaml says (SPEC §1 Parties)."""
    org = config.organization
    return Directory(
        staff_domains=org.staff_domains,
        staff_users=org.staff_users,
        staff_patterns=org.staff_user_patterns,
        staff_by_domain=org.staff_by_domain,
        patient_domains=org.patient_domains,
    )


async def open_services(config: Config, clock: Clock = wall_clock) -> Services:
    """Load the audit key first: a wrong or missing key must stop us before anything is written.

    Raises:
        AuditKeyError: the key file is missing, unreadable, or does not match the database.
        DatabaseError: the database cannot be opened or migrated.
    """
    keyring = AuditKeyring.load(config.audit_key_file)
    engine = await open_database(config.database)
    try:
        audit = await AuditLog.open(engine, keyring, now_ms=clock())
        agreements = AgreementService(
            AgreementStore(engine),
            audit,
            staff_domains=config.organization.staff_domains,
            service_users=frozenset({config.bot_user_id, config.sender_user_id}),
            clock=clock,
            workforce=workforce_directory(config),
        )
        await agreements.load()
    except BaseException:
        await engine.dispose()
        raise
    return Services(config, engine, audit, agreements)
