"""Health information, who it is about, and the two together.

A message is PHI when it says something about someone's health *and* the person can be
identified. This module models the two halves separately:

**Health information** -- a token (or a two/three-word phrase) of one of these kinds,
from ``data/health_terms.txt`` plus the long tails ``data/icd10cm_terms.txt``
(conditions) and ``data/drug_names.txt`` (drugs):

- strong: a condition, a symptom or finding, a screening or severity score (PHQ-9,
  CIWA, COWS, AUDIT-C...), a medication, a dose ("20 mg", "24 units");
- medium: a test or result, a procedure, a specialty or visit type, an immunisation, a
  care instruction -- also said of stock and schedules ("flu shots arrive Monday"), so
  they count only where a person is linked to them;
- words that count only in a person's context: a result ("malignant", "abnormal") after a
  person and a verb, and words such as "period", "labs", "meds", "sugar" right after a
  possessive ("her period", "your labs"); a body part possessed by the person next to
  other health information ("the mole on your back").

A health word followed (within three tokens) by a stock, schedule or organisation word
("the A1C machine", "flu shot clinic", "the cardiology group") is not about a person.

**Who it is about**, and how the message links them to the health information:

- the reader, "you" (``health_to_reader``): "your" directly before health information
  ("your A1C", "your cardiology follow-up"); "you" as the subject of a verb chain ending
  in it ("you tested positive", "you should stop taking the ibuprofen"); health
  information "for you"; an imperative care instruction opening a sentence ("Take one
  20 mg tablet twice a day", "Keep the incision dry"); a specialty visit in a message
  that speaks to "you" ("the psychiatry intake you asked about"). In a room with a
  patient, the room identifies the reader.
- a named person (``clinical_with_name``): a first name, surname or unlisted name --
  any capitalised word that is not common English, a health word or an organisation --
  as the subject of such a verb chain ("Marcus is in withdrawal", "Bella has had a
  fever") or in the possessive ("Priya's PHQ-9"); a name located in a bed or room; an
  honorific or full name anywhere in the message. A name followed by an agent's verb
  ("Maria will run the A1C clinic", "Carlos is covering colonoscopies") breaks the
  chain: staff doing clinical work are not patients. Providers ("Dr. Kim") are never
  the subject.
- another person referred to (``health_about_person``): "her"/"his" before health
  information ("her biopsy came back malignant"), "she"/"he" as the subject of a chain.
- an age with a sex (``health_with_demographics``): "58 yo M", "62F presenting", "a
  45-year-old man" with health information anywhere in the message (a dictation); an
  age alone needs a condition or symptom. "50-year-old men" is a population.
- the writer or the writer's relative (``clinical_first_person``): "I"/"my"/"our son"
  as above, or a relative named on its own ("mom's sugar was 45"); in Matrix the sender
  is identified.

**Nobody named** (``health_to_reader``): in a room with a patient the room identifies
the reader, and in staff talk specific health information is about a patient. So a
message with no person at all is still PHI when it is about one case, not many:

- "you"/"your" within a sentence (twenty tokens) of a condition, symptom, score or drug,
  or five tokens of a test, procedure, specialty or instruction -- unless "you" is a
  colleague asked to work ("can you restock the insulin"), thanked or in a hypothesis
  ("if you get a call about chest pain"), or "your" is business ("your order");
- a result (a test or score then a value or a finding: "potassium 6.8", "PHQ9=17", "the
  MRI showed a small tear"), a finding before a test ("abnormal mammogram"), a
  prescription or a change to it ("amoxicillin 875", "bumped the lisinopril"), care done
  ("Foley out", "sutures removed"), a booking, approval or repeat of a test ("reschedule
  the colonoscopy", "insurance approved the sleep study", "repeat thyroid ultrasound"),
  a referral, a clinician's word on a condition ("Dr. Amari says ... scar tissue"), a
  body part with its side ("the left breast"), a bed ("troponin on bed 7"), a question
  about one's own procedure ("Is it safe to fly after the ablation?"), a recurrence
  ("if the chest pain comes back"), an instruction or dosing frequency ("no driving for
  24 hrs", "twice a day");
- otherwise any condition, symptom, score or drug, unless the message speaks of stock,
  prices, policy, teaching, billing or populations (``[generic]``, "every patient",
  "giving a talk on", "out of amoxicillin").

Shorthand of a note about one patient ("hx of CHF", "c/o", "s/p") and obstetric
notation ("G3P2") count as a person too.

Speed: everything starts from one frozenset intersection of the message's tokens with
the vocabulary; a message with no health word and no digits returns at once. The rest
walks the tokens once with set look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import reduce
from itertools import pairwise, repeat
from operator import or_
from typing import Final

from bridge.classify.english import COMMON_ENGLISH
from bridge.classify.lexicon import sections, words
from bridge.classify.tokens import LOWER, TOKEN, TOKEN_ANY_CASE, UPPER
from bridge.classify.vocabulary import (
    COMMON_NOT_NAMES,
    NAMES_LOWER,
    NON_NAMES,
    RELATIVES,
)

HEALTH_TO_READER: Final = "health_to_reader"
HEALTH_ABOUT_PERSON: Final = "health_about_person"
HEALTH_WITH_DEMOGRAPHICS: Final = "health_with_demographics"
CLINICAL_WITH_NAME: Final = "clinical_with_name"
CLINICAL_FIRST_PERSON: Final = "clinical_first_person"

# --- vocabulary ------------------------------------------------------------------------

CONDITION, SYMPTOM, SCORE, MEDICATION = 1, 2, 4, 8
TEST, PROCEDURE, SPECIALTY, IMMUNIZATION, CARE = 16, 32, 64, 128, 256
RESULT, POSSESSED, BODY, ENCOUNTER, DOSE = 512, 1024, 2048, 4096, 8192
# A health word used of stock or schedules ("flu shot clinic"): a modifier, nothing more.
BLOCKED = 16384
# A feeling that is a symptom of someone else ("she was confused") but ordinary talk of
# the writer ("I'm confused about the schedule"): never linked to "I".
SOFT = 32768
STRONG = CONDITION | SYMPTOM | SCORE | MEDICATION | DOSE
MEDIUM = TEST | PROCEDURE | SPECIALTY | IMMUNIZATION | CARE
HEALTH = STRONG | MEDIUM
_STATE = CONDITION | SYMPTOM | RESULT

_KINDS: dict[str, int] = {
    "condition": CONDITION,
    "symptom": SYMPTOM,
    "score": SCORE,
    "medication": MEDICATION,
    "test": TEST,
    "procedure": PROCEDURE,
    "specialty": SPECIALTY,
    "immunization": IMMUNIZATION,
    "care": CARE,
    "result": RESULT,
    "possessed": POSSESSED,
    "body": BODY,
    "encounter": ENCOUNTER,
    "soft": SYMPTOM | SOFT,
}


def _load_kinds() -> tuple[dict[str, int], dict[str, tuple[tuple[tuple[str, ...], int], ...]]]:
    kinds: dict[str, int] = {}

    def add(word: str, kind: int) -> None:
        # Hyphenated entries ("free-t4", "kidney-stone") are one token when typed with
        # a hyphen; the phrase list covers them typed with a space.
        kinds[word] = kinds.get(word, 0) | kind

    for name, kind in _KINDS.items():
        for word in words("health_terms.txt", name):
            add(word, kind)
    # The long tails: ICD-10-CM jargon are conditions, DrugBank names are drugs.
    for word in words("icd10cm_terms.txt"):
        add(word, CONDITION)
    for word in words("drug_names.txt"):
        add(word, MEDICATION)
    # MeSH conditions: words the ICD list lacks ("chickenpox", "laryngitis") and the
    # phrases of two or three words ("atrial fibrillation", "rheumatoid arthritis").
    for word in words("mesh_terms.txt", "condition"):
        add(word, CONDITION)
    # MeSH body parts, devices and procedures; the lay words of devices and symptoms.
    for word in words("mesh_body_care.txt", "body"):
        add(word, BODY)
    for word in words("mesh_body_care.txt", "device") | words("lay_health.txt", "device"):
        add(word, POSSESSED)
    for word in words("mesh_body_care.txt", "procedure"):
        add(word, PROCEDURE)
    for word in words("lay_health.txt", "symptom"):
        add(word, SYMPTOM)
    for word in words("lay_health.txt", "procedure"):
        add(word, PROCEDURE)
    for word in words("health_terms.txt", "score"):
        if word[-1:].isalpha():
            add(word + "s", SCORE)  # "APGARs", "CIWAs"
    for word in list(kinds):
        if kinds[word] & (HEALTH | RESULT):
            for suffix in ("'s", "’s"):
                add(word + suffix, kinds[word])
    phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}

    def add_phrase(phrase: str, kind: int) -> None:
        first, *rest = phrase.split()
        entry = (tuple(rest), kind)
        if entry not in phrases.setdefault(first, []):
            phrases[first].append(entry)

    for line in sections("health_terms.txt").get("phrases", ()) + sections("lay_health.txt").get(
        "phrases", ()
    ):
        kind_name, _, phrase = line.partition(":")
        add_phrase(phrase, _KINDS[kind_name.strip()])
    for line in sections("mesh_body_care.txt")["device_phrases"]:
        add_phrase(line, POSSESSED)
    for entries in phrases.values():
        # "peak flows", "stress tests": a test phrase in the plural.
        for rest, kind in list(entries):
            if kind & TEST and rest and rest[-1][-1:].isalpha() and not rest[-1].endswith("s"):
                entries.append(((*rest[:-1], rest[-1] + "s"), kind))
    for line in sections("mesh_terms.txt")["condition_phrases"]:
        first, *rest = line.split()
        entry = (tuple(rest), CONDITION)
        if entry not in phrases.setdefault(first, []):
            phrases[first].append(entry)
    # A hyphenated entry typed with spaces ("hearing test", "sleep study", "wound vac"),
    # unless its first part is a letter or a common small word ("a-fib", "x-ray").
    followers = words("house_vocabulary.txt", "health_followers")
    for name, kind in _KINDS.items():
        for word in words("health_terms.txt", name):
            parts = tuple(word.split("-"))
            # Not "allergy clinic", "dialysis center": those are places, said of stock.
            if (
                len(parts) > 1
                and len(parts[0]) > 2
                and all(parts)
                and followers.isdisjoint(parts[1:])
            ):
                entry = (parts[1:], kind)
                if entry not in phrases.setdefault(parts[0], []):
                    phrases[parts[0]].append(entry)
    return kinds, {first: tuple(rest) for first, rest in phrases.items()}


KINDS, _PHRASES = _load_kinds()
# Words that say "someone's health" on their own, wherever they stand: the hand-written
# conditions, symptoms, scores and drugs, the drug list, and ICD-10-CM jargon shaped like
# a diagnosis ("-itis", "-oma", "-emia"...). The rest of the ICD list (anatomy,
# organisms, eponyms) counts only when linked to a person.
_DIAGNOSIS_SHAPE = re.compile(
    r".+(?:itis|osis|oma|omas|emia|pathy|algia|plasia|trophy|uria|rrhea|rrhoea|plegia|cele"
    r"|iasis|ectomy|otomy|ostomy|oscopy|ism|penia|cytosis|megaly|ptysis|spasm|lepsy|phobia)"
)
_BROAD_STRONG: frozenset[str] = (
    words("health_terms.txt", "condition")
    | words("health_terms.txt", "symptom")
    | words("health_terms.txt", "score")
    | words("health_terms.txt", "medication")
    | words("drug_names.txt")
    | frozenset(
        word
        for word in words("icd10cm_terms.txt") | words("mesh_terms.txt", "condition")
        if _DIAGNOSIS_SHAPE.fullmatch(word)
    )
)
_BROAD_STRONG = _BROAD_STRONG | {word + "'s" for word in _BROAD_STRONG}
_HEALTH_WORDS: frozenset[str] = frozenset(word for word, kind in KINDS.items() if kind & HEALTH)
_POSSESSED_WORDS: frozenset[str] = frozenset(
    word for word, kind in KINDS.items() if kind & (POSSESSED | BODY)
)
_PHRASE_FIRSTS: frozenset[str] = frozenset(_PHRASES)
# The second word of each first word's phrases: "the" starts a phrase ("the pill") in
# most messages, but its phrase is rarely there, so a first word counts only when one of
# its second words is in the message too (a set test instead of a pass over the tokens).
_PHRASE_SECONDS: dict[str, frozenset[str]] = {
    first: frozenset(rest[0] for rest, _ in entries) for first, entries in _PHRASES.items()
}
_CARE_WORDS: frozenset[str] = frozenset(
    word for word, kind in KINDS.items() if kind & (MEDICATION | PROCEDURE | POSSESSED)
)
_FOLLOWERS: frozenset[str] = words("house_vocabulary.txt", "health_followers")
_FOLLOWER_WINDOW = 3
_VERB_BREAKS = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "has",
        "had",
        "have",
        "will",
        "and",
        "on",
        "with",
        "after",
        "since",
    }
)

# Units that make a number a dose ("20 mg", "24 units", "2 puffs").
_DOSE_UNITS = frozenset(
    [
        "mg",
        "mcg",
        "µg",
        "ml",
        "cc",
        "units",
        "unit",
        "iu",
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "pill",
        "pills",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "puff",
        "puffs",
        "drops",
        "mg/kg",
    ]
)
_COMPOUND_SPLIT = re.compile(r"[-/]")
# Scores that are English words in lower case.
_CASED_SCORES = {
    "cage": "CAGE",
    "ace": "ACE",
    "aces": "ACEs",
    "wells": "Wells score",
    "audit": "AUDIT",
    # Tests and scores whose lower-case form is an everyday word: "PET on Gwen showed new
    # uptake" (a scan), "TUG 18 sec" (the Timed Up and Go test).
    "pet": "PET",
    "tug": "TUG",
    # "after his MI": a myocardial infarction ("Detroit, MI 48201" is a state: see zips).
    "mi": "MI",
}
# One case's result: a test, then (within a few small words) a value or a finding.
_RESULT_REACH = 4
_RESULT_WORDS = frozenset(
    [
        "normal",
        "abnormal",
        "low",
        "high",
        "elevated",
        "positive",
        "negative",
        "neg",
        "pos",
        "nl",
        "wnl",
        "unremarkable",
        "clear",
        "clean",
        "borderline",
        "critical",
        "pending",
        "back",
        "came",
        "improved",
        "worse",
        "better",
        "up",
        "down",
        "trending",
        "rising",
        "dropping",
        "stable",
        "detected",
        "undetectable",
        "reactive",
        "nonreactive",
    ]
)
_VALUE = re.compile(r"\.?\d+(?:\.\d+)?(?:/\d+)?")
_RESULT_GAP = frozenset(
    [
        "small",
        "large",
        "tiny",
        "mild",
        "moderate",
        "severe",
        "slight",
        "possible",
        "probable",
        "some",
        "multiple",
        "partial",
        "complete",
        "new",
        "old",
        "an",
        "no",
        "signs",
        "sign",
        "evidence",
        "showing",
        "was",
        "is",
        "were",
        "are",
        "at",
        "of",
        "now",
        "today",
        "this",
        "still",
        "head",
        "chest",
        "came",
        "back",
        "the",
        "a",
        "ok",
        "looks",
        "look",
        "results",
        "shows",
        "showed",
        "show",
        "says",
        "said",
        "result",
        "score",
        "level",
        "levels",
        "value",
        "reading",
        "on",
        "just",
    ]
)
_COMPARISONS = frozenset(
    [
        "under",
        "over",
        "above",
        "below",
        "less",
        "greater",
        "than",
        "goal",
        "target",
        "if",
        "range",
        "cutoff",
        "threshold",
        "between",
        "every",
        "per",
        "for",
        "each",
        "cartridges",
        "version",
        "v",
        "software",
        "firmware",
    ]
)
_GENERAL = frozenset(
    [
        "range",
        "reference",
        "goal",
        "target",
        "means",
        "indicates",
        "suggests",
        "cutoff",
        "threshold",
        "per",
        "guideline",
        "guidelines",
        "adults",
        "patients",
    ]
)
# Words of stock, prices, policy and populations: no one case ("$12.50 per test").
_NOT_A_CASE: frozenset[str] = words("health_terms.txt", "not_a_case")
# Words of stock, schedules, policy, teaching, billing and populations, and of
# hypotheses ("if", "when"): a health word among them is about nobody in particular.
_GENERIC_TALK: frozenset[str] = _NOT_A_CASE | words("health_terms.txt", "generic")
# The same words for other modules (the learned stage does not rescue among them).
GENERIC_TALK: Final = _GENERIC_TALK
_LOT_NUMBER = re.compile(r"\blots?\s*(?:#|no\.?|number)?\s*\w*\d")
_TARGET = re.compile(r"\b(?:under|over|above|below|less\s+than|greater\s+than|at\s+least)\s+\d")
_OUT_OF_COUNT = re.compile(r"\bout\s+of\s+\d")
_THRESHOLD = re.compile(
    r"\d%?\s+(?:or|and)\s+(?:higher|more|above|greater|over|less|lower|below|under|up)\b"
)
_A_TALK = re.compile(r"\b(?:a|giving|gave|give|gives|his|her|their)\s+talk\b")
_QUANTIFIERS = frozenset({"every", "all", "any", "each", "most", "many"})
_POPULATION_NOUNS = frozenset(
    {
        "patient",
        "patients",
        "pt",
        "pts",
        "staff",
        "provider",
        "providers",
        "nurse",
        "nurses",
        "adult",
        "adults",
        "child",
        "children",
        "kid",
        "kids",
        "member",
        "members",
        "clinic",
        "clinics",
        "office",
        "offices",
        "visit",
        "visits",
        "new",
        "our",
        "of",
        "the",
        "caller",
        "callers",
        "parent",
        "parents",
        "woman",
        "women",
        "man",
        "men",
        "people",
        "employee",
        "employees",
        "ma",
        "mas",
        "location",
        "locations",
        "site",
        "sites",
        "practice",
    }
)
# In a question "when" and "if" ask about one's own care ("When can I shower after...").
_GENERIC_QUESTION = _GENERIC_TALK - {"when", "whenever", "if", "whether", "unless"}
_COMPARISON_SIGNS = re.compile(r"[<>≥≤$]")
_DECIDED = frozenset(
    {
        "approved",
        "denied",
        "authorized",
        "authorised",
        "covered",
        "rejected",
        "declined",
        "cancelled",
        "canceled",
        "rescheduled",
        "booked",
        "confirmed",
        "moved",
    }
)
_DONE = frozenset(
    {
        "out",
        "removed",
        "placed",
        "inserted",
        "done",
        "completed",
        "given",
        "pulled",
        "dc'd",
        "d/c'd",
        "changed",
        "applied",
        "drawn",
        "collected",
        "sent",
        "healing",
        "healed",
    }
)
_FINDINGS = frozenset(
    {
        "abnormal",
        "positive",
        "negative",
        "elevated",
        "low",
        "high",
        "critical",
        "normal",
        "borderline",
        "inconclusive",
        "equivocal",
        "suspicious",
    }
)
_BOOKING = frozenset({"schedule", "reschedule", "cancel", "book", "rebook", "confirm", "move"})
_STAFF_QUESTION = frozenset({"we", "our", "us", "someone", "anyone", "you", "u", "who"})
_DEFINITE_OR_MINE = frozenset({"the", "my", "this", "that"})
_REPEATS = frozenset({"repeat", "repeated", "recheck", "rechecked", "redo", "retest"})
_SIDES = frozenset({"left", "right", "l", "r", "bilateral", "both", "lt", "rt"})
_NEWS = frozenset({"news", "update", "word", "results", "result", "updates", "anything"})
_DEFINITE = frozenset({"the", "that", "this", "your"})
_RECURS = frozenset(
    {
        "comes",
        "came",
        "returns",
        "returned",
        "worsens",
        "worsened",
        "spreads",
        "spread",
        "persists",
        "continues",
        "gets",
        "got",
        "doesn't",
        "isn't",
        "hasn't",
        "starts",
        "recurs",
        "still",
        "keeps",
        "won't",
    }
)
# "troponin on bed 7": a patient placed in a bed.
_LOCATED_BEDS = frozenset({"bed", "bay", "stretcher", "chair"})
# "room 10 is the post-op check", "Exam 2 is ready for the pap": a room standing for its
# patient -- as the subject, not a place things are in ("strep swabs in room 3").
_LOCATED_ROOMS = frozenset({"room", "rm", "exam"})
_IN_A_ROOM = frozenset({"in", "the", "to", "into", "from", "of", "at"})
_CLINICIANS = frozenset(
    {
        "dr",
        "doctor",
        "doc",
        "provider",
        "np",
        "pa",
        "surgeon",
        "cardiologist",
        "midwife",
        "nurse",
        "radiologist",
        "pathologist",
        "neurologist",
        "oncologist",
        "dermatologist",
    }
)
_CLINICIAN_VERBS = frozenset(
    {
        "says",
        "said",
        "wants",
        "wanted",
        "reviewed",
        "ordered",
        "recommends",
        "recommended",
        "thinks",
        "thought",
        "looked",
        "read",
        "checked",
        "called",
        "prescribed",
        "increased",
        "decreased",
        "stopped",
        "started",
        "changed",
        "would",
        "suggests",
        "suggested",
        "mentioned",
        "confirmed",
        "feels",
        "believes",
        "agrees",
        "approved",
        "cleared",
    }
)
_CLINICIAN_REACH = 8
# "draw the CBC at 9", "EKG in 10": a time, not a value.
_TIME_BEFORE = frozenset(["at", "in", "by", "on", "around", "before", "after", "until", "til"])
# A clinician's change to a drug: "Bumped the lisinopril", "stopped her metformin".
_CHANGED = frozenset(
    [
        "bumped",
        "increased",
        "decreased",
        "raised",
        "lowered",
        "upped",
        "cut",
        "switched",
        "changed",
        "started",
        "stopped",
        "held",
        "holding",
        "discontinued",
        "dc'd",
        "d/c",
        "dced",
        "titrated",
        "added",
        "restarted",
        "resumed",
        "doubled",
        "halved",
        "tapered",
        "prescribed",
        "refilled",
        "continue",
        "continued",
        "hold",
        "increase",
        "decrease",
    ]
)
# An instruction opening a clause: "Isolation for 5 days", "no driving for 24 hrs".
_FREQUENCY = re.compile(
    r"\b(?:once|twice|three\s+times|four\s+times|[1-4]\s?x)\s+(?:a|per|each)\s+day\b"
    r"|\bevery\s+\d+\s*(?:hours|hrs|h)\b|\bat\s+bedtime\b|\bevery\s+other\s+day\b"
    r"|\b(?:bid|tid|qid|qhs|q[468]h)\b"
)
_INSTRUCTION = re.compile(
    r"(?:^|[.!?;:,\n]\s*)(?:(?:don['’]?t|do\s+not|nothing\s+to)\s+(?:eat|drink)\b"
    r"|fasting\s+(?:labs|bloodwork|blood\s+work|glucose|lipids?)\b"
    r"|no\s+(?:driving|lifting|heavy\s+lifting|swimming|running|jogging|exercise|exercising"
    r"|showering|bathing|soaking|alcohol|tub"
    r"|baths?|contact\s+sports|strenuous|sex|intercourse)\b|(?:isolat(?:e|ion)|quarantine"
    r"|bed\s*rest|npo|nothing\s+by\s+mouth|clear\s+liquids)\b[^.!?;\n]{0,20}?"
    r"\b(?:for\s+\d+|until|through|till|after\s+midnight|tonight|overnight|all\s+day"
    r"|tomorrow|the\s+day\s+before|(?:mon|tues|wednes|thurs|fri|satur|sun)day))"
)
# Care of a wound or a device the reader goes home with: "keep the area clean and dry",
# "the stitches can come out in 10 days".
_CARE_INSTRUCTION = re.compile(
    r"\bkeep\s+(?:the|your|it|them)\s+(?:[a-z]+\s+){0,2}?(?:clean|dry|elevated|covered|iced)\b"
    r"|\b(?:sutures|stitches|staples|drain|dressing|bandage|cast|splint|catheter|foley)\s+"
    r"(?:can|should|will|need\s+to|must|may)\s+(?:come\s+(?:out|off)|be\s+(?:removed|changed)|stay)"
)
_DOSE_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:mg|mcg|ml|iu|u)")
_DOSE_IN_TEXT = re.compile(r"\d(?:mg|mcg|ml|iu|u)\b")

# --- the grammar of a link -------------------------------------------------------------

# Between a subject and its health information: verbs of having, being, testing, taking
# and needing, and the small words of a noun phrase. Anything else (an agent's verb such
# as "run", "teach", "cover", "restock", or an unrelated noun) ends the chain.
_CHAIN: frozenset[str] = words("health_terms.txt", "chain_words")
_SKIP: frozenset[str] = words("health_terms.txt", "skip_words")
_SUBJECT_READER = frozenset(
    [
        "you",
        "you're",
        "you’re",
        "youre",
        "you've",
        "you’ve",
        "you'll",
        "you’ll",
        "you'd",
        "you’d",
        "u",
        "ya",
    ]
)
_SUBJECT_OTHER = frozenset(
    ["she", "he", "she's", "she’s", "he's", "he’s", "she'll", "he'll", "she’ll", "he’ll"]
)
_SUBJECT_WRITER = frozenset(["i", "i'm", "i’m", "im", "i've", "i’ve", "i'd", "i’d"])
# "su": Spanish "your" ("Su prueba de embarazo salió positiva").
_POSSESSIVE_READER = frozenset({"your", "ur", "yr", "su"})
_POSSESSIVE_OTHER = frozenset({"her", "his"})
_POSSESSIVE_WRITER = frozenset({"my", "our"})
# "our" is the practice speaking ("our diabetes patients", "our flu clinic") unless a
# relative follows ("our son").
_PRACTICE_POSSESSIVE = "our"
# Possessives that make a device someone's own ("our" is the practice's stock, "your"
# often a vendor's customer: "your prescription pad order").
_OWNERS = frozenset({"my", "his", "her"})
_POSSESSIVES = _POSSESSIVE_READER | _POSSESSIVE_OTHER | _POSSESSIVE_WRITER
_SUBJECT_TOKENS = _POSSESSIVES | _SUBJECT_READER | _SUBJECT_OTHER | _SUBJECT_WRITER
_RELATIVES = (
    RELATIVES
    | frozenset(
        [
            "grandson",
            "granddaughter",
            "grandmother",
            "grandfather",
            "grandma",
            "grandpa",
            "nana",
            "granny",
            "aunt",
            "uncle",
            "niece",
            "nephew",
            "stepson",
            "stepdaughter",
            "toddler",
            "newborn",
            "twins",
            "fiance",
            "fiancé",
            "boyfriend",
            "girlfriend",
            "kiddo",
            "kiddos",
            "boy",
            "girl",
            "mil",
            "fil",
            "stepmom",
            "stepdad",
            "cousin",
            "roommate",
        ]
    )
    | words("lay_health.txt", "kinship")
)
_RELATIVE_FORMS = (
    _RELATIVES | {word + "'s" for word in _RELATIVES} | {word + "’s" for word in _RELATIVES}
)
_PROVIDERS = frozenset(
    [
        "dr",
        "dr.",
        "doctor",
        "nurse",
        "np",
        "pa",
        "rn",
        "md",
        "do",
        "lpn",
        "cna",
        "provider",
        "physician",
        "surgeon",
    ]
)
_CHAIN_LENGTH = 6
_DEVICES = frozenset({"machine", "meter", "monitor", "pump", "mask", "tank", "concentrator"})
_PROVIDER_NOUNS = frozenset({"dentist", "doctor", "doc", "office", "practice", "dentists"})
_PRESENTING = frozenset({"presenting", "presented", "presents", "present", "talking", "spoke"})
_WORKER_ENDINGS = ("ologist", "iatrist", "ician", "rep", "tech", "team", "staff", "nurse")
_TALKS = frozenset(
    {"talk", "lecture", "presentation", "webinar", "seminar", "class", "course", "lunch-and-learn"}
)
_TALK = frozenset({"on", "about", "at", "to", "the", "our"})
# A name's chain may be longer: "Kowalczyk in 4 is complaining of a worsening headache".
_NAME_CHAIN_LENGTH = 9
# "CIWA for Brandt", "positive strep on Dominguez", "MRI re Oyelaran".
_HEALTH_FOR = frozenset({"for", "on", "re", "about", "-", "from"})
_HEALTH_FOR_WINDOW = 4
# Tokens before a relative or "patient" that make them anyone, not someone.
_GENERIC = frozenset(
    {"a", "an", "any", "every", "each", "per", "new", "some", "no", "our", "many", "most"}
)
_PATIENT_WORDS = frozenset(
    {
        "pt",
        "patient",
        "pt's",
        "patient's",
        "pt’s",
        "patient’s",
        "client",
        "client's",
        "guy",
        "gentleman",
        "lady",
        "man",
        "woman",
    }
)
# "the new pill is giving me a headache", "it makes me dizzy": the writer as the object.
_CAUSES = frozenset(
    {"giving", "gives", "gave", "given", "makes", "made", "making", "keeps", "kept", "leaves"}
)
_LINK_TOKENS = (
    _SUBJECT_TOKENS | _RELATIVE_FORMS | _PATIENT_WORDS | frozenset({"yourself", "urself", "me"})
)
# Shorthand of a note about one patient: history of, complains of, status post...
_DICTATION = frozenset({"hx", "h/o", "pmh", "c/o", "s/p", "hpi"})
_DICTATED = CONDITION | SYMPTOM | MEDICATION | PROCEDURE
# "you" within this many tokens of a condition, symptom, score or drug (either side), or
# _READER_NEAR of a test, procedure, specialty, immunisation or care instruction.
_READER_WINDOW = 20
_READER_NEAR = 5
_READER_NOT_PATIENT = frozenset(
    {"if", "unless", "whether", "when", "whenever", "thank", "thanks", "ty"}
)
# "your order of flu vaccine", "your quote for the ultrasound probe": business.
_READER_BUSINESS: frozenset[str] = words("health_terms.txt", "reader_business")
_READER_ANY = _SUBJECT_READER | _POSSESSIVE_READER | {"yourself", "urself"}
# "will call you to set up the EEG": "you" the object, not a colleague asked to work.
_CALLS_READER = frozenset(
    {
        "call",
        "text",
        "remind",
        "see",
        "ask",
        "tell",
        "told",
        "let",
        "want",
        "wants",
        "need",
        "needs",
        "get",
        "help",
        "email",
        "message",
        "page",
        "schedule",
        "book",
        "send",
    }
)
_HYPOTHETICAL_VERBS = frozenset(
    {
        "see",
        "get",
        "have",
        "find",
        "hear",
        "receive",
        "notice",
        "are",
        "answer",
        "take",
        "triage",
        "call",
        "talk",
        "speak",
        "check",
        "room",
        "document",
        "draw",
        "collect",
        "order",
        "swab",
        "run",
    }
)
_REQUESTS = frozenset({"can", "could", "would", "will", "pls", "please", "plz"})
_HYPOTHESES = frozenset({"if", "unless", "whether"})
# Verbs of an injury to a body part named next ("broke my toe", "cut her finger").
_INJURIES = frozenset(
    {
        "broke",
        "broken",
        "cut",
        "burned",
        "burnt",
        "twisted",
        "hurt",
        "injured",
        "jammed",
        "fractured",
        "dislocated",
        "pulled",
        "strained",
        "smashed",
        "sliced",
        "bruised",
        "sprained",
        "tore",
        "torn",
    }
) | words("lay_health.txt", "injury_verbs")
# "threw out my back", "messed up her knee": a verb and its particle before the part.
_INJURY_PARTICLE_VERBS: frozenset[str] = words("lay_health.txt", "injury_particle_verbs")
_INJURY_PARTICLES = frozenset({"out", "up"})
_INJURY_PLACES = frozenset({"on", "in", "into", "against", "onto", "up"})
# A note's shorthand for a side ("bead in R nostril", "dog bite L hand"): one body.
_SIDE_SHORTHAND = frozenset({"l", "r", "lt", "rt"})
# "did you hear the senator had a stroke": news passed on, not the reader's health.
_NEWS_VERBS = frozenset({"hear", "heard"})
# Words of a workplace rule: with "if you ..." the reader is any colleague.
_WORK_RULES = frozenset(
    {"work", "shift", "shifts", "staff", "coworkers", "co-workers", "colleagues", "clock", "badge"}
)
_GROUP = frozenset({"guys", "all", "folks", "both", "two", "team"})
# "you" then one of these (within two tokens): staff asked to do work.
_STAFF_WORK: frozenset[str] = words("health_terms.txt", "staff_work")
_CHAIN_UNKNOWN = 2
_YEAR_BEFORE = frozenset({"last", "this", "next", "per", "a", "each", "every", "one", "that"})
# People in the news: "she"/"he" after one of them is not a patient.
_PUBLIC_FIGURES: frozenset[str] = words("health_terms.txt", "public_figures")
# Verbs that pass an instruction on to the person named after them.
_RELAYS = frozenset({"tell", "remind", "ask", "instruct", "instructed", "told", "advised"})
# A message opening with these has dropped its "I" / "I've" ("been having...").
_DROPPED_I = frozenset({"been", "having", "feeling"})
_STATE_OR_SCORE = CONDITION | SYMPTOM | SCORE
_POSSESSED_LENGTH = 4

_IMPERATIVE = re.compile(
    r"(?:^|[.!?;:,\n]\s*|\band\s+|\bthen\s+)(?:please\s+|pls\s+|plz\s+)?"
    r"(?:take|keep|start|stop|continue|increase|decrease|hold|avoid|apply|finish|resume"
    r"|double|skip|use|wear|ice|collect)\s+(?:taking\s+|using\s+|applying\s+)?([^.!?;\n]{1,48})"
)
_IMPERATIVE_KINDS = MEDICATION | CARE | PROCEDURE | DOSE
# "Take the last dose of the Z-pack", "finish the whole course of amoxicillin".
_IMPERATIVE_FILLERS = frozenset(
    {"one", "two", "half", "dose", "doses", "course", "rest", "of", "whole", "full", "remaining"}
)
_IMPERATIVE_REACH = 7
_IMPERATIVE_VERBS = frozenset(
    [
        "take",
        "keep",
        "start",
        "stop",
        "continue",
        "increase",
        "decrease",
        "hold",
        "avoid",
        "apply",
        "finish",
        "resume",
        "double",
        "skip",
        "use",
        "wear",
        "ice",
        "collect",
    ]
)

# "58 yo M", "62F presenting", "34-year-old female", "a 7 y/o boy", "71 year old woman",
# "6 mo girl", "male 16", "newborn boy".
_SEXES = (
    r"m|f|male|female|man|woman|boy|girl|gentleman|gent|lady|infant|baby|newborn|toddler"
    r"|child|kid|son|daughter|pt|patient|w|g\d(?:p\d+)?"
)
_SEX_WORDS = r"male|female|man|woman|boy|girl|gentleman|lady"
_AGE_OLD = r"(?:y/?o|y\.o\.?|yo|(?:yrs?\.?|years?|mos?|months?|wks?|weeks?|days?)[\s-]*old)"
_AGE_BARE = r"(?:yrs?|years?|mos?|months?|wks?|weeks?|days?)"
_AGE_SEX = re.compile(
    # Every alternative starts at a digit or where no letter precedes: testing that first
    # skips the positions inside words at once (half the cost of the search).
    r"(?:(?<![a-z])|(?=\d))(?:"
    rf"(?<![\d/.:$-])(\d{{1,3}})\s*-?\s*{_AGE_OLD}(?![\w-])(?:\s*,?\s*({_SEXES})\b)?"
    rf"|(?<![\d/.:$-])(\d{{1,3}})\s*-?\s*{_AGE_BARE}\s*,?\s*({_SEX_WORDS}|infant|baby)\b"
    rf"|\b({_SEX_WORDS}|adolescent|teen)\s*,?\s*(?:age[d]?\s*:?\s*)?(\d{{1,3}})\b"
    r"(?!\s*(?:%|mg|lbs?|kg|min|minutes|days|weeks|hours|units|percent|x\b))"
    rf"|\b([1-9]0)['’]?s\s*({_SEX_WORDS})\b"
    r"|\b(preemie|neonate|newborn)\b(?=\s*,)"
    rf"|\b(newborn|infant|toddler|adolescent|teenage|teen|elderly|older|young|middle-aged)"
    rf"\s+({_SEX_WORDS}|son|daughter)\b"
    r"|\b([mf])\s?/\s?(\d{1,3})\b|(?<![\w/.:$-])(\d{1,3})\s?/\s?([mf])\b"
    r"|\b([mf]),?\s?(\d{1,3})\b(?=\s*(?:,|with\b|w/|presents?\b|presenting\b|c/o\b|hx\b|h/o\b"
    r"|pmh\b|s/p\b|y/?o\b))"
    rf"|(?<![\w/.:$-])(\d{{1,3}})\s?([mf])\b(?=\s*(?:,|with\b|w/|presents?\b|presenting\b"
    r"|c/o\b|complaining\b|reports?\b|who\b|here\b|hx\b|h/o\b|pmh\b|s/p\b|brought\b|seen\b"
    # "the 34F in exam 5": placed in the clinic.
    r"|in\s+(?:bed|bay|room|rm|exam|chair|triage)\b)))"
)
_AGE_TOKENS = frozenset(
    [
        "old",
        "yo",
        "y/o",
        "newborn",
        "infant",
        "toddler",
        "adolescent",
        "teen",
        "teenage",
        "male",
        "female",
        "boy",
        "girl",
        "man",
        "woman",
        "gentleman",
        "lady",
    ]
)
# Cheap test before the age pattern: a sex letter after digits, "yo", "y/o" or "old".
# Each alternative begins with the character class in front, so the engine skips to the
# next digit, m, f or y at C speed; the look-behinds then say which alternative applies
# (the one before "m"/"f" is the word boundary).
_AGE_HINT = re.compile(
    r"[\dmfy](?:(?<=0)['’]?s\s|(?<=\d)\s?/?\s?[mf]\b"
    r"|(?<=\d)\s?(?:yo|y/o|yrs?\b|years?|mos?\b|months?|wks?\b|weeks?)"
    r"|(?<=[mf])(?<![\w][mf])(?:\s?/\s?\d|,?\s?\d)|(?<=y)\.o)"
)
# Starts with the letter itself (the engine then jumps from one "g" to the next); the
# look-behind is the word boundary before it.
# Gestational age as weeks+days ("39+2", "28+0"), not a sum ("10+2 = 12").
_GESTATION = re.compile(r"(?<![\d.+])(?:[2-3]\d|4[0-2])\+[0-6](?![\d.+=])(?!\s*=)")
_OBSTETRIC = frozenset(
    {
        "she",
        "she's",
        "pt",
        "patient",
        "cervix",
        "membranes",
        "ctx",
        "contractions",
        "fetal",
        "fht",
        "fhr",
        "ga",
        "l&d",
        "labor",
        "triage",
        "pregnant",
        "ob",
        "gbs",
        "induction",
        "nst",
    }
)
# A lens prescription: a signed sphere then OD/OS/OU.
_REFRACTION = re.compile(r"[+-]\d{1,2}\.\d{2}\s*(?:d\s*)?(?:od|os|ou)\b")
_GRAVIDA = re.compile(r"g(?<!\wg)\d{1,2}\s?p\d{1,2}(?:[-\d]*)\b")
_POPULATION = re.compile(
    r"\s*(?:men|women|males|females|boys|girls|patients|kids|children"
    r"|adults|people|members|s\b)"
)
# "I'm 31 weeks", "she's 28 weeks": a pregnancy.
_PREGNANCY_WEEKS = re.compile(
    r"\b(i['’]?m|i\s+am|she['’]?s|she\s+is|you['’]?re|you\s+are|your\s+wife\s+is"
    r"|(?:a\s+)?(?:woman|lady|pt|patient|mom)\s+(?:at|is))\s+"
    r"(?:about\s+|almost\s+|nearly\s+)?\d{1,2}\s*(?:\+\d\s*)?(?:weeks?|wks?)\b"
    r"(?!\s+(?:ago|out|from|left|late|behind|away|into|in\b))"
)

_TITLE = re.compile(rf"[{UPPER}]['’]?[{UPPER}]?[{LOWER}]")
# Common English words that are not also names, nor words that never name a person.
_NOT_NAMES = (
    (COMMON_ENGLISH - NAMES_LOWER)
    | COMMON_NOT_NAMES
    | frozenset(word.lower() for word in NON_NAMES)
)
# ... and the health words: one set difference leaves a message's possible names.
_NOT_NAMES_OR_HEALTH: frozenset[str] = _NOT_NAMES | KINDS.keys()
_LOCATED = frozenset({"bed", "room", "rm", "bay", "exam"})
_SPECIALTY_VISITS = frozenset(
    [
        "appointment",
        "appt",
        "visit",
        "follow-up",
        "followup",
        "consult",
        "consultation",
        "intake",
        "eval",
        "evaluation",
        "session",
        "checkup",
        "check-up",
        "referral",
    ]
)


def intramuscular(before: str) -> bool:
    """Whether "im" after ``before`` is the route ("500 mg IM", "0.01 mg/kg IM"), not "I'm"."""
    return before in _DOSE_UNITS or bool(_DOSE_TOKEN.fullmatch(before)) or before[:1].isdigit()


def health_word(token: str) -> bool:
    """Whether ``token`` is health information or a result ("meds", "positive")."""
    return bool(KINDS.get(token, 0) & (HEALTH | RESULT | POSSESSED))


def body_word(token: str) -> bool:
    """Whether ``token`` is a part of the body ("neck", "knees")."""
    return bool(KINDS.get(token, 0) & BODY)


def care_named(token_set: frozenset[str]) -> bool:
    """Whether the message names a drug, a dose or a procedure (a side effect's cause)."""
    return not _CARE_WORDS.isdisjoint(token_set) or not _DOSE_UNITS.isdisjoint(token_set)


def vocabulary_hit(token_set: frozenset[str]) -> bool:
    """Whether the message has a strong or medium health word (a cheap first test)."""
    return not _HEALTH_WORDS.isdisjoint(token_set)


def detect_health(
    text: str,
    lower: str,
    tokens: list[str],
    token_set: frozenset[str],
    has_digits: bool,
    strong_person: Callable[[], bool],
    zip_code: bool = False,
) -> set[str]:
    """Reason names for health information linked to an identifiable person."""
    found: set[str] = set()
    strong = not _HEALTH_WORDS.isdisjoint(token_set) or (
        not _CASED_SCORES.keys().isdisjoint(token_set)
        and any(upper in text for upper in _CASED_SCORES.values())
    )
    phrase = not _PHRASE_FIRSTS.isdisjoint(token_set)
    possessed = not _POSSESSED_WORDS.isdisjoint(token_set) and (
        not _POSSESSIVES.isdisjoint(token_set) or "'s" in lower or "’s" in lower
    )
    dose = has_digits and (
        not _DOSE_UNITS.isdisjoint(token_set) or _DOSE_IN_TEXT.search(lower) is not None
    )
    if has_digits and ("week" in lower or "wk" in lower):
        weeks = _PREGNANCY_WEEKS.search(lower)
        if weeks:
            found.add(_subject_reason(weeks.group(1)))
    if (
        has_digits
        and "+" in lower
        and _GESTATION.search(lower)
        and (not _OBSTETRIC.isdisjoint(token_set) or strong_person())
    ):
        # "Ms. Adeyemi 39+2, cervix 3/70/-1": weeks+days of one pregnancy, said of a
        # named woman or with a word of obstetrics ("30+5 extra chairs" is a count).
        found.add(HEALTH_WITH_DEMOGRAPHICS)
    if has_digits and (" od" in lower or " os" in lower) and _REFRACTION.search(lower):
        # "-3.25 OD, -3.50 OS": one person's eye prescription.
        found.add(CLINICAL_WITH_NAME if strong_person() else HEALTH_TO_READER)
    if has_digits and _GRAVIDA.search(lower):
        # "G3P2 at 39+2 in active labor", "39 F, G2P1": one pregnant woman's obstetric
        # history, health information about her whatever else the message says.
        found.add(HEALTH_WITH_DEMOGRAPHICS)
    if not (strong or phrase or possessed or dose):
        return found
    kinds = _kinds(
        tokens,
        phrase,
        dose,
        token_set,
        "-" in lower or "/" in lower,
        zip_code,
    )
    if not _CASED_SCORES.keys().isdisjoint(token_set):
        # "CAGE", "ACE", "WELLS": a score only in capitals ("cage-free eggs" is lunch).
        for index, token in enumerate(tokens):
            if token in _CASED_SCORES and _CASED_SCORES[token] in text:
                kinds[index] |= SCORE
    total = reduce(or_, kinds, 0)
    # A device said with a part of it ("Lucille's hearing aid battery") is blocked as
    # stock, but still someone's when a relative owns it.
    if (
        not total & (HEALTH | POSSESSED | RESULT)
        and not (
            total & BODY
            and not (_INJURIES.isdisjoint(token_set) and _SIDE_SHORTHAND.isdisjoint(token_set))
        )
        and not (total & BLOCKED and not _RELATIVE_FORMS.isdisjoint(token_set))
    ):
        return found
    if not _AGE_TOKENS.isdisjoint(token_set) or (has_digits and _AGE_HINT.search(lower)):
        _detect_age(lower, total | _possessed_body(tokens, kinds), found)
    if total & (_IMPERATIVE_KINDS | TEST) and not _IMPERATIVE_VERBS.isdisjoint(token_set):
        _detect_imperative(lower, total, found)
    _detect_links(text, tokens, kinds, token_set, total, found)
    if CLINICAL_WITH_NAME not in found and total & (STRONG | MEDIUM) and strong_person():
        found.add(CLINICAL_WITH_NAME)
    if not found and total & (HEALTH | BODY):
        _detect_particular(lower, tokens, kinds, total, found)
    return found


def _detect_particular(
    lower: str, tokens: list[str], kinds: list[int], total: int, found: set[str]
) -> None:
    """Health information about one case, said with nobody named: the room is the person.

    A result ("vitamin D low at 18", "potassium 6.8", "the spot on the x-ray is scar",
    "PHQ9=17"), a prescription or a change to it ("Rx for amoxicillin 875 sent", "Bumped
    the lisinopril"), a clinician's word on a case ("Dr. Okoro wants the troponin
    repeated"), a referral ("Referral to ENT is placed"), a patient placed in a bed
    ("troponin on bed 7"), or an instruction opening a clause ("Isolation for 5 days",
    "no driving for 24 hrs", "Don't eat after 10pm"). Stock, prices, reference ranges,
    goals and guidelines ("A1C under 7 is the goal", "$12.50 per test") are not a case.
    """
    token_set = frozenset(tokens)
    if not (_LOCATED_BEDS.isdisjoint(token_set) and _LOCATED_ROOMS.isdisjoint(token_set)) and (
        _placed_in_bed(tokens, kinds)
    ):
        # "bed 2 CIWA is 14, giving lorazepam per protocol", "bed 6: ... tetanus is >10
        # yrs": one patient placed in a bed, whatever protocol or sign is quoted.
        found.add(HEALTH_ABOUT_PERSON)
        return
    if not _NOT_A_CASE.isdisjoint(token_set) or _COMPARISON_SIGNS.search(lower):
        return
    if "out" in token_set and _OUT_OF_COUNT.search(lower):
        return  # "9 positive strep tests out of 31 this week": a tally, not a case.
    if _THRESHOLD.search(lower):
        return  # "A1C of 6.5% or higher", "PHQ-9 of 10 or more = schedule BH f/u": a rule.
    if "lot" in token_set and _LOT_NUMBER.search(lower):
        return  # "recalled lot 88A": stock.
    # Words of stock, policy, teaching and populations: the rules that say so do not hold.
    talk = not _GENERIC_TALK.isdisjoint(token_set)
    if talk and _TARGET.search(lower):
        return  # "our diabetic pts w/ a1c under 8 is at 71%": a target for many.
    if (
        total & STRONG
        and not talk
        and not _about_everyone(tokens, token_set)
        and not ("talk" in token_set and _A_TALK.search(lower))
        and _names_a_case(tokens, kinds)
    ):
        found.add(HEALTH_TO_READER)
        return
    # An instruction, or a dosing frequency ("twice a day", "q6h", "at bedtime").
    if total & (CARE | PROCEDURE | MEDICATION | IMMUNIZATION):
        instruction = _INSTRUCTION.search(lower) or _CARE_INSTRUCTION.search(lower)
        if (not talk and (instruction or (total & CARE and _FREQUENCY.search(lower)))) or (
            # Said to the reader, an instruction holds among words such as "someone"
            # ("no driving for 24 hrs, someone has to pick you up").
            instruction and not _READER_ANY.isdisjoint(token_set)
        ):
            found.add(HEALTH_TO_READER)
            return
    scan = _Scan(tokens, kinds)
    clinician = not _CLINICIANS.isdisjoint(token_set)
    # A question about one's own procedure ("Is it safe to fly after the ablation?"),
    # not the practice's ("Do we have...", "Can you take the specimens...").
    question = (
        "?" in lower
        and _STAFF_QUESTION.isdisjoint(token_set)
        and _GENERIC_QUESTION.isdisjoint(token_set)
    )
    count = scan.count
    for index, kind in enumerate(kinds):
        token = tokens[index]
        before = tokens[index - 1] if index else ""
        following = tokens[index + 1] if index + 1 < count else ""
        if clinician and token in _CLINICIANS and _clinician_on_case(scan, index):
            # "Dr. Amari says the spot on the x-ray is scar tissue".
            found.add(HEALTH_TO_READER)
            return
        if (
            # "Referral to ENT is placed".
            (
                token == "referral"
                and following in ("to", "for")
                and scan.health(index + 2, SPECIALTY | PROCEDURE | TEST)
            )
            # "extra views of the left breast", "the right knee": one person's body.
            or (not talk and token in _SIDES and scan.kind(index + 1) & BODY)
            # "Pre-op labs are due 48 hrs before surgery", "Tdap is due".
            or (not talk and token == "due" and _due(scan, index, token_set))
            # "Foley out at 0600", "Sutures removed", "Tdap given today": care done.
            or (
                not talk
                and scan.health(index, PROCEDURE | TEST | IMMUNIZATION)
                and following in _DONE
            )
            # "re: abnormal mammogram", "elevated A1C": one result.
            or (
                not talk
                and token in _FINDINGS
                and scan.health(index + 1, TEST | PROCEDURE)
                and before not in _GENERIC
            )
            # "Reschedule the colonoscopy", "cancel the MRI": one person's booking.
            or (
                not talk
                and token in _BOOKING
                and following in _DEFINITE
                and scan.health(index + 2, PROCEDURE | TEST)
            )
            # "Is it safe to fly after the ablation?", "Should the incision still be red?"
            or (
                question
                and scan.health(index, PROCEDURE | TEST)
                and before in _DEFINITE_OR_MINE
                and not token.endswith("s")
            )
            # "wants a repeat thyroid ultrasound", "recheck BMP in 2 weeks".
            or (
                not talk
                and token in _REPEATS
                and scan.health_in(index + 1, index + 4, TEST | PROCEDURE)
            )
            or _news_on(scan, index)
        ):
            found.add(HEALTH_TO_READER)
            return
        if not kind or kind & BLOCKED or (before in _GENERIC and before not in ("a", "an")):
            continue
        if (
            # "Call 911 if the chest pain comes back", "if the rash spreads".
            (
                kind & (CONDITION | SYMPTOM)
                and before in _DEFINITE
                and not _RECURS.isdisjoint(tokens[index + 1 : index + 3])
            )
            or (
                kind & (TEST | SCORE)
                and not kind & ~(TEST | SCORE | RESULT | DOSE)
                and _result_follows(scan, index)
            )
            # "insurance approved the sleep study", "denied the MRI".
            or (kind & (TEST | PROCEDURE | MEDICATION | SPECIALTY) and _decided(tokens, index))
            # "Bumped the lisinopril", "amoxicillin 875", "lasix 40 bid".
            or (kind & MEDICATION and _prescribed(scan, index))
        ):
            found.add(HEALTH_TO_READER)
            return


def _placed_in_bed(tokens: list[str], kinds: list[int]) -> bool:
    """A bed, bay, chair, room or exam room with its number, and health information.

    A soft word alone ("dental chair 4 hydraulics are leaking") places nobody, nor does
    stock or a schedule word ("room 3 flu shot clinic").
    """
    if not any(kind & HEALTH and not kind & (BLOCKED | SOFT) for kind in kinds):
        return False
    rooms = _GENERIC_TALK.isdisjoint(tokens)
    return any(
        following[:1].isdigit()
        and len(following) <= 3
        and (
            token in _LOCATED_BEDS
            or (rooms and token in _LOCATED_ROOMS and (at == 0 or tokens[at - 1] not in _IN_A_ROOM))
        )
        for at, (token, following) in enumerate(pairwise(tokens))
    )


def _news_on(scan: _Scan, index: int) -> bool:
    """ "any news on the biopsy?", "update on the MRI"."""
    return (
        scan.token(index) in _NEWS
        and scan.token(index + 1) in ("on", "about")
        and scan.token(index + 2) in _DEFINITE
        and bool(scan.kind(index + 3) & (TEST | PROCEDURE))
    )


def _due(scan: _Scan, index: int, token_set: frozenset[str]) -> bool:
    """ "labs are due", "Tdap is due": a test or a shot that one person is due for."""
    subject = index - 2 if index > 1 and scan.token(index - 1) in ("is", "are") else index - 1
    return (
        subject >= 0
        and bool(scan.kind(subject) & (MEDIUM | POSSESSED))
        and not _about_everyone(scan.tokens, token_set)
    )


def _prescribed(scan: _Scan, index: int) -> bool:
    """A drug changed ("bumped the lisinopril") or given with its strength ("lasix 40")."""
    before = scan.token(index - 1)
    if before in ("the", "her", "his") and index > 1:
        before = scan.token(index - 2)
    return before in _CHANGED or (
        _VALUE.fullmatch(scan.token(index + 1)) is not None and scan.token(index + 2) != "%"
    )


class _Scan:
    """One message's tokens and their health kinds, read by position.

    Every rule that looks at a token's neighbours asks this one object, so the bounds
    checks and "a blocked word is stock, not health" are written once.
    """

    __slots__ = ("count", "kinds", "tokens")

    def __init__(self, tokens: list[str], kinds: list[int]) -> None:
        self.tokens = tokens
        self.kinds = kinds
        self.count = len(tokens)

    def token(self, index: int) -> str:
        """The token at ``index``, or ``""`` past either end."""
        return self.tokens[index] if 0 <= index < self.count else ""

    def kind(self, index: int) -> int:
        """The health kind at ``index``, or ``0`` past either end."""
        return self.kinds[index] if 0 <= index < self.count else 0

    def health(self, index: int, mask: int) -> bool:
        """Whether the token at ``index`` is health information of ``mask``, not stock."""
        kind = self.kind(index)
        return bool(kind & mask) and not kind & BLOCKED

    def health_in(self, start: int, stop: int, mask: int) -> bool:
        """Whether any token in ``[start, stop)`` is health information of ``mask``."""
        return any(kind & mask and not kind & BLOCKED for kind in self.kinds[max(0, start) : stop])


def _about_everyone(tokens: list[str], token_set: frozenset[str]) -> bool:
    """ "ask every patient", "all staff", "any provider": a population, not a person."""
    if _QUANTIFIERS.isdisjoint(token_set):
        return False
    return any(
        token in _QUANTIFIERS and following in _POPULATION_NOUNS
        for token, following in pairwise(tokens)
    )


def _names_a_case(tokens: list[str], kinds: list[int]) -> bool:
    """A condition, symptom, score or drug in a message that is not about many people.

    In a practice's chat such a word is about someone -- the patient in the room, or the
    one the staff are discussing -- unless the message speaks of stock, schedules,
    policy, teaching, billing or populations (``[generic]`` of ``health_terms.txt``).
    """
    if not _PRESENTING.isdisjoint(tokens) and any(
        token in _PRESENTING and following in ("on", "about")
        for token, following in pairwise(tokens)
    ):
        return False  # "Dr. Okoye will present on diabetic retinopathy": a talk.
    for index, kind in enumerate(kinds):
        if not kind & (CONDITION | SYMPTOM | SCORE | MEDICATION) or kind & (BLOCKED | SOFT):
            continue
        if index > 1 and tokens[index - 2] == "out" and tokens[index - 1] == "of":
            continue  # "they're out of amoxicillin suspension": stock.
        token = tokens[index]
        if token in _BROAD_STRONG or not KINDS.get(token, 0) & STRONG:
            # A listed word, or a phrase ("chest pain", "heart attack"); "no erythema"
            # in a note is still a finding.
            if index and tokens[index - 1] in _GENERIC and tokens[index - 1] != "no":
                continue
            return True
    return False


def _result_follows(scan: _Scan, index: int) -> bool:
    """A value or a finding within a few small words after a test or a score."""
    tokens, kinds = scan.tokens, scan.kinds
    for at in range(index + 1, min(scan.count, index + 1 + _RESULT_REACH)):
        token = tokens[at]
        kind = kinds[at]
        if token in _COMPARISONS or kind & (TEST | SCORE):
            return False
        if (
            token in _RESULT_WORDS
            or (kind & (CONDITION | SYMPTOM) and not kind & BLOCKED)
            or (_VALUE.fullmatch(token) and not _is_time(tokens, at))
        ):
            return _GENERAL.isdisjoint(tokens[at + 1 : at + 4])
        if token not in _RESULT_GAP:
            return False
    return False


def _decided(tokens: list[str], index: int) -> bool:
    at = index - 1
    while at >= 0 and tokens[at] in ("the", "a", "an", "your", "her", "his", "their"):
        at -= 1
    return at >= 0 and tokens[at] in _DECIDED


def _is_time(tokens: list[str], at: int) -> bool:
    """ "draw the CBC at 9", "EKG in 10": a small number after "at"/"in" is a time."""
    if tokens[at - 1] not in _TIME_BEFORE:
        return False
    token = tokens[at]
    return "." not in token and "/" not in token and int(token) <= 24


def _clinician_on_case(scan: _Scan, index: int) -> bool:
    """ "Dr. Amari says the spot on the x-ray...", "the doctor wants the troponin repeated"."""
    for at in range(index + 1, min(scan.count, index + 4)):
        if scan.tokens[at] in _CLINICIAN_VERBS:
            # A condition, symptom, score or drug: "reviewed the MRI" alone is work.
            return scan.health_in(at + 1, at + 1 + _CLINICIAN_REACH, STRONG)
    return False


def _kinds(
    tokens: list[str],
    phrases: bool = True,
    doses: bool = True,
    token_set: frozenset[str] | None = None,
    compounds: bool = True,
    zips: bool = False,
) -> list[int]:
    """The health kind of each token, phrases joined, stock and schedule uses removed."""
    kinds = list(map(KINDS.get, tokens, repeat(0, len(tokens))))
    # Each pass first picks its few positions with a comprehension (a tight loop), then
    # works on those alone: most tokens are none of these.
    if compounds:
        for index in [at for at, token in enumerate(tokens) if "-" in token or "/" in token]:
            if not kinds[index]:
                # "fever-free", "flu-like", "covid-positive", "htn/dm": a compound of a
                # condition, symptom or drug carries it.
                for part in _COMPOUND_SPLIT.split(tokens[index]):
                    kinds[index] |= KINDS.get(part, 0) & STRONG
    present = frozenset(tokens) if token_set is None else token_set
    firsts = (
        [
            first
            for first in _PHRASE_FIRSTS.intersection(present)
            if not _PHRASE_SECONDS[first].isdisjoint(present)
        ]
        if phrases
        else None
    )
    if firsts:
        for index in [at for at, token in enumerate(tokens) if token in firsts]:
            for rest, kind in _PHRASES[tokens[index]]:
                end = index + 1 + len(rest)
                if tuple(tokens[index + 1 : end]) == rest:
                    for at in range(index, end):
                        kinds[at] |= kind
    if doses:
        for index in [at for at, token in enumerate(tokens) if token[:1].isdigit()]:
            token = tokens[index]
            if _DOSE_TOKEN.fullmatch(token) and token not in _DOSE_UNITS:
                kinds[index] |= DOSE
            if index + 1 < len(tokens) and tokens[index + 1] in _DOSE_UNITS:
                kinds[index] |= DOSE
                kinds[index + 1] |= DOSE
    if zips:
        for index in [at for at, token in enumerate(tokens) if len(token) == 5 and at]:
            if kinds[index - 1] and tokens[index].isdigit():
                # "Hartford CT 06101": a state before its ZIP code, not a CT scan.
                kinds[index - 1] = 0
    if _FOLLOWERS.isdisjoint(present):
        return kinds
    for index in [at for at, kind in enumerate(kinds) if kind & (HEALTH | POSSESSED)]:
        kind = kinds[index]
        # A symptom is stock only right before the word ("fever clinic"); "swallowed a
        # button battery" is a child's symptom.
        reach = 1 if not kind & ~(SYMPTOM | SOFT) else _FOLLOWER_WINDOW
        following = tokens[index + 1 : index + 1 + reach]
        for at, token in enumerate(following):
            if token in _VERB_BREAKS:
                # "vasectomy is Thursday, consent not signed": the verb ends the phrase.
                following = following[:at]
                break
        if not _FOLLOWERS.isdisjoint(following):
            if kind & POSSESSED and _owned(tokens, kinds, index):
                # "my hearing aid battery door snapped off": someone's own device.
                continue
            # "flu shot clinic", "A1C machine", "the cardiology group": stock, not a person.
            kinds[index] = BLOCKED
    return kinds


def _owned(tokens: list[str], kinds: list[int], index: int) -> bool:
    """A device (a phrase of possessed words) right after a person's possessive."""
    while index and kinds[index - 1] & POSSESSED:
        index -= 1
    before = tokens[index - 1] if index else ""
    return before in _OWNERS or (
        before.endswith(("'s", "’s")) and before[:-2] not in COMMON_ENGLISH
    )


def _subject_reason(subject: str) -> str:
    subject = subject.lower().replace("’", "'")
    if subject.startswith(("you", "your")):
        return HEALTH_TO_READER
    if subject.startswith(("i", "my", "our")):
        return CLINICAL_FIRST_PERSON
    return HEALTH_ABOUT_PERSON


def _detect_links(
    text: str,
    tokens: list[str],
    kinds: list[int],
    token_set: frozenset[str],
    total: int,
    found: set[str],
) -> None:
    count = len(tokens)
    originals: list[str] | None = None
    has_health = bool(total & HEALTH)
    # Words that may be a name: not English, not a health word, starting with a letter.
    candidates = {token for token in token_set - _NOT_NAMES_OR_HEALTH if token[:1].isalpha()}
    if "'s" in text or "’s" in text:
        # "bobby's sugars": a known given name in lower case, possessive.
        candidates.update(
            token
            for token in token_set
            if token.endswith(("'s", "’s")) and token[:-2] in NAMES_LOWER
        )
    if not _DICTATION.isdisjoint(token_set) and any(kind & _DICTATED for kind in kinds):
        # "hx of CHF", "c/o chest pain", "s/p lap chole": a note about one patient.
        found.add(HEALTH_ABOUT_PERSON)
    if (
        tokens[0] in _DROPPED_I
        and CLINICAL_FIRST_PERSON not in found
        and _chain(tokens, kinds, 0, writer=True)
    ):
        # "been having panic attacks again", "been feeling really down lately, not
        # sleeping": the writer, with the "I've" dropped as chat does.
        found.add(CLINICAL_FIRST_PERSON)
    if _LINK_TOKENS.isdisjoint(token_set) and not candidates:
        return
    for index in [
        at for at, token in enumerate(tokens) if token in _LINK_TOKENS or token in candidates
    ]:
        token = tokens[index]
        if token == "yr" and index and _a_year(tokens[index - 1]):
            continue  # "last yr", "2 yr": a year, not "your".
        if token in _POSSESSIVE_READER:
            reason = HEALTH_TO_READER
        elif token in _POSSESSIVE_OTHER:
            reason = HEALTH_ABOUT_PERSON
        elif token in _POSSESSIVE_WRITER:
            reason = CLINICAL_FIRST_PERSON
        else:
            reason = ""
        if reason:
            if reason in found:
                continue
            if index and tokens[index - 1] == "all":
                continue  # "dr lin wants all her extractions in the morning": a caseload.
            following = index + 1
            if following < count and tokens[following] in _RELATIVE_FORMS:
                # "my husband's sugar", "your son has a fever", "her daughter says...";
                # "hospice for their dad": the care, then whom it is for.
                if _relative_linked(tokens, kinds, following) or _health_for(tokens, kinds, index):
                    found.add(reason)
                continue
            if token != _PRACTICE_POSSESSIVE and _possessed(tokens, kinds, following):
                found.add(reason)
            elif (
                token == "her"
                and tokens[following : following + 1] == ["to"]
                and _chain(tokens, kinds, following + 1, loose=False)
            ):
                # "remind her to take the antibiotic": "her" the object of a request.
                found.add(reason)
            continue
        if token in _RELATIVE_FORMS:
            # A relative named without a possessive ("mom's sugar was 45", "Grandpa's
            # dementia"): the writer's family, unless a generic one ("a mom asked...");
            # "the Kim twins" are someone else's.
            before = tokens[index - 1] if index else ""
            if before in _GENERIC:
                continue
            reason = (
                HEALTH_ABOUT_PERSON
                if before in ("the", "their", "for") or before in candidates
                else CLINICAL_FIRST_PERSON
            )
            if reason not in found and (
                _relative_linked(tokens, kinds, index)
                # "4 mo WCC for baby Theo": the care, then the child it is for.
                or (before == "for" and _health_for(tokens, kinds, index))
                # "hospice for their dad": the care, then whom it is for.
                or (before == "their" and _health_for(tokens, kinds, index - 1))
            ):
                found.add(reason)
            continue
        if token in _PATIENT_WORDS:
            if HEALTH_ABOUT_PERSON in found or (index and tokens[index - 1] in _GENERIC):
                continue
            if _located(tokens, index + 1) and has_health:
                found.add(HEALTH_ABOUT_PERSON)
            elif token.endswith(("'s", "’s")):
                if _possessed(tokens, kinds, index + 1):
                    found.add(HEALTH_ABOUT_PERSON)
            elif _chain(tokens, kinds, index + 1, loose=False):
                found.add(HEALTH_ABOUT_PERSON)
            continue
        if token in _SUBJECT_READER:
            if token == "u" and index + 1 < count and tokens[index + 1] == "s":
                continue  # "U.S."
            if HEALTH_TO_READER in found:
                continue
            if tokens[index + 1 : index + 2] and tokens[index + 1] in _NEWS_VERBS:
                continue  # "did you hear the mayor had a heart attack?": news.
            if _staff_rule(tokens, token_set):
                # "If you're coughing, please wear a mask at work", "if you have a fever
                # you can't come to work": a rule for staff, every "you" in it any colleague.
                continue
            linked = kinds
            if (
                index
                and tokens[index - 1] in _REQUESTS
                and tokens[index + 1 : index + 2]
                and tokens[index + 1] in _STAFF_WORK
            ):
                # "Can you take the specimens to the lab?": a colleague asked to work;
                # only a condition, symptom or drug makes it the reader's health.
                linked = [kind if kind & STRONG else 0 for kind in kinds]
            if _chain(tokens, linked, index + 1, loose=False):
                found.add(HEALTH_TO_READER)
            continue
        if token in _SUBJECT_OTHER:
            if not _PUBLIC_FIGURES.isdisjoint(token_set):
                continue  # "that tennis player announced she has type 1 diabetes": news.
            if HEALTH_ABOUT_PERSON not in found and _chain(tokens, kinds, index + 1):
                found.add(HEALTH_ABOUT_PERSON)
            continue
        if token == "me":
            if (
                CLINICAL_FIRST_PERSON not in found
                and index
                and tokens[index - 1] in _CAUSES
                # The cause is a drug or a treatment, not "this inbox" (a joke).
                and not _CARE_WORDS.isdisjoint(tokens[: index - 1])
                and _chain(tokens, kinds, index + 1, loose=False, writer=True)
            ):
                found.add(CLINICAL_FIRST_PERSON)
            continue
        if token in _SUBJECT_WRITER:
            if token == "im" and index and intramuscular(tokens[index - 1]):
                continue
            if CLINICAL_FIRST_PERSON not in found and _chain(tokens, kinds, index + 1, writer=True):
                found.add(CLINICAL_FIRST_PERSON)
            continue
        if CLINICAL_WITH_NAME in found:
            continue
        if _located(tokens, index + 1) and has_health:
            # "nguyen in bay 3 pulled her IV": placed in the clinic, any case.
            found.add(CLINICAL_WITH_NAME)
            continue
        if originals is None:
            originals = TOKEN_ANY_CASE.findall(text)
            if len(originals) != count:
                # Lower-casing changed the token boundaries (rare scripts): no names.
                originals = []
        if (
            index > 1
            and tokens[index - 1] in ("from", "at")
            and (tokens[index - 2] in _PROVIDERS or tokens[index - 2].endswith(_WORKER_ENDINGS))
        ):
            continue  # "the endocrinologist from Baystate": a place or an organisation.
        if not originals or not _is_name(originals[index], tokens, index):
            # "bobby's sugars": a known given name typed in lower case, possessive.
            if (
                token.endswith(("'s", "’s"))
                and token[:-2] in NAMES_LOWER
                and _possessed(tokens, kinds, index + 1)
            ):
                found.add(CLINICAL_WITH_NAME)
            continue
        if token.endswith(("'s", "’s")):
            if _possessed(tokens, kinds, index + 1) or _chain(
                tokens, kinds, index + 1, length=_NAME_CHAIN_LENGTH
            ):
                found.add(CLINICAL_WITH_NAME)
        elif (
            _chain(tokens, kinds, index + 1, length=_NAME_CHAIN_LENGTH)
            or (_located(tokens, index + 1) and has_health)
            or _health_for(tokens, kinds, index)
            or _told_to(tokens, kinds, index)
        ):
            found.add(CLINICAL_WITH_NAME)
    if (
        HEALTH_TO_READER not in found
        and not _READER_ANY.isdisjoint(token_set)
        and not _staff_rule(tokens, token_set)
    ):
        _reader_elsewhere(tokens, kinds, found)


# The writer's own health told to colleagues ("migraine, I'm in the break room for 15",
# "got my flu shot at lunch, arm is sore lol"): staff small talk, not a patient's record.
# A word of the workplace or of banter marks it; a word of a patient asking for care
# ("can I come in sooner", "is it ok to...", "my appt", "refill") keeps it PHI.
_STAFF_SELF: frozenset[str] = words("health_terms.txt", "staff_self")
_PATIENT_SELF: frozenset[str] = words("health_terms.txt", "patient_self")
_OUT_OF_WORK = frozenset({"today", "tomorrow", "sick", "early"})
_OTHER_PEOPLE: frozenset[str] = (
    _RELATIVE_FORMS
    | _PATIENT_WORDS
    | _SUBJECT_OTHER
    | _POSSESSIVE_OTHER
    | frozenset({"him", "they", "their", "them", "pts", "patients", "kid", "baby"})
)


def staff_own_health(tokens: list[str], token_set: frozenset[str]) -> bool:
    """Whether the message is the writer's own health told to colleagues at work.

    Only for a message whose sole link is the writer (or nobody): another person, the
    reader ("you", "your"; "you all" is the team) or a patient's request keeps it PHI.
    """
    if not _PATIENT_SELF.isdisjoint(token_set) or not _OTHER_PEOPLE.isdisjoint(token_set):
        return False
    workplace = not _STAFF_SELF.isdisjoint(token_set)
    before = ""
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in _READER_ANY and not (token == "you" and following == "all"):
            return False
        if (
            (token == "out" and following in _OUT_OF_WORK)
            or (token == "break" and following == "room")
            # "HR can close my file", not the heart rate ("HR 118") or an hour ("x 1 hr").
            or (token == "hr" and not following[:1].isdigit() and not before[:1].isdigit())
        ):
            workplace = True  # "I'm out tomorrow", "calling out sick", "the break room".
        before = token
    return workplace


def _staff_rule(tokens: list[str], token_set: frozenset[str]) -> bool:
    """ "if you ..." with a word of the workplace: a rule for any colleague."""
    if _WORK_RULES.isdisjoint(token_set) or _HYPOTHESES.isdisjoint(token_set):
        return False
    return any(
        token in _SUBJECT_READER and tokens[index - 1] in _HYPOTHESES
        for index, token in enumerate(tokens)
        if index
    )


def _a_year(before: str) -> bool:
    """Whether "yr" after ``before`` is a year ("last yr", "per yr", "2 yr", "1-yr")."""
    return before in _YEAR_BEFORE or before[-1:].isdigit()


def _told_to(tokens: list[str], kinds: list[int], index: int) -> bool:
    """ "tell Sam to keep doing heel slides", "remind Gina to hold the metformin"."""
    return (
        index > 0
        and tokens[index - 1] in _RELAYS
        and tokens[index + 1 : index + 2] == ["to"]
        and _chain(tokens, kinds, index + 2, loose=False)
    )


def _relative_linked(tokens: list[str], kinds: list[int], index: int) -> bool:
    """A relative (at ``index``) and their health: "son has a fever", "mom's sugar"."""
    relative = tokens[index]
    if relative.endswith(("'s", "’s")):
        # "husband's sugar" (possessive) or "husband's been slurring" (has/is).
        return _possessed(tokens, kinds, index + 1) or _chain(
            tokens, kinds, index + 1, length=_NAME_CHAIN_LENGTH
        )
    if (
        index + 1 < len(tokens)
        and tokens[index + 1].endswith(("'s", "’s"))
        and _possessed(tokens, kinds, index + 2)
    ):
        return True  # "Great-aunt Lucille's hearing aid", "Uncle Ray's stent": her name.
    return _chain(tokens, kinds, index + 1, length=_NAME_CHAIN_LENGTH)


def _located(tokens: list[str], index: int) -> bool:
    """ "in bed 4", "in 6", "in room 12", "rm 3": a person placed in the clinic."""
    if index < len(tokens) and tokens[index] == "in":
        index += 1
    if index >= len(tokens):
        return False
    token = tokens[index]
    if token in _LOCATED:
        return (index + 1 < len(tokens) and tokens[index + 1][:1].isdigit()) or tokens[
            index - 1
        ] == "in"
    return token[:1].isdigit() and len(token) <= 3 and tokens[index - 1] == "in"


def _health_for(tokens: list[str], kinds: list[int], index: int) -> bool:
    """ "CIWA for Brandt", "positive strep on Dominguez": health, then the person."""
    if index < 2 or tokens[index - 1] not in _HEALTH_FOR:
        return False
    # Back from the word before "for", up to the first stock word ("the flu clinic").
    for kind in kinds[max(0, index - 1 - _HEALTH_FOR_WINDOW) : index - 1][::-1]:
        if kind & BLOCKED:
            return False
        if kind & (STRONG | TEST | PROCEDURE | SPECIALTY | IMMUNIZATION):
            return True
    return False


def _reader_elsewhere(tokens: list[str], kinds: list[int], found: set[str]) -> None:
    """ "Colonoscopy prep for you", "the neurologist will call you to set up the EEG"."""
    count = len(tokens)
    for index in range(count):
        kind = kinds[index]
        if not kind & (STRONG | MEDIUM):
            continue
        window = tokens[index + 1 : index + 5]
        for at in range(len(window) - 1):
            if window[at] in ("for", "to") and window[at + 1] in _SUBJECT_READER:
                found.add(HEALTH_TO_READER)
                return
        if kind & SPECIALTY and index + 1 < count and tokens[index + 1] in _SPECIALTY_VISITS:
            found.add(HEALTH_TO_READER)
            return
    # Health information near "you" in a message to the reader: a condition, symptom or
    # drug within a sentence's reach, a test, procedure or specialty closer by. "You"
    # asked to do work ("can you restock..."), thanked or in a hypothesis ("if you get a
    # call about chest pain") is staff talk.
    for index, token in enumerate(tokens):
        if token not in _READER_ANY:
            continue
        before = tokens[index - 1] if index else ""
        if token == "u" and tokens[index + 1 : index + 2] == ["s"]:
            continue
        if token == "yr" and _a_year(before):
            continue  # "up 4 pts from last yr": a year, not "your".
        if before in _READER_NOT_PATIENT and not (
            before in ("when", "whenever")
            and tokens[index + 1 : index + 2]
            and tokens[index + 1] not in _HYPOTHETICAL_VERBS
        ):
            # "if you get a call about chest pain", "when you see a positive strep"; but
            # "a urine sample when you come in Thursday" is the reader's visit.
            continue
        after = tokens[index + 1 : index + 3]
        if after and (
            after[0] in _GROUP or after[0] in _READER_BUSINESS or after[0] in _NEWS_VERBS
        ):
            continue
        if (
            token in _SUBJECT_READER
            and before not in _CALLS_READER
            and not _STAFF_WORK.isdisjoint(after)
        ):
            continue
        low = max(0, index - _READER_WINDOW)
        for at in range(low, min(count, index + 1 + _READER_WINDOW)):
            kind = kinds[at]
            if kind & BLOCKED or not kind & (STRONG | MEDIUM) or kind & SOFT:
                continue
            if kind & IMMUNIZATION and not kind & (STRONG | MEDIUM & ~IMMUNIZATION):
                # Vaccines are stock as often as they are a person's: the chain decides.
                continue
            if kind & STRONG or abs(at - index) <= _READER_NEAR:
                found.add(HEALTH_TO_READER)
                return


def _possessed(tokens: list[str], kinds: list[int], start: int) -> bool:
    """Health information right after a possessive: "your A1C", "her first OB visit".

    One unknown modifier may stand before a health word ("your water pill", "her
    thyroid med"), not before a business noun ("your order", "your badge").
    """
    end = min(len(tokens), start + _POSSESSED_LENGTH)
    modifier = False
    for index in range(start, end):
        kind = kinds[index]
        token = tokens[index]
        if kind & (HEALTH | POSSESSED):
            # "my son's pediatric dentist": a specialty naming a provider, not care.
            return not _provider_specialty(tokens, kind, index)
        if kind & BODY:
            # "the mole on your back"; "I broke my toe", "she cut her finger": an injury
            # done to the body part just named.
            return _body_with_health(kinds, index) or _injured(tokens, start)
        if kind & BLOCKED and (
            (tokens[index + 1 : index + 2] and tokens[index + 1] in _DEVICES)
            or KINDS.get(token, 0) & POSSESSED
            or KINDS.get("-".join(tokens[index : index + 2]), 0) & POSSESSED
        ):
            # "bring your CPAP machine", "her insulin pump supplies", "Lucille's hearing
            # aid battery": someone's own device, whatever is said of its parts.
            return True
        if kind & BLOCKED or token in _SKIP or token[:1].isdigit():
            # A blocked health word is a modifier ("your hepatitis B shot"): look on.
            continue
        if modifier or token in _READER_BUSINESS or index + 1 >= end:
            return False
        modifier = True
    return False


def _injured(tokens: list[str], start: int) -> bool:
    """ "broke my toe", "rolled her ankle", "threw out my back": an injury verb (and its
    particle) right before the possessive at ``start``."""
    if start >= 2 and tokens[start - 2] in _INJURIES:
        return True
    if start >= 3 and tokens[start - 2] in _INJURY_PLACES and tokens[start - 3] in _INJURIES:
        return True  # "landed on my wrist", "a fish hook stuck in his thumb".
    return (
        start >= 3
        and tokens[start - 2] in _INJURY_PARTICLES
        and tokens[start - 3] in _INJURY_PARTICLE_VERBS
    )


def _provider_specialty(tokens: list[str], kind: int, index: int) -> bool:
    """ "pediatric dentist", "cardiology office": a specialty naming a provider."""
    return (
        kind & SPECIALTY != 0
        and not kind & ~(SPECIALTY | BLOCKED)
        and index + 1 < len(tokens)
        and tokens[index + 1] in _PROVIDER_NOUNS
    )


def _body_with_health(kinds: list[int], index: int) -> bool:
    """ "the mole on your back", "a biopsy of your shoulder": a body part and its care."""
    return any(kind & (_STATE | TEST | PROCEDURE | SPECIALTY | CARE) for kind in kinds)


def _chain(
    tokens: list[str],
    kinds: list[int],
    start: int,
    loose: bool = True,
    writer: bool = False,
    length: int = 0,
) -> bool:
    """A verb chain from a subject to health information: "has had a fever".

    Up to two other words may stand between when what ends the chain is a condition,
    symptom or score ("was exposed at school to pertussis"); a test, procedure or
    specialty needs the plain chain ("is covering the colonoscopy schedule" is work).
    Said to the reader, only the plain chain counts ("if you get a call about chest
    pain" is an instruction to staff).
    """
    end = min(len(tokens), start + (length or _CHAIN_LENGTH))
    allowed = _CHAIN_UNKNOWN if loose else 0
    unknown = 0
    for index in range(start, end):
        kind = kinds[index]
        token = tokens[index]
        if writer and kind & SOFT:
            kind = 0
        if kind & (HEALTH | RESULT) and (not unknown or kind & _STATE_OR_SCORE):
            return not _provider_specialty(tokens, kind, index)
        if token in _POSSESSIVE_READER or token in _POSSESSIVE_OTHER or token == "my":
            return not unknown and _possessed(tokens, kinds, index + 1)
        if (token in _PRESENTING and index + 1 < end and tokens[index + 1] in _TALK) or (
            token in _TALKS
        ):
            # "Anjali is presenting on postpartum depression", "giving a talk on thyroid
            # nodules": a talk, not a patient.
            return False
        if kind & BLOCKED or token in _CHAIN or token in _SKIP or token[:1].isdigit():
            continue
        unknown += 1
        if unknown > allowed:
            return False
    return False


def _is_name(original: str, tokens: list[str], index: int) -> bool:
    """A capitalised word that is not English, health, an organisation or a provider."""
    if not _TITLE.match(original):
        return False
    base = original[:-2] if original.endswith(("'s", "’s")) else original
    if base.lower() in _NOT_NAMES or base in NON_NAMES or len(base) < 2:
        return False
    if base[-1] == "s" and base[:-1] in NON_NAMES:
        return False  # "Mondays", "Fridays": the weekday, not a person.
    if "-" in base and all(part in _NOT_NAMES for part in base.lower().split("-")):
        return False  # "Walk-in", "Follow-up": English words joined, not a name.
    # "Dr. Kim", "Dr. Sarah Kim", "Nurse Lee": providers are not the patient.
    before = tokens[index - 1] if index else ""
    before_that = tokens[index - 2] if index > 1 else ""
    return before not in _PROVIDERS and (before_that not in _PROVIDERS or before in _CHAIN)


def _detect_imperative(lower: str, total: int, found: set[str]) -> None:
    if HEALTH_TO_READER in found:
        return
    for match in _IMPERATIVE.finditer(lower):
        tokens = TOKEN.findall(match.group(1))[:_IMPERATIVE_REACH]
        if not tokens or tokens[0] in ("a", "an"):
            # "start a statin when LDL is over 190": a guideline, not an instruction.
            continue
        if tokens[0] in ("it", "them") and total & (MEDICATION | DOSE | PROCEDURE | CARE):
            # "Rash after the new antibiotic? stop it and call us".
            found.add(HEALTH_TO_READER)
            return
        kinds = _kinds(tokens)
        for index, token in enumerate(tokens):
            if kinds[index] & _IMPERATIVE_KINDS or (
                kinds[index] & TEST and "collect" in lower[match.start() : match.start(1)]
            ):
                found.add(HEALTH_TO_READER)
                return
            if token in _SKIP or token[:1].isdigit() or token in _IMPERATIVE_FILLERS:
                continue
            if token in _POSSESSIVE_READER:
                continue
            break


def _possessed_body(tokens: list[str], kinds: list[int]) -> int:
    """SYMPTOM when a body part is someone's ("a 3 yo who put a bead up her nose")."""
    for index in range(1, len(tokens)):
        if kinds[index] & BODY and tokens[index - 1] in _POSSESSIVE_OTHER:
            return SYMPTOM
    return 0


def _detect_age(lower: str, total: int, found: set[str]) -> None:
    if not total & (STRONG | MEDIUM):
        return
    for match in _AGE_SEX.finditer(lower):
        if _POPULATION.match(lower, match.end()):
            continue
        # Every alternative but the first ("45 yo", "7-year-old") names a sex.
        sexed = match.group(1) is None or match.group(2) is not None
        needed = (STRONG | MEDIUM) if sexed else (CONDITION | SYMPTOM)
        if total & needed:
            found.add(HEALTH_WITH_DEMOGRAPHICS)
            return
