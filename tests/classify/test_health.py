"""Health information and who it is about: each kind of subject, and practice talk."""

from __future__ import annotations

import pytest

from bridge.classify import classify_text, detect
from bridge.policy.category import ContentCategory

# (reason, message): health information linked to an identifiable person.
LINKED: list[tuple[str, str]] = [
    # the reader
    ("health_to_reader", "Your strep test came back positive"),
    ("health_to_reader", "your A1C was 8.1 this time"),
    ("health_to_reader", "Since you tested positive for COVID, isolate for 5 days"),
    ("health_to_reader", "You should stop taking the ibuprofen for now"),
    ("health_to_reader", "Take one 20 mg prednisone tablet twice a day"),
    ("health_to_reader", "Keep the incision dry for 48 hours"),
    ("health_to_reader", "Colonoscopy prep for you: clear liquids tomorrow"),
    ("health_to_reader", "The psychiatry intake you asked about is Wednesday"),
    ("health_to_reader", "You're scheduled for your second hepatitis B shot on Friday"),
    ("health_to_reader", "The dermatologist wants to biopsy the spot on your shoulder"),
    # a named person: first name, surname, unlisted name, title and surname
    ("clinical_with_name", "Priya's PHQ-9 was 18 today"),
    ("clinical_with_name", "Marcus is in withdrawal, CIWA 16"),
    ("clinical_with_name", "Okonjo's troponin is trending up"),
    ("clinical_with_name", "Rourke in bed 4 is febrile"),
    ("clinical_with_name", "Mrs. Hadley scored 17 on the GAD-7"),
    ("clinical_with_name", "Kenji is 2 days post-op and has a fever"),
    # another person, by pronoun
    ("health_about_person", "he tested positive for flu A this morning"),
    ("health_about_person", "She's on day 3 of Paxlovid and still feels awful"),
    # an age and a sex
    ("health_with_demographics", "62F presenting w/ SOB and leg edema"),
    ("health_with_demographics", "a 45-year-old man with new-onset seizures"),
    ("health_with_demographics", "6 mo girl with fever for 3 days"),
    # the writer or the writer's relative
    ("clinical_first_person", "my wife started having contractions"),
    ("clinical_first_person", "I'm 31 weeks and the baby is quiet today"),
    ("clinical_first_person", "I keep getting UTIs"),
    # an injury done to a body part just named
    ("clinical_first_person", "I think I twisted my knee on the stairs"),
    ("health_about_person", "she cut her finger on a broken glass"),
    # an obstetric history on its own, care then whom it is for, a life-support patient
    ("health_with_demographics", "27 F, G1P0, 36 weeks, headache and swelling"),
    ("health_about_person", "we set up palliative care for their mom"),
    ("health_about_person", "She's been on life support since Sunday"),
]

# Practice talk full of health words, staff doing clinical work, "you" said to staff,
# vendors, scheduling without medical context, populations.
NOT_LINKED: list[str] = [
    "Your visit is Tuesday at 10 AM, reply C to confirm",
    "Your appointment has been moved to Friday at 11",
    "Your statement is ready in the portal",
    "Your order of quadrivalent flu vaccine ships Thursday",
    "Can you restock the insulin syringes in room 2?",
    "Do you have the flu vaccine consent forms in Spanish?",
    "If you get a call about chest pain, tell them to dial 911",
    "Maria will run the A1C clinic on Tuesday",
    "Kim will teach the insulin pump class on the 12th",
    "Carlos is covering the colonoscopy schedule",
    "Priya's cardiology rotation ends Friday",
    "Jen has the biopsy trays ready in room 4",
    "New guideline: start a statin when LDL is over 190",
    "Our physical therapy partner moved to 40 Elm, Suite 3",
    "We see a lot of 50-year-old men skipping colonoscopy screening",
    "Flu season is starting early, wash your hands",
    "The depression screening rate is at 71%",
    "Take the vaccine cooler to room 5 please",
    "Use the new PHQ-9 form starting Monday",
    "Dr. Lee is on call for OB tonight",
    # rules for staff, teaching, news: "you" is any colleague
    "If you have a cough you should not come to work, stay home",
    "When you collect blood cultures, label both bottles at the bedside",
    "Did you hear the governor had a stroke? It was on the radio",
    "I broke my phone screen again",
    "we ordered lunch for their dad's retirement party",
]


@pytest.mark.parametrize(("reason", "text"), LINKED)
def test_health_information_about_a_person(reason: str, text: str) -> None:
    assert reason in detect(text)
    assert classify_text(text).category is ContentCategory.PHI


@pytest.mark.parametrize("text", NOT_LINKED)
def test_health_words_without_a_person(text: str) -> None:
    assert detect(text) == frozenset()


def test_health_information_wins_over_nophi() -> None:
    result = classify_text("#nophi your biopsy came back benign")
    assert result.category is ContentCategory.PHI
    assert "declaration_overridden" in result.reasons


def test_reasons_are_rule_names_not_text() -> None:
    for _reason, text in LINKED:
        for reason in detect(text):
            assert reason.replace("_", "").isalpha()
            assert reason not in text.lower()


# Vocabulary breadth (session 5b): MeSH body parts, devices and procedures, kinship and lay
# injury talk each flag a person's health; the same words in stock, IT and idioms do not.
_LAY_PHI = [
    "Mom rolled her ankle on the stairs last night and it's purple and huge",
    "hi it's Terrence, I threw out my back lifting the dryer and can't stand straight",
    "I pulled a muscle in my groin at soccer, it hurts to walk",
    "Great-aunt Lucille's hearing aid battery door snapped and she can't hear anything",
    "my sister-in-law's stent is bothering her again",
    "my stepdad's walker broke and he fell in the bathroom",
    "her tongue has been numb since the extraction",
    "my grandkids both have a throbbing earache",
    "her laminectomy is scheduled for next month",
    "your wisdom tooth extraction is Monday, no food after midnight",
    "the school nurse said my son's eyes are crossing when he reads",
]
_LAY_CLEAN = [
    "We're out of knee braces in size medium, can someone order two boxes?",
    "Walker and cane inventory count is due Friday",
    "Who rolled the wheelchair out to the parking lot? we need it in lobby",
    "Has anyone seen my stethoscope? left it in exam 6",
    "Please don't twist the cables behind the X-ray console, it broke last time",
    "The stent rep left samples of the catalog in the break room",
    "Grandparents day event in the lobby is cancelled this year",
    "we have tissues and canes in the supply closet",
    "the data extraction for the quality report runs tonight",
    "careful crossing the parking lot, it's icy",
]


@pytest.mark.parametrize("text", _LAY_PHI)
def test_lay_health_vocabulary_is_phi(text: str) -> None:
    assert classify_text(text).category == ContentCategory.PHI


@pytest.mark.parametrize("text", _LAY_CLEAN)
def test_lay_health_lookalikes_stay_clean(text: str) -> None:
    assert classify_text(text).category == ContentCategory.NON_PHI
