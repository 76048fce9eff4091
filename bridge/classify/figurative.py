"""Figures of speech that borrow health words: "heart attack from these prices lol".

Staff joke with the vocabulary of their trade: a schedule "gives me a migraine", the
water bill nearly caused "a heart attack", someone is "allergic to Mondays" or has a
"coffee addiction". None of these says anything about anyone's health, yet each holds
a condition next to "I" or "me". :func:`without_figures` blanks such a figure out of the
text, so the rest of the message is still read as usual: an identifier, or health
information said plainly elsewhere in the message, is found as before.

Only fixed shapes count, each with a reason that the words are not about a body:

- an idiom event (``[idiom_phrases]`` of ``health_terms.txt``: heart attack, stroke,
  coma, meltdown...) *caused by* something that is not health ("... from these prices",
  "... over the audit", "... when I saw the invoice");
- an event or an annoyance (``[idiom_annoyance_phrases]``: headache, heartburn, anxiety,
  an ulcer) after a word of exaggeration or given to the writer ("nearly had a stroke",
  "about to have a meltdown", "is giving me a headache", "gonna give me an ulcer") --
  unless the message names a drug, a dose or a procedure, because "the new pill gives me
  a headache" is a side effect;
- "is a total/real/major ... headache / pain / nightmare", "a pain in the neck";
- "allergic to" an everyday object (``[figurative_objects]``: Mondays, meetings,
  paperwork) and an "addiction" to a habit (``[habit_objects]``: coffee, chocolate);
- "need therapy after that/this/today" (the day, not a condition, is the cause);
- "sick of", "sick and tired", "dying to/of/for", "bored to death", and "... is killing
  me" unless what is killing is a part of the body or health ("my neck is killing me",
  "my allergies are killing me").

Pure: no I/O, no state. The cost is one token-set test for messages without any of the
trigger words.
"""

from __future__ import annotations

import re

from bridge.classify.health import body_word, care_named, health_word, vocabulary_hit
from bridge.classify.lexicon import sections, words
from bridge.classify.tokens import TOKEN


