"""What machine a benchmark ran on, printed and written with its figures."""

from __future__ import annotations

import contextlib
import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    model = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return model


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def machine_facts(**extra: Any) -> dict[str, Any]:
    """CPU, cores, Python and platform, then the bench's own ``extra`` facts."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **extra,
    }


def cpu_seconds() -> float:
    """CPU seconds of this process (every thread) and of its children that have ended: a
    verify of a large SQLite log walks in a child process (bridge.audit.sqlite_walk)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
