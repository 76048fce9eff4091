"""The entry point of the command layer: one message in, at most one reply out.

The order of checks is the security model:

1. Not a command (no ``!`` + a known word outside the control room) → ``None``, nothing
   recorded: staff writing "!urgent" in a patient room is conversation.
2. A command from any room other than the control room → refused, audited, and
   :attr:`CommandReply.post` is False (nothing is said anywhere; see its docstring).
3. A command from a non-admin in the control room → refused with a one-line notice, audited.
4. Parse and run; the outcome (``applied`` / ``error``) is audited with the command line as
   (encrypted) content.

What goes into the audit record's *plaintext* fields (``reason``) is only the command name
and an error class — never argument text, which may name a patient. The full command line
and the error message go into ``content``, which the audit log encrypts.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Mapping
from typing import Any

from bridge.audit import AuditEntry, RecordKind
from bridge.commands.audit_view import WitnessReader
from bridge.commands.confirmations import Confirmations
from bridge.commands.handlers import COMMANDS, CommandContext
from bridge.commands.parsing import MAX_COMMAND_CHARS, bind, check_characters, tokenize
from bridge.commands.registry import PREFIX, CommandSpec, SubcommandMissing, UnknownCommand
from bridge.commands.replies import CommandReply, error, render
from bridge.errors import InvalidArgument, PhiGateError
from bridge.policy import SenderKind, classify_party
from bridge.service.app import Services
from bridge.service.rooms import RoomOverview

log = logging.getLogger(__name__)

#: ``event_type`` of the audit record written for every command, accepted or refused.
COMMAND_EVENT_TYPE = "org.phigate.command"

REFUSED_NOT_ADMIN = "only admins may run PHI Gate commands"
REFUSED_OTHER_ROOM = "commands are accepted only in the control room"
INTERNAL_ERROR = "⚠ internal error (logged)"


class CommandProcessor:
    """Parses, authorises, runs and audits control-room commands.

    Args:
        services: The open services (agreements, audit log, config).
        rooms: The appservice's view of managed rooms.
        admins: User IDs allowed to run commands (``organization.admins``).
        control_room_id: Returns the control room's room ID, or ``None`` while it is not yet
            resolved (then every command is refused as coming from another room).
        witness: Reads the control room's ``org.phigate.checkpoint`` state event (the
            witness copy of the audit checkpoints) for `!audit verify`.
    """

    def __init__(
        self,
        services: Services,
        rooms: RoomOverview,
        *,
        admins: frozenset[str],
        control_room_id: Callable[[], str | None],
        witness: WitnessReader | None = None,
    ) -> None:
        self._services = services
        self._rooms = rooms
        self._admins = admins
        self._control_room_id = control_room_id
        self._witness = witness
        # One command at a time: the audit trail then reads in the order commands took
        # effect, and two admins' `!baa set` on one vendor cannot interleave.
        self._lock = asyncio.Lock()
        self._confirmations = Confirmations()

    async def handle(self, room_id: str, sender: str, body: str) -> CommandReply | None:
        """Answer one message.

        Returns:
            ``None`` when the message is not a command; otherwise the reply, whose ``post``
            says whether to post it (as an m.notice in the control room) or say nothing.
            Never raises for anything a sender can type.
        """
        if not isinstance(body, str) or not body.startswith(PREFIX):
            return None
        tokens = tokenize(body[:MAX_COMMAND_CHARS])
        word = tokens[0].text.removeprefix(PREFIX) if tokens else ""
        in_control = room_id == self._control_room_id()
        # "!!!" or "! " is punctuation, not a command.
        if not word[:1].isalpha() or (not in_control and not COMMANDS.is_command_word(word)):
            return None
        async with self._lock:
            return await self._handle(room_id, sender, body, in_control)

    async def _handle(
        self, room_id: str, sender: str, body: str, in_control: bool
    ) -> CommandReply | None:
        if not in_control:
            await self._audit(room_id, sender, body, "refused", REFUSED_OTHER_ROOM)
            reply = error(REFUSED_OTHER_ROOM)
            return CommandReply(reply.text, reply.html, ok=False, post=False)
        if sender not in self._admins:
            await self._audit(room_id, sender, body, "refused", REFUSED_NOT_ADMIN)
            return error(REFUSED_NOT_ADMIN)

        spec: CommandSpec | None = None
        args: dict[str, Any] | None = None
        try:
            if len(body) > MAX_COMMAND_CHARS:
                raise InvalidArgument(f"command too long (at most {MAX_COMMAND_CHARS} characters)")
            tokens = tokenize(body)
            resolved = COMMANDS.resolve(tokens)
            spec = resolved.spec
            check_characters(body)
            args = bind(spec.args, body, resolved.arg_tokens)
            ctx = CommandContext(
                self._services,
                self._rooms,
                sender,
                room_id,
                self._witness,
                self._confirmations,
            )
            output = await spec.handler(ctx, **args)
        except UnknownCommand as e:
            await self._audit(room_id, sender, body, "error", "unknown command", str(e))
            return error(str(e))
        except SubcommandMissing as e:
            await self._audit(room_id, sender, body, "error", f"{e.group}: no subcommand", str(e))
            return error(str(e), [s.usage for s in COMMANDS.in_group(e.group)])
        except PhiGateError as e:
            name = spec.name if spec else "command"
            reason = f"{name}: {type(e).__name__}"
            await self._audit(room_id, sender, body, "error", reason, str(e), args)
            # Argument errors teach the syntax; NotFound / AlreadyExists / TransitionRefused
            # already say what to do, and a usage line would only bury that.
            usage = [spec.usage] if spec and isinstance(e, InvalidArgument) else []
            return error(str(e), usage)
        except Exception as e:
            name = spec.name if spec else "command"
            # The message (and a source line echoing it) may hold what the admin typed, e.g.
            # a patient's name: log the exception type and where it was raised, nothing more.
            log.error("command %s failed: %s at %s", name, type(e).__name__, _frames(e))
            await self._audit(room_id, sender, body, "error", f"{name}: internal error")
            return CommandReply(INTERNAL_ERROR, INTERNAL_ERROR, ok=False)

        await self._audit(room_id, sender, body, "applied", spec.name, None, args)
        return render(output)

    async def _audit(
        self,
        room_id: str,
        sender: str,
        body: str,
        decision: str,
        reason: str,
        error_message: str | None = None,
        args: Mapping[str, Any] | None = None,
    ) -> None:
        """Record who typed what, where, and what became of it.

        A failure to write is logged, not raised: the command's own effect (if any) was
        audited by the service layer, and the admin still needs the reply.
        """
        agreements = self._services.agreements
        # Capped: a pasted megabyte is refused, and need not be kept either.
        content: dict[str, Any] = {"command": body[:MAX_COMMAND_CHARS]}
        if len(body) > MAX_COMMAND_CHARS:
            content["truncated_from"] = len(body)
        if error_message is not None:
            content["error"] = error_message
        subject = (args or {}).get("subject")  # `!audit disclosures`: a user or a vendor
        subject_vendor = (
            (args or {}).get("vendor_id")
            or (args or {}).get("vendor")
            or getattr(subject, "vendor", None)
        )
        subject_user = (args or {}).get("user") or getattr(subject, "user", None)
        try:
            sender_kind = (
                SenderKind.ADMIN
                if sender in self._admins
                else SenderKind.of(classify_party(sender, agreements.registry.directory).kind)
            )
            await self._services.audit.append_one(
                AuditEntry(
                    kind=RecordKind.COMMAND,
                    recorded_ts=agreements.now_ms(),
                    event_type=COMMAND_EVENT_TYPE,
                    room_id=room_id,
                    sender=sender,
                    sender_kind=sender_kind,
                    decision=decision,
                    reason=reason,
                    subject_vendor=subject_vendor if isinstance(subject_vendor, str) else None,
                    subject_user=subject_user if isinstance(subject_user, str) else None,
                    content=content,
                )
            )
        except Exception as e:
            log.error("could not audit command (%s): %s", reason, type(e).__name__)


def _frames(e: BaseException) -> str:
    """``file:line in function`` for each frame, innermost first — no source text, no message."""
    return " < ".join(
        f"{f.filename}:{f.lineno} in {f.name}"
        for f in reversed(traceback.extract_tb(e.__traceback__))
    )
