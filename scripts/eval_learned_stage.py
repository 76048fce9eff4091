"""Train and measure the learned second opinion on the detector's health rules.

    python scripts/eval_learned_stage.py [--write PATH]

The model (shipped as ``bridge/classify/data/learned_stage.json``, used by
:mod:`bridge.classify.learned`): a logistic regression over words, word pairs, the
health kind of each word (:data:`bridge.classify.health.KINDS`) and the first word,
trained by plain stochastic gradient descent with AdaGrad steps and L2 shrinkage -- pure
Python, deterministic (fixed order, no random numbers). Its uses, on the rules' own calls:

- **veto**: every reason the rules gave is ``health_to_reader`` (the family behind most
  false alarms on unseen text: staff rules, teaching, news) and the message has no
  "your": a score below the line clears it;
- **rescue**: the rules found nothing but a health word is there: a score above the line
  flags it (reason ``health_learned``).

Training text: ``tests/data/phi_corpus.jsonl``, every ``tests/data/fresh/batch_*.jsonl``
and the blind sets that have been scored and opened for development
(:data:`BLIND_SETS`: ``phi_blind.jsonl`` ... ``phi_blind_v5.jsonl``, written by
independent writers). Later blind sets are not read: they measure the model.

Generalisation is estimated by leaving one set out: the groups are the corpus, the fresh
batches and each blind set; every message is scored by a model trained without its
group. The lines are set from those out-of-fold scores on the detector's calls:

``veto_below``
    the 2% quantile of the out-of-fold scores of the PHI messages flagged on soft
    reasons alone;
``rescue_above``
    the 98% quantile of the out-of-fold scores of the non-PHI messages with a health
    word the rules leave alone.

For each blind set the script prints the rules alone and the rules with the model that
never saw that set (its lines from the other groups' out-of-fold scores), and the totals.

History: session 5 (corpus + fresh only, 2,978 lines) moved the first looks P 0.959 R
0.954 -> P 0.957 R 0.962, not worth its cost, and was not wired in. Session 6 (with the
blind sets v1-v5, 4,916 lines; rules as of this commit), held out set by set, 1,816
lines: rules P 0.977 R 0.974 (FP 21, FN 24) -> with the model P 0.983 R 0.983 (FP 15,
FN 15), better or equal on both counts on every set (v5 0.976/0.931 -> 0.984/0.958, v4
0.970/0.980 -> 0.985/0.985, v3 0.978/0.989 -> 0.978/0.994, v1 P 0.971 -> 0.980, v2
unchanged). The rescue needs a health word of a strong, medium or possessed kind (not a
body part or an encounter: "call her back", "her visit is 11/20") and no word of talk
about nobody (``health.GENERIC_TALK``); rescue share 1%. Without that last guard:
P 0.971 R 0.983 (FP 27, FN 15), v3 precision 0.973 -> 0.962.
The rules had been tuned on those sets, so their own figures are optimistic; the model's
gain is measured on sets it did not see.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bridge.classify.detector import detect_rules  # noqa: E402
from bridge.classify.health import HEALTH_TO_READER  # noqa: E402
from bridge.classify.learned import features  # noqa: E402
from bridge.classify.learned import rescuable as learned_rescuable  # noqa: E402
from bridge.classify.tokens import TOKEN  # noqa: E402

SOFT_REASONS = frozenset({HEALTH_TO_READER})
_READER_OWNS = frozenset({"your", "ur", "yours", "yr"})


def vetoable(tokens: list[str]) -> bool:
    """Never over "your": health the reader owns is seed 003's own case."""
    return _READER_OWNS.isdisjoint(tokens)


def rescuable(tokens: list[str]) -> bool:
    """Only with a health word (the product's own test: ``learned.rescuable``)."""
    return learned_rescuable(frozenset(tokens))


CORPUS = REPO / "tests" / "data" / "phi_corpus.jsonl"
FRESH = REPO / "tests" / "data" / "fresh"
# Named one by one: a blind set still being written or not yet scored is never read.
BLIND_SETS = tuple(
    REPO / "tests" / "data" / name
    for name in (
        "phi_blind.jsonl",
        "phi_blind_v2.jsonl",
        "phi_blind_v3.jsonl",
        "phi_blind_v4.jsonl",
        "phi_blind_v5.jsonl",
    )
)
MODEL = REPO / "bridge" / "classify" / "data" / "learned_stage.json"

EPOCHS = 12
RATE = 0.2
L2 = 1e-4
MIN_COUNT = 2  # a feature seen in fewer training messages gets no weight
# The decision lines, as shares of the detector's own calls on the training text (by
# out-of-fold score): the veto may clear the lowest-scored 2% of the PHI messages the
# rules flag on soft reasons alone; the rescue flags the highest-scored 1% of the clean
# messages with a health word the rules leave alone. Session 6, blind sets held out: a
# rescue share of 2% caught 13 of 27 misses for 2 more false alarms and flagged two of the
# tests' look-alikes ("Boston Children's MRI wait is 6 weeks now"); 1% catches 12 and
# adds none. A miss reaches a patient, a false alarm only holds a message; the veto is
# the costlier mistake, and its share is set against the false alarms it clears.
VETO_SHARE = 0.02
RESCUE_SHARE = 0.01

Row = tuple[str, bool, str]


