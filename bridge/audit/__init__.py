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
