"""Detector of HIPAA Safe Harbor identifiers as they appear in chat.

``detect(text)`` returns the *types* of identifier found, never the matched text, so a
result can be audited, logged and shown in a notice without leaking what it found.

Identifier types (reason names):

``ssn``
    ``123-45-6789`` / ``123 45 6789`` / ``123.45.6789`` (consistent separator; the
    never-issued 000/666 areas, 00 groups and 0000 serials excluded), or four to nine
    digits stated as a social security number ("SSN ends in 4471", "SS# 219099999").
``mrn``
    Medical record / chart / patient numbers stated as such ("MRN 00482913",
    "chart ID 1002938", "patient # 448812"); the value needs at least four digits.
``account_number``
    Account, member, subscriber, policy, health-plan, insurance, beneficiary, Medicaid
    and claim numbers stated as such (value needs five digits, or four next to letters;
    compact dates such as ``20241104`` excluded), and Medicare Beneficiary Identifiers
    by their own shape (``1EG4-TE5-MK73``).
``date_of_birth``
    A date within a few words of DOB / d.o.b. / date of birth / born / birthday (any
    common numeric or written format, year optional); or a full date whose year is
    1900-2010 in a message that is about a person (a pronoun, a name, a relative or
    clinical content). Appointment and due dates are recent and never match the second
    rule; an old date with nobody in the sentence ("signed 06/01/2009") is left alone.
``phone`` / ``fax``
    A ten-digit North American number in the usual formats (``(617) 555-0143``,
    ``617-555-0143``, ``617.555.0143``, ``617 555 0143``, optional ``+1``), or ten bare
    digits right after call/cell/phone/text/fax. ``fax`` when "fax" precedes it.
    Toll-free numbers (800, 833, 844, 855, 866, 877, 888) are business lines and never
    an individual's, so they are not reported. Extensions and short numbers are not.
``email``
    Any e-mail address, except a role mailbox whose local part consists only of
    function words (billing@, support@, noreply@, info@, front.desk@ ...). An address
    is an identifier whoever owns it, and the detector cannot tell a vendor's account
    manager from a patient: a personal-looking address (``dana@vendor.example``) is
    reported, failing closed.
``address``
    A street address (house number, one to three street words, a street suffix) unless
    followed by a Suite (commercial premises); a PO box; "City, ST 12345"; or "zip"
    followed by a ZIP code.
``age_over_89``
    An age of 90 or more ("93-year-old", "aged 95", "91 yo", "she is 94", "Evelyn
    Sato is 96") -- Safe Harbor's own rule.
``license_number``
    A driver's licence number stated as such.
``device_id``
    A serial/ID of a medical device (pacemaker, pump, implant, CGM...) stated as such.
``url_with_identifier``
    A URL whose query carries a patient/MRN/DOB/SSN/member/name parameter.
``clinical_with_name``
    Clinical content (a lab test or value, diagnosis, medication, procedure, symptom)
    next to a person: an honorific name (Mr./Mrs./Ms./Miss/Mx.), "patient X", a
    self-introduction ("this is Kevin Ng", "my name is"), a trailing signature, a full
    name whose first or last part is a common name, a common name in the possessive,
    a common surname, or "the Ortiz baby". Encounter words (appointment, refill, chart,
    results...) count only next to the explicit references (not a lone name). Doctors
    ("Dr. Kim") are providers, not patients; "Sarah from Quest" is a vendor's person;
    a clinical word followed by "machine", "kit", "clinic", "samples"... is stock.
``clinical_first_person``
    The writer states their own health ("my blood sugar", "I have a UTI", "I'm on
    metformin") or that they are a patient ("I'm a patient of Dr Lee"): in Matrix the
    sender is identified, so this is PHI by itself -- except a colleague's own health
    told at work with nothing else identifying in the message ("got my flu shot at
    lunch, arm is sore", "migraine, I'll be in the break room"), unless a word of a
    patient asking for care is there ("can I come in", "is it ok", "refill").
``patient_name``
    A name introduced as a patient ("patient Derek Summers called").
``accession_number``
    A laboratory accession / specimen / requisition number stated as such.
``health_to_reader`` / ``health_about_person`` / ``health_with_demographics``
    Health information (a condition, symptom, result, score, medication or dose,
    procedure, specialty or visit type, care instruction) linked to the reader ("your
    cardiology follow-up"), to someone referred to ("her biopsy came back malignant") or
    to an age and sex ("58 yo M with chest pain"); a first name, surname or title and
    surname linked the same way is ``clinical_with_name``, the writer or a relative
    ``clinical_first_person``. See :mod:`bridge.classify.health`.
``health_learned``
    No rule fired, but a word of the health vocabulary is there and the learned second
    opinion (:mod:`bridge.classify.learned`, a logistic regression over words shipped as
    data) scores the message as PHI; the same model clears a message whose only reason
    is ``health_to_reader`` when it scores it clean (not over "your").
``service_date``
    A date of service ("DOS 09/12") in a message that names a person: the date is about
    that person (Safe Harbor's "dates directly related to an individual").
``practice_identifier``
    A practice's own identifier format from its settings (:mod:`bridge.classify.practice`),
    unless the setting names another type (``mrn``, ``account_number``...).

Second round: a name the lists do not know counts next to clinical content when it is
two capitalised words neither of which is common English (``english.COMMON_ENGLISH``,
accented letters included), a lower-case pair with a known given/family name, or
dotted initials; ICD-10 codes are clinical; a two-digit year 30-99 is a birth year in
a message about a person. SSNs without dashes next to "social"; a payer's name then
an ID; device serials (S/N) near a device word; international phone numbers. A phone,
address, account or vendor mailbox introduced as the practice's or a business's ("call
the lab at", "our fax is", "our Labcorp account", "our rep at Acme is ...") and a
yearless staff birthday are not reported -- unless the message also names a patient,
a relative or the writer (fail closed).

Figures of speech that borrow health words ("heart attack from these prices lol",
"allergic to Mondays") are blanked out before any of this (:mod:`bridge.classify.figurative`);
the rest of the message is read as usual.

Not detected on purpose: IP addresses (in a practice's chat they are the IT vendor's
own infrastructure, not patients'), bare first names (staff are addressed by first
name all day), and NPI/DEA/tax IDs (provider and business identifiers, not PHI).
Names are recognised from capitalisation plus lists of common given and family names,
so an uncommon name written without honorific or "patient" can be missed, and a name
typed in lower case is missed unless another identifier is present.

Speed: each ``re`` search costs about a microsecond whether or not it matches, so the
work is in deciding which searches to run. The text is lower-cased and tokenised once,
its digit runs are taken once, and every pattern is gated on a cheap fact: a keyword
token present (frozenset intersection), a digit run of the right length, an ``@``, a
clinical word. A message with no digits, "@", "=", clinical or encounter word costs
two regex calls (tokens and digit runs).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from bridge.classify.english import COMMON_ENGLISH
from bridge.classify.figurative import without_figures
from bridge.classify.health import (
    HEALTH_ABOUT_PERSON,
    HEALTH_TO_READER,
    HEALTH_WITH_DEMOGRAPHICS,
    detect_health,
    intramuscular,
    staff_own_health,
    vocabulary_hit,
)
from bridge.classify.learned import HEALTH_LEARNED, second_opinion
from bridge.classify.practice import PRACTICE_IDENTIFIER, PracticeSettings
from bridge.classify.tokens import LOWER, TOKEN, UPPER
from bridge.classify.vocabulary import (
    CLINICAL_TERMS,
    COMMON_NOT_NAMES,
    ENCOUNTER_TERMS,
    EQUIPMENT_FOLLOWERS,
    FIRST_NAMES,
    NAMES_LOWER,
    NON_NAMES,
    PERSON_WORDS,
    PERSONAL_CUES,
    RELATIVES,
    ROLE_MAILBOX_WORDS,
    STREET_STOPWORDS,
    SURNAMES,
)

SSN = "ssn"
MRN = "mrn"
ACCOUNT_NUMBER = "account_number"
DATE_OF_BIRTH = "date_of_birth"
PHONE = "phone"
FAX = "fax"
EMAIL = "email"
ADDRESS = "address"
AGE_OVER_89 = "age_over_89"
LICENSE_NUMBER = "license_number"
DEVICE_ID = "device_id"
URL_WITH_IDENTIFIER = "url_with_identifier"
CLINICAL_WITH_NAME = "clinical_with_name"
CLINICAL_FIRST_PERSON = "clinical_first_person"
PATIENT_NAME = "patient_name"
ACCESSION_NUMBER = "accession_number"
SERVICE_DATE = "service_date"

IDENTIFIER_TYPES: frozenset[str] = frozenset(
    {
        SSN,
        MRN,
        ACCOUNT_NUMBER,
        DATE_OF_BIRTH,
        PHONE,
        FAX,
        EMAIL,
        ADDRESS,
        AGE_OVER_89,
        LICENSE_NUMBER,
        DEVICE_ID,
        URL_WITH_IDENTIFIER,
        CLINICAL_WITH_NAME,
        CLINICAL_FIRST_PERSON,
        PATIENT_NAME,
        ACCESSION_NUMBER,
        SERVICE_DATE,
        HEALTH_TO_READER,
        HEALTH_ABOUT_PERSON,
        HEALTH_WITH_DEMOGRAPHICS,
        HEALTH_LEARNED,
        PRACTICE_IDENTIFIER,
    }
)

# Reasons a colleague's own health in staff chat can give (and nothing else).
_OWN_HEALTH_REASONS = frozenset({CLINICAL_FIRST_PERSON, HEALTH_TO_READER})

# --- tokens and prefilters -----------------------------------------------------------

# Tokens of the lower-cased text; keeps "i'm", "a1c", "x-ray", "no-show" whole.
_TOKEN = TOKEN
_DIGIT_RUN = re.compile(r"\d+")

# A keyword token -> the keyword-anchored pattern it enables. Over-triggering ("plan",
# "work") costs one search, never a miss; every keyword of a pattern must be listed.
_KEYWORDS_BY_GROUP: dict[str, str] = {
    "mrn": "mrn m med medical chart patient pt record",
    "account": "acct account a/c member subscriber plan beneficiary mbi hicn claim policy"
    " insurance medicaid medicare",
    "license": "driver driver's driver’s drivers dl dln",
    "device": "pacemaker defibrillator icd implant pump cgm stimulator hearing device cpap bipap"
    " apap concentrator ventilator nebulizer glucometer meter monitor dexcom libre omnipod"
    " tandem wheelchair cochlear aid serial s/n sn udi",
    "payer": "aetna cigna humana bcbs bcbsma cross shield anthem uhc unitedhealthcare united"
    " optum medicaid medicare masshealth medi-cal tricare molina centene wellcare ambetter"
    " highmark carefirst emblem emblemhealth fidelis caresource amerigroup healthnet kaiser"
    " tufts pilgrim geisinger premera regence elevance wellpoint recipient",
    "accession": "accession acc specimen requisition req",
    "ssn": "ssn ss s soc social",
    "phone": "cell mobile phone ph tel call text cb callback fax home work number",
    "dob": "dob d birth birthdate born birthday bday b-day date-of-birth",
    "address": "street st avenue ave road rd boulevard blvd drive dr lane ln court way place"
    " pl terrace ter circle cir parkway pkwy highway hwy square trail trl box zip",
    "honorific": "mr mrs ms miss mx mister rev sgt capt lt pastor officer",
    "intro": "name this it's it’s i'm i’m am",
    "family": "baby kid kids boy girl twin twins family child children infant newborn chart",
    "phrase": "tested positive negative blood viral chest stress sleep heart bp k",
}
_KEYWORD_GROUPS: dict[str, frozenset[str]] = {
    # The tokeniser keeps "'s" on its word ("boy's", "patient's"): map those forms too.
    form: frozenset(group for group, words in _KEYWORDS_BY_GROUP.items() if word in words.split())
    for word in " ".join(_KEYWORDS_BY_GROUP.values()).split()
    for form in (word, word + "'s", word + "’s")
}
_KEYWORD_TOKENS: frozenset[str] = frozenset(_KEYWORD_GROUPS)
_PHRASE_KEYWORDS: frozenset[str] = frozenset(
    token for token, groups in _KEYWORD_GROUPS.items() if "phrase" in groups
)

# --- numbers -------------------------------------------------------------------------
# Number shapes are bounded by letters/digits, not by \b: "_" separates words in file
# names ("john_smith_ssn_123-45-6789.pdf") and must not hide a number.

_SSN_SHAPE = re.compile(
    r"(?<![A-Za-z0-9./-])(?!000|666)\d{3}([- .])(?!00)\d{2}\1(?!0000)\d{4}"
    r"(?![A-Za-z0-9/-]|\.\d)"
)
_SSN_STATED = re.compile(
    r"(?:\bssn|\bs\.s\.n\.?|\bss\s?#|\bsoc(?:ial)?\.?\s+sec(?:urity)?\.?)"
    r"[^\d\n]{0,30}?(?:last\s+(?:4|four)\D{0,12}?)?\d{4,9}\b"
    # "social 219099999", "219099999 is her social": nine bare digits by the word.
    r"|\bsocial\b[^\d\n]{0,25}?(?<![\d-])\d{9}\b|(?<![\d-])\d{9}\b[^\d\n]{0,20}?\b(?:ssn|social)\b"
)

_TOLL_FREE = frozenset({"800", "833", "844", "855", "866", "877", "888"})
_PHONE_SHAPE = re.compile(
    r"(?<![A-Za-z0-9$./-])(?:\+?1[\s.-]?)?(?:\(([2-9]\d\d)\)\s?|([2-9]\d\d)[\s.-])"
    r"[2-9]\d\d[\s.-]\d{4}(?![A-Za-z0-9/-]|\.\d)"
)
# Numbers dialled from or to abroad: "+44 20 7946 0958", "+91 98765 43210" (country
# code, then 8-13 digits in groups), and national forms with a trunk 0 ("054-555-1234").
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![A-Za-z0-9$./+-])(?:\+(?!1\b)\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,5}"
    r"|0\d{1,3}[\s.-]\d{3,4}[\s.-]\d{3,4})(?![A-Za-z0-9/-]|\.\d)"
)
_PHONE_STATED = re.compile(
    r"\b(?:cell|mobile|phone|ph|tel|call|text|cb|callback|fax|home|work|number)\b"
    r"[^\d\n]{0,15}?(?:\+?1)?([2-9]\d{2})[2-9]\d{6}\b"
)

# The keyword, a little filler, then a token with digits (digit count checked after).
_MRN_STATED = re.compile(
    r"(?:\bmrn|\bm\.r\.n\.?|\bmed(?:ical)?\.?\s*rec(?:ord)?s?\.?\s*(?:no\.?|num(?:ber)?|#)"
    r"|\bchart\s*(?:no\.?|num(?:ber)?|id|#)|\bpatient\s*(?:id|no\.?|num(?:ber)?|#)"
    r"|\bpt\.?\s*(?:id|no\.?|#)|\brecord\s*(?:no\.?|num(?:ber)?|#))"
    r"[\s:#.=-]*(?:is\s+)?([a-z0-9][a-z0-9-]{3,})"
)
# Words that also name documents and programmes ("policy 2024-07", "Medicare 2025
# changes") only count when followed by no/number/#/ID.
_ACCOUNT_STATED = re.compile(
    r"(?:\bacc(?:oun)?t|\ba/c|\bmember|\bsubscriber|\bhealth\s*plan|\bplan\s*id|\bbeneficiary"
    r"|\bmbi|\bhicn|\bclaim|(?:\bpolicy|\binsurance|\bmedicaid|\bmedicare|\brecipient)"
    r"\s*(?:id|no\.?|num(?:ber)?|#))"
    r"[^\d\n]{0,25}?([a-z]{0,4}[0-9][a-z0-9-]*)"
)
# Dates inside file and batch names ("claim file 20241104_batch") are not accounts.
_DATE_TOKEN = re.compile(r"(?:19|20)\d\d(?:-\d\d?-\d\d?|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))")
_MBI = re.compile(
    r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?"
    r"[AC-HJKMNP-RT-Y]{2}\d\d\b",
    re.IGNORECASE,
)
# A payer's name, then (within a few words) a number: "Aetna W182736455", "BCBS
# XYZ123456789", "UHC member 9928110345". The value needs six digits.
_PAYER_ID = re.compile(
    r"\b(?:aetna|cigna|humana|bcbs\w*|blue\s*cross(?:\s*(?:and\s*|&\s*)?blue\s*shield)?"
    r"|anthem|uhc|united\s*health\s*care|unitedhealthcare|optum|medicaid|medicare|masshealth"
    r"|medi-cal|tricare|molina|centene|wellcare|ambetter|highmark|carefirst|emblem\w*|fidelis"
    r"|caresource|amerigroup|health\s*net|kaiser|tufts|harvard\s*pilgrim|geisinger|premera"
    r"|regence|elevance|wellpoint)\b([^\d\n$]{0,30}?)(?<![a-z0-9])([a-z]{0,4}\d[a-z0-9-]*)"
)
# Between the payer and the number, these make it the payer's own number.
_PAYER_GAP_BUSINESS = re.compile(
    r"\b(?:payer|payor|tax|npi|fax|phone|line|call|provider|portal|pays?|paid|ein|group|plan\s*code)\b"
)
_PHONE_LIKE = re.compile(r"\d{3}[\s.-]?\d{3}[\s.-]?\d{4}")
_LICENSE_STATED = re.compile(
    r"(?:(?i:\bdriver['’]?s?\s+lic(?:en[cs]e)?\.?)|\bDLN?\b)"
    r"[^\d\n]{0,25}?((?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{4,})"
)
# A serial number near a device word ("CPAP S/N 2291844", "serial # on her pump").
_SERIAL = re.compile(
    r"(?:\bserial(?:\s*(?:no\.?|num(?:ber)?|#))?|\bs/n|\bsn\b|\budi\b)[\s:#.]*(?:is\s+)?"
    r"([a-z0-9][a-z0-9-]{4,})"
)
_DEVICE_WORD = re.compile(
    r"\b(?:pacemaker|defibrillator|icd|implant|pump|cgm|stimulator|hearing\s+aid|device|bipap"
    r"|cpap|apap|concentrator|ventilator|nebuli[sz]er|glucometer|meter|monitor|dexcom|libre"
    r"|omnipod|tandem|wheelchair|cochlear)"
)
_SERIAL_WINDOW = 60
# A laboratory accession / specimen / requisition number identifies a patient's sample.
_ACCESSION = re.compile(
    r"(?:\baccession|\bacc\.?\s*#|\bspecimen\s*(?:id|no\.?|num(?:ber)?|#)"
    r"|\breq(?:uisition)?\.?\s*(?:id|no\.?|num(?:ber)?|#))"
    r"[\s:#.]*(?:(?:no\.?|num(?:ber)?|#|id)[\s:#.]*)?(?:is\s+)?([a-z0-9][a-z0-9-]{4,})"
)
_DEVICE_STATED = re.compile(
    r"\b(?:pacemaker|defibrillator|icd|implant|pump|cgm|stimulator|hearing\s+aid|device)"
    r"\s+(?:serial(?:\s*(?:no\.?|num(?:ber)?|#))?|s/n|sn|udi|id)[\s:#.]*(?:is\s+)?"
    r"([a-z0-9][a-z0-9-]{5,})"
)
# "95 years" alone is as often a span of time; ages need "old", "yo", "age(d)" or a
# person as the subject.
_AGE_OVER_89 = re.compile(
    r"\b(?:(?:9\d|1[01]\d)\s*-?\s*(?:y/?o\b|y\.o\.|(?:years?|yrs?)[\s-]*old\b)"
    r"|aged?\s*:?\s*(?:9\d|1[01]\d)\b"
    r"|(?:she|he)(?:['’]s|\s+is|\s+was|\s+turned|\s+turns)\s+(?:9\d|1[01]\d)(?![\d.,%])"
    r"(?!\s*(?:percent|min|mins|minutes|lbs?|kg|pounds|mg|ml|degrees|bpm)\b))"
)
_AGE_AFTER_NAME = re.compile(
    r"\b(?:(Mr|Mrs|Ms|Miss|Mx)\.?\s+)?([A-Z][a-z]+)(?:\s+[A-Z][a-z'’-]+)?\s+"
    r"(?:is|was|turned|turns)\s+(?:9\d|1[01]\d)"
    r"(?![\d.,%:])(?!\s*(?:percent|min|mins|minutes|days|lbs?|kg|pounds|mg|ml|degrees|bpm)\b)"
)

# --- dates ---------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_NUMERIC = re.compile(
    r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\w/-]|\.\d)"
)
_DATE_ISO = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\w/-])")
_DATE_WORDS = re.compile(
    rf"\b(?:{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?"
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?(?:\s+(\d{{4}}))?)\b"
)
_DOB_KEYWORD = re.compile(
    r"\b(?:dob|d\.o\.b\b\.?|date\s+of\s+birth|birth\s*date|birthday|b-?day|born)"
)
_DOB_WINDOW_AFTER = 40
_DOB_WINDOW_BEFORE = 15
_OLDEST_BIRTH_YEAR = 1900
# Newer full dates are appointments, deadlines and invoices far more often than births.
_NEWEST_BARE_BIRTH_YEAR = 2010

# --- contact and location ------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+%-])([a-z0-9][a-z0-9._%+-]*)@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_MAILBOX_PARTS = re.compile(r"[._+-]")
_URL_ID = re.compile(
    r"[?&;](?:patient|pt|patient_?id|pid|mrn|dob|ssn|member|member_?id|subscriber"
    r"|subscriber_?id|first_?name|last_?name|full_?name|name|email|phone)=[^&\s#]+"
)
_STREET = re.compile(
    r"(?<![\w$#./:-])\d{1,6}[a-z]?((?:\s+[a-z][a-z'.-]*){1,3}?)\s+"
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|way"
    r"|place|pl|terrace|ter|circle|cir|parkway|pkwy|highway|hwy|square|trail|trl)\b"
)
_SUITE_AFTER = re.compile(r"\W{0,3}(?:suite|ste)\b")
_PO_BOX = re.compile(r"\bp\.?\s*o\.?\s*box\s+\d+")
# States that double as everyday words ("PA 12345" is a prior authorisation) need the
# comma after the city.
_AMBIGUOUS_STATES = frozenset({"PA", "OK", "IN", "OR", "ME", "HI"})
_STATE_ZIP = re.compile(
    r"\b[A-Z][a-z]+(,?)\s+(A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]"
    r"|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s+\d{5}(?:-\d{4})?\b"
)
_ZIP_STATED = re.compile(r"\bzip(?:\s*code)?[\s:#]*\d{5}\b")

# --- people --------------------------------------------------------------------------

# Letters with accents count ("José", "Núñez", "Łukasz").
_UP = UPPER
_LO = LOWER
_NAME = rf"(?:[{_UP}]['’])?[{_UP}][{_LO}][{_UP}{_LO}'’-]*"
_HONORIFIC = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Mister|Rev|Sgt|Capt|Lt|Pastor|Officer)\b\.?\s+({_NAME})"
)
_PATIENT_MARKER = re.compile(
    rf"\b(?i:patient|pt)\b(?i:\s*name)?[\s:,#.-]*(?i:is\s+)?({_NAME})(?:\s+({_NAME}))?"
)
_SELF_INTRO = re.compile(
    rf"\b(?i:(my\s+name\s+is|name\s+is|name:|this\s+is|it['’]s|i\s+am|i['’]m))"
    rf"\s+({_NAME})(?:\s+({_NAME}))?"
)
# Searched only in the last characters of a message, where a signature sits.
_SIGNATURE = re.compile(rf"(?:^|\s)[-–—~]\s*({_NAME})(?:\s+{_NAME})?\s*[.!]?\s*$")
_SIGNATURE_TAIL = 40
# A lookahead so that "Send Maria Lopez" still yields the pair "Maria Lopez".
_FULL_NAME = re.compile(rf"\b(?=([{_UP}][{_LO}]+)\s+(?:[A-Z]\.?\s+)?({_NAME}))")
# What any _FULL_NAME match needs, starting with a character class: the regex engine
# skips to its first letter at C speed, where _FULL_NAME (a lookahead at every word
# boundary) tries each word; most messages have no two capitalised words in a row.
_TWO_CAPITALISED = re.compile(rf"[{_UP}][{_LO}]+\s+(?:[A-Z]\.?\s+)?(?:[{_UP}]['’])?[{_UP}][{_LO}]")
# "(?<!\w.)" after the capital is the word boundary before it: a pattern that begins with
# a character class lets the engine skip to the next capital at C speed.
_CAPITALISED = re.compile(rf"[{_UP}](?<!\w.)[{_LO}]+\b")
# Two capitalised words neither of which is English ("Oluwaseun Adeyemi", "Dragana
# Petković"): the org word after a pair ("Sonic Healthcare") shows a business.
_ORG_AFTER = re.compile(
    r"\s*(?:Hospital|Clinic|Center|Centre|Medical|Health|Healthcare|Pharmacy|Labs?|Imaging"
    r"|Radiology|Urgent|Care|Associates|Group|Street|St|Ave|Avenue|Road|Rd|Inc|LLC|Corp"
    r"|Diagnostics|Pediatrics|Family|Dental|University|College|School|County|City|Park)\b"
)
# Dotted initials ("W.D.", "J. R.") stand for a person; the few that are titles,
# places or clock times are listed.
_INITIALS = re.compile(r"(?<![\w.])([A-Z])\.\s?([A-Z])\.(?:\s?[A-Z]\.)?(?![\w])")
_INITIAL_SURNAME = re.compile(r"(?<![\w.])[A-Z]\.\s?([A-Z][a-zà-ÿ]+(?:['’-][A-Za-zà-ÿ]+)?)\b")
_NOT_INITIALS = frozenset(
    {
        "US",
        "UK",
        "PO",
        "AM",
        "PM",
        "MD",
        "DO",
        "RN",
        "NP",
        "PA",
        "ER",
        "ED",
        "IV",
        "OR",
        "BP",
        "DC",
        "LA",
        "NY",
        "OK",
        "ID",
        "PT",
        "OT",
        "ST",
        "MA",
        "CC",
        "PS",
        "RE",
        "AD",
        "BC",
    }
)
# ICD-10-CM codes with their decimal part ("E11.9", "F32.1", "Z79.4").
_ICD10 = re.compile(r"\b[A-TZ]\d\d\.\d{1,4}[A-Z]?\b")
_PROVIDER_TOKENS = frozenset({"dr", "doctor", "nurse", "np", "pa", "rn", "md", "provider"})
_REPRESENTATIVE_TOKENS = frozenset({"from", "at", "with", "of"})
# A surname on its own is only a person when it is not also a given name ("Ryan").
_LONE_SURNAMES = SURNAMES - FIRST_NAMES
_POSSESSIVE = re.compile(rf"\b({_NAME})['’]s\b")
_FAMILY = re.compile(
    rf"\b[Tt]he\s+({_NAME})\s+(?:baby|kid|kids|boy|girl|twins?|family|child|children"
    r"|infant|newborn|chart)\b"
)
# "Dr. Kim", "Dr. Sarah Kim", "Nurse Lee": providers are not the patient.
_PROVIDER_BEFORE = re.compile(r"(?:\bDr|\bDoctor|\bNurse|\bNP|\bPA|\bRN)\.?\s+(?:[A-Z][a-z]+\s+)?$")
# "Sarah from Quest", "Kevin Holt with Acme": a business introduction, not a patient.
_ORGANISATION_AFTER = re.compile(r"\s*,?\s*(?:from|at|with|of)\s+(?:the\s+)?[A-Z]")
_CLINICAL_PHRASE = re.compile(
    r"\b(?:tested\s+(?:positive|negative)|positive\s+for|negative\s+for|blood\s+(?:sugar|"
    r"pressure|work)|viral\s+load|chest\s+pain|stress\s+test|sleep\s+apnea|heart\s+attack"
    r"|bp\s+\d{2,3}/\d{2,3}|k\+\s*\d)"
)
# "my son ... his arm is swollen": the writer's relative is identified through the
# writer, so clinical content anywhere in the message is about an identified person.
_RELATIVES_AND_POSSESSIVES = RELATIVES | {
    word + suffix for word in RELATIVES for suffix in ("'s", "’s")
}
_PATIENT_TOKENS = frozenset({"patient", "pt", "patient's", "patient’s"})
_FIRST_PERSON_SUBJECTS = frozenset({"i", "i'm", "i’m", "im", "i've", "i’ve"})
# A bare "i" only speaks about the writer's health with one of these verbs after it
# ("I have a UTI"), not "I will draw the CBC".
_FIRST_PERSON_VERBS = frozenset(
    {
        "am",
        "have",
        "had",
        "was",
        "take",
        "took",
        "get",
        "got",
        "think",
        "feel",
        "tested",
        "need",
        "been",
        "keep",
        "started",
        "missed",
        "ran",
        "can't",
        "cant",
        "might",
        "may",
        "just",
        "still",
        "also",
        "really",
        "felt",
        "fell",
        "threw",
        "passed",
        "found",
    }
)
_FIRST_PERSON_WINDOW = 4
# "I'm a patient of Dr Lee": the identified sender discloses a treatment relationship.
_SELF_PATIENT = re.compile(
    r"\b(?:i['’]?m|i\s+am)\s+(?:a|an|the)\s+(?:new\s+|current\s+|former\s+)?patient\b"
)


def detect(text: str, practice: PracticeSettings | None = None) -> frozenset[str]:
    """Return the identifier types found in ``text`` (empty when none).

    With ``practice`` settings, the practice's own identifier formats are identifiers
    too, and its own phone numbers, mailboxes and addresses are never reported.
    """
    if practice is None or practice.empty:
        return _detect(text, learned=True)
    found = practice.identifiers(text)
    return frozenset(found | _detect(practice.without_own_contacts(text), learned=True))


def detect_rules(text: str) -> frozenset[str]:
    """The rules' reasons alone, without the learned second opinion (for its training)."""
    return _detect(text, learned=False)


