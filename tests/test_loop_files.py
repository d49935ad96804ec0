"""The mock loop's report saved from its screen: as PDF (Qt's printing) and as HTML, written off the GUI
thread, and a folder that cannot be written to is said in the window with what to do."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

import app.core.files
from app.bank.questions import Bank
from app.core.settings import Settings
from app.practice.loop import LoopSession
from app.practice.loop_report import LoopAnswer, build_report
from app.practice.session import PracticeSession
from tests.audio_utils import SilentEngine
from ui.loop.loop_view import LoopView


@pytest.fixture
def view(qtbot: QtBot, bank: Bank, tmp_path: Path) -> Iterator[LoopView]:
    practice = PracticeSession(bank, SilentEngine(), None, Settings(), tmp_path / "recordings")
    shown = LoopView(LoopSession(practice))
    qtbot.addWidget(shown)
    answers = [LoopAnswer(q, None, None) for q in bank.questions[:2]]
    shown.show_report(build_report(answers, 45, 600.0, "2026-12-07T10:00:00+00:00"), 1)
    shown.show()
    yield shown
    practice.shutdown()


def _save_as(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))


def test_the_pdf_and_html_are_written_off_the_gui_thread(
    qtbot: QtBot, view: LoopView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    writes: list[tuple[str, bool]] = []  # (file, written on the GUI thread)
    real_write = app.core.files.atomic_write_bytes

    def write(path: Path, data: bytes) -> None:
        writes.append((path.name, threading.current_thread() is threading.main_thread()))
        real_write(path, data)

    monkeypatch.setattr("ui.loop.report_files.atomic_write_bytes", write)
    for button, name in ((view.pdf_button, "loop.pdf"), (view.export_button, "loop.html")):
        _save_as(monkeypatch, tmp_path / name)
        with qtbot.waitSignal(view.exported, timeout=30_000) as said:
            button.click()
        assert (
            said.args[0]
            == f"The report was {'saved as' if name.endswith('pdf') else 'exported to'} {tmp_path / name}."
        )
        assert view.status.text() == said.args[0]
    assert writes == [("loop.pdf", False), ("loop.html", False)]
    pdf = (tmp_path / "loop.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert "Mock loop" in (tmp_path / "loop.html").read_text(encoding="utf-8")


def test_a_folder_that_cannot_be_written_to_is_said_in_the_window(
    qtbot: QtBot, view: LoopView, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "notes.txt"  # a file where the folder should be: even root cannot write there
    not_a_folder.write_text("x", encoding="utf-8")
    target = not_a_folder / "loop.pdf"
    _save_as(monkeypatch, target)
    with qtbot.waitSignal(view.exported, timeout=30_000) as said:
        view.pdf_button.click()
    message = said.args[0]
    assert message.startswith(
        f"The report was not saved as {target}: the folder {not_a_folder} cannot be written"
    )
    assert "Check that you may write to that file and its folder, then try again" in message
    assert view.status.isVisible() and view.status.text() == message
    assert not target.exists()
