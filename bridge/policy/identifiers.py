"""Validation of the identifiers admins type: vendor IDs, Matrix user IDs, server names."""

from __future__ import annotations

import re

from bridge.errors import InvalidArgument

_VENDOR_ID = re.compile(r"[a-z0-9][a-z0-9_.\-]{0,63}")
# Matrix spec: localparts are lower-case historical-compatible characters; server names are a
# hostname or IP literal with an optional port.
_SERVER = re.compile(r"(?:[A-Za-z0-9\-.]{1,230}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")
_LOCALPART = re.compile(r"[a-z0-9._=\-/+]{1,200}")


def parse_vendor_id(text: str) -> str:
    value = text.strip()
    if not _VENDOR_ID.fullmatch(value):
        raise InvalidArgument(
            f"bad vendor ID {_shown(text)}; use lower-case letters, digits, '.', '_' or '-'"
        )
    return value


def parse_server_name(text: str) -> str:
    value = text.strip().lower()
    if not _SERVER.fullmatch(value) or ".." in value:
        raise InvalidArgument(f"bad server name {_shown(text)}")
    return value


def parse_user_id(text: str) -> str:
    value = text.strip()
    local, sep, server = value.removeprefix("@").partition(":")
    if not value.startswith("@") or not sep or not _LOCALPART.fullmatch(local):
        raise InvalidArgument(f"bad user ID {_shown(text)}; expected @name:server")
    return f"@{local}:{parse_server_name(server)}"


def parse_link_target(text: str) -> tuple[str, bool]:
    """A vendor link is a user ID (``@…``) or a server name. Returns (target, is_user)."""
    value = text.strip()
    if value.startswith("@"):
        return parse_user_id(value), True
    return parse_server_name(value), False


def _shown(text: str) -> str:
    # Hostile input is echoed back shortened so one bad command cannot flood the control room.
    return repr(text if len(text) <= 80 else text[:77] + "...")
