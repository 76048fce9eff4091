"""How the demo prints: plain, aligned lines; colour only on a terminal.

Every step is one line (its number, who, where, what and — for messages — the decision at the
end of the line); what PHI Gate answered or why it decided follows on indented lines.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TextIO

_STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "1;31",
    "green": "1;32",
    "yellow": "1;33",
    "cyan": "36",
    "blue": "1;34",
}

WHO_WIDTH = 12
WHERE_WIDTH = 13
DETAIL_LINES = 3
INDENT = " " * 6


def one_line(text: str) -> str:
    return " ".join(text.split())


def truncate(text: str, width: int) -> str:
    text = one_line(text)
    if len(text) <= width:
        return text
    return text[: max(width - 1, 1)].rstrip() + "…"


class Transcript:
    def __init__(self, out: TextIO | None = None, color: bool | None = None) -> None:
        self.out = out or sys.stdout
        if color is None:
            color = self.out.isatty() and not os.environ.get("NO_COLOR")
        self.color = color
        columns = shutil.get_terminal_size((100, 24)).columns if self.out.isatty() else 100
        self.width = max(80, min(columns, 120))

    def style(self, text: str, *names: str) -> str:
        if not self.color or not names:
            return text
        codes = ";".join(_STYLES[n] for n in names)
        return f"\033[{codes}m{text}\033[0m"

    def line(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    # --- building blocks ---------------------------------------------------------------------

    def title(self, text: str) -> None:
        self.line(self.style(text, "bold"))

    def field(self, name: str, value: str) -> None:
        self.line(f"  {name:<12}{value}")

    def section(self, number: int, title: str) -> None:
        self.line()
        head = f"── {number}. {title} "
        self.line(self.style(head + "─" * max(self.width - len(head), 3), "bold", "blue"))

    def step(self, n: int, who: str, where: str, what: str, decision: str | None = None) -> None:
        """One line: ``nn  who  where  what  DECISION``, ``what`` truncated to fit."""
        prefix = f"{n:>3}  {who:<{WHO_WIDTH}} {where:<{WHERE_WIDTH}} "
        tail = f"  {decision}" if decision else ""
        what = truncate(what, self.width - len(prefix) - len(tail))
        shown_tail = ""
        if decision:
            colour = {"ALLOWED": "green", "BLOCKED": "red"}.get(decision, "yellow")
            pad = self.width - len(prefix) - len(what) - len(tail)
            shown_tail = " " * max(pad, 0) + "  " + self.style(decision, colour)
        self.line(prefix + what + shown_tail)

    def detail(self, label: str, text: str, *styles: str, full: bool = False) -> None:
        """Indented lines under a step (``label  text``), wrapped to the width; at most
        DETAIL_LINES lines unless ``full``."""
        head = f"{INDENT}{label:<{WHO_WIDTH}} "
        room = self.width - len(head)
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            lines += textwrap.wrap(paragraph, room, break_on_hyphens=False) or [""]
        if not full and len(lines) > DETAIL_LINES:
            lines = [
                *lines[: DETAIL_LINES - 1],
                truncate(" ".join(lines[DETAIL_LINES - 1 :]), room),
            ]
        for i, part in enumerate(lines):
            lead = head if i == 0 else " " * len(head)
            self.line(lead + (self.style(part, *styles) if styles else part))

    def wrapped(self, name: str, value: str) -> None:
        """A header field whose value wraps under itself."""
        lines = textwrap.wrap(value, self.width - 14, break_on_hyphens=False) or [""]
        self.field(name, lines[0])
        for part in lines[1:]:
            self.line(" " * 14 + part)

    def error(self, text: str) -> None:
        print(f"phigate demo: {text}", file=sys.stderr, flush=True)
