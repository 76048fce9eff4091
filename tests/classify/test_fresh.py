"""The detector on the fresh batches (tests/data/fresh/): practice chat it was tuned on
after a first look, each batch's first-look score recorded in FIRST_LOOK.md there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.classify.evaluation import CorpusCase, parse_case, score

FRESH = Path(__file__).resolve().parents[1] / "data" / "fresh"
BATCHES = sorted(FRESH.glob("batch_*.jsonl"))


def _cases(path: Path) -> list[CorpusCase]:
    with path.open(encoding="utf-8") as lines:
        return [parse_case(json.loads(line)) for line in lines if line.strip()]


def test_batches_are_half_phi_and_recorded() -> None:
    assert len(BATCHES) >= 5
    recorded = (FRESH / "FIRST_LOOK.md").read_text(encoding="utf-8")
    for path in BATCHES:
        cases = _cases(path)
        assert len(cases) >= 60
        assert sum(case.expected_phi for case in cases) * 2 == len(cases)
        # Every batch was scored before tuning on it, and the score written down.
        assert f"| {path.stem.removeprefix('batch_')} |" in recorded


@pytest.mark.parametrize("path", BATCHES, ids=lambda path: path.stem)
def test_each_fresh_batch(path: Path) -> None:
    scores = score(_cases(path))
    assert scores.recall >= 0.97, scores
    assert scores.precision >= 0.95, scores


def test_all_fresh_batches() -> None:
    scores = score(case for path in BATCHES for case in _cases(path))
    assert scores.recall >= 0.99, scores
    assert scores.precision >= 0.99, scores