def _detect(text: str, learned: bool) -> frozenset[str]:
    if not text:
        return frozenset()
    lower = text.lower()
    tokens = _TOKEN.findall(lower)
    token_set = frozenset(tokens)
    # "heart attack from these prices lol": the figure of speech is blanked out and the
    # rest read as usual (once: the blanked text is not searched for figures).
    plain = without_figures(text, lower, token_set)
    if plain is None:
        found = _rules(text, lower, tokens, token_set)
    else:
        plain_lower = plain.lower()
        plain_tokens = _TOKEN.findall(plain_lower)
        found = _rules(plain, plain_lower, plain_tokens, frozenset(plain_tokens))
    # The model reads the message as written, as it was trained.
    return second_opinion(tokens, token_set, found) if learned else found


def _rules(text: str, lower: str, tokens: list[str], token_set: frozenset[str]) -> frozenset[str]:
    keywords: set[str] = set()
    for token in _KEYWORD_TOKENS.intersection(token_set):
        keywords |= _KEYWORD_GROUPS[token]
    runs = _DIGIT_RUN.findall(text)
    found: set[str] = set()
    if runs:
        _detect_numbers(text, lower, runs, keywords, token_set, found)
    if "@" in text:
        _detect_email(lower, token_set, found)
    if "=" in text and _URL_ID.search(lower):
        found.add(URL_WITH_IDENTIFIER)
    checked = _detect_people(text, lower, tokens, token_set, keywords, found)
    found |= detect_health(
        text,
        lower,
        tokens,
        token_set,
        bool(runs),
        # The person tests _detect_people already ran (and found nobody) are not rerun.
        lambda: (
            CLINICAL_WITH_NAME in found
            or (not checked & _STRONG_CHECKED and _strong_person(text, keywords))
            or (not checked & _UNLISTED_CHECKED and _unlisted_person(text, tokens, token_set))
        ),
        # "Hartford CT 06101": a five-digit run may be a ZIP code after a state.
        zip_code=5 in map(len, runs),
    )
    if (
        runs
        and "dos" in token_set
        and _SERVICE_DATE.search(lower)
        and (
            not (PERSON_WORDS - {"i", "i'm", "my"}).isdisjoint(token_set)
            or _NAME_BEFORE_DOS.search(text) is not None
            or _strong_person(text, keywords)
            or _unlisted_person(text, tokens, token_set)
        )
    ):
        # "Jonah Pike DOS 09/12": the date a named person was seen.
        found.add(SERVICE_DATE)
    if (
        runs
        and DATE_OF_BIRTH not in found
        and (_has_old_year(runs) or (len(runs) >= 3 and _short_birth_year(lower)))
    ):
        _detect_old_date(text, lower, token_set, keywords, found)
    if found and found <= _OWN_HEALTH_REASONS and staff_own_health(tokens, token_set):
        # "pulled a muscle at the gym lol", "got my flu shot at lunch, arm is sore": a
        # colleague's own health in staff chat; the v3-v5 writers all label it non-PHI.
        return frozenset()
    return frozenset(found)


