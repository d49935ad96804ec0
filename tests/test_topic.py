"""The off-topic check and the story suggestion (issue 17, items 3 and 4), on answers written for them
by writers who never saw the code (tests/data/*_dev.json, *_test.json; writer and brief inside)."""

from __future__ import annotations

import pytest

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.analysis.stories import answer_sentences
from app.analysis.topic import concept_of, off_topic
from app.bank.questions import Bank, builtin_bank_path, load_bank
from bench.practice_aids import _load, story_figures, topic_figures


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_path())


def test_no_reference_answer_in_the_bank_is_called_off_topic(bank: Bank) -> None:
    told = [q.id for q in bank.questions if off_topic(q.question, [t for t, _ in answer_sentences(q)])]
    assert told == []
    assert sum(concept_of(q.question) is not None for q in bank.questions) >= 10  # it checks something


def test_a_deadline_story_told_for_a_disagreement_question_is_said_gently_first(bank: Bank) -> None:
    """Written for this test."""
    text = (
        "So last March our biggest client moved their launch forward by ten days. "
        "I was the project coordinator, so it fell to me to get the brochures printed in time. "
        "I split the print run between two suppliers and I checked the proofs every evening myself. "
        "The brochures arrived two days early and the launch went ahead without a hitch. "
        "What I took from it is to always have a second supplier ready."
    )
    a = analyze(sent.from_text(text), bank, bank.by_id("q08"))
    assert a.points[0].rule == "off_topic"
    assert "It asks about a disagreement" in a.points[0].message
    same = analyze(sent.from_text(text), bank, bank.by_id("q09"))  # the question it does answer
    assert all(p.rule != "off_topic" for p in same.points)


def test_on_topic_development_answers_are_almost_never_flagged_and_off_topic_ones_often() -> None:
    """The check by meaning was chosen to flag at most 4 % of on-topic development answers (issue 25)."""
    sets = [
        topic_figures(_load(n))
        for n in ("offtopic_dev", "offtopic_dev2", "offtopic_dev3", "offtopic_dev_old_test")
    ]
    on, alarms = sum(f["on_n"] for f in sets), sum(f["false_alarms"] for f in sets)
    off, caught = sum(f["off_n"] for f in sets), sum(f["flagged"] for f in sets)
    assert alarms / on <= 0.04, (alarms, on)
    assert caught / off >= 0.3, (caught, off)


def test_the_suggested_story_is_rarely_another_one(bank: Bank) -> None:
    """Blind test answers (two candidates, twelve stories, 44 answers): the app names a wrong story
    for at most one answer in ten, first telling or after the person linked one answer per story."""
    data = _load("story_test")
    for learned in (False, True):
        figures = story_figures(data, learned)
        assert figures["wrong"] <= 0.1, figures
        assert figures["right"] > figures["wrong"], figures
