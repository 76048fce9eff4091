"""Hash-chained, encrypted audit log: append, verify, query, export.

Usage::

    keyring = AuditKeyring.load(Path(config.audit.key_file))
    log = await AuditLog.open(engine, keyring, now_ms=now)
    await log.append([AuditEntry(kind=RecordKind.EVENT, recorded_ts=now, event_type=...)])
    seen = await log.has_events({event_id: origin_server_ts, ...})  # dedupe
    report = await log.verify()          # report.ok, report.first_bad_seq, report.message
    records = await log.query(AuditFilter(vendor="acme", category="phi"))
    async for line in log.iter_export("cef", since_ms):
        ...

Formats and the security argument are described in :mod:`bridge.audit.chain`; the tables in
:mod:`bridge.audit.models`; key files and rotation in :mod:`bridge.audit.keyring`.
"""

import importlib
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562): importing one submodule (the SQLite verify
# walk's child process imports bridge.audit.walk) must not load the whole package, with
# SQLAlchemy and the cryptography backend (~0.4 s).
_EXPORTS = {
    "GENESIS": "bridge.audit.chain",
    "cef_ext_escape": "bridge.audit.export",
    "cef_header_escape": "bridge.audit.export",
    "record_to_cef": "bridge.audit.export",
    "record_to_dict": "bridge.audit.export",
    "record_to_jsonl": "bridge.audit.export",
    "KEY_BYTES": "bridge.audit.keyring",
    "AuditKeyring": "bridge.audit.keyring",
    "generate_key_file": "bridge.audit.keyring",
    "key_id_for": "bridge.audit.keyring",
    "old_keys_dir": "bridge.audit.keyring",
    "rotate_key_file": "bridge.audit.keyring",
    "AuditLog": "bridge.audit.log",
    "AuditKeyRow": "bridge.audit.models",
    "AuditPartyRow": "bridge.audit.models",
    "AuditRecordRow": "bridge.audit.models",
    "CATEGORIES": "bridge.audit.records",
    "AuditEntry": "bridge.audit.records",
    "AuditFilter": "bridge.audit.records",
    "AuditRecord": "bridge.audit.records",
    "Counterparty": "bridge.audit.records",
    "RecordKind": "bridge.audit.records",
    "VerifyReport": "bridge.audit.records",
}


if TYPE_CHECKING:
    from bridge.audit.chain import GENESIS
    from bridge.audit.export import (
        cef_ext_escape,
        cef_header_escape,
        record_to_cef,
        record_to_dict,
        record_to_jsonl,
    )
    from bridge.audit.keyring import (
        KEY_BYTES,
        AuditKeyring,
        generate_key_file,
        key_id_for,
        old_keys_dir,
        rotate_key_file,
    )
    from bridge.audit.log import AuditLog
    from bridge.audit.models import AuditKeyRow, AuditPartyRow, AuditRecordRow
    from bridge.audit.records import (
        CATEGORIES,
        AuditEntry,
        AuditFilter,
        AuditRecord,
        Counterparty,
        RecordKind,
        VerifyReport,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CATEGORIES",
    "GENESIS",
    "KEY_BYTES",
    "AuditEntry",
    "AuditFilter",
    "AuditKeyRow",
    "AuditKeyring",
    "AuditLog",
    "AuditPartyRow",
    "AuditRecord",
    "AuditRecordRow",
    "Counterparty",
    "RecordKind",
    "VerifyReport",
    "cef_ext_escape",
    "cef_header_escape",
    "generate_key_file",
    "key_id_for",
    "old_keys_dir",
    "record_to_cef",
    "record_to_dict",
    "record_to_jsonl",
    "rotate_key_file",
]
