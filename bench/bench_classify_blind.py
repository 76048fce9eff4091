"""Blind benchmark: run classify_text over tests/data/phi_blind.jsonl.

The blind set was written without access to the detector or its tuning corpus.
A message counts as flagged when its category is "phi" or "unknown".

Run: .venv/bin/python bench/bench_classify_blind.py [path.jsonl] [--totals]
(``--totals`` prints the scores only, not the misclassified messages.)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bridge.classify import classify_text  # noqa: E402

DATA = ROOT / "tests" / "data" / "phi_blind.jsonl"
FLAGGED = ("phi", "unknown")


def _category(result: object) -> str:
    cat = getattr(result, "category", result)
    return str(getattr(cat, "value", cat))


def main() -> int:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    totals_only = "--totals" in sys.argv[1:]
    data = Path(args[0]) if args else DATA
    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line]
    tp = fp = fn = tn = 0
    cats: Counter[str] = Counter()
    misses: list[tuple[int, dict, str, tuple]] = []
    false_alarms: list[tuple[int, dict, str, tuple]] = []
    for i, row in enumerate(rows, 1):
        result = classify_text(row["text"])
        cat = _category(result)
        cats[cat] += 1
        flagged = cat in FLAGGED
        is_phi = row["label"] == "phi"
        reasons = tuple(getattr(result, "reasons", ()))
        if is_phi and flagged:
            tp += 1
        elif is_phi:
            fn += 1
            misses.append((i, row, cat, reasons))
        elif flagged:
            fp += 1
            false_alarms.append((i, row, cat, reasons))
        else:
            tn += 1

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"rows={len(rows)}  phi={tp + fn}  non_phi={fp + tn}")
    print(f"categories: {dict(cats)}")
    print(f"TP={tp} FP={fp} FN={fn} TN={tn}")
    print(f"precision={precision:.3f}  recall={recall:.3f}  F1={f1:.3f}")

    if totals_only:
        return 0
    print(f"\nMISSED PHI (false negatives): {len(misses)}")
    for i, row, cat, reasons in misses:
        print(f"  L{i:<4} [{row.get('kind')}] -> {cat} {reasons}\n        {row['text']}")
    print(f"\nFALSE ALARMS (false positives): {len(false_alarms)}")
    for i, row, cat, reasons in false_alarms:
        print(f"  L{i:<4} [{row.get('kind')}] -> {cat} {reasons}\n        {row['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
