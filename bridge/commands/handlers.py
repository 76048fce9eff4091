"""The control-room commands (SPEC §2 "Bot commands"), each declared where it is handled.

Handlers call the same service layer as the CLI and return an :class:`Output`; they raise
:class:`~bridge.errors.PhiGateError` for anything the admin must fix. Turning errors into
replies, checking who may run commands, and auditing happen once, in the processor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from bridge.audit.retention import HoldKind, HoldTarget
from bridge.commands.audit_view import (
    WitnessReader,
    audit_disclosures_output,
    audit_hold_output,
    audit_holds_output,
    audit_query_output,
    audit_release_output,
    audit_verify_output,
)
from bridge.commands.confirmations import CONFIRM_WINDOW_MS, Apply, Confirmations
from bridge.commands.parsing import Option, Rest, Word, bind, shown, tokenize
from bridge.commands.registry import PREFIX, CommandTable
from bridge.commands.replies import Output, cell, table
from bridge.errors import InvalidArgument, NotFound, TransitionRefused
from bridge.policy import BAAState, Counterparty, PartyKind, RoomGate
from bridge.policy.agreements import format_ms, parse_expiry
from bridge.policy.identifiers import parse_link_target, parse_user_id, parse_vendor_id
from bridge.service.agreements import AgreementChange, AgreementService, TransitionView
from bridge.service.app import Services
from bridge.service.audit import TimeRef, parse_instant
from bridge.service.effects import (
    Effect,
    baa_active_effect,
    consent_grant_effect,
    link_effect,
)
from bridge.service.rooms import RoomOverview, RoomStatus

COMMANDS = CommandTable()

#: `!audit query` shows this many records unless `limit=` says otherwise, and never more
#: than the maximum (one notice must stay readable).
AUDIT_DEFAULT_LIMIT = 20
AUDIT_MAX_LIMIT = 200
#: Transitions shown by `!baa show` / `!consent show`.
HISTORY_SHOWN = 5
_STATES = "|".join(s.value for s in BAAState)


@dataclass(frozen=True, slots=True)
class CommandContext:
    """What a handler may use: the services, the rooms, and who asked."""

    services: Services
    rooms: RoomOverview
    sender: str
    room_id: str
    witness: WitnessReader | None = None
    # Changes waiting for this admin's `!confirm` (the processor's one store).
    confirmations: Confirmations = field(default_factory=Confirmations)
    # `!dry-run …`: show what the command would do, change nothing.
    dry_run: bool = False

    @property
    def agreements(self) -> AgreementService:
        return self.services.agreements


# --- argument converters (raise InvalidArgument, so the reply carries the usage line) --------


def _gate(text: str) -> RoomGate:
    try:
        return RoomGate(text.lower())
    except ValueError:
        raise InvalidArgument(f"unknown gate {shown(text)}; expected gated or open") from None


def _room_ref(text: str) -> str:
    # Room version 12 IDs have no ":server" part; aliases always do.
    valid = (text.startswith("!") and len(text) > 1) or (text.startswith("#") and ":" in text)
    if not valid or len(text) > 255 or any(c.isspace() for c in text):
        raise InvalidArgument(f"bad room {shown(text)}; expected !room_id or #alias:server")
    return text


def _link_target(text: str) -> str:
    return parse_link_target(text)[0]


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= AUDIT_MAX_LIMIT:
        raise InvalidArgument(f"bad limit {shown(text)}; expected 1–{AUDIT_MAX_LIMIT}")
    return int(text)


def _category(text: str) -> str:
    value = text.lower().replace("-", "_")
    if value not in ("phi", "non_phi", "unknown"):
        raise InvalidArgument(f"unknown category {shown(text)}; expected phi, non_phi or unknown")
    return value


VENDOR = Word("vendor_id", "vendor_id", convert=parse_vendor_id)
USER = Word("user", "@user:server", convert=parse_user_id)
LINK_TARGET = Word("target", "server_name | @user:server", convert=_link_target)
EXPIRES = Option("expires", "YYYY-MM-DD", convert=parse_expiry)


# --- help -------------------------------------------------------------------------------------


@COMMANDS.command(
    "help",
    Rest("command", "command", required=False, max_chars=40, ellipsis=False),
    help="list the commands, or show the usage of one",
)
async def help_(ctx: CommandContext, *, command: str) -> Output:
    words = command.removeprefix(PREFIX).lower().split()
    if not words:
        lines = tuple(f"{spec.usage}  — {spec.help}" for spec in COMMANDS)
        return Output("PHI Gate commands (admins, in this room only):", lines)
    specs = [s for s in COMMANDS.in_group(words[0]) if len(words) == 1 or (s.sub or "") == words[1]]
    if not specs or len(words) > 2:
        raise NotFound(f"no command {shown(command)}; type !help for the list")
    return Output(
        f"{PREFIX}{words[0]}:" if len(specs) > 1 else specs[0].help,
        tuple(f"{s.usage}  — {s.help}" if len(specs) > 1 else s.usage for s in specs),
    )


# --- vendors ----------------------------------------------------------------------------------


@COMMANDS.command(
    "vendor add", VENDOR, Rest("display_name", "display name"), help="register a vendor"
)
async def vendor_add(ctx: CommandContext, *, vendor_id: str, display_name: str) -> Output:
    info = await ctx.agreements.add_vendor(vendor_id, display_name, ctx.sender)
    return Output(
        f"added vendor {info.vendor_id} ({cell(info.display_name, 80)}); BAA is "
        f"{info.baa_state.value} — link its server with `!vendor link {info.vendor_id} <server>`"
    )


@COMMANDS.command(
    "vendor link",
    VENDOR,
    LINK_TARGET,
    help="attribute a server, or one user ID, to a vendor",
)
async def vendor_link(ctx: CommandContext, *, vendor_id: str, target: str) -> Output:
    # Refuses the practice's own staff domain outright, dry run or not.
    effect = link_effect(ctx.agreements, ctx.rooms.list_rooms(None), vendor_id, target)

    async def apply() -> Output:
        linked = await ctx.agreements.link(vendor_id, target, ctx.sender)
        state = ctx.agreements.vendor(vendor_id).effective(ctx.agreements.now_ms())
        return Output(
            f"linked {linked} to vendor {vendor_id} (BAA {state.value}); "
            f"{_rooms_summary(ctx, _vendor_in(vendor_id))}"
        )

    # Only a link that changes who someone in a managed room is waits for `!confirm`.
    return await _guarded(ctx, f"vendor link {vendor_id} {target}", effect, apply, always=False)


@COMMANDS.command(
    "vendor unlink",
    VENDOR,
    LINK_TARGET,
    help="remove a server or user link from a vendor",
)
async def vendor_unlink(ctx: CommandContext, *, vendor_id: str, target: str) -> Output:
    unlinked = await ctx.agreements.unlink(vendor_id, target, ctx.sender)
    return Output(
        f"unlinked {unlinked} from vendor {vendor_id}; rooms with it re-evaluated "
        "(its users now count as unknown: BAA None, gated)"
    )


@COMMANDS.command("vendor list", help="vendors with their BAA state and links")
async def vendor_list(ctx: CommandContext) -> Output:
    now = ctx.agreements.now_ms()
    vendors = sorted(ctx.agreements.list_vendors(), key=lambda v: v.vendor_id)
    if not vendors:
        return Output("no vendors yet — add one with `!vendor add <vendor_id> <display name…>`")
    rows: list[Sequence[object]] = [("VENDOR", "NAME", "BAA", "LINKS")]
    rows += [
        (v.vendor_id, v.display_name, v.effective(now).value, ", ".join(v.servers + v.users))
        for v in vendors
    ]
    return Output(f"{len(vendors)} vendor(s):", table(rows, (64, 30, 8, 120)), table=True)


# --- BAAs -------------------------------------------------------------------------------------


@COMMANDS.command("baa show", VENDOR, help="a vendor's BAA: state, expiry, links and history")
async def baa_show(ctx: CommandContext, *, vendor_id: str) -> Output:
    info = ctx.agreements.vendor(vendor_id)
    now = ctx.agreements.now_ms()
    effective = info.effective(now)
    state = effective.value
    if effective is not info.baa_state:
        state += f" (stored: {info.baa_state.value}; the expiry has passed)"
    history = await ctx.agreements.baa_history(vendor_id, limit=HISTORY_SHOWN)
    lines = [
        f"vendor:   {info.vendor_id} — {cell(info.display_name, 200)}",
        f"BAA:      {state}",
        f"expires:  {format_ms(info.baa_expires_ms)}",
        f"servers:  {', '.join(info.servers) or '-'}",
        f"users:    {', '.join(info.users) or '-'}",
        f"rooms:    {_rooms_summary(ctx, _vendor_in(vendor_id))}",
        f"record:   {ctx.services.config.organization.baa_record(vendor_id)}",
        *_history_lines(history),
    ]
    return Output(f"BAA of {info.vendor_id}: {effective.value}", tuple(lines), table=True)


@COMMANDS.command(
    "baa list",
    Word("state", "state", required=False, convert=BAAState.parse),
    help="vendors and their effective BAA state, optionally only one state",
)
async def baa_list(ctx: CommandContext, *, state: BAAState | None) -> Output:
    now = ctx.agreements.now_ms()
    vendors = sorted(ctx.agreements.baa_list(state), key=lambda v: v.vendor_id)
    which = f"with BAA {state.value}" if state else "in total"
    if not vendors:
        return Output(f"no vendors {which}")
    rows: list[Sequence[object]] = [("VENDOR", "BAA", "EXPIRES", "NAME")]
    rows += [
        (v.vendor_id, v.effective(now).value, format_ms(v.baa_expires_ms), v.display_name)
        for v in vendors
    ]
    return Output(f"{len(vendors)} vendor(s) {which}:", table(rows, (64, 8, 20, 60)), table=True)


@COMMANDS.command(
    "baa set",
    VENDOR,
    Word("state", _STATES, convert=BAAState.parse),
    EXPIRES,
    Rest("reason", "reason", required=False),
    help="move a vendor's BAA through its lifecycle (illegal moves list the legal ones)",
)
async def baa_set(
    ctx: CommandContext, *, vendor_id: str, state: BAAState, expires: int | None, reason: str
) -> Output:
    async def apply() -> Output:
        change = await ctx.agreements.baa_set(
            vendor_id, state, expires_ms=expires, reason=reason, actor=ctx.sender
        )
        return Output(
            f"BAA of {vendor_id}: {_transition(change, expires)}; "
            f"{_rooms_summary(ctx, _vendor_in(vendor_id))}"
        )

    if state is not BAAState.ACTIVE:
        if ctx.dry_run:
            raise InvalidArgument(DRY_RUN_ONLY)
        return await apply()  # closing a gate can only protect: no confirmation
    rooms = ctx.rooms.list_rooms(None)
    try:
        effect = baa_active_effect(ctx.agreements, rooms, vendor_id, expires)
    except TransitionRefused:
        if ctx.dry_run:
            raise
        return await apply()  # the service refuses it and audits the refusal
    return await _guarded(ctx, f"baa set {vendor_id} Active", effect, apply, always=True)


# --- patients and consent ---------------------------------------------------------------------


@COMMANDS.command("patient add", USER, help="register a patient (consent starts at None)")
async def patient_add(ctx: CommandContext, *, user: str) -> Output:
    info = await ctx.agreements.patient_add(user, ctx.sender)
    return Output(
        f"registered patient {info.user_id}; consent {info.consent_state.value} — PHI to and "
        f"from them is blocked until `!consent grant {info.user_id}`; "
        f"{_rooms_summary(ctx, _patient_in(info.user_id))}"
    )


@COMMANDS.command("patient list", help="registered patients and their consent state")
async def patient_list(ctx: CommandContext) -> Output:
    now = ctx.agreements.now_ms()
    patients = sorted(ctx.agreements.registry.patients.values(), key=lambda p: p.user_id)
    if not patients:
        return Output("no patients yet — register one with `!patient add <@user:server>`")
    rows: list[Sequence[object]] = [("PATIENT", "CONSENT", "EXPIRES")]
    rows += [(p.user_id, p.effective(now).value, format_ms(p.consent_expires_ms)) for p in patients]
    return Output(f"{len(patients)} patient(s):", table(rows, (255, 8, 20)), table=True)


@COMMANDS.command(
    "consent grant", USER, EXPIRES, help="record a patient's messaging consent as Active"
)
async def consent_grant(ctx: CommandContext, *, user: str, expires: int | None) -> Output:
    async def apply() -> Output:
        change = await ctx.agreements.consent_grant(user, expires_ms=expires, actor=ctx.sender)
        return Output(
            f"consent of {user}: {_transition(change, expires)}; "
            f"{_rooms_summary(ctx, _patient_in(user))}"
        )

    try:
        effect = consent_grant_effect(ctx.agreements, ctx.rooms.list_rooms(None), user, expires)
    except TransitionRefused:
        if ctx.dry_run:
            raise
        return await apply()  # the service refuses it and audits the refusal
    return await _guarded(ctx, f"consent grant {user}", effect, apply, always=True)


@COMMANDS.command(
    "consent revoke",
    USER,
    Rest("reason", "reason", required=False),
    help="revoke a patient's messaging consent",
)
async def consent_revoke(ctx: CommandContext, *, user: str, reason: str) -> Output:
    change = await ctx.agreements.consent_revoke(user, reason=reason, actor=ctx.sender)
    return Output(
        f"consent of {user}: {_transition(change, None)}; {_rooms_summary(ctx, _patient_in(user))}"
    )


@COMMANDS.command("consent show", USER, help="a patient's consent: state, expiry and history")
async def consent_show(ctx: CommandContext, *, user: str) -> Output:
    info = ctx.agreements.patient(user)
    now = ctx.agreements.now_ms()
    effective = info.effective(now)
    state = effective.value
    if effective is not info.consent_state:
        state += f" (stored: {info.consent_state.value}; the expiry has passed)"
    history = await ctx.agreements.consent_history(user, limit=HISTORY_SHOWN)
    lines = [
        f"patient:  {info.user_id}",
        f"consent:  {state}",
        f"expires:  {format_ms(info.consent_expires_ms)}",
        f"rooms:    {_rooms_summary(ctx, _patient_in(user))}",
        *_history_lines(history),
    ]
    return Output(f"consent of {info.user_id}: {effective.value}", tuple(lines), table=True)


# --- rooms ------------------------------------------------------------------------------------


@COMMANDS.command(
    "room status",
    Word("room", "<room id or alias>", required=False, convert=_room_ref),
    help="one room's gate, protection and counterparties (no argument: rooms needing attention)",
)
async def room_status(ctx: CommandContext, *, room: str | None) -> Output:
    if room is None:
        return _rooms_overview(ctx)
    status = await ctx.rooms.room_status(room)
    lines = [
        f"room:         {status.room_id}",
        f"name:         {cell(status.name or '-', 120)}",
        f"gate:         {status.gate.value}",
        f"protected:    {_protected(status)}",
        f"encrypted:    {'yes' if status.encrypted else 'NO'}",
        "counterparties:" if status.counterparties else "counterparties: none (staff only)",
        *(f"  {_party(c)}" for c in status.counterparties),
    ]
    if status.staff_by_default:
        # The practice said every account on its server is staff: name whom that covers,
        # so a patient's local account passing as staff is seen, not remembered.
        lines.append("staff only by default (organization.staff_by_domain, not named):")
        lines += [f"  {cell(u, 120)}" for u in status.staff_by_default]
    if status.undecryptable:
        lines.append("undecryptable events (sender|device: count):")
        lines += [f"  {cell(k, 120)}: {n}" for k, n in sorted(status.undecryptable.items())]
    summary = f"{cell(status.name or status.room_id, 80)}: {status.gate.value}"
    return Output(summary, tuple(lines), table=True)


@COMMANDS.command(
    "room list",
    Word("gate", "gated|open", required=False, convert=_gate),
    help="managed rooms with gate, protection, encryption and counterparties",
)
async def room_list(ctx: CommandContext, *, gate: RoomGate | None) -> Output:
    rooms = sorted(ctx.rooms.list_rooms(gate), key=lambda r: r.room_id)
    which = f"{gate.value} " if gate else ""
    if not rooms:
        return Output(f"no {which}managed rooms")
    return Output(f"{len(rooms)} {which}managed room(s):", _room_rows(rooms), table=True)


def _rooms_overview(ctx: CommandContext) -> Output:
    """`!room status` without a room: counts, and the rooms an admin should look at.

    The control room's own status says nothing useful, so the bare command answers "is
    anything wrong?" instead: gated or unprotected or unencrypted rooms, one line each.
    """
    rooms = ctx.rooms.list_rooms(None)
    gated = sum(r.gate is RoomGate.GATED for r in rooms)
    unprotected = sum(not r.protected for r in rooms)
    summary = (
        f"{len(rooms)} managed room(s): {len(rooms) - gated} open, {gated} gated, "
        f"{unprotected} unprotected"
    )
    attention = sorted(
        (r for r in rooms if r.gate is RoomGate.GATED or not r.protected or not r.encrypted),
        key=lambda r: r.room_id,
    )
    if not attention:
        return Output(summary + "; details: !room status <room id or alias>")
    return Output(summary + "; needing attention:", _room_rows(attention), table=True)


def _room_rows(rooms: Sequence[RoomStatus]) -> tuple[str, ...]:
    rows: list[Sequence[object]] = [("ROOM", "NAME", "GATE", "PROTECTED", "E2EE", "COUNTERPARTIES")]
    rows += [
        (
            r.room_id,
            r.name or "-",
            r.gate.value,
            _protected(r),
            "yes" if r.encrypted else "NO",
            "; ".join(_party(c) for c in r.counterparties) or "none",
        )
        for r in rooms
    ]
    return table(rows, (80, 30, 5, 11, 4, 400))


def _protected(status: RoomStatus) -> str:
    return "yes" if status.protected else "UNPROTECTED"


def _party(c: Counterparty) -> str:
    if c.kind is PartyKind.VENDOR:
        return f"{c.user_id} (vendor {c.agreement}: BAA {c.status.value})"
    if c.kind is PartyKind.PATIENT:
        return f"{c.user_id} (patient: consent {c.status.value})"
    if c.kind is PartyKind.UNRECOGNISED:
        return f"{c.user_id} (local account not recognised as staff: BAA {c.status.value})"
    return f"{c.user_id} ({c.kind.value}: BAA {c.status.value})"


# --- audit ------------------------------------------------------------------------------------


@COMMANDS.command(
    "audit query",
    Option("vendor", "V", convert=parse_vendor_id),
    Option("user", "U", convert=parse_user_id),
    Option("room", "R", convert=_room_ref),
    Option("category", "C", convert=_category),
    Option("since", "T", convert=parse_instant),
    Option("until", "T", convert=parse_instant),
    Option("limit", "N", convert=_limit),
    help=f"audit records, newest first (default {AUDIT_DEFAULT_LIMIT}, at most "
    f"{AUDIT_MAX_LIMIT}); content is never shown here",
)
async def audit_query(
    ctx: CommandContext,
    *,
    vendor: str | None,
    user: str | None,
    room: str | None,
    category: str | None,
    since: TimeRef | None,
    until: TimeRef | None,
    limit: int | None,
) -> Output:
    if room is not None and room.startswith("#"):
        # The log stores room IDs; an alias is resolved through the managed rooms.
        room = (await ctx.rooms.room_status(room)).room_id
    return await audit_query_output(
        ctx.services,
        vendor=vendor,
        user=user,
        room=room,
        category=category,
        since=since,
        until=until,
        limit=limit or AUDIT_DEFAULT_LIMIT,
        now_ms=ctx.agreements.now_ms(),
    )


@COMMANDS.command(
    "audit verify",
    help="check the audit log's hash chain against the newest signed checkpoint in the"
    " checkpoint file and in this room's witness copy",
)
async def audit_verify(ctx: CommandContext) -> Output:
    return await audit_verify_output(ctx.services, ctx.witness)


@dataclass(frozen=True, slots=True)
class DisclosureSubject:
    """Whose accounting: a user (a patient) or a vendor. The processor reads ``user`` and
    ``vendor`` to put the subject on the command's audit record."""

    user: str | None = None
    vendor: str | None = None