# --- numbers -------------------------------------------------------------------------


def _detect_numbers(
    text: str,
    lower: str,
    runs: list[str],
    keywords: set[str],
    token_set: frozenset[str],
    found: set[str],
) -> None:
    lengths = {len(run) for run in runs}
    # Every SSN and phone shape has a four-digit run; stated ones have 4-11 digits.
    if 4 in lengths and _SSN_SHAPE.search(text):
        found.add(SSN)
    if "ssn" in keywords and SSN not in found and _SSN_STATED.search(lower):
        found.add(SSN)
    if 4 in lengths:
        for match in _PHONE_SHAPE.finditer(text):
            if (match.group(1) or match.group(2)) not in _TOLL_FREE and not _is_business_line(
                lower, match.start(), token_set, match.end()
            ):
                found.add(_phone_kind(lower, match.start()))
    if "phone" in keywords and (10 in lengths or 11 in lengths):
        for match in _PHONE_STATED.finditer(lower):
            if match.group(1) not in _TOLL_FREE and not _is_business_line(
                lower, match.start(), token_set, match.end()
            ):
                found.add(_phone_kind(lower, match.start(1)))
    if ("+" in text or "0" in text) and len(runs) >= 3:
        for match in _PHONE_INTERNATIONAL.finditer(text):
            if 9 <= _count_digits(match.group()) <= 15 and not _is_business_line(
                lower, match.start(), token_set, match.end()
            ):
                found.add(_phone_kind(lower, match.start()))
    if "mrn" in keywords and any(
        _count_digits(match.group(1)) >= 4 for match in _MRN_STATED.finditer(lower)
    ):
        found.add(MRN)
    if "account" in keywords and any(
        _looks_like_account(match.group(1)) and not _is_own_account(lower, match.start(), token_set)
        for match in _ACCOUNT_STATED.finditer(lower)
    ):
        found.add(ACCOUNT_NUMBER)
    if "payer" in keywords and any(
        _looks_like_member_id(match.group(1), match.group(2)) for match in _PAYER_ID.finditer(lower)
    ):
        found.add(ACCOUNT_NUMBER)
    # An MBI has digits in four or more separate runs.
    if len(runs) >= 4 and _MBI.search(text):
        found.add(ACCOUNT_NUMBER)
    if "license" in keywords and any(
        _count_digits(match.group(1)) >= 4 for match in _LICENSE_STATED.finditer(text)
    ):
        found.add(LICENSE_NUMBER)
    if "device" in keywords and (
        any(_count_digits(match.group(1)) >= 3 for match in _DEVICE_STATED.finditer(lower))
        or _has_device_serial(lower)
    ):
        found.add(DEVICE_ID)
    if "accession" in keywords and any(
        _count_digits(match.group(1)) >= 5 for match in _ACCESSION.finditer(lower)
    ):
        found.add(ACCESSION_NUMBER)
    if any(len(run) <= 3 and 90 <= int(run) <= 119 for run in runs) and _has_age_over_89(
        text, lower
    ):
        found.add(AGE_OVER_89)
    if ("address" in keywords or 5 in lengths) and _has_address(text, lower, token_set):
        found.add(ADDRESS)
    if "dob" in keywords and _has_dob(lower, _yearless_birthday_counts(lower, token_set)):
        found.add(DATE_OF_BIRTH)


