"""History page: stored attempts listed, replayed, compared, exported and deleted from the window."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.bank.questions import load_bank_or_builtin
from app.practice.result import PracticeResult
from tests.gui_utils import show_history, window_with_history
from tests.test_store import make_result, write_wav
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    with window_with_history(qtbot, star_home) as win:
        yield win


def test_history_lists_replays_and_compares(qtbot: QtBot, window: MainWindow, screenshot_dir: Path) -> None:
    show_history(qtbot, window)
    view = window.history_view
    assert view.table.rowCount() == 3 and not view.empty.isVisible()
    # newest first: the q12 answer was saved last
    questions = [view.table.item(r, 1).text() for r in range(3)]
    assert "out of your comfort zone" in questions[0], questions
    assert all("disagreed with your manager" in q for q in questions[1:]), questions
    window.grab().save(str(screenshot_dir / "history.png"))
    # The browser knows what was practised.
    texts = [window.questions._model.item(r).text() for r in range(36)]
    assert sum("✓ practised 2×" in t for t in texts) == 1 and sum("✓ practised once" in t for t in texts) == 1

    view.table.clearSelection()  # selectRow() toggles when an earlier test left Ctrl held
    view.table.selectRow(0)
    with qtbot.waitSignal(view.replay):
        view.replay_selected()
    assert window.pages.currentWidget() is window.replay_view
    assert window.replay_view.transcript.toPlainText().strip()
    show_history(qtbot, window)
    view.table.clearSelection()
    view.table.setSelectionMode(view.table.SelectionMode.MultiSelection)
    view.table.selectRow(0)
    view.table.selectRow(1)
    with qtbot.waitSignal(view.compare):
        view.compare_selected()
    assert window.pages.currentWidget() is window.compare_view

    window.commands.stats.trigger()  # Ctrl+T
    assert window.pages.currentWidget() is window.stats_view
    qtbot.waitUntil(lambda: window.stats_view.figures["attempts"].text() == "3", timeout=5000)


def test_delete_one_after_confirmation(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    show_history(qtbot, window)
    view = window.history_view
    first = view.selected_ids()[0]
    audio = window.services.store.attempt(first).audio  # type: ignore[union-attr]
    assert audio is not None and audio.exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    view.delete_selected()
    assert view.table.rowCount() == 3  # "No" keeps it
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(view.filled):  # deleted on the worker, then read again
        view.delete_selected()
    assert view.table.rowCount() == 2 and not audio.exists()
    with qtbot.waitSignal(view.filled):
        view.delete_all()
    assert view.table.rowCount() == 0 and view.empty.isVisible()
    assert not view.problem.isVisible()


def test_export_offers_the_documents_folder_and_says_where_the_file_went(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 15: the save dialog opened in the install folder and nothing confirmed the export."""
    from PySide6.QtWidgets import QFileDialog

    offered: list[str] = []
    target = tmp_path / "mine.csv"

    def save_as(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    show_history(qtbot, window)
    window.history_view.export_all()
    assert Path(offered[0]).parent != Path.cwd()
    assert re.fullmatch(r"star-coach-history-\d{4}-\d\d-\d\d\.csv", Path(offered[0]).name), offered
    qtbot.waitUntil(lambda: str(target) in window.statusBar().currentMessage())
    assert target.exists() and len(target.read_text(encoding="utf-8").splitlines()) >= 4
    assert "3 attempts" in window.statusBar().currentMessage()


def test_chart_labels_are_whole(qtbot: QtBot, window: MainWindow, screenshot_dir: Path) -> None:
    """At 1100 x 720 every axis label has room to read in full: filled while the page was hidden, the
    pace chart once left its words-per-minute labels room for "1…", and six dates each showed "16 N…"."""
    from PySide6.QtGui import QFontMetricsF

    window.resize(1100, 720)
    window.commands.stats.trigger()
    stats = window.stats_view
    qtbot.waitUntil(lambda: stats.pace_chart.view.isVisible())

    def labels_have_room() -> None:
        lefts = []
        for chart in (stats.length_chart, stats.pace_chart):
            c = chart.chart
            lefts.append(c.plotArea().left() - c.margins().left())
            axis = chart.x.current  # three attempts on one day: numbered, not dated
            if axis is chart.x.dates:
                dates = QFontMetricsF(axis.labelsFont()).horizontalAdvance("30 Sep")
                assert c.plotArea().width() / (axis.tickCount() - 1) > dates * 1.2, c.title()
            else:
                number = QFontMetricsF(axis.labelsFont()).horizontalAdvance("10")
                assert c.plotArea().width() / (axis.max() - axis.min()) > number * 1.2, c.title()
        # Both left axes carry three-digit labels under a one-line title: the same room for each.
        assert lefts[1] >= lefts[0] - 1, lefts

    # The charts lay out over the next turns of the event loop; a layout that never gives the labels
    # room (the old bug) fails here.
    qtbot.waitUntil(labels_have_room, timeout=5000)
    window.grab().save(str(screenshot_dir / "stats-1100.png"))


def test_a_long_history_opens_a_page_at_a_time(qtbot: QtBot, star_home: Path) -> None:
    """5,000 rows took ~110 ms to fill: the screen shows the newest page and brings older ones on request
    or when scrolled to the end, newest first throughout."""
    from app.history import Store
    from bench.sample_history import generate_attempts
    from ui.history.history_view import PAGE, HistoryView

    bank = load_bank_or_builtin(None).bank
    with Store.open() as store:
        generate_attempts(store, 2 * PAGE + 50, [q.id for q in bank.questions], seed=5)
        view = HistoryView(store, bank)
        qtbot.addWidget(view)
        view.resize(1000, 600)
        view.show()
        qtbot.waitExposed(view)
        view.refresh()
        assert view.table.rowCount() == PAGE
        assert view.shown.text() == f"Showing the newest {PAGE} of {2 * PAGE + 50} attempts"
        assert view.more.isVisible() and view.more.text() == f"Show older ({PAGE} more)"
        bar = view.table.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0)
        one_page = bar.maximum()
        view.more.click()
        assert view.table.rowCount() == 2 * PAGE and view.more.text() == "Show older (50 more)"
        qtbot.waitUntil(lambda: bar.maximum() > one_page)  # the table lays out its new rows
        bar.setValue(bar.maximum())  # scrolling to the end brings the rest
        assert view.table.rowCount() == 2 * PAGE + 50
        assert not view.more.isVisible() and view.shown.text() == ""
        newest = [s.started_at for s in store.attempts()]
        shown = [s.started_at for s in view.summaries]
        assert shown == newest  # every attempt once, in the store's order
        ids = {view.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(view.table.rowCount())}
        assert len(ids) == 2 * PAGE + 50


