"""The keyboard loop of issue 15: one Ctrl+Enter, Ctrl+, for Settings, a visible way back from Replay
and Compare, a shortcut sheet on F1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from pytestqt.qtbot import QtBot

from app.bank.questions import load_bank_or_builtin
from app.core.settings import Settings
from app.services import Services
from tests.gui_utils import replay_newest
from tests.test_store import make_result, write_wav
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    loaded = load_bank_or_builtin(None)
    services = Services.create(loaded.bank, Settings())
    services.store.save_attempt(
        make_result(write_wav(star_home / "take.wav", 2.0)).for_history(), keep_audio=True
    )
    win = MainWindow(loaded, services=services)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    services.shutdown()


def _keys(window: MainWindow) -> list[str]:
    keys = [k.toString() for a in window.findChildren(QAction) for k in a.shortcuts()]
    return keys + [s.key().toString() for s in window.findChildren(QShortcut)]


def test_ctrl_enter_is_one_shortcut_and_tries_the_same_question_again(window: MainWindow) -> None:
    """Two Ctrl+Return bindings (the window's and the feedback screen's) made Qt drop the key as
    ambiguous: "Try again (Ctrl+Enter)" did nothing."""
    assert _keys(window).count(QKeySequence("Ctrl+Return").toString()) == 1
    assert window.feedback_view is not None and window.services is not None
    asked: list[str] = []
    window.practise = asked.append  # type: ignore[method-assign]
    window.services.practice.question = window.bank.by_id("q12")
    window.pages.setCurrentWidget(window.feedback_view)
    window.practise_current()
    assert asked == ["q12"]


def test_settings_open_with_ctrl_comma(window: MainWindow) -> None:
    (settings,) = [a for a in window.findChildren(QAction) if a.text().replace("&", "") == "Settings…"]
    assert QKeySequence("Ctrl+,") in settings.shortcuts()


def test_replay_and_compare_have_a_visible_way_back(qtbot: QtBot, window: MainWindow) -> None:
    replay_newest(qtbot, window)
    assert window.pages.currentWidget() is window.replay_view
    assert window.replay_view.history_button.isVisible()
    qtbot.mouseClick(window.replay_view.history_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.history_view
    assert window.compare_view.history_button.text().startswith("Back to history")


def test_f1_lists_the_shortcuts() -> None:
    from ui.common.help_dialogs import shortcut_sheet_html

    sheet = shortcut_sheet_html()
    for key in ("Ctrl+Enter", "Ctrl+,", "Space", "Esc", "S T A R L O", "F1"):
        assert key in sheet


def test_after_escape_the_meter_and_clock_start_again_from_zero(window: MainWindow) -> None:
    from app.practice.session import Phase

    view = window.practice_view
    assert view is not None
    view.level.setValue(42)
    view.clock.setText("0:37 / 2:00")
    view._on_phase(Phase.READY)  # what the session says after Escape
    assert view.level.value() == 0 and view.clock.text().startswith("0:00")
