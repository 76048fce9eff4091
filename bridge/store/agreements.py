"""Repository for vendors, their links and BAAs, patients and their consent."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
)

from bridge.errors import AlreadyExists, NotFound
from bridge.store.models import BAATransition, ConsentTransition, Patient, Vendor, VendorLink


class AgreementStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    def session(self) -> AsyncSession:
        return self._sessions()

    async def all_vendors(self) -> tuple[list[Vendor], list[VendorLink]]:
        async with self._sessions() as s:
            vendors = list((await s.scalars(select(Vendor).order_by(Vendor.vendor_id))).all())
            links = list((await s.scalars(select(VendorLink))).all())
        return vendors, links

    async def all_patients(self) -> list[Patient]:
        async with self._sessions() as s:
            return list((await s.scalars(select(Patient).order_by(Patient.user_id))).all())

    async def add_vendor(self, vendor: Vendor) -> None:
        async with self._sessions() as s, s.begin():
            if await s.get(Vendor, vendor.vendor_id) is not None:
                raise AlreadyExists(f"vendor {vendor.vendor_id} already exists")
            s.add(vendor)

    async def add_link(self, link: VendorLink) -> None:
        try:
            async with self._sessions() as s, s.begin():
                existing = await s.get(VendorLink, link.target)
                if existing is not None:
                    raise AlreadyExists(
                        f"{link.target} is already linked to vendor {existing.vendor_id}"
                    )
                s.add(link)
        except IntegrityError:
            raise AlreadyExists(f"{link.target} is already linked") from None

    async def remove_link(self, vendor_id: str, target: str) -> None:
        async with self._sessions() as s, s.begin():
            result = await s.execute(
                delete(VendorLink).where(
                    VendorLink.vendor_id == vendor_id, VendorLink.target == target
                )
            )
            if result.rowcount == 0:
                raise NotFound(f"{target} is not linked to vendor {vendor_id}")

    async def record_baa(
        self,
        conn: AsyncConnection,
        vendor_id: str,
        transition: BAATransition,
        *,
        state: str,
        expires_ms: int | None,
    ) -> None:
        """Store the new state and its history row in the caller's transaction (the one that
        commits the transition's audit record: neither can exist without the other)."""
        async with AsyncSession(bind=conn, expire_on_commit=False) as s:
            vendor = await s.get(Vendor, vendor_id)
            if vendor is None:
                raise NotFound(f"no vendor {vendor_id}")
            vendor.baa_state = state
            vendor.baa_expires_ms = expires_ms
            vendor.baa_updated_ms = transition.at_ms
            s.add(transition)
            await s.flush()

    async def baa_history(self, vendor_id: str, limit: int = 20) -> Sequence[BAATransition]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(BAATransition)
                .where(BAATransition.vendor_id == vendor_id)
                .order_by(BAATransition.id.desc())
                .limit(limit)
            )
            return list(rows.all())

    async def add_patient(self, patient: Patient) -> None:
        async with self._sessions() as s, s.begin():
            if await s.get(Patient, patient.user_id) is not None:
                raise AlreadyExists(f"{patient.user_id} is already registered as a patient")
            s.add(patient)

    async def record_consent(
        self,
        conn: AsyncConnection,
        user_id: str,
        transition: ConsentTransition,
        *,
        state: str,
        expires_ms: int | None,
    ) -> None:
        """Like :meth:`record_baa`, for a patient's consent."""
        async with AsyncSession(bind=conn, expire_on_commit=False) as s:
            patient = await s.get(Patient, user_id)
            if patient is None:
                raise NotFound(f"{user_id} is not a registered patient")
            patient.consent_state = state
            patient.consent_expires_ms = expires_ms
            patient.consent_updated_ms = transition.at_ms
            s.add(transition)
            await s.flush()

    async def consent_history(self, user_id: str, limit: int = 20) -> Sequence[ConsentTransition]:
        async with self._sessions() as s:
            rows = await s.scalars(
                select(ConsentTransition)
                .where(ConsentTransition.user_id == user_id)
                .order_by(ConsentTransition.id.desc())
                .limit(limit)
            )
            return list(rows.all())
