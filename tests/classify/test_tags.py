"""Sender declarations: the category field and the #phi / #nophi hashtags."""

from __future__ import annotations

import pytest

from bridge.classify.tags import (
    CATEGORY_FIELD,
    Declaration,
    field_declaration,
    hashtag_declaration,
    stricter,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#phi follow-up on the call", Declaration.PHI),
        ("follow-up #PHI", Declaration.PHI),
        ("(#Phi) see thread", Declaration.PHI),
        ("#phi.", Declaration.PHI),
        ("#nophi lunch at 11:30", Declaration.NON_PHI),
        ("lunch #NoPhi", Declaration.NON_PHI),
        ("#phi and #nophi", Declaration.PHI),
        ("#phishing test from IT", Declaration.NONE),
        ("#phil is out today", Declaration.NONE),
        ("#nophil", Declaration.NONE),
        ("a#phi b", Declaration.NONE),
        ("##phi", Declaration.NONE),
        ("no tags", Declaration.NONE),
        ("", Declaration.NONE),
    ],
)
def test_hashtag(text: str, expected: Declaration) -> None:
    assert hashtag_declaration(text) is expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ({}, Declaration.NONE),
        ({CATEGORY_FIELD: "phi"}, Declaration.PHI),
        ({CATEGORY_FIELD: "non_phi"}, Declaration.NON_PHI),
        ({CATEGORY_FIELD: "PHI"}, Declaration.INVALID),
        ({CATEGORY_FIELD: "nophi"}, Declaration.INVALID),
        ({CATEGORY_FIELD: None}, Declaration.INVALID),
        ({CATEGORY_FIELD: ["phi"]}, Declaration.INVALID),
        ({CATEGORY_FIELD: 1}, Declaration.INVALID),
    ],
)
def test_field(content: dict[str, object], expected: Declaration) -> None:
    assert field_declaration(content) is expected


def test_stricter_fails_closed() -> None:
    order = [Declaration.NONE, Declaration.NON_PHI, Declaration.INVALID, Declaration.PHI]
    for low, weaker in enumerate(order):
        for stronger in order[low:]:
            assert stricter(weaker, stronger) is stronger
            assert stricter(stronger, weaker) is stronger
