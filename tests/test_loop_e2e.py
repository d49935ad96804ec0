"""A mock loop of two questions on real parts (issue 17, items 2 and 7): started from its dialog,
each question heard and answered aloud through the virtual microphone, no feedback in between, each
follow-up answered aloud, then the report on screen, saved, and opened again from History."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from app.core.settings import Settings
from app.practice.follow_up import Step
from app.practice.session import Phase
from tests.audio_utils import RecordedClock, espeak, feed
from tests.gui_utils import open_window, press
from tests.test_follow_up_e2e import REPLY
from tests.test_practice_e2e import _short_answer
from ui.loop.loop_dialogs import LoopListDialog, LoopSetupDialog
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, star_home: Path) -> Iterator[MainWindow]:
    with open_window(
        qtbot,
        Settings(think_seconds=0, target_seconds=90, follow_ups=1),
        active=True,
        load=True,
        size=(1200, 860),
    ) as win:
        yield win


def _speak_into(qtbot: QtBot, window: MainWindow, wav: Path, clock: RecordedClock) -> None:
    clock.wait_until(qtbot, 0.5)
    player = feed(wav)
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=90_000)


def test_a_mock_loop_of_two_questions_ends_in_a_saved_report(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, screenshot_dir: Path
) -> None:
    services = window.services
    assert services is not None
    practice, runner, loop = services.practice, services.practice.follow_up, window.loops.session

    def choose_two() -> None:
        dialog = next(w for w in window.findChildren(LoopSetupDialog) if w.isVisible())
        dialog.questions.setValue(2)
        dialog.accept()

    QTimer.singleShot(0, choose_two)
    window.commands.loop.trigger()
    assert loop.running and len(loop.questions) == 2
    principles = [set(q.principles) for q in loop.questions]
    assert not principles[0] or principles[0] != principles[1]  # aimed at different principles

    follow_ups_answered = 0
    for n, question in enumerate(loop.questions, 1):
        qtbot.waitUntil(lambda: practice.phase is Phase.READY, timeout=30_000)
        assert window.pages.currentWidget() is window.practice_view
        press(window, "space")
        qtbot.waitUntil(lambda: practice.phase is Phase.RECORDING, timeout=5000)
        _speak_into(
            qtbot,
            window,
            espeak(_short_answer(question.id), tmp_path / f"a{n}.wav", wpm=170),
            RecordedClock(practice.elapsed),
        )
        with qtbot.waitSignal(loop.answered, timeout=60_000):
            press(window, "space")
        assert window.pages.currentWidget() is window.loops.view  # no feedback between questions
        qtbot.waitUntil(
            lambda: runner.step is Step.READY or window.loops.view.next_button.isEnabled(), timeout=60_000
        )
        if runner.step is Step.READY:
            asks = runner.current.rule.asks_for if runner.current else "own_part"
            press(window, "space")
            qtbot.waitUntil(lambda: runner.step is Step.RECORDING, timeout=5000)
            _speak_into(
                qtbot,
                window,
                espeak(REPLY[asks], tmp_path / f"r{n}.wav", wpm=160),
                RecordedClock(runner.elapsed),
            )
            with qtbot.waitSignal(runner.replied, timeout=60_000):
                press(window, "space")
            follow_ups_answered += 1
            if n == 1:
                window.grab().save(str(screenshot_dir / "loop-follow-up.png"))
        qtbot.waitUntil(window.loops.view.next_button.isEnabled, timeout=30_000)
        with qtbot.waitSignal(loop.asking if n < 2 else loop.finished, timeout=30_000):
            press(window, "Return")

    qtbot.waitUntil(window.loops.view.browser.isVisible, timeout=30_000)
    report = window.loops.view.report
    assert report is not None and len(report["answers"]) == 2
    assert all(a["answered"] for a in report["answers"])
    assert [a["question"] for a in report["answers"]] == [q.id for q in loop.questions]
    assert sum(len(a["follow_ups"]) for a in report["answers"]) == follow_ups_answered
    assert 1 <= len(report["work_on"]) <= 3 and report["used_seconds"] > 0
    text = window.loops.view.browser.toPlainText()
    assert "Work on first" in text and loop.questions[1].question in text
    window.grab().save(str(screenshot_dir / "loop-report.png"))

    # Saved, and opened again from History.
    [saved] = services.store.loops()
    assert services.store.loop_report(saved.id) == report
    window.show_history()

    poll = QTimer(window, interval=50)  # the list opens once the history worker has read it

    def open_first() -> None:
        for dialog in window.findChildren(LoopListDialog):
            if dialog.isVisible():
                poll.stop()
                dialog.accept()

    poll.timeout.connect(open_first)
    window.loops.view.browser.clear()
    poll.start()
    window.history_view.buttons["loops"].click()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.loops.view, timeout=10_000)
    assert "Work on first" in window.loops.view.browser.toPlainText()
