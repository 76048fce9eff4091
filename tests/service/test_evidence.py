"""The evidence report's citations point at tests that exist, and each renders."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bridge.service.evidence import (
    CITATIONS,
    Check,
    CheckName,
    EvidenceReport,
    Status,
    VendorLine,
    render_html,
    render_json,
    render_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
CITED = (
    "§164.312(b)",
    "§164.312(c)(1)",
    "§164.312(e)(1)",
    "§164.312(e)(2)(ii)",
    "§164.502(e)",
    "§164.504(e)",
    "§164.528",
)


def test_every_citation_is_served() -> None:
    assert [c.cite.removeprefix("45 CFR ") for c in CITATIONS] == list(CITED)


@pytest.mark.parametrize("test", sorted({t for c in CITATIONS for t in c.tests}))
def test_every_cited_test_exists(test: str) -> None:
    path, _, name = test.partition("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = {
        n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert name in names, f"{test} is cited by the evidence report but does not exist"


def _report(status: Status) -> EvidenceReport:
    checks = tuple(
        Check(name, status if name is CheckName.ROOMS else Status.PASS, f"{name.value} <ok>")
        for name in CheckName
    )
    vendors = (
        VendorLine("acme", "Acme | Billing", "Active", "2027-01-01T00:00:00Z", 12),
        VendorLine("lab", "Lab", "Pending", "-", None),
    )
    return EvidenceReport("2026-12-03T00:00:00Z", "clinic.test", checks, vendors=vendors)


def test_a_failed_check_makes_the_report_fail_in_every_format() -> None:
    good, bad = _report(Status.PASS), _report(Status.FAIL)
    assert good.ok and not bad.ok
    assert json.loads(render_json(bad))["ok"] is False
    assert "A CHECK FAILED" in render_markdown(bad)
    assert "all checks pass" in render_markdown(good)
    page = render_html(bad)
    # Self-contained: the charts are inline SVG, nothing is fetched, text is escaped.
    assert (
        page.count("<svg") == 2
        and "<script" not in page
        and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "managed_rooms &lt;ok&gt;" in page
    assert "Acme \\| Billing" in render_markdown(good)
