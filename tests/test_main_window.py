"""The main window as a person uses it: browse, search, filter, read a question's guidance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bank.questions import builtin_bank_path, load_bank_or_builtin
from app.core import paths
from ui.browse.question_list import ID_ROLE
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(load_bank_or_builtin(paths.user_bank_path()))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_lists_all_36_questions_and_shows_the_first(window: MainWindow, screenshot_dir: Path) -> None:
    assert len(window.questions.visible_ids()) == 36
    assert window.questions.count.text() == "36 of 36 questions"
    text = window.detail.toPlainText()
    assert "1. Tell me about a time when you were faced with a problem" in text
    assert "Reference answer" in text
    assert "I was tasked with optimizing our recommendation system" in text
    assert window.banner is None
    window.grab().save(str(screenshot_dir / "main-window.png"))


def test_search_narrows_the_list(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.questions.search, "manager")
    ids = window.questions.visible_ids()
    assert "q08" in ids and "q24" in ids
    assert len(ids) < 36
    window.questions.search.clear()
    qtbot.keyClicks(window.questions.search, "zebra unicorn")
    assert window.questions.visible_ids() == []
    assert window.questions.count.text() == "0 of 36 questions"


def test_search_lists_the_questions_that_ask_about_it_first(window: MainWindow, qtbot: QtBot) -> None:
    """Issue 15: "tight deadline" listed "took the lead on a project" first (a reference answer has
    both words); the questions that ask about a tight deadline come first now, in bank order."""
    qtbot.keyClicks(window.questions.search, "tight deadline")
    ids = window.questions.visible_ids()
    assert ids[:2] == ["q09", "q18"]
    assert window.questions.current_id() == "q09"  # the best match is the one Ctrl+Enter practises
    window.questions.search.clear()
    assert window.questions.visible_ids()[:3] == ["q01", "q02", "q03"]  # back to the bank's order


def test_every_leadership_principle_is_listed_and_one_with_no_question_says_so(window: MainWindow) -> None:
    from app.bank.questions import PRINCIPLES

    combo = window.questions.principle
    listed = [combo.itemData(i) for i in range(1, combo.count())]
    assert listed[: len(PRINCIPLES)] == list(PRINCIPLES)
    row = next(i for i in range(combo.count()) if combo.itemData(i) == "Frugality")
    if "no question yet" in combo.itemText(row):
        combo.setCurrentIndex(row)
        assert window.questions.visible_ids() == []
        assert window.questions.count.text() == "No question in this bank asks about Frugality."
    combo.setCurrentIndex(0)


def test_filter_by_leadership_principle(window: MainWindow) -> None:
    combo = window.questions.principle
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "All Leadership Principles"
    row = next(i for i, t in enumerate(labels) if t.startswith("Have Backbone"))
    combo.setCurrentIndex(row)
    assert window.questions.visible_ids() == ["q08"]
    assert window.detail.question is not None and window.detail.question.id == "q08"
    combo.setCurrentIndex(0)
    assert len(window.questions.visible_ids()) == 36


def test_selected_question_shows_each_section_with_guidance_and_example(window: MainWindow) -> None:
    view = window.questions.view
    view.setCurrentIndex(view.model().index(5, 0))  # question 6: Recovery is its own heading
    text = window.detail.toPlainText()
    for heading in ["Situation", "Task", "Action", "Recovery (action)", "Result", "Reflection"]:
        assert heading in text
    assert "Describe how you responded to the failure." in text  # guidance of Recovery
    assert "Realizing the severity of the situation, I immediately took responsibility" in text
    assert "Why this answer works" in text


def test_ctrl_f_focuses_search(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    window.questions.view.setFocus()
    # Through the QWindow, as a real key press arrives, so that shortcuts are processed.
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_F, modifier=Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.questions.search.hasFocus())


def test_malformed_user_bank_shows_banner_and_builtin_questions(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshot_dir: Path
) -> None:
    data = json.loads(builtin_bank_path().read_text(encoding="utf-8"))
    data["questions"][2]["sections"][0]["example"] = ""
    bad = tmp_path / "broken-bank.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("STAR_COACH_BANK", str(bad))
    win = MainWindow(load_bank_or_builtin(paths.user_bank_path()))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.banner is not None and win.banner.isVisible()
    message = win.banner.label.text()
    assert "broken-bank.json" in message and "'q03'" in message and "sections[0].example" in message
    assert "built-in questions" in message
    assert len(win.questions.visible_ids()) == 36
    win.grab().save(str(screenshot_dir / "bank-fallback.png"))


def test_recording_interrupted_by_a_crash_is_recovered_and_announced(qtbot: QtBot) -> None:
    import struct

    from ui.application import startup_notices

    # What a crash leaves: a header whose sizes lag behind the audio that reached the disk.
    audio = struct.pack("<16000h", *([3000, -3000] * 8000))
    header = (
        b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 16000, 32000, 2, 16)
    )
    (paths.recordings_dir() / "q08-attempt.recording.wav").write_bytes(
        header + b"data" + struct.pack("<I", 0) + audio
    )

    notices = startup_notices()
    assert len(notices) == 1 and "q08-attempt.recovered.wav" in notices[0]
    assert (paths.recordings_dir() / "q08-attempt.recovered.wav").stat().st_size == 44 + len(audio)
    win = MainWindow(load_bank_or_builtin(None), notices=notices)
    qtbot.addWidget(win)
    assert win.banner is not None and "stopped during an answer" in win.banner.label.text()
    assert startup_notices() == []  # recovered once


def test_section_colours_follow_a_dark_palette(qtbot: QtBot) -> None:
    """Readable on a dark system palette: the reference-answer backgrounds darken with it."""
    import re

    from PySide6.QtGui import QColor, QPalette

    from ui.browse.question_detail import QuestionDetail

    def backgrounds(view: QuestionDetail) -> list[float]:
        colours = re.findall(r"background-color:\s*(#[0-9a-fA-F]{6})", view.toHtml())
        return [QColor(c).lightnessF() for c in colours]

    light = QuestionDetail()
    qtbot.addWidget(light)
    dark = QuestionDetail()
    qtbot.addWidget(dark)
    pal = dark.palette()
    pal.setColor(QPalette.ColorRole.Base, QColor("#17181a"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    dark.setPalette(pal)
    q = load_bank_or_builtin(None).bank.by_id("q01")
    light.show_question(q)
    dark.show_question(q)
    tints_light = [v for v in backgrounds(light) if v > 0.6]  # the tinted answer boxes, not the colour bars
    tints_dark = sorted(backgrounds(dark))[: len(tints_light)]
    assert tints_light and max(tints_dark) < 0.3


def test_practised_questions_show_their_last_result_and_filter(window: MainWindow) -> None:
    from ui.browse.question_list import Practice

    window.questions.set_practice({"q08": Practice(2, 95.0, ("task",)), "q12": Practice(1, 61.0)})
    texts = {
        window.questions._model.item(r).data(ID_ROLE): window.questions._model.item(r).text()
        for r in range(36)
    }
    assert texts["q08"].endswith("✓ practised 2×, last 1:35, missing task")
    assert texts["q12"].endswith("✓ practised once, last 1:01")
    assert "✓" not in texts["q01"]
    combo = window.questions.practised
    combo.setCurrentIndex(combo.findData("yes"))
    assert window.questions.visible_ids() == ["q08", "q12"]
    combo.setCurrentIndex(combo.findData("not"))
    assert len(window.questions.visible_ids()) == 34 and "q08" not in window.questions.visible_ids()


def test_a_question_that_asks_about_a_principle_comes_before_one_tagged_with_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Issue 27: "customer obsession" listed q01 (tagged with it) above q07, which asks about it."""
    for search, asks in [("Customer Obsession", "q07"), ("earn trust", "q14")]:
        window.questions.search.clear()
        qtbot.keyClicks(window.questions.search, search)
        assert window.questions.visible_ids()[0] == asks
        assert window.questions.current_id() == asks