def load() -> list[Row]:
    """(text, is_phi, group) of every training line; groups: corpus, fresh, each blind set."""
    rows: list[tuple[str, bool, str]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = row.get("text", row.get("content", {}).get("body"))
            if isinstance(text, str):  # full Matrix contents: their body only
                rows.append((text, row["label"] == "phi", "corpus"))
    for path in sorted(FRESH.glob("batch_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], row["label"] == "phi", "fresh"))
    for path in BLIND_SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append((row["text"], row["label"] == "phi", path.stem))
    return rows


def featurise(text: str) -> list[str]:
    return sorted(set(features(TOKEN.findall(text.lower()))))


def train(samples: list[tuple[list[str], bool]]) -> tuple[dict[str, float], float]:
    counts: dict[str, int] = defaultdict(int)
    for names, _ in samples:
        for name in names:
            counts[name] += 1
    kept = {name for name, count in counts.items() if count >= MIN_COUNT}
    rows = [([name for name in names if name in kept], label) for names, label in samples]
    weights: dict[str, float] = dict.fromkeys(sorted(kept), 0.0)
    squares: dict[str, float] = dict.fromkeys(kept, 1e-8)
    bias = 0.0
    bias_square = 1e-8
    for epoch in range(EPOCHS):
        # A fixed interleaving per epoch (no random numbers): every k-th row in turn.
        step = 7 + 2 * epoch
        order = sorted(range(len(rows)), key=lambda index: (index * step) % len(rows))
        for index in order:
            names, label = rows[index]
            z = bias + sum(weights[name] for name in names)
            p = 1.0 / (1.0 + pow(2.718281828459045, -max(-30.0, min(30.0, z))))
            gradient = p - label
            bias_square += gradient * gradient
            bias -= RATE * gradient / bias_square**0.5
            for name in names:
                g = gradient + L2 * weights[name]
                squares[name] += g * g
                weights[name] -= RATE * g / squares[name] ** 0.5
    return {name: round(w, 4) for name, w in weights.items() if abs(w) >= 1e-3}, round(bias, 4)


def logit(weights: dict[str, float], bias: float, names: list[str]) -> float:
    return bias + sum(weights.get(name, 0.0) for name in names)


def out_of_fold(rows: list[Row]) -> list[float]:
    samples = [(featurise(text), label) for text, label, _ in rows]
    scores = [0.0] * len(rows)
    for group in sorted({group for _, _, group in rows}):
        train_on = [sample for sample, row in zip(samples, rows, strict=True) if row[2] != group]
        weights, bias = train(train_on)
        for index, row in enumerate(rows):
            if row[2] == group:
                scores[index] = logit(weights, bias, samples[index][0])
    return scores


def prf(pairs: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for flagged, phi in pairs if flagged and phi)
    fp = sum(1 for flagged, phi in pairs if flagged and not phi)
    fn = sum(1 for flagged, phi in pairs if not flagged and phi)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"P {precision:.3f} R {recall:.3f} (FP {fp}, FN {fn}, n {len(pairs)})"


def combined(text: str, reasons: set[str], score: float, veto: float, rescue: float) -> bool:
    """The detector's call: the rules' reasons with the second opinion on them."""
    tokens = TOKEN.findall(text.lower())
    if reasons:
        return not (reasons <= SOFT_REASONS and vetoable(tokens) and score < veto)
    return rescuable(tokens) and score > rescue


def lines(scores: list[float], calls: list[set[str]], rows: list[Row]) -> tuple[float, float]:
    """The veto and rescue lines from out-of-fold scores of the rows given."""
    soft_phi = sorted(
        score
        for score, reasons, (_, phi, _) in zip(scores, calls, rows, strict=True)
        if phi and reasons and reasons <= SOFT_REASONS
    )
    clean = sorted(
        score
        for score, reasons, (text, phi, _) in zip(scores, calls, rows, strict=True)
        if not phi and not reasons and rescuable(TOKEN.findall(text.lower()))
    )
    veto = soft_phi[int(VETO_SHARE * len(soft_phi))]
    rescue = clean[min(len(clean) - 1, int((1 - RESCUE_SHARE) * len(clean)))]
    return round(veto, 3), round(rescue, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", type=Path, nargs="?", const=MODEL, help=f"write the model (default {MODEL})"
    )
    args = parser.parse_args(argv)

    rows = load()
    scores = out_of_fold(rows)
    model_alone = [(score > 0, phi) for score, (_, phi, _) in zip(scores, rows, strict=True)]
    print(f"{len(rows)} lines; model alone, leave-one-set-out: {prf(model_alone)}")
    # The rules alone: what the detector says without its second opinion.
    calls = [set(detect_rules(text)) for text, _, _ in rows]
    rules_all: list[tuple[bool, bool]] = []
    both_all: list[tuple[bool, bool]] = []
    for held in [path.stem for path in BLIND_SETS]:
        others = [index for index, row in enumerate(rows) if row[2] != held]
        veto, rescue = lines(
            [scores[i] for i in others], [calls[i] for i in others], [rows[i] for i in others]
        )
        test = [index for index, row in enumerate(rows) if row[2] == held]
        rules = [(bool(calls[i]), rows[i][1]) for i in test]
        both = [(combined(rows[i][0], calls[i], scores[i], veto, rescue), rows[i][1]) for i in test]
        print(f"  {held}: rules {prf(rules)}; with the model {prf(both)}")
        rules_all += rules
        both_all += both
    print(f"blind sets held out: rules {prf(rules_all)}; with the model {prf(both_all)}")

    veto, rescue = lines(scores, calls, rows)
    print(f"lines for the shipped model: veto below {veto}, rescue above {rescue}")
    if args.write:
        weights, bias = train([(featurise(text), phi) for text, phi, _ in rows])
        model = {
            "about": "learned second opinion, built by scripts/eval_learned_stage.py --write",
            "lines": len(rows),
            "hyperparameters": {"epochs": EPOCHS, "rate": RATE, "l2": L2, "min_count": MIN_COUNT},
            "veto_below": veto,
            "rescue_above": rescue,
            "bias": bias,
            "weights": dict(sorted(weights.items())),
        }
        args.write.write_text(
            json.dumps(model, indent=0, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