def _disclosure_subject(text: str) -> DisclosureSubject:
    """``@user:server`` → a patient (or any user); anything else → a vendor ID."""
    if text.startswith("@"):
        return DisclosureSubject(user=parse_user_id(text))
    return DisclosureSubject(vendor=parse_vendor_id(text))


@COMMANDS.command(
    "audit disclosures",
    Word("subject", "@user:server | vendor_id", convert=_disclosure_subject),
    Option("since", "T", convert=parse_instant),
    Option("until", "T", convert=parse_instant),
    help="accounting of disclosures (HIPAA §164.528) for a patient or a vendor, default six "
    "years; deliveries no Active agreement covered are flagged",
)
async def audit_disclosures(
    ctx: CommandContext,
    *,
    subject: DisclosureSubject,
    since: TimeRef | None,
    until: TimeRef | None,
) -> Output:
    return await audit_disclosures_output(
        ctx.services,
        patient=subject.user,
        vendor=subject.vendor,
        since=since,
        until=until,
        now_ms=ctx.agreements.now_ms(),
    )


def _hold_target(text: str) -> HoldTarget:
    """``!room`` / ``#alias:server`` → a room, ``@user:server`` → a user, else a vendor ID."""
    if text.startswith(("!", "#")):
        return HoldTarget(HoldKind.ROOM, _room_ref(text))
    if text.startswith("@"):
        return HoldTarget(HoldKind.USER, parse_user_id(text))
    return HoldTarget(HoldKind.VENDOR, parse_vendor_id(text))


