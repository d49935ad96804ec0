"""A table cell that shows formatted text ("1:05", "—") and sorts by the number kept beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class SortedItem(QTableWidgetItem):
    def __init__(self, text: str, key: float) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, key)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return float(self.data(SORT_ROLE) or 0) < float(other.data(SORT_ROLE) or 0)
