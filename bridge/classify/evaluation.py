"""Scoring the classifier against a labelled corpus (used by the benchmark and tests).

Pure like the rest of the package: callers read the corpus file and pass its decoded
lines in. A corpus line is ``{"text": ...}`` or ``{"content": {...}}`` (a full Matrix
message content, optionally with ``"event_type"``), plus ``"label"`` (``phi`` /
``non_phi``) and ``"split"`` (``dev`` / ``holdout``).

"Flagged" means gated as PHI would be: ``phi`` or ``unknown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bridge.classify.classifier import classify_content
from bridge.policy.category import ContentCategory


@dataclass(frozen=True, slots=True)
class CorpusCase:
    content: Mapping[str, Any]
    event_type: str
    expected_phi: bool
    split: str
    round: int | None


@dataclass(frozen=True, slots=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @property
    def count(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def parse_case(row: Mapping[str, Any]) -> CorpusCase:
    """One decoded corpus line as a case; raises ``ValueError`` on a malformed line."""
    label = row.get("label")
    if label not in ("phi", "non_phi"):
        raise ValueError(f"label must be phi or non_phi, got {label!r}")
    if "content" in row:
        content = row["content"]
        if not isinstance(content, Mapping):
            raise ValueError("content must be an object")
    elif isinstance(row.get("text"), str):
        content = {"msgtype": "m.text", "body": row["text"]}
    else:
        raise ValueError("a line needs text or content")
    round_ = row.get("round")
    return CorpusCase(
        content=content,
        event_type=str(row.get("event_type", "m.room.message")),
        expected_phi=label == "phi",
        split=str(row.get("split", "dev")),
        round=round_ if isinstance(round_, int) else None,
    )


def is_flagged(case: CorpusCase) -> bool:
    category = classify_content(case.content, event_type=case.event_type).category
    return category is not ContentCategory.NON_PHI


def score(cases: Iterable[CorpusCase]) -> Scores:
    tp = fp = fn = tn = 0
    for case in cases:
        flagged = is_flagged(case)
        if flagged and case.expected_phi:
            tp += 1
        elif flagged:
            fp += 1
        elif case.expected_phi:
            fn += 1
        else:
            tn += 1
    return Scores(tp, fp, fn, tn)
