"""Figures of speech that borrow health words, and the plain health they must not hide."""

from __future__ import annotations

import pytest

from bridge.classify import classify_text
from bridge.classify.figurative import without_figures
from bridge.policy.category import ContentCategory

# Jokes and idioms of a practice's staff: no one's health is disclosed.
FIGURES: list[str] = [
    "our wifi has chronic fatigue syndrome",
    "the copier has been coughing all day, I think it's contagious",
    "that quarterly review was brutal, I need therapy after this",
    "heart attack from these prices lol, who approved this invoice",
    "I nearly had a heart attack when I saw the water bill",
    "This schedule is giving me a migraine haha",
    "this EHR is going to give me a stroke",
    "This spreadsheet is a total headache, whoever built it owes me",
    "Bob's jokes are a pain in the neck but at least he brings donuts",
    "I'm allergic to Mondays",
    "My coffee addiction is a medical condition at this point",
    "That webinar was so boring I nearly slipped into a coma",
    "I'm sick of the parking situation",
    "Lol this inbox is giving me heartburn",
    "If I hear that hold music one more time I'm going to have an aneurysm",
    "The phones are killing me today, it's nonstop",
]

# The same words said of someone's body, and health said plainly beside a figure.
PLAIN: list[str] = [
    "the fax is down, Mrs. Lee has a fever",
    "I need therapy after the accident, can you refer me?",
    "I had a heart attack in March and need my cardiology follow-up",
    "the new blood pressure pill is giving me a headache",
    "I'm allergic to penicillin, can you send something else?",
    "Your migraine should ease once the sumatriptan kicks in",
    "heart attack from these prices lol. Also your A1C came back at 9.1",
    "Mr. Haddad had a stroke last night, his daughter called",
    "my migraines are back, 3 this week",
    # An annoyance caused by something ordinary is still a symptom; only events such
    # as a heart attack are figures when caused by a bill.
    "I get a headache from the screen at work",
    "my anxiety from work is getting worse",
    "my daughter's school is giving her anxiety",
    "the new antidepressant is giving me anxiety",
    "she had a stroke when she saw the bill",
    "I was in a car accident yesterday and my neck is killing me",
    "my allergies are killing me today lol",
]


@pytest.mark.parametrize("text", FIGURES)
def test_figures_of_speech_are_not_phi(text: str) -> None:
    assert classify_text(text).category is ContentCategory.NON_PHI


@pytest.mark.parametrize("text", PLAIN)
def test_health_said_plainly_is_still_phi(text: str) -> None:
    assert classify_text(text).category is ContentCategory.PHI


def test_blanking_keeps_the_rest_of_the_text_in_place() -> None:
    text = "heart attack from these prices lol, call 617-555-0143"
    lower = text.lower()
    blanked = without_figures(text, lower, frozenset(lower.replace(",", " ").split()))
    assert blanked is not None
    assert len(blanked) == len(text)
    assert blanked.endswith(", call 617-555-0143")
    assert "heart" not in blanked


def test_no_trigger_word_costs_no_search() -> None:
    text = "Lunch is here! Thai food in the break room"
    lower = text.lower()
    assert without_figures(text, lower, frozenset(lower.split())) is None