HOLD_TARGET = Word("subject", "!room | @user:server | vendor_id", convert=_hold_target)


async def _resolved(ctx: CommandContext, target: HoldTarget) -> HoldTarget:
    # The log stores room IDs; an alias is resolved through the managed rooms.
    if target.kind is HoldKind.ROOM and target.target.startswith("#"):
        return HoldTarget(HoldKind.ROOM, (await ctx.rooms.room_status(target.target)).room_id)
    return target


@COMMANDS.command(
    "audit hold",
    HOLD_TARGET,
    Rest("reason", "reason", required=False),
    help="legal hold: keep every audit record of a room, user or vendor from retention pruning",
)
async def audit_hold(ctx: CommandContext, *, subject: HoldTarget, reason: str) -> Output:
    return await audit_hold_output(
        ctx.services, await _resolved(ctx, subject), reason, actor=ctx.sender
    )


@COMMANDS.command(
    "audit release",
    HOLD_TARGET,
    Rest("reason", "reason", required=False),
    help="lift a legal hold (its records become prunable under audit.retention again)",
)
async def audit_release(ctx: CommandContext, *, subject: HoldTarget, reason: str) -> Output:
    return await audit_release_output(
        ctx.services, await _resolved(ctx, subject), reason, actor=ctx.sender
    )


