"""Search by content: the blind index finds what was sent and nothing else, holds no
plaintext, survives a key rotation and can be rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bridge.audit import (
    AuditEntry,
    AuditFilter,
    AuditKeyring,
    AuditLog,
    RecordKind,
    rotate_key_file,
)
from bridge.audit.search import content_words, joined_tokens, rebuild_index, search, words
from bridge.errors import InvalidArgument
from tests import databases

from .conftest import NOW, execute, message, scalar


def test_words_are_normalised() -> None:
    assert words("HbA1c: 7.2%  ＡＢＣ Straße") == ["hba1c", "7", "2", "abc", "strasse"]
    assert words("ssn_123-45-6789") == ["ssn", "123", "45", "6789"]
    assert joined_tokens("HbA1c: 7.2% (SSN 123-45-6789).") == ["7.2", "123-45-6789"]


def test_only_text_fields_are_indexed() -> None:
    content = {
        "content": {
            "msgtype": "m.text",
            "body": "A1C is 7.2",
            "m.new_content": {"body": "A1C is 7.4"},
            "url": "mxc://x/secretid",
            "filename": "labs.pdf",
        },
        "decrypted": True,
    }
    assert set(content_words(content)) == {"a1c", "is", "7.2", "7.4", "labs", "pdf", "labs.pdf"}
    assert "mxc" not in content_words(content) and "text" not in content_words(content)


async def fill(log: AuditLog) -> None:
    await log.append(
        [
            message(1, body="Patient A1C came back at 7.2 today"),
            message(2, body="a1c follow-up scheduled", vendor="labco"),
            message(3, body="Invoice 7 2 attached"),  # 7 and 2, not "7.2"
            message(4, body="nothing to see", category="non_phi"),
            AuditEntry(
                kind=RecordKind.EVENT,
                recorded_ts=NOW + 5,
                event_type="m.room.message",
                event_id="$file",
                room_id="!r1:clinic.example",
                content={"content": {"msgtype": "m.file", "body": "A1C-results.pdf"}},
            ),
        ]
    )


def seqs(records: list) -> list[int]:  # type: ignore[type-arg]
    return [r.seq for r in records]


async def test_search_finds_what_was_sent_and_nothing_else(log: AuditLog) -> None:
    await fill(log)
    everything = AuditFilter(limit=None)
    assert seqs(await search(log, "A1C", everything)) == [5, 2, 1]  # newest first
    assert seqs(await search(log, "a1c came back", everything)) == [1]
    assert seqs(await search(log, "7.2", everything)) == [1]  # phrase, not 7 … 2
    assert seqs(await search(log, "came a1c", everything)) == []  # order matters
    assert seqs(await search(log, "results pdf", everything)) == [5]
    assert seqs(await search(log, "zyloprim", everything)) == []
    assert seqs(await search(log, "A1C", AuditFilter(vendor="labco", limit=None))) == [2]
    assert seqs(await search(log, "A1C", AuditFilter(limit=1))) == [5]
    assert seqs(await search(log, "A1C", AuditFilter(category="phi", limit=None))) == [2, 1]
    found = await search(log, "A1C", AuditFilter(limit=1), with_content=True)
    assert found[0].content_loaded
    assert not (await search(log, "A1C", AuditFilter(limit=1)))[0].content_loaded
    with pytest.raises(InvalidArgument):
        await search(log, "a !", everything)


async def test_no_plaintext_at_rest(log: AuditLog, engine: AsyncEngine) -> None:
    await log.append([message(1, body="Zyloprim 300mg for gout")])
    assert seqs(await search(log, "zyloprim", AuditFilter(limit=None))) == [1]
    url = engine.url.render_as_string(hide_password=False)
    await engine.dispose()
    # The SQLite files (database and WAL), or everything PostgreSQL holds (a data dump).
    data = databases.stored_bytes(url).lower()
    assert b"@alice:clinic.example" in data  # the bytes are this log's (metadata is clear)
    assert b"zyloprim" not in data and b"gout" not in data


async def test_records_under_a_rotated_key_are_still_found(
    log: AuditLog, engine: AsyncEngine, key_file: Path
) -> None:
    await log.append([message(1, body="A1C old key")])
    rotate_key_file(key_file)
    rotated = await AuditLog.open(engine, AuditKeyring.load(key_file), now_ms=NOW)
    await rotated.append([message(2, body="A1C new key")])
    assert seqs(await search(rotated, "a1c", AuditFilter(limit=None))) == [2, 1]


async def test_rebuild_index(log: AuditLog, engine: AsyncEngine) -> None:
    await fill(log)
    rows = await scalar(engine, "SELECT count(*) FROM audit_token")
    await execute(engine, "DELETE FROM audit_token")
    assert seqs(await search(log, "A1C", AuditFilter(limit=None))) == []
    assert await rebuild_index(log, chunk=2) == (5, 0)
    assert await scalar(engine, "SELECT count(*) FROM audit_token") == rows
    assert seqs(await search(log, "A1C", AuditFilter(limit=None))) == [5, 2, 1]


async def test_search_across_many_buckets(log: AuditLog) -> None:
    batch = [message(i, body=f"routine note {i}") for i in range(1, 9001)]
    batch[10] = message(11, body="rare word quinapril")
    batch[8500] = message(8501, body="quinapril again")
    await log.append(batch)
    assert seqs(await search(log, "quinapril", AuditFilter(limit=None))) == [8501, 11]
    assert seqs(await search(log, "routine note 4242", AuditFilter(limit=None))) == [4242]
