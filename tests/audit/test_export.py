"""Export formats: JSON lines and CEF (escaping, severity, no content by default)."""

from __future__ import annotations

import hashlib
import json

from bridge.audit import (
    AuditEntry,
    AuditFilter,
    AuditLog,
    RecordKind,
    cef_ext_escape,
    cef_header_escape,
    record_to_cef,
    record_to_dict,
)

from .conftest import NOW, message


def test_cef_header_escaping() -> None:
    assert cef_header_escape(r"a|b\c") == r"a\|b\\c"
    assert cef_header_escape("x\r\ny\nz") == "x y z"
    assert cef_header_escape("a=b") == "a=b"  # '=' needs no escape in the header


def test_cef_extension_escaping() -> None:
    assert cef_ext_escape(r"a=b\c|d") == r"a\=b\\c|d"  # '|' needs no escape in extensions
    assert cef_ext_escape("one\ntwo\r\nthree\rfour") == r"one\ntwo\nthree\rfour"


def split_cef(line: str) -> list[str]:
    """Split a CEF line into its 7 header fields and the extension (unescaped pipes only)."""
    fields, current, i = [], "", 0
    while i < len(line) and len(fields) < 7:
        ch = line[i]
        if ch == "\\":
            current += line[i : i + 2]
            i += 2
            continue
        if ch == "|":
            fields.append(current)
            current = ""
        else:
            current += ch
        i += 1
    return [*fields, line[i:]]


async def _records(log: AuditLog) -> list[str]:
    return [line async for line in log.iter_export("cef")]


async def test_cef_lines(log: AuditLog) -> None:
    blocked = AuditEntry(
        kind=RecordKind.DECISION,
        recorded_ts=NOW + 1,
        event_type="m.room|message",
        event_id="$e=1",
        room_id="!r:clinic.example",
        sender="@alice:clinic.example",
        category="phi",
        decision="block",
        reason="vendor acme: BAA is Pending\nsee a=b | c \\ d",
        content={"body": "SECRET-BODY"},
    )
    allowed = message(2, category="non_phi")
    await log.append([blocked, allowed])
    first, second = await _records(log)
    assert first.startswith("CEF:0|PHI Gate|phigate|")
    fields = split_cef(first)
    assert len(fields) == 8
    assert fields[4] == r"m.room\|message"  # the escaped pipe stays in one header field
    assert fields[5] == "decision block" and fields[6] == "8"
    ext = fields[7]
    assert r"msg=vendor acme: BAA is Pending\nsee a\=b | c \\ d" in ext
    assert r"externalId=$e\=1" in ext
    assert f"rt={NOW + 1}" in ext and "suser=@alice:clinic.example" in ext
    assert "cs1Label=room cs1=!r:clinic.example" in ext
    assert "cs2Label=category cs2=phi" in ext and "act=block" in ext and "cn1=1" in ext
    assert "\n" not in first and "SECRET-BODY" not in first
    assert "cs4Label" not in first  # no subject vendor: no dangling label
    assert int(split_cef(second)[6]) < 8


async def test_jsonl_metadata_and_content_fingerprint(log: AuditLog) -> None:
    entry = message(1, body="SECRET-BODY")
    await log.append([entry, message(2)])
    lines = [line async for line in log.iter_export("jsonl")]
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    doc = json.loads(lines[0])
    assert doc["seq"] == 1 and doc["event_id"] == "$event1" and doc["category"] == "phi"
    assert doc["counterparties"][0]["agreement"] == "acme"
    assert "content" not in doc and "SECRET-BODY" not in lines[0]
    (record,) = await log.query(AuditFilter(limit=None, until_ms=NOW + 2))
    assert doc["content_sha256"] == hashlib.sha256(record.sealed).hexdigest()
    assert doc["hash"] == record.hash and doc["prev_hash"] == record.prev_hash
    assert doc["recorded_at"].endswith("+00:00")

    full = [json.loads(x) async for x in log.iter_export("jsonl", include_content=True)]
    assert full[0]["content"] == entry.content


async def test_export_since_and_order(log: AuditLog) -> None:
    await log.append([message(i) for i in range(1, 6)])
    lines = [json.loads(x) async for x in log.iter_export("jsonl", since_ms=NOW + 3)]
    assert [d["seq"] for d in lines] == [3, 4, 5]
    assert [x async for x in log.iter_export("cef", NOW + 99)] == []


async def test_export_rejects_unknown_format(log: AuditLog) -> None:
    import pytest

    with pytest.raises(ValueError):
        async for _ in log.iter_export("xml"):  # type: ignore[arg-type]
            pass


async def test_record_to_dict_and_cef_never_include_unloaded_content(log: AuditLog) -> None:
    await log.append_one(message(1, body="SECRET-BODY"))
    (record,) = await log.query(AuditFilter())
    assert "content" not in record_to_dict(record, include_content=True)  # not loaded
    assert "SECRET-BODY" not in record_to_cef(record)
