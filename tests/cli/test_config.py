"""config.yaml: every problem is one line naming the key; secrets are never defaulted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bridge.config import load_config, registration, render_new_config
from bridge.errors import ConfigError


def write(tmp_path: Path, raw: Any) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(raw) if not isinstance(raw, str) else raw)
    return path


def fresh() -> dict[str, Any]:
    return yaml.safe_load(render_new_config(domain="clinic.test"))


def test_fresh_config_loads_with_unique_secrets(tmp_path: Path) -> None:
    a, b = fresh(), fresh()
    assert a["appservice"]["as_token"] != b["appservice"]["as_token"]
    assert a["appservice"]["hs_token"] != a["appservice"]["as_token"]
    config = load_config(write(tmp_path, a))
    assert config.bot_user_id == "@phigate:clinic.test"
    assert config.audit_key_file == tmp_path / "audit.key"
    assert config.database == f"sqlite+aiosqlite:///{tmp_path / 'phigate.db'}"
    assert config.media.allowed_types >= {"image/png", "application/pdf", "text/plain"}
    assert config.audit.retention.text == "6y"


@pytest.mark.parametrize(
    ("path", "value", "key"),
    [
        (("appservice", "as_token"), None, "appservice.as_token"),
        (("appservice", "hs_token"), "<generated>", "appservice.hs_token"),
        (("appservice", "hs_token"), "short", "appservice.hs_token"),
        (("appservice", "port"), "29400", "appservice.port"),
        (("homeserver", "address"), "ftp://x", "homeserver.address"),
        (("homeserver",), None, "homeserver"),
        (("organization", "admins"), ["not-a-user"], "organization.admins"),
        (("organization", "staff_domains"), None, "organization.staff_domains"),
        (("organization", "staff_users"), ["not-a-user"], "organization.staff_users"),
        (("organization", "staff_users"), ["@a:elsewhere.test"], "organization.staff_users"),
        (
            ("organization", "staff_user_patterns"),
            ["@(unclosed"],
            "organization.staff_user_patterns",
        ),
        (("organization", "staff_by_domain"), "yes", "organization.staff_by_domain"),
        (("organization", "patient_domains"), ["clinic.test"], "organization.patient_domains"),
        (("policy", "vendor_without_active_baa"), "block_some", "policy.vendor_without_active_baa"),
        (("database",), "mysql://x", "database"),
        (("logging", "level"), "LOUD", "logging.level"),
        (("encryption", "key_wait_seconds"), -1, "encryption.key_wait_seconds"),
        (("media", "max_size"), "big", "media.max_size"),
        (("audit", "retention"), "6 months", "audit.retention"),
        (("audit", "retention"), 6, "audit.retention"),
    ],
)
def test_bad_or_missing_key_names_the_key(
    tmp_path: Path, path: tuple[str, ...], value: Any, key: str
) -> None:
    raw = fresh()
    target = raw
    for part in path[:-1]:
        target = target[part]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, raw))
    message = str(error.value)
    assert key in message and "\n" not in message


def test_workforce_is_recognised_by_name_unless_said_otherwise(tmp_path: Path) -> None:
    """`phigate init` writes a config where only listed staff (and the admins) are staff."""
    raw = fresh()
    raw["organization"]["admins"] = ["@admin:CLINIC.test"]
    raw["organization"]["staff_users"] = ["@drsmith:clinic.test"]
    raw["organization"]["staff_user_patterns"] = [r"@staff\.[a-z]+:clinic\.test"]
    raw["organization"]["patient_domains"] = ["Patients.test"]
    org = load_config(write(tmp_path, raw)).organization
    assert org.staff_by_domain is False
    assert org.staff_users == {"@drsmith:clinic.test", "@admin:clinic.test"}
    assert [p.pattern for p in org.staff_user_patterns] == [r"@staff\.[a-z]+:clinic\.test"]
    assert org.patient_domains == {"patients.test"}


def test_without_a_named_workforce_the_staff_domains_are_staff(tmp_path: Path) -> None:
    """SPEC §1: staff are the users on staff_domains, until the practice names its
    workforce (then only those named are)."""
    raw = fresh()
    org = load_config(write(tmp_path, raw)).organization
    assert org.staff_by_domain is True
    raw["organization"]["staff_by_domain"] = False
    assert load_config(write(tmp_path, raw)).organization.staff_by_domain is False


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")
    with pytest.raises(ConfigError, match="not valid YAML at line"):
        load_config(write(tmp_path, "homeserver: [unclosed\n"))
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(write(tmp_path, "- a list\n"))


def test_registration_namespaces(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, fresh()))
    reg = registration(config)
    users = reg["namespaces"]["users"]
    assert {"exclusive": True, "regex": "@phigate:clinic\\.test"} in users
    assert {"exclusive": False, "regex": "@.*:clinic\\.test"} in users  # auto_protect
    assert reg["namespaces"]["aliases"] == [
        {"exclusive": True, "regex": "\\#phigate\\-control:clinic\\.test"}
    ]
    assert reg["io.element.msc4190"] is True and reg["rate_limited"] is False
    # Typing notifications are pushed; room keys still come by the device's own /sync.
    assert reg["receive_ephemeral"] is True
    assert reg["de.sorunome.msc2409.push_ephemeral"] is False
