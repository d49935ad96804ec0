"""The question browser: search, filter by Leadership Principle, and a list of questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app.analysis.timing import clock
from app.bank.questions import PRINCIPLES, Bank, Question, principle_list

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PRINCIPLES_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
PRACTISED_ROLE = Qt.ItemDataRole.UserRole + 4
QUESTION_ROLE = Qt.ItemDataRole.UserRole + 6  # the question's own words: what a search ranks first
TAGS_ROLE = Qt.ItemDataRole.UserRole + 8  # its principles: ranked after the question's words
ORDER_ROLE = Qt.ItemDataRole.UserRole + 7
ALL_PRINCIPLES = ""
ANY, NOT_PRACTISED, PRACTISED = "any", "not", "yes"


@dataclass(frozen=True)
class Practice:
    """What the list shows of a question's history."""

    attempts: int
    last_seconds: float | None = None
    last_missing: tuple[str, ...] = ()


def _words(text: str) -> list[str]:
    """Search words without their punctuation: "Are Right, A Lot" is four words, not "right,"."""
    return re.findall(r"[\w']+", text.lower())


class _QuestionFilter(QSortFilterProxyModel):
    """Matches every search word anywhere in the question and its texts, and the chosen principle.
    Questions whose own words match come first: "deadline" is in 16 of 36 reference answers, and a
    question about a deadline was listed after them. A question that asks about a principle comes
    before one merely tagged with it: "customer obsession" listed q01 (tagged) above q07, which asks."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._principle = ALL_PRINCIPLES
        self._practised = ANY

    def set_practised(self, which: str) -> None:
        self.beginFilterChange()
        self._practised = which
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = _words(text)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.sort(-1)  # Qt does not sort again for the same column: back to the bank's order first
        if self._words:
            self.sort(0)

    def set_principle(self, principle: str) -> None:
        self.beginFilterChange()
        self._principle = principle
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._principle and self._principle not in index.data(PRINCIPLES_ROLE):
            return False
        done = bool(index.data(PRACTISED_ROLE))
        if (self._practised == PRACTISED and not done) or (self._practised == NOT_PRACTISED and done):
            return False
        haystack: str = index.data(SEARCH_ROLE)
        return all(w in haystack for w in self._words)

    def _rank(self, index: QModelIndex | QPersistentModelIndex) -> tuple[int, int, int, int]:
        own: str = index.data(QUESTION_ROLE)
        tags: str = index.data(TAGS_ROLE)
        phrase = f" {' '.join(self._words)} " in f" {own} "
        return (
            -phrase,
            -sum(w in own for w in self._words),
            -sum(w in tags for w in self._words),
            int(index.data(ORDER_ROLE)),
        )

    def lessThan(
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        return self._rank(left) < self._rank(right)


class QuestionList(QWidget):
    """Emits `selected(question_id)` when the current question changes."""

    selected = Signal(str)

    def __init__(self, bank: Bank, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=self.tr("Search questions (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search questions"))
        self.principle = QComboBox()
        self.principle.setAccessibleName(self.tr("Filter by Leadership Principle"))
        self.practised = QComboBox()
        self.practised.setAccessibleName(self.tr("Filter by practised or not"))
        for text, value in [
            (self.tr("Practised or not"), ANY),
            (self.tr("Not practised yet"), NOT_PRACTISED),
            (self.tr("Practised"), PRACTISED),
        ]:
            self.practised.addItem(text, value)
        self.view = QListView()
        self.view.setAccessibleName(self.tr("Questions"))
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformItemSizes(False)
        self.count = QLabel()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.principle)
        layout.addWidget(self.practised)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

        self._model = QStandardItemModel(self)
        self._proxy = _QuestionFilter()
        self._proxy.setSourceModel(self._model)
        self.view.setModel(self._proxy)

        self.search.textChanged.connect(self._on_search)
        self.principle.currentIndexChanged.connect(self._on_principle)
        self.practised.currentIndexChanged.connect(self._on_practised)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.set_bank(bank)

    def set_bank(self, bank: Bank) -> None:
        self._model.clear()
        for order, q in enumerate(bank.questions):
            item = self._item(q)
            item.setData(order, ORDER_ROLE)
            self._model.appendRow(item)
        self.principle.blockSignals(True)
        self.principle.clear()
        self.principle.addItem(self.tr("All Leadership Principles"), ALL_PRINCIPLES)
        # All sixteen, in Amazon's order, then any other the bank names: the feedback can name one
        # that no question asks about, and the list says so.
        for p in [*PRINCIPLES, *(p for p in bank.principles() if p not in PRINCIPLES)]:
            n = sum(p in q.principles for q in bank.questions)
            self.principle.addItem(f"{p} ({n})" if n else self.tr("{0} (no question yet)").format(p), p)
        self.principle.blockSignals(False)
        self._update_count()
        if self._proxy.rowCount():
            self.view.setCurrentIndex(self._proxy.index(0, 0))

    @staticmethod
    def _item(q: Question) -> QStandardItem:
        item = QStandardItem(f"{q.number}. {q.question}")
        item.setEditable(False)
        item.setData(q.id, ID_ROLE)
        item.setData(list(q.principles), PRINCIPLES_ROLE)
        texts = [q.question, q.introduction, *q.principles, *(s.example for s in q.sections)]
        item.setData(" ".join(texts).lower(), SEARCH_ROLE)
        item.setData(" ".join(_words(q.question)), QUESTION_ROLE)
        item.setData(" ".join(_words(" ".join(q.principles))), TAGS_ROLE)
        if q.principles:  # a tooltip is rich text when it looks like it: bank text must stay text
            item.setToolTip(QtGui.Qt.convertFromPlainText(principle_list(q.principles)))
        return item

    def set_practice(self, practice: dict[str, Practice]) -> None:
        """Show how often each question was practised and how the last answer went."""
        for row in range(self._model.rowCount()):
            item = self._model.item(row)
            qid = item.data(ID_ROLE)
            base = item.data(Qt.ItemDataRole.UserRole + 5) or item.text()
            item.setData(base, Qt.ItemDataRole.UserRole + 5)
            p = practice.get(qid)
            item.setData(bool(p and p.attempts), PRACTISED_ROLE)
            if not p or not p.attempts:
                item.setText(base)
                continue
            last = f", last {clock(p.last_seconds)}" if p.last_seconds is not None else ""
            gap = f", missing {', '.join(p.last_missing)}" if p.last_missing else ""
            times = (
                self.tr("practised once") if p.attempts == 1 else self.tr("practised {0}×").format(p.attempts)
            )
            item.setText(f"{base}\n    ✓ {times}{last}{gap}")
        self._proxy.set_practised(str(self.practised.currentData() or ANY))
        self._update_count()

    def visible_ids(self) -> list[str]:
        return [self._proxy.index(r, 0).data(ID_ROLE) for r in range(self._proxy.rowCount())]

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def _on_search(self, text: str) -> None:
        self._proxy.set_search(text)
        self._after_filter()
        if text.strip() and self._proxy.rowCount():
            # The best match is the one Ctrl+Enter practises: a question chosen while typing the first
            # word ("tight") stayed chosen below the ones that match both ("tight deadline").
            self.view.setCurrentIndex(self._proxy.index(0, 0))

    def _on_principle(self, _row: int) -> None:
        self._proxy.set_principle(str(self.principle.currentData() or ALL_PRINCIPLES))
        self._after_filter()

    def _on_practised(self, _row: int) -> None:
        self._proxy.set_practised(str(self.practised.currentData() or ANY))
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_count()
        if not self.view.currentIndex().isValid() and self._proxy.rowCount():
            self.view.setCurrentIndex(self._proxy.index(0, 0))

    def _update_count(self) -> None:
        shown, total = self._proxy.rowCount(), self._model.rowCount()
        principle = str(self.principle.currentData() or ALL_PRINCIPLES)
        if principle and not any(
            principle in self._model.item(r).data(PRINCIPLES_ROLE) for r in range(total)
        ):
            self.count.setText(self.tr("No question in this bank asks about {0}.").format(principle))
            return
        self.count.setText(self.tr("{0} of {1} questions").format(shown, total))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(str(current.data(ID_ROLE)))
