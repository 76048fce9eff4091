"""Practice settings: the practice's own identifier formats and its own contacts."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.classify import PracticeSettings, classify_content, classify_text, detect
from bridge.cli import classify_stream, main
from bridge.config import load_config, parse_config, render_new_config
from bridge.errors import ConfigError
from bridge.policy.category import ContentCategory

PRACTICE = PracticeSettings.build(
    identifier_patterns=[("mrn", r"\bCH-\d{6}\b"), ("practice_identifier", r"\bACC\d{7}\b")],
    own_phones=["(617) 555-0100"],
    own_emails=["Front.Desk@clinic.example"],
    own_addresses=["100 Main St, Springfield MA 01101"],
)


def test_practice_identifier_formats_are_identifiers() -> None:
    assert detect("chart CH-004821 needs merging", PRACTICE) == {"mrn"}
    assert detect("ACC1234567 has a balance", PRACTICE) == {"practice_identifier"}
    # Without the settings these shapes are nothing the detector knows.
    assert detect("chart CH-004821 needs merging") == frozenset()


def test_own_contacts_are_never_flagged() -> None:
    assert detect("call her back at 617-555-0100", PRACTICE) == frozenset()
    assert detect("call her back at +1 617 555 0100") == {"phone"}
    assert detect("she can mail it to front.desk@clinic.example", PRACTICE) == frozenset()
    assert detect("mail it to 100 Main St., Springfield MA 01101", PRACTICE) == frozenset()
    assert detect("mail it to 100 Main St., Springfield MA 01101") == {"address"}


def test_only_the_own_contact_is_exempt() -> None:
    text = "call her at 617-555-0100 or her cell 617-555-0199"
    assert detect(text, PRACTICE) == {"phone"}
    assert "health_about_person" in detect("call 617-555-0100 about her biopsy", PRACTICE)


def test_classify_takes_the_settings() -> None:
    assert classify_text("CH-004821", practice=PRACTICE).category is ContentCategory.PHI
    content = {"msgtype": "m.text", "body": "fax 617-555-0100 #nophi"}
    assert classify_content(content, practice=PRACTICE).category is ContentCategory.NON_PHI
    assert classify_content(content).category is ContentCategory.PHI


@pytest.mark.parametrize(
    "bad",
    [
        {"identifier_patterns": [("mrn", "(")]},
        {"identifier_patterns": [("MRN!", "x")]},
        {"own_phones": ["555"]},
        {"own_emails": ["frontdesk"]},
        {"own_addresses": ["  ,  "]},
    ],
)
def test_bad_settings_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        PracticeSettings.build(**bad)


def _raw_config(classify: Any = None) -> dict[str, Any]:
    raw = yaml.safe_load(render_new_config())
    if classify is not None:
        raw["classify"] = classify
    return raw


def test_config_classify_section() -> None:
    assert parse_config(_raw_config(), Path("/x/config.yaml")).classify.empty
    config = parse_config(
        _raw_config(
            {
                "identifier_patterns": [{"type": "mrn", "pattern": r"\bCH-\d{6}\b"}, r"\bZ\d{5}\b"],
                "own": {"phones": ["617-555-0100"], "addresses": ["100 Main St"]},
            }
        ),
        Path("/x/config.yaml"),
    )
    assert detect("CH-004821 and Z12345", config.classify) == {"mrn", "practice_identifier"}
    assert detect("call her at 617-555-0100", config.classify) == frozenset()


@pytest.mark.parametrize(
    ("classify", "key"),
    [
        ({"identifier_patterns": "x"}, "classify.identifier_patterns"),
        ({"identifier_patterns": [{"type": "name", "pattern": "x"}]}, "type"),
        ({"identifier_patterns": [{"pattern": "("}]}, "classify"),
        ({"own": {"phones": "617"}}, "classify.own.phones"),
    ],
)
def test_config_classify_errors_name_the_key(classify: Any, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse_config(_raw_config(classify), Path("/x/config.yaml"))


def test_cli_classify_uses_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(_raw_config({"identifier_patterns": [r"\bCH-\d{6}\b"]})), encoding="utf-8"
    )
    out = io.StringIO()
    classify_stream(io.StringIO("CH-004821\n"), out, load_config(config).classify)
    assert json.loads(out.getvalue())["category"] == "phi"
    monkeypatch.setattr(sys, "stdin", io.StringIO("CH-004821\n"))
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["classify", "-c", str(config)]) == 0
    assert json.loads(stdout.getvalue()) == {"category": "phi", "reasons": ["practice_identifier"]}
    assert "004821" not in stdout.getvalue()
