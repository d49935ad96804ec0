"""The Stories screen (Ctrl+B): the stories with how often each was told, the 16 principles with
the stories that show them and those with none; a story added through its dialog appears."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.services import Services
from app.stories.bank import make_story
from tests.gui_utils import open_window
from tests.test_store import make_result, write_wav
from ui.main_window import MainWindow
from ui.stories.story_dialog import StoryDialog


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    def prepare(services: Services) -> None:
        store = services.store
        first = store.save_story(
            make_story(
                "The night the freezer failed",
                "Moved the vaccines at 2 a.m., rewrote the alarm rota.",
                ("Ownership", "Bias for Action"),
            )
        )
        store.save_story(
            make_story(
                "Arguing for the slower model", "", ("Have Backbone; Disagree and Commit", "Dive Deep")
            )
        )
        attempt = store.save_attempt(make_result(write_wav(star_home / "a.wav")).for_history(), False)
        store.link_story(attempt, first, chosen_by="person")

    with open_window(qtbot, prepare=prepare) as win:
        yield win


def test_the_story_bank_shows_stories_and_principle_coverage(
    qtbot: QtBot, window: MainWindow, screenshot_dir: Path
) -> None:
    window.commands.stories.trigger()
    view = window.stories_view
    assert window.pages.currentWidget() is view
    qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
    assert view.table.item(0, 0).text().startswith("The night the freezer failed")
    assert view.table.item(0, 2).text() == "1"  # told once
    principles = {view.principles.item(r, 0).text(): r for r in range(view.principles.rowCount())}
    assert len(principles) == 16
    assert view.principles.item(principles["Ownership"], 1).text() == "The night the freezer failed"
    assert view.principles.item(principles["Frugality"], 1).text() == "no story yet"
    assert "4 of 16 Leadership Principles have one" in view.heading.text()
    window.grab().save(str(screenshot_dir / "stories.png"))

    def fill() -> None:
        dialog = next(w for w in window.findChildren(StoryDialog) if w.isVisible())
        dialog.title.setText("Two weeks to a new supplier")
        dialog.boxes["Frugality"].setChecked(True)
        dialog.accept()

    QTimer.singleShot(0, fill)
    view.new_story()
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(
        lambda: view.principles.item(principles["Frugality"], 1).text() == "Two weeks to a new supplier"
    )
