"""A story written in STAR form, coloured as it is typed, rehearsed aloud and compared with what was
written (issue 26, items 1, 2 and 6). Texts written for these tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.analysis import sentences as sent
from app.analysis.analyze import analyze
from app.bank.questions import Bank
from app.history import Store
from app.services import Services
from app.stories.bank import from_history, make_story, parse_file, to_file
from app.stories.rehearse import question_for
from app.stories.written import compare, numbers_in, read_written
from tests.gui_utils import open_window
from tests.test_cli import _run
from tests.test_store import db_path
from ui.main_window import MainWindow
from ui.stories.story_dialog import StoryDialog
from ui.stories.written_editor import spans_of

WRITTEN = (
    "Last winter our warehouse kept running out of packing tape on the night shift. "
    "As team lead I was asked to fix the stock problem within a month. "
    "I set a reorder point on one aisle first. "
    "I checked the counts every morning for two weeks. "
    "We stopped running out completely and rush orders fell by 50 percent. "
    "It taught me to test a fix small before rolling it out."
)
# Told from memory: no task, no reorder point, and the number dropped.
TELLING = (
    "So at the warehouse, um, we kept running out of tape on nights, it was a real pain. "
    "I went through the counts every single morning for a couple of weeks. "
    "And in the end we just stopped running out, and rush orders went down a lot. "
    "I'd say the lesson was to try a fix small before you roll it out everywhere."
)


def test_a_written_story_is_labelled_timed_and_given_the_points_an_answer_would_get(bank: Bank) -> None:
    written = read_written(WRITTEN, bank, wpm=120)
    sections = {s.section for s in written.sentences}
    assert {"situation", "task", "action", "result", "reflection"} <= sections
    assert written.timing.total_seconds == pytest.approx(len(WRITTEN.split()) / 120 * 60, rel=0.15)
    spans = spans_of("  " + WRITTEN.replace(". ", ".\n\n"), written.sentences)
    assert len(spans) == len(written.sentences) and spans[0][0] == 2  # found in the typed text as it is


def test_a_telling_is_told_what_it_left_out_of_the_written_version(bank: Bank) -> None:
    written = read_written(WRITTEN, bank)
    comparison = compare(written, analyze(sent.from_text(TELLING), bank, None, engine="text"))
    assert comparison is not None
    left_out = " | ".join(u.text for u in comparison.left_out)
    assert "asked to fix the stock problem" in left_out  # the task was not said
    assert "reorder point" in left_out  # nor that step
    assert "checked the counts" not in left_out  # said in other words
    assert any("50 percent" in u.text for u in comparison.numbers_left_out)  # the outcome without its number
    assert set(comparison.seconds) >= {"situation", "action", "result"}
    assert numbers_in("three thousand pounds, 40%, cut by half") >= {3000.0, 40.0, 0.5}
    assert numbers_in("fell by half") & numbers_in("fell by 50 percent")  # the same number


def test_the_written_version_is_saved_exported_and_imported_with_the_story(star_home: Path) -> None:
    with Store.open(db_path()) as store:
        sid = store.save_story(make_story("Tape on nights", "", ("Ownership",), WRITTEN))
        [story] = store.stories()
        assert story.id == sid and story.written == WRITTEN
        exported = to_file(from_history(store.stories()))
    assert json.loads(exported)["format"] == 2
    assert parse_file(exported)[0].written == WRITTEN
    old = '{"format": 1, "stories": [{"title": "Old one", "summary": "", "principles": []}]}'
    assert parse_file(old)[0].written == ""  # a bank exported before written versions still imports


def test_a_story_is_rehearsed_for_a_question_that_asks_for_what_it_shows(bank: Bank) -> None:
    story = make_story("Tape on nights", "", ("Dive Deep",), WRITTEN)
    assert "Dive Deep" in question_for(story, bank, {}).principles
    owned = make_story("Tape on nights", "", ("Ownership",), WRITTEN)
    first = question_for(owned, bank, {})
    again = question_for(owned, bank, {first.id: 3})  # the one practised least among those that fit
    assert "Ownership" in first.principles and "Ownership" in again.principles and again.id != first.id
    assert question_for(story, bank, {}, chosen="q09").id == "q09"


def test_the_command_line_prints_a_written_story_and_compares_a_telling(
    tmp_path: Path, star_home: Path
) -> None:
    with Store.open(db_path()) as store:
        sid = store.save_story(make_story("Tape on nights", "", ("Ownership",), WRITTEN))
    env = {"STAR_COACH_HOME": str(star_home)}
    out = _run("stories", "--written", str(sid), "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert "task" in {s["section"] for s in json.loads(out.stdout)["analysis"]["sentences"]}
    telling = tmp_path / "telling.txt"
    telling.write_text(TELLING, encoding="utf-8")
    out = _run("analyze", str(telling), "--against-story", str(sid), "--json", env=env)
    assert out.returncode == 0, out.stderr
    against = json.loads(out.stdout)["against_story"]
    assert any("asked to fix" in u["text"] for u in against["left_out"])
    none = _run("analyze", str(telling), "--against-story", "999", env=env)
    assert none.returncode == 1 and "no story with id 999" in none.stderr


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    def prepare(services: Services) -> None:
        services.store.save_story(make_story("Tape on nights", "", ("Frugality",), ""))

    with open_window(qtbot, prepare=prepare) as win:
        yield win


def test_a_story_written_in_its_dialog_is_coloured_as_it_is_typed(
    qtbot: QtBot, window: MainWindow, screenshot_dir: Path
) -> None:
    window.commands.stories.trigger()
    view = window.stories_view
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    dialog = StoryDialog(view.stories[0], view, bank=window.bank, wpm=130)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.written.edit.setPlainText(WRITTEN)
    qtbot.waitUntil(lambda: dialog.written.analysis is not None, timeout=20_000)
    assert len(dialog.written.highlighter._spans) >= 5
    assert "130 words a minute" in dialog.written.timing.text()
    dialog.grab().save(str(screenshot_dir / "written-story.png"))
    dialog.accept()
    assert dialog.result_story is not None and dialog.result_story.written == WRITTEN


def test_a_new_story_is_selected_and_r_rehearses_it_for_a_question_it_fits(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt, QTimer

    window.commands.stories.trigger()
    view = window.stories_view
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)

    def fill() -> None:
        dialog = next(w for w in window.findChildren(StoryDialog) if w.isVisible())
        dialog.title.setText("Queue at the clinic")
        dialog.boxes["Dive Deep"].setChecked(True)
        dialog.written.edit.setPlainText(WRITTEN)
        dialog.accept()

    QTimer.singleShot(0, fill)
    view.new_story()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: view.selected() is not None and view.selected().title == "Queue at the clinic")
    assert window.services is not None
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.practice_view, timeout=20_000)
    rehearsing = window.services.practice.rehearsing
    assert (
        rehearsing is not None and rehearsing.title == "Queue at the clinic" and rehearsing.written == WRITTEN
    )
    assert window.services.practice.question is not None and window.services.practice.question.id == "q05"
    assert "Rehearsing" in window.practice_view.question.text() and not window.practice_view.card.isVisible()
    window.services.practice.abandon()
