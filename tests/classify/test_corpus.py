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
    # Rounds 3-10 of the development set (health information without a classic
    # identifier, each scored before tuning on it) grew dev; the holdout rounds 1 and 2
    # are frozen as written, so they are a fixed count, not a share of the corpus.
    assert len(holdout) >= 140
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


def test_health_information_rounds(cases: list[CorpusCase]) -> None:
    # Development rounds 3 and 4: health information about the reader, a first name, a
    # surname, an age and sex, a relative; and practice talk full of health words.
    for round_ in (3, 4):
        scores = score(case for case in cases if case.split == "dev" and case.round == round_)
        assert scores.count >= 100
        assert scores.recall >= 0.97, (round_, scores)
        assert scores.precision >= 0.95, (round_, scores)