def _alternatives(phrases: list[str]) -> str:
    """A regex matching any of ``phrases`` (longest first), white space as typed."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered) + ")s?"


_EVENTS = list(sections("health_terms.txt")["idiom_phrases"])
_ANNOYANCES = list(sections("health_terms.txt")["idiom_annoyance_phrases"])
# Events ("heart attack", "stroke") are figures in every shape below; annoyances
# ("headache", "anxiety") only when given or nearly had -- "a headache from the screen"
# is a symptom.
_IDIOM = _alternatives(_EVENTS)
_ANY_IDIOM = _alternatives(_EVENTS + _ANNOYANCES)
_IDIOMS = _EVENTS + _ANNOYANCES
_OBJECT_WORDS: frozenset[str] = words("health_terms.txt", "figurative_objects")
_OBJECTS = "|".join(map(re.escape, sorted(_OBJECT_WORDS)))
_HABITS = "|".join(map(re.escape, sorted(words("health_terms.txt", "habit_objects"))))

# Office machines: "the copier has been coughing all day", "our wifi has chronic fatigue
# syndrome", "the phones are bleeding today" -- a machine does not fall ill.
_MACHINES: frozenset[str] = words("health_terms.txt", "figurative_machines")
_MACHINE_ILL = re.compile(
    r"\b(?:" + "|".join(map(re.escape, sorted(_MACHINES))) + r")\s+"
    r"(?:has|have|is|are|'s|’s|was|were|had|keeps|got)\s+(?:been\s+|got\s+|a\s+|an\s+)?"
    r"((?:[\w'’-]+\s+){0,3}?)"
)

# Tokens one of which every figure below contains: the cheap first test.
_TRIGGERS: frozenset[str] = (
    frozenset({"iv"})
    | frozenset(word for idiom in _IDIOMS for word in idiom.split())
    | frozenset(
        {
            "allergic",
            "addiction",
            "addicted",
            "sick",
            "dying",
            "killing",
            "pain",
            "death",
            "nightmare",
            "therapy",
        }
    )
)

_CAUSED = re.compile(
    rf"\b{_IDIOM}\s+(?:from|over|because\s+of|thanks\s+to|reading|seeing|watching|looking\s+at"
    rf"|just\s+looking\s+at|when\s+(?:i|we)\s+(?:saw|see|heard|hear|read|opened|got|looked"
    r"|checked)|after\s+(?:seeing|reading|hearing|that))"
    r"(?:\s+(?:this|these|that|those|the|our|all|his|her|my|your))?((?:\s+[\w'’-]+){1,3})"
)
_EXAGGERATED = re.compile(
    r"\b(?:nearly|almost|practically|about\s+to|gonna|going\s+to|gunna)\s+"
    r"(?:\w+\s+){0,2}?(?:a|an|myself\s+an?|me\s+an?)?\s*"
    rf"{_ANY_IDIOM}\b"
    r"|\b(?:give|gives|giving|gave|given)\s+(?:me|us|you|everyone|everybody)"
    rf"\s+(?:a|an|the)?\s*(?:\w+\s+)?{_ANY_IDIOM}\b"
)
_NUISANCE = re.compile(
    r"\b(?:is|was|are|were|be|been|'s|’s|such)\s+(?:a|an|such\s+a)\s+"
    r"(?:total|real|major|complete|huge|massive|royal|giant|absolute|serious|big|whole)\s+"
    r"(?:headache|migraine|nightmare|pain)\b"
    r"|\bpain\s+in\s+the\s+(?:neck|butt|ass|rear|backside)\b"
)
_OBJECT = re.compile(
    rf"\ballergic\s+to\s+(?:the\s+)?(?:{_OBJECTS})\b|\b(?:{_HABITS})\s+(?:addiction|addict)\b"
    rf"|\baddicted\s+to\s+(?:the\s+|my\s+)?(?:{_HABITS})\b"
    # "I need an IV drip of coffee": a habit given as a treatment.
    rf"|\biv\s+(?:drip\s+|bag\s+)?of\s+(?:{_HABITS})\b"
    # "that meeting was so long I think I developed arthritis", "the demo was so painful
    # I needed an aspirin": an everyday thing so bad the writer claims an illness.
    rf"|\b(?:{_OBJECTS})\s+(?:was|is|were|are)\s+so\s+[\w'’-]+\s+(?:that\s+)?i\b[^.,;!?]*"
)
_IDIOMATIC = re.compile(
    r"\bneed\s+(?:some\s+)?therapy\s+after\s+(?:that|this|today|all\s+that)\b"
    r"|\bsick\s+(?:of|and\s+tired)\b|\bdying\s+(?:to|for|of\s+(?:boredom|laughter|embarrassment"
    r"|curiosity))\b|\b(?:bored|scared)\s+to\s+death\b"
)
# Every word one of the families below needs: the first test of all.
_ANY_TRIGGER: frozenset[str] = _TRIGGERS | _MACHINES | {"so"}
# "the phones are killing me" is a figure; "my neck is killing me" is pain.
_KILLING = re.compile(r"([\w'’-]+)\s+(?:is|are|'s|’s)\s+killing\s+(?:me|us)\b")


def without_figures(text: str, lower: str, token_set: frozenset[str]) -> str | None:
    """``text`` with its figures of speech blanked, or ``None`` when it has none.

    ``lower`` is ``text.lower()`` (same length: the blanking keeps every other
    character where it was) and ``token_set`` its tokens. When the message names a
    drug, a dose or a procedure an exaggerated symptom may be a side effect, and is kept.
    """
    if _ANY_TRIGGER.isdisjoint(token_set) or len(lower) != len(text):
        return None  # Most messages: one set test.
    # Each family of figures runs only when its own words are there: most messages pay
    # three set tests and no search.
    idioms = not _TRIGGERS.isdisjoint(token_set) or (
        # "that meeting was so long I...": "so" with an everyday thing, both needed.
        "so" in token_set and not _OBJECT_WORDS.isdisjoint(token_set)
    )
    machines = not _MACHINES.isdisjoint(token_set) and vocabulary_hit(token_set)
    if not (idioms or machines):
        return None
    spans: list[tuple[int, int]] = []
    if machines:
        spans.extend(_machine_ill(lower))
    if idioms:
        for match in _CAUSED.finditer(lower):
            # "headache from the new meds" is a side effect: the cause must not be health.
            if not _is_health(match.group(1)):
                spans.append(match.span())
        if not care_named(token_set):
            spans.extend(match.span() for match in _EXAGGERATED.finditer(lower))
        for pattern in (_NUISANCE, _OBJECT, _IDIOMATIC):
            spans.extend(match.span() for match in pattern.finditer(lower))
        spans.extend(
            match.span()
            for match in _KILLING.finditer(lower)
            if not (body_word(match.group(1)) or health_word(match.group(1)))
        )
    if not spans:
        return None
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _machine_ill(lower: str) -> list[tuple[int, int]]:
    """Spans of a machine said to have a health word ("the copier has been coughing").

    The span runs from the machine to the last of the health words that follow it
    (within three words), so nothing after them is blanked.
    """
    spans = []
    for match in _MACHINE_ILL.finditer(lower):
        end = 0
        for word in TOKEN.finditer(lower, match.start(1), match.start(1) + 60):
            if health_word(word.group()):
                end = word.end()
            elif end or word.start() > match.end(1):
                break
        if end:
            spans.append((match.start(), end))
    return spans


def _is_health(phrase: str) -> bool:
    return any(health_word(token) for token in TOKEN.findall(phrase))
