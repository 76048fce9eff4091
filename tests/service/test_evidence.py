"""The evidence report's citations point at tests that exist, and each renders."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bridge.service.evidence import (
    CITATIONS,
    BlockedLine,
    Check,
    CheckName,
    EvidenceReport,
    Status,
    VendorLine,
    last_months,
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
        page.count("<svg") == 3
        and "<script" not in page
        and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert "managed_rooms &lt;ok&gt;" in page
    assert "Acme \\| Billing" in render_markdown(good)


def test_blocked_events_per_vendor_and_month_in_every_format() -> None:
    months = last_months(1_796_300_000_000, 12)  # 2026-12-03
    assert months[0] == "2026-01" and months[-1] == "2026-12" and len(months) == 12
    assert last_months(1_767_225_600_000, 2) == ["2025-12", "2026-01"]  # 2026-01-01
    counts = dict.fromkeys(months, 0) | {"2026-11": 7, "2026-12": 2}
    report = replace(_report(Status.PASS), blocked=(BlockedLine("acme", tuple(counts.items())),))
    markdown = render_markdown(report)
    assert "| vendor | 2026-01 |" in markdown
    assert "| acme | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 7 | 2 |" in markdown
    page = render_html(report)
    assert "<title>acme 2026-11: 7</title>" in page and "<title>acme 2026-12: 2</title>" in page
    blocked = json.loads(render_json(report))["blocked"]
    assert blocked[0]["vendor_id"] == "acme" and ["2026-11", 7] in blocked[0]["per_month"]
    # Nothing blocked: said in words, not an empty table.
    assert "None in the last twelve months." in render_markdown(_report(Status.PASS))