def _is_own_account(lower: str, start: int, token_set: frozenset[str]) -> bool:
    """ "our Labcorp account #", "client account": the practice's account with a vendor."""
    if not _PERSONAL_CUES.isdisjoint(token_set):
        return False
    return _OWN_ACCOUNT_BEFORE.search(lower, max(0, start - 25), start) is not None


def _looks_like_member_id(gap: str, token: str) -> bool:
    if _count_digits(token) < 6 or _DATE_TOKEN.fullmatch(token):
        return False
    if _PHONE_LIKE.fullmatch(token) or _PAYER_GAP_BUSINESS.search(gap):
        return False
    # "Aetna 617-555-0143" and "Aetna 2024-2025" are a phone and a range, not an ID.
    return not (token.count("-") >= 1 and all(len(part) <= 4 for part in token.split("-")))


def _has_device_serial(lower: str) -> bool:
    for match in _SERIAL.finditer(lower):
        if _count_digits(match.group(1)) < 3:
            continue
        start = max(0, match.start() - _SERIAL_WINDOW)
        if _DEVICE_WORD.search(lower, start, match.end() + _SERIAL_WINDOW):
            return True
    return False


def _yearless_birthday_counts(lower: str, token_set: frozenset[str]) -> bool:
    """ "Linda's birthday is 3/4" (no year, no patient) is a staff birthday, not a DOB."""
    if _BIRTHDAY_ONLY.search(lower):
        return True
    return (
        not (_PERSONAL_CUES - _PRONOUNS).isdisjoint(token_set)
        or not CLINICAL_TERMS.isdisjoint(token_set)
        or not ENCOUNTER_TERMS.isdisjoint(token_set)
    )


