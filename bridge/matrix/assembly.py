"""The gate's parts built with their collaborators, in one place: the running bridge and the
benchmarks assemble the same thing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bridge.config import Config
from bridge.matrix.e2ee import BotDevice
from bridge.matrix.event_gate import CommandHook, EventGate
from bridge.matrix.gate_state import RoomGates
from bridge.matrix.gatekeeper import Gatekeeper
from bridge.matrix.homeserver import Homeserver
from bridge.matrix.key_wait import KeyWaits
from bridge.matrix.notifier import Notifier
from bridge.matrix.policy_state import PolicyState
from bridge.matrix.removals import Remover
from bridge.matrix.room_guard import RoomGuard
from bridge.matrix.rooms import RoomTracker
from bridge.matrix.undecryptable import UndecryptableCounts
from bridge.matrix.work import Committer
from bridge.media import MediaChecker
from bridge.metrics import Metrics
from bridge.service.app import Services
from bridge.store.pending import PendingStore
from bridge.store.removals import RemovalStore


@dataclass(frozen=True, slots=True)
class Gate:
    notifier: Notifier
    gates: RoomGates
    guard: RoomGuard
    events: EventGate
    key_waits: KeyWaits
    remover: Remover
    gatekeeper: Gatekeeper


def assemble_gate(
    config: Config,
    services: Services,
    homeserver: Homeserver,
    rooms: RoomTracker,
    device: BotDevice,
    media: MediaChecker | None,
    *,
    on_command: CommandHook | None,
    clock: Callable[[], int],
    policy_state: PolicyState | None = None,
    metrics: Metrics | None = None,
    audit_append: Callable[..., Awaitable[Any]] | None = None,
) -> Gate:
    """``audit_append`` defaults to the audit log's own (the bridge passes it timed)."""
    append = audit_append or services.audit.append
    undecryptable = UndecryptableCounts()
    notifier = Notifier(homeserver, rooms, device, config.bot_user_id)
    gates = RoomGates(
        config,
        services.agreements,
        homeserver,
        rooms,
        notifier,
        undecryptable,
        audit_append=append,
        clock=clock,
        policy_state=policy_state,
    )
    guard = RoomGuard(
        config,
        services.agreements,
        homeserver,
        rooms,
        gates,
        notifier,
        policy_state=policy_state,
        clock=clock,
    )
    remover = Remover(
        RemovalStore(services.engine),
        redact=homeserver.redact,
        notice=notifier.notice,
        on_refused=guard.on_removal_refused,
        audit_append=append,
        bot_id=config.bot_user_id,
        clock=clock,
        metrics=metrics,
    )
    pending = PendingStore(services.engine)
    committer = Committer(append, remover.store, pending)
    events = EventGate(
        config,
        services.agreements,
        rooms,
        gates,
        device=device,
        media=media,
        on_command=on_command,
        metrics=metrics,
    )
    key_waits = KeyWaits(
        config,
        device,
        pending,
        rooms,
        events,
        committer,
        remover,
        undecryptable,
        metrics=metrics,
        clock=clock,
    )
    gatekeeper = Gatekeeper(
        rooms,
        device,
        events,
        guard,
        key_waits,
        committer,
        remover,
        audit_seen=services.audit.has_events,
        clock=clock,
    )
    return Gate(notifier, gates, guard, events, key_waits, remover, gatekeeper)
