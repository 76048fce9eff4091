"""The shipped detector on the shipped corpus (tests/data/phi_corpus.jsonl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge.classify.evaluation import CorpusCase, parse_case, score

CORPUS = Path(__file__).resolve().parents[1] / "data" / "phi_corpus.jsonl"


@pytest.fixture(scope="module")
def cases() -> list[CorpusCase]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [parse_case(json.loads(line)) for line in lines if line.strip()]


def test_corpus_shape(cases: list[CorpusCase]) -> None:
    assert len(cases) >= 260
    phi = sum(case.expected_phi for case in cases)
    assert 0.4 <= phi / len(cases) <= 0.6
    holdout = [case for case in cases if case.split == "holdout"]
    assert len(holdout) >= 0.25 * len(cases)
    assert {case.split for case in cases} == {"dev", "holdout"}


def test_corpus_texts_are_unique(cases: list[CorpusCase]) -> None:
    bodies = [json.dumps(case.content, sort_keys=True) for case in cases]
    assert len(bodies) == len(set(bodies))


def test_whole_corpus_recall_and_precision(cases: list[CorpusCase]) -> None:
    scores = score(cases)
    assert scores.recall >= 0.97, scores
    assert scores.precision >= 0.90, scores


def test_holdout_precision_and_recall_floor(cases: list[CorpusCase]) -> None:
    # Looser than the whole corpus on purpose: these lines were written after tuning
    # (round 1 then prompted one round of general fixes; round 2 never did).
    scores = score(case for case in cases if case.split == "holdout")
    assert scores.recall >= 0.90, scores
    assert scores.precision >= 0.90, scores