def test_a_retry_shows_what_changed_since_the_last_try(
    qtbot: QtBot, window: MainWindow, star_home: Path, screenshot_dir: Path
) -> None:
    """Issue 15: after a retry of the same question the feedback says what changed."""
    assert window.feedback_view is not None and window.services is not None
    practice = window.services.practice

    def answer(result: PracticeResult) -> None:  # as the session does once an answer is analysed
        with qtbot.waitSignal(practice.finished):
            practice._save(result, None)

    answer(make_result(write_wav(star_home / "again.wav", 2.0), "q12"))
    side = window.feedback_view.side
    assert side.progress.isVisible()
    text = side.progress.text()
    assert "Since your last try" in text and "→" in text
    window.grab().save(str(screenshot_dir / "retry.png"))
    answer(make_result(write_wav(star_home / "new.wav", 2.0), "q01"))  # never tried before
    assert not side.progress.isVisible()


def test_two_attempts_that_are_not_next_to_each_other_can_be_chosen_by_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Issue 15: Compare needs two attempts; Ctrl+arrows move without selecting, Ctrl+Space adds."""
    show_history(qtbot, window)
    view = window.history_view
    table = view.table
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.clearSelection()
    table.setCurrentCell(0, 0)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    rows = sorted({i.row() for i in table.selectedIndexes()})
    assert rows == [0, 2]
    assert len(view.selected_ids()) == 2
    qtbot.keyClick(table, Qt.Key.Key_Home)  # a key without Ctrl: Qt keeps the last modifiers it saw
