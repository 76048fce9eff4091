"""What a command answers: a plain-text body and an HTML variant for the control room notice.

Every reply starts with one summary line (what happened, or what went wrong); detail lines
follow. Everything shown comes through :func:`cell` or :func:`html.escape`, because much of
it was typed by someone else (display names, reasons, room names set by a vendor).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: Marks a refusal or error as the first character of the reply.
WARN = "⚠"


@dataclass(frozen=True, slots=True)
class CommandReply:
    """The answer to one command.

    Attributes:
        text: Plain-text body (``body`` of the m.notice). Its first line is the summary.
        html: ``formatted_body`` (``org.matrix.custom.html``), every user-supplied part escaped.
        ok: The command was applied (False for refusals and errors).
        post: Whether the caller posts the reply (as an m.notice in the control room, which is
            where every accepted command comes from). ``False`` for a command refused because
            it came from another room: answering there would tell a vendor or patient that
            the room is watched by a bot with commands, and posting in the control room on
            every attempt would let anyone flood it. The refusal is audited either way.
    """

    text: str
    html: str | None
    ok: bool
    post: bool = True


@dataclass(frozen=True, slots=True)
class Output:
    """What a handler returns; the processor renders it into a :class:`CommandReply`.

    Attributes:
        summary: The first line.
        lines: Detail lines.
        table: Render the detail lines monospaced (aligned columns).
        ok: False when the command ran but found a problem (`!audit verify` on a broken
            chain), so the caller can tell a healthy answer from an alarming one.
    """

    summary: str
    lines: tuple[str, ...] = ()
    table: bool = False
    ok: bool = True


def render(output: Output) -> CommandReply:
    summary = one_line(output.summary)
    text = "\n".join([summary, *output.lines])
    parts = [html.escape(summary)]
    if output.lines:
        body = "\n".join(html.escape(line) for line in output.lines)
        if output.table:
            parts.append(f"<pre><code>{body}</code></pre>")
        else:
            parts.append(body.replace("\n", "<br/>"))
    joiner = "" if output.table else "<br/>"
    return CommandReply(text=text, html=joiner.join(parts), ok=output.ok)


def error(message: str, usage: Sequence[str] = ()) -> CommandReply:
    """``⚠ message`` and, for argument errors, the usage line(s) of the command."""
    first = f"{WARN} {one_line(message)}"
    text = "\n".join([first, *(f"usage: {u}" for u in usage)])
    html_usage = "".join(f"<br/>usage: <code>{html.escape(u)}</code>" for u in usage)
    return CommandReply(text=text, html=html.escape(first) + html_usage, ok=False)


def one_line(text: str, limit: int = 300) -> str:
    """Collapse any text to one bounded line, so a reply's summary is always one line."""
    return cell(text, limit)


def cell(value: object, limit: int = 40) -> str:
    """One table cell: control and format characters dropped, whitespace collapsed, shortened.

    Room names and display names come from other people; a newline or bidi override in one
    must not break the table or disguise another row.
    """
    text = "".join(
        " " if ch.isspace() else ch
        for ch in str(value)
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    text = " ".join(text.split()) or "-"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(rows: Sequence[Sequence[object]], widths: Sequence[int] | None = None) -> tuple[str, ...]:
    """Rows as aligned plain-text lines (the last column is not padded)."""
    cells = [[cell(v, widths[i] if widths else 40) for i, v in enumerate(row)] for row in rows]
    if not cells:
        return ()
    width = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return tuple(
        "  ".join(c.ljust(width[i]) if i < len(r) - 1 else c for i, c in enumerate(r)).rstrip()
        for r in cells
    )
