"""The transcript of a replayed answer: each sentence tinted by its STAR section and a link to its
place in the recording; the sentence being heard drawn more strongly and its current word underlined.

Highlighting uses extra selections, so the document (and the scroll position) is never rebuilt
while playing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from app.analysis.sentences import attached
from app.analysis.timing import clock
from app.analysis.types import SECTION_TITLES, Sentence
from ui.common.star_style import SECTION_COLORS, tint
from ui.practice.relabel import FOCUS_MARK

Span = tuple[int, int]  # character positions in the document, [start, end)


class ReplayTranscript(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName(self.tr("Your answer, coloured by STAR section; click a sentence to hear it"))
        self.sentences: tuple[Sentence, ...] = ()
        self.sentence_spans: list[Span] = []
        self.word_spans: list[list[Span]] = []
        self._shown: tuple[int | None, int | None] = (None, None)

    def set_sentences(self, sentences: Sequence[Sentence], heading: str) -> None:
        self.clear()
        self.sentences = tuple(sentences)
        self.sentence_spans, self.word_spans = [], []
        self._shown = (None, None)
        cur = QTextCursor(self.document())
        head = QTextCharFormat()
        head.setFontWeight(QFont.Weight.Bold)
        head.setFontPointSize(self.font().pointSizeF() * 1.2)
        cur.insertText(heading, head)
        block = cur.blockFormat()
        block.setLineHeight(150, 1)  # 1 = QTextBlockFormat.ProportionalHeight
        cur.insertBlock(block)
        pal = self.palette()
        plain = QTextCharFormat()
        for i, s in enumerate(self.sentences):
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(tint(s.section, pal, 0.28)))
            fmt.setAnchor(True)
            fmt.setAnchorHref(f"s{i}")
            fmt.setToolTip(
                self.tr("{0} · {1} — click to hear it").format(SECTION_TITLES[s.section], clock(s.start))
            )
            start = cur.position()
            words: list[Span] = []
            texts = [w.text.strip() for w in s.words if w.text.strip()] or [s.text]
            for n, text in enumerate(texts):
                if n and not attached(text):  # Whisper splits "$50,000" into "$50" ",000"
                    cur.insertText(" ", fmt)
                w0 = cur.position()
                cur.insertText(text, fmt)
                words.append((w0, cur.position()))
            self.sentence_spans.append((start, cur.position()))
            self.word_spans.append(words if s.words else [])
            cur.insertText(" ", plain)
        if not self.sentences:
            cur.insertText(self.tr("Nothing was heard in this answer."), plain)
        self.setExtraSelections([])
        self.verticalScrollBar().setValue(0)

    def highlight(self, sentence: int | None, word: int | None) -> None:
        """Draws `sentence` strongly and underlines its `word`; None clears. Keeps it in view."""
        if (sentence, word) == self._shown:
            return
        scroll = sentence != self._shown[0]
        self._shown = (sentence, word)
        focus = [x for x in self.extraSelections() if x.format.property(FOCUS_MARK)]  # the Tab mark stays
        if sentence is None or not 0 <= sentence < len(self.sentence_spans):
            self.setExtraSelections(focus)
            return
        strong = QTextEdit.ExtraSelection()
        strong.cursor = self._cursor(self.sentence_spans[sentence])
        strong.format.setBackground(QColor(tint(self.sentences[sentence].section, self.palette(), 0.5)))
        selections = [strong]
        words = self.word_spans[sentence]
        if word is not None and 0 <= word < len(words):
            w = QTextEdit.ExtraSelection()
            w.cursor = self._cursor(words[word])
            w.format.setFontUnderline(True)
            w.format.setBackground(QColor(SECTION_COLORS.get(self.sentences[sentence].section, "#9ca3af")))
            w.format.setForeground(QColor("white"))
            selections.append(w)
        self.setExtraSelections(selections + focus)
        if scroll:
            self.keep_in_view(sentence)

    def sentence_rect(self, i: int) -> QRect:
        """Where sentence `i` begins, in viewport coordinates (a few characters in, for clicking)."""
        start, end = self.sentence_spans[i]
        cur = QTextCursor(self.document())
        cur.setPosition(min(start + 2, end))
        return self.cursorRect(cur)

    def keep_in_view(self, i: int) -> None:
        start, end = self.sentence_spans[i]
        top = self.cursorRect(self._cursor((start, start))).top()
        bottom = self.cursorRect(self._cursor((end, end))).bottom()
        height = self.viewport().height()
        bar = self.verticalScrollBar()
        if top < 0 or bottom > height:
            margin = max(0, min(height // 4, height - (bottom - top)) // 2)
            bar.setValue(bar.value() + top - margin)

    def _cursor(self, span: Span) -> QTextCursor:
        cur = QTextCursor(self.document())
        cur.setPosition(span[0])
        cur.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        return cur
