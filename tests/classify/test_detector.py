"""The identifier detector: each identifier type found, and the look-alikes left alone."""

from __future__ import annotations

import re

import pytest

from bridge.classify import IDENTIFIER_TYPES, detect

POSITIVES: list[tuple[str, str]] = [
    # ssn
    ("ssn", "SSN on file is 512-44-8731"),
    ("ssn", "she gave 078 05 1120 at check-in"),
    ("ssn", "ss number 431.90.2265 per the card"),
    ("ssn", "Social security number ends in 4471"),
    ("ssn", "Her SSN is 123456789"),
    ("ssn", "john_smith_ssn_123-45-6789.pdf"),
    # accession_number
    ("accession_number", "specimen ID LC88210394 rejected"),
    ("service_date", "Remit: Jonah Pike DOS 09/12 allowed $96.40"),
    # mrn
    ("mrn", "can you check MRN 00482913?"),
    ("mrn", "MRN#A0029913 is a duplicate chart"),
    ("mrn", "Chart ID 1002938 belongs to the other twin"),
    ("mrn", "patient # 448812 needs a callback"),
    ("mrn", "medical record number: 5530021"),
    # account_number
    ("account_number", "Member ID: XGH448192003 for the claim that bounced"),
    ("account_number", "claim #2024-118843 was denied"),
    ("account_number", "acct 300218847 has a balance"),
    ("account_number", "policy number AET-88291034"),
    ("account_number", "Medicaid ID 9XK22018U7"),
    ("account_number", "the Medicare number is 1EG4-TE5-MK73"),
    ("account_number", "Subscriber ID W2849001174"),
    # date_of_birth
    ("date_of_birth", "DOB 04/12/1958"),
    ("date_of_birth", "d.o.b. 9/9/84"),
    ("date_of_birth", "date of birth is 1980-05-17"),
    ("date_of_birth", "She was born on March 14, 1962"),
    ("date_of_birth", "her birthday is June 3rd 1977"),
    ("date_of_birth", "DOB 3.8.1989"),
    ("date_of_birth", "born the 4th of July 1958"),
    ("date_of_birth", "he called, 03/14/1962 is what he gave us"),
    # phone / fax
    ("phone", "Her cell is (617) 555-0143"),
    ("phone", "reach me at 508.555.2291 after 5"),
    ("phone", "call back at 401 555 7734"),
    ("phone", "his mobile 2125550187, prefers text"),
    ("phone", "+1 617-555-0190 is her number"),
    ("fax", "fax 413-555-0161 to cardiology"),
    # email
    ("email", "Patient email is dlawson82@gmail.com"),
    ("email", "send to t.okonkwo@outlook.com"),
    ("email", "her email is dana.k@acmebilling.com"),
    # address
    ("address", "Send the records to 1432 Maple Ave, Apt 3"),
    ("address", "I'm at 77 Brookside Rd, Framingham"),
    ("address", "Statements go to PO Box 4412"),
    ("address", "Brooklyn, NY 11203"),
    ("address", "zip 02139"),
    # age_over_89
    ("age_over_89", "the 93-year-old in room 12"),
    ("age_over_89", "91 yo male"),
    ("age_over_89", "aged 95"),
    ("age_over_89", "She is 94 and lives alone"),
    ("age_over_89", "Mrs. Goldstein is 101 today"),
    # license / device / url
    ("license_number", "Driver's license S530-4412-8890 scanned"),
    ("license_number", "Her DL is on file: K22-883-190-441"),
    ("device_id", "Pacemaker serial PJN604118S for the interrogation"),
    ("device_id", "insulin pump ID is 7G3K88214"),
    ("url_with_identifier", "https://portal.example.com/chart?patient_id=4471&view=1"),
    # people
    ("clinical_with_name", "Mrs. Alvarez called, her A1C came back at 9.4"),
    ("clinical_with_name", "Tom Reilly tested positive for strep"),
    ("clinical_with_name", "Mr. Okafor's potassium was 6.2"),
    ("clinical_with_name", "Jennifer's lithium level is 1.6"),
    ("clinical_with_name", "The Ortega baby's bilirubin was 14.1"),
    ("clinical_with_name", "Mrs. Iverson's appointment got moved to Thursday"),
    ("clinical_with_name", "Hi this is Kevin Ng, I think I have a UTI again"),
    ("clinical_with_name", "I can't take the ibuprofen, what should I do? - Keisha"),
    ("clinical_with_name", "Latisha Greene's TSH is 0.02"),
    ("clinical_first_person", "My blood sugar was 310 this morning"),
    ("clinical_first_person", "I'm pregnant and worried"),
    ("clinical_first_person", "my son was stung and his arm is swollen"),
    ("clinical_first_person", "im a patient of dr lee"),
    ("patient_name", "patient Derek Summers called to cancel"),
    ("patient_name", "Our patient Grace Lin called"),
    # health information about the reader, another person, an age and sex
    ("health_to_reader", "Your cardiology follow-up is on Tuesday"),
    ("health_about_person", "her biopsy came back malignant"),
    ("health_with_demographics", "58 yo M with crushing chest pain"),
    # Obstetric and optical notation: weeks+days of a pregnancy, a lens prescription.
    ("health_with_demographics", "Ms. Okoro 37+5, cervix 2/50/-2, GBS neg"),
    ("clinical_with_name", "Mr. Lutz is -1.75 OD, -2.00 OS, first pair of glasses"),
    # health_learned: no rule links the CGM to the girl; the learned second opinion does.
    ("health_learned", "dexcom sensors denied for the Patel girl, they want logs showing lows"),
]

