"""The home screen's "Due today" (issue 17, item 5): read on the history worker from a constructed
history, the overdue question listed with why, and Enter on it starts its practice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import Services
from tests.gui_utils import open_window
from tests.test_store import make_result, write_wav
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    def prepare(services: Services) -> None:
        long_ago = datetime.now(UTC) - timedelta(days=30)
        for qid, grade, when in [("q05", 3, long_ago), ("q09", 3, datetime.now(UTC))]:
            new = make_result(write_wav(star_home / f"{qid}.wav"), qid).for_history()
            attempt = services.store.save_attempt(new, keep_audio=False, started_at=when)
            services.store.set_grade(attempt, grade)

    with open_window(qtbot, prepare=prepare) as win:
        yield win


def test_due_today_lists_what_is_overdue_and_enter_practises_it(
    qtbot: QtBot, window: MainWindow, screenshot_dir: Path
) -> None:
    panel = window.due
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10_000)
    item = panel.list.item(0)
    assert "greatest professional failure" not in item.text()
    assert window.bank.by_id("q05").question in item.text()
    assert "Good last time, a month ago" in item.text()
    assert panel.title() == "Due today (1)"
    assert "34 questions never practised" in panel.note.text()
    qtbot.waitUntil(lambda: panel.height() == panel.sizeHint().height(), timeout=5000)  # laid out again
    assert window.questions.height() > 2 * panel.height()  # the question list keeps the room
    window.grab().save(str(screenshot_dir / "home-due-today.png"))

    asked: list[str] = []
    window.practise = asked.append  # type: ignore[method-assign]
    panel.practise.disconnect()
    panel.practise.connect(window.practise)
    panel.list.setCurrentRow(0)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert asked == ["q05"]