def _phone_kind(lower: str, start: int) -> str:
    return FAX if "fax" in lower[max(0, start - 20) : start] else PHONE


def _count_digits(token: str) -> int:
    return sum(ch.isdigit() for ch in token)


def _looks_like_account(token: str) -> bool:
    if _DATE_TOKEN.fullmatch(token):
        return False
    digits = _count_digits(token)
    if digits >= 5:
        return True
    # A plain four-digit number after "member"/"claim" is usually a year or a count.
    return digits == 4 and len(token.strip("-")) > 4


def _has_age_over_89(text: str, lower: str) -> bool:
    if _AGE_OVER_89.search(lower):
        return True
    return any(
        match.group(1) or match.group(2) in FIRST_NAMES or match.group(2) in SURNAMES
        for match in _AGE_AFTER_NAME.finditer(text)
    )


def _has_address(text: str, lower: str, token_set: frozenset[str]) -> bool:
    # "our new address is ...", "the office is at ...": the practice's own premises.
    own = _PERSONAL_CUES.isdisjoint(token_set)
    for match in _STREET.finditer(lower):
        if any(word.strip(".'") in STREET_STOPWORDS for word in match.group(1).split()):
            continue
        if _SUITE_AFTER.match(lower, match.end()):
            continue
        if own and _is_own_premises(lower, match.start()):
            continue
        return True
    if "box" in lower:
        for match in _PO_BOX.finditer(lower):
            if not (own and _is_own_premises(lower, match.start())):
                return True
    if "zip" in lower and _ZIP_STATED.search(lower):
        return True
    return any(
        (match.group(1) or match.group(2) not in _AMBIGUOUS_STATES)
        and not (own and _is_own_premises(lower, match.start()))
        for match in _STATE_ZIP.finditer(text)
    )


