"""The mock loop's own screen: between questions it shows where the loop is and the interviewer's
follow-ups (no feedback, as in the real loop); at the end, the report, with Export (HTML) and Print
(PDF through Qt's printing). Enter goes on to the next question; End stops the loop early."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.analysis.timing import clock
from app.bank.questions import Question
from app.core.jobs import run_task
from app.practice.loop import LoopSession
from app.practice.loop_report import report_html
from ui.common.export_folder import remember, suggested
from ui.common.problems import said
from ui.loop.report_files import write_report
from ui.practice.follow_up_panel import FollowUpPanel


class LoopView(QWidget):
    back = Signal()
    exported = Signal(str)  # what became of an export of the report, as shown

    def __init__(self, loop: LoopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loop = loop
        self.report: dict[str, Any] | None = None
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.status = QLabel(wordWrap=True)
        self.follow_up = FollowUpPanel()
        self.follow_up.attach(loop.practice.follow_up, self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Mock loop report"))
        self.browser.hide()
        self.next_button = QPushButton(self.tr("Next question (Enter)"))
        self.end_button = QPushButton(self.tr("End the loop"))
        self.export_button = QPushButton(self.tr("Export HTML…"))
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.back_button = QPushButton(self.tr("Back to questions (Alt+←)"))
        buttons = QHBoxLayout()
        for b in (self.next_button, self.end_button, self.export_button, self.pdf_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        col = QVBoxLayout(self)
        col.addWidget(self.heading)
        col.addWidget(self.status)
        col.addWidget(self.follow_up)
        col.addWidget(self.browser, 1)
        col.addStretch(0)
        col.addLayout(buttons)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._show_heading)

        self.next_button.clicked.connect(loop.next_question)
        self.end_button.clicked.connect(loop.finish)
        self.export_button.clicked.connect(self._export)
        self.pdf_button.clicked.connect(self._pdf)
        self.back_button.clicked.connect(self._back)
        for keys, slot in [
            (QKeySequence(Qt.Key.Key_Return), self._next),
            (QKeySequence(Qt.Key.Key_Enter), self._next),
            (QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_Left), self._back),
        ]:
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        loop.answered.connect(self._on_answered)
        loop.ready_for_next.connect(self._on_ready)
        loop.finished.connect(self._on_finished)
        loop.problem.connect(self.status.setText)
        loop.asking.connect(self._on_asking)

    def begin(self) -> None:
        self.report = None
        self.browser.hide()
        self.follow_up.reset()
        for b in (self.export_button, self.pdf_button, self.back_button):
            b.setVisible(False)
        self.end_button.setVisible(True)
        self._tick.start()

    @Slot(int, int, object)
    def _on_asking(self, position: int, count: int, _question: Question) -> None:
        self.follow_up.reset()
        self.next_button.setEnabled(False)
        self.next_button.setText(
            self.tr("Next question (Enter)") if position < count else self.tr("See the report (Enter)")
        )

    @Slot(int, int)
    def _on_answered(self, position: int, count: int) -> None:
        self._show_heading()
        self.status.setText(
            self.tr("Answer {0} of {1} is in. The interviewer may dig deeper…").format(position, count)
        )
        self.setFocus()

    @Slot(bool)
    def _on_ready(self, ready: bool) -> None:
        self.next_button.setEnabled(ready)
        if ready:
            self.status.setText(self.tr("Press Enter when you are ready to go on."))

    def _show_heading(self) -> None:
        loop = self.loop
        if not loop.running:
            return
        self.heading.setText(
            f"<h2>{self.tr('Mock loop')}</h2><p>"
            + self.tr("Question {0} of {1} · {2} used of {3} minutes").format(
                loop.position, len(loop.questions), clock(loop.elapsed_s), loop.minutes
            )
            + "</p>"
        )

    @Slot()
    def _next(self) -> None:
        if self.next_button.isEnabled() and self.next_button.isVisible():
            self.loop.next_question()

    @Slot(object, object)
    def _on_finished(self, report: dict[str, Any], loop_id: int | None) -> None:
        self._tick.stop()
        self.show_report(report, loop_id)

    def show_report(self, report: dict[str, Any], loop_id: int | None) -> None:
        """The report of a loop just ended, or of one opened again from History."""
        self.report = report
        self.heading.setText(f"<h2>{self.tr('Mock loop report')}</h2>")
        saved = self.tr("Saved: History › Mock loops, or `python main.py loop-report {0}`.").format(loop_id)
        self.status.setText(saved if loop_id is not None else "")
        self.follow_up.hide()
        self.browser.setHtml(report_html(report))
        self.browser.show()
        self.next_button.setVisible(False)
        self.end_button.setVisible(False)
        for b in (self.export_button, self.pdf_button, self.back_button):
            b.setVisible(True)
        self.browser.setFocus()

    @Slot()
    def _export(self) -> None:
        self._write(as_pdf=False)

    @Slot()
    def _pdf(self) -> None:
        self._write(as_pdf=True)

    def _write(self, as_pdf: bool) -> None:
        """Export the report as HTML, or save it as PDF: asked where here, written off the GUI thread."""
        if self.report is None:
            return
        if as_pdf:
            title, suffix, kind = self.tr("Save the report as PDF"), ".pdf", self.tr("PDF (*.pdf)")
        else:
            title, suffix, kind = self.tr("Export the report"), ".html", self.tr("HTML (*.html)")
        path, _ = QFileDialog.getSaveFileName(self, title, self._suggested(suffix), kind)
        if not path:
            return
        target, report = Path(path), self.report
        remember(target)
        if as_pdf:
            busy, done, not_done = (
                self.tr("Saving the report as PDF…"),
                self.tr("The report was saved as {0}.").format(path),
                self.tr("The report was not saved as {0}").format(path),
            )
        else:
            busy, done, not_done = (
                self.tr("Exporting the report…"),
                self.tr("The report was exported to {0}.").format(path),
                self.tr("The report was not exported to {0}").format(path),
            )
        self.status.setText(busy)
        run_task(
            lambda: write_report(target, report_html(report), as_pdf),
            lambda _: self._said(done),
            lambda message: self._said(said(not_done, message)),
        )

    def _said(self, text: str) -> None:
        self.status.setText(text)
        self.exported.emit(text)

    def _suggested(self, suffix: str) -> str:
        started = str((self.report or {}).get("started_at") or "")
        try:
            day = datetime.fromisoformat(started).astimezone().date()
        except ValueError:
            day = None
        return suggested("mock-loop", day=day, suffix=suffix)

    @Slot()
    def _back(self) -> None:
        if self.loop.running:
            return  # End the loop first: a loop left by accident would lose its answers' report
        self.back.emit()
