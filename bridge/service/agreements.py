"""Vendors, links, BAAs, patients and consent: the operations bot commands and the CLI share.

Every transition is stored with who, when and why, appended to the audit log, and announced
to the listeners (the appservice re-evaluates every affected room before the call returns).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bridge.audit import AuditEntry, AuditLog, RecordKind
from bridge.errors import InvalidArgument, NotFound, TransitionRefused
from bridge.policy import (
    BAAState,
    ConsentState,
    Directory,
    SenderKind,
    check_baa_transition,
    check_consent_transition,
)
from bridge.policy.identifiers import parse_link_target, parse_user_id, parse_vendor_id
from bridge.service.registry import PatientInfo, Registry, VendorInfo
from bridge.store.agreements import AgreementStore
from bridge.store.models import BAATransition, ConsentTransition, Patient, Vendor, VendorLink

log = logging.getLogger(__name__)

Clock = Callable[[], int]


class ChangeKind(StrEnum):
    BAA = "baa"
    CONSENT = "consent"
    LINK = "link"
    PATIENT = "patient"


@dataclass(frozen=True, slots=True)
class AgreementChange:
    kind: ChangeKind
    vendor_id: str | None = None
    user_id: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    # The agreement's expiry as the transition gave it (for Active → Expired: when it lapsed).
    expires_ms: int | None = None


Listener = Callable[[AgreementChange], Awaitable[None]]
Agreement = BAAState | ConsentState


@dataclass(frozen=True, slots=True)
class TransitionView:
    from_state: str
    to_state: str
    expires_ms: int | None
    actor: str
    reason: str
    at_ms: int


class AgreementService:
    def __init__(
        self,
        store: AgreementStore,
        audit: AuditLog,
        *,
        staff_domains: frozenset[str],
        service_users: frozenset[str],
        clock: Clock,
        workforce: Directory | None = None,
    ) -> None:
        """``workforce``: how staff are recognised (its staff_users, staff_patterns,
        staff_by_domain and patient_domains are kept; the rest comes from the database)."""
        self._store = store
        self._audit = audit
        self._service_users = service_users
        self._clock = clock
        self._listeners: list[Listener] = []
        self._workforce = replace(
            workforce or Directory(staff_domains), staff_domains=staff_domains
        )
        self.registry = Registry(replace(self._workforce, service_users=service_users))

    def now_ms(self) -> int:
        return self._clock()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    async def load(self) -> Registry:
        """Rebuild the in-memory registry from the database."""
        vendors, links = await self._store.all_vendors()
        patients = await self._store.all_patients()
        servers: dict[str, list[str]] = {}
        users: dict[str, list[str]] = {}
        for link in links:
            (users if link.is_user else servers).setdefault(link.vendor_id, []).append(link.target)
        vendor_infos = {
            v.vendor_id: VendorInfo(
                vendor_id=v.vendor_id,
                display_name=v.display_name,
                baa_state=BAAState(v.baa_state),
                baa_expires_ms=v.baa_expires_ms,
                baa_updated_ms=v.baa_updated_ms,
                servers=tuple(sorted(servers.get(v.vendor_id, ()))),
                users=tuple(sorted(users.get(v.vendor_id, ()))),
            )
            for v in vendors
        }
        patient_infos = {
            p.user_id: PatientInfo(
                p.user_id, ConsentState(p.consent_state), p.consent_expires_ms, p.consent_updated_ms
            )
            for p in patients
        }
        directory = replace(
            self._workforce,
            vendor_servers={k.target: k.vendor_id for k in links if not k.is_user},
            vendor_users={k.target: k.vendor_id for k in links if k.is_user},
            patients=frozenset(patient_infos),
            service_users=self._service_users,
        )
        self.registry = Registry(directory, vendor_infos, patient_infos)
        return self.registry

    # --- vendors -------------------------------------------------------------------------

    def vendor(self, vendor_id: str) -> VendorInfo:
        info = self.registry.vendors.get(vendor_id)
        if info is None:
            raise NotFound(f"no vendor {vendor_id!r} (see `!vendor list`)")
        return info

    def list_vendors(self) -> list[VendorInfo]:
        return list(self.registry.vendors.values())

    async def add_vendor(self, vendor_id: str, display_name: str, actor: str) -> VendorInfo:
        vendor_id = parse_vendor_id(vendor_id)
        display_name = " ".join(display_name.split())
        if not display_name or len(display_name) > 200:
            raise InvalidArgument("a vendor needs a display name of 1–200 characters")
        now = self._clock()
        await self._store.add_vendor(
            Vendor(
                vendor_id=vendor_id,
                display_name=display_name,
                created_ms=now,
                created_by=actor,
                baa_state=BAAState.NONE.value,
                baa_expires_ms=None,
                baa_updated_ms=now,
            )
        )
        await self._audit_admin(
            "org.phigate.vendor_add",
            actor,
            now,
            subject_vendor=vendor_id,
            content={"vendor_id": vendor_id, "display_name": display_name},
        )
        await self.load()
        return self.vendor(vendor_id)

    async def link(self, vendor_id: str, target_text: str, actor: str) -> str:
        vendor_id = parse_vendor_id(vendor_id)
        self.vendor(vendor_id)
        target, is_user = parse_link_target(target_text)
        if is_user and target in self.registry.patients:
            raise InvalidArgument(f"{target} is registered as a patient; it cannot be a vendor")
        now = self._clock()
        await self._store.add_link(
            VendorLink(
                target=target,
                vendor_id=vendor_id,
                is_user=is_user,
                created_ms=now,
                created_by=actor,
            )
        )
        await self._audit_admin(
            "org.phigate.vendor_link",
            actor,
            now,
            subject_vendor=vendor_id,
            subject_user=target if is_user else None,
            content={"vendor_id": vendor_id, "target": target},
        )
        await self._changed(AgreementChange(ChangeKind.LINK, vendor_id=vendor_id))
        return target

    async def unlink(self, vendor_id: str, target_text: str, actor: str) -> str:
        vendor_id = parse_vendor_id(vendor_id)
        self.vendor(vendor_id)
        target, is_user = parse_link_target(target_text)
        await self._store.remove_link(vendor_id, target)
        now = self._clock()
        await self._audit_admin(
            "org.phigate.vendor_unlink",
            actor,
            now,
            subject_vendor=vendor_id,
            subject_user=target if is_user else None,
            content={"vendor_id": vendor_id, "target": target},
        )
        await self._changed(AgreementChange(ChangeKind.LINK, vendor_id=vendor_id))
        return target

    # --- BAAs ----------------------------------------------------------------------------

    def baa_list(self, state: BAAState | None = None) -> list[VendorInfo]:
        now = self._clock()
        return [v for v in self.list_vendors() if state is None or v.effective(now) is state]

    async def baa_history(self, vendor_id: str, limit: int = 10) -> list[TransitionView]:
        self.vendor(vendor_id)
        return [_view(t) for t in await self._store.baa_history(vendor_id, limit)]

    async def baa_set(
        self,
        vendor_id: str,
        target: BAAState,
        *,
        expires_ms: int | None,
        reason: str,
        actor: str,
    ) -> AgreementChange:
        """Move a vendor's BAA to ``target``.

        Raises:
            NotFound: no such vendor.
            TransitionRefused: not allowed from the current (effective) state; the message
                lists the legal states. The refusal is audited too.
        """
        vendor_id = parse_vendor_id(vendor_id)
        info = self.vendor(vendor_id)
        now = self._clock()
        current = info.effective(now)
        return await self._transition(
            ChangeKind.BAA, vendor_id, current, target, expires_ms, reason, actor, now
        )

    # --- patients and consent ------------------------------------------------------------

    def patient(self, user_id: str) -> PatientInfo:
        info = self.registry.patients.get(user_id)
        if info is None:
            raise NotFound(f"{user_id} is not a registered patient (use `!patient add`)")
        return info

    async def patient_add(self, user_text: str, actor: str) -> PatientInfo:
        user_id = parse_user_id(user_text)
        if user_id in self.registry.directory.vendor_users:
            raise InvalidArgument(f"{user_id} is linked to a vendor; it cannot be a patient")
        if user_id in self._service_users:
            raise InvalidArgument(f"{user_id} is PHI Gate itself")
        now = self._clock()
        await self._store.add_patient(
            Patient(
                user_id=user_id,
                created_ms=now,
                created_by=actor,
                consent_state=ConsentState.NONE.value,
                consent_expires_ms=None,
                consent_updated_ms=now,
            )
        )
        await self._audit_admin(
            "org.phigate.patient_add", actor, now, subject_user=user_id, content={"user": user_id}
        )
        await self._changed(AgreementChange(ChangeKind.PATIENT, user_id=user_id))
        return self.patient(user_id)

    async def consent_history(self, user_id: str, limit: int = 10) -> list[TransitionView]:
        self.patient(user_id)
        return [_view(t) for t in await self._store.consent_history(user_id, limit)]

    async def consent_grant(
        self, user_text: str, *, expires_ms: int | None, actor: str, reason: str = ""
    ) -> AgreementChange:
        return await self._consent(
            parse_user_id(user_text), ConsentState.ACTIVE, expires_ms, reason, actor
        )

    async def consent_revoke(self, user_text: str, *, reason: str, actor: str) -> AgreementChange:
        return await self._consent(
            parse_user_id(user_text), ConsentState.REVOKED, None, reason, actor
        )

    async def _consent(
        self,
        user_id: str,
        target: ConsentState,
        expires_ms: int | None,
        reason: str,
        actor: str,
    ) -> AgreementChange:
        info = self.patient(user_id)
        now = self._clock()
        current = info.effective(now)
        return await self._transition(
            ChangeKind.CONSENT, user_id, current, target, expires_ms, reason, actor, now
        )

    # --- expiry --------------------------------------------------------------------------

    async def expire_due(self, actor: str) -> list[AgreementChange]:
        """Record Active → Expired for every agreement whose expiry has passed.

        The gate already treats such an agreement as Expired (its state is computed from
        the clock); this writes the transition down with who (PHI Gate), when and why.
        """
        now = self._clock()
        changes: list[AgreementChange] = []
        why = "expiry date passed"
        for v in self.list_vendors():
            if v.baa_state is BAAState.ACTIVE and v.effective(now) is BAAState.EXPIRED:
                changes.append(
                    await self._record(
                        ChangeKind.BAA,
                        v.vendor_id,
                        BAAState.ACTIVE,
                        BAAState.EXPIRED,
                        v.baa_expires_ms,
                        why,
                        actor,
                        now,
                    )
                )
        for p in self.registry.patients.values():
            if p.consent_state is ConsentState.ACTIVE and p.effective(now) is ConsentState.EXPIRED:
                changes.append(
                    await self._record(
                        ChangeKind.CONSENT,
                        p.user_id,
                        ConsentState.ACTIVE,
                        ConsentState.EXPIRED,
                        p.consent_expires_ms,
                        why,
                        actor,
                        now,
                    )
                )
        if changes:
            await self.load()
            for change in changes:
                await self._notify(change)
        return changes

    # --- internals -----------------------------------------------------------------------

    async def _transition(
        self,
        kind: ChangeKind,
        subject: str,
        current: Agreement,
        target: Agreement,
        expires_ms: int | None,
        reason: str,
        actor: str,
        now: int,
    ) -> AgreementChange:
        """Check, record and announce one transition. A refused one is audited too.

        Raises:
            TransitionRefused: not allowed from ``current``; the message lists the legal states.
        """
        check = check_baa_transition if kind is ChangeKind.BAA else check_consent_transition
        try:
            check(current, target, expires_ms=expires_ms, now_ms=now)  # type: ignore[arg-type]
        except TransitionRefused as refused:
            await self._audit_transition(
                kind,
                subject,
                actor,
                now,
                current,
                target,
                expires_ms,
                reason,
                decision="refused",
                refusal=str(refused),
            )
            raise
        change = await self._record(kind, subject, current, target, expires_ms, reason, actor, now)
        await self._changed(change)
        return change

    async def _record(
        self,
        kind: ChangeKind,
        subject: str,
        current: Agreement,
        target: Agreement,
        expires_ms: int | None,
        reason: str,
        actor: str,
        now: int,
    ) -> AgreementChange:
        """Store a legal transition (a vendor's BAA or a patient's consent) with its history
        row, in the database transaction that appends its audit record."""
        fields = dict(
            from_state=current.value,
            to_state=target.value,
            expires_ms=expires_ms,
            actor=actor,
            reason=reason,
            at_ms=now,
        )
        # Only an Active agreement keeps an expiry: the others never lapse.
        kept_expiry = expires_ms if target.value == "Active" else None

        async def write(conn: AsyncConnection) -> None:
            if kind is ChangeKind.BAA:
                baa = BAATransition(vendor_id=subject, **fields)
                await self._store.record_baa(
                    conn, subject, baa, state=target.value, expires_ms=kept_expiry
                )
            else:
                consent = ConsentTransition(user_id=subject, **fields)
                await self._store.record_consent(
                    conn, subject, consent, state=target.value, expires_ms=kept_expiry
                )

        await self._audit_transition(
            kind, subject, actor, now, current, target, expires_ms, reason, also=write
        )
        vendor_id, user_id = (subject, None) if kind is ChangeKind.BAA else (None, subject)
        return AgreementChange(
            kind, vendor_id, user_id, current.value, target.value, expires_ms=expires_ms
        )

    async def _changed(self, change: AgreementChange) -> None:
        await self.load()
        await self._notify(change)

    async def _notify(self, change: AgreementChange) -> None:
        for listener in self._listeners:
            await listener(change)

    async def _audit_admin(
        self,
        event_type: str,
        actor: str,
        now: int,
        *,
        subject_vendor: str | None = None,
        subject_user: str | None = None,
        content: dict[str, Any] | None = None,
    ) -> None:
        await self._audit.append_one(
            AuditEntry(
                kind=RecordKind.COMMAND,
                recorded_ts=now,
                event_type=event_type,
                sender=actor,
                sender_kind=SenderKind.ADMIN,
                decision="applied",
                subject_vendor=subject_vendor,
                subject_user=subject_user,
                content=content,
            )
        )

    async def _audit_transition(
        self,
        kind: ChangeKind,
        subject: str,
        actor: str,
        now: int,
        current: Agreement,
        target: Agreement,
        expires_ms: int | None,
        reason: str,
        *,
        decision: str = "applied",
        refusal: str | None = None,
        also: Callable[[AsyncConnection], Awaitable[None]] | None = None,
    ) -> None:
        """The transition's audit record; ``also`` writes the transition itself in the same
        database transaction, so a crash between the two is impossible by construction."""
        baa = kind is ChangeKind.BAA
        entry = AuditEntry(
            kind=RecordKind.TRANSITION,
            recorded_ts=now,
            event_type="org.phigate.baa_transition" if baa else "org.phigate.consent_transition",
            sender=actor,
            sender_kind=SenderKind.ADMIN if actor not in self._service_users else SenderKind.BOT,
            decision=decision,
            reason=refusal or f"{current.value} → {target.value}",
            subject_vendor=subject if baa else None,
            subject_user=None if baa else subject,
            content={
                "from": current.value,
                "to": target.value,
                "expires_ms": expires_ms,
                "reason": reason,
            },
        )
        await self._audit.append([entry], also=also)


def _view(t: BAATransition | ConsentTransition) -> TransitionView:
    return TransitionView(t.from_state, t.to_state, t.expires_ms, t.actor, t.reason, t.at_ms)


__all__: Sequence[str] = [
    "AgreementChange",
    "AgreementService",
    "ChangeKind",
    "TransitionView",
]
