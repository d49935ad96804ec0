"""Section states and corrections: an unsure section is said as such, a section told late is an order
problem, a stated lesson is never "no reflection", and a label the person corrects changes everything
that follows from it, is saved with the attempt and is shown again on replay."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.analysis import sentences as sent
from app.analysis.analyze import Analysis, analyze, from_record, relabel, to_record
from app.analysis.sections import SectionFinding, judge, with_lesson
from app.analysis.types import Label
from app.bank.questions import Bank, builtin_bank_path, load_bank
from app.history import Store
from app.schedule.grades import grade_of
from tests.test_store import make_result, write_wav

# Written for this test: a night-shift story whose task is remembered after the actions.
LATE_TASK = [
    "So last spring I was running the night shift at a parcel depot outside Leeds.",
    "Our sorting machine kept jamming around two in the morning and trucks were leaving late.",
    "I started logging every jam on a clipboard with the time and the parcel type.",
    "Then I sat down with the maintenance guy and we went through two weeks of notes.",
    "We found it was always the oversized boxes from one client, so I set up a separate hand-sort lane.",
    "Oh, and I should say, my manager had asked me to get the trucks out on time before peak season.",
    "So it was basically my job to fix the late departures.",
    "After three weeks the jams dropped from about six a night to one, and every truck left on time.",
    "It taught me that writing things down beats guessing.",
]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_path())


def _analyse(bank: Bank, lines: list[str]) -> Analysis:
    return analyze(sent.from_text("\n".join(lines), lines=True), bank, bank.by_id("q01"))


def test_a_task_told_after_the_actions_is_an_order_problem_not_a_missing_task(bank: Bank) -> None:
    a = _analyse(bank, LATE_TASK)
    labels = [s.section for s in a.sentences]
    assert labels[5:7] == ["task", "task"]
    assert "task" not in a.missing
    assert any(p.startswith("task after") for _, p in a.order_problems)
    order = next(p for p in a.points if p.rule == "order")
    assert "Say your task before your actions" in order.message
    assert not any(p.rule == "missing_task" for p in a.points)


def test_an_unsure_section_names_the_sentence_that_comes_closest() -> None:
    import numpy as np

    labels: list[Label] = ["situation", "action", "action", "result"]
    scores = np.log(np.full((4, 6), 1 / 6))
    scores[2, 1] = np.log(0.4)  # sentence 2 is the likeliest task
    states = {f.section: f for f in judge(labels, scores, [0.99, 0.6, 0.99, 0.99, 0.1])}
    assert states["task"].state == "unclear" and states["task"].closest == 2
    assert states["reflection"].state == "missing"
    assert states["situation"].state == "present"


def test_an_unsure_section_with_no_likely_sentence_names_none() -> None:
    import numpy as np

    labels: list[Label] = ["situation", "task", "action", "result"]
    scores = np.log(np.full((4, 6), 0.19))  # no sentence gives the lesson 0.2
    (f,) = (f for f in judge(labels, scores, [0.99, 0.99, 0.99, 0.99, 0.6]) if f.section == "reflection")
    assert f.state == "unclear" and f.closest is None


def test_a_stated_lesson_is_never_no_reflection() -> None:
    findings = (SectionFinding("reflection", "missing", None, 0.1),)
    (f,) = with_lesson(findings, 7)
    assert f.state == "unclear" and f.closest == 7


def test_a_corrected_label_updates_sections_timing_and_feedback_at_once(bank: Bank) -> None:
    lines = [*LATE_TASK[:5], LATE_TASK[7]]  # no task, no lesson
    a = _analyse(bank, lines)
    assert a.timing.sections["task"].seconds == 0
    b = relabel(a, 4, "task", bank.by_id("q01"))
    assert b.sentences[4].section == "task" and b.corrections == ((4, "task"),)
    assert "task" not in b.missing and not any(f.section == "task" for f in b.unclear)
    assert b.timing.sections["task"].seconds > 0
    assert not any(p.rule.endswith("_task") for p in b.points)
    assert b.model_sections == tuple(s.section for s in a.sentences)
    back = relabel(b, 4, a.sentences[4].section, bank.by_id("q01"))
    assert back.corrections == () and [s.section for s in back.sentences] == [s.section for s in a.sentences]


def test_the_record_round_trips_exactly(bank: Bank) -> None:
    a = relabel(_analyse(bank, LATE_TASK), 0, "other", bank.by_id("q01"))
    again = from_record(to_record(a))
    assert again == a
    assert from_record({"version": 1, "analysis": {}}) is None
    assert from_record({"version": 2, "analysis": {"sentences": "damaged"}}) is None


def test_a_correction_is_saved_with_the_attempt_and_learnt_from(tmp_path: Path, bank: Bank) -> None:
    result = make_result(write_wav(tmp_path / "take.wav"))
    assert result.analysis is not None
    with Store.open() as store:
        attempt = store.save_attempt(result.for_history(), keep_audio=False)
        assert store.corrected_answers() == []
        corrected = relabel(result.analysis, 0, "task", result.question)
        store.save_analysis(attempt, corrected, grade=1)  # graded by the caller: the history stores it
        record = store.attempt(attempt)
        assert record.record is not None and from_record(record.record) == corrected
        assert record.summary.missing == corrected.missing
        assert [r.grade for r in store.reviews()["q08"]] == [1]
        store.save_analysis(attempt, corrected)  # no grade given: the one saved stays
        assert [r.grade for r in store.reviews()["q08"]] == [1]
        store.grade_with = grade_of  # as app.services opens it: the screens' corrections are graded
        store.save_analysis(attempt, corrected)
        assert [r.grade for r in store.reviews()["q08"]] == [grade_of(corrected)] != [1]
        ((attempt_id, pairs),) = store.corrected_answers()
        assert attempt_id == attempt and pairs[0] == (corrected.sentences[0].text, "task")


def test_feedback_screen_relabels_a_sentence_by_keyboard(qtbot: QtBot, tmp_path: Path, bank: Bank) -> None:
    """Tab to a sentence and press T: the summary and the timeline follow, the focus stays there."""
    from ui.practice.feedback_view import FeedbackView
    from ui.practice.relabel import focus_sentence, focused_sentence

    result = make_result(write_wav(tmp_path / "take.wav"))
    assert result.analysis is not None
    view = FeedbackView(None)
    qtbot.addWidget(view)
    view.show_result(result)
    view.show()

    def apply(i: int, section: str) -> None:
        assert view.result is not None and view.result.analysis is not None
        fixed = relabel(view.result.analysis, i, section, result.question)  # type: ignore[arg-type]
        view.show_corrected(replace(view.result, analysis=fixed), i)

    view.relabelled.connect(apply)
    view.transcript.setFocus()
    focus_sentence(view.transcript, 3)
    assert focused_sentence(view.transcript) == 3
    before = view.result.analysis.sentences[3].section if view.result and view.result.analysis else None
    target: Label = "reflection" if before != "reflection" else "result"
    key = Qt.Key.Key_L if target == "reflection" else Qt.Key.Key_R
    with qtbot.waitSignal(view.relabelled):
        qtbot.keyClick(view.transcript, key)
    assert view.result is not None and view.result.analysis is not None
    assert view.result.analysis.sentences[3].section == target
    assert view.result.analysis.corrections == ((3, target),)
    assert "1 label(s) set by you" in view.summary.text()
    assert focused_sentence(view.transcript) == 3


def test_a_new_answer_opens_the_feedback_at_its_top(qtbot: QtBot, tmp_path: Path) -> None:
    from ui.practice.feedback_view import FeedbackView

    result = make_result(write_wav(tmp_path / "take.wav"))
    view = FeedbackView(None)
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show_result(result)
    view.show()
    qtbot.waitExposed(view)
    bar = view.side.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    bar.setValue(bar.maximum())
    view.show_result(result)
    assert bar.value() == 0


def test_the_sentence_tab_reaches_is_drawn_in_the_selection_colours(qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 15: Tab through the transcript showed only a faint dotted frame around the sentence."""
    from PySide6.QtGui import QPalette

    from tests.gui_utils import focused_feedback
    from ui.practice.relabel import FOCUS_MARK, focused_sentence

    view = focused_feedback(qtbot, tmp_path / "take.wav")
    qtbot.addWidget(view)
    qtbot.keyClick(view.transcript, Qt.Key.Key_Tab)
    i = focused_sentence(view.transcript)
    assert i is not None
    marks = [x for x in view.transcript.extraSelections() if x.format.property(FOCUS_MARK)]
    assert len(marks) == 1
    highlight = view.transcript.palette().color(QPalette.ColorRole.Highlight)
    assert marks[0].format.background().color() == highlight
    assert view.result is not None and view.result.analysis is not None
    assert marks[0].cursor.selectedText() == view.result.analysis.sentences[i].text  # the whole sentence
    qtbot.keyClick(view.transcript, Qt.Key.Key_Tab)
    assert focused_sentence(view.transcript) == i + 1  # Tab goes on to the next sentence
    qtbot.keyClick(view.transcript, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused_sentence(view.transcript) == i
    qtbot.keyClick(view.transcript, Qt.Key.Key_Home)  # a key without Shift: Qt keeps the last modifiers
