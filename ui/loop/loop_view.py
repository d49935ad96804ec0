"""The mock loop's own screen: between questions it shows where the loop is and the interviewer's
follow-ups (no feedback, as in the real loop); at the end, the report, with Export (HTML) and Print
(PDF through Qt's printing). Enter goes on to the next question; End stops the loop early."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
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
from app.core.files import atomic_write_text
from app.core.jobs import run_task
from app.practice.loop import LoopSession
from app.practice.loop_report import report_html
from ui.common.export_folder import remember, suggested
from ui.common.problems import said
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
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the report"), self._suggested(".html"), self.tr("HTML (*.html)")
        )
        if not path:
            return
        target, report = Path(path), self.report
        remember(target)
        self.status.setText(self.tr("Exporting the report…"))
        run_task(  # a file write: off the GUI thread
            lambda: atomic_write_text(target, report_html(report)),
            lambda _: self._said(self.tr("The report was exported to {0}.").format(path)),
            lambda message: self._said(
                said(self.tr("The report was not exported to {0}").format(path), message)
            ),
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
    def _pdf(self) -> None:
        if self.report is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the report as PDF"),
            self._suggested(".pdf"),
            self.tr("PDF (*.pdf)"),
        )
        if not path:
            return
        remember(Path(path))
        # Qt's printing stays on the GUI thread (QTextDocument and its fonts); ~40 ms for a loop's report.
        if save_pdf(report_html(self.report), Path(path)):
            self._said(self.tr("The report was saved as {0}.").format(path))
        else:
            self._said(
                said(self.tr("The report was not saved as {0}").format(path), "it could not be written")
            )

    @Slot()
    def _back(self) -> None:
        if self.loop.running:
            return  # End the loop first: a loop left by accident would lose its answers' report
        self.back.emit()


def save_pdf(html: str, path: Path) -> bool:
    """Qt's own printing to a PDF file (QtPrintSupport), no other library."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setOutputFileName(str(path))
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(printer)
    return printer.printerState() != QPrinter.PrinterState.Error
