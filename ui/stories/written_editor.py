"""A story's written STAR version, coloured by section while the person types: the same labeller and
the same points as a spoken answer, and its length at the person's own pace. The analysis runs on a
worker a moment after the typing stops; a result for text that has since changed is dropped."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.analysis.analyze import Analysis
from app.analysis.timing import clock
from app.analysis.types import Sentence
from app.bank.questions import Bank
from app.core.jobs import run_task
from app.stories.written import read_written
from ui.common.star_style import tint

PAUSE_MS = 600  # after the last key, before the written version is read again
POINTS_SHOWN = 3


def spans_of(text: str, sentences: Sequence[Sentence]) -> list[tuple[int, int, str]]:
    """Where each labelled sentence (or part) sits in the typed text: (start, end, section). The
    sentences have their spaces normalised, so each is found as its words with any spaces between."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for s in sentences:
        words = s.text.split()
        if not words:
            continue
        m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, at)
        if m is None:
            continue
        out.append((m.start(), m.end(), s.section))
        at = m.end()
    return out


class SectionHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, colour: object) -> None:
        super().__init__(document)
        self._spans: list[tuple[int, int, str]] = []
        self._colour = colour  # section -> background colour

    def set_spans(self, spans: list[tuple[int, int, str]]) -> None:
        self._spans = spans
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        start = self.currentBlock().position()
        end = start + len(text)
        for a, b, section in self._spans:
            if b <= start or a >= end:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(self._colour(section)))  # type: ignore[operator]
            self.setFormat(max(a, start) - start, min(b, end) - max(a, start), fmt)


class WrittenEditor(QWidget):
    def __init__(
        self, text: str, bank: Bank | None, wpm: float, target_seconds: float, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.bank, self.wpm, self.target = bank, wpm, target_seconds
        self.edit = QPlainTextEdit(text)
        self.edit.setPlaceholderText(
            self.tr(
                "Your story in STAR form, as you would tell it: the situation, your task, what you did, how it turned out, what you learned."
            )
        )
        self.edit.setAccessibleName(self.tr("Written version"))
        self.edit.setTabChangesFocus(True)
        self.timing = QLabel(wordWrap=True)
        self.points = QLabel(wordWrap=True)
        self.points.setAccessibleName(self.tr("What the app would say about it"))
        self.highlighter = SectionHighlighter(self.edit.document(), lambda s: tint(s, self.palette(), 0.28))
        self.analysis: Analysis | None = None
        self._generation = 0
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._timer.timeout.connect(self._analyse)
        self.edit.textChanged.connect(self._timer.start)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.edit, 1)
        col.addWidget(self.timing)
        col.addWidget(self.points)
        if text.strip():
            self._timer.start()

    def text(self) -> str:
        return self.edit.toPlainText()

    @Slot()
    def _analyse(self) -> None:
        self._generation += 1
        generation, text, bank, wpm = self._generation, self.text(), self.bank, self.wpm
        if bank is None or not text.strip():
            self.highlighter.set_spans([])
            self.timing.setText("")
            self.points.setText("")
            return
        run_task(
            lambda: read_written(text, bank, None, wpm),
            lambda out: self._show(generation, text, out),
            lambda message: self._failed(generation, message),
        )

    def _show(self, generation: int, text: str, analysis: Analysis) -> None:
        if not isValid(self.highlighter):
            return  # the dialog closed while the text was read (seen under load in the test suite)
        if generation != self._generation:
            return  # typed since: a newer reading is on its way
        self.analysis = analysis
        self.highlighter.set_spans(spans_of(text, analysis.sentences))
        self.timing.setText(
            self.tr("About {0} told at your pace ({1:.0f} words a minute); your target is {2}.").format(
                clock(analysis.timing.total_seconds), self.wpm, clock(self.target)
            )
        )
        shown = analysis.points[:POINTS_SHOWN]
        self.points.setText(
            "<br>".join(f"\u2022 {escape(p.message)}" for p in shown)
            if shown
            else escape(self.tr("Nothing to change: every section is there."))
        )

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation and isValid(self.points):
            self.points.setText(escape(self.tr("The written version could not be read: {0}").format(message)))
