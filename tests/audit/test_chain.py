"""Canonical encoding, hashing and party keys (pure functions)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bridge.audit import AuditEntry, Counterparty, RecordKind
from bridge.audit.chain import (
    META_COLUMNS,
    clean_text,
    decode_content,
    decode_details,
    encode_content,
    encode_details,
    encode_meta,
    party_keys,
    party_keys_from_stored,
    record_hash,
)

BASE = (1, 2, None, 3, "event", "m.room.message", None, None, None, None, None, "{}", "k")


def meta(**changes: object) -> bytes:
    values = dict(zip(META_COLUMNS, BASE, strict=True)) | changes
    return encode_meta(*(values[n] for n in META_COLUMNS))  # type: ignore[arg-type]


def test_none_and_empty_text_encode_differently() -> None:
    assert meta(event_id=None) != meta(event_id="")
    assert meta(room_id=None) != meta(room_id="")
    assert meta(event_ts=None) != meta(event_ts=0)


def test_encoding_has_fixed_field_count() -> None:
    assert meta().count(b"\x1f") == 13
    assert meta(sender="@a:b", category="phi", decision="block").count(b"\x1f") == 13


def test_shifting_text_between_fields_changes_the_encoding() -> None:
    # Without separators/prefixes, ("ab", "c") and ("a", "bc") would collide.
    assert meta(room_id="ab", sender="c") != meta(room_id="a", sender="bc")
    assert meta(decision="x", details="y") != meta(decision="xy", details="")


@given(st.text(), st.text())
def test_distinct_values_never_collide(a: str, b: str) -> None:
    a, b = clean_text(a), clean_text(b)
    first = meta(sender=a, room_id=b)
    second = meta(sender=b, room_id=a)
    assert (first == second) == (a == b)


def test_record_hash_is_length_delimited() -> None:
    prev = bytes(32)
    # Moving a byte from the end of meta to the start of sealed changes the hash.
    assert record_hash(prev, b"abc", b"def") != record_hash(prev, b"ab", b"cdef")
    assert len(record_hash(prev, b"", b"")) == 32


def test_clean_text_replaces_unstorable_characters() -> None:
    assert clean_text("plain") == "plain"
    assert clean_text("a\x00b\x1fc") == "a\ufffdb\ufffdc"
    assert clean_text("caf\u00e9 \ud800") == "caf\u00e9 \ufffd"
    assert clean_text("\U0001f600") == "\U0001f600"


def test_details_round_trip_and_escape_controls() -> None:
    cps = (Counterparty("@v:acme.example", "vendor", "acme", "Active"),)
    text = encode_details("staff", cps, "line1\nline2 \x1f \x00", "acme", "@p:x")
    assert "\x1f" not in text and "\x00" not in text and text.isascii()
    doc = decode_details(text)
    assert doc["counterparties"] == cps
    assert doc["reason"] == "line1\nline2 \x1f \x00"
    assert doc["subject_vendor"] == "acme" and doc["subject_user"] == "@p:x"
    assert decode_details(encode_details(None, (), None, None, None)) == {"counterparties": ()}


def test_content_round_trip() -> None:
    for content in (None, {"body": "hé \ud800 \x00", "n": [1, 2.5, True]}, "text", 7):
        assert decode_content(encode_content(content)) == content
    assert json.loads(encode_content({"a": 1})) == {"a": 1}


def test_party_keys() -> None:
    entry = AuditEntry(
        kind=RecordKind.TRANSITION,
        recorded_ts=1,
        event_type="org.phigate.baa_transition",
        room_id="!r:x",
        sender="@admin:clinic",
        counterparties=(
            Counterparty("@v:acme.example", "vendor", "acme", "Active"),
            Counterparty("@p:patients", "patient", None, "None"),
            Counterparty("@u:elsewhere", "unknown", None, "None"),
        ),
        subject_vendor="acme",
        subject_user="@p:patients",
    )
    keys = party_keys(entry)
    assert keys == sorted(
        {
            "r:!r:x",
            "u:@admin:clinic",
            "u:@v:acme.example",
            "v:acme",
            "u:@p:patients",
            "u:@u:elsewhere",
        }
    )
    details = decode_details(
        encode_details(None, entry.counterparties, None, entry.subject_vendor, entry.subject_user)
    )
    assert party_keys_from_stored("!r:x", "@admin:clinic", details) == keys