def _is_own_premises(lower: str, start: int) -> bool:
    return _OWN_ADDRESS_BEFORE.search(lower, max(0, start - 60), start) is not None


# --- whose number is it ------------------------------------------------------------
# A number, address or mailbox introduced as the practice's own or a business's
# ("call the lab at", "our fax is", "vendor support line", "our Labcorp account") is
# not a patient's -- unless the message also points at a patient or the writer.
_BUSINESS_PHONE_BEFORE = re.compile(
    r"\b(?:lab|labs|laboratory|vendor|support|help\s*desk|helpdesk|our|office|main|front\s*desk"
    r"|pharmacy|rep|sales|billing|company|customer\s+service|it|hospital|clinic|radiology"
    r"|imaging|department|dept|line|switchboard|scheduling|payer|insurer|practice|courier"
    r"|answering\s+service|tech|technician|contract|lease|landlord|invoice|quote|w-?9"
    r"|plumber|electrician|contractor|hvac|facilities|maintenance|locksmith|movers?"
    # The practice's public face and its departments: "tell callers to fax", "update the
    # Google listing ... phone", "You've reached Cedar Family Medicine at", "cardiology is
    # changing their fax to", "Dr. Ramirez's cell for on-call is".
    r"|callers|listing|greeting|you(?:['’]ve|\s+have)\s+reached|directory|website|on-?call"
    r"|[a-z]+ology)\b"
)
_BUSINESS_WINDOW = 45
_BUSINESS_AFTER = re.compile(
    r"\b(?:order|orders|delivery|catering|quote|invoice|vendor|rep|support|lease|contract"
    r"|shipment|payment|repair|service\s+call|estimate|reservation|front\s*desk)\b"
)
_BUSINESS_EMAIL_BEFORE = re.compile(
    r"\b(?:rep|representative|vendor|account\s+manager|sales|support|consultant|trainer"
    r"|implementation|technician|tech|engineer|company|our|contact|from|courier|it)\b"
)
_FREE_MAIL = re.compile(
    r"@(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|icloud|me|mac|comcast"
    r"|verizon|att|sbcglobal|bellsouth|charter|cox|proton(?:mail)?|gmx|mail|zoho|yandex)\."
)
_OWN_ADDRESS_BEFORE = re.compile(
    r"\bour\b|\bwe(?:['’]re|\s+are|\s+moved|\s+have\s+moved)\b|\b(?:office|practice|clinic"
    r"|remit|return\s+address|ship\s+(?:it\s+)?to\s+us|mail\s+(?:it\s+)?to\s+us)\b"
)
_OWN_ACCOUNT_BEFORE = re.compile(
    r"\b(?:our|practice['’]?s?|office['’]?s?|clinic['’]?s?|client|the\s+practice['’]s)\b"
)
# Tokens that put a patient, a relative or the writer in the message: then a contact
# line is kept, failing closed.
_PERSONAL_CUES = PERSONAL_CUES
_PRONOUNS = frozenset({"her", "his", "him", "she", "he"})
_BIRTHDAY_ONLY = re.compile(r"\b(?:dob|d\.o\.b|date\s+of\s+birth|birth\s*date|born)")


