"""Plays :data:`bridge.demo.script.SCRIPT` against the running homeserver and PHI Gate.

Decisions are read back from the homeserver: a message PHI Gate blocked is served redacted
(``unsigned.redacted_because``; why is in its audit record) and followed by PHI Gate's
notice; an allowed one is served intact. PHI Gate writes an event's audit record only after it has
carried out its decision, so the player waits for that record and then asks the homeserver:
no sleeps, and no guessing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bridge.audit import AuditFilter, AuditRecord
from bridge.commands.background import WORKING
from bridge.config import load_config
from bridge.demo import waiting
from bridge.demo.client import DemoClient, SendRefused
from bridge.demo.script import (
    ADMIN,
    STAFF,
    Command,
    OpenRoom,
    Person,
    Say,
    Section,
    Step,
    VerifyAudit,
)
from bridge.demo.transcript import Transcript
from bridge.errors import PhiGateError
from bridge.matrix.notices import REFUSAL_PREFIX
from bridge.matrix.runtime import PhiGateBridge
from bridge.service.app import open_services

T = TypeVar("T")

WAIT_SECONDS = 20.0
# A blocked message is removed within moments of its decision's record.
REDACT_SECONDS = 5.0
BOT_POWER = 50  # moderator: may redact
GATE_EVENT = "org.phigate.gate"
CATEGORY_NAMES = {"phi": "PHI", "non_phi": "not PHI", "unknown": "unknown content"}


class DemoStepFailed(PhiGateError):
    """A step did not complete (the bot never answered, a room never became managed…)."""


async def wait_for(
    predicate: Callable[[], Awaitable[T | None] | T | None],
    what: str,
    timeout: float = WAIT_SECONDS,
    interval: float = 0.03,
) -> T:
    return await waiting.wait_for(
        predicate, what, timeout=timeout, interval=interval, error=DemoStepFailed
    )


@dataclass
class Outcome:
    """What the script produced: decisions in order and whether each matched the script."""

    decisions: list[str] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)
    audit_ok: bool | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"ALLOWED": 0, "BLOCKED": 0})


class Player:
    def __init__(
        self,
        bridge: PhiGateBridge,
        users: dict[str, DemoClient],
        transcript: Transcript,
        config_path: Path,
    ) -> None:
        self.bridge = bridge
        self.users = users
        self.t = transcript
        self.config_path = config_path
        self.bot = bridge.config.bot_user_id
        self.rooms: dict[str, str] = {}  # script key -> room id
        self.room_labels: dict[str, str] = {}  # room id -> short label
        self.control_room = ""
        self.outcome = Outcome()
        self._n = 0
        self._section = 0

    def user(self, person: Person) -> DemoClient:
        return self.users[person.key]

    async def play(self, steps: Sequence[Step]) -> Outcome:
        admin = self.users[ADMIN.key]
        self.control_room = await admin.join_room(self.bridge.config.organization.control_room)
        self.room_labels[self.control_room] = "control room"
        await self._until_ready(admin, self.control_room, [self.bot])
        for step in steps:
            if isinstance(step, Section):
                self._section += 1
                self.t.section(self._section, step.title)
                continue
            self._n += 1
            if isinstance(step, Command):
                await self.command(step)
            elif isinstance(step, OpenRoom):
                await self.open_room(step)
            elif isinstance(step, Say):
                await self.say(step)
            elif isinstance(step, VerifyAudit):
                await self.verify_audit()
        return self.outcome

    # --- steps -----------------------------------------------------------------------------

    async def command(self, step: Command) -> None:
        admin = self.user(step.actor)
        gates_before = {room_id: await self._gate(room_id) for room_id in self.rooms.values()}
        seen = {room_id: len(self._notices(room_id)) for room_id in self.rooms.values()}
        self.t.step(self._n, step.actor.localpart, "control room", step.text)
        event_id = await admin.send_text(self.control_room, step.text)

        def reply() -> str | None:
            # The answer replies to the command (alerts share the room); a long command
            # (`!audit verify`) is first acknowledged, then answered.
            replies = admin.replies_from(self.control_room, self.bot, event_id)
            answers = [n for n in replies if not n.startswith(WORKING)]
            return answers[0] if answers else None

        text = await wait_for(reply, f"PHI Gate never answered {step.text!r}")
        ok = not text.startswith("⚠")
        full = step.text.startswith("!audit")
        shown = text if full else text.splitlines()[0]
        self.t.detail("PHI Gate", shown, *(() if ok else ("yellow",)), full=full)
        if step.text.startswith("!audit verify"):
            self.outcome.audit_ok = self.outcome.audit_ok is not False and ok and "intact" in text
        # A transition re-evaluates every linked room before the reply; show the rooms whose
        # gate it opened or closed, with the notice PHI Gate posted there.
        for room_id, gate_before in gates_before.items():
            gate = await self._gate(room_id)
            if (gate or {}).get("state") == (gate_before or {}).get("state"):
                continue
            notice = await wait_for(
                lambda room_id=room_id: self._new_notice(room_id, seen[room_id], ("🟢", "🔒")),
                "PHI Gate posted no notice when the gate changed",
            )
            self.t.detail(self.room_labels[room_id], notice, "cyan")

    async def open_room(self, step: OpenRoom) -> None:
        owner = self.user(step.owner)
        guests = [self.user(p) for p in step.guests]
        names = ", ".join(p.localpart for p in step.guests)
        self.t.step(
            self._n,
            step.owner.localpart,
            "",
            f'opens encrypted room "{step.name}" with {names}',
        )
        room_id = await owner.create_room(
            step.name,
            invite=[self.bot, *(g.user_id for g in guests)],
            power_users={self.bot: BOT_POWER},
        )
        self.rooms[step.room] = room_id
        self.room_labels[room_id] = _room_label(step.name)
        # Vendors and patients may join only once PHI Gate protects the room (its gate
        # state is up): the homeserver refuses them before that.
        await wait_for(lambda: self._gate(room_id), f"PHI Gate never took charge of {step.name!r}")
        for guest in guests:
            await guest.join_room(room_id)

        async def gate_with_guests() -> dict[str, Any] | None:
            gate = await self._gate(room_id)
            listed = {c.get("user_id") for c in (gate or {}).get("counterparties", [])}
            return gate if gate and all(g.user_id in listed for g in guests) else None

        gate = await wait_for(gate_with_guests, f"PHI Gate never took charge of {step.name!r}")
        everyone = [owner, *guests]
        for client in everyone:
            others = [self.bot, *(c.user_id for c in everyone if c is not client)]
            await self._until_ready(client, room_id, others)
        # The notice PHI Gate posts when it takes charge: read before the first message, so a
        # later gate change is told apart from it.
        await wait_for(
            lambda: self._new_notice(room_id, 0, ("🟢", "🔒")),
            f"PHI Gate posted no gate notice in {step.name!r}",
        )
        self.t.detail("gate", _describe_gate(gate), "cyan")

    async def say(self, step: Say) -> None:
        room_id = self.rooms[step.room]
        sender = self.user(step.actor)
        label = self.room_labels[room_id]
        seen = len(self._notices(room_id))
        try:
            event_id = await sender.send_text(room_id, step.text)
        except SendRefused as refused:
            self._refused(step, label, str(refused))
            return
        record = await wait_for(
            lambda: self._decision(room_id, event_id),
            f"PHI Gate never decided on message {self._n}",
        )
        observer = self._observer(room_id)

        async def served_redacted() -> dict[str, Any] | None:
            served = await observer.event(room_id, event_id)
            return served if "redacted_because" in served.get("unsigned", {}) else None

        # PHI Gate records its decision first and removes a blocked message right after the
        # record is committed: read the homeserver back once the removal had its chance.
        served = None
        if record.decision == "block":
            with contextlib.suppress(DemoStepFailed):
                served = await wait_for(served_redacted, "never redacted", timeout=REDACT_SECONDS)
        served = served or await observer.event(room_id, event_id)
        redaction = served.get("unsigned", {}).get("redacted_because")
        decision = "BLOCKED" if redaction else "ALLOWED"
        shown = decision
        if decision != step.expect:
            self.outcome.unexpected.append(self._n)
            shown = f"{decision} (expected {step.expect})"
        self.outcome.decisions.append(decision)
        self.outcome.counts[decision] += 1
        self.t.step(self._n, step.actor.localpart, label, f'"{step.text}"', shown)
        category = CATEGORY_NAMES.get(record.category or "", "not classified")
        if redaction:
            # Why, from the audit record: the redaction's own reason is fixed words that
            # name no one (it reaches every server in the room unencrypted).
            self.t.detail("why", f"{category}; {record.reason}; redacted for everyone", "red")
            notice = await wait_for(
                lambda: self._new_notice(room_id, seen, ("🚫",)),
                "PHI Gate posted no notice for a blocked message",
            )
            self.t.detail("notice", notice, "dim")
        else:
            why = record.reason or "no agreement gates this room"
            self.t.detail("why", f"{category}; {why}; delivered as sent", "green")

    def _refused(self, step: Say, label: str, reason: str) -> None:
        """The homeserver asked PHI Gate first and refused the message: never stored, never
        delivered, the sender told why."""
        decision = "BLOCKED"
        shown = decision if decision == step.expect else f"{decision} (expected {step.expect})"
        if decision != step.expect:
            self.outcome.unexpected.append(self._n)
        self.outcome.decisions.append(decision)
        self.outcome.counts[decision] += 1
        self.t.step(self._n, step.actor.localpart, label, f'"{step.text}"', shown)
        why = reason.removeprefix(REFUSAL_PREFIX).split(". BAA record:")[0].rstrip(".")
        self.t.detail("why", f"{why}; refused before it was stored, nobody received it", "red")
        self.t.detail("sender saw", reason, "dim")

    async def verify_audit(self) -> None:
        """What ``phigate audit verify -c config.yaml`` does: open the deployment's database
        and audit key afresh (the service layer), walk the whole chain, check every record."""
        self.t.step(self._n, "phigate", "", f"audit verify -c {self.config_path}")
        services = await open_services(load_config(self.config_path))
        try:
            report = await services.audit.verify(deep=True)
        finally:
            await services.close()
        if report.ok:
            self.t.detail("result", f"{report.message} (every record's seal checked)", "green")
        else:
            self.t.detail("result", report.message, "red")
        self.outcome.audit_ok = self.outcome.audit_ok is not False and report.ok

    # --- reading back ------------------------------------------------------------------------

    def _observer(self, room_id: str) -> DemoClient:
        """Who reads a room back: the admin in the control room, the staff member elsewhere."""
        return self.users[ADMIN.key if room_id == self.control_room else STAFF.key]

    def _notices(self, room_id: str) -> list[str]:
        return self._observer(room_id).notices_from(room_id, self.bot)

    def _new_notice(self, room_id: str, seen: int, prefixes: tuple[str, ...]) -> str | None:
        return next((n for n in self._notices(room_id)[seen:] if n.startswith(prefixes)), None)

    async def _gate(self, room_id: str) -> dict[str, Any] | None:
        content = await self._observer(room_id).state(room_id, GATE_EVENT)
        return content if isinstance(content, dict) else None

    async def _until_ready(self, client: DemoClient, room_id: str, members: list[str]) -> None:
        encrypted = await client.state(room_id, "m.room.encryption") is not None
        await wait_for(
            lambda: client.ready_in(room_id, members, encrypted),
            f"{client.user_id} never got ready to talk in {self.room_labels.get(room_id, room_id)}",
        )

    async def _decision(self, room_id: str, event_id: str) -> AuditRecord | None:
        """PHI Gate's final decision on an event, once it has carried it out (an encrypted
        event whose key is late first gets a record without a decision)."""
        services = self.bridge.services
        if services is None:
            return None
        records = await services.audit.query(AuditFilter(room=room_id, limit=30))
        return next((r for r in records if r.event_id == event_id and r.decision is not None), None)


def _room_label(name: str) -> str:
    return name.split("—")[0].strip()


def _describe_gate(gate: dict[str, Any]) -> str:
    parties = []
    for c in gate.get("counterparties", []):
        who = str(c.get("user_id", "?")).split(":")[0]
        if c.get("kind") == "vendor":
            parties.append(f"{who} is vendor {c.get('agreement')}, BAA {c.get('status')}")
        elif c.get("kind") == "patient":
            parties.append(f"{who} is a patient, consent {c.get('status')}")
        else:
            parties.append(f"{who} is {c.get('kind')}, {c.get('status')}")
    state = str(gate.get("state", "?"))
    return f"{state} — " + ("; ".join(parties) or "no counterparties")