NEGATIVES: list[str] = [
    "we have 30+5 extra chairs for the health fair",
    "invoice #12345678 is past due",
    "call me Tuesday at 10",
    "meeting at 3:30",
    "ticket 4521 is fixed",
    "version 2.10.4 of the client",
    "order 99812 shipped",
    "Gloves are $12.49 a box, up from $10.99",
    "Room 204 needs paper",
    "flu shots arrive Monday",
    "the A1C machine is down",
    "ask Maria to restock gloves",
    "billing@acmebilling.com handles remittance",
    "noreply@epic.com sent a reset, and so did front.desk@clinic.example",
    "Our support line is 1-800-555-0142",
    "Can you call me back at extension 4412?",
    "I'll call you on 555-0199",
    "Our NPI is 1427389012",
    "Tax ID for the practice is 04-3312876",
    "Contract renewal is due 01/15/2026",
    "Remind me, is the booster clinic 10-2 or 11-3?",
    "The fridge logged 2.1°C to 7.8°C overnight",
    "Medicare 2025 changes are posted",
    "policy 2024-07 was updated",
    "member since 2019",
    "Received claim file 20241104_batch.835",
    "give 2 units to Dr Lee",
    "we drove 20 minutes each way",
    "Reply with our address: 400 Commerce Drive, Suite 200",
    "PA 12345 approved",
    "Dr. Sarah Kim reviewed the MRI",
    "Sarah from Quest says CBC turnaround is 6 hours",
    "Maria Lopez from Labcorp says the CBC tubes changed",
    "Pharmacy rep Kevin Holt will bring the new Jardiance samples",
    "Please ask Kimberly Chen if the lipid panel kit arrived",
    "Ryan will draw the CBC",
    "I will draw the CBC at 9",
    "Boston Children's MRI wait is 6 weeks now",
    "Dr. Okoye will present on diabetic retinopathy Thursday",
    "she is 95% sure",
    "95 years of experience",
    "signed 06/01/2009",
    "she was born in 1962",
    "https://docs.example.com/?page=2",
    "IP 203.0.113.5 is the VPN endpoint",
    "Who's bringing cake for Linda's birthday Friday?",
    "",
]


@pytest.mark.parametrize(("kind", "text"), POSITIVES)
def test_identifier_found(kind: str, text: str) -> None:
    assert kind in detect(text)


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alike_not_reported(text: str) -> None:
    assert detect(text) == frozenset()


def test_every_identifier_type_has_a_positive_case() -> None:
    # practice_identifier comes only from a practice's own patterns (test_practice.py).
    assert {kind for kind, _ in POSITIVES} == IDENTIFIER_TYPES - {"practice_identifier"}


@pytest.mark.parametrize(("kind", "text"), POSITIVES)
def test_result_names_types_never_text(kind: str, text: str) -> None:
    found = detect(text)
    assert found <= IDENTIFIER_TYPES
    for run in re.findall(r"\d{2,}", text):
        assert not any(run in reason for reason in found)