def test_a_principle_with_a_comma_is_searched_as_its_name(qtbot: QtBot) -> None:
    """ "Are Right, A Lot", "Ownership", "Dive Deep": the question that asks about it comes first,
    before the ones only tagged with it, whatever the bank's order."""
    from app.bank.questions import Bank, Question, Section
    from ui.browse.question_list import QuestionList

    def question(qid: str, text: str, *principles: str) -> Question:
        example = Section(section="situation", heading="Situation", example="We had a plan.")
        return Question(
            id=qid, number=int(qid[1:]), question=text, principles=principles, sections=(example,)
        )

    bank = Bank(
        questions=(
            question("q1", "Tell me about a project you led.", "Are Right, A Lot", "Ownership", "Dive Deep"),
            question("q2", "How do you show that you are right, a lot of the time?"),
            question("q3", "Tell me about a time you took ownership of a problem."),
            question("q4", "Tell me about a time you had to dive deep into the data."),
        )
    )
    browser = QuestionList(bank)
    qtbot.addWidget(browser)
    for search, asks in [("Are Right, A Lot", "q2"), ("Ownership", "q3"), ("Dive Deep", "q4")]:
        browser.search.clear()
        qtbot.keyClicks(browser.search, search)
        assert browser.visible_ids() == [asks, "q1"], search
        assert browser.current_id() == asks


def test_principles_are_listed_so_a_comma_in_a_name_reads_as_one(qtbot: QtBot) -> None:
    """Issue 27: "Are Right, A Lot, Dive Deep" read as three principles."""
    from app.bank.questions import Bank, Question, Section
    from ui.browse.question_detail import QuestionDetail
    from ui.browse.question_list import QuestionList

    example = Section(section="situation", heading="Situation", example="We had a plan.")
    q = Question(
        id="q1",
        number=1,
        question="Tell me about a bet you made.",
        principles=("Are Right, A Lot", "Dive Deep", "Have Backbone; Disagree and Commit"),
        sections=(example,),
    )
    listed = "Are Right, A Lot · Dive Deep · Have Backbone; Disagree and Commit"
    detail = QuestionDetail()
    qtbot.addWidget(detail)
    detail.show_question(q)
    assert f"Leadership Principles: {listed}" in detail.toPlainText()
    browser = QuestionList(Bank(questions=(q,)))
    qtbot.addWidget(browser)
    assert listed in browser._model.item(0).toolTip().replace("\xa0", " ")
