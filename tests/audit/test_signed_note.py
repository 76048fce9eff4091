"""C2SP signed notes: the specification's own example, signing, and what a verifier refuses."""

from __future__ import annotations

import base64
import os

import pytest

from bridge.audit.signed_note import (
    NoteError,
    NoteSigner,
    NoteVerifier,
    key_id,
    open_note,
    sign_note,
)

# From https://c2sp.org/signed-note ("Example"): this vkey verifies this note.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZX"
    "sYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def signer(name: str = "clinic.example/phigate-audit") -> NoteSigner:
    return NoteSigner.from_seed(name, os.urandom(32))


def test_the_specification_example_verifies() -> None:
    verifier = NoteVerifier.from_vkey(SPEC_VKEY)
    opened = open_note(SPEC_NOTE, [verifier])
    assert opened.text == "This is an example message.\n"
    assert opened.signed_by == (verifier,) and opened.unknown == 0
    assert verifier.vkey == SPEC_VKEY


def test_key_id_is_the_recommended_hash() -> None:
    verifier = NoteVerifier.from_vkey(SPEC_VKEY)
    assert key_id("example.com/foo", verifier.public).hex() == "530d903a"


def test_sign_and_open_round_trip_with_two_signers() -> None:
    a, b = signer(), signer()
    note = sign_note("origin\n3\nAAAA\n", [a, b])
    text, _, sigs = note.partition("\n\n")
    assert text == "origin\n3\nAAAA"
    lines = sigs.splitlines()
    assert len(lines) == 2 and all(
        line.startswith("\u2014 clinic.example/phigate-audit ") for line in lines
    )
    raw = base64.b64decode(lines[0].split(" ")[2])
    assert raw[:4] == a.verifier.key_id and len(raw) == 4 + 64
    opened = open_note(note, [b.verifier])
    assert opened.signed_by == (b.verifier,) and opened.unknown == 1  # a's is ignored


def test_a_changed_text_fails_the_known_signature() -> None:
    a = signer()
    note = sign_note("origin\n3\nAAAA\n", [a])
    with pytest.raises(NoteError, match="does not verify"):
        open_note(note.replace("\n3\n", "\n4\n"), [a.verifier])


def test_a_note_no_trusted_key_signed_is_refused() -> None:
    note = sign_note("hello\n", [signer()])
    with pytest.raises(NoteError, match="no trusted key"):
        open_note(note, [signer().verifier])


@pytest.mark.parametrize(
    "note",
    [
        "hello\n",  # no signatures
        "hello\n\n",  # blank line, then nothing
        "hello\n\n- name AAAAAAAA\n",  # not an em dash
        "hello\n\n\u2014 name !!!\n",  # not base64
        "hello\n\n\u2014 name AAAA\n",  # too short for key ID + signature
        "hello\x07\n\n\u2014 name AAAAAAAA\n",  # control character
        "hello\n\n\u2014 name AAAAAAAA",  # cut short
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    with pytest.raises(NoteError):
        open_note(note, [signer("name").verifier])


def test_signing_refuses_text_that_is_not_a_note() -> None:
    with pytest.raises(NoteError):
        sign_note("no final newline", [signer()])
    with pytest.raises(NoteError):
        sign_note("tab\there\n", [signer()])
    with pytest.raises(ValueError):
        NoteSigner.from_seed("has space", os.urandom(32))


def test_vkey_with_a_wrong_key_id_is_refused() -> None:
    name, _, rest = SPEC_VKEY.partition("+")
    _, _, material = rest.partition("+")
    with pytest.raises(NoteError, match="does not match"):
        NoteVerifier.from_vkey(f"{name}+00000000+{material}")
    with pytest.raises(NoteError):
        NoteVerifier.from_vkey("just-a-name")