def test_toll_free_numbers_are_business_lines() -> None:
    for area in ("800", "833", "844", "855", "866", "877", "888"):
        assert detect(f"call {area}-555-0100") == frozenset()
    assert detect("call 617-555-0100") == {"phone"}


def test_never_issued_ssn_ranges_are_not_ssns() -> None:
    for number in ("000-12-3456", "666-12-3456", "123-00-4567", "123-45-0000"):
        assert "ssn" not in detect(f"number {number} on the form")


def test_bare_old_date_needs_a_person() -> None:
    assert detect("signed 06/01/2009") == frozenset()
    assert detect("he signed on 06/01/2009") == {"date_of_birth"}
    # Recent dates are appointments and deadlines, whoever is in the sentence.
    assert detect("her visit is 11/20/2026") == frozenset()


# Second tuning round: names the lists do not know, more identifier forms, and the
# business contact lines that are not a patient's.
ROUND_THREE_POSITIVES: list[tuple[str, str]] = [
    ("clinical_with_name", "lab called w/ critical K+ 6.9 on Oluwaseun Adeyemi"),
    ("clinical_with_name", "Dragana Petrović tested positive for chlamydia"),
    ("clinical_with_name", "maria gonzalez has ALS"),
    ("clinical_with_name", "Nguyễn Thị Hương called about the hep C results"),
    ("clinical_with_name", "Dx F32.1 for Bogdan Kravets"),
    ("clinical_with_name", "J.K. relapsed on heroin over the weekend"),
    ("clinical_first_person", "im pregnant and spotting"),
    ("date_of_birth", "W.D. 8/8/38 - hospice"),
    ("ssn", "SSN 219099999 for the new intake"),
    ("ssn", "her social is 078051120"),
    ("account_number", "Aetna W182736455 for the auth"),
    ("account_number", "BCBS XYZ123456789 terminated"),
    ("account_number", "Medicaid recipient ID 00441928371"),
    ("account_number", "Medicare MBI 1eg4-te5-mk73"),
    ("device_id", "CPAP S/N 22184790112 on the DME order"),
    ("accession_number", "Quest accession 24-118273664 hemolyzed"),
    ("phone", "her cell is 054-555-1234"),
    ("phone", "reach her at +44 20 7946 0958"),
    ("phone", "his son: +91 98765 43210"),
]

ROUND_THREE_NEGATIVES: list[str] = [
    "call the lab at 617-555-0100 if the courier is late",
    "our fax is 617-555-0199, update the template",
    "vendor support line is (508) 555-0147",
    "our rep at Dexcom is dana.kerr@dexcom.example, she can bring samples",
    "our new office address is 100 Main St, Springfield MA 01101",
    "our Labcorp account #40219983 needs the new NPI",
    "Linda's birthday is 3/4, cake at noon",
    "Aetna payer ID 60054 on the clearinghouse setup",
    "ICD-10 E11.9 is the default for the diabetes template",
    "Los Angeles office switched EHRs",
]


@pytest.mark.parametrize(("kind", "text"), ROUND_THREE_POSITIVES)
def test_round_three_identifier_found(kind: str, text: str) -> None:
    assert kind in detect(text)


@pytest.mark.parametrize("text", ROUND_THREE_NEGATIVES)
def test_round_three_business_lines_not_reported(text: str) -> None:
    assert detect(text) == frozenset()


def test_business_line_with_a_patient_still_fails_closed() -> None:
    assert "phone" in detect("call the lab at 617-555-0100 about her potassium")
    assert "email" in detect("our rep, her personal is dana@gmail.com")
    assert "date_of_birth" in detect("patient's birthday is 3/4")


# A colleague's own health told at work is staff talk; the same words from a patient
# asking for care (or about someone else) stay PHI.
@pytest.mark.parametrize(
    "text",
    [
        "got my flu shot at lunch today, arm is so sore",
        "I'm calling out today, fever and chills, will update",
        "sprained my wrist this weekend so I'll be slow at the front desk",
    ],
)
def test_staff_own_health_at_work_is_not_phi(text: str) -> None:
    assert detect(text) == frozenset()


@pytest.mark.parametrize(
    "text",
    [
        "I sprained my wrist, can I come in today?",
        "my son has a fever, he missed lunch at school",
        "I'm out of my lisinopril, can you send a refill",
    ],
)
def test_own_health_asking_for_care_stays_phi(text: str) -> None:
    assert detect(text)
