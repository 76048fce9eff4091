"""classify_content / classify_text: declarations, detector, media, edits, malformed input."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.classify import (
    IDENTIFIER_TYPES,
    RULE_NAMES,
    Classification,
    classify_content,
    classify_text,
)
from bridge.policy.category import ContentCategory

PHI = ContentCategory.PHI
NON_PHI = ContentCategory.NON_PHI
UNKNOWN = ContentCategory.UNKNOWN


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"msgtype": "m.text", "body": body, **extra}


def test_undeclared_text_without_identifier_is_non_phi() -> None:
    assert classify_text("ticket 4521 is fixed") == Classification(NON_PHI, ("no_identifier",))


def test_detector_hit_is_phi_with_identifier_types() -> None:
    result = classify_text("SSN 512-44-8731, DOB 04/12/1958")
    assert result == Classification(PHI, ("date_of_birth", "ssn"))


def test_declared_phi_by_field_and_hashtag() -> None:
    assert classify_content(text("see thread", **{"org.phigate.category": "phi"})) == (
        Classification(PHI, ("declared",))
    )
    assert classify_text("#phi see thread") == Classification(PHI, ("declared",))


def test_declared_non_phi_by_field_and_hashtag() -> None:
    declared = Classification(NON_PHI, ("declared_non_phi",))
    assert classify_content(text("lunch?", **{"org.phigate.category": "non_phi"})) == declared
    assert classify_text("#nophi lunch?") == declared


def test_detector_overrides_non_phi_declaration() -> None:
    assert classify_text("#nophi her DOB is 01/02/1970") == Classification(
        PHI, ("date_of_birth", "declaration_overridden")
    )
    overridden = classify_content(text("MRN 00482913", **{"org.phigate.category": "non_phi"}))
    assert overridden == Classification(PHI, ("declaration_overridden", "mrn"))


def test_phi_hashtag_wins_over_non_phi_field() -> None:
    content = text("#phi see thread", **{"org.phigate.category": "non_phi"})
    assert classify_content(content).category is PHI


def test_hashtag_inside_a_word_is_not_a_declaration() -> None:
    assert classify_text("#phishing drill at 3").category is NON_PHI
    assert classify_text("#phil is out").category is NON_PHI


def test_bad_declaration_is_unknown() -> None:
    for value in ("PHI", "maybe", None, 3, ["phi"], {"x": 1}):
        result = classify_content(text("lunch?", **{"org.phigate.category": value}))
        assert result == Classification(UNKNOWN, ("bad_declaration",))


def test_bad_declaration_with_identifier_is_phi() -> None:
    result = classify_content(text("SSN 512-44-8731", **{"org.phigate.category": "?"}))
    assert result == Classification(PHI, ("bad_declaration", "ssn"))


def test_media_is_phi_unless_declared_non_phi() -> None:
    for msgtype in ("m.image", "m.file", "m.audio", "m.video"):
        media = {"msgtype": msgtype, "body": "IMG_2231.jpg", "url": "mxc://example/a"}
        assert classify_content(media) == Classification(PHI, ("media",))
        declared = {**media, "org.phigate.category": "non_phi"}
        assert classify_content(declared) == Classification(NON_PHI, ("declared_non_phi",))
        caption = {**media, "body": "team lunch #nophi"}
        assert classify_content(caption).category is NON_PHI


def test_media_without_body_is_still_phi() -> None:
    assert classify_content({"msgtype": "m.image", "url": "mxc://example/a"}).category is PHI


def test_media_filename_goes_through_the_detector() -> None:
    media = {
        "msgtype": "m.file",
        "body": "john_smith_ssn_123-45-6789.pdf",
        "org.phigate.category": "non_phi",
        "url": "mxc://example/a",
    }
    assert classify_content(media) == Classification(PHI, ("declaration_overridden", "ssn"))
    captioned = {
        "msgtype": "m.file",
        "body": "the form",
        "filename": "intake_dob_04-12-1958.pdf",
        "org.phigate.category": "non_phi",
    }
    assert classify_content(captioned).category is PHI


def test_stickers_are_media() -> None:
    sticker = {"body": "thumbs up", "url": "mxc://example/s", "info": {"w": 256}}
    assert classify_content(sticker, event_type="m.sticker") == Classification(PHI, ("media",))
    # Sticker-shaped content outside an m.sticker event is still an image.
    assert classify_content(sticker) == Classification(PHI, ("media",))
    declared = {**sticker, "org.phigate.category": "non_phi"}
    assert classify_content(declared, event_type="m.sticker").category is NON_PHI


def test_location_is_phi_unless_declared() -> None:
    location = {"msgtype": "m.location", "body": "here", "geo_uri": "geo:42.36,-71.06"}
    assert classify_content(location) == Classification(PHI, ("location",))


def test_edit_new_content_is_scanned() -> None:
    edit = {
        "msgtype": "m.text",
        "body": "* fixed a typo",
        "m.new_content": {"msgtype": "m.text", "body": "Mrs. Chen's SSN is 402-11-7765"},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$abc"},
    }
    assert "ssn" in classify_content(edit).reasons


def test_edit_new_content_declaration_counts() -> None:
    edit = {
        "msgtype": "m.text",
        "body": "* note",
        "m.new_content": {"msgtype": "m.text", "body": "note", "org.phigate.category": "phi"},
    }
    assert classify_content(edit) == Classification(PHI, ("declared",))


def test_edit_turning_text_into_media_is_media() -> None:
    edit = {"msgtype": "m.text", "body": "* x", "m.new_content": {"msgtype": "m.image"}}
    assert classify_content(edit).category is PHI


def test_formatted_body_is_scanned_without_tags() -> None:
    content = text(
        "see below",
        format="org.matrix.custom.html",
        formatted_body="<p><b>Karen Mills</b> &mdash; new dx of <i>breast cancer</i></p>",
    )
    assert classify_content(content) == Classification(PHI, ("clinical_with_name",))


def test_reply_fallback_quote_is_scanned() -> None:
    reply = text("> <@frontdesk:clinic.example> DOB 4/4/1961 for the chart\n\nthanks, updated")
    assert "date_of_birth" in classify_content(reply).reasons


def test_missing_or_non_string_body_is_unknown() -> None:
    no_body = Classification(UNKNOWN, ("no_body",))
    assert classify_content({}) == no_body
    assert classify_content({"msgtype": "m.text"}) == no_body
    assert classify_content({"msgtype": "m.text", "body": 5}) == no_body
    assert classify_content({"msgtype": "m.text", "body": None}) == no_body
    # A declaration does not stand in for a body nobody could read.
    assert classify_content({"org.phigate.category": "non_phi"}) == no_body


def test_not_a_mapping_is_unknown() -> None:
    for value in (None, [], "text", 3, ("body", "x")):
        assert classify_content(value) == Classification(UNKNOWN, ("not_a_mapping",))  # type: ignore[arg-type]


def test_classify_text_of_a_non_string_is_unknown() -> None:
    assert classify_text(None).category is UNKNOWN  # type: ignore[arg-type]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
content_keys = st.sampled_from(
    [
        "msgtype",
        "body",
        "formatted_body",
        "format",
        "filename",
        "url",
        "file",
        "info",
        "m.new_content",
        "org.phigate.category",
    ]
)
contents = st.dictionaries(content_keys | st.text(max_size=8), json_values, max_size=6)
# Text that looks like chat with numbers, names and tags in it.
chatty = st.text(
    alphabet=st.sampled_from(list("0123456789 -./()#@:'’,ADMPRSadeilmnoprst\n>")),
    max_size=80,
)


@settings(max_examples=400)
@given(contents, st.text(max_size=12))
def test_never_raises_on_arbitrary_content(content: dict[str, Any], event_type: str) -> None:
    result = classify_content(content, event_type=event_type)
    assert isinstance(result.category, ContentCategory)
    assert set(result.reasons) <= IDENTIFIER_TYPES | RULE_NAMES
    assert "classifier_error" not in result.reasons
    assert list(result.reasons) == sorted(set(result.reasons))


@settings(max_examples=200)
@given(json_values)
def test_never_raises_on_arbitrary_values(value: Any) -> None:
    assert isinstance(classify_content(value).category, ContentCategory)


@settings(max_examples=400)
@given(chatty, chatty)
def test_reasons_never_carry_message_text(body: str, formatted: str) -> None:
    content = text(body, formatted_body=formatted)
    result = classify_content(content)
    assert "classifier_error" not in result.reasons
    for run in re.findall(r"\d+", body + formatted):
        assert not any(run in reason for reason in result.reasons)
    assert set(result.reasons) <= IDENTIFIER_TYPES | RULE_NAMES
