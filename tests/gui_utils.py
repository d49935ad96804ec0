"""The main window on real parts for a test, and keys as a person presses them."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bank.questions import load_bank_or_builtin
from app.core.settings import Settings
from app.services import Services
from ui.main_window import MainWindow
from ui.practice.feedback_view import FeedbackView


@contextmanager
def open_window(
    qtbot: QtBot,
    settings: Settings | None = None,
    prepare: Callable[[Services], object] | None = None,
    active: bool = False,
    load: bool = False,
    size: tuple[int, int] = (1200, 800),
) -> Iterator[MainWindow]:
    """`prepare` fills the history before the window reads it; `active`: keys from the X server
    reach it; `load`: the speech model and the labeller load as at a start of the app."""
    loaded = load_bank_or_builtin(None)
    services = Services.create(loaded.bank, settings or Settings())
    if prepare is not None:
        prepare(services)
    window = MainWindow(loaded, services=services)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    if active:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)  # Space reaches only the active window
    if load:
        services.start_background_loading()
    try:
        yield window
    finally:
        services.shutdown()


@contextmanager
def window_with_history(qtbot: QtBot, home: Path) -> Iterator[MainWindow]:
    """The main window over a history of three answers (two to q08, then one to q12), each with its
    recording kept in `home`."""
    from tests.test_store import make_result, write_wav

    def three_answers(services: Services) -> None:
        for i, qid in enumerate(("q08", "q08", "q12")):
            services.store.save_attempt(
                make_result(write_wav(home / f"take{i}.wav", 2.0), qid).for_history(), keep_audio=True
            )

    with open_window(qtbot, prepare=three_answers) as window:
        yield window


def press(window: MainWindow, keysym: str) -> None:
    """A key press from the X server, handled by the running event loop as a person's would be
    (see tests/test_practice_e2e.py for why not QTest's keyClick). Callers wait for the effect."""
    subprocess.run(["xdotool", "key", "--window", str(int(window.winId())), keysym], check=True)


def show_history(qtbot: QtBot, window: MainWindow) -> None:
    """The History page, once its first page has been read on the history worker."""
    with qtbot.waitSignal(window.history_view.filled, timeout=10_000):
        window.show_history()


def replay_newest(qtbot: QtBot, window: MainWindow) -> None:
    """History, then the newest attempt replayed (read on the history worker)."""
    show_history(qtbot, window)
    view = window.history_view
    view.table.clearSelection()
    view.table.selectRow(0)
    with qtbot.waitSignal(view.replay, timeout=10_000):
        view.replay_selected()


def focused_feedback(qtbot: QtBot, take: Path) -> FeedbackView:
    """The feedback screen on its own, showing an answer recorded to `take`, active, with Tab's
    focus on the transcript's first sentence (as a keyboard user reaches it). The caller owns it."""
    from tests.test_store import make_result, write_wav

    view = FeedbackView(None)
    view.show_result(make_result(write_wav(take)))
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    view.transcript.setFocus()
    qtbot.waitUntil(view.transcript.hasFocus)
    qtbot.keyClick(view.transcript, Qt.Key.Key_Tab)
    return view
