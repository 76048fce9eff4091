"""PHI Gate's error types. The command layer and the CLI each turn them into one line."""

from __future__ import annotations


class PhiGateError(Exception):
    """Base of every error PHI Gate reports to a person as one line."""


class ConfigError(PhiGateError):
    """The configuration file is missing, unreadable, or a key is missing or wrong."""


class NotFound(PhiGateError):
    """A vendor, patient, room or record named by the user does not exist."""


class AlreadyExists(PhiGateError):
    """Something the user asked to create exists already."""


class InvalidArgument(PhiGateError):
    """A value given by the user cannot be parsed (a state name, a date, a user ID…)."""


class TransitionRefused(PhiGateError):
    """An agreement state change not allowed by the lifecycle table."""


class AuditKeyError(PhiGateError):
    """The audit key file is missing, unreadable or not a valid key."""


class AuditIntegrityError(PhiGateError):
    """The audit chain is broken (an edited, deleted or reordered record)."""