@COMMANDS.command("audit holds", help="the legal holds in force, and the retention period")
async def audit_holds(ctx: CommandContext) -> Output:
    return await audit_holds_output(ctx.services)


# --- confirmation -----------------------------------------------------------------------------

#: Commands `!dry-run` can show (the ones that may open a gate or change who someone is).
DRY_RUN_ONLY = "dry-run shows the effect of !baa set … Active, !consent grant and !vendor link"
_DRY_RUNNABLE = frozenset({"baa set", "consent grant", "vendor link"})


async def _guarded(
    ctx: CommandContext, command: str, effect: Effect, apply: Apply, *, always: bool
) -> Output:
    """Apply a change at once only when it cannot quietly do harm; otherwise say what it
    will do and hold it for `!confirm` (or, in a dry run, only say)."""
    lines = tuple(effect.lines()) or ("no managed room changes now",)
    if ctx.dry_run:
        return Output(f"dry run of !{cell(command, 200)} (nothing changed); it would:", lines)
    if not ctx.services.config.organization.confirm_changes:
        # One step (SPEC §2's commands), never quiet: the reply says what it did.
        done = await apply()
        if not effect.changes_anything:
            return done
        return replace(done, lines=(*done.lines, "what it did:", *lines))
    if not always and not effect.changes_anything:
        return await apply()
    replaced = ctx.confirmations.hold(ctx.sender, command, apply, ctx.agreements.now_ms())
    if replaced is not None:
        lines += (f"(your unconfirmed !{cell(replaced, 200)} is dropped: it was never applied)",)
    minutes = CONFIRM_WINDOW_MS // 60_000
    return Output(
        f"not applied yet: type !confirm within {minutes} minutes to apply "
        f"!{cell(command, 200)} (or !cancel); what it will do:",
        lines,
    )


