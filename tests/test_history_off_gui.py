"""Issue 27, item 1: nothing that touches the history (or re-measures an answer) runs on the GUI thread,
and a history another program holds locked is said in the window, with what to do, never a crash or
a deletion half done in silence."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.history import Store
from tests.gui_utils import show_history, window_with_history
from tests.test_store import make_result, write_wav
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    with window_with_history(qtbot, star_home) as win:
        yield win


def _spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, seen: dict[str, list[int]]) -> None:
    """Record the thread each call of `owner.name` runs on, under `name`."""
    real: Callable[..., Any] = getattr(owner, name)

    def spy(*args: object, **kwargs: object) -> object:
        seen.setdefault(name, []).append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)


def _yes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)


def _save_as(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))


def test_every_history_call_runs_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import app.analysis.analyze
    import app.practice.attempts
    import app.practice.loop
    import ui.practice.corrections

    services = window.services
    assert services is not None
    # One attempt saved before schema 4 (no record): replaying it analyses the transcript again.
    with sqlite3.connect(services.store.path) as raw:
        raw.execute("UPDATE attempts SET record = NULL WHERE question_id = 'q12'")
    seen: dict[str, list[int]] = {}
    store_calls = (
        "count_attempts",
        "attempts",
        "attempt",
        "export_attempt_markdown",
        "export_csv",
        "delete_attempt",
        "delete_all",
        "question_stats",
        "save_analysis",
        "corrected_answers",
        "orphan_recordings",
    )
    for name in store_calls:
        _spy(monkeypatch, Store, name, seen)
    _spy(monkeypatch, app.practice.attempts, "analyze", seen)  # replay of an attempt before schema 4
    _spy(monkeypatch, app.analysis.analyze, "relabel", seen)  # a corrected label re-measures the answer
    _spy(monkeypatch, ui.practice.corrections, "with_hesitations", seen)  # the second listen's fillers
    _spy(monkeypatch, app.practice.loop, "build_report", seen)  # the loop report's every_rule
    _spy(monkeypatch, Settings, "save", seen)

    view = window.history_view
    show_history(qtbot, window)  # count_attempts, attempts
    view.table.clearSelection()
    view.table.selectRow(0)  # newest: the q12 attempt, saved before schema 4
    with qtbot.waitSignal(view.replay):
        view.replay_selected()  # attempt, analyze
    before = window.replay_view.analysis
    assert before is not None
    to = "task" if before.sentences[0].section != "task" else "situation"
    window.replay_view.relabelled.emit(0, to)  # relabel, then save_analysis
    qtbot.waitUntil(lambda: "save_analysis" in seen)

    show_history(qtbot, window)
    _save_as(monkeypatch, tmp_path / "one.md")
    view.export_selected()
    qtbot.waitUntil(lambda: (tmp_path / "one.md").exists())
    _save_as(monkeypatch, tmp_path / "all.csv")
    view.export_all()
    qtbot.waitUntil(lambda: (tmp_path / "all.csv").exists())

    # The feedback screen: a new answer (question_stats after it), a corrected label, the fillers.
    practice = services.practice
    with qtbot.waitSignal(practice.finished):
        practice._save(make_result(write_wav(tmp_path / "new.wav", 2.0), "q01"), None)
    feedback = window.feedback_view
    assert feedback is not None and feedback.result is not None
    qtbot.waitUntil(lambda: "question_stats" in seen)
    feedback.relabelled.emit(0, "task")
    qtbot.waitUntil(lambda: seen.get("relabel", []).__len__() >= 2)
    shown = feedback.result
    assert shown.analysis is not None
    practice.refined.emit(replace(shown, analysis=replace(shown.analysis, hesitations=())))
    qtbot.waitUntil(lambda: "with_hesitations" in seen)

    services.learn_corrections()  # corrected_answers
    services.recover_recordings()  # orphan_recordings
    loop = window.loops.session
    loop.running = True  # a loop ended before its first answer
    with qtbot.waitSignal(loop.finished):
        loop.finish()  # build_report (every_rule), on the worker with the save

    from ui.settings.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), services.speaker, None, window)
    with qtbot.waitSignal(dialog.accepted):
        dialog.accept()  # save

    show_history(qtbot, window)
    _yes(monkeypatch)
    with qtbot.waitSignal(view.filled):
        view.delete_selected()  # delete_attempt
    with qtbot.waitSignal(view.filled):
        view.delete_all()  # delete_all

    gui = threading.get_ident()
    expected = {*store_calls, "analyze", "relabel", "with_hesitations", "build_report", "save"}
    assert expected <= set(seen), expected - set(seen)
    on_gui = sorted(name for name, threads in seen.items() if gui in threads)
    assert on_gui == [], f"on the GUI thread: {on_gui}"


def test_a_locked_history_is_said_in_the_window(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    screenshot_dir: Path,
) -> None:
    """Another program holds the history locked (a write transaction on its own connection): deleting
    says so and what to do, and deletes nothing; reading goes on (SQLite's WAL lets readers through a
    writer), so export and replay still work; and when what they read is gone, each says so too."""
    services = window.services
    assert services is not None
    view = window.history_view
    show_history(qtbot, window)
    ids = view.summaries and [a.id for a in view.summaries]
    _yes(monkeypatch)
    other = sqlite3.connect(services.store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        view.table.clearSelection()
        view.table.selectRow(0)
        with qtbot.waitSignal(view.failed, timeout=30_000) as said:
            view.delete_selected()
        message = said.args[0]
        assert message.startswith("Nothing was deleted: your practice history is locked.")
        assert "Another program (or another STAR Coach) is using it: close that program" in message
        assert view.problem.isVisible() and view.problem.label.text() == message
        window.grab().save(str(screenshot_dir / "history-locked-delete.png"))

        view.table.clearSelection()
        view.table.selectRow(0)
        _save_as(monkeypatch, tmp_path / "while-locked.md")
        view.export_selected()
        qtbot.waitUntil(lambda: "Exported the attempt" in window.statusBar().currentMessage())
        assert (tmp_path / "while-locked.md").read_text(encoding="utf-8").strip()
        with qtbot.waitSignal(view.replay):
            view.replay_selected()
        assert window.pages.currentWidget() is window.replay_view
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sorted(a.id for a in services.store.attempts()) == sorted(ids)  # nothing deleted

    # An attempt removed by another program after the list was read: export and replay say so.
    show_history(qtbot, window)
    view.table.clearSelection()
    view.table.selectRow(0)
    gone = view.selected_ids()[0]
    with sqlite3.connect(services.store.path) as raw:  # as `python main.py history` could
        raw.execute("DELETE FROM attempts WHERE id = ?", (gone,))
    with qtbot.waitSignal(view.failed) as said:
        view.export_selected()
    assert said.args[0].startswith("The attempt was not exported to ")
    assert f"There is no saved attempt {gone}" in said.args[0]
    with qtbot.waitSignal(view.failed) as said:
        view.replay_selected()
    assert said.args[0].startswith("This attempt could not be opened: There is no saved attempt")
    assert "deleted from another window or program" in said.args[0]
    assert window.pages.currentWidget() is view
