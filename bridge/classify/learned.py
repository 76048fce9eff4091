"""A learned second opinion on the rules' calls: a logistic regression over words.

The rules (:mod:`bridge.classify.detector`, :mod:`bridge.classify.health`) are precise
but miss health information said in words or shapes they do not know ("omnipod pods
denied for the Ferris boy", "Sheila's 90 day supply of jardiance shipped to the old
address"). A small model trained on the labelled development lines (the corpus, the
fresh batches and the blind sets v1-v5, written by independent writers) gives a second
opinion only where the rules are unsure:

- **rescue**: the rules found nothing but a word of the health vocabulary is there; a
  score above ``rescue_above`` flags the message (reason :data:`HEALTH_LEARNED`);
- **veto**: every reason the rules gave is ``health_to_reader`` (the family behind most
  false alarms on unseen text: teaching, protocols, news) and the message has no
  "your"; a score below ``veto_below`` clears it.

Both lines are set from out-of-fold scores so that each moves about 2% of the rules'
calls of its kind on text the model had not seen (``scripts/eval_learned_stage.py``,
which also trains the model and measures it set by set, each set held out in turn).

The model is data (``data/learned_stage.json``: feature weights, bias and the two
lines), read once at import; scoring is pure Python: a message's features are its
words, its word pairs, the health kind of each word and its first word.
"""

from __future__ import annotations

import json
from importlib import resources
from itertools import pairwise, repeat
from typing import Final

from bridge.classify.health import GENERIC_TALK, HEALTH, HEALTH_TO_READER, KINDS, POSSESSED

HEALTH_LEARNED: Final = "health_learned"

_SOFT_REASONS = frozenset({HEALTH_TO_READER})
# Health the reader owns ("your A1C") is never vetoed: the rules' surest case.
_READER_OWNS = frozenset({"your", "ur", "yours", "yr"})
# Only a message with a health word of these kinds is rescued: a condition, symptom,
# score, drug or dose, a test, procedure or specialty... ("member since 2019", "call her
# back", "her visit is 11/20" are left alone whatever their words score).
RESCUE_KINDS: int = HEALTH | POSSESSED
_HEALTH_VOCABULARY: frozenset[str] = frozenset(
    word for word, kind in KINDS.items() if kind & RESCUE_KINDS
)


def rescuable(token_set: frozenset[str]) -> bool:
    """Whether the model may flag a message the rules left alone.

    Not among words of stock, policy, teaching, billing or populations (the rules' own
    sign of talk about nobody: "per protocol: CIWA 8-15 give lorazepam", "we should make
    a handout about..."): held out set by set, that cut the rescue's false alarms from 8
    to 3 for 3 of its 15 catches.
    """
    return not _HEALTH_VOCABULARY.isdisjoint(token_set) and GENERIC_TALK.isdisjoint(token_set)


def features(tokens: list[str]) -> list[str]:
    """Feature names of one message's tokens (the training script uses the same)."""
    names = ["w " + token for token in tokens]
    names += ["b " + first + " " + second for first, second in pairwise(tokens)]
    names += [f"k {kind}" for kind in map(KINDS.get, tokens) if kind]
    if tokens:
        names.append("s " + tokens[0])
    return names


_Tables = tuple[
    dict[str, float], dict[tuple[str, str], float], dict[int, float], dict[str, float], float
]


def _load() -> tuple[_Tables, float, float]:
    text = resources.files("bridge.classify").joinpath("data", "learned_stage.json")
    model = json.loads(text.read_text(encoding="utf-8"))
    # One table per feature family, keyed the way a message is read (a token, a pair of
    # tokens, a kind, the first token): scoring then needs no feature strings.
    words: dict[str, float] = {}
    pairs: dict[tuple[str, str], float] = {}
    kinds: dict[int, float] = {}
    starts: dict[str, float] = {}
    for name, weight in model["weights"].items():
        family, _, rest = name.partition(" ")
        if family == "w":
            words[rest] = float(weight)
        elif family == "b":
            first, _, second = rest.partition(" ")
            pairs[first, second] = float(weight)
        elif family == "k":
            kinds[int(rest)] = float(weight)
        elif family == "s":
            starts[rest] = float(weight)
    tables = (words, pairs, kinds, starts, float(model["bias"]))
    return tables, float(model["veto_below"]), float(model["rescue_above"])


(_WORDS, _PAIRS, _KIND_WEIGHTS, _STARTS, _BIAS), VETO_BELOW, RESCUE_ABOVE = _load()


def score(tokens: list[str], token_set: frozenset[str] | None = None) -> float:
    """The model's logit for "this message is PHI" (each feature counted once).

    The same sum as over :func:`features`, table by table.
    """
    present = frozenset(tokens) if token_set is None else token_set
    total = _BIAS + sum(map(_WORDS.get, present, repeat(0.0)))
    total += sum(map(_PAIRS.get, set(pairwise(tokens)), repeat(0.0)))
    kinds = set(map(KINDS.get, present, repeat(0)))
    kinds.discard(0)
    total += sum(map(_KIND_WEIGHTS.get, kinds, repeat(0.0)))
    if tokens:
        total += _STARTS.get(tokens[0], 0.0)
    return total


def second_opinion(
    tokens: list[str], token_set: frozenset[str], found: frozenset[str]
) -> frozenset[str]:
    """The rules' reasons ``found``, with the model's rescue or veto applied."""
    if found:
        if (
            found <= _SOFT_REASONS
            and _READER_OWNS.isdisjoint(token_set)
            and score(tokens, token_set) < VETO_BELOW
        ):
            return frozenset()
        return found
    if rescuable(token_set) and score(tokens, token_set) > RESCUE_ABOVE:
        return frozenset({HEALTH_LEARNED})
    return found
