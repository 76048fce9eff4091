"""Logging set-up: text or one JSON object per line. Nothing PHI Gate logs carries content.

In JSON, a line's Matrix room and event IDs are also fields (``room_id``, ``event_id``), so a
log store can select by them: taken from ``extra={"room_id": …}`` where a call gives it, else
from the call's arguments that are Matrix IDs (``!room:server``, ``$event``). User IDs are
not lifted into fields (who talks to a practice may itself be PHI; the message keeps what
the call chose to say).
"""

from __future__ import annotations

import json
import logging
import sys
import time

from bridge.config import LogFormat, LoggingConfig

# Attributes a call may set with ``extra=`` that become JSON fields as they are.
ID_FIELDS = ("room_id", "event_id", "txn_id")


def _matrix_ids(record: logging.LogRecord) -> dict[str, str]:
    ids: dict[str, str] = {}
    for name in ID_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str):
            ids[name] = value
    args = record.args if isinstance(record.args, tuple) else ()
    for arg in args:
        if not isinstance(arg, str):
            continue
        if arg.startswith("!") and ":" in arg:
            ids.setdefault("room_id", arg)
        elif arg.startswith("$") and len(arg) > 1 and " " not in arg:
            ids.setdefault("event_id", arg)
    return ids


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_matrix_ids(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def setup_logging(config: LoggingConfig) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if config.format is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(config.level)
    # mautrix logs request bodies at DEBUG: message content must never reach the logs.
    logging.getLogger("phigate.mautrix").setLevel(max(logging.INFO, root.level))
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