def _is_business_line(
    lower: str, start: int, token_set: frozenset[str], end: int | None = None
) -> bool:
    if not _PERSONAL_CUES.isdisjoint(token_set):
        return False
    window = lower[max(0, start - _BUSINESS_WINDOW) : start]
    if _BUSINESS_PHONE_BEFORE.search(window) is not None:
        return True
    # "call 978-555-6230 to confirm the catering order": a business's errand.
    return end is not None and (
        _BUSINESS_AFTER.search(lower, end, end + _BUSINESS_WINDOW) is not None
    )


# --- dates ---------------------------------------------------------------------------


def _has_old_year(runs: list[str]) -> bool:
    return any(
        len(run) == 4 and _OLDEST_BIRTH_YEAR <= int(run) <= _NEWEST_BARE_BIRTH_YEAR for run in runs
    )


def _date_spans(lower: str) -> Iterator[tuple[int, int, int | None]]:
    """Yield ``(start, end, four_digit_year_or_None)`` of each plausible date."""
    for match in _DATE_NUMERIC.finditer(lower):
        first, second = int(match.group(1)), int(match.group(3))
        # Either month/day or day/month must be a real calendar position.
        if not (
            (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)
        ):
            continue
        year_text = match.group(4)
        if year_text is None and match.group(2) != "/":
            # "10-2" and "7.8" are ranges and decimals, not dates.
            continue
        year = int(year_text) if year_text and len(year_text) == 4 else None
        yield match.start(), match.end(), year
    for match in _DATE_ISO.finditer(lower):
        if 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(3)) <= 31:
            yield match.start(), match.end(), int(match.group(1))
    for match in _DATE_WORDS.finditer(lower):
        day = match.group(1) or match.group(3)
        if day is None or not 1 <= int(day) <= 31:
            continue
        year_text = match.group(2) or match.group(4)
        yield match.start(), match.end(), int(year_text) if year_text else None


def _has_dob(lower: str, yearless: bool = True) -> bool:
    spans = [(match.start(), match.end()) for match in _DOB_KEYWORD.finditer(lower)]
    if not spans:
        return False
    starts = [start for start, _end in spans]
    ends = [end for _start, end in spans]
    # Bisection keeps a message full of keywords and dates linear, not keywords x dates.
    for start, end, year in _date_spans(lower):
        if not yearless and year is None and not _has_short_year(lower, start, end):
            continue
        before = bisect_left(ends, start - _DOB_WINDOW_AFTER)
        if before < len(ends) and ends[before] <= start:
            return True
        after = bisect_left(starts, end)
        if after < len(starts) and starts[after] <= end + _DOB_WINDOW_BEFORE:
            return True
    return False


def _detect_old_date(
    text: str, lower: str, token_set: frozenset[str], keywords: set[str], found: set[str]
) -> None:
    about_person = (
        not PERSON_WORDS.isdisjoint(token_set)
        or not found.isdisjoint({CLINICAL_WITH_NAME, PATIENT_NAME, CLINICAL_FIRST_PERSON})
        or not CLINICAL_TERMS.isdisjoint(token_set)
        or not ENCOUNTER_TERMS.isdisjoint(token_set)
        or vocabulary_hit(token_set)
        or _strong_person(text, keywords)
        or _weak_person(text)
    )
    if about_person and (
        any(
            year is not None and _OLDEST_BIRTH_YEAR <= year <= _NEWEST_BARE_BIRTH_YEAR
            for _start, _end, year in _date_spans(lower)
        )
        or _short_birth_year(lower)
    ):
        found.add(DATE_OF_BIRTH)


def _has_short_year(lower: str, start: int, end: int) -> bool:
    return (
        lower.count("/", start, end) + lower.count("-", start, end) + lower.count(".", start, end)
        >= 2
    )


def _short_birth_year(lower: str) -> bool:
    """A numeric date with a two-digit year 30-99 ("8/8/38"): a 20th-century birth."""
    for match in _DATE_NUMERIC.finditer(lower):
        year = match.group(4)
        if year is None or len(year) != 2 or int(year) < 30:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        if (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31):
            return True
    return False


# --- e-mail --------------------------------------------------------------------------


def _detect_email(lower: str, token_set: frozenset[str], found: set[str]) -> None:
    # A vendor's contact is "she" too: only a patient, a relative or the writer count.
    personal = not (_PERSONAL_CUES - _PRONOUNS).isdisjoint(token_set)
    for match in _EMAIL.finditer(lower):
        parts = [part for part in _MAILBOX_PARTS.split(match.group(1)) if part]
        if parts and all(part in ROLE_MAILBOX_WORDS for part in parts):
            continue
        # A vendor's contact at the vendor's own domain ("our rep is dana@acme.com");
        # free-mail addresses and any message about a patient or the writer still count.
        if (
            not personal
            and not _FREE_MAIL.search(match.group())
            and _BUSINESS_EMAIL_BEFORE.search(lower, max(0, match.start() - 60), match.start())
        ):
            continue
        found.add(EMAIL)
        return


# --- people --------------------------------------------------------------------------


_SERVICE_DATE = re.compile(r"\bdos\b[\s:#-]*\d{1,2}[/.-]\d{1,2}")
_NAME_BEFORE_DOS = re.compile(rf"\b{_NAME}\s*,?\s+{_NAME}\s*[,:;-]?\s*(?i:dos)\b")
_THIRD_PARTY_NAME = re.compile(r"(?i:\b(?:her|his|their)\s+n?$)")
_STRONG_CHECKED = 1
_UNLISTED_CHECKED = 2


def _detect_people(
    text: str,
    lower: str,
    tokens: list[str],
    token_set: frozenset[str],
    keywords: set[str],
    found: set[str],
) -> int:
    """Find people with clinical content; say which person tests were already run."""
    mentions_patient = not _PATIENT_TOKENS.isdisjoint(token_set)
    if mentions_patient and _has_patient_name(text):
        found.add(PATIENT_NAME)

    positions = _clinical_positions(tokens) if not CLINICAL_TERMS.isdisjoint(token_set) else []
    phrase = "phrase" in keywords and _CLINICAL_PHRASE.search(lower) is not None
    icd = "." in text and _ICD10.search(text) is not None
    strong_clinical = phrase or bool(positions) or icd

    if (strong_clinical and _first_person(tokens, token_set, positions, phrase)) or (
        mentions_patient and _SELF_PATIENT.search(lower)
    ):
        found.add(CLINICAL_FIRST_PERSON)

    if not strong_clinical and ENCOUNTER_TERMS.isdisjoint(token_set):
        return 0
    if _strong_person(text, keywords):
        found.add(CLINICAL_WITH_NAME)
        return _STRONG_CHECKED
    if not strong_clinical:
        return _STRONG_CHECKED
    if _weak_person(text) or _unlisted_person(text, tokens, token_set):
        found.add(CLINICAL_WITH_NAME)
    return _STRONG_CHECKED | _UNLISTED_CHECKED


# Common English words that are not also given or family names.
_ENGLISH = COMMON_ENGLISH - NAMES_LOWER


def _word_is_name_like(word: str) -> bool:
    low = word.lower()
    return len(low) >= 2 and low not in _ENGLISH and low not in COMMON_NOT_NAMES


