"""Progress of a long verify or export: a line on a terminal, nothing when piped; the walk
reports the seq it reached after each batch."""

from __future__ import annotations

import io

from bridge.audit import AuditLog
from bridge.service.audit import TerminalProgress

from .conftest import message


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_that_is_wiped_at_the_end() -> None:
    tty = FakeTerminal()
    progress = TerminalProgress("verify", 1, 200, stream=tty, every_s=0)
    progress(100)
    shown = tty.getvalue()
    assert shown.startswith("\rverify [###############...............]  50%  100/200 records")
    assert shown.endswith("/s")
    progress.close()
    assert tty.getvalue().endswith("\r" + " " * (len(shown) - 1) + "\r")


def test_an_unknown_total_shows_counts() -> None:
    tty = FakeTerminal()
    TerminalProgress("export", 1, None, stream=tty, every_s=0)(3000)
    assert tty.getvalue().startswith("\rexport  3,000 records  ")


def test_nothing_is_written_when_not_a_terminal() -> None:
    piped = io.StringIO()
    progress = TerminalProgress("verify", 1, 200, stream=piped, every_s=0)
    progress(100)
    progress.close()
    assert not progress.enabled and piped.getvalue() == ""


async def test_verify_reports_the_seq_reached(log: AuditLog) -> None:
    await log.append([message(i) for i in range(1, 4501)])
    reached: list[int] = []
    report = await log.verify(progress=reached.append)
    assert report.ok
    assert reached == sorted(reached) and reached[-1] == 4500 and len(reached) >= 2
