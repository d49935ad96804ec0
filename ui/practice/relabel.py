"""Correcting a sentence's STAR section in a transcript: right-click a sentence, or Tab to it and press
the section's key (S, T, A, R, L for the lesson, O for other) or the menu key.

Why: the labeller is sometimes wrong, and a person who cannot fix a wrong "no task heard" learns to
ignore the app. The browser's sentences are links named "s<index>"; this module only finds which
sentence is meant and asks which section it is, the view applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit

from app.analysis.types import LABELS, Label

if TYPE_CHECKING:
    from app.analysis.analyze import Analysis
    from app.bank.questions import Question

# One key per section; L for the lesson (reflection), because R is the result. The menu's items carry
# the same letters as mnemonics.
MENU_TEXT: dict[Label, str] = {
    "situation": "&Situation",
    "task": "&Task",
    "action": "&Action",
    "result": "&Result",
    "reflection": "Reflection, &lesson",
    "other": "&Other (not part of the story)",
}
SECTION_KEYS: dict[Label, str] = {
    "situation": "S",
    "task": "T",
    "action": "A",
    "result": "R",
    "reflection": "L",
    "other": "O",
}
_BY_KEY = {getattr(Qt.Key, f"Key_{k}"): lab for lab, k in SECTION_KEYS.items()}

Relabel = Callable[[int, Label], None]
# Marks the extra selection that shows the focused sentence, so other highlights can keep it.
FOCUS_MARK = QTextFormat.Property.UserProperty + 1


def sentence_of(href: str) -> int | None:
    return int(href[1:]) if href.startswith("s") and href[1:].isdigit() else None


def focused_sentence(browser: QTextBrowser) -> int | None:
    """The sentence whose link has the keyboard focus (Tab selects a link's text)."""
    cur = browser.textCursor()
    if not cur.hasSelection():
        return None
    probe = QTextCursor(browser.document())
    probe.setPosition(cur.selectionStart() + 1)
    return sentence_of(probe.charFormat().anchorHref())


def sentence_span(browser: QTextBrowser, index: int) -> tuple[int, int] | None:
    """Where sentence `index` is in the document. Its link is several fragments (the first character
    also carries the sentence's name anchor), and Qt's Tab selects only the first of them."""
    doc = browser.document()
    span: tuple[int, int] | None = None
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref() == f"s{index}":
                end = frag.position() + frag.length()
                span = (frag.position(), end) if span is None else (span[0], end)
            it += 1
        block = block.next()
    return span


def focus_sentence(browser: QTextBrowser, index: int) -> None:
    """Give sentence `index` the keyboard focus again after the text was rebuilt."""
    span = sentence_span(browser, index)
    if span is not None:
        cur = QTextCursor(browser.document())
        cur.setPosition(span[0])
        cur.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        browser.setTextCursor(cur)


def section_menu(parent: QTextBrowser, current: Label) -> QMenu:
    menu = QMenu(parent.tr("This sentence is…"), parent)
    menu.addSection(parent.tr("This sentence is…"))
    for lab in LABELS:
        action = menu.addAction(MENU_TEXT[lab])
        action.setData(lab)
        action.setCheckable(True)
        action.setChecked(lab == current)
    return menu


class RelabelFilter(QObject):
    """Installed on a transcript browser; `current(i)` gives sentence i's section, `apply` changes it."""

    def __init__(self, browser: QTextBrowser, current: Callable[[int], Label], apply: Relabel) -> None:
        super().__init__(browser)
        self.browser = browser
        self.current = current
        self.apply = apply
        browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        browser.customContextMenuRequested.connect(self._menu)
        browser.installEventFilter(self)
        browser.cursorPositionChanged.connect(self.show_focus)  # Tab to a link emits nothing: see below

    def show_focus(self) -> None:
        """The sentence Tab reached, drawn in the window's selection colours: Qt marks a focused link
        with a faint dotted frame only, and a keyboard user could not see where they were."""
        browser = self.browser
        keep = [x for x in browser.extraSelections() if not x.format.property(FOCUS_MARK)]
        i = focused_sentence(browser) if browser.hasFocus() else None
        span = sentence_span(browser, i) if i is not None else None
        cur = browser.textCursor()
        if i is not None and span is not None and (cur.selectionStart(), cur.selectionEnd()) != span:
            # Qt's Tab selects the first character only and draws it white on the tint: a blank gap.
            focus_sentence(browser, i)  # moves the cursor again: this runs once more, with nothing to do
            return
        if span is not None:
            mark = QTextEdit.ExtraSelection()
            mark.cursor = QTextCursor(browser.document())
            mark.cursor.setPosition(span[0])
            mark.cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            pal = browser.palette()
            mark.format.setBackground(pal.color(QPalette.ColorRole.Highlight))
            mark.format.setForeground(pal.color(QPalette.ColorRole.HighlightedText))
            mark.format.setProperty(FOCUS_MARK, True)
            keep.append(mark)
        browser.setExtraSelections(keep)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        focus_events = (QEvent.Type.FocusIn, QEvent.Type.FocusOut, QEvent.Type.KeyRelease)
        if watched is self.browser and event.type() in focus_events:
            self.show_focus()
        if watched is self.browser and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            section = _BY_KEY.get(Qt.Key(event.key()))
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            i = focused_sentence(self.browser)
            if section is not None and mods == Qt.KeyboardModifier.NoModifier and i is not None:
                self.apply(i, section)
                return True
        return False

    def _menu(self, pos: QPoint) -> None:
        i = sentence_of(self.browser.anchorAt(pos))
        if i is None:
            i = focused_sentence(self.browser)
            if i is None:
                return
            pos = self.browser.cursorRect().bottomLeft()
        menu = section_menu(self.browser, self.current(i))
        chosen = menu.exec(self.browser.viewport().mapToGlobal(pos))
        if chosen is not None and chosen.data() in LABELS:
            self.apply(i, chosen.data())


def correct(analysis: Analysis, sentence: int, section: str, question: Question | None) -> Analysis:
    """The analysis with sentence `sentence` set to `section` (the caller saves it with its attempt)."""
    from app.analysis.analyze import relabel

    return relabel(analysis, sentence, cast(Label, section), question)
