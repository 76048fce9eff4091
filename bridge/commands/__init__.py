"""Control-room commands: declaration, parsing, handlers, and the processor the appservice calls.

Usage (by the appservice, for each message in a room it manages)::

    processor = CommandProcessor(services, rooms, admins=config.organization.admins,
                                 control_room_id=lambda: control_room_id)
    reply = await processor.handle(room_id, sender, body)
    if reply is not None and reply.post:
        await send_notice(control_room_id, reply.text, reply.html)
"""

from bridge.commands.handlers import COMMANDS, CommandContext
from bridge.commands.processor import COMMAND_EVENT_TYPE, CommandProcessor
from bridge.commands.replies import CommandReply

__all__ = ["COMMANDS", "COMMAND_EVENT_TYPE", "CommandContext", "CommandProcessor", "CommandReply"]