def _unlisted_person(text: str, tokens: list[str], token_set: frozenset[str]) -> bool:
    """A name the lists do not know: two non-English words, lower case or initials."""
    pairs = _FULL_NAME.finditer(text) if _TWO_CAPITALISED.search(text) else ()
    for match in pairs:
        first, last = match.group(1), _strip_possessive(match.group(2))
        if not (_word_is_name_like(first) and _word_is_name_like(last)):
            continue
        if not _is_name(first) or not _is_name(last):
            continue
        if _is_provider(text, match.start()) or _is_representative(text, match.end(2)):
            continue
        if _ORG_AFTER.match(text, match.end(2)):
            continue
        return True
    if not NAMES_LOWER.isdisjoint(token_set) and _has_lower_name_pair(tokens):
        return True
    if "." in text:
        for match in _INITIALS.finditer(text):
            if match.group(1) + match.group(2) not in _NOT_INITIALS and not _is_provider(
                text, match.start()
            ):
                return True
        # "H. Castellanos": an initial and a surname that is not an English word.
        for match in _INITIAL_SURNAME.finditer(text):
            if _word_is_name_like(_strip_possessive(match.group(1))) and not _is_provider(
                text, match.start()
            ):
                return True
    return False


def _token_is_name_like(token: str) -> bool:
    bare = token.replace("'", "").replace("’", "").replace("-", "")
    return (
        len(bare) >= 2
        and bare.isalpha()
        and token not in _ENGLISH
        and token not in COMMON_NOT_NAMES
    )


def _has_lower_name_pair(tokens: list[str]) -> bool:
    """ "maria gonzalez has ALS": a known given/family name next to another non-word."""
    last = len(tokens) - 1
    for index in range(last):
        first, second = tokens[index], _strip_possessive(tokens[index + 1])
        if first not in NAMES_LOWER and second not in NAMES_LOWER:
            continue
        if not (_token_is_name_like(first) and _token_is_name_like(second)):
            continue
        if index > 0 and tokens[index - 1] in _PROVIDER_TOKENS:
            continue
        if index + 2 <= last and tokens[index + 2] in _REPRESENTATIVE_TOKENS:
            continue
        return True
    return False


def _clinical_positions(tokens: list[str]) -> list[int]:
    """Indexes of clinical tokens that are about a condition, not equipment or stock."""
    # Two tokens ahead so "lipid panel kit" and "flu shot clinic" are seen as stock.
    return [
        index
        for index, token in enumerate(tokens)
        if token in CLINICAL_TERMS and EQUIPMENT_FOLLOWERS.isdisjoint(tokens[index + 1 : index + 3])
    ]


def _first_person(
    tokens: list[str], token_set: frozenset[str], positions: list[int], phrase: bool
) -> bool:
    if "my" not in token_set and _FIRST_PERSON_SUBJECTS.isdisjoint(token_set):
        return False
    starts = [
        at
        for at, token in enumerate(tokens)
        if token == "my"
        or (
            token in _FIRST_PERSON_SUBJECTS
            # "ceftriaxone 500 mg IM": the route, not "I'm".
            and not (token == "im" and at and intramuscular(tokens[at - 1]))
        )
    ]
    last = len(tokens) - 1
    for index in starts:
        if (
            tokens[index] == "my"
            and index < last
            and tokens[index + 1] in _RELATIVES_AND_POSSESSIVES
        ):
            return True
    clinical_at = set(positions)
    if phrase:
        # A phrase spans two tokens; mark both so "my blood sugar" is seen.
        for index in [at for at, token in enumerate(tokens) if token in _PHRASE_KEYWORDS]:
            if EQUIPMENT_FOLLOWERS.isdisjoint(tokens[index + 2 : index + 4]):
                # "blood pressure cuffs", "heart rate monitor": equipment, not the writer.
                clinical_at.update((index, index + 1))
    for index in starts:
        token = tokens[index]
        if token == "my":
            window = range(index + 1, index + 1 + _FIRST_PERSON_WINDOW)
        else:
            if token == "i" and _FIRST_PERSON_VERBS.isdisjoint(tokens[index + 1 : index + 3]):
                continue
            window = range(index + 1, index + 2 + _FIRST_PERSON_WINDOW)
        if not clinical_at.isdisjoint(window):
            return True
    return False


def _is_name(word: str) -> bool:
    return word not in NON_NAMES


def _is_provider(text: str, start: int) -> bool:
    return _PROVIDER_BEFORE.search(text, max(0, start - 25), start) is not None


def _is_representative(text: str, end: int) -> bool:
    return _ORGANISATION_AFTER.match(text, end) is not None


def _has_patient_name(text: str) -> bool:
    for match in _PATIENT_MARKER.finditer(text):
        first, last = match.group(1), match.group(2)
        if _is_name(first) and (
            first in FIRST_NAMES or first in SURNAMES or (last is not None and _is_name(last))
        ):
            return True
    return False


def _strong_person(text: str, keywords: set[str]) -> bool:
    """An explicit reference to a (non-provider) person: honorific, patient, intro..."""
    if "honorific" in keywords and any(
        _is_name(match.group(1)) for match in _HONORIFIC.finditer(text)
    ):
        return True
    if "mrn" in keywords and any(
        _is_name(match.group(1)) for match in _PATIENT_MARKER.finditer(text)
    ):
        return True
    if "intro" in keywords and _has_self_intro(text):
        return True
    signature = _SIGNATURE.search(text, max(0, len(text) - _SIGNATURE_TAIL))
    if signature and _is_name(signature.group(1)):
        return True
    if "family" in keywords and any(_is_name(match.group(1)) for match in _FAMILY.finditer(text)):
        return True
    return _has_full_name(text)


def _has_self_intro(text: str) -> bool:
    for match in _SELF_INTRO.finditer(text):
        first, last = match.group(2), match.group(3)
        if not _is_name(first) or _is_representative(text, match.end()):
            continue
        if _THIRD_PARTY_NAME.search(text, max(0, match.start() - 5), match.start() + 1):
            continue  # "her name is Kim": introducing a colleague, not the writer.
        if "name" in match.group(1).lower() or first in FIRST_NAMES or (last and _is_name(last)):
            return True
    return False


def _has_full_name(text: str) -> bool:
    if _TWO_CAPITALISED.search(text) is None:
        return False
    for match in _FULL_NAME.finditer(text):
        first, last = match.group(1), _strip_possessive(match.group(2))
        # Two capitalised words with a possessive ("Latisha Greene's TSH") read as a
        # person even when neither is a common name; organisations rarely take "'s"
        # in chat ("Quest's" is one word, caught by neither list).
        if not (first in FIRST_NAMES or last in SURNAMES or last != match.group(2)):
            continue
        if not _is_name(first) or not _is_name(last):
            continue
        if _is_provider(text, match.start()) or _is_representative(text, match.end(2)):
            continue
        return True
    return False


def _weak_person(text: str) -> bool:
    """A common name on its own, possessive ("Maria's A1C") or a known surname."""
    if "'s" in text or "’s" in text:
        for match in _POSSESSIVE.finditer(text):
            name = match.group(1)
            if (name in FIRST_NAMES or name in SURNAMES) and not _is_provider(text, match.start()):
                return True
    for match in _CAPITALISED.finditer(text):
        if (
            match.group() in _LONE_SURNAMES
            and not _is_provider(text, match.start())
            and not _is_representative(text, match.end())
        ):
            return True
    return False


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word
