"""Benchmark of PHI Gate's content classifier on the labelled corpus.

    python bench/bench_classify.py [--json out.json] [--repeat N] [--errors]

Prints precision / recall / F1 on the whole corpus and per split (``dev``: the lines
the detector was tuned on; ``holdout``: lines written after tuning, by round), then
throughput in messages per second: the median of N timed repeats over the whole
corpus, in this one process, after a warm-up pass, by the wall clock and by CPU time.
If ``presidio_analyzer`` is importable it is scored and timed on the same text lines,
side by side (set up as in ``bench_classify_peers.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# Runnable as a plain script from a checkout, installed or not.
sys.path.insert(0, str(REPO))

from bridge.classify import classify_content  # noqa: E402
from bridge.classify.evaluation import CorpusCase, Scores, parse_case, score  # noqa: E402

CORPUS = REPO / "tests" / "data" / "phi_corpus.jsonl"
# Each timed repeat runs the corpus enough times to last about this long.
_REPEAT_SECONDS = 0.25


def load_cases(path: Path) -> list[CorpusCase]:
    """The cases of one corpus file, or of every ``*.jsonl`` in a directory (in order)."""
    if path.is_dir():
        return [case for part in sorted(path.glob("*.jsonl")) for case in load_cases(part)]
    with path.open(encoding="utf-8") as lines:
        return [parse_case(json.loads(line)) for line in lines if line.strip()]


def groups(cases: Sequence[CorpusCase]) -> dict[str, list[CorpusCase]]:
    named: dict[str, list[CorpusCase]] = {"all": list(cases)}
    for case in cases:
        named.setdefault(case.split, []).append(case)
        if case.round is not None:
            named.setdefault(f"{case.split} round {case.round}", []).append(case)
    return named


def throughput(run_once: Callable[[], None], count: int, repeats: int) -> dict[str, float]:
    """Messages per second over ``repeats`` timed runs, after one warm-up run.

    Both by the wall clock and by this process's CPU time: on a machine shared with
    other work the wall clock also counts the time the process waited for a core, so the
    CPU-time rate is what one core of its own would do.
    """
    started = time.perf_counter()
    run_once()
    warm_up = time.perf_counter() - started
    inner = max(1, round(_REPEAT_SECONDS / warm_up)) if warm_up > 0 else 1
    rates: list[float] = []
    cpu_rates: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        cpu_started = time.process_time()
        for _ in range(inner):
            run_once()
        cpu = time.process_time() - cpu_started
        rates.append(count * inner / (time.perf_counter() - started))
        cpu_rates.append(count * inner / cpu if cpu > 0 else float("inf"))
    return {
        "median": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
        "cpu_median": statistics.median(cpu_rates),
        "cpu_min": min(cpu_rates),
        "cpu_max": max(cpu_rates),
        "repeats": repeats,
        "messages_per_repeat": count * inner,
    }


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def scores_dict(scores: Scores) -> dict[str, Any]:
    return {
        "count": scores.count,
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "true_positives": scores.true_positives,
        "false_positives": scores.false_positives,
        "false_negatives": scores.false_negatives,
        "true_negatives": scores.true_negatives,
    }


def print_scores(title: str, named: dict[str, Scores]) -> None:
    print(f"\n{title}")
    print(f"  {'set':<20}{'n':>5}{'precision':>11}{'recall':>9}{'F1':>8}{'FP':>5}{'FN':>5}")
    for name, scores in named.items():
        print(
            f"  {name:<20}{scores.count:>5}{scores.precision:>11.3f}{scores.recall:>9.3f}"
            f"{scores.f1:>8.3f}{scores.false_positives:>5}{scores.false_negatives:>5}"
        )


def print_errors(cases: Sequence[CorpusCase]) -> None:
    print("\nMisclassified lines (synthetic corpus)")
    for case in cases:
        result = classify_content(case.content, event_type=case.event_type)
        flagged = result.category.value != "non_phi"
        if flagged != case.expected_phi:
            kind = "FN" if case.expected_phi else "FP"
            body = case.content.get("body")
            print(f"  {kind} [{case.split}] {result.reasons} {body!r}")


def presidio(cases: Sequence[CorpusCase], repeats: int) -> dict[str, Any] | None:
    # The peer bench owns how Presidio is set up (the small spaCy model, offline).
    from bench.bench_classify_peers import presidio_flagger, text_cases

    flagged = presidio_flagger()
    if flagged is None:
        return None
    texts = text_cases(cases)

    tp = fp = fn = tn = 0
    for case, text in texts:
        hit = flagged(text)
        tp += hit and case.expected_phi
        fp += hit and not case.expected_phi
        fn += not hit and case.expected_phi
        tn += not hit and not case.expected_phi
    rate = throughput(
        lambda: [flagged(text) for _, text in texts], len(texts), max(1, repeats // 3)
    )
    return {"scores": scores_dict(Scores(tp, fp, fn, tn)), "throughput": rate}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=9, help="timed repeats (default 9)")
    parser.add_argument(
        "--corpus", type=Path, default=CORPUS, help="a .jsonl file or a directory of them"
    )
    parser.add_argument("--errors", action="store_true", help="list misclassified lines")
    parser.add_argument("--no-presidio", action="store_true", help="skip the peer")
    args = parser.parse_args(argv)

    cases = load_cases(args.corpus)
    named = {name: score(members) for name, members in groups(cases).items()}
    rate = throughput(
        lambda: [classify_content(case.content, event_type=case.event_type) for case in cases],
        len(cases),
        max(1, args.repeat),
    )
    info = machine()

    print(f"PHI Gate classifier on {args.corpus.name}: {len(cases)} lines")
    print_scores("Detection (flagged = phi or unknown)", named)
    print(
        f"\nThroughput, one process: median {rate['median']:,.0f} msg/s "
        f"(min {rate['min']:,.0f}, max {rate['max']:,.0f}; {rate['repeats']} repeats "
        f"of {rate['messages_per_repeat']:,} messages after warm-up)"
    )
    print(
        f"By CPU time of this process: median {rate['cpu_median']:,.0f} msg/s "
        f"(min {rate['cpu_min']:,.0f}, max {rate['cpu_max']:,.0f})"
    )
    print(
        f"Machine: {info['platform']}, {info['processor']}, {info['cpu_count']} CPUs, "
        f"{info['implementation']} {info['python']}, load {info['load_average']}"
    )
    if args.errors:
        print_errors(cases)

    peer = None if args.no_presidio else presidio(cases, args.repeat)
    if peer is None:
        print("\npresidio_analyzer not importable: peer comparison skipped")
    else:
        peer_scores = peer["scores"]
        print(
            f"\nPresidio (text lines, identifier entities): precision "
            f"{peer_scores['precision']:.3f}, recall {peer_scores['recall']:.3f}, "
            f"median {peer['throughput']['median']:,.0f} msg/s"
        )

    if args.json:
        report = {
            "corpus": str(args.corpus),
            "scores": {name: scores_dict(scores) for name, scores in named.items()},
            "throughput": rate,
            "machine": info,
            "presidio": peer,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