@COMMANDS.command("confirm", help="apply the change you were last asked to confirm")
async def confirm(ctx: CommandContext) -> Output:
    waiting = ctx.confirmations.take(ctx.sender, ctx.agreements.now_ms())
    if waiting is None:
        raise NotFound(
            "nothing of yours is waiting to be confirmed (a preview expires after "
            f"{CONFIRM_WINDOW_MS // 60_000} minutes; type the command again)"
        )
    return await waiting.apply()


@COMMANDS.command("cancel", help="drop the change waiting for your !confirm")
async def cancel(ctx: CommandContext) -> Output:
    if not ctx.confirmations.drop(ctx.sender):
        raise NotFound("nothing of yours is waiting to be confirmed")
    return Output("dropped; nothing was changed")


@COMMANDS.command(
    "dry-run",
    Rest("command", "command", max_chars=400),
    help="show what !baa set … Active, !consent grant or !vendor link would do, change nothing",
)
async def dry_run(ctx: CommandContext, *, command: str) -> Output:
    line = PREFIX + command.removeprefix(PREFIX)
    resolved = COMMANDS.resolve(tokenize(line))
    if resolved.spec.name not in _DRY_RUNNABLE:
        raise InvalidArgument(DRY_RUN_ONLY)
    args = bind(resolved.spec.args, line, resolved.arg_tokens)
    output: Output = await resolved.spec.handler(replace(ctx, dry_run=True), **args)
    return output


