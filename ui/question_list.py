"""The question browser: search, filter by Leadership Principle, and a list of questions."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from app.questions import Bank, Question

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PRINCIPLES_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3
ALL_PRINCIPLES = ""


class _QuestionFilter(QSortFilterProxyModel):
    """Matches every search word anywhere in the question and its texts, and the chosen principle."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._principle = ALL_PRINCIPLES

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.lower().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_principle(self, principle: str) -> None:
        self.beginFilterChange()
        self._principle = principle
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self._principle and self._principle not in index.data(PRINCIPLES_ROLE):
            return False
        haystack: str = index.data(SEARCH_ROLE)
        return all(w in haystack for w in self._words)


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
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

        self._model = QStandardItemModel(self)
        self._proxy = _QuestionFilter()
        self._proxy.setSourceModel(self._model)
        self.view.setModel(self._proxy)

        self.search.textChanged.connect(self._on_search)
        self.principle.currentIndexChanged.connect(self._on_principle)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.set_bank(bank)

    def set_bank(self, bank: Bank) -> None:
        self._model.clear()
        for q in bank.questions:
            self._model.appendRow(self._item(q))
        self.principle.blockSignals(True)
        self.principle.clear()
        self.principle.addItem(self.tr("All Leadership Principles"), ALL_PRINCIPLES)
        for p in bank.principles():
            n = sum(p in q.principles for q in bank.questions)
            self.principle.addItem(f"{p} ({n})", p)
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
        item.setToolTip(", ".join(q.principles))
        return item

    def visible_ids(self) -> list[str]:
        return [self._proxy.index(r, 0).data(ID_ROLE) for r in range(self._proxy.rowCount())]

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else None

    def _on_search(self, text: str) -> None:
        self._proxy.set_search(text)
        self._after_filter()

    def _on_principle(self, _row: int) -> None:
        self._proxy.set_principle(str(self.principle.currentData() or ALL_PRINCIPLES))
        self._after_filter()

    def _after_filter(self) -> None:
        self._update_count()
        if not self.view.currentIndex().isValid() and self._proxy.rowCount():
            self.view.setCurrentIndex(self._proxy.index(0, 0))

    def _update_count(self) -> None:
        shown, total = self._proxy.rowCount(), self._model.rowCount()
        self.count.setText(self.tr("{0} of {1} questions").format(shown, total))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.selected.emit(str(current.data(ID_ROLE)))
