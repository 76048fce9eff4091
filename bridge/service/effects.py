"""What a change that can open a gate would do, worked out before it is made.

`!baa set … Active`, `!consent grant` and `!vendor link` can each let PHI flow where it was
blocked, or turn a staff member into a vendor. The bot first answers with their effect on
the managed rooms as they are now (which rooms open or close, whose kind changes) and applies
them only on `!confirm`; the effect is computed here, on a hypothetical registry, so the
preview and the change can never be judged by different rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bridge.errors import InvalidArgument
from bridge.policy import (
    BAAState,
    ConsentState,
    PartyKind,
    RoomGate,
    check_baa_transition,
    check_consent_transition,
    room_gate,
)
from bridge.policy.identifiers import parse_link_target
from bridge.service.agreements import AgreementService
from bridge.service.registry import Registry
from bridge.service.rooms import RoomStatus


@dataclass(frozen=True, slots=True)
class KindChange:
    user_id: str
    before: PartyKind
    after: PartyKind
    vendor_id: str | None


@dataclass(frozen=True, slots=True)
class Effect:
    """The difference a change makes to the managed rooms as they are now."""

    opening: tuple[str, ...] = ()  # room IDs gated now, open after
    closing: tuple[str, ...] = ()  # room IDs open now, gated after
    kind_changes: tuple[KindChange, ...] = ()  # members of managed rooms whose kind changes

    @property
    def changes_anything(self) -> bool:
        return bool(self.opening or self.closing or self.kind_changes)

    def lines(self) -> list[str]:
        """The effect in words, one fact a line (empty: no managed room changes)."""
        lines = [f"opens room {r} (PHI may then flow there)" for r in self.opening]
        lines += [f"closes room {r}" for r in self.closing]
        for c in self.kind_changes:
            after = f"vendor {c.vendor_id}" if c.vendor_id else c.after.value
            lines.append(f"{c.user_id} changes from {c.before.value} to {after}")
        return lines


def baa_active_effect(
    agreements: AgreementService,
    rooms: Sequence[RoomStatus],
    vendor_id: str,
    expires_ms: int | None,
) -> Effect:
    """The effect of ``!baa set <vendor> Active``.

    Raises:
        NotFound: no such vendor.
        TransitionRefused: Active is not reachable from the vendor's state now.
    """
    info = agreements.vendor(vendor_id)
    now = agreements.now_ms()
    check_baa_transition(info.effective(now), BAAState.ACTIVE, expires_ms=expires_ms, now_ms=now)
    current = agreements.registry
    vendors = dict(current.vendors)
    vendors[vendor_id] = replace(
        info, baa_state=BAAState.ACTIVE, baa_expires_ms=expires_ms, baa_updated_ms=now
    )
    return _difference(current, Registry(current.directory, vendors, current.patients), rooms, now)


def consent_grant_effect(
    agreements: AgreementService,
    rooms: Sequence[RoomStatus],
    user_id: str,
    expires_ms: int | None,
) -> Effect:
    """The effect of ``!consent grant <user>``.

    Raises:
        NotFound: not a registered patient.
        TransitionRefused: Active is not reachable from the patient's consent now.
    """
    info = agreements.patient(user_id)
    now = agreements.now_ms()
    check_consent_transition(
        info.effective(now), ConsentState.ACTIVE, expires_ms=expires_ms, now_ms=now
    )
    current = agreements.registry
    patients = dict(current.patients)
    patients[user_id] = replace(
        info, consent_state=ConsentState.ACTIVE, consent_expires_ms=expires_ms
    )
    return _difference(current, Registry(current.directory, current.vendors, patients), rooms, now)


def link_effect(
    agreements: AgreementService,
    rooms: Sequence[RoomStatus],
    vendor_id: str,
    target_text: str,
) -> Effect:
    """The effect of ``!vendor link <vendor> <target>``.

    Raises:
        NotFound: no such vendor.
        InvalidArgument: the target is one of the practice's own staff domains: linking it
            would make the whole workforce a vendor, which can only be a mistake.
    """
    agreements.vendor(vendor_id)
    target, is_user = parse_link_target(target_text)
    current = agreements.registry
    directory = current.directory
    if not is_user and target in directory.staff_domains:
        raise InvalidArgument(
            f"{target} is the practice's own staff domain: linking it would make every staff "
            "member a vendor; link the vendor's own accounts one by one (@user:server)"
        )
    if is_user:
        linked = replace(directory, vendor_users={**directory.vendor_users, target: vendor_id})
    else:
        linked = replace(directory, vendor_servers={**directory.vendor_servers, target: vendor_id})
    after = Registry(linked, current.vendors, current.patients)
    return _difference(current, after, rooms, agreements.now_ms())


def _difference(
    before: Registry, after: Registry, rooms: Sequence[RoomStatus], now_ms: int
) -> Effect:
    opening: list[str] = []
    closing: list[str] = []
    changes: dict[str, KindChange] = {}
    for room in sorted(rooms, key=lambda r: r.room_id):
        gate_before = room_gate(before.counterparties(room.members, now_ms))
        gate_after = room_gate(after.counterparties(room.members, now_ms))
        if gate_before is RoomGate.GATED and gate_after is RoomGate.OPEN:
            opening.append(room.room_id)
        elif gate_before is RoomGate.OPEN and gate_after is RoomGate.GATED:
            closing.append(room.room_id)
        for user in room.members:
            was, now = before.party(user), after.party(user)
            if (was.kind, was.vendor_id) != (now.kind, now.vendor_id):
                changes[user] = KindChange(user, was.kind, now.kind, now.vendor_id)
    return Effect(tuple(opening), tuple(closing), tuple(changes[u] for u in sorted(changes)))