# --- shared pieces ----------------------------------------------------------------------------


def _vendor_in(vendor_id: str) -> Callable[[Counterparty], bool]:
    return lambda c: c.kind is PartyKind.VENDOR and c.agreement == vendor_id


def _patient_in(user_id: str) -> Callable[[Counterparty], bool]:
    return lambda c: c.kind is PartyKind.PATIENT and c.user_id == user_id


def _rooms_summary(ctx: CommandContext, concerns: Callable[[Counterparty], bool]) -> str:
    """Where the change took effect. The service's listeners have re-evaluated every linked
    room before it returned, so the overview already shows the new gates."""
    rooms = [r for r in ctx.rooms.list_rooms(None) if any(concerns(c) for c in r.counterparties)]
    if not rooms:
        return "no managed room is affected"
    gated = sum(r.gate is RoomGate.GATED for r in rooms)
    return f"re-evaluated {len(rooms)} linked room(s): {len(rooms) - gated} open, {gated} gated"


def _transition(change: AgreementChange, expires_ms: int | None) -> str:
    text = f"{change.from_state} → {change.to_state}"
    return text + (f", expires {format_ms(expires_ms)}" if expires_ms is not None else "")


def _history_lines(history: Sequence[TransitionView]) -> list[str]:
    if not history:
        return ["history:  none"]
    lines = ["last changes (newest first):"]
    for t in history:
        expiry = f" until {format_ms(t.expires_ms)}" if t.expires_ms is not None else ""
        why = f' "{cell(t.reason, 80)}"' if t.reason else ""
        lines.append(
            f"  {format_ms(t.at_ms)}  {cell(t.actor, 60)}  "
            f"{t.from_state} → {t.to_state}{expiry}{why}"
        )
    return lines


__all__ = ["COMMANDS", "CommandContext"]
