"""Word lists the detector looks tokens up in, loaded from ``data/house_vocabulary.txt``.

Everything here is a ``frozenset`` so a message is checked with one C-level
``isdisjoint``/``in`` per token instead of a Python loop over the list, and so the
lists cannot be mutated at run time. Clinical terms are lower case (tokens are taken
from the lower-cased text); names are in their usual capitalised form because a
name is only a name when the writer capitalised it. The sections of the data file:

``clinical_terms``
    Specific clinical content (lab tests and values, diagnoses, medications, procedures,
    findings): any of these next to a person makes a message PHI.
``encounter_terms``
    Encounter and administrative-care words ("appointment", "refill"): they reveal that
    someone is a patient but are far too common in staff talk to count next to a bare
    first name; they only combine with a strong person reference.
``equipment_followers``
    A clinical word directly followed by one of these is about stock, equipment or an
    event, not about a person ("the A1C machine", "Jardiance samples").
``person_words``
    Tokens that make an old full date read as being about a person.
``relatives``
    Family words after "my": the writer's relative, identified through the writer.
``role_mailbox_words``
    Local parts of role mailboxes (billing@, front.desk@): a function, not a person.
``non_names``
    Capitalised words that are not a person's name even where one is expected
    (weekdays, health systems, payers, vendors, places).
``first_names`` / ``surnames``
    Common given and family names of varied origins; words that are also ordinary
    English words ("Will", "May", "Hope") are left out of the given names on purpose.
``street_stopwords``
    Words that, between a number and "Drive"/"Way", show a count or a time.
``not_name_tokens``
    Lower-case chat shorthand and abbreviations that are never part of a name.
``personal_cues``
    Tokens that put a patient, a relative or the writer in a message (with
    ``relatives``): a business's phone, address or mailbox is then still reported.
"""

from __future__ import annotations

from bridge.classify.lexicon import words

_FILE = "house_vocabulary.txt"


def _section(name: str) -> frozenset[str]:
    return words(_FILE, name)


# "Parkinson's", "Crohn's", "Alzheimer's": the tokeniser keeps the possessive.
_CLINICAL_BASE = _section("clinical_terms")
CLINICAL_TERMS: frozenset[str] = (
    _CLINICAL_BASE
    | {term + "'s" for term in _CLINICAL_BASE}
    | {term + "’s" for term in _CLINICAL_BASE}
)
ENCOUNTER_TERMS: frozenset[str] = _section("encounter_terms")
EQUIPMENT_FOLLOWERS: frozenset[str] = _section("equipment_followers")
PERSON_WORDS: frozenset[str] = _section("person_words")
RELATIVES: frozenset[str] = _section("relatives")
ROLE_MAILBOX_WORDS: frozenset[str] = _section("role_mailbox_words")
NON_NAMES: frozenset[str] = _section("non_names")
FIRST_NAMES: frozenset[str] = _section("first_names")
SURNAMES: frozenset[str] = _section("surnames")
STREET_STOPWORDS: frozenset[str] = _section("street_stopwords")
NOT_NAME_TOKENS: frozenset[str] = _section("not_name_tokens")

NAMES_LOWER: frozenset[str] = frozenset(name.lower() for name in FIRST_NAMES | SURNAMES)

COMMON_NOT_NAMES: frozenset[str] = (
    frozenset(word.lower() for word in NON_NAMES)
    | NOT_NAME_TOKENS
    | CLINICAL_TERMS
    | ENCOUNTER_TERMS
)

PERSONAL_CUES: frozenset[str] = _section("personal_cues") | RELATIVES
